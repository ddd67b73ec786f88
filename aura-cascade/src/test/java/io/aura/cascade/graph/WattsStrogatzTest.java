package io.aura.cascade.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.random.SplitMix64;
import org.junit.jupiter.api.Test;

class WattsStrogatzTest {
    @Test
    void ringLatticeWithoutRewiring() {
        UndirectedGraph g = WattsStrogatz.undirected(10, 4, 0.0, new SplitMix64(1));
        assertThat(g.edgeCount()).isEqualTo(20);
        for (int v = 0; v < 10; v++) {
            assertThat(g.degree(v)).isEqualTo(4);
            assertThat(g.hasEdge(v, (v + 1) % 10)).isTrue();
            assertThat(g.hasEdge(v, (v + 2) % 10)).isTrue();
        }
    }

    @Test
    void rewiringKeepsEdgeCountAndSimplicityAt1e5() {
        long t0 = System.nanoTime();
        UndirectedGraph g = WattsStrogatz.undirected(100_000, 6, 0.1, new SplitMix64(2));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(g.edgeCount()).isEqualTo(300_000); // fromEdges rejects self-loops and duplicates
        int lattice = 0;
        for (int e = 0; e < g.edgeCount(); e++) {
            int d = Math.abs(g.edgeU(e) - g.edgeV(e));
            lattice += Math.min(d, 100_000 - d) <= 3 ? 1 : 0;
        }
        // about 90% of the edges stay lattice edges
        assertThat(lattice / 300_000.0).isBetween(0.88, 0.92);
        assertThat(ms).isLessThan(10_000);
    }

    @Test
    void directedVariantIsADag() {
        ServiceGraph g = WattsStrogatz.directed(2000, 4, 0.3, new SplitMix64(3));
        assertThat(g.edgeCount()).isEqualTo(4000);
        int entries = 0;
        for (int v = 0; v < g.nodeCount(); v++) {
            entries += g.role(v) == ServiceGraph.Role.ENTRY ? 1 : 0;
        }
        assertThat(entries).isBetween(1, 100);
        assertThat(g.expectedArrivals()).hasSize(2000); // converges: acyclic
    }

    @Test
    void badParameters() {
        assertThatThrownBy(() -> WattsStrogatz.undirected(10, 3, 0.1, new SplitMix64(1)))
                .isInstanceOf(CascadeInputException.class).hasMessageContaining("got 3");
        assertThatThrownBy(() -> WattsStrogatz.undirected(10, 4, 1.5, new SplitMix64(1)))
                .isInstanceOf(CascadeInputException.class).hasMessageContaining("1.5");
    }
}
