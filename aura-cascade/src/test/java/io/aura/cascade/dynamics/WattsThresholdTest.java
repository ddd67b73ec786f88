package io.aura.cascade.dynamics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.graph.BarabasiAlbert;
import io.aura.cascade.graph.ServiceGraph;
import io.aura.cascade.graph.UndirectedGraph;
import io.aura.cascade.graph.WattsStrogatz;
import io.aura.cascade.random.SplitMix64;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class WattsThresholdTest {
    /** Brute force: synchronous rounds recomputing every node's active fraction from scratch. */
    private static int[] bruteForce(UndirectedGraph g, double[] phi, int[] seeds) {
        int n = g.nodeCount();
        int[] round = new int[n];
        Arrays.fill(round, -1);
        for (int s : seeds) {
            round[s] = 0;
        }
        for (int t = 1;; t++) {
            int[] next = round.clone();
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                if (round[i] >= 0 || g.degree(i) == 0) {
                    continue;
                }
                int act = 0;
                for (int k = 0; k < g.degree(i); k++) {
                    act += round[g.neighbour(i, k)] >= 0 ? 1 : 0;
                }
                if ((double) act / g.degree(i) >= phi[i]) {
                    next[i] = t;
                    changed = true;
                }
            }
            round = next;
            if (!changed) {
                return round;
            }
        }
    }

    @Property(tries = 50)
    void matchesBruteForce(@ForAll @IntRange(min = 6, max = 300) int n, @ForAll long seed,
            @ForAll @DoubleRange(min = 0.05, max = 0.5) double phiMean) {
        UndirectedGraph g = WattsStrogatz.undirected(n, 4, 0.2, new SplitMix64(seed));
        WattsThreshold.Result r = WattsThreshold.run(g, phiMean, 0.1, 0.02, new SplitMix64(seed + 1));
        // replay the same draws to get φ and the seeds
        SplitMix64 rng = new SplitMix64(seed + 1);
        double[] phi = new double[n];
        for (int i = 0; i < n; i++) {
            double x;
            do {
                x = phiMean + 0.1 * rng.nextGaussian();
            } while (x < 0 || x > 1);
            phi[i] = x;
        }
        int k = (int) Math.rint(0.02 * n);
        int[] seeds = new int[k];
        boolean[] taken = new boolean[n];
        for (int c = 0; c < k;) {
            int v = rng.nextInt(n);
            if (!taken[v]) {
                taken[v] = true;
                seeds[c++] = v;
            }
        }
        assertThat(r.activationRound()).isEqualTo(bruteForce(g, phi, seeds));
    }

    @Test
    void lowThresholdsCascadeGloballyHighOnesDoNot() {
        UndirectedGraph g = BarabasiAlbert.undirected(20_000, 2, new SplitMix64(1));
        // φ = 0.18: degree-2..5 nodes are vulnerable (one active neighbour of ≤ 5 suffices)
        assertThat(WattsThreshold.run(g, 0.18, 0.0, 0.001, new SplitMix64(2)).activeFraction()).isGreaterThan(0.9);
        assertThat(WattsThreshold.run(g, 0.6, 0.0, 0.001, new SplitMix64(2)).activeFraction()).isLessThan(0.01);
    }

    @Test
    void serviceGraphFailuresSpreadToCallers() {
        ServiceGraph g = BarabasiAlbert.directed(2000, 2, new SplitMix64(4));
        WattsThreshold.Result r = WattsThreshold.run(g, 0.3, 0.05, 0.01, new SplitMix64(5));
        for (int v = 0; v < g.nodeCount(); v++) {
            if (r.activationRound()[v] > 0) {
                // some callee failed in an earlier round
                boolean cause = false;
                for (int e : g.outEdges(v)) {
                    int ar = r.activationRound()[g.target(e)];
                    cause |= ar >= 0 && ar < r.activationRound()[v];
                }
                assertThat(cause).isTrue();
            }
        }
    }

    @Test
    void badParameters() {
        UndirectedGraph g = BarabasiAlbert.undirected(10, 2, new SplitMix64(1));
        assertThatThrownBy(() -> WattsThreshold.run(g, 1.2, 0.1, 0.1, new SplitMix64(1)))
                .isInstanceOf(CascadeInputException.class).hasMessageContaining("1.2");
        assertThatThrownBy(() -> WattsThreshold.run(g, 0.2, 0.1, -0.1, new SplitMix64(1)))
                .isInstanceOf(CascadeInputException.class).hasMessageContaining("-0.1");
    }
}
