package io.aura.cascade.sim;

import static io.aura.cascade.sim.TestTopologies.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.aura.cascade.graph.TopologySpec;
import io.aura.cascade.random.SplitMix64;
import org.junit.jupiter.api.Test;

/** Parallel call groups (spec D3: "sequential, or parallel groups"; "use the max over the group"). */
class ParallelCallsTest {
  private static final SimTopology.Backoff FIXED = SimTopology.Backoff.fixed(SimTopology.DEFAULT_RETRY_WAIT_NS);

  private static EpisodeParams quiet(long durationSec) {
    return EpisodeParams.defaults().withFault(FaultKind.NONE).withDuration(durationSec, Math.min(300, durationSec / 4))
        .withSinusoidAmplitude(0).withLoadFactor(1.0).withCrashRestart(false).withRealisticView(false);
  }

  private static double h(int n) {
    double s = 0;
    for (int k = 1; k <= n; k++) {
      s += 1.0 / k;
    }
    return s;
  }

  @Test
  void expectedMaxMatchesClosedForms() {
    int[] one = {1, 1, 1, 1, 1, 1, 1, 1};
    double[] p1 = {1, 1, 1, 1, 1, 1, 1, 1};
    // one exponential: its mean; n equal ones: μ H_n
    assertThat(FanOut.expectedMax(new double[] {7}, p1, one, one, 0, 1)).isCloseTo(7.0, within(1e-12));
    for (int n = 2; n <= 8; n++) {
      double[] mu = new double[n];
      java.util.Arrays.fill(mu, 3.0);
      assertThat(FanOut.expectedMax(mu, p1, one, one, 0, n)).as("n = %d", n).isCloseTo(3.0 * h(n), within(1e-9));
    }
    // two means: μ1 + μ2 − 1/(1/μ1 + 1/μ2)
    double a = 1.0;
    double b = 5.0;
    assertThat(FanOut.expectedMax(new double[] {a, b}, p1, one, one, 0, 2))
        .isCloseTo(a + b - 1 / (1 / a + 1 / b), within(1e-4 * b));
    // invoked with probability π: π μ for one edge
    assertThat(FanOut.expectedMax(new double[] {4}, new double[] {0.25}, one, one, 0, 1)).isCloseTo(1.0, within(1e-12));
    // multiplicity U{2..3} of μ = 2: (2 H_2 + 2 H_3) / 2
    assertThat(FanOut.expectedMax(new double[] {2}, p1, new int[] {2}, new int[] {3}, 0, 1))
        .isCloseTo((2 * h(2) + 2 * h(3)) / 2, within(1e-9));
    // nothing invocable
    assertThat(FanOut.expectedMax(new double[] {0, 3}, new double[] {1, 0}, one, one, 0, 2)).isZero();
  }

  @Test
  void expectedMaxAgreesWithMonteCarloOnRandomGroups() {
    SplitMix64 rng = new SplitMix64(20261126);
    for (int trial = 0; trial < 20; trial++) {
      int k = 1 + rng.nextInt(6);
      double[] mu = new double[k];
      double[] pi = new double[k];
      int[] lo = new int[k];
      int[] hi = new int[k];
      for (int e = 0; e < k; e++) {
        mu[e] = StrictMath.exp(rng.nextGaussian()); // means spread over about a factor 50
        pi[e] = rng.nextDouble() < 0.5 ? 1.0 : rng.uniform(0.1, 0.9);
        lo[e] = rng.nextDouble() < 0.8 ? 1 : 2;
        hi[e] = lo[e] + (rng.nextDouble() < 0.7 ? 0 : rng.nextInt(3));
      }
      int draws = 200_000;
      double sum = 0;
      for (int s = 0; s < draws; s++) {
        double mx = 0;
        for (int e = 0; e < k; e++) {
          if (rng.nextDouble() >= pi[e]) {
            continue;
          }
          int m = lo[e] + (hi[e] > lo[e] ? rng.nextInt(hi[e] - lo[e] + 1) : 0);
          for (int c = 0; c < m; c++) {
            mx = Math.max(mx, rng.exponential(mu[e]));
          }
        }
        sum += mx;
      }
      double mc = sum / draws;
      double exact = FanOut.expectedMax(mu, pi, lo, hi, 0, k);
      assertThat(exact).as("trial %d (%d edges)", trial, k).isCloseTo(mc, within(0.01 * mc + 1e-3));
    }
  }

  /** Entry 0 (1 ms) calls 1 and 2 (100 ms each, Exp, 4 cores: full speed at this load). */
  private static SimTopology twoCallees(boolean parallel) {
    int g = parallel ? 0 : -1;
    return SimTopology.builder(3).agent(0, MS, 0.0, 2).agent(1, 100 * MS, 0.0, 0).agent(2, 100 * MS, 0.0, 0)
        .capacity(0, 1, 1.0, 100, 100).capacity(1, 1, 4.0, 100, 100).capacity(2, 1, 4.0, 100, 100)
        .call(0, 1, 1.0, 1, 1, -1, g, false, 10_000 * MS, 3, FIXED)
        .call(0, 2, 1.0, 1, 1, -1, g, false, 10_000 * MS, 3, FIXED)
        .build();
  }

