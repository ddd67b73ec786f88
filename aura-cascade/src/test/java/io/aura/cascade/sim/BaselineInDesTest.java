package io.aura.cascade.sim;

import static io.aura.cascade.sim.BaselineArmsTest.quiet;
import static io.aura.cascade.sim.TestTopologies.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.aura.cascade.baseline.CircuitBreaker;
import io.aura.cascade.baseline.CircuitState;
import io.aura.cascade.baseline.EnvoyOutlierDetector;
import io.aura.cascade.baseline.HystrixCircuitBreaker;
import io.aura.cascade.baseline.R4jCircuitBreaker;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each section-5 baseline inside the D3 DES, on small hand-built topologies. */
class BaselineInDesTest {
  private static final long SEC = 1_000_000_000L;

  /** Entry agent 0 (one instance, many threads) calls agent 1 once per request with timeout 100 ms. */
  static SimTopology pair(double entryRate, long calleeDemandNs, double calleeError, int maxAttempts) {
    return SimTopology.builder(2).agent(0, MS / 10, 0.0, entryRate).agent(1, calleeDemandNs, calleeError, 0)
        .capacity(0, 1, 4.0, 2000, 100).capacity(1, 1, 1000.0, 2000, 100)
        .call(0, 1, 1.0, 1, 100 * MS, maxAttempts, 500 * MS).build();
  }

  private static long calleeArrivals(RecordingGuard g) {
    return g.sum(TelemetrySnapshot::arrivals, 1, 0, Long.MAX_VALUE);
  }

  // ------------------------------------------------------------------ B1-R4J

  @Test
  void r4jOpensAfterExactly100FailedCallsAndAdmitsTenTrialCallsPerHalfOpen() {
    // the callee always fails: the breaker opens at the 100th recorded call, then every 60 s the
    // first call after the wait starts HALF_OPEN, which admits exactly 10 trial calls (all fail)
    SimTopology t = pair(20, MS, 1.0, 3);
    RecordingGuard g = new RecordingGuard();
    Des d = new Des(t, quiet(400, Baseline.B1_R4J), g, 7);
    d.run();
    CircuitBreaker cb = d.breaker(0, 0);
    assertThat(cb).isInstanceOf(R4jCircuitBreaker.class);
    long trips = d.baselineTrips();
    assertThat(trips).isBetween(5L, 7L); // ~400 s / 60 s
    long arrivals = calleeArrivals(g);
    assertThat(arrivals).isBetween(100 + 10 * (trips - 1), 100 + 10 * trips);
    // first opening: 100 attempts at ~60 attempts/s (20 requests/s × 3 attempts)
    assertThat(d.baselineFirstTripNs()).isBetween(SEC, 4 * SEC);
    // while OPEN calls fail fast at the caller: no load on the callee, blocked attempts instead
    long openFrom = d.baselineFirstTripNs() / SEC + 2;
    assertThat(g.sum(TelemetrySnapshot::arrivals, 1, openFrom, openFrom + 55)).isZero();
    long blocked = g.sum(TelemetrySnapshot::blocked, 0, openFrom, openFrom + 55);
    long requests = g.sum(TelemetrySnapshot::errors, 0, openFrom, openFrom + 55);
    assertThat(blocked).isEqualTo(g.sum(TelemetrySnapshot::edgeAttempts, 0, openFrom, openFrom + 55));
    assertThat((double) blocked / requests).isCloseTo(3.0, within(0.05)); // still retried 3 times
    assertThat(d.baselineBlocked()).isGreaterThan(blocked);
  }

