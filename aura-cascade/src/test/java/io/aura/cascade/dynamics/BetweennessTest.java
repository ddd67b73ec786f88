package io.aura.cascade.dynamics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.aura.cascade.graph.BarabasiAlbert;
import io.aura.cascade.graph.UndirectedGraph;
import io.aura.cascade.graph.WattsStrogatz;
import io.aura.cascade.random.SplitMix64;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BetweennessTest {
    private static UndirectedGraph graph(int n, int... pairs) {
        int[] u = new int[pairs.length / 2];
        int[] v = new int[pairs.length / 2];
        for (int i = 0; i < u.length; i++) {
            u[i] = pairs[2 * i];
            v[i] = pairs[2 * i + 1];
        }
        return UndirectedGraph.fromEdges(n, u, v, u.length);
    }

    @Test
    void pathAndStarCountOrderedPairs() {
        // path 0-1-2: node 1 is on (0,2) and (2,0)
        assertThat(Betweenness.exact(graph(3, 0, 1, 1, 2))).containsExactly(0.0, 2.0, 0.0);
        // star with centre 0 and 4 leaves: 4·3 ordered leaf pairs
        assertThat(Betweenness.exact(graph(5, 0, 1, 0, 2, 0, 3, 0, 4))[0]).isEqualTo(12.0);
        // 4-cycle: each pair of opposite nodes has 2 shortest paths; each node gets 2 · 1/2 = 1
        assertThat(Betweenness.exact(graph(4, 0, 1, 1, 2, 2, 3, 3, 0))).containsExactly(1.0, 1.0, 1.0, 1.0);
        // two components: no cross-component contribution
        assertThat(Betweenness.exact(graph(6, 0, 1, 1, 2, 3, 4, 4, 5))).containsExactly(0.0, 2.0, 0.0, 0.0, 2.0, 0.0);
    }

    @Property(tries = 40)
    void brandesMatchesBruteForceOnRandomGraphs(@ForAll @IntRange(min = 3, max = 40) int n,
            @ForAll @IntRange(min = 1, max = 3) int m, @ForAll long seed) {
        UndirectedGraph g = (seed & 1) == 0 && n > m
                ? BarabasiAlbert.undirected(Math.max(n, m + 1), m, new SplitMix64(seed))
                : WattsStrogatz.undirected(Math.max(n, 5), 4, 0.3, new SplitMix64(seed));
        boolean[] alive = new boolean[g.nodeCount()];
        Arrays.fill(alive, true);
        double[] ref = ReferenceBetweenness.of(g, alive);
        double[] got = Betweenness.exact(g);
        for (int i = 0; i < ref.length; i++) {
            assertThat(got[i]).isCloseTo(ref[i], within(1e-9 * Math.max(1, ref[i])));
        }
    }

    @Test
    void allPivotsGiveTheExactValuesAndFewPivotsAnEstimate() {
        UndirectedGraph g = BarabasiAlbert.undirected(2000, 3, new SplitMix64(5));
        double[] exact = Betweenness.exact(g);
        int[] all = Betweenness.pivots(g.nodeCount(), 5000, new SplitMix64(1));
        assertThat(all).hasSize(2000);
        double[] full = Betweenness.pivotSampled(g, all);
        for (int i = 0; i < exact.length; i++) {
            assertThat(full[i]).isCloseTo(exact[i], within(1e-9 * Math.max(1, exact[i])));
        }
        int[] piv = Betweenness.pivots(g.nodeCount(), 256, new SplitMix64(1));
        assertThat(piv).hasSize(256).isSorted().doesNotHaveDuplicates();
        double[] est = Betweenness.pivotSampled(g, piv);
        // the hubs are estimated within 25% and the total within 10%
        int hub = 0;
        for (int i = 1; i < exact.length; i++) {
            hub = exact[i] > exact[hub] ? i : hub;
        }
        assertThat(est[hub]).isCloseTo(exact[hub], within(0.25 * exact[hub]));
        assertThat(Arrays.stream(est).sum()).isCloseTo(Arrays.stream(exact).sum(), within(0.1 * Arrays.stream(exact).sum()));
    }
}
