package io.aura.cascade.sim;

import static io.aura.cascade.sim.TestTopologies.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The DES against closed forms of queueing theory on constructed topologies (spec D3, D4): M/M/c
 * (Erlang C), M/M/c/K and Erlang B (also with LogNormal service: B is insensitive), threads held
 * through downstream calls and retry waits, retry amplification over layers, call-tree
 * invocation counts and the timeout fraction of an M/M/1 callee. The reference values are computed
 * independently (the formulas are in the comments); the same scenarios were run on four seeds over
 * 1 500 s and agreed with them within the spread between seeds. Each tolerance is about four times
 * that spread (≥ 3 standard errors for one seed), so the tests hold across seeds and stream changes
 * but catch a model error of a few percent.
 */
class DesQueueingTheoryTest {
  private static final long FROM = 300;

  private static EpisodeParams quiet(long durationSec) {
    return EpisodeParams.defaults().withFault(FaultKind.NONE).withDuration(durationSec, FROM)
        .withSinusoidAmplitude(0).withLoadFactor(1.0).withCrashRestart(false).withRealisticView(false);
  }

  private static double mean(RecordingGuard g, ToDoubleFunction<TelemetrySnapshot> f) {
    return g.snapshots.stream().filter(s -> s.timeSec() > FROM).mapToDouble(f).average().orElseThrow();
  }

  private static double lossFraction(RecordingGuard g, int agent, long toSec) {
    return g.sum(TelemetrySnapshot::rejected, agent, FROM, toSec) / (double) g.sumArrivals(agent, FROM, toSec);
  }

  /** Erlang B by the recursion B(k) = a B(k−1) / (k + a B(k−1)). */
  private static double erlangB(int c, double a) {
    double b = 1;
    for (int k = 1; k <= c; k++) {
      b = a * b / (k + a * b);
    }
    return b;
  }

  @Test
  void threadsEqualToCoresWithAnUnboundedQueueAreMmcAndProcessorSharingHasTheSameMean() {
    // c = 3 threads = 3 cores, d = 10 ms, λ = 240/s: a = 2.4, ρ = 0.8. Erlang C(3, 2.4) = 0.64719,
    // E[T] = d + C d / (c − a) = 20.787 ms, E[L_q] = C ρ / (1 − ρ) = 2.589
    SimTopology fcfs = SimTopology.builder(1).agent(0, 10 * MS, 0.0, 240).capacity(0, 1, 3.0, 3, 100_000).build();
    RecordingGuard g = new RecordingGuard();
    EpisodeResult r = Episode.run(fcfs, quiet(1800), g, 1);
    assertThat(r.meanEntryLatencyMs()).isCloseTo(20.787, within(0.8));
    // P(wait) = P(all 3 threads busy), sampled once a second (1 500 correlated samples)
    assertThat(mean(g, s -> s.threadUtilisation()[0] >= 1.0 ? 1 : 0)).isCloseTo(0.6472, within(0.045));
    assertThat(mean(g, s -> s.queueLength()[0])).isCloseTo(2.589, within(0.4));
    assertThat(mean(g, s -> s.cpuUtilisation()[0])).isCloseTo(0.8, within(0.012));
    // unbounded threads on 3 cores (processor sharing at rate min(1, k/n)): the number in system is the
    // same birth-death chain, so the mean sojourn is the same
    SimTopology ps = SimTopology.builder(1).agent(0, 10 * MS, 0.0, 240).capacity(0, 1, 3.0, 10_000, 0).build();
    assertThat(Episode.run(ps, quiet(1200), CascadeGuard.none(), 1).meanEntryLatencyMs()).isCloseTo(20.787, within(0.8));
  }

  @Test
  void aFullPoolAndQueueRejectAsMmckAndErlangBIsInsensitiveToTheServiceDistribution() {
    // 2 threads on 2 cores, queue 3, λ = 300/s, μ = 100/s: M/M/2/5, loss 0.37442, E[T | admitted] = 19.532 ms
    SimTopology mm25 = SimTopology.builder(1).agent(0, 10 * MS, 0.0, 300).capacity(0, 1, 2.0, 2, 3).build();
    RecordingGuard g = new RecordingGuard();
    EpisodeResult r = Episode.run(mm25, quiet(900), g, 2);
    assertThat(lossFraction(g, 0, 900)).isCloseTo(0.37442, within(0.008));
    assertThat(r.meanEntryLatencyMs()).isCloseTo(19.532, within(0.5));
    // 4 threads sharing 1 core, queue 4: the count is M/M/1/8 at ρ = 0.9, loss (1−ρ)ρ^8/(1−ρ^9) = 0.070271,
    // E[T | admitted] = 39.534 ms
    SimTopology mm18 = SimTopology.builder(1).agent(0, 10 * MS, 0.0, 90).capacity(0, 1, 1.0, 4, 4).build();
    RecordingGuard g18 = new RecordingGuard();
    EpisodeResult r18 = Episode.run(mm18, quiet(1200), g18, 2);
    assertThat(lossFraction(g18, 0, 1200)).isCloseTo(0.070271, within(0.008));
    assertThat(r18.meanEntryLatencyMs()).isCloseTo(39.534, within(1.6));
    // no queue, 4 threads on 4 cores, LogNormal(σ = 1) service of mean 10 ms, a = 3: Erlang B(4, 3) = 0.20611
    SimTopology lossOnly = SimTopology.builder(1).agent(0, Math.round(10 * MS * Math.exp(-0.5)), 0.0, 300)
        .serviceLogNormal(0, 1.0).capacity(0, 1, 4.0, 4, 0).build();
    RecordingGuard gb = new RecordingGuard();
    EpisodeResult rb = Episode.run(lossOnly, quiet(900), gb, 2);
    assertThat(erlangB(4, 3.0)).isCloseTo(0.20611, within(1e-5));
    assertThat(lossFraction(gb, 0, 900)).isCloseTo(erlangB(4, 3.0), within(0.006));
    assertThat(rb.meanEntryLatencyMs()).isCloseTo(10.0, within(0.3));
  }

