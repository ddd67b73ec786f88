package io.aura.cascade.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aura.tda.PersistenceDiagram;
import io.aura.tda.PersistenceLandscape;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class TopologicalMemoryTest {
  static final double INF = Double.POSITIVE_INFINITY;

  /** A state topology with the given H0 deaths (all born at 0, one essential class) and H1 intervals. */
  static TopologicalSignals.StateTopology topo(double maxD, double[] h0Deaths, double[][] h1) {
    double[] b0 = new double[h0Deaths.length + 1];
    double[] d0 = java.util.Arrays.copyOf(h0Deaths, h0Deaths.length + 1);
    d0[h0Deaths.length] = INF;
    double[] b1 = new double[h1.length];
    double[] d1 = new double[h1.length];
    for (int i = 0; i < h1.length; i++) {
      b1[i] = h1[i][0];
      d1[i] = h1[i][1];
    }
    return new TopologicalSignals.StateTopology(new PersistenceDiagram(0, b0, d0), new PersistenceDiagram(1, b1, d1), maxD);
  }

  static float[] sig(TopologicalSignals.StateTopology t) {
    float[] s = new float[TopologicalMemory.DIM];
    TopologicalMemory.signature(t, s);
    return s;
  }

  static final float[] CALM = sig(topo(0.01, new double[] {0.002, 0.003, 0.004}, new double[][] {{0.003, 0.004}}));
  static final float[] BUSY = sig(topo(0.2, new double[] {0.05, 0.08, 0.1}, new double[][] {{0.06, 0.12}}));
  static final float[] FAULT = sig(topo(1.5, new double[] {0.3, 0.6, 1.0}, new double[][] {{0.4, 1.2}, {0.5, 0.7}}));

  @Test
  void theNearestOfThreeIsTheRightOne() {
    TopologicalMemory m = new TopologicalMemory(10);
    m.add(CALM, false, 0, 100);
    m.add(BUSY, false, 0, 200);
    m.add(FAULT, true, 0, 300);
    float[] q = sig(topo(0.25, new double[] {0.06, 0.07, 0.12}, new double[][] {{0.05, 0.11}})); // a busy cloud
    List<TopologicalMemory.Neighbour> n = m.nearest(q, 3);
    assertThat(n).extracting(TopologicalMemory.Neighbour::timeSec).containsExactly(200L, 100L, 300L);
    assertThat(n.get(0).distance()).isEqualTo(TopologicalMemory.distance(q, BUSY));
    assertThat(n.get(1).distance()).isEqualTo(TopologicalMemory.distance(q, CALM));
    assertThat(n.get(0).distance()).isLessThan(n.get(1).distance());
    assertThat(n.get(1).distance()).isLessThan(n.get(2).distance());
    assertThat(m.nearest(sig(topo(1.4, new double[] {0.3, 0.5, 1.1}, new double[][] {{0.4, 1.1}})), 1).get(0).cascaded()).isTrue();
    assertThat(m.nearest(q, 10)).hasSize(3);
  }

  @Test
  void signaturesOfDifferentScalesDiffer() {
    assertThat(TopologicalMemory.distance(CALM, BUSY)).isPositive();
    float[] empty = new float[TopologicalMemory.DIM];
    TopologicalMemory.signature(TopologicalSignals.StateTopology.EMPTY, empty);
    assertThat(empty).containsOnly(0f);
    // H0 is in the first half, H1 in the second
    assertThat(java.util.Arrays.copyOfRange(BUSY, TopologicalMemory.DIM / 2, TopologicalMemory.DIM)).isNotEqualTo(
        new float[TopologicalMemory.DIM / 2]);
  }

  /**
   * The sampled distance approximates the exact L2 distance of the (log-scaled) landscapes, here with
   * at most {@value TopologicalMemory#LEVELS} levels in use.
   */
  @Test
  void theDistanceApproximatesTheExactLandscapeDistance() {
    TopologicalSignals.StateTopology a = topo(0.5, new double[] {0.05, 0.2}, new double[][] {{0.03, 0.3}, {0.1, 0.2}});
    TopologicalSignals.StateTopology b = topo(0.3, new double[] {0.02, 0.1}, new double[][] {{0.05, 0.25}});
    double exact = Math.sqrt(square(exact(a.h0(), a.maxDistance(), b.h0(), b.maxDistance()))
        + square(exact(a.h1(), a.maxDistance(), b.h1(), b.maxDistance())));
    double sampled = TopologicalMemory.distance(sig(a), sig(b));
    assertThat(sampled).isCloseTo(exact, Offset.offset(0.05 * exact));
  }

  private static double square(double x) {
    return x * x;
  }

  private static double exact(PersistenceDiagram p, double pMax, PersistenceDiagram q, double qMax) {
    return PersistenceLandscape.of(logged(p, pMax), TopologicalMemory.logScale(pMax))
        .distance(PersistenceLandscape.of(logged(q, qMax), TopologicalMemory.logScale(qMax)), PersistenceLandscape.Norm.L2);
  }

  private static PersistenceDiagram logged(PersistenceDiagram d, double maxD) {
    double[] b = new double[d.size()];
    double[] e = new double[d.size()];
    for (int i = 0; i < d.size(); i++) {
      b[i] = TopologicalMemory.logScale(d.birth(i));
      e[i] = TopologicalMemory.logScale(Math.min(maxD, d.death(i)));
    }
    return new PersistenceDiagram(d.dimension(), b, e);
  }

  @Test
  void outcomesAreLabelledSixtySecondsLaterFromTheEstimate() {
    TopologicalMemory m = new TopologicalMemory(100);
    for (long t = 0; t <= 59; t++) {
      m.observe(t, t < 30 ? CALM : BUSY, 0.0);
    }
    assertThat(m.size()).isZero();
    assertThat(m.pending()).isEqualTo(12); // 0, 5, ..., 55: only every 5th second
    m.observe(60, FAULT, 0.0);
    assertThat(m.size()).isEqualTo(1); // the tick at 0 is labelled now, not cascading
    assertThat(m.nearest(CALM, 5)).singleElement().satisfies(n -> {
      assertThat(n.timeSec()).isZero();
      assertThat(n.cascaded()).isFalse();
      assertThat(n.episode()).isEqualTo(TopologicalMemory.CURRENT_EPISODE);
      assertThat(n.distance()).isZero();
    });
    // the estimate crosses 10% at 72 s: ticks stored at 10..60 are labelled at 70..120 with whatever the
    // estimate is then (0.15 from 72 on); ticks at or after 72 are not stored (already past 10%)
    for (long t = 61; t <= 200; t++) {
      m.observe(t, FAULT, t < 72 ? 0.05 : 0.15);
    }
    assertThat(m.pending()).isZero();
    List<TopologicalMemory.Neighbour> all = m.nearest(FAULT, 100);
    assertThat(all).hasSize(15); // 0, 5, ..., 70 (70 was stored at 0.05; 75.. were not)
    for (TopologicalMemory.Neighbour n : all) {
      assertThat(n.cascaded()).as("tick %d", n.timeSec()).isEqualTo(n.timeSec() + 60 >= 72);
    }
    assertThat(m.cascadingCount()).isEqualTo(15 - 3); // 0, 5, 10 labelled at 60, 65, 70 while below 10%
  }

  @Test
  void theOldestEntryIsEvictedWhenFull() {
    TopologicalMemory m = new TopologicalMemory(3);
    m.add(CALM, false, 1, 1);
    m.add(CALM, false, 1, 2);
    m.add(CALM, true, 1, 3);
    m.add(CALM, true, 1, 4);
    assertThat(m.size()).isEqualTo(3);
    assertThat(m.nearest(CALM, 10)).extracting(TopologicalMemory.Neighbour::timeSec).containsExactly(2L, 3L, 4L);
    // past the initial allocation: growing keeps the order, the first eviction takes the oldest
    TopologicalMemory big = new TopologicalMemory(200);
    for (int i = 0; i < 201; i++) {
      big.add(BUSY, i % 2 == 0, 7, i);
    }
    List<TopologicalMemory.Neighbour> n = big.nearest(BUSY, 200);
    assertThat(n).hasSize(200);
    assertThat(n.get(0).timeSec()).isEqualTo(1);
    assertThat(n.get(199).timeSec()).isEqualTo(200);
  }

  @Test
  void tiesGoToTheEarlierEntryAndTheSeedComesFirst() {
    TopologicalMemory seed = new TopologicalMemory(5);
    seed.add(BUSY, true, 3, 10);
    seed.add(BUSY, false, 4, 20);
    seed.freeze();
    TopologicalMemory m = TopologicalMemory.over(seed, 2);
    m.add(BUSY, false, 9, 30);
    m.add(BUSY, true, 9, 40);
    m.add(BUSY, true, 9, 50); // evicts own 30, never the seed
    assertThat(m.size()).isEqualTo(4);
    assertThat(m.nearest(BUSY, 3)).extracting(TopologicalMemory.Neighbour::timeSec).containsExactly(10L, 20L, 40L);
    assertThat(m.nearest(BUSY, 1).get(0).episode()).isEqualTo(3);
    assertThat(seed.size()).isEqualTo(2);
    assertThatThrownBy(() -> seed.add(BUSY, true, 0, 0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("frozen");
  }

  @Test
  void theSameCallsGiveTheSameAnswers() {
    TopologicalMemory a = new TopologicalMemory(50);
    TopologicalMemory b = new TopologicalMemory(50);
    float[][] s = {CALM, BUSY, FAULT};
    for (long t = 0; t < 400; t++) {
      float[] x = s[(int) ((t * 7) % 3)];
      double est = t > 300 ? 0.12 : 0.0;
      a.observe(t, x, est);
      b.observe(t, x, est);
    }
    float[] q = sig(topo(0.3, new double[] {0.06, 0.09}, new double[][] {{0.1, 0.2}}));
    assertThat(a.nearest(q, 16)).isEqualTo(b.nearest(q, 16));
    assertThat(a.risk(q)).isEqualTo(b.risk(q));
  }

  @Test
  void riskIsTheDistanceWeightedShareOfCascades() {
    TopologicalMemory m = new TopologicalMemory(10);
    assertThat(m.risk(BUSY)).isZero(); // empty memory: 0
    m.add(BUSY, true, 0, 1);
    assertThat(m.risk(CALM)).isEqualTo(1.0);
    m.add(CALM, false, 0, 2);
    double wBusy = 1 / (TopologicalMemory.distance(FAULT, BUSY) + TopologicalMemory.EPS);
    double wCalm = 1 / (TopologicalMemory.distance(FAULT, CALM) + TopologicalMemory.EPS);
    assertThat(m.risk(FAULT, 2)).isCloseTo(wBusy / (wBusy + wCalm), Offset.offset(1e-12));
    assertThat(m.risk(FAULT, 1)).isEqualTo(1.0); // BUSY is FAULT's nearest
    assertThat(m.risk(CALM, 1)).isZero();
  }

  @Test
  void badInputIsRejectedWithAClearMessage() {
    TopologicalMemory m = new TopologicalMemory(4);
    assertThatThrownBy(() -> m.add(new float[3], true, 0, 0)).hasMessageContaining("must have " + TopologicalMemory.DIM);
    float[] nan = CALM.clone();
    nan[5] = Float.NaN;
    assertThatThrownBy(() -> m.nearest(nan, 1)).hasMessageContaining("finite");
    assertThatThrownBy(() -> m.nearest(CALM, 0)).hasMessageContaining("k must be >= 1");
    m.observe(10, CALM, 0);
    assertThatThrownBy(() -> m.observe(9, CALM, 0)).hasMessageContaining("went backwards");
    assertThatThrownBy(() -> m.observe(11, CALM, 1.5)).hasMessageContaining("[0, 1]");
    assertThatThrownBy(() -> TopologicalMemory.over(new TopologicalMemory(1), 1)).hasMessageContaining("frozen");
    assertThatThrownBy(() -> new TopologicalMemory(0)).hasMessageContaining("capacity must be >= 1");
  }

  // ------------------------------------------------------------------------------------- properties

  @Provide
  Arbitrary<float[]> signatures() {
    return Arbitraries.floats().between(0, 3).ofScale(6).array(float[].class).ofSize(TopologicalMemory.DIM);
  }

  @Property(tries = 200)
  void distancesAreSymmetricNonNegativeAndZeroOnlyOnEqualSignatures(@ForAll("signatures") float[] a,
      @ForAll("signatures") float[] b, @ForAll("signatures") float[] c) {
    double ab = TopologicalMemory.distance(a, b);
    assertThat(ab).isGreaterThanOrEqualTo(0).isEqualTo(TopologicalMemory.distance(b, a));
    assertThat(TopologicalMemory.distance(a, a.clone())).isZero();
    if (!java.util.Arrays.equals(a, b)) {
      assertThat(ab).isPositive();
    }
    assertThat(TopologicalMemory.distance(a, c)).isLessThanOrEqualTo(ab + TopologicalMemory.distance(b, c) + 1e-9);
  }

  @Property(tries = 100)
  void aRememberedSituationIsItsOwnNearestNeighbour(@ForAll("diagrams") double[] d, @ForAll("diagrams") double[] e) {
    float[] x = sig(topo(d[0], java.util.Arrays.copyOfRange(d, 1, 4), new double[][] {{d[4], d[5]}}));
    float[] y = sig(topo(e[0], java.util.Arrays.copyOfRange(e, 1, 4), new double[][] {{e[4], e[5]}}));
    TopologicalMemory m = new TopologicalMemory(4);
    m.add(y, false, 0, 0);
    m.add(x, true, 0, 1);
    TopologicalMemory.Neighbour n = m.nearest(x, 1).get(0);
    assertThat(n.distance()).isZero();
    assertThat(n.timeSec()).isEqualTo(java.util.Arrays.equals(x, y) ? 0 : 1);
    assertThat(TopologicalMemory.distance(x, y)).isEqualTo(TopologicalMemory.distance(y, x)).isGreaterThanOrEqualTo(0);
  }

  /** maxD, three H0 deaths ≤ maxD, an H1 interval [b, d) with b ≤ d ≤ maxD. */
  @Provide
  Arbitrary<double[]> diagrams() {
    return Arbitraries.doubles().between(1e-4, 2).ofScale(6).array(double[].class).ofSize(6).map(v -> {
      double max = v[0];
      double[] out = new double[6];
      out[0] = max;
      for (int i = 1; i < 4; i++) {
        out[i] = Math.min(max, v[i]);
      }
      double lo = Math.min(max, Math.min(v[4], v[5]));
      double hi = Math.min(max, Math.max(v[4], v[5]));
      out[4] = lo;
      out[5] = hi;
      return out;
    });
  }
}
