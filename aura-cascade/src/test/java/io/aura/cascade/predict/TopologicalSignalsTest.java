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
}
