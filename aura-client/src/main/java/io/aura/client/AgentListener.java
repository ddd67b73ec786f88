package io.aura.client;

/**
 * Receives what the bus sends an agent. Every method runs on the connection's own callback thread,
 * one call at a time and in arrival order, never on the network thread, so a listener may block
 * (and may wait for its own sends' answers).
 */
public interface AgentListener {

    /** A message from another agent. */
    void onMessage(AgentConnection connection, IncomingMessage message);

    /**
     * An error frame that answers none of this agent's frames, e.g. {@code token_expired} just
     * before the server closes the connection.
     */
    default void onError(AgentConnection connection, AuraException error) {
    }

    /**
     * The connection closed: {@code 1000} after {@link AgentConnection#close()}, {@code 4001} when
     * the token expired, {@code 4000} when a newer connection of the same agent replaced it,
     * {@code 4003} when an enrolment of the agent with fewer permissions revoked its token,
     * {@code 1001} when the server went away or the socket was idle for 300 s, {@code 1006} when the
     * network failed. Called once.
     */
    default void onClose(AgentConnection connection, int code, String reason) {
    }
}
