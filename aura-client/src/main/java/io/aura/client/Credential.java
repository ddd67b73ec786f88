package io.aura.client;

import java.util.Objects;

/**
 * What lets a caller enrol agents: an operator token with the {@code enrol} scope (minted by
 * {@code aura token --scopes enrol}) or the server's enrolment key ({@code AURA_ENROLMENT_KEY}).
 */
public final class Credential {

    private final String header;
    private final String value;

    private Credential(String header, String value) {
        this.header = header;
        this.value = value;
    }

    /** An operator token with the {@code enrol} scope. */
    public static Credential operatorToken(String token) {
        requireText(token, "token");
        return new Credential("Authorization", "Bearer " + token);
    }

    /** The server's enrolment key, sent as {@code X-Enrolment-Key}. */
    public static Credential enrolmentKey(String key) {
        requireText(key, "key");
        return new Credential("X-Enrolment-Key", key);
    }

    String header() {
        return header;
    }

    String value() {
        return value;
    }

    static void requireText(String s, String name) {
        Objects.requireNonNull(s, name);
        if (s.isBlank()) {
            throw new IllegalArgumentException(name + " is blank");
        }
    }

    @Override
    public String toString() { // never the secret
        return "Credential[" + header + "]";
    }
}
