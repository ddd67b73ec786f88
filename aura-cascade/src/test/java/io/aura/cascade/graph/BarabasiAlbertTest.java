package io.aura.cascade.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.random.SplitMix64;
import org.junit.jupiter.api.Test;

class BarabasiAlbertTest {
    @Test
    void firstEdgesFollowTheSection9Procedure() {
        // Expected values from the independent Python reference of section 9 (seed 1, m = 2).
        UndirectedGraph g = BarabasiAlbert.undirected(10, 2, new SplitMix64(1));
        assertThat(g.edgeCount()).isEqualTo(3 + 7 * 2);
        // clique on 0..2, i-major
        assertThat(new int[] {g.edgeU(0), g.edgeV(0), g.edgeU(1), g.edgeV(1), g.edgeU(2), g.edgeV(2)})
                .containsExactly(0, 1, 0, 2, 1, 2);
        int[] got = new int[14];
        for (int e = 3; e < 17; e++) {
            got[e - 3] = g.edgeV(e);
        }
        assertThat(got).containsExactly(BA10_SEED1_TARGETS);
        for (int e = 3; e < 17; e++) {
            assertThat(g.edgeU(e)).isEqualTo(3 + (e - 3) / 2);
        }
    }

    static final int[] BA10_SEED1_TARGETS = {2, 1, 1, 2, 4, 2, 2, 5, 3, 2, 1, 2, 2, 7};

    /** 1e5 here; BA(1e6, 3) took 1.1 s on the 2-core development VM (measured with a main class). */
    @Test
    void degreesSumAndMinimumDegree() {
        UndirectedGraph g = BarabasiAlbert.undirected(100_000, 3, new SplitMix64(4));
        assertThat(g.edgeCount()).isEqualTo(6 + (100_000 - 4) * 3);
        long sum = 0;
        int max = 0;
        for (int v = 0; v < g.nodeCount(); v++) {
            assertThat(g.degree(v)).isGreaterThanOrEqualTo(3);
            sum += g.degree(v);
            max = Math.max(max, g.degree(v));
        }
        assertThat(sum).isEqualTo(2L * g.edgeCount());
        assertThat(max).isGreaterThan(300); // heavy tail: hubs ~ m·sqrt(N)
    }

    @Test
    void directedVariantPointsNewToOld() {
        ServiceGraph g = BarabasiAlbert.directed(500, 2, new SplitMix64(3));
        for (int e = 0; e < g.edgeCount(); e++) {
            assertThat(g.source(e)).isGreaterThan(g.target(e));
        }
        int entries = 0;
        for (int v = 0; v < g.nodeCount(); v++) {
            if (g.role(v) == ServiceGraph.Role.ENTRY) {
                entries++;
                assertThat(g.inDegree(v)).isZero();
            }
        }
        assertThat(entries).isEqualTo(25);
        assertThat(g.role(0)).isEqualTo(ServiceGraph.Role.LEAF_STATELESS);
    }

    @Test
    void rejectsBadParameters() {
        assertThatThrownBy(() -> BarabasiAlbert.undirected(2, 2, new SplitMix64(1)))
                .isInstanceOf(CascadeInputException.class).hasMessageContaining("got 2");
        assertThatThrownBy(() -> BarabasiAlbert.undirected(10, 0, new SplitMix64(1)))
                .isInstanceOf(CascadeInputException.class).hasMessageContaining("got 0");
    }
}
