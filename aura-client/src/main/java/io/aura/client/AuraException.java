package io.aura.client;

/**
 * An error answered by the AURA server, or met on the way to it: the server's error code (its
 * JSON {@code error}, e.g. {@code invalid_request}, {@code permission_denied}, {@code agent_offline},
 * {@code token_expired}), its message, the field it names (or null) and the HTTP status (0 for an
 * error frame on the bus).
 *
 * <p>Codes the client makes itself: {@code unreachable} (no connection to the server),
 * {@code connection_closed} (the bus connection closed before an answer), {@code timeout} (no
 * answer within the connection's answer timeout) and {@code protocol} (the server answered
 * something this client does not understand).
 */
public class AuraException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final String field;

    public AuraException(int status, String error, String message, String field) {
        this(status, error, message, field, null);
    }

    public AuraException(int status, String error, String message, String field, Throwable cause) {
        super(error + ": " + message, cause);
        this.status = status;
        this.error = error;
        this.field = field;
    }

    /** The HTTP status of the answer; 0 for an error frame on the bus or an error made by the client. */
    public int status() {
        return status;
    }

    /** The error code, e.g. {@code invalid_request}. */
    public String error() {
        return error;
    }

    /** The request field the server named, e.g. {@code payload.cpu_utilisation}; null if none. */
    public String field() {
        return field;
    }
}
