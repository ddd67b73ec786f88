package io.aura.tda;

/**
 * Persistent entropy of a persistence diagram.
 *
 * <p>Definition (Chintakunta, Gentimis, Gonzalez-Diaz, Jimenez &amp; Krim, "An entropy-based
 * persistence barcode", Pattern Recognition 48(2), 2015; Atienza, Gonzalez-Diaz &amp; Rucco,
 * "Persistent entropy for separating topological features from noise in Vietoris-Rips
 * complexes", Journal of Intelligent Information Systems 52, 2019): for intervals of lengths
 * l_i = d_i - b_i with total L = sum_i l_i > 0 and p_i = l_i / L,
 * <pre>  E = - sum_i p_i ln p_i   (natural logarithm, in nats)</pre>
 * so 0 <= E <= ln(number of intervals of positive length), with equality on the right when all
 * lengths are equal.
 *
 * <p>Essential intervals have infinite length and cannot enter the sum as they are. {@link
 * #ofFinite(PersistenceDiagram)} excludes them; {@link #of(PersistenceDiagram, double)} cuts them at a
 * caller-given maximum scale (Chintakunta et al.'s truncation), l = max(0, maxScale - b). For a
 * Vietoris–Rips result the natural maximum is {@link PersistenceResult#threshold()}.
 *
 * <p>Zero-length intervals have p_i = 0 and contribute 0 (the limit of p ln p as p -> 0), so they
 * do not change E. An empty diagram, or one whose lengths are all zero, has E = 0.
 *
 * <p>Complexity O(n) time, O(1) memory. Numeric caveat: L is a plain left-to-right double sum, so
 * E carries a relative error of order n * 2^-53; the result is clamped at 0 from below (rounding
 * could otherwise give -0.0 or a tiny negative value for one dominant interval).
 *
 * <p>Thread-safe: stateless.
 */
public final class PersistenceEntropy {
    private PersistenceEntropy() {
    }

    /** E over the finite intervals only; essential intervals are excluded. */
    public static double ofFinite(PersistenceDiagram diagram) {
        int n = diagram.size();
        double total = 0;
        for (int i = 0; i < n; i++) {
            if (!diagram.isEssential(i)) {
                total += diagram.persistence(i);
            }
        }
        if (!(total > 0)) {
            return 0;
        }
        if (Double.isInfinite(total)) {
            throw new TdaInputException("the total length of the finite intervals of " + diagram.size()
                    + " intervals overflows a double");
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (!diagram.isEssential(i)) {
                sum += plogp(diagram.persistence(i) / total);
            }
        }
        return Math.max(0, -sum);
    }

    /**
     * E with every essential interval [b, +Infinity) replaced by [b, max(b, maxScale)).
     *
     * @throws TdaInputException if maxScale is NaN or infinite
     */
    public static double of(PersistenceDiagram diagram, double maxScale) {
        ClippedIntervals.requireMaxScale(maxScale);
        int n = diagram.size();
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += ClippedIntervals.clippedDeath(diagram, i, maxScale) - diagram.birth(i);
        }
        if (!(total > 0)) {
            return 0;
        }
        if (Double.isInfinite(total)) {
            throw new TdaInputException("the total interval length overflows a double (maxScale = " + maxScale + ")");
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += plogp((ClippedIntervals.clippedDeath(diagram, i, maxScale) - diagram.birth(i)) / total);
        }
        return Math.max(0, -sum);
    }

    private static double plogp(double p) {
        return p > 0 ? p * Math.log(p) : 0;
    }
}
