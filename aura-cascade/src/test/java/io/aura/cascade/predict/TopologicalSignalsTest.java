package io.aura.cascade.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.aura.cascade.sim.StaticTopology;
import org.junit.jupiter.api.Test;

class TopologicalSignalsTest {
  private static LiveModel withFailingEdges(StaticTopology t, int[] failing, int failures) {
    LiveModel m = new LiveModel(t);
    Snapshots s = new Snapshots(t.agentCount(), t.edgeCount());
    for (int e : failing) {
      s.edgeFailures[e] = failures;
    }
    m.update(s.next());
    return m;
  }

  /** A ring of retries 0 -> 1 -> 2 -> 3 -> 4 -> 0, every call failing half its attempts. */
  static StaticTopology ring(int len) {
    int[] a = new int[len];
    int[] b = new int[len];
    for (int i = 0; i < len; i++) {
      a[i] = i;
      b[i] = (i + 1) % len;
    }
    return new StaticTopology(len, a, b);
  }

  @Test
  void aRingOfRetriesHasH1() {
    LiveModel m = withFailingEdges(ring(5), new int[] {0, 1, 2, 3, 4}, 25);
    // one essential H1 class born at the longest ring edge (1 − 0.5), cut at 1
    assertThat(TopologicalSignals.retryCycleMass(m)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void aRingWhoseEdgesDoNotFailHasNoH1AndNeitherDoesATree() {
    assertThat(TopologicalSignals.retryCycleMass(withFailingEdges(ring(5), new int[0], 0))).isZero();
    StaticTopology tree = new StaticTopology(5, new int[] {0, 0, 1, 1}, new int[] {1, 2, 3, 4});
    assertThat(TopologicalSignals.retryCycleMass(withFailingEdges(tree, new int[] {0, 1, 2, 3}, 25))).isZero();
  }

  @Test
  void aTriangleIsFilledButASquareIsNot() {
    StaticTopology tri = new StaticTopology(4, new int[] {0, 1, 2, 0}, new int[] {1, 2, 0, 3});
    assertThat(TopologicalSignals.retryCycleMass(withFailingEdges(tri, new int[] {0, 1, 2, 3}, 25))).isZero();
    assertThat(TopologicalSignals.retryCycleMass(withFailingEdges(ring(4), new int[] {0, 1, 2, 3}, 50))).isGreaterThan(0.9);
  }

  @Test
  void landscapeNormOfACircleIsPositiveAndGrowsWithItsRadius() {
    double[][] small = new double[24][];
    double[][] large = new double[24][];
    for (int i = 0; i < 24; i++) {
      double a = 2 * Math.PI * i / 24;
      small[i] = new double[] {Math.cos(a), Math.sin(a)};
      large[i] = new double[] {3 * Math.cos(a), 3 * Math.sin(a)};
    }
    double s = TopologicalSignals.landscapeL1(small);
    assertThat(s).isGreaterThan(0.1);
    assertThat(TopologicalSignals.landscapeL1(large)).isGreaterThan(5 * s);
    double[][] line = new double[10][];
    for (int i = 0; i < 10; i++) {
      line[i] = new double[] {i, 0};
    }
    assertThat(TopologicalSignals.landscapeL1(line)).isZero();
  }

  @Test
  void theTopFailingEdgesAreThoseOfAFullSortWithTiesByIndex() {
    io.aura.cascade.random.SplitMix64 rng = new io.aura.cascade.random.SplitMix64(7);
    for (int round = 0; round < 20; round++) {
      int edges = TopologicalSignals.MAX_FAILING_EDGES + 1 + rng.nextInt(3000);
      int[] a = new int[edges];
      int[] b = new int[edges];
      for (int e = 0; e < edges; e++) {
        a[e] = 0;
        b[e] = e + 1;
      }
      StaticTopology star = new StaticTopology(edges + 1, a, b);
      LiveModel m = new LiveModel(star);
      Snapshots s = new Snapshots(edges + 1, edges);
      for (int e = 0; e < edges; e++) {
        s.edgeAttempts[e] = 4;
        s.edgeFailures[e] = rng.nextInt(5); // ratios 0, 0.25, ..., 1: many ties
      }
      m.update(s.next());
      int[] all = new int[edges];
      for (int e = 0; e < edges; e++) {
        all[e] = e;
      }
      Integer[] boxed = new Integer[edges];
      for (int e = 0; e < edges; e++) {
        boxed[e] = e;
      }
      java.util.Arrays.sort(boxed, (x, y) -> {
        int c = Double.compare(m.edgeFailureRatio(y), m.edgeFailureRatio(x));
        return c != 0 ? c : Integer.compare(x, y);
      });
      int[] expected = new int[TopologicalSignals.MAX_FAILING_EDGES];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = boxed[i];
      }
      assertThat(TopologicalSignals.topFailing(m, all, edges)).containsExactly(expected);
    }
  }

  @Test
  void kthLargestMatchesASort() {
    io.aura.cascade.random.SplitMix64 rng = new io.aura.cascade.random.SplitMix64(11);
    for (int round = 0; round < 200; round++) {
      int len = 1 + rng.nextInt(200);
      double[] v = new double[len];
      for (int i = 0; i < len; i++) {
        v[i] = rng.nextInt(10) / 10.0;
      }
      double[] sorted = v.clone();
      java.util.Arrays.sort(sorted);
      int k = 1 + rng.nextInt(len);
      assertThat(TopologicalSignals.kthLargest(v.clone(), k)).isEqualTo(sorted[len - k]);
    }
  }
}
