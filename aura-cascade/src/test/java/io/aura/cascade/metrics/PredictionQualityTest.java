package io.aura.cascade.metrics;

import io.aura.cascade.random.SplitMix64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PredictionQualityTest {
  private static final long S = 1_000_000_000L;

  @Test
  void aurocAndAveragePrecisionByHand() {
    double[] scores = {0.1, 0.4, 0.35, 0.8};
    boolean[] y = {false, false, true, true};
    assertThat(PredictionQuality.auroc(scores, y)).isCloseTo(0.75, within(1e-12));
    // Thresholds 0.8: P=1, R=.5; 0.4: P=.5; 0.35: P=2/3, R=1 → .5·1 + .5·2/3.
    assertThat(PredictionQuality.averagePrecision(scores, y)).isCloseTo(5.0 / 6, within(1e-12));
  }

  @Test
  void tiesGetAverageRanksAndEnterAveragePrecisionTogether() {
    assertThat(PredictionQuality.auroc(new double[] {0.5, 0.5}, new boolean[] {true, false}))
        .isEqualTo(0.5);
    double[] scores = {0.5, 0.5, 0.2};
    boolean[] y = {true, false, true};
    // Positive at 0.5 beats the negative? tie → ½; positive at 0.2 loses → 0. AUC = 0.25.
    assertThat(PredictionQuality.auroc(scores, y)).isCloseTo(0.25, within(1e-12));
    assertThat(PredictionQuality.averagePrecision(scores, y)).isCloseTo(0.25 + 1.0 / 3,
        within(1e-12));
  }

  @Test
  void aurocAndApAgreeWithBruteForceOnRandomData() {
    SplitMix64 r = new SplitMix64(2024);
    for (int trial = 0; trial < 200; trial++) {
      int n = 2 + r.nextInt(60);
      double[] s = new double[n];
      boolean[] y = new boolean[n];
      for (int i = 0; i < n; i++) {
        s[i] = Math.floor(r.nextDouble() * 8) / 8; // many ties
        y[i] = r.nextDouble() < 0.3;
      }
      y[0] = true;
      y[1] = false;
      assertThat(PredictionQuality.auroc(s, y)).isCloseTo(bruteAuroc(s, y), within(1e-12));
      assertThat(PredictionQuality.averagePrecision(s, y)).isCloseTo(bruteAp(s, y),
          within(1e-12));
    }
  }

  static double bruteAuroc(double[] s, boolean[] y) {
    double acc = 0;
    long pairs = 0;
    for (int i = 0; i < s.length; i++) {
      for (int j = 0; j < s.length; j++) {
        if (y[i] && !y[j]) {
          pairs++;
          acc += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
        }
      }
    }
    return acc / pairs;
  }

  static double bruteAp(double[] s, boolean[] y) {
    double[] thresholds = s.clone();
    java.util.Arrays.sort(thresholds);
    int totalPos = 0;
    for (boolean b : y) {
      totalPos += b ? 1 : 0;
    }
    double ap = 0;
    double prevRecall = 0;
    for (int k = thresholds.length - 1; k >= 0; k--) {
      if (k < thresholds.length - 1 && thresholds[k] == thresholds[k + 1]) {
        continue;
      }
      int tp = 0;
      int predicted = 0;
      for (int i = 0; i < s.length; i++) {
        if (s[i] >= thresholds[k]) {
          predicted++;
          tp += y[i] ? 1 : 0;
        }
      }
      double recall = (double) tp / totalPos;
      ap += (recall - prevRecall) * tp / predicted;
      prevRecall = recall;
    }
    return ap;
  }

  @Test
  void oneClassIsRejected() {
    assertThatThrownBy(
            () -> PredictionQuality.auroc(new double[] {0.1, 0.2}, new boolean[] {true, true}))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("2 positives and 0 negatives");
    assertThatThrownBy(
            () ->
                PredictionQuality.averagePrecision(
                    new double[] {0.1}, new boolean[] {false}))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("no positive");
  }

  @Test
  void brierAndSkillByHand() {
    double[] p = {0.9, 0.2};
    boolean[] y = {true, false};
    assertThat(PredictionQuality.brier(p, y)).isCloseTo(0.025, within(1e-12));
    assertThat(PredictionQuality.brierSkill(p, y)).isCloseTo(0.9, within(1e-12));
    assertThat(PredictionQuality.prevalence(y)).isEqualTo(0.5);
    // Forecasting the prevalence itself has zero skill.
    assertThat(PredictionQuality.brierSkill(new double[] {0.25, 0.25, 0.25, 0.25},
        new boolean[] {true, false, false, false})).isCloseTo(0.0, within(1e-12));
    assertThatThrownBy(
            () -> PredictionQuality.brierSkill(new double[] {0.1}, new boolean[] {false}))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("prevalence = 0.0");
  }

  @Test
  void eceByHand() {
    double[] p = {0.05, 0.15, 0.95, 1.0};
    boolean[] y = {false, true, true, true};
    assertThat(PredictionQuality.ece(p, y)).isCloseTo((0.05 + 0.85 + 0.05) / 4, within(1e-12));
    assertThat(PredictionQuality.ece(new double[] {0.5, 0.5}, new boolean[] {true, false}))
        .isCloseTo(0.0, within(1e-12));
    assertThatThrownBy(() -> PredictionQuality.ece(new double[] {1.1}, new boolean[] {true}))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("probabilities[0] = 1.1");
  }

  @Test
  void labelsFollowTheSpecDefinition() {
    long[] t = {0, 5 * S, 10 * S, 15 * S, 20 * S};
    assertThat(PredictionQuality.labels(t, 12 * S, 5 * S))
        .containsExactly(false, false, true, false, false);
    assertThat(PredictionQuality.labels(t, 12 * S, 10 * S))
        .containsExactly(false, true, true, false, false);
    // t_on = t + H is positive (≤), t_on = t is not (<).
    assertThat(PredictionQuality.labels(new long[] {10 * S}, 15 * S, 5 * S)).containsExactly(true);
    assertThat(PredictionQuality.labels(new long[] {10 * S}, 10 * S, 5 * S)).containsExactly(false);
    assertThat(PredictionQuality.labels(t, PredictionQuality.NO_ONSET, 60 * S))
        .containsExactly(false, false, false, false, false);
    assertThatThrownBy(() -> PredictionQuality.labels(t, 0, 0))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("horizonNanos = 0");
  }

  @Test
  void postFaultEvaluationTimes() {
    long[] t = PredictionQuality.postFaultEvalTimes(600 * S, 620 * S, 5 * S, 600 * S);
    assertThat(t).containsExactly(600 * S, 605 * S, 610 * S, 615 * S);
    long[] all =
        PredictionQuality.postFaultEvalTimes(
            600 * S, PredictionQuality.NO_ONSET, PredictionQuality.DEFAULT_EVAL_STEP_NANOS,
            PredictionQuality.DEFAULT_EVAL_SPAN_NANOS);
    assertThat(all).hasSize(121);
    assertThat(all[120]).isEqualTo(1200 * S);
    assertThat(PredictionQuality.postFaultEvalTimes(600 * S, 600 * S, 5 * S, 600 * S)).isEmpty();
    // a fault at t = 0 and a zero span are legal: the fault instant itself is evaluated
    assertThat(PredictionQuality.postFaultEvalTimes(0, PredictionQuality.NO_ONSET, 5 * S, 12 * S))
        .containsExactly(0, 5 * S, 10 * S);
    assertThat(PredictionQuality.postFaultEvalTimes(600 * S, 700 * S, 5 * S, 0)).containsExactly(600 * S);
    assertThat(PredictionQuality.postFaultEvalTimes(600 * S, 600 * S + 1, 5 * S, 600 * S)).containsExactly(600 * S);
    assertThatThrownBy(() -> PredictionQuality.postFaultEvalTimes(600 * S, 700 * S, 0, 600 * S))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("stepNanos = 0");
  }

  /** Scores and labels of episodes laid end to end; episode e holds indices offsets[e] .. offsets[e + 1] − 1. */
  private record Episodes(int[] offsets, double[] s, boolean[] y) {
    /** One bootstrap replicate done by hand: as many episodes as there are, each drawn from {@code draw}, laid end to end. */
    Episodes resample(SplitMix64 draw) {
      int episodes = offsets.length - 1;
      int[] picked = new int[episodes];
      int[] off = new int[episodes + 1];
      for (int k = 0; k < episodes; k++) {
        picked[k] = draw.nextInt(episodes);
        off[k + 1] = off[k] + offsets[picked[k] + 1] - offsets[picked[k]];
      }
      double[] rs = new double[off[episodes]];
      boolean[] ry = new boolean[off[episodes]];
      for (int k = 0; k < episodes; k++) {
        int len = off[k + 1] - off[k];
        System.arraycopy(s, offsets[picked[k]], rs, off[k], len);
        System.arraycopy(y, offsets[picked[k]], ry, off[k], len);
      }
      return new Episodes(off, rs, ry);
    }

    boolean twoClasses() {
      boolean pos = false;
      boolean neg = false;
      for (boolean b : y) {
        pos |= b;
        neg |= !b;
      }
      return pos && neg;
    }
  }

  /**
   * {@code episodes} random episodes from SplitMix64({@code seed}) of {@code minLen} + U{0..spread−1}
   * points each; a point is positive w.p. {@code pPos}, its score U(0, 1) (+ {@code shift} when positive)
   * floored to a 1/{@code grid} grid (ties); the first point positive, the second negative.
   */
  private static Episodes episodes(long seed, int episodes, int minLen, int spread, double pPos, double shift, int grid) {
    SplitMix64 r = new SplitMix64(seed);
    int[] offsets = new int[episodes + 1];
    for (int e = 0; e < episodes; e++) {
      offsets[e + 1] = offsets[e] + minLen + r.nextInt(spread);
    }
    int n = offsets[episodes];
    double[] s = new double[n];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextDouble() < pPos;
      s[i] = Math.floor((r.nextDouble() + (y[i] ? shift : 0.0)) * grid) / grid;
    }
    y[0] = true;
    y[1] = false;
    return new Episodes(offsets, s, y);
  }

  @Test
  void episodeBootstrapReplicateEqualsAurocOfTheResampledEpisodes() {
    Episodes d = episodes(77, 12, 1, 8, 0.4, 0.3, 10);
    int[] offsets = d.offsets();
    double[] s = d.s();
    boolean[] y = d.y();
    long seed = 99;
    BootstrapInterval one = PredictionQuality.aurocEpisodeBootstrap(s, y, offsets, 1, 0.95, seed);
    assertThat(one.point()).isCloseTo(PredictionQuality.auroc(s, y), within(1e-12));

    Episodes rd = d.resample(new SplitMix64(seed));
    if (rd.twoClasses()) {
      assertThat(one.lower()).isCloseTo(bruteAuroc(rd.s(), rd.y()), within(1e-12));
      assertThat(one.skippedReplicates()).isZero();
    } else {
      assertThat(one.skippedReplicates()).isEqualTo(1);
    }
    BootstrapInterval many =
        PredictionQuality.aurocEpisodeBootstrap(s, y, offsets, 2_000, 0.95, seed);
    assertThat(many.lower()).isLessThanOrEqualTo(many.lowerOneSided());
    assertThat(many.lowerOneSided()).isLessThanOrEqualTo(many.upper());
    assertThat(many.lower()).isBetween(0.0, 1.0);
    assertThat(many.upper()).isBetween(0.0, 1.0);
  }

  @Test
  void episodeBootstrapBoundsArePercentilesOfHandDrawnReplicates() {
    // every replicate redone by hand (E episode draws from SplitMix64(seed), AUROC of the union,
    // one-class unions skipped); the bounds must be the documented type-7 percentiles of them
    Episodes d = episodes(5, 10, 2, 5, 0.3, 0.25, 20);
    int replicates = 300;
    long seed = 31;
    SplitMix64 draw = new SplitMix64(seed);
    double[] stats = new double[replicates];
    int valid = 0;
    for (int rep = 0; rep < replicates; rep++) {
      Episodes rd = d.resample(draw);
      if (rd.twoClasses()) {
        stats[valid++] = bruteAuroc(rd.s(), rd.y());
      }
    }
    double[] used = java.util.Arrays.copyOf(stats, valid);
    BootstrapInterval got = PredictionQuality.aurocEpisodeBootstrap(d.s(), d.y(), d.offsets(), replicates, 0.8, seed);
    assertThat(got.skippedReplicates()).isEqualTo(replicates - valid);
    assertThat(got.lower()).isCloseTo(Quantiles.quantile(used, 0.1), within(1e-12));
    assertThat(got.upper()).isCloseTo(Quantiles.quantile(used, 0.9), within(1e-12));
    assertThat(got.lowerOneSided()).isCloseTo(Quantiles.quantile(used, 0.2), within(1e-12));
  }

  @Test
  void scoredAndCalibrationMetricsRejectBadInput() {
    // no test gave these metrics bad input, so every check in them could be deleted unnoticed: a NaN
    // score sorts anywhere, a lost label shifts every pair, a one-class episode set has no AUROC
    double[] s = {0.1, 0.7, 0.4};
    boolean[] y = {false, true, true};
    int[] off = {0, 1, 3};
    double[] nan = {0.1, Double.NaN, 0.4};
    boolean[] short2 = {false, true};
    assertThatThrownBy(() -> PredictionQuality.auroc(nan, y))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("scores[1] = NaN");
    assertThatThrownBy(() -> PredictionQuality.auroc(s, short2))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("scores.length = 3");
    assertThatThrownBy(() -> PredictionQuality.averagePrecision(nan, y))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("scores[1] = NaN");
    assertThatThrownBy(() -> PredictionQuality.brier(new double[] {1.5, 0.2, 0.3}, y))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("probabilities[0] = 1.5");
    assertThatThrownBy(() -> PredictionQuality.brier(s, short2))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("probabilities.length = 3");
    assertThatThrownBy(() -> PredictionQuality.ece(s, short2))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("probabilities.length = 3");
    assertThatThrownBy(() -> PredictionQuality.aurocEpisodeBootstrap(nan, y, off, 10, 0.95, 1))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("scores[1] = NaN");
    assertThatThrownBy(() -> PredictionQuality.aurocEpisodeBootstrap(s, y, off, 0, 0.95, 1))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("replicates = 0");
    assertThatThrownBy(() -> PredictionQuality.aurocEpisodeBootstrap(s, y, off, 10, 1.0, 1))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("confidence = 1.0");
    assertThatThrownBy(() -> PredictionQuality.aurocEpisodeBootstrap(s, new boolean[] {true, true, true}, off, 10, 0.95, 1))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("3 positives and 0 negatives");
    assertThatThrownBy(() -> PredictionQuality.aurocEpisodeBootstrap(s, new boolean[] {false, false, false}, off, 10, 0.95, 1))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("0 positives and 3 negatives");
    assertThatThrownBy(() -> PredictionQuality.eceEpisodeBootstrap(new double[] {0.1, -0.2, 0.4}, y, off, 10, 0.95, 1))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("probabilities[1] = -0.2");
    assertThatThrownBy(() -> PredictionQuality.eceEpisodeBootstrap(s, short2, off, 10, 0.95, 1))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("probabilities.length = 3");
    assertThatThrownBy(() -> PredictionQuality.eceEpisodeBootstrap(s, y, off, 0, 0.95, 1))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("replicates = 0");
    assertThatThrownBy(() -> PredictionQuality.eceEpisodeBootstrap(s, y, off, 10, 0.0, 1))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("confidence = 0.0");
  }

  @Test
  void emptyEpisodesArePermitted() {
    // offsets are non-decreasing, not increasing: an episode without evaluation times is legal
    double[] s = {0.1, 0.7, 0.4, 0.2};
    boolean[] y = {false, true, true, false};
    BootstrapInterval b = PredictionQuality.aurocEpisodeBootstrap(s, y, new int[] {0, 2, 2, 4}, 50, 0.95, 1);
    assertThat(b.point()).isCloseTo(PredictionQuality.auroc(s, y), within(1e-12));
    assertThat(LeadTime.falseAlarms(s, new int[] {0, 2, 2, 4}, 0.5)).isEqualTo(1);
  }

  @Test
  void eceEpisodeBootstrapWeighsEachEpisodesOwnOutcomes() {
    // A: p = 0.5, both outcomes 1 (ECE 0.5); B: p = 0.5, both 0 (ECE 0.5); together calibrated (0).
    // Replicates: AB or BA (half of them) give 0, AA and BB give 0.5.
    double[] p = {0.5, 0.5, 0.5, 0.5};
    boolean[] y = {true, true, false, false};
    BootstrapInterval b = PredictionQuality.eceEpisodeBootstrap(p, y, new int[] {0, 2, 4}, 400, 0.5, 3);
    assertThat(b.point()).isZero();
    assertThat(b.lower()).isZero();
    assertThat(b.upper()).isCloseTo(0.5, within(1e-12));
    // p = 1 belongs to the last bin (not past it), in every episode including the last
    double[] q = {1.0, 0.0, 1.0, 0.0, 1.0, 0.0};
    boolean[] z = {true, false, true, false, true, false};
    BootstrapInterval c = PredictionQuality.eceEpisodeBootstrap(q, z, new int[] {0, 2, 4, 6}, 50, 0.95, 3);
    assertThat(c.point()).isZero();
    assertThat(c.lower()).isZero();
    assertThat(c.upper()).isZero();
  }

  @Test
  void badOffsetsAreRejected() {
    double[] s = {0.1, 0.2, 0.3};
    boolean[] y = {true, false, true};
    assertThatThrownBy(
            () -> PredictionQuality.aurocEpisodeBootstrap(s, y, new int[] {0, 2}, 10, 0.95, 1))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("episodeOffsets[last] = 2");
    assertThatThrownBy(
            () -> PredictionQuality.aurocEpisodeBootstrap(s, y, new int[] {0, 2, 1, 3}, 10, 0.95,
                1))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("episodeOffsets[2] = 1");
  }

  @Test
  void orderAscendingIsAStableSortThatTiesMinusAndPlusZero() {
    io.aura.cascade.random.SplitMix64 rng = new io.aura.cascade.random.SplitMix64(0x0dde);
    for (int trial = 0; trial < 50; trial++) {
      int n = 1 + rng.nextInt(300);
      double[] x = new double[n];
      for (int k = 0; k < n; k++) {
        int v = rng.nextInt(7) - 3; // long runs of ties
        x[k] = v == 0 ? (rng.nextInt(2) == 0 ? -0.0 : 0.0) : v * 0.25;
      }
      Integer[] expected = new Integer[n];
      for (int k = 0; k < n; k++) {
        expected[k] = k;
      }
      // by value with -0.0 == 0.0, then by index
      java.util.Arrays.sort(expected, (a, b) -> x[a] < x[b] ? -1 : x[a] > x[b] ? 1 : Integer.compare(a, b));
      int[] got = PredictionQuality.orderAscending(x);
      for (int k = 0; k < n; k++) {
        assertThat(got[k]).as("trial %d position %d", trial, k).isEqualTo(expected[k]);
      }
    }
    // one run of 200 000 equal scores keeps the index order
    int[] same = PredictionQuality.orderAscending(new double[200_000]);
    for (int k = 0; k < same.length; k++) {
      assertThat(same[k]).isEqualTo(k);
    }
  }

  @Test
  void eceEpisodeBootstrapCentresOnTheEceAndCollapsesWhenEpisodesAreAlike() {
    // three identical episodes: every replicate is the same union up to multiplicity, so one ECE
    double[] p = {0.1, 0.8, 0.3, 0.1, 0.8, 0.3, 0.1, 0.8, 0.3};
    boolean[] y = {false, true, true, false, true, true, false, true, true};
    int[] off = {0, 3, 6, 9};
    BootstrapInterval same = PredictionQuality.eceEpisodeBootstrap(p, y, off, 500, 0.95, 7);
    assertThat(same.point()).isEqualTo(PredictionQuality.ece(p, y));
    assertThat(same.lower()).isCloseTo(same.point(), within(1e-12));
    assertThat(same.upper()).isCloseTo(same.point(), within(1e-12));
    // a well calibrated episode and a badly calibrated one: the interval spans both
    double[] q = {0.05, 0.05, 0.05, 0.05, 0.95, 0.95, 0.95, 0.95};
    boolean[] z = {false, false, false, false, false, false, false, false};
    int[] off2 = {0, 4, 8};
    BootstrapInterval mixed = PredictionQuality.eceEpisodeBootstrap(q, z, off2, 2000, 0.95, 7);
    assertThat(mixed.point()).isCloseTo(0.5, within(1e-12));
    assertThat(mixed.lower()).isCloseTo(0.05, within(1e-12)); // both draws the calibrated one
    assertThat(mixed.upper()).isCloseTo(0.95, within(1e-12));
  }
}
