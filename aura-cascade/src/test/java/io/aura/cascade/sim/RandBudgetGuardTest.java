package io.aura.cascade.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class RandBudgetGuardTest {
  private static final long SEC = 1_000_000_000L;

  /** A scripted SUT: four actions of every kind at 650 s and one at 700 s. */
  private static List<Action> script(TelemetrySnapshot s) {
    if (s.timeSec() == 650) {
      return List.of(new Action.Isolate(3, 20_000), new Action.Shed(5, 0.4, 30_000),
          new Action.OpenBreaker(1, -1, true, 15_000), new Action.RateLimit(2, -1, 7.5, 45_000));
    }
    if (s.timeSec() == 700) {
      return List.of(new Action.OpenBreaker(0, -1, false, 10_000), new Action.Shed(7, 0.9, 900_000));
    }
    return List.of();
  }

  private static String signature(Action a) {
    return switch (a) {
      case Action.Isolate i -> "isolate " + i.durationMs();
      case Action.Shed s -> "shed " + s.fraction() + " " + s.durationMs();
      case Action.OpenBreaker b -> "breaker in=" + b.incoming() + " all=" + (b.callee() < 0) + " " + b.durationMs();
      case Action.RateLimit r -> "ratelimit in=" + (r.callee() < 0) + " " + r.rps() + " " + r.durationMs();
    };
  }

  private static List<String> signatures(List<EpisodeResult.AppliedAction> l) {
    List<String> out = new ArrayList<>();
    for (EpisodeResult.AppliedAction a : l) {
      out.add(signature(a.action()));
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  @Test
  void replaysTheSutBudgetOnRandomTargetsInTheWindowAroundTheFault() {
    SimTopology t = TestTopologies.randomDag(40, 2, 20, 0.2, 5);
    EpisodeParams p = EpisodeParams.defaults().withDuration(1200, 300);
    long seed = 77;
    EpisodeResult sut = Episode.run(t, p, new RecordingGuard(RandBudgetGuardTest::script), seed);
    assertThat(sut.actionCount()).isEqualTo(6);
    assertThat(sut.actionsApplied().get(0).timeNs()).isEqualTo(651 * SEC); // tick 650 + δ_act 1 s
    assertThat(sut.actionsApplied().get(0).action()).isEqualTo(new Action.Isolate(3, 20_000));

    RandBudgetGuard rand = RandBudgetGuard.of(sut, seed);
    EpisodeResult r = Episode.run(t, p, rand, seed);
    assertThat(r.faultTimeSec()).isEqualTo(sut.faultTimeSec()); // same seed: same t_f (CRN)
    assertThat(r.actionCount()).isEqualTo(sut.actionCount());
    assertThat(signatures(r.actionsApplied())).isEqualTo(signatures(sut.actionsApplied()));
    double tf = sut.faultTimeSec();
    long prev = 0;
    for (EpisodeResult.AppliedAction a : r.actionsApplied()) {
      double at = a.timeNs() / (double) SEC;
      assertThat(at).isBetween(tf - 60, tf + 300 + 1); // quantised to the next control tick
      assertThat(a.timeNs()).isGreaterThanOrEqualTo(prev);
      prev = a.timeNs();
      int n = t.agentCount();
      switch (a.action()) {
        case Action.Isolate i -> assertThat(i.agent()).isBetween(0, n - 1);
        case Action.Shed s -> assertThat(s.agent()).isBetween(0, n - 1);
        case Action.OpenBreaker b -> assertThat(b.caller()).isBetween(0, n - 1);
        case Action.RateLimit l -> assertThat(l.agent()).isBetween(0, n - 1);
      }
    }
    // targets are random: not the SUT's
    List<Integer> sutTargets = new ArrayList<>();
    List<Integer> randTargets = new ArrayList<>();
    for (EpisodeResult.AppliedAction a : sut.actionsApplied()) {
      sutTargets.add(target(a.action()));
    }
    for (EpisodeResult.AppliedAction a : r.actionsApplied()) {
      randTargets.add(target(a.action()));
    }
    assertThat(randTargets).isNotEqualTo(sutTargets);

    // deterministic per seed, different for another seed
    RandBudgetGuard again = RandBudgetGuard.of(sut, seed);
    again.init(new StaticTopology(40, new int[0], new int[0]), new GuardConfig(1000, 1000, 600_000, false));
    RandBudgetGuard same = RandBudgetGuard.of(sut, seed);
    same.init(new StaticTopology(40, new int[0], new int[0]), new GuardConfig(1000, 1000, 600_000, false));
    RandBudgetGuard other = RandBudgetGuard.of(sut, seed + 1);
    other.init(new StaticTopology(40, new int[0], new int[0]), new GuardConfig(1000, 1000, 600_000, false));
    assertThat(again.plan()).isEqualTo(same.plan()).isNotEqualTo(other.plan());
  }

  @Test
  void edgeActionsGoToEdgesOfTheStaticTopology() {
    List<EpisodeResult.AppliedAction> budget = new ArrayList<>();
    for (int k = 0; k < 50; k++) {
      budget.add(new EpisodeResult.AppliedAction(k, new Action.OpenBreaker(0, 1, false, 5_000)));
      budget.add(new EpisodeResult.AppliedAction(k, new Action.RateLimit(0, 1, 3.0, 5_000)));
    }
    int[] callers = {0, 0, 2, 5};
    int[] callees = {1, 3, 4, 6};
    RandBudgetGuard g = new RandBudgetGuard(budget, 700.0, 3);
    g.init(new StaticTopology(8, callers, callees), new GuardConfig(1000, 2000, 600_000, false));
    List<EpisodeResult.AppliedAction> plan = g.plan();
    assertThat(plan).hasSize(100);
    boolean[] seen = new boolean[4];
    for (EpisodeResult.AppliedAction a : plan) {
      int caller = a.action() instanceof Action.OpenBreaker b ? b.caller() : ((Action.RateLimit) a.action()).agent();
      int callee = a.action() instanceof Action.OpenBreaker b ? b.callee() : ((Action.RateLimit) a.action()).callee();
      int e = -1;
      for (int k = 0; k < 4; k++) {
        if (callers[k] == caller && callees[k] == callee) {
          e = k;
        }
      }
      assertThat(e).as("(%d,%d) is a static edge", caller, callee).isNotNegative();
      seen[e] = true;
      // returned at tick s with s + δ_act (2 s) inside [t_f − 60, t_f + 300 + 1]
      double effect = a.timeNs() / (double) SEC + 2;
      assertThat(effect).isBetween(640.0, 1001.0);
    }
    assertThat(seen).containsOnly(true);
    // decide hands out each planned action once, at its tick
    int handed = 0;
    for (long s = 1; s <= 1100; s++) {
      TelemetrySnapshot snap = new TelemetrySnapshot(s, null, null, null, null, null, null, null, null, null, null,
          null, null, null, null, null, new int[0], new int[0]);
      handed += g.decide(snap, Prediction.of(0)).size();
    }
    assertThat(handed).isEqualTo(100);
  }

  @Test
  void badInputIsRejected() {
    assertThatThrownBy(() -> new RandBudgetGuard(List.of(), Double.NaN, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("faultTimeSec");
    assertThatThrownBy(() -> new RandBudgetGuard(null, 600, 1)).isInstanceOf(NullPointerException.class);
  }

  private static int target(Action a) {
    return switch (a) {
      case Action.Isolate i -> i.agent();
      case Action.Shed s -> s.agent();
      case Action.OpenBreaker b -> b.caller();
      case Action.RateLimit r -> r.agent();
    };
  }
}
