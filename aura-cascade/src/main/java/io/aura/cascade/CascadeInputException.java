package io.aura.cascade;

/**
 * Invalid input to the cascade engine: a parameter out of range, a malformed topology, an unknown
 * id. The message names the offending value so that callers (CLI, HTTP layer) can show it as is.
 */
public class CascadeInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message that names the bad value. */
    public CascadeInputException(String message) {
        super(message);
    }

    /** Creates the exception with a message that names the bad value and the failure behind it. */
    public CascadeInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
