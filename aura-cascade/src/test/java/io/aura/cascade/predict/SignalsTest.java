package io.aura.cascade.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.aura.cascade.sim.StaticTopology;
import org.junit.jupiter.api.Test;

class SignalsTest {
  /** Chain 0 -> 1 -> 2 -> 3 plus an unrelated 4 -> 5. */
  static final StaticTopology CHAIN = new StaticTopology(6, new int[] {0, 1, 2, 4}, new int[] {1, 2, 3, 5});

  @Test
  void kendallTauOfMonotoneSeries() {
    double[] up = {1, 2, 3, 4, 5};
    double[] down = {5, 4, 3, 2, 1};
    assertThat(Signals.kendallTau(up, 0, 5)).isEqualTo(1.0);
    assertThat(Signals.kendallTau(down, 0, 5)).isEqualTo(-1.0);
    assertThat(Signals.kendallTau(new double[] {1, 3, 2}, 0, 3)).isCloseTo(1.0 / 3, offset(1e-12));
  }

  @Test
  void varianceAndAutocorrelation() {
    double[] alt = {1, -1, 1, -1, 1, -1, 1, -1};
    assertThat(Signals.variance(alt, 0, 8)).isCloseTo(8.0 / 7, offset(1e-12));
    assertThat(Signals.lag1Autocorrelation(alt, 0, 8)).isCloseTo(-7.0 / 8, offset(1e-12));
    double[] smooth = {1, 2, 3, 4, 5, 6, 7, 8};
    assertThat(Signals.lag1Autocorrelation(smooth, 0, 8)).isGreaterThan(0.5);
    assertThat(Signals.lag1Autocorrelation(new double[] {2, 2, 2, 2}, 0, 4)).isZero();
  }

