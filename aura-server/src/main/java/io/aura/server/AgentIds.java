package io.aura.server;

/** Agent ids: 1 to 128 characters from {@code [A-Za-z0-9_.:@-]}. */
public final class AgentIds {

    static final int MAX_LENGTH = 128;

    private AgentIds() {
    }

    /** Whether s is a valid agent id. */
    public static boolean valid(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_LENGTH) {
            return false;
        }
        // a loop, not a regular expression: every id of every predict request and bus message is
        // checked here, and the regex's matcher was about 6% of the server's CPU in the live-form profile
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == ':' || c == '@' || c == '-';
            if (!ok) {
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
