package io.aura.tda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class BottleneckDistanceTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    // ---- brute force: every partial matching of the finite points, essentials by exhaustive search

    static double brute(PersistenceDiagram x, PersistenceDiagram y) {
        double[][] xf = finite(x);
        double[][] yf = finite(y);
        double[] xe = essentialBirths(x);
        double[] ye = essentialBirths(y);
        if (xe.length != ye.length) {
            return INF;
        }
        double essential = bestEssential(xe, ye, 0, new boolean[ye.length], 0);
        return Math.max(essential, bestFinite(xf, yf, 0, new boolean[yf[0].length], 0));
    }

    /** Least cost over matchings of points i.. of x, each to an unused point of y or to the diagonal. */
    private static double bestFinite(double[][] x, double[][] y, int i, boolean[] used, double soFar) {
        if (i == x[0].length) {
            double cost = soFar;
            for (int j = 0; j < used.length; j++) {
                if (!used[j]) {
                    cost = Math.max(cost, (y[1][j] - y[0][j]) / 2);
                }
            }
            return cost;
        }
        double best = bestFinite(x, y, i + 1, used, Math.max(soFar, (x[1][i] - x[0][i]) / 2));
        for (int j = 0; j < used.length; j++) {
            if (!used[j]) {
                used[j] = true;
                double c = Math.max(Math.abs(x[0][i] - y[0][j]), Math.abs(x[1][i] - y[1][j]));
                best = Math.min(best, bestFinite(x, y, i + 1, used, Math.max(soFar, c)));
                used[j] = false;
            }
        }
        return best;
    }

    private static double bestEssential(double[] x, double[] y, int i, boolean[] used, double soFar) {
        if (i == x.length) {
            return soFar;
        }
        double best = INF;
        for (int j = 0; j < y.length; j++) {
            if (!used[j]) {
                used[j] = true;
                best = Math.min(best, bestEssential(x, y, i + 1, used, Math.max(soFar, Math.abs(x[i] - y[j]))));
                used[j] = false;
            }
        }
        return best;
    }

    private static double[][] finite(PersistenceDiagram d) {
        int n = d.size() - d.essentialCount();
        double[][] f = new double[2][n];
        for (int i = 0, c = 0; i < d.size(); i++) {
            if (!d.isEssential(i)) {
                f[0][c] = d.birth(i);
                f[1][c++] = d.death(i);
            }
        }
        return f;
    }

    private static double[] essentialBirths(PersistenceDiagram d) {
        double[] e = new double[d.essentialCount()];
        for (int i = 0, c = 0; i < d.size(); i++) {
            if (d.isEssential(i)) {
                e[c++] = d.birth(i);
            }
        }
        return e;
    }

    /** Up to 5 points; essentials (0..2 of them) in the same number in both when {@code sameEssentials}. */
    private static PersistenceDiagram tiny(Random rnd, int essentials) {
        int n = rnd.nextInt(6);
        boolean coarse = rnd.nextBoolean();
        double[] b = new double[n + essentials];
        double[] d = new double[n + essentials];
        for (int i = 0; i < b.length; i++) {
            b[i] = coarse ? rnd.nextInt(6) : rnd.nextDouble() * 6;
            d[i] = i < n ? b[i] + (coarse ? rnd.nextInt(5) : rnd.nextDouble() * rnd.nextDouble() * 6) : INF;
        }
        // shuffle so essential intervals are not always last
        for (int i = b.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            double t = b[i];
            b[i] = b[j];
            b[j] = t;
            t = d[i];
            d[i] = d[j];
            d[j] = t;
        }
        return new PersistenceDiagram(1, b, d);
    }

    // ---- unit tests

    @Test
    void knownSmallCases() {
        PersistenceDiagram empty = RandomDiagrams.of();
        PersistenceDiagram a = RandomDiagrams.of(0, 4);
        assertThat(BottleneckDistance.distance(empty, empty)).isZero();
        assertThat(BottleneckDistance.distance(a, empty)).isEqualTo(2); // to the diagonal
        assertThat(BottleneckDistance.distance(a, RandomDiagrams.of(1, 5))).isEqualTo(1); // matched
        assertThat(BottleneckDistance.distance(a, RandomDiagrams.of(0, 10))).isEqualTo(5); // both to the diagonal
        assertThat(BottleneckDistance.distance(RandomDiagrams.of(0, 4, 10, 11), RandomDiagrams.of(0.5, 4.25)))
                .isEqualTo(0.5);
        assertThat(BottleneckDistance.distance(RandomDiagrams.of(0, INF, 1, 2), RandomDiagrams.of(3, INF)))
                .isEqualTo(3);
        assertThat(BottleneckDistance.distance(RandomDiagrams.of(0, INF), RandomDiagrams.of(0, 1)))
                .isEqualTo(INF);
        assertThat(BottleneckDistance.distance(RandomDiagrams.of(0, INF, 5, INF), RandomDiagrams.of(4, INF, 1, INF)))
                .isEqualTo(1); // by birth order: 0-1, 5-4
    }

    @Test
    void distanceToItselfIsZero() {
        PersistenceDiagram d = RandomDiagrams.of(0, 1, 0, 1, 2, 5, 3, 3, 0, INF);
        assertThat(BottleneckDistance.distance(d, d)).isZero();
        BottleneckDistance.Matching m = BottleneckDistance.matching(d, d);
        assertThat(m.distance()).isZero();
        assertThat(m.pairs()).allSatisfy(p -> assertThat(p.cost()).isZero());
    }

    @Test
    void matchingListsEveryIntervalOnce() {
        PersistenceDiagram x = RandomDiagrams.of(0, 4, 10, 11, 0, INF);
        PersistenceDiagram y = RandomDiagrams.of(2, INF, 0.5, 4.25, 7, 7.5);
        BottleneckDistance.Matching m = BottleneckDistance.matching(x, y);
        assertThat(m.distance()).isEqualTo(2);
        assertThat(m.pairs()).containsExactly(
                new BottleneckDistance.Pair(0, 1, 0.5),
                new BottleneckDistance.Pair(1, BottleneckDistance.DIAGONAL, 0.5),
                new BottleneckDistance.Pair(2, 0, 2),
                new BottleneckDistance.Pair(BottleneckDistance.DIAGONAL, 2, 0.25));
    }

    @Test
    void surplusEssentialsGoToTheDiagonalAtInfiniteCost() {
        BottleneckDistance.Matching m = BottleneckDistance.matching(RandomDiagrams.of(0, INF, 1, INF), RandomDiagrams.of(
                0.5, INF));
        assertThat(m.distance()).isEqualTo(INF);
        assertThat(m.pairs()).containsExactly(new BottleneckDistance.Pair(0, 0, 0.5),
                new BottleneckDistance.Pair(1, BottleneckDistance.DIAGONAL, INF));
    }

    @Test
    void rejectsDiagramsOfDifferentDimensions() {
        PersistenceDiagram h0 = RandomDiagrams.ofDimension(0, 0, 1);
        PersistenceDiagram h1 = RandomDiagrams.ofDimension(1, 0, 1);
        assertThatThrownBy(() -> BottleneckDistance.distance(h0, h1)).isInstanceOf(TdaInputException.class)
                .hasMessageContaining("dimension 0").hasMessageContaining("dimension 1");
    }

    // ---- seeded property tests

    @Property(tries = 400, seed = "8080")
    void equalsBruteForceOnTinyDiagrams(@ForAll long seed) {
        Random rnd = new Random(seed);
        int essentials = rnd.nextInt(3);
        PersistenceDiagram x = tiny(rnd, essentials);
        PersistenceDiagram y = tiny(rnd, rnd.nextInt(8) == 0 ? rnd.nextInt(3) : essentials);
        double expected = brute(x, y);
        assertThat(BottleneckDistance.distance(x, y)).isEqualTo(expected);
        BottleneckDistance.Matching m = BottleneckDistance.matching(x, y);
        assertThat(m.distance()).isEqualTo(expected);
        // the matching is a valid one whose cost is the distance
        boolean[] seenX = new boolean[x.size()];
        boolean[] seenY = new boolean[y.size()];
        double max = 0;
        for (BottleneckDistance.Pair p : m.pairs()) {
            if (p.first() != BottleneckDistance.DIAGONAL) {
                assertThat(seenX[p.first()]).isFalse();
                seenX[p.first()] = true;
            }
            if (p.second() != BottleneckDistance.DIAGONAL) {
                assertThat(seenY[p.second()]).isFalse();
                seenY[p.second()] = true;
            }
            max = Math.max(max, p.cost());
        }
        assertThat(seenX).doesNotContain(false);
        assertThat(seenY).doesNotContain(false);
        if (x.size() + y.size() > 0) {
            assertThat(max).isEqualTo(expected);
        }
    }

    @Property(tries = 200, seed = "99")
    void symmetricAndTriangleInequality(@ForAll long seed) {
        PersistenceDiagram a = RandomDiagrams.random(seed, 30, 0);
        PersistenceDiagram b = RandomDiagrams.random(seed * 7 + 3, 30, 0);
        PersistenceDiagram c = RandomDiagrams.random(seed * 13 + 11, 30, 0);
        double ab = BottleneckDistance.distance(a, b);
        double bc = BottleneckDistance.distance(b, c);
        double ac = BottleneckDistance.distance(a, c);
        assertThat(BottleneckDistance.distance(b, a)).isEqualTo(ab);
        assertThat(BottleneckDistance.distance(a, a)).isZero();
        assertThat(ac).isLessThanOrEqualTo(ab + bc + 1e-12);
    }

    @Property(tries = 100, seed = "5")
    void stableUnderSmallPerturbations(@ForAll long seed) {
        // moving every point by at most eps in L-infinity moves the diagram by at most eps
        PersistenceDiagram a = RandomDiagrams.random(seed, 60, 0.1);
        Random rnd = new Random(seed);
        double eps = 0.05;
        double[] b = a.births();
        double[] d = a.deaths();
        for (int i = 0; i < b.length; i++) {
            b[i] += (rnd.nextDouble() * 2 - 1) * eps;
            if (d[i] != INF) {
                d[i] = Math.max(b[i], d[i] + (rnd.nextDouble() * 2 - 1) * eps);
            }
        }
        double dist = BottleneckDistance.distance(a, new PersistenceDiagram(1, b, d));
        assertThat(dist).isLessThanOrEqualTo(eps + 1e-12);
    }
}
