package io.aura.cascade.sim;

import static io.aura.cascade.sim.TestTopologies.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The CPB 6.7 immune agent: capacity × 10, no fault on it, random streams still paired. */
class ImmunityTest {
  /**
   * Two components. A: entry 0 calls 1 and 2, 1 calls 2, so agent 2 is the only non-entry agent with
   * in-degree ≥ 2 and every F2 fault hits it. B: entry 3 calls 4, untouched by the fault.
   */
  private static SimTopology twoComponents() {
    return SimTopology.builder(5)
        .agent(0, 2 * MS, 0.0, 40).agent(1, 2 * MS, 0.0, 0).agent(2, 4 * MS, 0.0, 0)
        .agent(3, 2 * MS, 0.0, 40).agent(4, 3 * MS, 0.0, 0)
        .call(0, 1, 1.0, 1).call(0, 2, 1.0, 1).call(1, 2, 1.0, 1).call(3, 4, 1.0, 1)
        .buildProvisioned(0.2, 5);
  }

  private static EpisodeParams f2() {
    return EpisodeParams.defaults().withFault(FaultKind.F2_SLOW).withDuration(1100, 300).withRealisticView(false);
  }

  @Test
  void immunityFarFromTheCascadeLeavesItUnchangedAndKeepsTheStreamsPaired() {
    SimTopology t = twoComponents();
    RecordingGuard g0 = new RecordingGuard();
    RecordingGuard g4 = new RecordingGuard();
    EpisodeResult b0 = Episode.run(t, f2().withPredictOnly(true), g0, 21);
    EpisodeResult imm = Episode.runImmune(t, f2().withPredictOnly(true), g4, 21, 4);
    assertThat(b0.faultedAgents()).containsExactly(2);
    assertThat(b0.cascadeSize()).as("the fault on agent 2 must cascade for this test to mean anything").isPositive();

    assertThat(imm.faultedAgents()).containsExactly(2);
    assertThat(imm.faultTimeSec()).isEqualTo(b0.faultTimeSec());
    assertThat(imm.cascadeSize()).isEqualTo(b0.cascadeSize());
    assertThat(imm.cascadePeak()).isEqualTo(b0.cascadePeak());
    assertThat(imm.failedFractionSeconds()).isEqualTo(b0.failedFractionSeconds());
    assertThat(imm.entryOffered()).isEqualTo(b0.entryOffered());
    // the immunity did change the run (agent 4 is faster) ...
    assertThat(imm.traceSha256()).isNotEqualTo(b0.traceSha256());
    // ... but component A saw exactly the same arrivals, service times and fault, second by second
    assertThat(g4.snapshots).hasSameSizeAs(g0.snapshots);
    boolean bDiffers = false;
    for (int k = 0; k < g0.snapshots.size(); k++) {
      TelemetrySnapshot a = g0.snapshots.get(k);
      TelemetrySnapshot b = g4.snapshots.get(k);
      for (int agent = 0; agent <= 2; agent++) {
        assertThat(b.successes()[agent]).as("second %d agent %d", a.timeSec(), agent).isEqualTo(a.successes()[agent]);
        assertThat(b.errors()[agent]).isEqualTo(a.errors()[agent]);
        assertThat(b.p99LatencyMs()[agent]).isEqualTo(a.p99LatencyMs()[agent]);
      }
      assertThat(b.arrivals()[3]).isEqualTo(a.arrivals()[3]);
      bDiffers |= b.p99LatencyMs()[4] != a.p99LatencyMs()[4];
    }
    assertThat(bDiffers).as("agent 4's latency must show its 10x capacity").isTrue();
  }

  @Test
  void immunityOfTheFaultedAgentRemovesTheFault() {
    SimTopology t = twoComponents();
    EpisodeResult b0 = Episode.run(t, f2(), CascadeGuard.none(), 21);
    EpisodeResult imm = Episode.runImmune(t, f2(), CascadeGuard.none(), 21, 2);
    assertThat(b0.faultedAgents()).containsExactly(2);
    assertThat(imm.faultApplied()).isEqualTo(FaultKind.F2_SLOW);
    assertThat(imm.faultedAgents()).isEmpty();
    assertThat(imm.faultTimeSec()).isEqualTo(b0.faultTimeSec());
    assertThat(imm.entryOffered()).isEqualTo(b0.entryOffered());
    assertThat(b0.cascadeSize()).isPositive();
    assertThat(imm.cascadeSize()).isZero();
    // crit_2 = S_B0 - S_immune > 0 on this seed
    assertThat(b0.cascadeSize() - imm.cascadeSize()).isPositive();
  }

  @Test
  void capacityTimesTenKeepsAnOverloadedAgentUp() {
    // agent 0 gets 3x the work one core can do: it rejects 2/3 of its requests and is FAILED
    SimTopology t = SimTopology.builder(2).agent(0, 10 * MS, 0.0, 300).agent(1, MS, 0.0, 0)
        .capacity(0, 1, 1.0, 4, 8).capacity(1, 2, 2.0, 50, 100).call(0, 1, 1.0, 1).build();
    EpisodeParams p = EpisodeParams.defaults().withFault(FaultKind.NONE).withDuration(900, 150)
        .withLoadFactor(1.0).withSinusoidAmplitude(0).withRealisticView(false).withCrashRestart(false);
    EpisodeResult b0 = Episode.run(t, p, CascadeGuard.none(), 3);
    EpisodeResult imm = Episode.runImmune(t, p, CascadeGuard.none(), 3, 0);
    assertThat(b0.cascadeSize()).isEqualTo(0.5);
    assertThat(b0.availability()).isLessThan(0.5);
    assertThat(imm.cascadeSize()).isZero();
    assertThat(imm.availability()).isGreaterThan(0.999);

    SimTopology s = t.withCapacityScaled(0, Episode.IMMUNE_CAPACITY_FACTOR);
    assertThat(s.coresPerInstance(0)).isEqualTo(10.0);
    assertThat(s.threadsPerInstance(0)).isEqualTo(40);
    assertThat(s.queueCapacity(0)).isEqualTo(80);
    assertThat(s.instances(0)).isEqualTo(1);
    assertThat(s.coresPerInstance(1)).isEqualTo(2.0);
    assertThat(t.coresPerInstance(0)).as("the original is not modified").isEqualTo(1.0);
  }

  @Test
  void aSurgeSparesAnImmuneEntry() {
    SimTopology t = TestTopologies.diamond(50);
    FaultMagnitudes longSurge = new FaultMagnitudes(10, 180, 0.5, 2.0, 10_000, 0.5, 120, 6, 0.2, false);
    EpisodeParams p = EpisodeParams.defaults().withDuration(1000, 300).withSinusoidAmplitude(0)
        .withFault(FaultKind.F4_SURGE).withMagnitudes(longSurge);
    EpisodeResult b0 = Episode.run(t, p, CascadeGuard.none(), 12);
    EpisodeResult imm = Episode.runImmune(t, p, CascadeGuard.none(), 12, 0);
    double window = 1000 - b0.faultTimeSec();
    assertThat(imm.faultTimeSec()).isEqualTo(b0.faultTimeSec());
    assertThat(b0.entryOffered() / window).isCloseTo(2.0 * 0.9 * 50, within(6.0));
    assertThat(imm.entryOffered() / window).isCloseTo(0.9 * 50, within(3.0));
  }

  @Test
  void rejectsAnAgentOutsideTheTopology() {
    SimTopology t = TestTopologies.diamond(50);
    assertThatThrownBy(() -> Episode.runImmune(t, f2(), CascadeGuard.none(), 1, 4))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("immune agent 4 outside [0, 4)");
  }
}