  @Test
  void r4jBelowFiftyPercentFailuresNeverOpensAndLeavesTheTraceOfB0() {
    // 20% of calls fail (ε = 0.2): the failure rate of a 100-call window stays below 50%
    SimTopology t = pair(20, MS, 0.2, 3);
    Des d = new Des(t, quiet(600, Baseline.B1_R4J), CascadeGuard.none(), 8);
    EpisodeResult r1 = d.run();
    EpisodeResult r0 = Episode.run(t, quiet(600, Baseline.B0), CascadeGuard.none(), 8);
    assertThat(d.baselineTrips()).isZero();
    assertThat(d.breaker(0, 0).state()).isEqualTo(CircuitState.CLOSED);
    assertThat(((R4jCircuitBreaker) d.breaker(0, 0)).bufferedCalls()).isEqualTo(100);
    assertThat(r1.traceSha256()).isEqualTo(r0.traceSha256());
  }

  @Test
  void r4jTunedToATenPercentThresholdOpensWhereTheDefaultNeverDoes() {
    // the same 20% failure rate as above: below the default 50%, above a tuned 10% (spec 10.3 sweeps)
    SimTopology t = pair(20, MS, 0.2, 3);
    EpisodeParams tuned = quiet(600, Baseline.B1_R4J).withTuning(BaselineTuning.defaults()
        .withR4j(io.aura.cascade.baseline.R4jCircuitBreakerConfig.builder().failureRateThresholdPercent(10).build()));
    Des d = new Des(t, tuned, CascadeGuard.none(), 8);
    d.run();
    assertThat(d.baselineTrips()).isPositive();
    assertThat(d.baselineBlocked()).isPositive();
  }

  // ------------------------------------------------------------------ B1-HYX

  @Test
  void hystrixOpensAfter20RequestsAtFiftyPercentAndTestsOneCallPerSleepWindow() {
    // always failing callee: open at the 20th error; then every 5 s one test call that fails
    SimTopology t = pair(5, MS, 1.0, 3);
    RecordingGuard g = new RecordingGuard();
    Des d = new Des(t, quiet(300, Baseline.B1_HYX), g, 9);
    d.run();
    assertThat(d.breaker(0, 0)).isInstanceOf(HystrixCircuitBreaker.class);
    long trips = d.baselineTrips();
    assertThat(trips).isBetween(50L, 62L); // 300 s / (5 s sleep + up to 1 s until the next call)
    long arrivals = calleeArrivals(g);
    assertThat(arrivals).isBetween(20 + (trips - 1), 20 + trips);
    // 20 errors at ~15 attempts/s: within the first 10-s window
    assertThat(d.baselineFirstTripNs()).isBetween(SEC / 2, 5 * SEC);
  }

  @Test
  void hystrixNeedsTwentyRequestsInTheWindow() {
    // 100% failures but only ~0.6 attempts/s (0.2 requests/s × 3): never 20 in 10 s, never opens
    SimTopology t = pair(0.2, MS, 1.0, 3);
    Des d = new Des(t, quiet(600, Baseline.B1_HYX), CascadeGuard.none(), 10);
    EpisodeResult r1 = d.run();
    EpisodeResult r0 = Episode.run(t, quiet(600, Baseline.B0), CascadeGuard.none(), 10);
    assertThat(d.baselineTrips()).isZero();
    assertThat(d.baselineBlocked()).isZero();
    // timeout 100 ms < Hystrix's 1 s, bulkhead never full: identical to B0
    assertThat(r1.traceSha256()).isEqualTo(r0.traceSha256());
  }

  @Test
  void hystrixBulkheadCapsConcurrencyPerDependencyAtTen() {
    // offered concurrency 280/s × 50 ms = 14 calls in flight; the bulkhead admits 10
    SimTopology t = SimTopology.builder(2).agent(0, MS / 10, 0.0, 280).agent(1, 50 * MS, 0.0, 0)
        .capacity(0, 1, 8.0, 5000, 100).capacity(1, 1, 1000.0, 2000, 100)
        .call(0, 1, 1.0, 1, 5000 * MS, 3, 500 * MS).build();
    RecordingGuard hy = new RecordingGuard();
    Des d = new Des(t, quiet(120, Baseline.B1_HYX), hy, 11);
    d.run();
    RecordingGuard b0 = new RecordingGuard();
    Episode.run(t, quiet(120, Baseline.B0), b0, 11);
    int maxHy = hy.snapshots.stream().mapToInt(s -> s.inFlight()[1]).max().orElseThrow();
    int maxB0 = b0.snapshots.stream().mapToInt(s -> s.inFlight()[1]).max().orElseThrow();
    assertThat(maxHy).isEqualTo(10);
    assertThat(maxB0).isGreaterThan(15);
    assertThat(d.baselineBlocked()).isPositive();
    assertThat(hy.sum(TelemetrySnapshot::blocked, 0, 0, 120)).isEqualTo(d.baselineBlocked());
  }

