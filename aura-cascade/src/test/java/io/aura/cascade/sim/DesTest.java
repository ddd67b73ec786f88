package io.aura.cascade.sim;

import static io.aura.cascade.sim.TestTopologies.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class DesTest {
  private static EpisodeParams quiet(long durationSec) {
    return EpisodeParams.defaults().withFault(FaultKind.NONE).withDuration(durationSec, Math.min(300, durationSec / 4))
        .withSinusoidAmplitude(0).withLoadFactor(1.0).withCrashRestart(false).withRealisticView(false);
  }

  @Test
  void mm1ProcessorSharingMeanResponseAtRhoHalf() {
    // one instance, one core, unbounded threads: M/M/1-PS, E[T] = d / (1 - rho) = 20 ms
    SimTopology t = SimTopology.builder(1).agent(0, 10 * MS, 0.0, 50).capacity(0, 1, 1.0, 10_000, 0).build();
    RecordingGuard g = new RecordingGuard();
    EpisodeResult r = Episode.run(t, quiet(1800), g, 5);
    assertThat(r.meanEntryLatencyMs()).isCloseTo(20.0, within(2.0));
    double cpu = 0;
    for (TelemetrySnapshot s : g.snapshots) {
      cpu += s.cpuUtilisation()[0];
      assertThat(s.p50LatencyMs()[0]).isLessThanOrEqualTo(s.p95LatencyMs()[0]);
      assertThat(s.p95LatencyMs()[0]).isLessThanOrEqualTo(s.p99LatencyMs()[0]);
    }
    assertThat(cpu / g.snapshots.size()).isCloseTo(0.5, within(0.03));
  }

  @Test
  void twoCoresAtLowLoadServeAtFullSpeed() {
    // k = 2 cores, rho = 0.1 per core: PS gives each of <= 2 jobs a full core, E[T] close to d
    SimTopology t = SimTopology.builder(1).agent(0, 10 * MS, 0.0, 20).capacity(0, 1, 2.0, 1000, 0).build();
    EpisodeResult r = Episode.run(t, quiet(1200), CascadeGuard.none(), 5);
    assertThat(r.meanEntryLatencyMs()).isBetween(9.5, 10.5);
  }

  @Test
  void sameSeedSameTraceDifferentSeedDifferentTrace() {
    SimTopology t = TestTopologies.randomDag(60, 3, 20, 0.2, 9);
    EpisodeParams p = EpisodeParams.defaults().withDuration(1000, 300);
    EpisodeResult a = Episode.run(t, p, CascadeGuard.none(), 123);
    EpisodeResult b = Episode.run(t, p, CascadeGuard.none(), 123);
    EpisodeResult c = Episode.run(t, p, CascadeGuard.none(), 124);
    assertThat(a.traceSha256()).hasSize(64).isEqualTo(b.traceSha256());
    // predictNanos is wall time, the one field that may differ between two runs
    assertThat(a).usingRecursiveComparison().ignoringFields("predictNanos").isEqualTo(b);
    assertThat(c.traceSha256()).isNotEqualTo(a.traceSha256());
  }

  @Test
  void aReplicaKeepsTheFaultAndRedrawsEverythingElse() {
    SimTopology t = TestTopologies.randomDag(60, 3, 20, 0.2, 9);
    EpisodeParams p = EpisodeParams.defaults().withDuration(1000, 300);
    EpisodeResult base = Episode.run(t, p, CascadeGuard.none(), 123);
    EpisodeResult zero = Episode.runReplica(t, p, CascadeGuard.none(), 123, 0);
    EpisodeResult one = Episode.runReplica(t, p, CascadeGuard.none(), 123, 1);
    EpisodeResult two = Episode.runReplica(t, p, CascadeGuard.none(), 123, 2);
    assertThat(zero.traceSha256()).isEqualTo(base.traceSha256());
    for (EpisodeResult r : List.of(one, two)) {
      assertThat(r.faultApplied()).isEqualTo(base.faultApplied());
      assertThat(r.faultTimeSec()).isEqualTo(base.faultTimeSec());
      assertThat(r.faultedAgents()).containsExactly(base.faultedAgents());
      assertThat(r.traceSha256()).isNotEqualTo(base.traceSha256());
    }
    assertThat(one.traceSha256()).isNotEqualTo(two.traceSha256());
    assertThat(Episode.runReplica(t, p, CascadeGuard.none(), 123, 1).traceSha256()).isEqualTo(one.traceSha256());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Episode.runReplica(t, p, CascadeGuard.none(), 123, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replica -1");
  }

  @Test
  void failingCalleeIsRetriedUpToMaxAttempts() {
    SimTopology t = SimTopology.builder(2).agent(0, MS, 0.0, 20).agent(1, MS, 1.0, 0)
        .capacity(0, 1, 1.0, 100, 100).capacity(1, 1, 1.0, 100, 100).call(0, 1, 1.0, 1).build();
    RecordingGuard g = new RecordingGuard();
    Episode.run(t, quiet(300), g, 1);
    long calls = g.sum(TelemetrySnapshot::successes, 0, 10, 290) + g.sum(TelemetrySnapshot::errors, 0, 10, 290);
    long attempts = g.sum(TelemetrySnapshot::edgeAttempts, 0, 10, 290);
    assertThat(g.sum(TelemetrySnapshot::successes, 0, 10, 290)).isZero();
    assertThat(attempts / (double) calls).isCloseTo(3.0, within(0.05));
    assertThat(g.sumArrivals(1, 10, 290)).isCloseTo(attempts, within(5L));
    // each failed call holds its thread for 2 retry waits of 500 ms
    assertThat(g.snapshots.get(100).inFlight()[0]).isBetween(8, 40);
  }

  @Test
  void timedOutAttemptsKeepConsumingTheCallee() {
    // callee needs 200 ms on average, timeout 50 ms: nearly all attempts time out, callee still works
    SimTopology t = SimTopology.builder(2).agent(0, MS, 0.0, 2).agent(1, 200 * MS, 0.0, 0)
        .capacity(0, 1, 1.0, 100, 100).capacity(1, 1, 4.0, 100, 100)
        .call(0, 1, 1.0, 1, 50 * MS, 3, 500 * MS).build();
    RecordingGuard g = new RecordingGuard();
    EpisodeResult r = Episode.run(t, quiet(600), g, 2);
    long calleeOk = g.sum(TelemetrySnapshot::successes, 1, 10, 590);
    long callerOk = g.sum(TelemetrySnapshot::successes, 0, 10, 590);
    long callerAll = callerOk + g.sum(TelemetrySnapshot::errors, 0, 10, 590);
    // low load, so PS serves at full speed: an attempt succeeds w.p. q = 1 - e^{-50/200}
    double pFail = Math.exp(-0.25);
    assertThat(callerOk / (double) callerAll).isCloseTo(1 - Math.pow(pFail, 3), within(0.04));
    // wasted work: the callee completes every attempt, E[#att] = 1 + p + p^2 per call
    assertThat(calleeOk / (double) callerAll).isCloseTo(1 + pFail + pFail * pFail, within(0.15));
    assertThat(g.sum(TelemetrySnapshot::timeouts, 0, 10, 590)).isEqualTo(g.sum(TelemetrySnapshot::edgeFailures, 0, 10, 590));
    assertThat(g.sum(TelemetrySnapshot::downstream, 0, 10, 590)).isEqualTo(g.sum(TelemetrySnapshot::errors, 0, 10, 590));
    assertThat(r.events()).isPositive();
  }

  @Test
  void fullQueueRejects() {
    SimTopology t = SimTopology.builder(1).agent(0, 10 * MS, 0.0, 300).capacity(0, 1, 1.0, 2, 3).build();
    RecordingGuard g = new RecordingGuard();
    Episode.run(t, quiet(120), g, 3);
    long rej = g.sum(TelemetrySnapshot::rejected, 0, 10, 110);
    long arr = g.sumArrivals(0, 10, 110);
    assertThat(rej / (double) arr).isGreaterThan(0.5); // offered 3x capacity
    assertThat(g.snapshots.get(50).queueLength()[0]).isBetween(0, 3);
  }

  @Test
  void isolateIsEnforcedAfterActuationDelayAndChargedAsFailure() {
    SimTopology t = TestTopologies.diamond(50);
    RecordingGuard g = new RecordingGuard(
        s -> s.timeSec() == 100 ? List.of(new Action.Isolate(3, 50_000)) : List.of());
    EpisodeResult r = Episode.run(t, quiet(300), g, 4);
    assertThat(r.actionCount()).isEqualTo(1);
    // before: agent 3 serves; from t = 101 s (delta_act = 1 s) to 151 s everything it gets is rejected
    assertThat(g.sum(TelemetrySnapshot::successes, 3, 50, 100)).isPositive();
    assertThat(g.sum(TelemetrySnapshot::successes, 3, 102, 150)).isZero();
    assertThat(g.sum(TelemetrySnapshot::successes, 0, 102, 150)).isZero();
    assertThat(g.sum(TelemetrySnapshot::edgeFailures, 2, 102, 150)).isPositive();
    assertThat(g.sum(TelemetrySnapshot::blocked, 1, 102, 150)).isPositive();
    assertThat(g.sum(TelemetrySnapshot::blocked, 1, 50, 100)).isZero();
    assertThat(g.sum(TelemetrySnapshot::successes, 3, 160, 290)).isPositive();

    RecordingGuard po = new RecordingGuard(
        s -> s.timeSec() == 100 ? List.of(new Action.Isolate(3, 50_000)) : List.of());
    EpisodeResult r2 = Episode.run(t, quiet(300).withPredictOnly(true), po, 4);
    assertThat(po.decideCalls).isZero();
    assertThat(r2.actionsApplied()).isEmpty();
    assertThat(po.sum(TelemetrySnapshot::successes, 3, 102, 150)).isPositive();
  }

  /**
   * Isolating the callee of an entry agent with threads to spare is the only cause of loss in a
   * quiet episode: every entry request lost is charged to the protection (spec T4), but those in
   * flight at T. In the diamond, where the refused calls' retry waits use up the entry agent's
   * threads, most of the loss is queue-full rejections at the entry, which the direct charge does
   * not count; an episode without actions charges nothing.
   */
  @Test
  void entryRequestsLostToAnIsolationAreChargedToTheProtection() {
    SimTopology pair = SimTopology.builder(2).agent(0, MS, 0.0, 20).agent(1, MS, 0.0, 0)
        .capacity(0, 1, 4.0, 2_000, 2_000).capacity(1, 1, 1.0, 100, 100).call(0, 1, 1.0, 1).build();
    EpisodeResult r = Episode.run(pair, quiet(1800), new RecordingGuard(
        s -> s.timeSec() == 1000 ? List.of(new Action.Isolate(1, 100_000)) : List.of()), 4);
    long lost = r.entryOffered() - r.entrySucceeded();
    assertThat(r.faultTimeSec()).isLessThan(1000.0);
    assertThat(lost).as("100 s of a 20-req/s entry").isGreaterThan(1_800);
    assertThat(r.entryLostToProtection()).isLessThanOrEqualTo(lost).isGreaterThanOrEqualTo(lost - 5);

    SimTopology diamond = TestTopologies.diamond(50);
    EpisodeResult d = Episode.run(diamond, quiet(1800), new RecordingGuard(
        s -> s.timeSec() == 1000 ? List.of(new Action.Isolate(3, 100_000)) : List.of()), 4);
    assertThat(d.entryLostToProtection()).isPositive().isLessThan((d.entryOffered() - d.entrySucceeded()) / 10);
    EpisodeResult calm = Episode.run(diamond, quiet(1800), new RecordingGuard(), 4);
    assertThat(calm.entryLostToProtection()).isZero();
  }

  @Test
  void timeIntegratedFailedFractionCountsAnIsolationTickByTick() {
    // no fault: the metric window starts at a time drawn from U[600, 900] s; isolating agent 3 from
    // t = 1001 s to 1101 s makes it FAILED for 100 one-second ticks, 1/4 of the agents each
    SimTopology t = TestTopologies.diamond(50);
    RecordingGuard g = new RecordingGuard(
        s -> s.timeSec() == 1000 ? List.of(new Action.Isolate(3, 100_000)) : List.of());
    EpisodeResult r = Episode.run(t, quiet(1800), g, 4);
    assertThat(r.faultTimeSec()).isLessThan(1000.0);
    assertThat(r.actionCount()).isEqualTo(1);
    assertThat(r.failedFractionSeconds()).isGreaterThanOrEqualTo(99 / 4.0);
    assertThat(r.failedFractionSeconds()).isGreaterThanOrEqualTo(r.cascadePeak());
    assertThat(r.failedFractionSeconds()).isLessThanOrEqualTo(r.cascadePeak() * (1800 - r.faultTimeSec()) + 1e-9);

    EpisodeResult calm = Episode.run(t, quiet(1800), new RecordingGuard(), 4);
    assertThat(calm.cascadePeak()).isZero();
    assertThat(calm.failedFractionSeconds()).isZero();
  }

  @Test
  void anAgentTheSutCutsOffFromItsCallersCountsAsFailed() {
    // agent 2 serves 10% of agent 0's requests: cutting it off leaves 0 above the FAILED line, so
    // only 2 can be FAILED, and only because the SUT refuses (nearly) every call towards it
    SimTopology t = SimTopology.builder(3)
        .agent(0, 2 * MS, 0.0, 50).agent(1, 3 * MS, 0.0, 0).agent(2, 3 * MS, 0.0, 0)
        .call(0, 1, 1.0, 1).call(0, 2, 0.1, 1)
        .buildProvisioned(0.2, 11);
    java.util.function.Function<Action, EpisodeResult> run = act -> Episode.run(t, quiet(1800),
        new RecordingGuard(s -> s.timeSec() == 1000 ? List.of(act) : List.of()), 4);
    for (Action cut : List.<Action>of(new Action.OpenBreaker(2, -1, true, 100_000), new Action.RateLimit(0, 2, 0.01, 100_000))) {
      EpisodeResult r = run.apply(cut);
      assertThat(r.faultTimeSec()).isLessThan(1000.0);
      // FAILED from a few seconds after t = 1001 s (10 calls in the window) to the end of the action
      assertThat(r.failedFractionSeconds()).as("%s", cut).isBetween(85 / 3.0, 111 / 3.0);
    }
    // a limit the callers stay under refuses nothing and fails nobody
    EpisodeResult loose = run.apply(new Action.RateLimit(0, 2, 50, 100_000));
    assertThat(loose.failedFractionSeconds()).isZero();
  }

  @Test
  void shedRejectsTheGivenFractionOfInbound() {
    SimTopology t = TestTopologies.diamond(50);
    RecordingGuard g = new RecordingGuard(
        s -> s.timeSec() == 100 ? List.of(new Action.Shed(0, 0.5, 100_000)) : List.of());
    Episode.run(t, quiet(300), g, 4);
    double shedRatio = g.sum(TelemetrySnapshot::rejected, 0, 110, 190) / (double) g.sumArrivals(0, 110, 190);
    assertThat(shedRatio).isCloseTo(0.5, within(0.05));
    assertThat(g.sum(TelemetrySnapshot::rejected, 0, 210, 290) / (double) g.sumArrivals(0, 210, 290)).isLessThan(0.02);
  }

  @Test
  void inboundRateLimitCapsAdmittedRequests() {
    SimTopology t = TestTopologies.diamond(50);
    RecordingGuard g = new RecordingGuard(
        s -> s.timeSec() == 100 ? List.of(new Action.RateLimit(1, -1, 5.0, 100_000)) : List.of());
    Episode.run(t, quiet(300), g, 4);
    long admitted = g.sumArrivals(1, 110, 190) - g.sum(TelemetrySnapshot::rejected, 1, 110, 190);
    assertThat(admitted / 80.0).isCloseTo(5.0, within(0.5));
  }

  @Test
  void breakerOnEdgeFailsCallsWithoutLoadingTheCallee() {
    SimTopology t = TestTopologies.diamond(50);
    RecordingGuard g = new RecordingGuard(
        s -> s.timeSec() == 100 ? List.of(new Action.OpenBreaker(0, 2, false, 60_000)) : List.of());
    Episode.run(t, quiet(300), g, 4);
    assertThat(g.sumArrivals(2, 105, 155)).isZero();
    assertThat(g.sumArrivals(1, 105, 155)).isPositive();
    assertThat(g.sumArrivals(2, 200, 290)).isPositive();
  }

  @Test
  void failStopFaultTakesAllInstancesDownAndIsExcludedFromTheCascade() {
    SimTopology t = TestTopologies.randomDag(40, 2, 30, 0.2, 5);
    RecordingGuard g = new RecordingGuard();
    EpisodeResult r = Episode.run(t, EpisodeParams.defaults().withFault(FaultKind.F1_AGENT).withRealisticView(false), g, 77);
    assertThat(r.faultApplied()).isEqualTo(FaultKind.F1_AGENT);
    assertThat(r.faultTimeSec()).isBetween(600.0, 900.0);
    assertThat(r.faultedAgents()).hasSize(1);
    int a = r.faultedAgents()[0];
    TelemetrySnapshot last = g.snapshots.get(g.snapshots.size() - 1);
    assertThat(last.healthyInstances()[a]).isZero();
    assertThat(r.cascadeSize()).isBetween(0.0, 1.0);
    assertThat(r.cascadePeak()).isLessThanOrEqualTo(r.cascadeSize() + 1e-12);
    assertThat(r.availability()).isBetween(0.0, 1.0);
    assertThat(g.snapshots).hasSize(1800);
  }

  @Test
  void overloadCrashesInstancesWhichRestart() {
    SimTopology t = SimTopology.builder(1).agent(0, 10 * MS, 0.0, 600).capacity(0, 2, 1.0, 2, 20).build();
    RecordingGuard g = new RecordingGuard();
    EpisodeResult r = Episode.run(t, quiet(300).withCrashRestart(true), g, 6);
    assertThat(r.crashes()).isPositive();
    int minUp = Integer.MAX_VALUE;
    for (TelemetrySnapshot s : g.snapshots) {
      minUp = Math.min(minUp, s.healthyInstances()[0]);
    }
    assertThat(minUp).isLessThan(2);
    assertThat(g.snapshots.get(g.snapshots.size() - 1).healthyInstances()[0]).isBetween(0, 2);
  }

  @Test
  void fStdMixResolvesToItsMembers() {
    SimTopology t = TestTopologies.randomDag(40, 2, 30, 0.2, 5);
    int[] seen = new int[FaultKind.values().length];
    for (long seed = 1; seed <= 12; seed++) {
      EpisodeResult r = Episode.run(t, EpisodeParams.defaults().withDuration(905, 300), CascadeGuard.none(), seed);
      seen[r.faultApplied().ordinal()]++;
      assertThat(r.faultApplied()).isIn(FaultKind.F2_SLOW, FaultKind.F3_CAPACITY, FaultKind.F4_SURGE, FaultKind.F5_ERRORS);
    }
    assertThat(seen[FaultKind.F2_SLOW.ordinal()] + seen[FaultKind.F3_CAPACITY.ordinal()]).isPositive();
  }

  @Test
  void failStopInAChainFailsExactlyTheUpstreamAgents() {
    // 0 -> 1 -> 2 -> 3 -> 4; killing agent k makes its k callers FAILED (every call fails after 3 attempts)
    int n = 5;
    SimTopology.Builder b = SimTopology.builder(n);
    for (int i = 0; i < n; i++) {
      b.agent(i, 2 * MS, 0.0, i == 0 ? 20 : 0);
      if (i > 0) {
        b.call(i - 1, i, 1.0, 1);
      }
    }
    SimTopology t = b.buildProvisioned(0.5, 1);
    boolean sawUpstream = false;
    for (long seed = 1; seed <= 6; seed++) {
      EpisodeResult r = Episode.run(t, EpisodeParams.defaults().withFault(FaultKind.F1_AGENT), CascadeGuard.none(), seed);
      int k = r.faultedAgents()[0];
      assertThat(r.cascadeSize()).as("seed %d, killed %d", seed, k).isCloseTo(k / 4.0, within(1e-12));
      assertThat(r.cascadePeak()).isCloseTo(k / 4.0, within(1e-12));
      assertThat(r.availability()).isLessThan(0.02);
      if (k >= 1) {
        sawUpstream = true;
        assertThat(r.onset5Sec()).isPresent();
        assertThat(r.onset10Sec()).isPresent();
        double on = r.onset10Sec().getAsDouble();
        assertThat(on).isGreaterThanOrEqualTo(r.faultTimeSec()).isLessThan(r.faultTimeSec() + 20);
        assertThat(r.onset25Sec().isPresent()).isTrue();
      } else {
        assertThat(r.onset5Sec()).isEmpty();
      }
    }
    assertThat(sawUpstream).isTrue();
  }

  @Test
  void benignEpisodeHasNoCascadeAndFullAvailability() {
    SimTopology t = TestTopologies.randomDag(80, 3, 20, 0.5, 3);
    EpisodeResult r = Episode.run(t, EpisodeParams.defaults().withLoadFactor(0.6).withFault(FaultKind.NONE), CascadeGuard.none(), 8);
    assertThat(r.cascadeSize()).isZero();
    assertThat(r.faultedAgents()).isEmpty();
    assertThat(r.faultTimeSec()).isBetween(600.0, 900.0);
    assertThat(r.entryOffered()).isPositive();
    assertThat(r.availability()).isGreaterThan(0.99);
    assertThat(r.crashes()).isZero();
    assertThat(r.meanEntryLatencyMs()).isPositive();
  }

  @Test
  void predictOnlyArmReplaysB0AndActionsReplayDeterministically() {
    SimTopology t = TestTopologies.randomDag(60, 3, 20, 0.2, 9);
    EpisodeParams p = EpisodeParams.defaults().withDuration(1000, 300);
    java.util.function.Function<TelemetrySnapshot, List<Action>> script = s -> s.timeSec() % 97 == 0
        ? List.of(new Action.Isolate((int) (s.timeSec() % 60), 20_000), new Action.OpenBreaker(0, -1, false, 5_000))
        : List.of();
    String b0 = Episode.run(t, p, CascadeGuard.none(), 31).traceSha256();
    // common random numbers: a guard whose actions are not applied leaves the episode unchanged
    assertThat(Episode.run(t, p.withPredictOnly(true), new RecordingGuard(script), 31).traceSha256()).isEqualTo(b0);
    EpisodeResult full1 = Episode.run(t, p, new RecordingGuard(script), 31);
    EpisodeResult full2 = Episode.run(t, p, new RecordingGuard(script), 31);
    assertThat(full1.actionCount()).isPositive();
    assertThat(full1.traceSha256()).isEqualTo(full2.traceSha256()).isNotEqualTo(b0);
  }

  @Test
  void faultMagnitudesScaleAndAttackTargetsTheTopLoadAgent() {
    FaultMagnitudes m = FaultMagnitudes.standard().scaled(1.5);
    assertThat(m.slowFactor()).isEqualTo(15.0);
    assertThat(m.capacityLossFraction()).isEqualTo(0.75);
    assertThat(m.surgeFactor()).isCloseTo(1.9, within(1e-12));
    assertThat(m.errorRate()).isEqualTo(0.75);
    assertThat(FaultMagnitudes.standard().scaled(3).errorRate()).isEqualTo(1.0);

    SimTopology t = TestTopologies.randomDag(50, 2, 30, 0.2, 5);
    int best = 0;
    for (int i = 1; i < t.agentCount(); i++) {
      if (t.designArrivalRatePerSec(i) * t.cpuDemandNs(i) > t.designArrivalRatePerSec(best) * t.cpuDemandNs(best)) {
        best = i;
      }
    }
    FaultMagnitudes attack = new FaultMagnitudes(10, 180, 0.5, 1.6, 180, 0.5, 120, 6, 0.2, true);
    EpisodeResult r = Episode.run(t, EpisodeParams.defaults().withFault(FaultKind.F1_AGENT).withMagnitudes(attack)
        .withDuration(1000, 300), CascadeGuard.none(), 3);
    assertThat(r.faultedAgents()).containsExactly(best);
  }

  @Test
  void surgeRaisesOfferedEntryTraffic() {
    SimTopology t = TestTopologies.diamond(50);
    EpisodeParams base = EpisodeParams.defaults().withDuration(1000, 300).withSinusoidAmplitude(0);
    FaultMagnitudes longSurge = new FaultMagnitudes(10, 180, 0.5, 2.0, 10_000, 0.5, 120, 6, 0.2, false);
    EpisodeResult none = Episode.run(t, base.withFault(FaultKind.NONE), CascadeGuard.none(), 12);
    EpisodeResult surge = Episode.run(t, base.withFault(FaultKind.F4_SURGE).withMagnitudes(longSurge), CascadeGuard.none(), 12);
    double rateNone = none.entryOffered() / (1000 - none.faultTimeSec());
    double rateSurge = surge.entryOffered() / (1000 - surge.faultTimeSec());
    assertThat(rateNone).isCloseTo(0.9 * 50, within(3.0));
    assertThat(rateSurge).isCloseTo(2.0 * 0.9 * 50, within(6.0));
  }

  @Test
  void recordsTheGuardsRiskPerSecondAndPredictTimingsOutsideTheTrace() {
    SimTopology t = TestTopologies.randomDag(30, 2, 20, 0.2, 9);
    EpisodeParams p = EpisodeParams.defaults().withDuration(900, 300).withPredictOnly(true);
    CascadeGuard riskIsSecondOver1000 = new CascadeGuard() {
      @Override
      public void init(StaticTopology staticTopology, GuardConfig cfg) {}

      @Override
      public Prediction predict(TelemetrySnapshot s) {
        return Prediction.of(s.timeSec() / 1000.0);
      }

      @Override
      public List<Action> decide(TelemetrySnapshot s, Prediction pr) {
        return List.of();
      }
    };
    EpisodeResult r = Episode.run(t, p, riskIsSecondOver1000, 7);
    double[] risk = r.riskBySecond();
    assertThat(risk).hasSize(900);
    for (int s = 1; s <= 900; s++) {
      assertThat(risk[s - 1]).as("second %d", s).isEqualTo(s / 1000.0);
    }
    assertThat(r.predictNanos()).hasSize(900);
    assertThat(java.util.Arrays.stream(r.predictNanos()).min().orElseThrow()).isNotNegative();
    // what the guard says is not part of the trace: B0 (risk 0) hashes the same in predict-only mode
    EpisodeResult b0 = Episode.run(t, p.withPredictOnly(false), CascadeGuard.none(), 7);
    assertThat(r.traceSha256()).isEqualTo(b0.traceSha256());
    assertThat(b0.riskBySecond()).hasSize(900).containsOnly(0.0);
    EpisodeResult stripped = r.withoutGuardTrace();
    assertThat(stripped.riskBySecond()).isEmpty();
    assertThat(stripped.predictNanos()).isEmpty();
    assertThat(stripped).usingRecursiveComparison().ignoringFields("riskBySecond", "predictNanos").isEqualTo(r);
  }
}
