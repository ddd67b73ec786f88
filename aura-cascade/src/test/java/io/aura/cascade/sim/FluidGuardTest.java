package io.aura.cascade.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A guard on D3-fluid ({@link Episode#runFluid(SimTopology, EpisodeParams, CascadeGuard, long, double)}):
 * what it sees against what it sees in the DES, and its actions against the same actions in the DES.
 */
class FluidGuardTest {

  private static final EpisodeParams BENIGN = EpisodeParams.defaults().withFault(FaultKind.NONE).withDuration(1200, 300)
      .withRealisticView(false);

  @Test
  void aGuardThatNeverActsLeavesTheB0EpisodeIntact() {
    SimTopology t = Families.build("dsb-sn", 0.2, 3);
    EpisodeParams p = EpisodeParams.defaults().withDuration(900, 300);
    EpisodeResult plain = Episode.runFluid(t, p, 3, 0.1);
    RecordingGuard watching = new RecordingGuard();
    EpisodeResult predictOnly = Episode.runFluid(t, p.withPredictOnly(true), watching, 3, 0.1);
    RecordingGuard idle = new RecordingGuard();
    EpisodeResult full = Episode.runFluid(t, p, idle, 3, 0.1);
    assertThat(predictOnly.traceSha256()).isEqualTo(plain.traceSha256());
    assertThat(full.traceSha256()).isEqualTo(plain.traceSha256());
    assertThat(predictOnly.cascadeSize()).isEqualTo(plain.cascadeSize());
    assertThat(predictOnly.riskBySecond()).hasSize(900);
    assertThat(predictOnly.predictNanos()).hasSize(900);
    assertThat(watching.snapshots).hasSize(900);
    assertThat(watching.snapshots.get(0).timeSec()).isEqualTo(1);
    assertThat(watching.snapshots.get(899).timeSec()).isEqualTo(900);
    assertThat(watching.decideCalls).isZero();
    assertThat(idle.decideCalls).isEqualTo(900);
    assertThat(watching.config.predictOnly()).isTrue();
    assertThat(watching.topology.agentCount()).isEqualTo(t.agentCount());
    assertThat(plain.riskBySecond()).isEmpty();
  }

  @Test
  void aSteadySystemLooksToTheGuardAsItDoesInTheDes() {
    SimTopology t = Families.build("dsb-sn", 0.2, 5);
    RecordingGuard des = new RecordingGuard();
    Episode.run(t, BENIGN.withPredictOnly(true), des, 5);
    RecordingGuard fluid = new RecordingGuard();
    Episode.runFluid(t, BENIGN.withPredictOnly(true), fluid, 5, 0.1);
    int checked = 0;
    for (int a = 0; a < t.agentCount(); a++) {
      long d = des.sumArrivals(a, 300, 1200);
      if (d < 2000) {
        continue;
      }
      checked++;
      assertThat((double) fluid.sumArrivals(a, 300, 1200)).as("arrivals of agent %d", a).isCloseTo(d, within(0.05 * d));
      long ds = des.sum(TelemetrySnapshot::successes, a, 300, 1200);
      assertThat((double) fluid.sum(TelemetrySnapshot::successes, a, 300, 1200)).as("successes of agent %d", a)
          .isCloseTo(ds, within(0.05 * ds));
      assertThat(fluid.sum(TelemetrySnapshot::healthyInstances, a, 300, 1200))
          .isEqualTo(des.sum(TelemetrySnapshot::healthyInstances, a, 300, 1200));
      double desP50 = meanOf(des.snapshots, s -> s.p50LatencyMs()[0]);
      double fluidP50 = meanOf(fluid.snapshots, s -> s.p50LatencyMs()[0]);
      assertThat(fluidP50).as("entry p50 latency").isBetween(0.5 * desP50, 2 * desP50);
    }
    assertThat(checked).isGreaterThan(5);
    int edges = 0;
    for (int e = 0; e < t.edgeCount(); e++) {
      long d = des.sum(TelemetrySnapshot::edgeAttempts, e, 300, 1200);
      if (d < 2000) {
        continue;
      }
      edges++;
      assertThat((double) fluid.sum(TelemetrySnapshot::edgeAttempts, e, 300, 1200)).as("attempts on edge %d", e)
          .isCloseTo(d, within(0.05 * d));
    }
    assertThat(edges).isGreaterThan(5);
  }

  @Test
  void sheddingHalfTheEntryTrafficCostsWhatItCostsInTheDes() {
    SimTopology t = TestTopologies.diamond(50);
    Function<TelemetrySnapshot, List<Action>> shed = s -> s.timeSec() == 950 ? List.of(new Action.Shed(0, 0.5, 200_000)) : List.of();
    double[] avail = bothEngines(t, shed);
    assertThat(avail[1]).isLessThan(0.95);
    assertThat(avail[1]).isCloseTo(avail[0], within(0.02));
  }

  @Test
  void isolatingAMiddleAgentFailsItAndItsCallerAsInTheDes() {
    SimTopology t = TestTopologies.diamond(50);
    Function<TelemetrySnapshot, List<Action>> isolate = s -> s.timeSec() == 950 ? List.of(new Action.Isolate(1, 100_000)) : List.of();
    RecordingGuard dg = new RecordingGuard(isolate);
    Episode.Traced des = Episode.runTraced(t, BENIGN, dg, 7);
    RecordingGuard fg = new RecordingGuard(isolate);
    Fluid f = new Fluid(t, BENIGN, 7, 0.1, fg);
    EpisodeResult fluid = f.run();
    assertThat(des.firstFailedSec()[1]).isGreaterThan(900);
    assertThat(f.everFailedProbability(1)).isEqualTo(1.0);
    // agent 0 calls 1 on every request: with 1 isolated, its requests fail
    assertThat(des.firstFailedSec()[0]).isGreaterThan(900);
    assertThat(f.everFailedProbability(0)).isGreaterThan(0.99);
    assertThat(fluid.cascadeSize()).isCloseTo(des.result().cascadeSize(), within(0.05));
    assertThat(fluid.availability()).isCloseTo(des.result().availability(), within(0.02));
    assertThat(fluid.actionsApplied()).hasSize(1);
    assertThat(fluid.actionsApplied().get(0).timeNs()).isEqualTo(951_000_000_000L);
    // the guard sees its action in force, and the refused calls as blocked at the caller
    TelemetrySnapshot during = fg.snapshots.get(999);
    assertThat(during.activeActions()).hasSize(1);
    assertThat(during.activeActions().get(0).remainingMs()).isEqualTo(51_000)
        .isEqualTo(dg.snapshots.get(999).activeActions().get(0).remainingMs());
    // (agent 0's few threads fill with requests waiting out the retry back-off, so only ~4 requests/s
    // start: 12 blocked attempts/s in both engines at this second)
    TelemetrySnapshot desDuring = dg.snapshots.get(999);
    assertThat(during.blocked()[0]).isGreaterThan(5).isCloseTo(desDuring.blocked()[0], within(3));
    assertThat(during.edgeAttempts()[0]).isCloseTo(desDuring.edgeAttempts()[0], within(3));
    assertThat(during.edgeBreakerOpen()[0]).isEqualTo(1.0).isEqualTo(desDuring.edgeBreakerOpen()[0]);
    assertThat(during.arrivals()[1]).isZero();
  }

  @Test
  void aBreakerOnAnEdgeFailsTheCallsAsInTheDes() {
    SimTopology t = TestTopologies.diamond(50);
    Function<TelemetrySnapshot, List<Action>> open = s -> s.timeSec() == 950
        ? List.of(new Action.OpenBreaker(0, 2, false, 60_000)) : List.of();
    double[] avail = bothEngines(t, open);
    assertThat(avail[1]).isLessThan(0.95);
    assertThat(avail[1]).isCloseTo(avail[0], within(0.02));
  }

  @Test
  void anInboundRateLimitAdmitsItsRateAsInTheDes() {
    SimTopology t = TestTopologies.diamond(50);
    Function<TelemetrySnapshot, List<Action>> limit = s -> s.timeSec() == 950
        ? List.of(new Action.RateLimit(0, -1, 20, 100_000)) : List.of();
    double[] avail = bothEngines(t, limit);
    assertThat(avail[1]).isLessThan(0.95);
    assertThat(avail[1]).isCloseTo(avail[0], within(0.02));
  }

  /** Availability of the benign episode of seed 7 with the scripted guard: {DES, fluid}. */
  private static double[] bothEngines(SimTopology t, Function<TelemetrySnapshot, List<Action>> script) {
    EpisodeResult des = Episode.run(t, BENIGN, new RecordingGuard(script), 7);
    EpisodeResult fluid = Episode.runFluid(t, BENIGN, new RecordingGuard(script), 7, 0.1);
    assertThat(des.actionsApplied()).hasSize(1);
    assertThat(fluid.actionsApplied()).hasSize(1);
    return new double[] {des.availability(), fluid.availability()};
  }

  private static double meanOf(List<TelemetrySnapshot> snaps, java.util.function.ToDoubleFunction<TelemetrySnapshot> f) {
    double sum = 0;
    int k = 0;
    for (TelemetrySnapshot s : snaps) {
      if (s.timeSec() > 300) {
        sum += f.applyAsDouble(s);
        k++;
      }
    }
    return sum / k;
  }
}
