package io.aura.cascade.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aura.cascade.CascadeInputException;
import org.junit.jupiter.api.Test;

class TopologySpecTest {
    @Test
    void validTopologyBecomesAServiceGraph() {
        TopologySpec spec = TopologySpec.builder("shop")
                .agent("gateway", "entry").agent("orders", "middle").agent("db", "db", 500_000)
                .edge("gateway", "orders", 1.0, 1).edge("orders", "db", 0.5, 3, "db")
                .entry("gateway", 2.0)
                .forbidCycles(true)
                .build();
        ServiceGraph g = spec.toServiceGraph();
        assertThat(g.nodeCount()).isEqualTo(3);
        assertThat(g.edgeCount()).isEqualTo(2);
        assertThat(g.entryShare(0)).isEqualTo(1.0);
        assertThat(g.role(2)).isEqualTo(ServiceGraph.Role.LEAF_DB);
        assertThat(g.edgeType(1)).isEqualTo(ServiceGraph.EdgeType.DB);
        assertThat(g.expectedCalls(1)).isEqualTo(1.5);
        assertThat(g.layer(2)).isEqualTo(2);
        assertThat(g.cpuDemandNs(2)).isEqualTo(500_000);
    }

    @Test
    void entryRoleGetsEqualSharesWhenNoneGiven() {
        ServiceGraph g = TopologySpec.builder("t").agent("a", "entry").agent("b", "entry").agent("c", "leaf")
                .edge("a", "c", 1, 1).edge("b", "c", 1, 1).build().toServiceGraph();
        assertThat(g.entryShare(0)).isEqualTo(0.5);
        assertThat(g.entryShare(1)).isEqualTo(0.5);
    }

    @Test
    void everyProblemIsReportedWithItsValue() {
        TopologySpec.Builder b = TopologySpec.builder("bad")
                .agent("a", "entry").agent("a", "middle").agent("b", "wizard")
                .edge("a", "ghost", 0.5, 1)
                .edge("a", "b", 1.5, 1)
                .edge("b", "a", 0.2, 0)
                .edge("a", "b", 0.5, 1, "telepathy");
        assertThat(b.problems()).containsExactly(
                "duplicate agent id 'a'",
                "agent 'b' has unknown role 'wizard' (use entry, middle, leaf, cache, db, llm-provider or tool)",
                "edge a -> ghost names unknown agent 'ghost'",
                "edge a -> b has invocation probability 1.5 outside [0, 1]",
                "edge b -> a has multiplicity 0 (must be >= 1)",
                "duplicate edge a -> b",
                "edge a -> b: unknown edge type 'telepathy'; use rpc, async, db or mc");
        assertThatThrownBy(b::build).isInstanceOf(CascadeInputException.class)
                .hasMessageStartingWith("topology 'bad' is invalid (7 problems): duplicate agent id 'a'");
    }

    @Test
    void noEntryAndForbiddenCycles() {
        assertThat(TopologySpec.builder("t").agent("x", "middle").problems())
                .containsExactly("no entry agents: give at least one agent role 'entry' or a positive entry share");
        TopologySpec.Builder cyc = TopologySpec.builder("t").agent("e", "entry").agent("u", "middle").agent("v", "middle")
                .edge("e", "u", 1, 1).edge("u", "v", 1, 1).edge("v", "u", 0.1, 1);
        assertThat(cyc.problems()).isEmpty();
        cyc.forbidCycles(true);
        assertThat(cyc.problems()).containsExactly("cycle u -> v -> u (cycles are forbidden for this topology)");
        assertThatThrownBy(() -> TopologySpec.builder("t").agent("e", "entry").entry("e", -1).build())
                .hasMessageContaining("entry share of 'e' is -1.0");
    }

    @Test
    void parallelGroupsAreCarriedAndCheckedOnBothPaths() {
        ServiceGraph g = TopologySpec.builder("p").agent("e", "entry").agent("x", "middle").agent("y", "middle")
                .edge("e", "x", 1, 1, 1, "rpc", -1, 0).edge("e", "y", 1, 1, 1, "rpc", -1, 0).build().toServiceGraph();
        assertThat(g.parallelGroup(0)).isZero();
        assertThat(g.parallelGroup(1)).isZero();
        assertThat(TopologySpec.builder("q").agent("e", "entry").agent("x", "middle")
                .edge("e", "x", 0.5, 1, 1, "rpc", 0, 0).edge("x", "e", 0.5, 1, 1, "rpc", -1, -3).problems())
                .containsExactly("edge e -> x is in exclusive group 0 and parallel group 0 (an edge can be in one of them, not both)",
                        "edge x -> e has parallel group -3 (must be >= -1)");
        ServiceGraph.Builder b = ServiceGraph.builder("s");
        int e = b.addNode("e", ServiceGraph.Role.ENTRY, 0, 1000);
        int x = b.addNode("x", ServiceGraph.Role.MIDDLE, 1, 1000);
        assertThatThrownBy(() -> b.addEdge(e, x, ServiceGraph.EdgeType.RPC, 1, 1, 1, 2, 0))
                .isInstanceOf(CascadeInputException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> b.addEdge(e, x, ServiceGraph.EdgeType.RPC, 1, 1, 1, -1, -2))
                .isInstanceOf(CascadeInputException.class).hasMessageContaining("parallel group must be >= -1, got -2");
    }

    @Test
    void errorRatesMultiplicityRangesAndExclusiveGroups() {
        TopologySpec.Builder bad = TopologySpec.builder("r").agent("e", "entry", 1000, 1.5).agent("x", "middle")
                .agent("y", "middle").edge("e", "x", 0.5, 3, 2, "rpc", -1).edge("e", "y", 0.5, 1, 1, "rpc", -2);
        assertThat(bad.problems()).containsExactly(
                "agent 'e' has error rate 1.5 outside [0, 1]",
                "edge e -> x has multiplicity range [3, 2] (max must be >= min)",
                "edge e -> y has exclusive group -2 (must be >= -1)");
        TopologySpec ok = TopologySpec.builder("r").agent("e", "entry", 1000, 0.02).agent("x", "middle")
                .agent("y", "middle").edge("e", "x", 0.7, 1, 4, "rpc", 0).edge("e", "y", 0.3, 1, 1, "async", 0).build();
        assertThat(ok.agents().get(0).errorRate()).isEqualTo(0.02);
        ServiceGraph g = ok.toServiceGraph();
        assertThat(g.multiplicityMax(0)).isEqualTo(4);
        assertThat(g.exclusiveGroup(1)).isZero();
        assertThat(g.edgeType(1)).isEqualTo(ServiceGraph.EdgeType.ASYNC);
        TopologySpec over = TopologySpec.builder("r").agent("e", "entry").agent("x", "middle").agent("y", "middle")
                .edge("e", "x", 0.7, 1, 1, "rpc", 0).edge("e", "y", 0.7, 1, 1, "rpc", 0).build();
        assertThatThrownBy(over::toServiceGraph).isInstanceOf(CascadeInputException.class).hasMessageContaining("summing to");
    }
}
