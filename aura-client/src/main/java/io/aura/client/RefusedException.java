package io.aura.client;

import java.time.Duration;

/**
 * A message refused by an intervention: {@code circuit_open} (a circuit breaker on the target),
 * {@code isolated} (the sender or the target is isolated), {@code rate_limited} (a rate limit on
 * the sender) or {@code load_shed} (the target sheds a share of its messages).
 *
 * <p>{@link #local()} is true when this client refused the message itself, without sending it,
 * because the server had refused an earlier one and its retry time had not passed (see
 * {@link AgentConnection}).
 */
public final class RefusedException extends AuraException {

    private static final long serialVersionUID = 1L;

    private final String toAgent;
    private final String interventionId;
    private final Duration retryAfter;
    private final boolean local;

    RefusedException(String error, String message, String toAgent, String interventionId, Duration retryAfter, boolean local) {
        super(0, error, message, null);
        this.toAgent = toAgent;
        this.interventionId = interventionId;
        this.retryAfter = retryAfter;
        this.local = local;
    }

    /** The agent the refused message was for. */
    public String toAgent() {
        return toAgent;
    }

    /** The id of the intervention that refused it (GET /api/v1/interventions/{id}); null if the server gave none. */
    public String interventionId() {
        return interventionId;
    }

    /** How long to wait before trying again: the intervention's remaining time, or a rate limit's wait for its next token. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whether this client refused the message without sending it (it obeys an earlier refusal's retry time). */
    public boolean local() {
        return local;
    }
}
