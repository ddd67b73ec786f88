package io.aura.cascade.sim;

import static io.aura.cascade.sim.TestTopologies.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The arm enum and the B0 ablations inside the DES. */
class BaselineArmsTest {
  static EpisodeParams quiet(long durationSec, Baseline b) {
    return EpisodeParams.defaults().withFault(FaultKind.NONE).withDuration(durationSec, Math.min(300, durationSec / 4))
        .withSinusoidAmplitude(0).withLoadFactor(1.0).withCrashRestart(false).withRealisticView(false).withBaseline(b);
  }

  @Test
  void armNamesParseCaseInsensitivelyAndUnknownNamesListTheAcceptedOnes() {
    for (Baseline b : Baseline.values()) {
      assertThat(Baseline.parse(b.armName())).isSameAs(b);
      assertThat(Baseline.parse(" " + b.armName().toUpperCase(java.util.Locale.ROOT) + " ")).isSameAs(b);
    }
    assertThat(Baseline.B1_R4J.armName()).isEqualTo("b1-r4j");
    assertThat(Baseline.B0_NOTIMEOUT.armName()).isEqualTo("b0-notimeout");
    assertThatThrownBy(() -> Baseline.parse("b5")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'b5'")
        .hasMessageContaining("b0, b0-noretry, b0-notimeout, b1-r4j, b1-hyx, b2, b3, b4");
    assertThatThrownBy(() -> Baseline.parse(null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("accepted");
  }

  @Test
  void paramsDefaultToB0AndCarryTheBaselineThroughEveryWither() {
    EpisodeParams p = EpisodeParams.defaults();
    assertThat(p.baseline()).isEqualTo(Baseline.B0);
    EpisodeParams q = p.withBaseline(Baseline.B3).withLoadFactor(0.5).withFault(FaultKind.NONE).withPredictOnly(true)
        .withDuration(100, 10).withRealisticView(false).withCrashRestart(false).withActuationDelayMs(5)
        .withSinusoidAmplitude(0).withMagnitudes(FaultMagnitudes.standard());
    assertThat(q.baseline()).isEqualTo(Baseline.B3);
    assertThatThrownBy(() -> p.withBaseline(null)).isInstanceOf(NullPointerException.class);
  }

  /** Caller 0 (entry) calls 1, which always fails: B0 makes 3 attempts per call, B0-noretry 1. */
  @Test
  void noRetryMakesOneAttemptPerCall() {
    SimTopology t = SimTopology.builder(2).agent(0, MS, 0.0, 20).agent(1, MS, 1.0, 0)
        .capacity(0, 1, 1.0, 100, 100).capacity(1, 1, 1.0, 100, 100).call(0, 1, 1.0, 1).build();
    RecordingGuard b0 = new RecordingGuard();
    Episode.run(t, quiet(300, Baseline.B0), b0, 1);
    RecordingGuard nr = new RecordingGuard();
    Episode.run(t, quiet(300, Baseline.B0_NORETRY), nr, 1);
    long calls0 = b0.sum(TelemetrySnapshot::errors, 0, 10, 290);
    long att0 = b0.sum(TelemetrySnapshot::edgeAttempts, 0, 10, 290);
    long callsN = nr.sum(TelemetrySnapshot::errors, 0, 10, 290);
    long attN = nr.sum(TelemetrySnapshot::edgeAttempts, 0, 10, 290);
    assertThat((double) att0 / calls0).isBetween(2.95, 3.05);
    // zero network delay: every attempt arrives at the callee in the same second
    assertThat(attN).isEqualTo(nr.sum(TelemetrySnapshot::arrivals, 1, 10, 290)).isBetween(callsN - 2, callsN + 2);
    // entry arrivals are common random numbers: the same in both arms
    assertThat(nr.sumArrivals(0, 0, 300)).isEqualTo(b0.sumArrivals(0, 0, 300));
  }

  /**
   * A callee that always fails: every entry request is lost under B0 and B3 alike, B0 has no protection
   * to charge, and B3's throttle and retry budget refuse calls, so part of its loss is charged to them
   * (never more than it lost).
   */
  @Test
  void theLossChargedToProtectionIsZeroForB0AndBoundedForB3() {
    SimTopology t = SimTopology.builder(2).agent(0, MS, 0.0, 20).agent(1, MS, 1.0, 0)
        .capacity(0, 1, 1.0, 100, 100).capacity(1, 1, 1.0, 100, 100).call(0, 1, 1.0, 1).build();
    EpisodeResult b0 = Episode.run(t, quiet(600, Baseline.B0), CascadeGuard.none(), 1);
    EpisodeResult b3 = Episode.run(t, quiet(600, Baseline.B3), CascadeGuard.none(), 1);
    assertThat(b0.entryOffered()).isGreaterThan(1_000);
    assertThat(b0.entrySucceeded()).isZero();
    assertThat(b0.entryLostToProtection()).isZero();
    assertThat(b3.entrySucceeded()).isZero();
    assertThat(b3.entryLostToProtection()).isPositive().isLessThanOrEqualTo(b3.entryOffered());
  }

  /** A callee slower than the timeout: B0 times out, B0-notimeout waits for every answer. */
  @Test
  void noTimeoutWaitsForTheCallee() {
    SimTopology t = SimTopology.builder(2).agent(0, MS, 0.0, 5).agent(1, 200 * MS, 0.0, 0)
        .capacity(0, 1, 1.0, 1000, 100).capacity(1, 1, 4.0, 1000, 100)
        .call(0, 1, 1.0, 1, 100 * MS, 3, 500 * MS).build();
    RecordingGuard b0 = new RecordingGuard();
    EpisodeResult r0 = Episode.run(t, quiet(400, Baseline.B0), b0, 3);
    RecordingGuard nt = new RecordingGuard();
    EpisodeResult rn = Episode.run(t, quiet(400, Baseline.B0_NOTIMEOUT), nt, 3);
    assertThat(b0.sum(TelemetrySnapshot::timeouts, 0, 0, 400)).isGreaterThan(100);
    assertThat(nt.sum(TelemetrySnapshot::timeouts, 0, 0, 400)).isZero();
    assertThat(nt.sum(TelemetrySnapshot::errors, 0, 0, 400)).isZero();
    assertThat(rn.availability()).isGreaterThan(0.99); // only requests in flight at T are missing
    assertThat(r0.availability()).isLessThan(0.9);
    // mean latency ≈ 200 ms of CPU on a lightly loaded 4-core callee
    assertThat(rn.meanEntryLatencyMs()).isBetween(150.0, 300.0);
  }
}
