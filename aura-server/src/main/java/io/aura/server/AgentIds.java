package io.aura.server;

import java.util.regex.Pattern;

/** Agent ids: 1 to 128 characters from {@code [A-Za-z0-9_.:@-]}. */
public final class AgentIds {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:@-]{1,128}");

    private AgentIds() {
    }

    /** Whether s is a valid agent id. */
    public static boolean valid(String s) {
        return s != null && ID.matcher(s).matches();
    }

    static String check(String s, String field) {
        if (!valid(s)) {
            throw ApiException.invalid(field, field + " must be an agent id of 1 to 128 characters from"
                    + " A-Z a-z 0-9 _ . : @ -");
        }
        return s;
    }
}