  // ------------------------------------------------------------------ B2

  /** One agent, one instance of 1 core, M/M/1-PS with ρ = rate × 10 ms. */
  private static SimTopology single(double rate) {
    return SimTopology.builder(1).agent(0, 10 * MS, 0.0, rate).capacity(0, 1, 1.0, 60, 200).build();
  }

  @Test
  void sentinelStaysOffWhileLoad1IsBelowTwoAndAHalfTimesTheCores() {
    // ρ = 0.5: mean jobs in the CPU phase 1, load1 ≈ 1 < 2.5
    Des d = new Des(single(50), quiet(900, Baseline.B2), CascadeGuard.none(), 12);
    EpisodeResult r2 = d.run();
    EpisodeResult r0 = Episode.run(single(50), quiet(900, Baseline.B0), CascadeGuard.none(), 12);
    assertThat(d.sentinel(0).load1()).isBetween(0.3, 2.0);
    assertThat(d.baselineRejected()).isZero();
    assertThat(r2.traceSha256()).isEqualTo(r0.traceSha256());
  }

  @Test
  void sentinelRejectsOnceLoad1ExceedsTheThresholdAndTheBbrCheckFails() {
    // ρ = 0.95: mean jobs in the CPU phase ≈ 19, load1 far above 2.5 once it has risen
    RecordingGuard g = new RecordingGuard();
    Des d = new Des(single(95), quiet(900, Baseline.B2), g, 13);
    d.run();
    assertThat(d.baselineRejected()).isPositive();
    // load1 starts at 0 and moves by (1 − e^{−5/60}) ≈ 8% of the gap per 5-s sample: no rejection in
    // the first 5-s sample periods
    assertThat(d.baselineFirstTripNs()).isGreaterThanOrEqualTo(10 * SEC);
    assertThat(g.sum(TelemetrySnapshot::rejected, 0, 0, 10)).isZero();
    assertThat(g.sum(TelemetrySnapshot::rejected, 0, 0, 900)).isEqualTo(d.baselineRejected());
    // admission keeps the in-flight count near maxSuccessQps × minRt: far below B0's queue
    RecordingGuard b0 = new RecordingGuard();
    Episode.run(single(95), quiet(900, Baseline.B0), b0, 13);
    double inB2 = g.snapshots.stream().skip(300).mapToInt(s -> s.inFlight()[0]).average().orElseThrow();
    double inB0 = b0.snapshots.stream().skip(300).mapToInt(s -> s.inFlight()[0]).average().orElseThrow();
    assertThat(inB2).isLessThan(inB0);
  }

  @Test
  void aSentinelRejectionTakesItsCpuFromTheRunningJobsOnlyWhenTheCoresAreBusy() {
    // free core: nobody slows down
    assertThat(Des.psChargeLoss(0, 2.0, 100_000)).isZero();
    assertThat(Des.psChargeLoss(1, 2.0, 100_000)).isZero();
    // saturated: the n jobs lose the whole work between them, work/n each
    assertThat(Des.psChargeLoss(4, 2.0, 100_000)).isCloseTo(25_000, within(1e-6));
    assertThat(Des.psChargeLoss(2, 2.0, 100_000)).isCloseTo(50_000, within(1e-6));
    // 1.5 cores, 1 job: the job drops from rate 1 to 0.75 while the rejection runs 0.1 ms / 0.75
    assertThat(Des.psChargeLoss(1, 1.5, 100_000)).isCloseTo(100_000 / 0.75 * 0.25, within(1e-6));
  }

