package io.aura.cli.ripser;

/** Ripser's input formats ({@code --format}). */
public enum InputFormat {
    LOWER_DISTANCE, UPPER_DISTANCE, DISTANCE, POINT_CLOUD, DIPHA, SPARSE, BINARY;

    /**
     * The format for a {@code --format} value as Ripser matches it: prefixes {@code lower},
     * {@code upper}, {@code dist}, {@code point}; exact {@code dipha}, {@code sparse},
     * {@code binary}. Returns null for anything else.
     */
    public static InputFormat parse(String value) {
        if (value.startsWith("lower")) {
            return LOWER_DISTANCE;
        } else if (value.startsWith("upper")) {
            return UPPER_DISTANCE;
        } else if (value.startsWith("dist")) {
            return DISTANCE;
        } else if (value.startsWith("point")) {
            return POINT_CLOUD;
        }
        return switch (value) {
            case "dipha" -> DIPHA;
            case "sparse" -> SPARSE;
            case "binary" -> BINARY;
            default -> null;
        };
    }
}
