package io.aura.server;

/** Agent ids: 1 to 128 characters from {@code [A-Za-z0-9_.:@-]}. */
public final class AgentIds {

    static final int MAX_LENGTH = 128;

    private AgentIds() {
    }

    /** ALLOWED[c]: whether the ASCII character c may appear in an id. */
    private static final boolean[] ALLOWED = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            ALLOWED[c] = true;
            ALLOWED[Character.toUpperCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            ALLOWED[c] = true;
        }
        for (char c : "_.:@-".toCharArray()) {
            ALLOWED[c] = true;
        }
    }

    /** Whether s is a valid agent id. */
    public static boolean valid(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_LENGTH) {
            return false;
        }
        // a table lookup per character, not a regular expression: every id of every predict request
        // and bus message is checked here (the regex's matcher was about 6% of the server's CPU in
        // the live-form profile, a chain of comparisons 7% of the request threads' samples)
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 128 || !ALLOWED[c]) {
                return false;
            }
        }
        return true;
    }

    static String check(String s, String field) {
        if (!valid(s)) {
            throw invalid(field);
        }
        return s;
    }

    static ApiException invalid(String field) {
        return ApiException.invalid(field, field + " must be an agent id of 1 to 128 characters from"
                + " A-Z a-z 0-9 _ . : @ -");
    }
}
