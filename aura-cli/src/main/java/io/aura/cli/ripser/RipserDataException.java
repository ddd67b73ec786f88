package io.aura.cli.ripser;

/**
 * Input data that {@code aura ripser} rejects. The message says what is wrong and where; it is
 * printed as {@code ripser: MESSAGE}, or as is when {@link #verbatim()} (messages Ripser itself
 * prints, such as the DIPHA magic-number check).
 */
public final class RipserDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean verbatim;

    RipserDataException(String message) {
        this(message, false);
    }

    RipserDataException(String message, boolean verbatim) {
        super(message, null, false, false);
        this.verbatim = verbatim;
    }

    /** Whether the message is printed without the {@code ripser: } prefix. */
    public boolean verbatim() {
        return verbatim;
    }
}
