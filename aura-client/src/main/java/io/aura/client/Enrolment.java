package io.aura.client;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What an agent asks for when it enrols ({@code POST /a2a/auth/agent}).
 *
 * @param agentId the agent's id: 1 to 128 of letters, digits and {@code _.:@-}
 * @param agentType a free label, e.g. {@code predictor}; may be null
 * @param capabilities free labels; may be empty
 * @param permissions {@code write} (may send) and {@code read} (may receive); empty asks for the
 *     server's default (both). The server refuses, never narrows, a request for more than the
 *     credential allows.
 */
public record Enrolment(String agentId, String agentType, List<String> capabilities, Set<String> permissions) {

    public Enrolment {
        Credential.requireText(agentId, "agentId");
        capabilities = List.copyOf(Objects.requireNonNull(capabilities, "capabilities"));
        permissions = Set.copyOf(Objects.requireNonNull(permissions, "permissions"));
    }

    /** An agent that may send and receive, with no type or capabilities. */
    public static Enrolment of(String agentId) {
        return new Enrolment(agentId, null, List.of(), Set.of());
    }
}