  @Test
  void retryAmplificationIsTheGeometricSum() {
    assertThat(Signals.retryAmplification(0.5, 3)).isEqualTo(1.75);
    assertThat(Signals.retryAmplification(1, 3)).isEqualTo(3);
    assertThat(Signals.retryAmplification(0, 3)).isEqualTo(1);
    assertThatThrownBy(() -> Signals.retryAmplification(1.5, 3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("p in [0,1]");
  }

  @Test
  void branchingRatioComparesGenerations() {
    int[] ring = new int[64];
    // generation [0,5): 2 new failures; generation [5,10): 6
    ring[1] = 2;
    ring[6] = 3;
    ring[8] = 3;
    assertThat(Signals.branchingRatio(ring, 10, 5)).isCloseTo(6.5 / 2.5, offset(1e-12));
    assertThat(Signals.branchingRatio(new int[64], 10, 5)).isEqualTo(1.0);
  }

  @Test
  void overloadPropagatesUpstreamOnlyAlongTrafficCarryingEdges() {
    LiveModel m = new LiveModel(CHAIN);
    Snapshots s = new Snapshots(6, 4);
    s.edgeAttempts[0] = 100; // every request of 0 calls 1
    s.edgeAttempts[1] = 100;
    s.edgeAttempts[2] = 100;
    s.edgeAttempts[3] = 0; // 4 -> 5 carries nothing (a spurious edge)
    s.util[3] = 1.0; // 3 saturates
    s.util[5] = 1.0; // 5 saturates
    m.update(s.next());
    double[] stress = new double[6];
    Signals.stress(m, stress);
    assertThat(stress[3]).isEqualTo(1.0);
    assertThat(stress[0]).isZero();
    double[] q = new double[6];
    Signals.propagate(m, stress, 5, q, new double[6]);
    assertThat(q[2]).isEqualTo(1.0);
    assertThat(q[0]).isEqualTo(1.0);
    assertThat(q[4]).isZero();
    double exposure = Signals.upstreamExposure(m, stress, new int[6], new boolean[6]);
    assertThat(exposure).isCloseTo(5.0 / 6, offset(1e-12)); // 0,1,2,3 and 5; not 4
  }

  @Test
  void queueGrowthAndUtilisationBaselines() {
    LiveModel m = new LiveModel(CHAIN);
    Snapshots s = new Snapshots(6, 4);
    for (int t = 0; t < 12; t++) {
      s.queue[2] = 10 * t;
      s.util[1] = 0.3 + 0.05 * t;
      m.update(s.next());
    }
    assertThat(Signals.maxQueueGrowth(m, 10)).isCloseTo(10.0, offset(1e-12));
    assertThat(Signals.maxUtilisation(m)).isCloseTo(0.85, offset(1e-12));
  }

  @Test
  void amplifiedLoadGrowsWithEdgeFailures() {
    LiveModel m = new LiveModel(CHAIN);
    Snapshots s = new Snapshots(6, 4);
    s.util[1] = 0.8;
    m.update(s.next());
    double calm = Signals.maxAmplifiedLoad(m);
    s.edgeFailures[0] = 25; // half of 0 -> 1 fails
    LiveModel m2 = new LiveModel(CHAIN);
    m2.update(s.next());
    assertThat(calm).isCloseTo(0.8, offset(1e-12));
    assertThat(Signals.maxAmplifiedLoad(m2)).isCloseTo(0.8 * 1.75, offset(1e-12));
  }

  @Test
  void rootCauseKeepsTheStressOfTheAgentWhoseCalleesAreHealthy() {
    // chain 0 -> 1 -> 2 -> 3: 3 saturates; 2 and 1 fail the requests that wait on it (errors passed up)
    LiveModel m = new LiveModel(CHAIN);
    Snapshots s = new Snapshots(6, 4);
    s.edgeAttempts[0] = 100;
    s.edgeAttempts[1] = 100;
    s.edgeAttempts[2] = 100;
    s.edgeAttempts[3] = 100;
    s.util[3] = 1.0;
    s.errors[2] = 40;
    s.successes[2] = 60;
    s.errors[1] = 30;
    s.successes[1] = 70;
    s.util[5] = 0.95; // 5 saturates on its own: 4 -> 5 carries calls but 4 is calm
    m.update(s.next());
    double[] stress = new double[6];
    Signals.stress(m, stress);
    double[] q = new double[6];
    Signals.propagate(m, stress, 5, q, new double[6]);
    double[] r = new double[6];
    Signals.rootCause(m, stress, q, r);
    assertThat(r[3]).isEqualTo(1.0); // a leaf: all its stress is its own
    assertThat(stress[2]).isPositive();
    assertThat(r[2]).as("2's errors are explained by 3").isZero();
    assertThat(r[1]).isZero();
    assertThat(r[5]).isCloseTo(stress[5], offset(1e-12));
    assertThat(r[5]).isPositive();
    assertThat(r[4]).isZero(); // calm
  }

  /** Brute force: sort the error ratios of agents with traffic, descending, and average the first min(k, c). */
  private static double topMeanReference(LiveModel m, int k) {
    java.util.List<Double> e = new java.util.ArrayList<>();
    for (int i = 0; i < m.agentCount(); i++) {
      if (m.arrivals(i) > 0) {
        e.add(m.errorRatio(i));
      }
    }
    e.sort(java.util.Comparator.reverseOrder());
    int take = Math.min(k, e.size());
    double sum = 0;
    for (int j = 0; j < take; j++) {
      sum += e.get(j);
    }
    return take == 0 ? 0 : sum / take;
  }

  @Test
  void topMeanErrorRatioIsTheMeanOfTheMostErringAgentsAndThePlainMeanUpToK() {
    io.aura.cascade.random.SplitMix64 rng = new io.aura.cascade.random.SplitMix64(77);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + rng.nextInt(60);
      int k = 1 + rng.nextInt(40);
      LiveModel m = new LiveModel(new StaticTopology(n, new int[0], new int[0]));
      Snapshots s = new Snapshots(n, 0);
      double erringShare = rng.nextDouble();
      for (int i = 0; i < n; i++) {
        s.arrivals[i] = rng.nextDouble() < 0.15 ? 0 : 1 + rng.nextInt(200);
        // ties on purpose: error counts from a few values
        s.errors[i] = rng.nextDouble() < erringShare ? Math.min(s.arrivals[i], 10 * rng.nextInt(4)) : 0;
        s.successes[i] = s.arrivals[i] - s.errors[i];
      }
      m.update(s.next());
      double got = Signals.topMeanErrorRatio(m, k, new double[2 * n]);
      assertThat(got).as("n %d k %d", n, k).isCloseTo(topMeanReference(m, k), offset(1e-12));
      assertThat(got).isBetween(0.0, 1.0);
      if (n <= k) {
        assertThat(got).isEqualTo(Signals.meanErrorRatio(m)); // bit for bit: the model's training systems
      }
    }
  }

  @Test
  void aLocalFaultReadsTheSameInTopMeanErrorRatioWhateverTheSystemSize() {
    double[] read = new double[2];
    int[] sizes = {1_000, 20_000};
    for (int c = 0; c < 2; c++) {
      int n = sizes[c];
      LiveModel m = new LiveModel(new StaticTopology(n, new int[0], new int[0]));
      Snapshots s = new Snapshots(n, 0);
      for (int i = 0; i < 50; i++) { // the same 50 agents fail half their calls
        s.errors[i] = 50;
        s.successes[i] = 50;
      }
      m.update(s.next());
      read[c] = Signals.topMeanErrorRatio(m, 1_000, new double[2 * n]);
      if (c == 1) {
        assertThat(Signals.meanErrorRatio(m)).isCloseTo(25.0 / 20_000, offset(1e-12)); // the plain mean fades
      }
    }
    assertThat(read[0]).isCloseTo(25.0 / 1_000, offset(1e-12));
    assertThat(read[1]).isEqualTo(read[0]);
  }
}