  // ------------------------------------------------------------------ B3

  @Test
  void sreThrottleRejectsWithTheSreBookProbabilityAgainstACapacityLimitedBackend() {
    // 100 requests/s, one attempt each; the callee accepts 20/s (inbound rate limit). In steady state
    // requests = 120 s × 100/s and accepts = 120 s × 20/s over the 2-min window, so
    // p_reject = (R − 2A)/(R + 1) = (12000 − 4800)/12001 ≈ 0.600
    SimTopology t = pair(100, MS, 0.0, 1);
    RecordingGuard g = new RecordingGuard(s -> s.timeSec() == 1
        ? List.of(new Action.RateLimit(1, -1, 20, 600_000)) : List.of());
    Des d = new Des(t, quiet(600, Baseline.B3), g, 14);
    d.run();
    long attempts = g.sum(TelemetrySnapshot::edgeAttempts, 0, 250, 550);
    long throttled = g.sum(TelemetrySnapshot::blocked, 0, 250, 550);
    double expected = (12000 - 2 * 2400) / 12001.0;
    assertThat((double) throttled / attempts).isCloseTo(expected, within(0.02));
    // the backend then sees about 2 × its accept rate
    assertThat(g.sum(TelemetrySnapshot::arrivals, 1, 250, 550) / 300.0).isCloseTo(40.0, within(2.0));
  }

  @Test
  void sreRetryBudgetCapsRetriesAtTenPercentOfRequests() {
    // an always failing callee answers (errors are accepts, so no throttling); B0 would make 3
    // attempts per request, B3's budget allows 0.1 retries per request
    SimTopology t = pair(50, MS, 1.0, 3);
    RecordingGuard g = new RecordingGuard();
    Des d = new Des(t, quiet(600, Baseline.B3), g, 15);
    d.run();
    long attempts = g.sum(TelemetrySnapshot::edgeAttempts, 0, 200, 590);
    long requests = g.sum(TelemetrySnapshot::errors, 0, 200, 590);
    assertThat((double) attempts / requests).isCloseTo(1.10, within(0.02));
    assertThat(d.baselineRetriesDenied()).isPositive();
    assertThat(d.baselineBlocked()).isZero();
  }

  // ------------------------------------------------------------------ B4

  @Test
  void envoyEjectsACrashedInstanceButNeverMoreThanTenPercentOfTheHosts() {
    // callee 1 has 10 instances; F3 crashes 5 of them at t_f. Each crashed one answers with 1-s
    // connect failures until the health checks eject it 15 s later; B4 ejects after 5 consecutive
    // failures, but at most 1 of 10 hosts (10%) per caller view
    SimTopology t = SimTopology.builder(2).agent(0, MS / 10, 0.0, 50).agent(1, 20 * MS, 0.0, 0)
        .capacity(0, 1, 4.0, 2000, 100).capacity(1, 10, 1.0, 50, 100)
        .call(0, 1, 1.0, 1, 2000 * MS, 3, 500 * MS).build();
    EpisodeParams p = quiet(1000, Baseline.B4).withFault(FaultKind.F3_CAPACITY);
    RecordingGuard g4 = new RecordingGuard();
    Des d = new Des(t, p, g4, 16);
    EpisodeResult r4 = d.run();
    RecordingGuard g0 = new RecordingGuard();
    EpisodeResult r0 = Episode.run(t, p.withBaseline(Baseline.B0), g0, 16);
    assertThat(r4.faultedAgents()).containsExactly(1);
    EnvoyOutlierDetector det = d.outlierDetector(0, 0);
    assertThat(det.ejectionsTotal()).isGreaterThanOrEqualTo(1);
    assertThat(det.ejectionsOverflow()).isPositive(); // the other crashed hosts hit the 10% cap
    assertThat(det.ejectedCount()).isLessThanOrEqualTo(1);
    long tf = (long) (r4.faultTimeSec() * SEC);
    assertThat(d.baselineFirstTripNs()).isBetween(tf, tf + 15 * SEC);
    // until t_f the arms are identical (common random numbers, nothing to eject)
    for (int k = 0; k < (int) r4.faultTimeSec() - 1; k++) {
      assertThat(canonical(g4.snapshots.get(k))).isEqualTo(canonical(g0.snapshots.get(k)));
    }
    long tfs = (long) r4.faultTimeSec();
    assertThat(g4.sum(TelemetrySnapshot::timeouts, 0, tfs, tfs + 30))
        .isLessThan(g0.sum(TelemetrySnapshot::timeouts, 0, tfs, tfs + 30));
  }

