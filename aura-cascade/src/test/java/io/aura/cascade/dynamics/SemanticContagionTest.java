package io.aura.cascade.dynamics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.graph.LlmOrchestrations;
import io.aura.cascade.graph.ServiceGraph;
import io.aura.cascade.random.SplitMix64;
import org.junit.jupiter.api.Test;

class SemanticContagionTest {
  /** a (entry) -> b -> c, plus an llm provider that must be ignored. */
  private static ServiceGraph chain() {
    ServiceGraph.Builder b = ServiceGraph.builder("chain");
    int a = b.addNode("a", ServiceGraph.Role.ENTRY, 0, 1);
    int x = b.addNode("b", ServiceGraph.Role.MIDDLE, 1, 1);
    int c = b.addNode("c", ServiceGraph.Role.MIDDLE, 2, 1);
    int p = b.addNode("p", ServiceGraph.Role.LLM_PROVIDER, 7, 1);
    b.entryShare(a, 1);
    b.addEdge(a, x, ServiceGraph.EdgeType.RPC, 1.0, 1, 1);
    b.addEdge(x, c, ServiceGraph.EdgeType.RPC, 1.0, 1, 1);
    b.addEdge(a, p, ServiceGraph.EdgeType.RPC, 1.0, 1, 1);
    b.addEdge(c, p, ServiceGraph.EdgeType.RPC, 1.0, 1, 1);
    return b.build();
  }

  /** c corrupted by F7 (e = 1); b tips iff φ_b ≤ 0.5, then a (whose only input is b) follows. */
  @Test
  void corruptionSpreadsRoundByRoundFromTheF7Agent() {
    SemanticContagion d5 = new SemanticContagion(chain());
    // F7 with e = 1 at c, base 0: c is corrupted at round 0; b has inputs a, c (weights 1, 1): fraction 0.5
    int spread = 0;
    int runs = 2000;
    SplitMix64 rng = new SplitMix64(3);
    for (int k = 0; k < runs; k++) {
      SemanticContagion.Result r = d5.run(new SemanticContagion.Task(0, 2, 1.0, null, null), rng);
      assertThat(r.corruptedRound()[2]).isZero();
      assertThat(r.corruptedRound()[3]).isEqualTo(-1); // the provider has no semantic state
      assertThat(r.agents()).isEqualTo(3);
      if (r.corruptedRound()[1] == 1) {
        spread++;
        // a's only input is b: fraction 1 >= phi always
        assertThat(r.corruptedRound()[0]).isEqualTo(2);
        assertThat(r.taskFailed()).isTrue();
        assertThat(r.rounds()).isEqualTo(2);
      } else {
        assertThat(r.corrupted()).isEqualTo(1);
        assertThat(r.taskFailed()).isFalse();
      }
    }
    // b tips iff phi_b <= 0.5: P = P(N(0.5, 0.15) <= 0.5 | in [0,1]) = 0.5
    assertThat(spread / (double) runs).isCloseTo(0.5, within(0.04));
  }

  @Test
  void verifierAndIsolationStopTheSpread() {
    SemanticContagion d5 = new SemanticContagion(chain());
    boolean[] ver = {false, true, false, false};
    SplitMix64 rng = new SplitMix64(5);
    int spread = 0;
    for (int k = 0; k < 2000; k++) {
      SemanticContagion.Result r = d5.run(new SemanticContagion.Task(0, 2, 1.0, ver, null), rng);
      spread += r.corruptedRound()[1] >= 0 ? 1 : 0;
    }
    // with the verifier b needs phi + 0.3 <= 0.5, i.e. phi <= 0.2: P ~ 0.0228 / 0.9996
    assertThat(spread / 2000.0).isLessThan(0.05);
    boolean[] iso = {false, true, false, false};
    for (int k = 0; k < 200; k++) {
      SemanticContagion.Result r = d5.run(new SemanticContagion.Task(0, 2, 1.0, null, iso), rng);
      assertThat(r.corrupted()).isEqualTo(1); // only c; b isolated, a's only input removed
      assertThat(r.taskFailed()).isFalse();
    }
    boolean[] isoEntry = {true, false, false, false};
    assertThat(d5.run(new SemanticContagion.Task(0, -1, 0, null, isoEntry), rng).taskFailed()).isTrue();
  }

  @Test
  void baseErrorAloneCorruptsAboutFivePercentWithoutContagionOnAStar() {
    // MACNET star of 1024: the hub's leaves have one input each, so contagion is strong there; use
    // the base rate check on round-0 corruption only
    ServiceGraph g = LlmOrchestrations.macnet(1024, LlmOrchestrations.MacNetShape.STAR,
        LlmOrchestrations.Pool.defaults(), new SplitMix64(1));
    SemanticContagion d5 = new SemanticContagion(g);
    SplitMix64 rng = new SplitMix64(9);
    long base = 0;
    long agents = 0;
    for (int k = 0; k < 20; k++) {
      SemanticContagion.Result r = d5.run(SemanticContagion.Task.defaults(), rng);
      for (int v : r.corruptedRound()) {
        base += v == 0 ? 1 : 0;
      }
      agents += r.agents();
    }
    assertThat(base / (double) agents).isCloseTo(0.05, within(0.01));
  }

  @Test
  void f7TargetsAreAgentsAndBadInputsAreRejected() {
    ServiceGraph g = LlmOrchestrations.hier(2, 3, LlmOrchestrations.Pool.defaults(), new SplitMix64(1));
    SemanticContagion d5 = new SemanticContagion(g);
    SplitMix64 rng = new SplitMix64(2);
    for (int k = 0; k < 100; k++) {
      int t = d5.randomAgent(rng);
      assertThat(g.role(t)).isIn(ServiceGraph.Role.ENTRY, ServiceGraph.Role.MIDDLE);
    }
    int provider = g.nodeId("llm-provider").orElseThrow();
    assertThatThrownBy(() -> d5.run(new SemanticContagion.Task(0.05, provider, 0.3, null, null), rng))
        .isInstanceOf(CascadeInputException.class).hasMessageContaining("not an LLM agent");
    assertThatThrownBy(() -> new SemanticContagion.Task(1.5, -1, 0, null, null)).hasMessageContaining("[0, 1]");
    assertThatThrownBy(() -> d5.run(new SemanticContagion.Task(0.05, -1, 0, new boolean[2], null), rng))
        .hasMessageContaining("one entry per node");
    // F7 at 0.6 corrupts its target's output more often than the base rate: higher task failure
    int failBase = 0;
    int failF7 = 0;
    for (int k = 0; k < 3000; k++) {
      failBase += d5.run(SemanticContagion.Task.defaults(), rng).taskFailed() ? 1 : 0;
      failF7 += d5.run(new SemanticContagion.Task(0.05, 0, SemanticContagion.F7_ERRORS[1], null, null), rng).taskFailed() ? 1 : 0;
    }
    assertThat(failF7).isGreaterThan(failBase + 300);
  }
}
