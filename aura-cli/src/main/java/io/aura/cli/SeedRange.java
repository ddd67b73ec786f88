package io.aura.cli;

/** Parses the {@code A-B} (or single {@code A}) seed ranges of `aura bench motter-lai` and `aura bench cpb`. */
public final class SeedRange {
    private SeedRange() {}

    /**
     * The inclusive range {@code {A, B}} of {@code s}.
     *
     * @param option the option's name, for messages
     * @param maxSeeds the most seeds the range may hold
     * @throws IllegalArgumentException with a one-line message naming the option
     */
    public static long[] parse(String s, String option, long maxSeeds) {
        String t = s.trim();
        int dash = t.indexOf('-', 1);
        long a;
        long b;
        try {
            if (dash < 0) {
                a = Long.parseLong(t);
                b = a;
            } else {
                a = Long.parseLong(t.substring(0, dash).trim());
                b = Long.parseLong(t.substring(dash + 1).trim());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be A-B or A with non-negative integers, got '" + s + "'", e);
        }
        if (a < 0) {
            throw new IllegalArgumentException(option + " must be non-negative, got '" + s + "'");
        }
        if (b < a) {
            throw new IllegalArgumentException(option + " range '" + s + "' is empty: " + b + " < " + a);
        }
        if (b - a >= maxSeeds) {
            throw new IllegalArgumentException(option + " range '" + s + "' has more than " + maxSeeds + " seeds");
        }
        return new long[] {a, b};
    }
}
