package io.aura.cascade.metrics;

import io.aura.cascade.random.SplitMix64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RankingAndTestingTest {

  @Test
  void precisionAndNdcgByHand() {
    double[] crit = {0.5, 0.0, 0.3, 0.1, 0.2};
    int[] ranking = {0, 1, 2, 3, 4};
    assertThat(CriticalAgents.precisionAtK(ranking, crit, 2)).isEqualTo(0.5);
    double log3 = Math.log(3) / Math.log(2);
    assertThat(CriticalAgents.ndcgAtK(ranking, crit, 2).getAsDouble())
        .isCloseTo(0.5 / (0.5 + 0.3 / log3), within(1e-12));
    int[] ideal = {0, 2, 4, 3, 1};
    assertThat(CriticalAgents.precisionAtK(ideal, crit, 3)).isEqualTo(1.0);
    assertThat(CriticalAgents.ndcgAtK(ideal, crit, 5).getAsDouble()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void tiesAtTheCutShareTheirPlacesAndShortRankingsMiss() {
    double[] crit = {0.2, 0.2, 0.2, 0.0};
    assertThat(CriticalAgents.precisionAtK(new int[] {2}, crit, 1)).isEqualTo(1.0);
    assertThat(CriticalAgents.precisionAtK(new int[] {3}, crit, 1)).isEqualTo(0.0);
    assertThat(CriticalAgents.precisionAtK(new int[] {1}, crit, 2)).isEqualTo(0.5);
    // two tied agents fill one place of the true top 2 next to the unique top: ranking both of them
    // first misses the top and scores 0.5, as under either tie-break of the truth (it scored 1.0)
    double[] oneTop = {0.3, 0.2, 0.2, 0.1};
    assertThat(CriticalAgents.precisionAtK(new int[] {1, 2, 0, 3}, oneTop, 2)).isEqualTo(0.5);
    assertThat(CriticalAgents.precisionAtK(new int[] {0, 2, 1, 3}, oneTop, 2)).isEqualTo(1.0);
    assertThat(CriticalAgents.precisionAtK(new int[] {1, 2, 0, 3}, oneTop, 3)).isEqualTo(1.0); // no tie at the cut of 3
    assertThat(CriticalAgents.ndcgAtK(new int[] {0}, new double[] {0, -0.1}, 1)).isEmpty();
    assertThat(CriticalAgents.onePercentK(1000)).isEqualTo(10);
    assertThat(CriticalAgents.onePercentK(20)).isEqualTo(1);
  }

  @Test
  void agentsWithoutCriticalityEarnNoPrecision() {
    // the true top k holds agents with crit > 0 only: when k exceeds their number, ranking agents
    // of crit 0 (tied at a cut of 0, or above a negative cut) must not score
    assertThat(CriticalAgents.precisionAtK(new int[] {1, 2}, new double[] {0.5, 0.0, 0.0}, 2)).isZero();
    assertThat(CriticalAgents.precisionAtK(new int[] {1}, new double[] {0.5, 0.0, -0.1}, 3)).isZero();
    assertThat(CriticalAgents.precisionAtK(new int[] {0, 1}, new double[] {0.5, 0.0, 0.0}, 2)).isEqualTo(0.5);
    assertThatThrownBy(() -> CriticalAgents.precisionAtK(new int[] {0}, new double[] {0.5, Double.NaN}, 1))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("crit[1] = NaN");
    assertThatThrownBy(() -> CriticalAgents.onePercentK(0))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("agents = 0");
  }

  @Test
  void holmRejectsAtExactlyAlphaAndChecksItsInput() {
    // reject iff adjusted p <= α: 2 · 0.025 = 0.05 exactly
    assertThat(MultipleTesting.holmReject(new double[] {0.025, 0.5}, 0.05)).containsExactly(true, false);
    assertThatThrownBy(() -> MultipleTesting.holmAdjust(new double[] {0.01, 1.5}))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("pValues[1] = 1.5");
    assertThatThrownBy(() -> MultipleTesting.holmReject(new double[] {0.01}, 0.0))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("alpha = 0.0");
  }

  @Test
  void badRankingsAreRejected() {
    double[] crit = {0.1, 0.2};
    assertThatThrownBy(() -> CriticalAgents.precisionAtK(new int[] {0, 0}, crit, 1))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("ranking[1] = 0 is a duplicate");
    assertThatThrownBy(() -> CriticalAgents.precisionAtK(new int[] {2}, crit, 1))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("ranking[0] = 2");
    assertThatThrownBy(() -> CriticalAgents.ndcgAtK(new int[] {0}, crit, 3))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("k = 3");
  }

  @Test
  void holmByHand() {
    double[] adj = MultipleTesting.holmAdjust(new double[] {0.01, 0.04, 0.03, 0.005});
    assertThat(adj[0]).isCloseTo(0.03, within(1e-12));
    assertThat(adj[1]).isCloseTo(0.06, within(1e-12));
    assertThat(adj[2]).isCloseTo(0.06, within(1e-12));
    assertThat(adj[3]).isCloseTo(0.02, within(1e-12));
    assertThat(MultipleTesting.holmReject(new double[] {0.01, 0.04, 0.03, 0.005}, 0.05))
        .containsExactly(true, false, false, true);
  }

  @Test
  void holmMatchesDefinitionOnRandomPValues() {
    SplitMix64 r = new SplitMix64(8);
    for (int trial = 0; trial < 100; trial++) {
      int m = 1 + r.nextInt(12);
      double[] p = new double[m];
      for (int i = 0; i < m; i++) {
        p[i] = Math.floor(r.nextDouble() * 50) / 100; // ties
      }
      double[] adj = MultipleTesting.holmAdjust(p);
      double[] sorted = p.clone();
      java.util.Arrays.sort(sorted);
      for (int i = 0; i < m; i++) {
        // Rank of p[i]: the last position of its value among the sorted values gives the max.
        int pos = 0;
        while (pos + 1 < m && sorted[pos + 1] <= p[i]) {
          pos++;
        }
        double expected = 0;
        for (int j = 0; j <= pos; j++) {
          expected = Math.max(expected, Math.min(1.0, (m - j) * sorted[j]));
        }
        assertThat(adj[i]).isCloseTo(expected, within(1e-12));
      }
    }
  }

  @Test
  void pairedBootstrapPValueIsTheBootstrapTailProbability() {
    // d = a − b = {0, 0, 3}: d̄ = 1, centred d' = {−1, −1, 2}. A replicate mean of three draws is
    // ≥ 1 iff at least two draws are the 2: P = 3·(1/3)²·(2/3) + (1/3)³ = 7/27 ≈ 0.259. The p-value
    // estimates that tail. (The other tail, P(mean ≤ −1) = (2/3)³ = 8/27, is what a sign slip
    // gives; a test that stops at p ≈ 0 or p ≈ 1 cannot see either.)
    double[] a = {0.5, 0.5, 3.5};
    double[] b = {0.5, 0.5, 0.5};
    int replicates = 40_000;
    double p = PairedBootstrapTest.pValueGreater(a, b, replicates, 11);
    assertThat(p).isCloseTo(7.0 / 27, within(0.01)); // binomial sd at B = 40 000: 0.0022
    // other arms with the same differences: the same p (it depends on a − b only)
    double[] a2 = {1.0, 2.0, 7.0};
    double[] b2 = {1.0, 2.0, 4.0};
    assertThat(PairedBootstrapTest.pValueGreater(a2, b2, replicates, 11)).isEqualTo(p);
  }

  @Test
  void pairedBootstrapRejectsWhatWouldFakeSignificance() {
    // a NaN makes every comparison false, which would read as p = 1/(B+1): "significantly worse"
    double[] ok = {0.1, 0.2, 0.3};
    assertThatThrownBy(() -> PairedBootstrapTest.pValueGreater(new double[] {0.1, Double.NaN, 0.3}, ok, 100, 1))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("a[1] = NaN");
    assertThatThrownBy(() -> PairedBootstrapTest.pValueGreater(ok, new double[] {0.1, 0.2, Double.POSITIVE_INFINITY}, 100, 1))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("b[2] = Infinity");
    assertThatThrownBy(() -> PairedBootstrapTest.pValueGreater(ok, ok, 0, 1))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("replicates = 0");
  }

  @Test
  void pairedBootstrapPValue() {
    double[] b = {0.1, 0.2, 0.3, 0.4, 0.5};
    assertThat(PairedBootstrapTest.pValueGreater(b, b, 999, 1)).isEqualTo(1.0);
    double[] worse = {0.2, 0.3, 0.4, 0.5, 0.6};
    assertThat(PairedBootstrapTest.pValueGreater(worse, b, 999, 1)).isEqualTo(1.0 / 1000);
    SplitMix64 r = new SplitMix64(4);
    double[] x = new double[300];
    double[] y = new double[300];
    for (int i = 0; i < x.length; i++) {
      y[i] = r.nextDouble();
      x[i] = y[i] + 0.05 + 0.2 * (r.nextDouble() - 0.5);
    }
    assertThat(PairedBootstrapTest.pValueGreater(x, y, 2_000, 3)).isLessThan(0.01);
    assertThat(PairedBootstrapTest.pValueGreater(y, x, 2_000, 3)).isGreaterThan(0.99);
    assertThatThrownBy(() -> PairedBootstrapTest.pValueGreater(x, new double[1], 10, 1))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("a.length = 300");
  }
}
