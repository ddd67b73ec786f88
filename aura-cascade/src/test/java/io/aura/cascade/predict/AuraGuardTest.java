package io.aura.cascade.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.aura.cascade.random.SplitMix64;
import io.aura.cascade.sim.GuardConfig;
import io.aura.cascade.sim.Prediction;
import io.aura.cascade.sim.StaticTopology;
import io.aura.cascade.sim.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class AuraGuardTest {
  static final GuardConfig CFG = new GuardConfig(1000, 1000, 600_000, true);

  static StaticTopology randomDag(int n, SplitMix64 rng) {
    List<int[]> e = new ArrayList<>();
    for (int j = 1; j < n; j++) {
      e.add(new int[] {rng.nextInt(j), j});
      if (rng.nextDouble() < 0.3) {
        e.add(new int[] {rng.nextInt(j), j});
      }
    }
    return new StaticTopology(n, e.stream().mapToInt(a -> a[0]).toArray(), e.stream().mapToInt(a -> a[1]).toArray());
  }

  /** Random, partly broken snapshots: missing rows, NaN, negative, huge values. */
  static List<TelemetrySnapshot> stream(int n, int m, int steps, SplitMix64 rng) {
    List<TelemetrySnapshot> out = new ArrayList<>();
    Snapshots s = new Snapshots(n, m);
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < n; i++) {
        s.util[i] = rng.nextDouble() < 0.05 ? Double.NaN : rng.nextDouble() * 1.2;
        s.queue[i] = rng.nextInt(50);
        s.errors[i] = rng.nextInt(40);
        s.successes[i] = 100 - s.errors[i];
        s.p99[i] = rng.nextDouble() < 0.02 ? Double.POSITIVE_INFINITY : 10 + 500 * rng.nextDouble();
      }
      for (int e = 0; e < m; e++) {
        s.edgeAttempts[e] = rng.nextInt(80);
        s.edgeFailures[e] = s.edgeAttempts[e] == 0 ? 0 : rng.nextInt(s.edgeAttempts[e] + 1);
      }
      out.add(rng.nextDouble() < 0.1 ? s.nextMissing(rng.nextInt(n)) : s.next());
    }
    return out;
  }

  @Property(tries = 15)
  void riskIsAProbabilityAndRankingIsConsistent(@ForAll @IntRange(min = 2, max = 40) int n, @ForAll long seed) {
    SplitMix64 rng = new SplitMix64(seed);
    StaticTopology t = randomDag(n, rng);
    AuraGuard g = new AuraGuard();
    g.init(t, CFG);
    for (TelemetrySnapshot s : stream(n, t.edgeCount(), 40, rng)) {
      Prediction p = g.predict(s);
      assertThat(p.risk()).isBetween(0.0, 1.0);
      assertThat(p.riskByHorizonSec()).containsKeys(30, 60, 300);
      assertThat(p.riskByHorizonSec().get(60)).isEqualTo(p.risk());
      assertThat(p.riskByHorizonSec().get(30)).isLessThanOrEqualTo(p.risk());
      assertThat(p.riskByHorizonSec().get(300)).isGreaterThanOrEqualTo(p.risk());
      assertThat(p.criticalAgents()).hasSize(Math.min(n, 10)).doesNotHaveDuplicates();
      double[] sc = p.criticalScores();
      for (int k = 1; k < sc.length; k++) {
        assertThat(sc[k]).isLessThanOrEqualTo(sc[k - 1]);
      }
      assertThat(g.reasons()).hasSize(sc.length);
      assertThat(g.reasons().get(0)).startsWith("agent " + p.criticalAgents()[0] + ":");
    }
  }

  /** Relabels agents by perm (new id = perm[old]) and rebuilds the snapshot accordingly. */
  static TelemetrySnapshot permute(TelemetrySnapshot s, int[] perm) {
    return new TelemetrySnapshot(s.timeSec(), p(s.arrivals(), perm), p(s.successes(), perm), p(s.errors(), perm),
        p(s.rejected(), perm), p(s.timeouts(), perm), p(s.blocked(), perm), p(s.downstream(), perm), p(s.p50LatencyMs(), perm),
        p(s.p95LatencyMs(), perm), p(s.p99LatencyMs(), perm), p(s.inFlight(), perm), p(s.queueLength(), perm),
        p(s.threadUtilisation(), perm), p(s.cpuUtilisation(), perm), p(s.healthyInstances(), perm), s.edgeAttempts(),
        s.edgeFailures());
  }

  static int[] p(int[] a, int[] perm) {
    int[] b = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      b[perm[i]] = a[i];
    }
    return b;
  }

  static double[] p(double[] a, int[] perm) {
    double[] b = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      b[perm[i]] = a[i];
    }
    return b;
  }

  /** The sample CI found (2026-11-29): one feature an ulp apart under the permutation, across a split of the trees. */
  @net.jqwik.api.Example
  void theSampleWhoseFeatureDifferedByAnUlp() {
    riskIsInvariantUnderAPermutationOfAgentIds(28, 3);
  }

  @net.jqwik.api.Example
  void canonicalRoundingMapsNeighboursTogether() {
    assertThat(AuraGuard.canonical(0.1839285714285714)).isEqualTo(AuraGuard.canonical(0.18392857142857144));
    assertThat(AuraGuard.canonical(0.5)).isEqualTo(0.5);
    assertThat(AuraGuard.canonical(-3.0)).isEqualTo(-3.0);
    assertThat(Math.abs(AuraGuard.canonical(Math.PI) - Math.PI)).isLessThan(1e-6 * Math.PI);
    assertThat(AuraGuard.canonical(Double.POSITIVE_INFINITY)).isInfinite();
    assertThat(AuraGuard.canonical(Double.NaN)).isNaN();
  }

  @Property(tries = 100) // 10 tries found the ulp case in about 1 CI run in 70 before canonical(); 3 000 pass now
  void riskIsInvariantUnderAPermutationOfAgentIds(@ForAll @IntRange(min = 3, max = 30) int n, @ForAll long seed) {
    SplitMix64 rng = new SplitMix64(seed);
    StaticTopology t = randomDag(n, rng);
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int x = perm[i];
      perm[i] = perm[j];
      perm[j] = x;
    }
    int[] a = t.callers();
    int[] b = t.callees();
    for (int e = 0; e < a.length; e++) {
      a[e] = perm[a[e]];
      b[e] = perm[b[e]];
    }
    StaticTopology tp = new StaticTopology(n, a, b);
    AuraGuard g1 = new AuraGuard();
    AuraGuard g2 = new AuraGuard();
    g1.init(t, CFG);
    g2.init(tp, CFG);
    for (TelemetrySnapshot s : stream(n, t.edgeCount(), 30, rng)) {
      Prediction p1 = g1.predict(s);
      Prediction p2 = g2.predict(permute(s, perm));
      assertThat(p2.risk()).isCloseTo(p1.risk(), org.assertj.core.data.Offset.offset(1e-9));
      double[] s1 = p1.criticalScores();
      double[] s2 = p2.criticalScores();
      for (int k = 0; k < s1.length; k++) {
        assertThat(s2[k]).isCloseTo(s1[k], org.assertj.core.data.Offset.offset(1e-9));
      }
    }
  }

  @Test
  void probabilitiesAreMadeNonDecreasingInTheHorizonAroundThePrimaryOne() {
    double[] p = {0.04, 0.03, 0.02};
    AuraGuard.monotoneInHorizon(p, 1);
    assertThat(p).containsExactly(0.03, 0.03, 0.03);
    double[] q = {0.01, 0.2, 0.5};
    AuraGuard.monotoneInHorizon(q, 1);
    assertThat(q).containsExactly(0.01, 0.2, 0.5);
    double[] r = {0.3, 0.2, 0.1, 0.4};
    AuraGuard.monotoneInHorizon(r, 0);
    assertThat(r).containsExactly(0.3, 0.3, 0.3, 0.4);
  }

  /**
   * A steady system (every agent at half its capacity, no errors, small noise) and a system with no
   * telemetry at all are not cascading: the shipped model must say so. Before calm rows entered the
   * training set the model, having only seen the 600 s after a fault, gave such systems 0.1–0.3.
   * The bounds are on the mean over 100 s and on the worst second. Measured values:
   * <ul>
   *   <li>model trained on 150 episodes: mean 0.039, worst 0.078;</li>
   *   <li>shipped model, 410 episodes: mean 0.052, worst 0.111.</li>
   * </ul>
   * The worst seconds come from the critical-slowing-down trend, which on pure noise wanders up to
   * 0.74. Half of the prevention policy's risk gate (0.3) bounds the worst second: a calm system must
   * never come near arming rule 1.
   */
  @Test
  void aCalmSystemAndAnUnobservedOneGetALowRisk() {
    SplitMix64 rng = new SplitMix64(7);
    StaticTopology t = randomDag(20, rng);
    Snapshots s = new Snapshots(20, t.edgeCount());
    AuraGuard g = new AuraGuard();
    g.init(t, CFG);
    double worst = 0;
    double mean = 0;
    for (int step = 0; step < 400; step++) {
      for (int i = 0; i < 20; i++) {
        s.arrivals[i] = 95 + rng.nextInt(11);
        s.successes[i] = s.arrivals[i];
        s.util[i] = 0.45 + 0.1 * rng.nextDouble();
        s.p99[i] = 18 + 4 * rng.nextDouble();
        s.queue[i] = rng.nextInt(3);
      }
      double risk = g.predict(s.next()).risk();
      if (step >= 300) {
        worst = Math.max(worst, risk);
        mean += risk / 100;
      }
    }
    assertThat(mean).isLessThan(0.06);
    assertThat(worst).isLessThan(0.15);
    AuraGuard blind = new AuraGuard();
    blind.init(t, CFG);
    int[] none = new int[20];
    java.util.Arrays.fill(none, -1);
    double[] nan = new double[20];
    java.util.Arrays.fill(nan, Double.NaN);
    TelemetrySnapshot missing = new TelemetrySnapshot(1, none, none, none, none, none, none, none, nan, nan, nan, none, none, nan,
        nan, none, new int[0], new int[0]);
    assertThat(blind.predict(missing).risk()).isLessThan(0.1);
  }

  @Test
  void badSnapshotsAndUnknownEdgesDoNotThrow() {
    // edges naming agents 9 and -1 that do not exist
    StaticTopology t = new StaticTopology(3, new int[] {0, 1, 9, -1}, new int[] {1, 2, 0, 2});
    AuraGuard g = new AuraGuard();
    g.init(t, CFG);
    Snapshots s = new Snapshots(3, 4);
    g.predict(s.nextMissing(1));
    TelemetrySnapshot nan = s.next();
    nan.cpuUtilisation()[0] = Double.NaN;
    nan.threadUtilisation()[0] = Double.NaN;
    nan.p99LatencyMs()[2] = Double.NaN;
    Prediction p = g.predict(nan);
    assertThat(p.risk()).isBetween(0.0, 1.0);
    int[] none = new int[0];
    double[] dn = new double[0];
    Prediction q = g.predict(new TelemetrySnapshot(3, none, none, none, none, none, none, none, dn, dn, dn, none, none, dn, dn, none, none, none));
    assertThat(q.risk()).isBetween(0.0, 1.0);
    assertThat(g.decide(nan, p)).isEmpty();
  }

  /** The critical agents' selection equals sorting every agent by (score desc, index asc) and taking k. */
  @Property(tries = 200)
  void theTopKAreTheFirstKOfAFullSortWithTiesByLowerIndex(@ForAll("seeds") long seed) {
    SplitMix64 rng = new SplitMix64(seed);
    int n = 1 + rng.nextInt(3000);
    int k = Math.min(n, 1 + rng.nextInt(64));
    int levels = 1 + rng.nextInt(12); // few distinct scores: many ties, also across the heap's boundary
    double[] score = new double[n];
    for (int i = 0; i < n; i++) {
      score[i] = rng.nextInt(levels) * 0.25;
    }
    int[] top = new int[k];
    double[] sc = new double[k];
    AuraGuard.topK(i -> score[i], n, k, top, sc);
    Integer[] all = new Integer[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    java.util.Arrays.sort(all, (a, b) -> score[a] != score[b] ? Double.compare(score[b], score[a]) : Integer.compare(a, b));
    for (int j = 0; j < k; j++) {
      assertThat(top[j]).as("place %d of %d (n %d)", j, k, n).isEqualTo(all[j]);
      assertThat(sc[j]).isEqualTo(score[all[j]]);
    }
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Long> seeds() {
    return net.jqwik.api.Arbitraries.longs();
  }
}
