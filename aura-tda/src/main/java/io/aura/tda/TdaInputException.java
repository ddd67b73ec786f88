package io.aura.tda;

/**
 * Thrown when input to the topology engine cannot be used: a ragged point cloud, a negative or
 * non-finite distance, a dimension or modulus out of range. The message names the bad value and
 * says what would be accepted.
 */
public class TdaInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public TdaInputException(String message) {
        super(message);
    }
}
