package io.aura.tda;

import java.util.Arrays;

/**
 * Betti numbers read off persistence diagrams.
 *
 * <p>Definition: the Betti number of a diagram D at scale t is
 * beta(t) = #{ i : b_i <= t < d_i }, the number of intervals whose half-open interval [b_i, d_i)
 * contains t. This is the convention of the diagrams themselves: a class born at b is present in
 * the sublevel complex K_b = { simplices of diameter <= b } and a class dying at d is gone from
 * K_d, so by the structure theorem of persistent homology beta(t) = rank H_k(K_t) for a filtration
 * whose diagram is D (Edelsbrunner &amp; Harer, "Computational Topology: An Introduction", AMS 2010,
 * VII.1; Zomorodian &amp; Carlsson, "Computing persistent homology", DCG 33, 2005). Consequences:
 * an essential interval [b, +Infinity) counts for every finite t >= b; a zero-length interval
 * [b, b) never counts.
 *
 * <p>The Betti curve on a {@link UniformGrid} uses beta(t) = #{ b_i <= t } - #{ d_i <= t }, which
 * equals the definition because b_i <= d_i; with the births and the deaths sorted once, each grid
 * point costs two binary searches.
 *
 * <p>Complexity: {@link #at(PersistenceDiagram, double)} is O(n); {@link #curve} is
 * O((n + m) log n) time and O(n + m) memory for n intervals and m samples. Exact: only comparisons
 * of doubles are made, no arithmetic on the interval ends.
 *
 * <p>Thread-safe: stateless.
 */
public final class BettiNumbers {
    private BettiNumbers() {
    }

    /**
     * beta(t) = #{ i : birth_i <= t < death_i }.
     *
     * @throws TdaInputException if t is NaN
     */
    public static int at(PersistenceDiagram diagram, double t) {
        requireScale(t);
        int count = 0;
        int n = diagram.size();
        for (int i = 0; i < n; i++) {
            if (diagram.birth(i) <= t && t < diagram.death(i)) {
                count++;
            }
        }
        return count;
    }

    /**
     * The Betti numbers of every dimension of {@code result} at scale t: element k is beta_k(t) of
     * {@code result.diagram(k)}.
     *
     * @throws TdaInputException if t is NaN
     */
    public static int[] at(PersistenceResult result, double t) {
        requireScale(t);
        int[] betti = new int[result.diagrams().size()];
        for (int k = 0; k < betti.length; k++) {
            betti[k] = at(result.diagram(k), t);
        }
        return betti;
    }

    /**
     * The Betti curve: element j is beta(t_j) at grid point {@code grid.at(j)}.
     * O((n + m) log n).
     */
    public static int[] curve(PersistenceDiagram diagram, UniformGrid grid) {
        double[] births = diagram.births();
        double[] deaths = diagram.deaths();
        Arrays.sort(births);
        Arrays.sort(deaths);
        double[] t = grid.points();
        int[] betti = new int[t.length];
        for (int j = 0; j < t.length; j++) {
            betti[j] = countAtMost(births, t[j]) - countAtMost(deaths, t[j]);
        }
        return betti;
    }

    /** The Betti curve on {@code new UniformGrid(tMin, tMax, samples)}. */
    public static int[] curve(PersistenceDiagram diagram, double tMin, double tMax, int samples) {
        return curve(diagram, new UniformGrid(tMin, tMax, samples));
    }

    /** Number of entries of the ascending array {@code sorted} that are {@code <= x}. */
    static int countAtMost(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static void requireScale(double t) {
        if (Double.isNaN(t)) {
            throw new TdaInputException("scale t is NaN; a Betti number needs a scale that is a number");
        }
    }
}
