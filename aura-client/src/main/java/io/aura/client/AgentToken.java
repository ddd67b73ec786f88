package io.aura.client;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * An agent token from enrolment: bound to one agent id, with the permissions granted and its expiry.
 * Only this agent's connection ({@code /ws/a2a/{agentId}}) accepts it. {@code expiresAt} is on this
 * machine's clock: the lifetime the server gave, counted from its answer.
 */
public record AgentToken(String agentId, String token, Instant expiresAt, Set<String> permissions, List<String> capabilities) {

    public AgentToken {
        permissions = Set.copyOf(permissions);
        capabilities = List.copyOf(capabilities);
    }

    @Override
    public String toString() { // never the token
        return "AgentToken[agentId=" + agentId + ", expiresAt=" + expiresAt + ", permissions=" + permissions + "]";
    }
}
