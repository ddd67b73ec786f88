package io.aura.tda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.aura.tda.PersistenceLandscape.Norm;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class PersistenceLandscapeTest {
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final double EPS = 1e-9;

    // ---- brute-force reference: the definition, and exact integration on all candidate breakpoints

    /** Finite intervals with essential deaths replaced by max(b, maxScale) and empty ones dropped. */
    private static double[][] clipped(PersistenceDiagram d, double maxScale) {
        double[] b = new double[d.size()];
        double[] e = new double[d.size()];
        int c = 0;
        for (int i = 0; i < d.size(); i++) {
            double death = d.isEssential(i) ? Math.max(d.birth(i), maxScale) : d.death(i);
            if (death > d.birth(i)) {
                b[c] = d.birth(i);
                e[c++] = death;
            }
        }
        return new double[][] {Arrays.copyOf(b, c), Arrays.copyOf(e, c)};
    }

    static double bruteLambda(double[][] iv, int k, double t) {
        double[] v = new double[iv[0].length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(0, Math.min(t - iv[0][i], iv[1][i] - t));
        }
        Arrays.sort(v);
        return k <= v.length ? v[v.length - k] : 0;
    }

    /** Every breakpoint of every lambda_k is an end, a midpoint, or a crossing (b_i + d_j) / 2. */
    static double[] candidates(double[][] iv) {
        int n = iv[0].length;
        double[] c = new double[3 * n + n * n];
        int p = 0;
        for (int i = 0; i < n; i++) {
            c[p++] = iv[0][i];
            c[p++] = iv[1][i];
            c[p++] = (iv[0][i] + iv[1][i]) / 2;
            for (int j = 0; j < n; j++) {
                c[p++] = (iv[0][i] + iv[1][j]) / 2;
            }
        }
        return Arrays.stream(c, 0, p).sorted().distinct().toArray();
    }

    /** Sum over k of the exact integral of |f_k - g_k|^p (p = 1, 2) or max |f_k - g_k| (p = inf). */
    static double bruteDistance(double[][] f, double[][] g, Norm norm) {
        double[] xs = Arrays.stream(concat(candidates(f), candidates(g))).sorted().distinct().toArray();
        int levels = Math.max(f[0].length, g[0].length);
        double acc = 0;
        for (int k = 1; k <= levels; k++) {
            for (int p = 0; p < xs.length; p++) {
                double u1 = bruteLambda(f, k, xs[p]) - bruteLambda(g, k, xs[p]);
                if (norm == Norm.LINF) {
                    acc = Math.max(acc, Math.abs(u1));
                } else if (p > 0) {
                    double u0 = bruteLambda(f, k, xs[p - 1]) - bruteLambda(g, k, xs[p - 1]);
                    acc += integrate(xs[p] - xs[p - 1], u0, u1, norm);
                }
            }
        }
        return norm == Norm.L2 ? Math.sqrt(acc) : acc;
    }

    /**
     * Integral over a piece of width w of |line|^p (p = 1, 2), by Simpson's rule on each side of the
     * zero crossing: exact for these polynomials, and independent of the closed forms the
     * implementation uses.
     */
    private static double integrate(double w, double u0, double u1, Norm norm) {
        if (u0 * u1 < 0) {
            double z = w * Math.abs(u0) / (Math.abs(u0) + Math.abs(u1));
            return simpson(z, u0, 0, norm) + simpson(w - z, 0, u1, norm);
        }
        return simpson(w, u0, u1, norm);
    }

    private static double simpson(double w, double u0, double u1, Norm norm) {
        double m = (u0 + u1) / 2;
        return norm == Norm.L1 ? w / 6 * (Math.abs(u0) + 4 * Math.abs(m) + Math.abs(u1))
                : w / 6 * (u0 * u0 + 4 * m * m + u1 * u1);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static final double[][] EMPTY = {new double[0], new double[0]};

    // ---- unit tests

    @Test
    void singleIntervalIsATent() {
        double b = 1.5;
        double d = 7.5;
        PersistenceLandscape l = PersistenceLandscape.of(RandomDiagrams.of(b, d), 100);
        assertThat(l.depth()).isEqualTo(1);
        double[][] bp = l.breakpoints(1);
        assertThat(bp[0]).containsExactly(1.5, 4.5, 7.5);
        assertThat(bp[1]).containsExactly(0, 3, 0);
        double h = (d - b) / 2;
        assertThat(l.levelNorm(1, Norm.L1)).isCloseTo((d - b) * (d - b) / 4, within(1e-12));
        assertThat(l.norm(Norm.L1)).isCloseTo(9.0, within(1e-12));
        assertThat(l.norm(Norm.LINF)).isEqualTo(3.0);
        assertThat(l.norm(Norm.L2)).isCloseTo(Math.sqrt(2 * h * h * h / 3), within(1e-12));
        assertThat(l.value(1, 2.5)).isCloseTo(1.0, within(1e-15));
        assertThat(l.value(1, 6)).isCloseTo(1.5, within(1e-15));
        assertThat(l.value(1, 0)).isZero();
        assertThat(l.value(1, 9)).isZero();
        assertThat(l.value(2, 4.5)).isZero();
        assertThat(l.breakpoints(2)[0]).isEmpty();
    }

    @Test
    void nestedIntervalsStack() {
        PersistenceLandscape l = PersistenceLandscape.of(RandomDiagrams.of(2, 6, 0, 10), 100);
        assertThat(l.depth()).isEqualTo(2);
        assertThat(l.breakpoints(1)[0]).containsExactly(0, 5, 10);
        assertThat(l.breakpoints(1)[1]).containsExactly(0, 5, 0);
        assertThat(l.breakpoints(2)[0]).containsExactly(2, 4, 6);
        assertThat(l.breakpoints(2)[1]).containsExactly(0, 2, 0);
        assertThat(l.levelNorm(1, Norm.L1)).isCloseTo(25, within(1e-12));
        assertThat(l.levelNorm(2, Norm.L1)).isCloseTo(4, within(1e-12));
        assertThat(l.norm(Norm.L1)).isCloseTo(29, within(1e-12));
        assertThat(l.norm(Norm.LINF)).isEqualTo(5);
        assertThat(l.levelNorm(2, Norm.LINF)).isEqualTo(2);
    }

    @Test
    void overlappingIntervalsCross() {
        PersistenceLandscape l = PersistenceLandscape.of(RandomDiagrams.of(0, 4, 2, 6), 100);
        assertThat(l.depth()).isEqualTo(2);
        assertThat(l.breakpoints(1)[0]).containsExactly(0, 2, 3, 4, 6);
        assertThat(l.breakpoints(1)[1]).containsExactly(0, 2, 1, 2, 0);
        assertThat(l.breakpoints(2)[0]).containsExactly(2, 3, 4);
        assertThat(l.breakpoints(2)[1]).containsExactly(0, 1, 0);
    }

    @Test
    void disjointIntervalsShareTheFirstLevel() {
        PersistenceLandscape l = PersistenceLandscape.of(RandomDiagrams.of(3, 5, 0, 2), 100);
        assertThat(l.depth()).isEqualTo(1);
        assertThat(l.breakpoints(1)[0]).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(l.breakpoints(1)[1]).containsExactly(0, 1, 0, 0, 1, 0);
        assertThat(l.value(1, 2.5)).isZero();
        assertThat(l.norm(Norm.L1)).isCloseTo(2, within(1e-12));
    }

    @Test
    void essentialIntervalsAreCutAtMaxScale() {
        PersistenceDiagram d = RandomDiagrams.of(1, INF, 8, INF, 2, 2);
        PersistenceLandscape l = PersistenceLandscape.of(d, 5);
        assertThat(l.depth()).isEqualTo(1); // [1,5); [8,inf) is born after maxScale; [2,2) is empty
        assertThat(l.breakpoints(1)[0]).containsExactly(1, 3, 5);
        assertThat(PersistenceLandscape.of(RandomDiagrams.of(), 5).depth()).isZero();
        assertThat(PersistenceLandscape.of(RandomDiagrams.of(), 5).norm(Norm.L2)).isZero();
    }

    @Test
    void distanceOfTwoShiftedTents() {
        PersistenceLandscape f = PersistenceLandscape.of(RandomDiagrams.of(0, 2), 10);
        PersistenceLandscape g = PersistenceLandscape.of(RandomDiagrams.of(1, 3), 10);
        // f - g = t on [0,1], 3 - 2t on [1,2], t - 3 on [2,3]
        assertThat(f.distance(g, Norm.L1)).isCloseTo(1.5, within(1e-12));
        assertThat(f.distance(g, Norm.L2)).isCloseTo(1.0, within(1e-12));
        assertThat(f.distance(g, Norm.LINF)).isCloseTo(1.0, within(1e-12));
        assertThat(g.distance(f, Norm.L1)).isCloseTo(1.5, within(1e-12));
        assertThat(f.distance(f, Norm.L1)).isZero();
        PersistenceLandscape empty = PersistenceLandscape.of(RandomDiagrams.of(), 10);
        assertThat(f.distance(empty, Norm.L1)).isCloseTo(f.norm(Norm.L1), within(1e-15));
        assertThat(empty.distance(f, Norm.L2)).isCloseTo(f.norm(Norm.L2), within(1e-15));
    }

    @Test
    void sampleOnAGrid() {
        PersistenceDiagram d = RandomDiagrams.of(0, 4, 2, 6);
        double[][] s = PersistenceLandscape.sample(d, 100, 3, new UniformGrid(0, 6, 7));
        assertThat(s[0]).containsExactly(0, 1, 2, 1, 2, 1, 0);
        assertThat(s[1]).containsExactly(0, 0, 0, 1, 0, 0, 0);
        assertThat(s[2]).containsOnly(0);
    }

    @Test
    void rejectsBadInput() {
        PersistenceDiagram d = RandomDiagrams.of(0, 1);
        PersistenceLandscape l = PersistenceLandscape.of(d, 1);
        assertThatThrownBy(() -> PersistenceLandscape.of(d, Double.NaN)).isInstanceOf(TdaInputException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> l.value(0, 1)).isInstanceOf(TdaInputException.class).hasMessageContaining("got 0");
        assertThatThrownBy(() -> l.value(1, Double.NaN)).isInstanceOf(TdaInputException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> PersistenceLandscape.sample(d, 1, 0, new UniformGrid(0, 1, 2)))
                .isInstanceOf(TdaInputException.class).hasMessageContaining("got 0");
        assertThatThrownBy(() -> l.levelNorm(-2, Norm.L1)).isInstanceOf(TdaInputException.class)
                .hasMessageContaining("-2");
    }

    // ---- seeded property tests against the brute-force definition

    @Property(tries = 300, seed = "1515")
    void samplesMatchTheDefinition(@ForAll long seed) {
        PersistenceDiagram d = RandomDiagrams.random(seed, 25, 0.1);
        double maxScale = 9;
        double[][] iv = clipped(d, maxScale);
        UniformGrid grid = new UniformGrid(-3, 14, 69); // quarter steps hit coarse ends and midpoints
        int levels = 6;
        double[][] direct = PersistenceLandscape.sample(d, maxScale, levels, grid);
        double[][] viaBreakpoints = PersistenceLandscape.of(d, maxScale).sample(levels, grid);
        for (int k = 1; k <= levels; k++) {
            for (int j = 0; j < grid.samples(); j++) {
                double expected = bruteLambda(iv, k, grid.at(j));
                assertThat(direct[k - 1][j]).as("k=%d t=%s", k, grid.at(j)).isEqualTo(expected);
                assertThat(viaBreakpoints[k - 1][j]).as("k=%d t=%s", k, grid.at(j)).isCloseTo(expected, within(EPS));
            }
        }
    }

    @Property(tries = 300, seed = "2718")
    void exactLandscapeMatchesTheDefinitionEverywhere(@ForAll long seed) {
        PersistenceDiagram d = RandomDiagrams.random(seed, 25, 0.1);
        double maxScale = 7.5;
        double[][] iv = clipped(d, maxScale);
        PersistenceLandscape l = PersistenceLandscape.of(d, maxScale);
        // depth = the largest number of intervals whose interiors share a point
        int maxOverlap = 0;
        for (double t : candidates(iv)) {
            for (double s : new double[] {t, Math.nextUp(t)}) {
                int c = 0;
                for (int i = 0; i < iv[0].length; i++) {
                    if (iv[0][i] < s && s < iv[1][i]) {
                        c++;
                    }
                }
                maxOverlap = Math.max(maxOverlap, c);
            }
        }
        assertThat(l.depth()).isEqualTo(maxOverlap);
        Random rnd = new Random(seed);
        double[] probes = concat(candidates(iv), rnd.doubles(50, -3, 14).toArray());
        for (int k = 1; k <= l.depth() + 1; k++) {
            double[][] bp = l.breakpoints(k);
            for (int p = 1; p < bp[0].length; p++) {
                assertThat(bp[0][p]).isGreaterThanOrEqualTo(bp[0][p - 1]);
            }
            for (double t : probes) {
                assertThat(l.value(k, t)).as("k=%d t=%s", k, t).isCloseTo(bruteLambda(iv, k, t), within(EPS));
                if (k > 1) {
                    assertThat(l.value(k, t)).isLessThanOrEqualTo(l.value(k - 1, t) + EPS);
                }
            }
        }
    }

    @Property(tries = 200, seed = "31337")
    void normsAreExactIntegrals(@ForAll long seed) {
        PersistenceDiagram d = RandomDiagrams.random(seed, 20, 0.1);
        double maxScale = 8;
        double[][] iv = clipped(d, maxScale);
        PersistenceLandscape l = PersistenceLandscape.of(d, maxScale);
        for (Norm norm : Norm.values()) {
            double expected = bruteDistance(iv, EMPTY, norm);
            assertThat(l.norm(norm)).as("%s", norm).isCloseTo(expected, within(EPS * (1 + expected)));
        }
        double sumL1 = 0;
        for (int k = 1; k <= l.depth(); k++) {
            sumL1 += l.levelNorm(k, Norm.L1);
        }
        assertThat(sumL1).isCloseTo(l.norm(Norm.L1), within(1e-12 * (1 + sumL1)));
    }

    @Property(tries = 200, seed = "4242")
    void distancesAreExactAndAMetric(@ForAll long seed) {
        double maxScale = 8;
        PersistenceDiagram a = RandomDiagrams.random(seed, 15, 0.1);
        PersistenceDiagram b = RandomDiagrams.random(seed * 31 + 1, 15, 0.1);
        PersistenceDiagram c = RandomDiagrams.random(seed * 17 + 5, 15, 0.1);
        PersistenceLandscape la = PersistenceLandscape.of(a, maxScale);
        PersistenceLandscape lb = PersistenceLandscape.of(b, maxScale);
        PersistenceLandscape lc = PersistenceLandscape.of(c, maxScale);
        for (Norm norm : Norm.values()) {
            double ab = la.distance(lb, norm);
            double expected = bruteDistance(clipped(a, maxScale), clipped(b, maxScale), norm);
            assertThat(ab).as("%s", norm).isCloseTo(expected, within(EPS * (1 + expected)));
            assertThat(lb.distance(la, norm)).isCloseTo(ab, within(1e-12 * (1 + ab)));
            assertThat(la.distance(la, norm)).isZero();
            assertThat(la.distance(lc, norm)).isLessThanOrEqualTo(ab + lb.distance(lc, norm) + 1e-9);
            // level by level: summed (L1), root of the summed squares (L2), maximum (LINF); each level
            // at least the difference of the level norms
            double acc = 0;
            for (int k = 1; k <= Math.max(la.depth(), lb.depth()) + 1; k++) {
                double dk = la.levelDistance(lb, k, norm);
                assertThat(dk).isGreaterThanOrEqualTo(Math.abs(la.levelNorm(k, norm) - lb.levelNorm(k, norm)) - 1e-9);
                acc = norm == Norm.LINF ? Math.max(acc, dk) : acc + (norm == Norm.L2 ? dk * dk : dk);
            }
            double whole = norm == Norm.L2 ? Math.sqrt(acc) : acc;
            assertThat(whole).as("%s by level", norm).isCloseTo(ab, within(1e-9 * (1 + ab)));
        }
        assertThatThrownBy(() -> la.levelDistance(lb, 0, Norm.L2)).isInstanceOf(TdaInputException.class);
    }
}
