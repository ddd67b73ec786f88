package io.aura.cascade.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.aura.cascade.sim.Action;
import io.aura.cascade.sim.CascadeGuard;
import io.aura.cascade.sim.Episode;
import io.aura.cascade.sim.EpisodeParams;
import io.aura.cascade.sim.EpisodeResult;
import io.aura.cascade.sim.Families;
import io.aura.cascade.sim.FaultKind;
import io.aura.cascade.sim.SimTopology;
import org.junit.jupiter.api.Test;

/** AuraGuard in full mode inside real D3 episodes (the simulator, not a mock). */
class AuraGuardEpisodeTest {
  @Test
  void onABenignEpisodeThePolicyNeverIsolatesAndCostsAtMostOneTenthOfAPercent() {
    for (long seed = 1; seed <= 2; seed++) {
      SimTopology t = Families.build("dsb-sn", 0.2, seed);
      EpisodeParams p = EpisodeParams.defaults().withFault(FaultKind.NONE).withDuration(900, 300);
      EpisodeResult b0 = Episode.run(t, p, CascadeGuard.none(), seed);
      EpisodeResult aura = Episode.run(t, p, new AuraGuard(), seed);
      assertThat(aura.actionsApplied()).noneMatch(a -> a.action() instanceof Action.Isolate);
      assertThat(aura.actionsApplied()).noneMatch(a -> a.action() instanceof Action.OpenBreaker);
      assertThat(aura.availability()).as("seed %d: availability cost", seed)
          .isGreaterThanOrEqualTo(b0.availability() - 0.001);
    }
  }

  @Test
  void underCapacityLossThePolicyOnlyRateLimitsAndCostsNoAvailability() {
    long seed = 12;
    SimTopology t = Families.build("ali-1000", 0.2, seed);
    EpisodeParams p = EpisodeParams.defaults().withFault(FaultKind.F3_CAPACITY).withDuration(1200, 300);
    EpisodeResult b0 = Episode.run(t, p, CascadeGuard.none(), seed);
    EpisodeResult aura = Episode.run(t, p, new AuraGuard(), seed);
    double tf = aura.faultTimeSec();
    double first = aura.actionsApplied().stream().mapToDouble(a -> a.timeNs() * 1e-9).min().orElse(Double.NaN);
    double last = aura.actionsApplied().stream().mapToDouble(a -> a.timeNs() * 1e-9).max().orElse(Double.NaN);
    System.out.printf("F3 seed %d: t_f %.0f s, %d actions from %.0f s to %.0f s; S %.3f -> %.3f, A %.4f -> %.4f%n", seed,
        tf, aura.actionCount(), first, last, b0.cascadeSize(), aura.cascadeSize(), b0.availability(), aura.availability());
    assertThat(aura.actionCount()).isPositive();
    assertThat(aura.actionsApplied()).allSatisfy(a -> assertThat(a.action()).isInstanceOf(Action.RateLimit.class));
    // ALI-1000 with the exact quota has overloaded thin agents before any fault (background queue-full
    // rejections), so the policy also acts before t_f; what it must not do is cost availability or grow S
    assertThat(aura.availability()).isGreaterThanOrEqualTo(b0.availability() - 0.001);
    assertThat(aura.cascadeSize()).isLessThanOrEqualTo(b0.cascadeSize() + 0.005);
  }
}
