package io.aura.cascade.critical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CritEstimateAndEvaluationTest {
  @Test
  void critIsTheMeanPairedDifferenceWithItsStandardErrorAndABootstrapInterval() {
    double[] b0 = {0.5, 0.3, 0.0, 0.4};
    double[] imm = {0.1, 0.3, 0.0, 0.0};
    CritEstimate e = CritEstimate.of(b0, imm, 10_000, 0.95, 1);
    // d = 0.4, 0, 0, 0.4: mean 0.2, sd = sqrt(4 * 0.04 / 3), se = sd / 2
    assertThat(e.crit()).isCloseTo(0.2, within(1e-12));
    assertThat(e.standardError()).isCloseTo(Math.sqrt(0.16 / 3) / 2, within(1e-12));
    assertThat(e.meanB0()).isCloseTo(0.3, within(1e-12));
    assertThat(e.meanImmune()).isCloseTo(0.1, within(1e-12));
    assertThat(e.lower()).isGreaterThanOrEqualTo(0.0).isLessThan(0.2);
    assertThat(e.upper()).isGreaterThan(0.2).isLessThanOrEqualTo(0.4);
    assertThat(CritEstimate.of(b0, imm, 10_000, 0.95, 1)).isEqualTo(e);

    CritEstimate zero = CritEstimate.of(b0, b0, 100, 0.95, 1);
    assertThat(zero.crit()).isZero();
    assertThat(zero.lower()).isZero();
    assertThat(zero.upper()).isZero();
    assertThat(zero.positive()).isFalse();
    assertThat(CritEstimate.of(new double[] {0.5, 0.6, 0.4}, new double[] {0, 0, 0}, 1000, 0.95, 2).positive()).isTrue();
    assertThatThrownBy(() -> CritEstimate.of(new double[] {0.5}, new double[] {0}, 10, 0.95, 1))
        .hasMessageContaining("at least 2 paired seeds");
  }

  private static Map<String, int[]> rankings(int[] sut, int[] base) {
    Map<String, int[]> m = new LinkedHashMap<>();
    m.put("aura", sut);
    m.put("degree", base);
    return m;
  }

  @Test
  void aPerfectRankingMeetsT7AgainstAReversedBaseline() {
    int n = 20;
    double[] crit = new double[n];
    int[] perfect = new int[n];
    int[] reversed = new int[n];
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      crit[i] = (n - i) / 100.0; // agent 0 most critical
      perfect[i] = i;
      reversed[i] = n - 1 - i;
      all[i] = i;
    }
    CriticalEvaluation.Result r = CriticalEvaluation.evaluate(n, all, crit, rankings(perfect, reversed));
    assertThat(r.cuts()).containsEntry("5", 5).containsEntry("10", 10).containsEntry("1%", 1);
    CriticalEvaluation.Score s = r.quality("aura").at("10");
    assertThat(s.precision().getAsDouble()).isEqualTo(1.0);
    assertThat(s.ndcg().getAsDouble()).isCloseTo(1.0, within(1e-12));
    assertThat(r.quality("degree").at("10").precision().getAsDouble()).isZero();
    assertThat(r.verdict().overall()).isEqualTo(CriticalEvaluation.Status.MET);
    assertThat(r.verdict().margin().value()).isGreaterThan(0.15);

    // the other way round every condition is missed
    CriticalEvaluation.Result bad = CriticalEvaluation.evaluate(n, all, crit, rankings(reversed, perfect));
    assertThat(bad.verdict().precision().status()).isEqualTo(CriticalEvaluation.Status.MISSED);
    assertThat(bad.verdict().ndcg().status()).isEqualTo(CriticalEvaluation.Status.MISSED);
    assertThat(bad.verdict().margin().status()).isEqualTo(CriticalEvaluation.Status.MISSED);
    assertThat(bad.verdict().overall()).isEqualTo(CriticalEvaluation.Status.MISSED);
  }

  @Test
  void cutsBeyondTheCandidateSetAreNotScored() {
    double[] crit = {0.3, 0.1, 0, 0};
    int[] r = {0, 1, 2, 3};
    CriticalEvaluation.Result res = CriticalEvaluation.evaluate(4, r, crit, rankings(r, new int[] {3, 2, 1, 0}));
    assertThat(res.quality("aura").at("5").precision()).isEmpty();
    assertThat(res.quality("aura").at("1%").precision().getAsDouble()).isEqualTo(1.0);
    assertThat(res.verdict().overall()).isEqualTo(CriticalEvaluation.Status.UNDEFINED);
  }
}
