package io.aura.cascade.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.aura.cascade.random.Streams;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The draws of ALI(N), spec 2a3 steps 1–6, one parameter at a time, on one ALI(20 000) graph
 * (≈ 70 000 edges). Each tolerance is about 4 standard errors and each check separates the spec's
 * parameter from a plausible mis-parameterisation: LogNormal by mean instead of median, σ² instead
 * of σ, the out-degree cap applied before the +1, layers ∝ 2^ℓ, uniform instead of preferential
 * callees, an uncapped back-edge π, U{2..4} or U{2..6} multiplicities, a non-Zipf entry mix, a
 * demand in the wrong unit.
 */
class AlibabaLikeDistributionTest {
    private static final int N = 20_000;
    private static final ServiceGraph G = AlibabaLike.ali(N, new Streams(11).graph());

    @Test
    void rolesAndLeafKinds() {
        int entries = 0;
        int middles = 0;
        int[] leafKind = new int[3];
        for (int v = 0; v < N; v++) {
            switch (G.role(v)) {
                case ENTRY -> entries++;
                case MIDDLE -> middles++;
                case LEAF_STATELESS -> leafKind[0]++;
                case LEAF_CACHE -> leafKind[1]++;
                case LEAF_DB -> leafKind[2]++;
                default -> throw new AssertionError(G.role(v));
            }
        }
        int leaves = leafKind[0] + leafKind[1] + leafKind[2];
        assertThat(entries).isEqualTo(2600);
        assertThat(leaves).isEqualTo(7800);
        assertThat(middles).isEqualTo(9600);
        for (int k : leafKind) {
            assertThat(k / (double) leaves).isCloseTo(1.0 / 3, within(0.022));
        }
    }

    @Test
    void middleLayersFollowHalfToTheL() {
        int[] count = new int[7];
        int middles = 0;
        for (int v = 0; v < N; v++) {
            if (G.role(v) == ServiceGraph.Role.MIDDLE) {
                count[G.layer(v)]++;
                middles++;
            } else {
                assertThat(G.layer(v)).isEqualTo(G.role(v) == ServiceGraph.Role.ENTRY ? 0 : 6);
            }
        }
        for (int l = 1; l <= 5; l++) {
            double expected = Math.pow(0.5, l) / (1 - Math.pow(0.5, 5));
            assertThat(count[l] / (double) middles).as("layer %d", l).isCloseTo(expected, within(0.021));
        }
    }

    /**
     * k = 1 + floor(LogNormal(ln 4.5, 0.9)) capped at 10: E[k] = 5.616 and P(k = 1) = Φ(−ln 4.5 / 0.9)
     * = 0.0473 (by the pmf of the floored LogNormal). A caller's forward out-degree is k thinned by the
     * 2% back-edge reversal: mean 0.98·5.616 = 5.504, P(1) ≈ 0.0473·0.98 + P(k = 2)·2·0.02·0.98 = 0.0517.
     * Parameterised by the mean, E[k] is 4.37; with σ² = 0.81 as σ, P(k = 1) = 0.032; capped before
     * the +1, E[k] = 5.80 and k reaches 11.
     */
    @Test
    void outDegreeIsOnePlusFlooredLogNormalCappedAtTen() {
        long sum = 0;
        int callers = 0;
        int ones = 0;
        for (int v = 0; v < N; v++) {
            if (G.role(v).isLeaf()) {
                continue;
            }
            int forward = 0;
            for (int e : G.outEdges(v)) {
                forward += G.layer(G.target(e)) > G.layer(v) ? 1 : 0;
            }
            assertThat(forward).isBetween(0, 10);
            sum += forward;
            ones += forward == 1 ? 1 : 0;
            callers++;
        }
        assertThat(sum / (double) callers).isCloseTo(0.98 * 5.616, within(0.1));
        assertThat(ones / (double) callers).isCloseTo(0.0517, within(0.008));
    }

    /**
     * Callees ∝ (in-degree + 1): the leaves' in-degrees are over-dispersed (a Pólya urn gives a
     * variance of about mean·(1 + mean)); a uniform choice gives variance ≈ mean.
     */
    @Test
    void calleesArePreferential() {
        double s = 0;
        double s2 = 0;
        int leaves = 0;
        for (int v = 0; v < N; v++) {
            if (G.role(v).isLeaf()) {
                int forwardIn = 0;
                for (int e : G.inEdges(v)) {
                    forwardIn += G.layer(G.source(e)) < G.layer(v) ? 1 : 0;
                }
                s += forwardIn;
                s2 += (double) forwardIn * forwardIn;
                leaves++;
            }
        }
        double mean = s / leaves;
        double var = s2 / leaves - mean * mean;
        assertThat(var / mean).as("variance / mean of leaf in-degree (mean %.2f)", mean).isGreaterThan(0.5 * (1 + mean));
    }