  @Test
  void aParallelGroupWaitsForTheSlowestCallNotTheSum() {
    // E[max of two Exp(100 ms)] = 150 ms; in sequence 200 ms; plus 1 ms own work
    EpisodeResult par = Episode.run(twoCallees(true), quiet(1800), CascadeGuard.none(), 3);
    EpisodeResult seq = Episode.run(twoCallees(false), quiet(1800), CascadeGuard.none(), 3);
    assertThat(par.meanEntryLatencyMs()).isCloseTo(151.0, within(8.0));
    assertThat(seq.meanEntryLatencyMs()).isCloseTo(201.0, within(10.0));
    assertThat(par.availability()).isEqualTo(1.0);
  }

  @Test
  void theFluidModelUsesTheMaxOverTheGroup() {
    // the fluid's own time at ρ ≈ 0.05 is d/(1 − ρ) ≈ 105 ms per callee; the max of two is ≈ 1.5×
    EpisodeResult par = Episode.runFluid(twoCallees(true), quiet(1200), 3, 0.1);
    EpisodeResult seq = Episode.runFluid(twoCallees(false), quiet(1200), 3, 0.1);
    assertThat(par.meanEntryLatencyMs()).isCloseTo(1.5 * 0.5 * (seq.meanEntryLatencyMs() - 1) + 1, within(3.0));
    assertThat(par.meanEntryLatencyMs()).isBetween(145.0, 170.0);
  }

  /**
   * Agent 0 (2 req/s) calls 1 (3 s of work, 16 cores) and 2 (1 ms, error rate err2) in one parallel
   * group, one attempt each.
   */
  private static SimTopology slowAndFastInParallel(double err2) {
    return SimTopology.builder(3).agent(0, MS, 0.0, 2).agent(1, 3_000 * MS, 0.0, 0).agent(2, MS, err2, 0)
        .capacity(0, 1, 1.0, 100, 100).capacity(1, 1, 16.0, 100, 100).capacity(2, 1, 1.0, 100, 100)
        .call(0, 1, 1.0, 1, 1, -1, 0, false, 100_000 * MS, 1, FIXED)
        .call(0, 2, 1.0, 1, 1, -1, 0, false, 100_000 * MS, 1, FIXED)
        .build();
  }

  @Test
  void aFailedBranchFailsTheRequestAtOnceAndItsSiblingStillRuns() {
    // 1 takes 3 s; 2 always errors, one attempt: the request fails as soon as 2 answers, and 1's
    // invocation still runs to its end (no cancellation), so 1 sees every request
    SimTopology t = slowAndFastInParallel(1.0);
    RecordingGuard g = new RecordingGuard();
    Episode.run(t, quiet(600), g, 4);
    long arrivals0 = g.sumArrivals(0, 30, 590);
    assertThat(g.sum(TelemetrySnapshot::successes, 0, 30, 590)).isZero();
    assertThat(g.sum(TelemetrySnapshot::downstream, 0, 30, 590)).isEqualTo(g.sum(TelemetrySnapshot::errors, 0, 30, 590));
    assertThat((double) g.sumArrivals(1, 30, 590)).isCloseTo(arrivals0, within(0.05 * arrivals0 + 5));
    assertThat((double) g.sum(TelemetrySnapshot::successes, 1, 30, 590)).isCloseTo(arrivals0, within(0.05 * arrivals0 + 10));
    // fail fast: agent 0's requests end in a few ms, not after agent 1's 3 s
    assertThat(g.snapshots.get(300).p99LatencyMs()[0]).isLessThan(100.0);
    // and nothing holds agent 0's threads: at 2 req/s and a few ms each, rarely more than one in flight
    assertThat(g.snapshots.get(300).inFlight()[0]).isLessThanOrEqualTo(3);
  }

  @Test
  void theBranchesOfACrashedCallerStillLoadTheirCalleesButReportNothingBack() {
    // 0 calls 1 (3 s) and 2 in parallel; F1 crashes agent 0's only instance for good. Its branches
    // to 1 are in flight: their callee finishes them, but no answer reaches the dead caller, so
    // edge 0→1 records no latency after the crash (as for a killed request's attempt)
    SimTopology t = slowAndFastInParallel(0.0);
    EpisodeParams p = quiet(900).withFault(FaultKind.F1_AGENT);
    int checked = 0;
    for (long seed = 1; seed <= 40 && checked < 2; seed++) {
      RecordingGuard g = new RecordingGuard();
      EpisodeResult r = Episode.run(t, p, g, seed);
      if (r.faultedAgents().length != 1 || r.faultedAgents()[0] != 0) {
        continue; // F1 drew another target
      }
      checked++;
      int tf = (int) Math.ceil(r.faultTimeSec());
      TelemetrySnapshot before = g.snapshots.get(tf - 2);
      assertThat(before.inFlight()[1]).as("branches in flight at agent 1 before the crash").isGreaterThan(0);
      double seen = 0;
      for (int s = tf - 10; s < tf; s++) {
        seen += g.snapshots.get(s).edgeP99LatencyMs()[0];
      }
      assertThat(seen).as("edge 0→1 reports latencies before the crash").isPositive();
      long calleeDone = g.sum(TelemetrySnapshot::successes, 1, tf, tf + 5);
      assertThat(calleeDone).as("the orphans' attempts still end at the callee").isPositive();
      for (int s = tf + 1; s < tf + 6; s++) {
        assertThat(g.snapshots.get(s).edgeP99LatencyMs()[0]).as("edge 0→1 latency at %d s", s).isZero();
        assertThat(g.snapshots.get(s).edgeAttempts()[0]).isZero();
      }
    }
    assertThat(checked).as("seeds whose F1 hit agent 0").isPositive();
  }