  @Test
  void aRequestHoldsItsThreadThroughItsCallsAndRetryWaits() {
    // caller: 4 threads, no queue, ample cores, d0 = 1 ms; callee: ample capacity, d1 = 20 ms, ε = 0.5;
    // 2 attempts, 100 ms fixed wait. Holding time 1 + 1.5·20 + 0.5·100 = 81 ms: loss = B(4, 40·0.081) = 0.23250;
    // E[T | ok] = 1 + 20·4/3 + 100/3 = 61.0 ms (given success, the 2nd attempt was made w.p. 1/3)
    SimTopology retry = SimTopology.builder(2).agent(0, MS, 0, 40).agent(1, 20 * MS, 0.5, 0)
        .capacity(0, 1, 64.0, 4, 0).capacity(1, 1, 64.0, 100_000, 0).call(0, 1, 1.0, 1, 100_000 * MS, 2, 100 * MS).build();
    RecordingGuard g = new RecordingGuard();
    EpisodeResult r = Episode.run(retry, quiet(1200), g, 3);
    assertThat(lossFraction(g, 0, 1200)).isCloseTo(erlangB(4, 40 * 0.081), within(0.012));
    assertThat(r.meanEntryLatencyMs()).isCloseTo(61.0, within(2.0));
    // a parallel group of 2 calls to an Exp(20 ms) callee: holding 1 + E[max] = 1 + 30 ms; B(4, 100·0.031) = 0.21718
    SimTopology par = SimTopology.builder(2).agent(0, MS, 0, 100).agent(1, 20 * MS, 0, 0)
        .capacity(0, 1, 64.0, 4, 0).capacity(1, 1, 64.0, 100_000, 0)
        .call(0, 1, 1.0, 2, 2, -1, 0, false, 100_000 * MS, 1, SimTopology.Backoff.fixed(0)).build();
    RecordingGuard gp = new RecordingGuard();
    EpisodeResult rp = Episode.run(par, quiet(900), gp, 3);
    assertThat(lossFraction(gp, 0, 900)).isCloseTo(erlangB(4, 3.1), within(0.008));
    assertThat(rp.meanEntryLatencyMs()).isCloseTo(31.0, within(0.6));
  }

  @Test
  void retriesAmplifyGeometricallyOverLayers() {
    // chain 0 → 1 → 2 → 3, A = 3 on every edge, the leaf fails each request with probability ε.
    // Attempts per invocation (1 − p^A)/(1 − p); a layer's per-attempt failure is the one below's p^A.
    // ε = 1: 3, 9, 27 arrivals per entry request (spec D4: 3 layers × 3 attempts = 27×).
    // ε = 0.5: a3/a2 = 1.75, a2/a1 = (1 − 0.125³)/(1 − 0.125) = 1.14286, a1 = 1.00196 per entry
    double[][] expected = {{3, 9, 27}, {1.00196, 1.00196 * 1.142857, 1.00196 * 1.142857 * 1.75}};
    double[] eps = {1.0, 0.5};
    for (int k = 0; k < 2; k++) {
      SimTopology.Builder b = SimTopology.builder(4);
      for (int i = 0; i < 4; i++) {
        b.agent(i, MS, i == 3 ? eps[k] : 0.0, i == 0 ? 20 : 0).capacity(i, 1, 64.0, 100_000, 0);
      }
      for (int i = 0; i < 3; i++) {
        b.call(i, i + 1, 1.0, 1, 100_000 * MS, 3, 100 * MS);
      }
      RecordingGuard g = new RecordingGuard();
      Episode.run(b.build(), quiet(900), g, 4);
      double entries = g.sumArrivals(0, FROM, 890);
      for (int a = 1; a <= 3; a++) {
        assertThat(g.sumArrivals(a, FROM, 890) / entries).as("eps %s agent %d", eps[k], a)
            .isCloseTo(expected[k][a - 1], within(0.02 * expected[k][a - 1]));
      }
    }
  }

