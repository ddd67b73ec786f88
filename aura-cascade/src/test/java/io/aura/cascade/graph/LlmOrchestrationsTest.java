package io.aura.cascade.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.random.SplitMix64;
import org.junit.jupiter.api.Test;

class LlmOrchestrationsTest {
    private static final LlmOrchestrations.Pool POOL = LlmOrchestrations.Pool.defaults();

    private static int provider(ServiceGraph g) {
        return g.nodeId("llm-provider").orElseThrow();
    }

    @Test
    void hierIsATreeWhoseAgentsAllCallTheProvider() {
        ServiceGraph g = LlmOrchestrations.hier(3, 5, POOL, new SplitMix64(1));
        int agents = 1 + 5 + 25;
        assertThat(g.nodeCount()).isEqualTo(agents + 1 + POOL.tools());
        assertThat(g.inDegree(provider(g))).isEqualTo(agents);
        assertThat(g.role(0)).isEqualTo(ServiceGraph.Role.ENTRY);
        assertThat(g.layer(30)).isEqualTo(2);
        // 6 managers × 2 + 25 workers × 1 provider calls per task
        assertThat(g.expectedArrivals()[provider(g)]).isEqualTo(6 * 2 + 25);
        for (int a = 0; a < agents; a++) {
            assertThat(g.outDegree(a) - (a < 6 ? 5 : 0)).isEqualTo(1 + POOL.toolsPerAgent());
        }
    }

    @Test
    void pipeHasFeedbackCyclesAndDebateHasNTimesRProviderCalls() {
        ServiceGraph p = LlmOrchestrations.pipe(5, 0.2, POOL, new SplitMix64(2));
        assertThat(p.edgeCount()).isEqualTo(4 * 2 + 5 + 5 * POOL.toolsPerAgent());
        assertThat(p.expectedCalls(1)).isEqualTo(0.2 * 1.5);
        ServiceGraph d = LlmOrchestrations.debate(5, 3, POOL, new SplitMix64(3));
        int prov = provider(d);
        double perTask = 0;
        for (int e : d.inEdges(prov)) {
            perTask += d.expectedCalls(e);
        }
        assertThat(perTask).isEqualTo(5 * 3);
        assertThat(d.nodeName(0)).isEqualTo("moderator");
    }

    @Test
    void macnetShapes() {
        for (LlmOrchestrations.MacNetShape shape : LlmOrchestrations.MacNetShape.values()) {
            ServiceGraph g = LlmOrchestrations.macnet(64, shape, POOL, new SplitMix64(4));
            int entries = 0;
            for (int v = 0; v < 64; v++) {
                entries += g.role(v) == ServiceGraph.Role.ENTRY ? 1 : 0;
                for (int e : g.outEdges(v)) {
                    if (g.target(e) < 64) {
                        assertThat(g.target(e)).as(shape.name()).isGreaterThan(v); // a DAG in id order
                        assertThat(g.layer(g.target(e))).isGreaterThan(g.layer(v));
                    }
                }
            }
            assertThat(entries).as(shape.name()).isGreaterThanOrEqualTo(1);
        }
        ServiceGraph mesh = LlmOrchestrations.macnet(16, LlmOrchestrations.MacNetShape.MESH, POOL, new SplitMix64(4));
        assertThat(mesh.outDegree(0)).isEqualTo(15 + 1 + POOL.toolsPerAgent());
        ServiceGraph star = LlmOrchestrations.macnet(1024, LlmOrchestrations.MacNetShape.STAR, POOL, new SplitMix64(4));
        assertThat(star.inDegree(provider(star))).isEqualTo(1024);
    }

    @Test
    void toolPopularityIsZipf() {
        ServiceGraph g = LlmOrchestrations.macnet(1024, LlmOrchestrations.MacNetShape.CHAIN,
                new LlmOrchestrations.Pool(16, 1.0, 1, 0.5), new SplitMix64(5));
        int first = g.nodeId("tool-0").orElseThrow();
        int t0 = g.inDegree(first);
        int t1 = g.inDegree(first + 1);
        int t15 = g.inDegree(first + 15);
        // shares 1/H16 ≈ 0.296, 0.148, 0.0185 of 1024 agents
        assertThat(t0).isBetween(250, 360);
        assertThat(t1).isBetween(110, 200);
        assertThat(t15).isBetween(5, 40);
    }

    @Test
    void badParameters() {
        assertThatThrownBy(() -> LlmOrchestrations.hier(0, 3, POOL, new SplitMix64(1)))
                .isInstanceOf(CascadeInputException.class).hasMessageContaining("got 0");
        assertThatThrownBy(() -> new LlmOrchestrations.Pool(0, 1, 1, 0.5))
                .isInstanceOf(CascadeInputException.class).hasMessageContaining("got 0");
    }
}
