package io.aura.server;

/**
 * A request the server refuses, answered as {@code {"error", "message", "field"}} with the given
 * HTTP status; {@code field} names the offending request field (a JSON path such as
 * {@code topology_data[3][1]}) or is null.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String error;
    private final String field;

    public ApiException(int status, String error, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.field = field;
    }

    /** 400 invalid_request for a bad field. */
    public static ApiException invalid(String field, String message) {
        return new ApiException(400, "invalid_request", message, field);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String field() {
        return field;
    }
}