  // ------------------------------------------------------------------ CRN, determinism

  @Test
  void b0AndR4jProduceIdenticalSnapshotsUntilTheFirstBreakerOpening() {
    // F5 error burst on the leaf: enough failures to open breakers on some caller instances
    SimTopology t = TestTopologies.randomDag(40, 2, 30, 0.2, 21);
    EpisodeParams p = EpisodeParams.defaults().withDuration(1000, 300).withRealisticView(false)
        .withFault(FaultKind.F5_ERRORS).withMagnitudes(FaultMagnitudes.standard().scaled(2)); // ε = 1
    RecordingGuard g0 = new RecordingGuard();
    Episode.run(t, p, g0, 22);
    RecordingGuard g1 = new RecordingGuard();
    Des d = new Des(t, p.withBaseline(Baseline.B1_R4J), g1, 22);
    d.run();
    long trip = d.baselineFirstTripNs();
    assertThat(trip).isPositive();
    int equalUntil = 0;
    while (equalUntil < g0.snapshots.size()
        && canonical(g0.snapshots.get(equalUntil)).equals(canonical(g1.snapshots.get(equalUntil)))) {
      equalUntil++;
    }
    // every snapshot whose window ends before the opening is identical, and the arms then diverge
    long lastBefore = (trip - 1) / SEC; // snapshot k covers ((k), k+1] seconds, timeSec = k + 1
    assertThat((long) equalUntil).isGreaterThanOrEqualTo(lastBefore);
    assertThat(equalUntil).isLessThan(g0.snapshots.size());
  }

  @Test
  void everyArmIsDeterministic() {
    SimTopology t = TestTopologies.randomDag(30, 2, 20, 0.2, 31);
    EpisodeParams p = EpisodeParams.defaults().withDuration(900, 300);
    for (Baseline b : Baseline.values()) {
      EpisodeResult x = Episode.run(t, p.withBaseline(b), CascadeGuard.none(), 32);
      EpisodeResult y = Episode.run(t, p.withBaseline(b), CascadeGuard.none(), 32);
      assertThat(x.traceSha256()).as(b.armName()).isEqualTo(y.traceSha256());
      assertThat(x).as(b.armName()).usingRecursiveComparison().ignoringFields("predictNanos").isEqualTo(y);
    }
  }

  static String canonical(TelemetrySnapshot s) {
    return s.timeSec() + Arrays.toString(s.arrivals()) + Arrays.toString(s.successes()) + Arrays.toString(s.errors())
        + Arrays.toString(s.rejected()) + Arrays.toString(s.timeouts()) + Arrays.toString(s.blocked())
        + Arrays.toString(s.downstream()) + Arrays.toString(s.p50LatencyMs()) + Arrays.toString(s.p99LatencyMs())
        + Arrays.toString(s.inFlight()) + Arrays.toString(s.queueLength()) + Arrays.toString(s.threadUtilisation())
        + Arrays.toString(s.cpuUtilisation()) + Arrays.toString(s.healthyInstances())
        + Arrays.toString(s.edgeAttempts()) + Arrays.toString(s.edgeFailures());
  }
}
