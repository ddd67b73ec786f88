package io.aura.tda;

/**
 * Scalar summary features of one persistence diagram, as an API returns them per dimension.
 *
 * <p>Definitions, for the n intervals [b_i, d_i) of the diagram, of which F are finite:
 * <ul>
 *   <li>{@code totalPersistence} = sum over finite intervals of (d_i - b_i), the degree-1 total
 *       persistence of Cohen-Steiner, Edelsbrunner, Harer &amp; Mileyko, "Lipschitz functions have
 *       L_p-stable persistence", FoCM 10, 2010;
 *   <li>{@code maxPersistence} = max over finite intervals of (d_i - b_i);
 *   <li>{@code meanBirth}, {@code meanDeath}: arithmetic means over the finite intervals;
 *   <li>{@code entropy}: persistent entropy of the finite intervals, {@link
 *       PersistenceEntropy#ofFinite(PersistenceDiagram)} (Chintakunta et al. 2015), so that
 *       p_i = (d_i - b_i) / totalPersistence;
 *   <li>{@code landscapeL1}, {@code landscapeL2}: ||lambda_1||_1 and ||lambda_1||_2 of the first
 *       persistence landscape (Bubenik 2015), exact integrals, with essential intervals cut at
 *       {@code maxScale} as {@link PersistenceLandscape#of(PersistenceDiagram, double)} does.
 * </ul>
 * The finite statistics exclude essential intervals (their length is infinite); they are 0 when
 * there is no finite interval, which {@code count - essentialCount == 0} tells apart. Only the
 * landscape norms use {@code maxScale}, because a tent needs a finite death.
 *
 * <p>Complexity: O(n log n) plus the landscape construction (see {@link PersistenceLandscape}).
 * Numeric caveat: sums are plain left-to-right double sums.
 *
 * @param dimension homology dimension of the diagram
 * @param count number of intervals
 * @param essentialCount number of intervals with infinite death
 * @param totalPersistence sum of the lengths of the finite intervals
 * @param maxPersistence largest length of a finite interval (0 if none)
 * @param meanBirth mean birth of the finite intervals (0 if none)
 * @param meanDeath mean death of the finite intervals (0 if none)
 * @param entropy persistent entropy of the finite intervals, natural log (0 if none)
 * @param landscapeL1 integral of lambda_1
 * @param landscapeL2 square root of the integral of lambda_1 squared
 */
public record DiagramSummary(int dimension, int count, int essentialCount, double totalPersistence,
        double maxPersistence, double meanBirth, double meanDeath, double entropy, double landscapeL1,
        double landscapeL2) {

    /**
     * The summary of {@code diagram}; {@code maxScale} is where the landscape cuts essential
     * intervals (for a Vietoris–Rips result, {@link PersistenceResult#threshold()}).
     *
     * @throws TdaInputException if maxScale is NaN or infinite
     */
    public static DiagramSummary of(PersistenceDiagram diagram, double maxScale) {
        ClippedIntervals.requireMaxScale(maxScale);
        int n = diagram.size();
        int finite = 0;
        double total = 0;
        double max = 0;
        double birthSum = 0;
        double deathSum = 0;
        for (int i = 0; i < n; i++) {
            if (!diagram.isEssential(i)) {
                double length = diagram.persistence(i);
                finite++;
                total += length;
                max = Math.max(max, length);
                birthSum += diagram.birth(i);
                deathSum += diagram.death(i);
            }
        }
        PersistenceLandscape landscape = PersistenceLandscape.of(diagram, maxScale);
        return new DiagramSummary(diagram.dimension(), n, n - finite, total, max,
                finite == 0 ? 0 : birthSum / finite, finite == 0 ? 0 : deathSum / finite,
                PersistenceEntropy.ofFinite(diagram), landscape.levelNorm(1, PersistenceLandscape.Norm.L1),
                landscape.levelNorm(1, PersistenceLandscape.Norm.L2));
    }
}