  @Test
  void aCallTreeInvokesItsCalleesAsOftenAsItsProbabilitiesAndMultiplicitiesSay() {
    // per entry request: 0 → 1 π 0.6, m U{1..3} (1.2); 1 → 2 π 0.5, m 2 (1.2 · 1 = 1.2); exclusive group
    // {0 → 3 π 0.3, 0 → 4 π 0.5} (0.3, 0.5); parallel group {0 → 5 π 0.7, m U{1..2}; 0 → 6} (1.05, 1.0)
    SimTopology.Builder b = SimTopology.builder(7).agent(0, MS, 0.0, 50);
    for (int i = 1; i < 7; i++) {
      b.agent(i, MS, 0.0, 0);
    }
    for (int i = 0; i < 7; i++) {
      b.capacity(i, 1, 64.0, 10_000, 0);
    }
    long to = 10_000 * MS;
    SimTopology.Backoff bo = SimTopology.Backoff.fixed(500 * MS);
    b.call(0, 1, 0.6, 1, 3, -1, false, to, 3, bo).call(1, 2, 0.5, 2, 2, -1, false, to, 3, bo)
        .call(0, 3, 0.3, 1, 1, 0, false, to, 3, bo).call(0, 4, 0.5, 1, 1, 0, false, to, 3, bo)
        .call(0, 5, 0.7, 1, 2, -1, 0, false, to, 3, bo).call(0, 6, 1.0, 1, 1, -1, 0, false, to, 3, bo);
    RecordingGuard g = new RecordingGuard();
    Episode.run(b.build(), quiet(1200), g, 5);
    double entries = g.sumArrivals(0, FROM, 1190);
    double[] perEntry = {1.2, 1.2, 0.3, 0.5, 1.05, 1.0};
    for (int a = 1; a <= 6; a++) {
      assertThat(g.sumArrivals(a, FROM, 1190) / entries).as("agent %d", a)
          .isCloseTo(perEntry[a - 1], within(0.025 * perEntry[a - 1]));
    }
  }

  @Test
  void timeoutsCutAnMm1CalleesSojournAndFullJitterBacksOffByHalfTheCap() {
    // callee: 1 thread on 1 core, unbounded queue: M/M/1 FCFS, λ = 60/s, μ = 100/s, sojourn ~ Exp(40/s).
    // τ = 30 ms, one attempt: P(timeout) = e^{−40·0.03} = 0.30119; E[T | ok] = d0 + E[S | S < τ] = 1 + 12.070 ms
    SimTopology t = SimTopology.builder(2).agent(0, MS, 0.0, 60).agent(1, 10 * MS, 0.0, 0)
        .capacity(0, 1, 64.0, 10_000, 0).capacity(1, 1, 1.0, 1, 100_000)
        .call(0, 1, 1.0, 1, 30 * MS, 1, 500 * MS).build();
    RecordingGuard g = new RecordingGuard();
    EpisodeResult r = Episode.run(t, quiet(1200), g, 6);
    double attempts = g.sum(TelemetrySnapshot::edgeAttempts, 0, FROM, 1190);
    assertThat(g.sum(TelemetrySnapshot::timeouts, 0, FROM, 1190) / attempts).isCloseTo(0.30119, within(0.015));
    assertThat(r.meanEntryLatencyMs()).isCloseTo(13.070, within(0.4));
    // wasted work: the callee completes every attempt, timed out or not
    assertThat(g.sum(TelemetrySnapshot::successes, 1, FROM, 1190) / attempts).isCloseTo(1.0, within(0.005));

    // ε = 0.4 at an ample callee, A = 3, backoff 500 ms · 2^(k−1) with full jitter (U(0, cap)):
    // attempts per call 1 + p + p² = 1.56, success 1 − p³ = 0.936,
    // E[T | ok] = 1 + 1.4615·1 + (0.24·250 + 0.096·(250 + 500))/0.936 = 143.49 ms
    SimTopology j = SimTopology.builder(2).agent(0, MS, 0.0, 20).agent(1, MS, 0.4, 0)
        .capacity(0, 1, 64.0, 10_000, 0).capacity(1, 1, 64.0, 10_000, 0)
        .call(0, 1, 1.0, 1, 1, -1, false, 10_000 * MS, 3, new SimTopology.Backoff(500 * MS, 2.0, 8_000 * MS, 1.0)).build();
    RecordingGuard gj = new RecordingGuard();
    EpisodeResult rj = Episode.run(j, quiet(1800), gj, 6);
    double calls = gj.sum(TelemetrySnapshot::successes, 0, FROM, 1790) + gj.sum(TelemetrySnapshot::errors, 0, FROM, 1790);
    assertThat(gj.sum(TelemetrySnapshot::edgeAttempts, 0, FROM, 1790) / calls).isCloseTo(1.56, within(0.025));
    assertThat(gj.sum(TelemetrySnapshot::successes, 0, FROM, 1790) / calls).isCloseTo(0.936, within(0.01));
    assertThat(rj.meanEntryLatencyMs()).isCloseTo(143.49, within(5.0));
  }
}
