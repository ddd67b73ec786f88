package io.aura.tda;

/**
 * Package-private helpers that turn a diagram into finite intervals: essential deaths replaced by a
 * caller-given maximum scale, or essential intervals dropped.
 */
final class ClippedIntervals {
    private ClippedIntervals() {
    }

    static void requireMaxScale(double maxScale) {
        if (!Double.isFinite(maxScale)) {
            throw new TdaInputException("maxScale must be a finite number (the scale essential intervals are cut at), got "
                    + maxScale);
        }
    }

    /**
     * The death of interval i with an essential death replaced by max(birth, maxScale), so that an
     * essential interval born after maxScale has length zero.
     */
    static double clippedDeath(PersistenceDiagram diagram, int i, double maxScale) {
        double d = diagram.death(i);
        return d == Double.POSITIVE_INFINITY ? Math.max(diagram.birth(i), maxScale) : d;
    }
}