    @Test
    void multiplicityInvocationProbabilityBackEdgesAndTypes() {
        int m = G.edgeCount();
        int[] mult = new int[7];
        int back = 0;
        int forward = 0;
        int piOne = 0;
        double piSum = 0;
        int piPartial = 0;
        double backPiSum = 0;
        int nonStore = 0;
        int async = 0;
        for (int e = 0; e < m; e++) {
            assertThat(G.multiplicityMax(e)).isEqualTo(G.multiplicityMin(e));
            int k = G.multiplicityMin(e);
            assertThat(k).isBetween(1, 5);
            mult[k]++;
            double pi = G.invocationProbability(e);
            int u = G.source(e);
            int v = G.target(e);
            if (G.layer(u) >= G.layer(v)) {
                back++;
                assertThat(pi).isGreaterThan(0.0).isLessThanOrEqualTo(0.1);
                backPiSum += pi;
            } else {
                forward++;
                if (pi == 1.0) {
                    piOne++;
                } else {
                    assertThat(pi).isBetween(0.1, 0.9);
                    piSum += pi;
                    piPartial++;
                }
            }
            ServiceGraph.Role callee = G.role(v);
            ServiceGraph.EdgeType type = G.edgeType(e);
            if (callee == ServiceGraph.Role.LEAF_DB) {
                assertThat(type).isEqualTo(ServiceGraph.EdgeType.DB);
            } else if (callee == ServiceGraph.Role.LEAF_CACHE) {
                assertThat(type).isEqualTo(ServiceGraph.EdgeType.MC);
            } else {
                assertThat(type).isIn(ServiceGraph.EdgeType.RPC, ServiceGraph.EdgeType.ASYNC);
                nonStore++;
                async += type == ServiceGraph.EdgeType.ASYNC ? 1 : 0;
            }
        }
        assertThat(mult[1] / (double) m).isCloseTo(0.838, within(0.006));
        for (int k = 2; k <= 5; k++) {
            assertThat(mult[k] / (double) m).as("P(m = %d)", k).isCloseTo(0.162 / 4, within(0.004));
        }
        assertThat(back / (double) m).isCloseTo(0.02, within(0.003));
        assertThat(backPiSum / back).isCloseTo(0.05, within(0.008));
        assertThat(piOne / (double) forward).isCloseTo(0.6, within(0.008));
        assertThat(piSum / piPartial).isCloseTo(0.5, within(0.01));
        assertThat(async / (double) nonStore).isCloseTo(10.0 / 95, within(0.01));
    }

    @Test
    void entrySharesAreZipfOne() {
        double[] shares = new double[2600];
        int c = 0;
        for (int v = 0; v < N; v++) {
            if (G.role(v) == ServiceGraph.Role.ENTRY) {
                shares[c++] = G.entryShare(v);
            } else {
                assertThat(G.entryShare(v)).isZero();
            }
        }
        Arrays.sort(shares);
        double h = 0;
        for (int r = 1; r <= c; r++) {
            h += 1.0 / r;
        }
        for (int r = 1; r <= c; r++) {
            assertThat(shares[c - r]).isCloseTo(1.0 / (r * h), within(1e-12));
        }
    }

    /** d ~ LogNormal(ln 2 ms, 1.0) in ns: median 2 ms, standard deviation of ln d equal to 1. */
    @Test
    void demandIsLogNormalWithMedianTwoMilliseconds() {
        double[] ln = new double[N];
        double s = 0;
        for (int v = 0; v < N; v++) {
            ln[v] = Math.log(G.cpuDemandNs(v));
            s += ln[v];
        }
        double mean = s / N;
        double ss = 0;
        for (double x : ln) {
            ss += (x - mean) * (x - mean);
        }
        assertThat(mean).isCloseTo(Math.log(2_000_000.0), within(0.03));
        assertThat(Math.sqrt(ss / (N - 1))).isCloseTo(1.0, within(0.025));
    }
}
