package io.aura.cascade.critical;

import static org.assertj.core.api.Assertions.assertThat;

import io.aura.cascade.predict.AuraGuard;
import io.aura.cascade.sim.CascadeGuard;
import io.aura.cascade.sim.Episode;
import io.aura.cascade.sim.EpisodeParams;
import io.aura.cascade.sim.EpisodeResult;
import io.aura.cascade.sim.FaultKind;
import io.aura.cascade.sim.SimTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole 6.7 pipeline on a 5-agent topology over 3 seeds. */
class CriticalStudyTest {
  private static final long MS = 1_000_000L;

  /** A: entry 0 calls 1 and 2, 1 calls 2 (agent 2 is every F2 fault's target). B: entry 3 calls 4. */
  static SimTopology twoComponents() {
    return SimTopology.builder(5)
        .agent(0, 2 * MS, 0.0, 40).agent(1, 2 * MS, 0.0, 0).agent(2, 4 * MS, 0.0, 0)
        .agent(3, 2 * MS, 0.0, 40).agent(4, 3 * MS, 0.0, 0)
        .call(0, 1, 1.0, 1).call(0, 2, 1.0, 1).call(1, 2, 1.0, 1).call(3, 4, 1.0, 1)
        .buildProvisioned(0.2, 5);
  }

  @Test
  void critOfTheFaultedAgentIsPositiveAndOfTheFarAgentZero() {
    SimTopology t = twoComponents();
    EpisodeParams p = EpisodeParams.defaults().withFault(FaultKind.F2_SLOW).withDuration(1000, 300);
    CriticalStudy.Plan plan = new CriticalStudy.Plan(t, p, AuraGuard::new);
    List<CriticalStudy.SeedRun> runs = new ArrayList<>();
    for (long seed = 1; seed <= 3; seed++) {
      CriticalStudy.SeedRun r = CriticalStudy.runB0(plan, seed);
      // the SUT only predicted: the episode is B0's
      EpisodeResult plain = Episode.run(t, p, CascadeGuard.none(), seed);
      assertThat(r.result().traceSha256()).isEqualTo(plain.traceSha256());
      assertThat(r.result().faultedAgents()).containsExactly(2);
      assertThat(r.sutScore()).hasSize(5);
      assertThat(r.utilisation()).hasSize(5);
      assertThat(java.util.Arrays.stream(r.utilisation()).allMatch(u -> u > 0 && u <= 1)).isTrue();
      runs.add(r);
    }
    Map<String, double[]> scores = CriticalStudy.scores(t, runs);
    assertThat(scores.keySet()).containsExactly(CriticalStudy.SUT, CriticalStudy.DEGREE, CriticalStudy.BETWEENNESS,
        CriticalStudy.PAGERANK, CriticalStudy.UTILISATION);
    assertThat(java.util.Arrays.stream(scores.get(CriticalStudy.SUT)).max().getAsDouble()).isPositive();
    int[] cand = CriticalStudy.candidates(5, CriticalStudy.rankings(scores), 1);
    assertThat(cand).containsExactly(0, 1, 2, 3, 4);
    double[][] imm = new double[5][3];
    for (int a = 0; a < 5; a++) {
      for (int s = 0; s < 3; s++) {
        imm[a][s] = CriticalStudy.runImmune(plan, s + 1, a).cascadeSize();
      }
    }
    CriticalStudy.Outcome o = CriticalStudy.assemble(5, runs, scores, cand, imm);
    CritEstimate faulted = o.crit().get(2);
    assertThat(faulted.meanB0()).as("the F2 fault on agent 2 must cascade").isPositive();
    assertThat(faulted.crit()).isPositive();
    assertThat(faulted.meanImmune()).isZero();
    assertThat(o.crit().get(4).crit()).as("agent 4 is in the other component").isZero();
    assertThat(o.crit().get(3).crit()).isZero();
    // agent 2, on which both others of its component depend, tops dependents-PageRank
    assertThat(o.rankings().get(CriticalStudy.PAGERANK)[0]).isEqualTo(2);
    assertThat(o.evaluation().quality(CriticalStudy.PAGERANK).at("1%").precision().getAsDouble()).isEqualTo(1.0);
    assertThat(o.evaluation().verdict().overall()).isEqualTo(CriticalEvaluation.Status.UNDEFINED); // N < 10
  }
}