  @Test
  void theDesignResponseTimeTakesTheMaxOverTheGroup() {
    SimTopology par = twoCallees(true);
    SimTopology seq = twoCallees(false);
    double r1 = par.designResponseNs[1];
    double r2 = par.designResponseNs[2];
    double own = seq.designResponseNs[0] - r1 - r2;
    assertThat(par.designResponseNs[0]).isCloseTo(own + r1 + r2 - 1 / (1 / r1 + 1 / r2), within(1e-3 * r1));
    assertThat(par.parallelFirst(0)).isEqualTo(0);
    assertThat(par.parallelEnd(0)).isEqualTo(2);
    assertThat(seq.parallelFirst(0)).isEqualTo(-1);
  }

  @Test
  void aCyclicTopologysMonteCarloDesignUsesTheMaxToo() {
    // 0 -> {1, 2} in parallel, 2 -> 0 (a back edge, skipped on the path): the sampler's design
    SimTopology.Builder b = SimTopology.builder(3).agent(0, MS, 0.0, 10).agent(1, 20 * MS, 0.0, 0).agent(2, 20 * MS, 0.0, 0)
        .call(0, 1, 1.0, 1, 1, -1, 0, false, -1, 3, FIXED).call(0, 2, 1.0, 1, 1, -1, 0, false, -1, 3, FIXED)
        .call(2, 0, 0.1, 1);
    SimTopology t = b.buildProvisioned(0.2, 1);
    double r1 = t.designResponseNs[1];
    double r2 = t.designResponseNs[2];
    double max = r1 + r2 - 1 / (1 / r1 + 1 / r2);
    assertThat(t.designResponseNs[0]).isGreaterThan(max).isLessThan(r1 + r2 + 5 * MS);
  }

  @Test
  void anEdgeCannotBeInAnExclusiveAndAParallelGroup() {
    SimTopology.Builder b = SimTopology.builder(2).agent(0, MS, 0.0, 1).agent(1, MS, 0.0, 0);
    assertThatThrownBy(() -> b.call(0, 1, 0.5, 1, 1, 0, 0, false, -1, 3, FIXED))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
    assertThatThrownBy(() -> b.call(0, 1, 0.5, 1, 1, -1, -2, false, -1, 3, FIXED))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parallel group -2");
  }

  @Test
  void theSameSeedGivesTheSameTraceWithParallelGroups() {
    // b1's managers fan out to their workers; the F-std fault mix includes crashes, which orphan branches
    EpisodeParams p = EpisodeParams.defaults().withDuration(1200, 300);
    for (long seed = 1; seed <= 3; seed++) {
      SimTopology t = Families.build("b1-hier", 0.2, seed);
      EpisodeResult a = Episode.run(t, p, CascadeGuard.none(), seed);
      EpisodeResult b = Episode.run(t, p, CascadeGuard.none(), seed);
      assertThat(a).usingRecursiveComparison().ignoringFields("predictNanos").isEqualTo(b);
      assertThat(a.entryOffered()).isPositive();
    }
  }

  @Test
  void aUserTopologyNamedLikeAFamilyIsBridgedAsAnyOther() {
    // fan-out is b1's and b3's, chosen by the family, not by a graph's name: a user topology called
    // "HIER-mine" with an LLM provider keeps its calls in sequence
    TopologySpec spec = TopologySpec.builder("HIER-mine").agent("m", "entry").agent("w1", "middle")
        .agent("w2", "middle").agent("llm", "llm-provider")
        .edge("m", "w1", 1.0, 1).edge("m", "w2", 1.0, 1).edge("w1", "llm", 1.0, 1).edge("w2", "llm", 1.0, 1)
        .entry("m", 1.0).build();
    SimTopology t = Families.fromSpec(spec, 0.2, 1);
    for (int e = 0; e < t.edgeCount(); e++) {
      assertThat(t.parallelFirst(e)).as("edge %d", e).isEqualTo(-1);
    }
  }

  @Test
  void bOneManagersFanOutToTheirWorkers() {
    SimTopology t = Families.build("b1-hier", 0.2, 1);
    int groups = 0;
    for (int e = 0; e < t.edgeCount(); e++) {
      if (t.parallelFirst(e) == e) {
        groups++;
        assertThat(t.parallelEnd(e) - e).isEqualTo(3); // HIER(3,3): three workers per manager
      }
    }
    assertThat(groups).isEqualTo(4); // the root manager and its three sub-managers
  }
}
