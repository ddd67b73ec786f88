package io.aura.cascade.metrics;

import io.aura.cascade.random.SplitMix64;

import java.util.Arrays;

/**
 * Prediction quality of the {@code risk} output (CPB spec 6.4): labels, AUROC, AUPRC, Brier score
 * and skill, expected calibration error, and an episode bootstrap for AUROC.
 *
 * <ul>
 *   <li><b>Label</b> at evaluation time t: y_t = 1[t &lt; t_on(X) ≤ t + H] (spec 6.4).
 *   <li><b>AUROC</b> via the Mann–Whitney U statistic with average ranks for ties (Hanley &amp;
 *       McNeil, Radiology 143:29, 1982): AUROC = (R₊ − n₊(n₊+1)/2) / (n₊ n₋), R₊ the sum of the
 *       positives' ranks. Equals P(score₊ &gt; score₋) + ½ P(score₊ = score₋).
 *   <li><b>AUPRC</b> as average precision, step-wise, no interpolation (the convention of
 *       scikit-learn's {@code average_precision_score}): AP = Σ_k (R_k − R_{k−1}) P_k over the
 *       distinct scores taken as thresholds in decreasing order (predict positive iff score ≥
 *       threshold; tied scores enter together), R_0 = 0. Report it with the prevalence.
 *   <li><b>Brier score</b> BS = (1/n) Σ (p_i − y_i)² (Brier, Mon. Weather Rev. 78:1, 1950);
 *       <b>Brier skill</b> vs prevalence π: BSS = 1 − BS / (π(1 − π)), π(1 − π) being the Brier
 *       score of always forecasting π on the same sample.
 *   <li><b>ECE</b>, 10 equal-width bins (Naeini, Cooper, Hauskrecht, AAAI 2015; Guo et al., ICML
 *       2017): bin b = min(⌊10 p⌋, 9), ECE = Σ_b (n_b/n) |ȳ_b − p̄_b|.
 * </ul>
 * AUROC, AUPRC and BSS are undefined on a sample with one class; they then throw.
 */
public final class PredictionQuality {
  /** Number of ECE bins of spec 6.4. */
  public static final int DEFAULT_ECE_BINS = 10;
  /** Evaluation step of spec 6.4 (5 s). */
  public static final long DEFAULT_EVAL_STEP_NANOS = 5_000_000_000L;
  /** Post-fault evaluation span of spec 6.4 (600 s). */
  public static final long DEFAULT_EVAL_SPAN_NANOS = 600_000_000_000L;
  /** Marker for "no onset in this episode" (t_on = ∞). */
  public static final long NO_ONSET = Long.MAX_VALUE;

  private PredictionQuality() {}

  /**
   * Labels y_t = 1[t &lt; t_on ≤ t + H] (spec 6.4).
   *
   * @param evalTimesNanos evaluation times t, each ≥ 0
   * @param onsetNanos t_on(X) ≥ 0, or {@link #NO_ONSET}
   * @param horizonNanos H &gt; 0
   * @return the labels, one per time
   */
  public static boolean[] labels(long[] evalTimesNanos, long onsetNanos, long horizonNanos) {
    if (evalTimesNanos == null) {
      throw new MetricInputException("evalTimesNanos must not be null");
    }
    if (onsetNanos < 0) {
      throw new MetricInputException("onsetNanos = " + onsetNanos + " must be >= 0");
    }
    Checks.positive(horizonNanos, "horizonNanos");
    boolean[] y = new boolean[evalTimesNanos.length];
    for (int i = 0; i < y.length; i++) {
      long t = evalTimesNanos[i];
      if (t < 0) {
        throw new MetricInputException("evalTimesNanos[" + i + "] = " + t + " must be >= 0");
      }
      // t < t_on guarantees t_on - t > 0 without overflow since both are non-negative.
      y[i] = t < onsetNanos && onsetNanos - t <= horizonNanos;
    }
    return y;
  }

  /**
   * Post-fault evaluation times of spec 6.4: t = t_f + k·step for k = 0, 1, … while t ≤ t_f + span
   * and t &lt; t_on (times at or after onset are not evaluated, their label would trivially be 0).
   *
   * @param faultNanos t_f ≥ 0
   * @param onsetNanos t_on, or {@link #NO_ONSET}
   * @param stepNanos step &gt; 0 (spec: 5 s)
   * @param spanNanos span ≥ 0 (spec: 600 s)
   * @return the times, ascending
   */
  public static long[] postFaultEvalTimes(
      long faultNanos, long onsetNanos, long stepNanos, long spanNanos) {
    if (faultNanos < 0) {
      throw new MetricInputException("faultNanos = " + faultNanos + " must be >= 0");
    }
    Checks.positive(stepNanos, "stepNanos");
    if (spanNanos < 0) {
      throw new MetricInputException("spanNanos = " + spanNanos + " must be >= 0");
    }
    long end = Math.min(Math.addExact(faultNanos, spanNanos), saturatedMinusOne(onsetNanos));
    if (end < faultNanos) {
      return new long[0];
    }
    long steps = (end - faultNanos) / stepNanos;
    if (steps >= Integer.MAX_VALUE - 8) {
      throw new MetricInputException("spanNanos = " + spanNanos + " / stepNanos = " + stepNanos
          + " gives too many evaluation times");
    }
    int count = (int) steps + 1;
    long[] t = new long[count];
    for (int k = 0; k < count; k++) {
      t[k] = faultNanos + k * stepNanos;
    }
    return t;
  }

  private static long saturatedMinusOne(long v) {
    return v == NO_ONSET ? Long.MAX_VALUE : v - 1;
  }

  /**
   * AUROC, Mann–Whitney with average ranks for ties.
   *
   * @param scores finite scores (higher = more likely positive)
   * @param labels labels, same length, both classes present
   * @return AUROC in [0, 1]
   */
  public static double auroc(double[] scores, boolean[] labels) {
    checkScored(scores, labels);
    int n = scores.length;
    int[] order = orderAscending(scores);
    long pos = 0;
    double rankSumPos = 0.0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double avgRank = (i + j + 2) / 2.0; // ranks i+1 .. j+1
      for (int k = i; k <= j; k++) {
        if (labels[order[k]]) {
          pos++;
          rankSumPos += avgRank;
        }
      }
      i = j + 1;
    }
    long neg = n - pos;
    requireBothClasses(pos, neg);
    return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  /**
   * AUPRC as step-wise average precision (see the class comment for the convention).
   *
   * @param scores finite scores
   * @param labels labels, at least one positive
   * @return AP in [0, 1]
   */
  public static double averagePrecision(double[] scores, boolean[] labels) {
    checkScored(scores, labels);
    int n = scores.length;
    int[] order = orderAscending(scores);
    long totalPos = 0;
    for (boolean y : labels) {
      if (y) {
        totalPos++;
      }
    }
    if (totalPos == 0) {
      throw new MetricInputException("labels contain no positive; average precision undefined");
    }
    double ap = 0.0;
    long tp = 0;
    long taken = 0;
    int i = n - 1;
    while (i >= 0) {
      int j = i;
      while (j - 1 >= 0 && scores[order[j - 1]] == scores[order[i]]) {
        j--;
      }
      long tpGroup = 0;
      for (int k = j; k <= i; k++) {
        if (labels[order[k]]) {
          tpGroup++;
        }
      }
      tp += tpGroup;
      taken += i - j + 1;
      if (tpGroup > 0) {
        ap += ((double) tpGroup / totalPos) * ((double) tp / taken);
      }
      i = j - 1;
    }
    return ap;
  }

  /**
   * Prevalence π = (1/n) Σ y_i.
   *
   * @param labels non-empty labels
   * @return fraction of positives
   */
  public static double prevalence(boolean[] labels) {
    if (labels == null || labels.length == 0) {
      throw new MetricInputException("labels must not be null or empty");
    }
    int pos = 0;
    for (boolean y : labels) {
      if (y) {
        pos++;
      }
    }
    return (double) pos / labels.length;
  }

  /**
   * Brier score (1/n) Σ (p_i − y_i)².
   *
   * @param probabilities forecasts in [0, 1]
   * @param labels outcomes, same length
   * @return BS in [0, 1]
   */
  public static double brier(double[] probabilities, boolean[] labels) {
    Checks.inUnit(probabilities, "probabilities");
    checkLabels(labels, probabilities.length, "probabilities");
    double s = 0.0;
    for (int i = 0; i < probabilities.length; i++) {
      double d = probabilities[i] - (labels[i] ? 1.0 : 0.0);
      s += d * d;
    }
    return s / probabilities.length;
  }

  /**
   * Brier skill score vs prevalence, 1 − BS / (π(1 − π)).
   *
   * @param probabilities forecasts in [0, 1]
   * @param labels outcomes with both classes present
   * @return BSS ≤ 1 (0 = no better than forecasting the prevalence)
   */
  public static double brierSkill(double[] probabilities, boolean[] labels) {
    double bs = brier(probabilities, labels);
    double pi = prevalence(labels);
    if (pi == 0.0 || pi == 1.0) {
      throw new MetricInputException(
          "prevalence = " + pi + ": reference Brier score is 0, Brier skill undefined");
    }
    return 1.0 - bs / (pi * (1.0 - pi));
  }

  /**
   * Expected calibration error with {@link #DEFAULT_ECE_BINS} equal-width bins.
   *
   * @param probabilities forecasts in [0, 1]
   * @param labels outcomes, same length
   * @return ECE in [0, 1]
   */
  public static double ece(double[] probabilities, boolean[] labels) {
    return ece(probabilities, labels, DEFAULT_ECE_BINS);
  }

  /**
   * Expected calibration error with {@code bins} equal-width bins on [0, 1]; bin of p is
   * min(⌊bins·p⌋, bins − 1), so p = 1 falls in the last bin.
   *
   * @param probabilities forecasts in [0, 1]
   * @param labels outcomes, same length
   * @param bins number of bins ≥ 1
   * @return Σ_b (n_b/n) |ȳ_b − p̄_b|
   */
  public static double ece(double[] probabilities, boolean[] labels, int bins) {
    Checks.inUnit(probabilities, "probabilities");
    checkLabels(labels, probabilities.length, "probabilities");
    if (bins < 1) {
      throw new MetricInputException("bins = " + bins + " must be >= 1");
    }
    long[] count = new long[bins];
    double[] sumP = new double[bins];
    double[] sumY = new double[bins];
    for (int i = 0; i < probabilities.length; i++) {
      int b = Math.min((int) (probabilities[i] * bins), bins - 1);
      count[b]++;
      sumP[b] += probabilities[i];
      sumY[b] += labels[i] ? 1.0 : 0.0;
    }
    double e = 0.0;
    for (int b = 0; b < bins; b++) {
      if (count[b] > 0) {
        e += Math.abs(sumY[b] - sumP[b]); // (n_b/n)·|ȳ_b − p̄_b| = |Σy − Σp| / n
      }
    }
    return e / probabilities.length;
  }

  /** Bootstrap replicates used by the default overloads (spec 6.2 uses 10 000). */
  public static final int DEFAULT_REPLICATES = 10_000;

  /**
   * {@link #aurocEpisodeBootstrap(double[], boolean[], int[], int, double, long)} with
   * {@link #DEFAULT_REPLICATES} replicates at 95%.
   *
   * @param scores finite scores
   * @param labels labels, both classes present
   * @param episodeOffsets E+1 non-decreasing offsets, first 0, last n
   * @param seed bootstrap seed
   * @return point AUROC with bootstrap bounds
   */
  public static BootstrapInterval aurocEpisodeBootstrap(
      double[] scores, boolean[] labels, int[] episodeOffsets, long seed) {
    return aurocEpisodeBootstrap(scores, labels, episodeOffsets, DEFAULT_REPLICATES, 0.95, seed);
  }

  /**
   * AUROC with an episode (cluster) bootstrap (spec 6.4: samples within an episode are
   * correlated). Samples of episode e are {@code scores[offsets[e] .. offsets[e+1])}. Each replicate
   * draws E episodes with replacement (SplitMix64(seed), index (int)(u·E)) and computes the AUROC of
   * the union, duplicated episodes counted with their multiplicity; replicates with one class only
   * are skipped and counted.
   *
   * <p>Implementation: the samples are sorted by score once; a replicate is a weighted
   * Mann–Whitney sweep with episode multiplicities as weights, O(n) per replicate.
   *
   * @param scores finite scores
   * @param labels labels, both classes present
   * @param episodeOffsets E+1 non-decreasing offsets, first 0, last n
   * @param replicates replicates ≥ 1 (spec default 10 000)
   * @param confidence level in (0, 1)
   * @param seed bootstrap seed
   * @return point AUROC with bootstrap bounds
   */
  public static BootstrapInterval aurocEpisodeBootstrap(
      double[] scores, boolean[] labels, int[] episodeOffsets, int replicates, double confidence,
      long seed) {
    checkScored(scores, labels);
    Checks.replicates(replicates);
    Checks.confidence(confidence, "confidence");
    int n = scores.length;
    int episodes = checkOffsets(episodeOffsets, n);
    int[] episodeOf = new int[n];
    for (int e = 0; e < episodes; e++) {
      for (int i = episodeOffsets[e]; i < episodeOffsets[e + 1]; i++) {
        episodeOf[i] = e;
      }
    }
    int[] order = orderAscending(scores);
    long[] weight = new long[episodes];
    Arrays.fill(weight, 1L);
    long pos = 0;
    for (boolean y : labels) {
      if (y) {
        pos++;
      }
    }
    requireBothClasses(pos, n - pos);
    double point = weightedAuroc(scores, labels, order, episodeOf, weight);
    SplitMix64 rng = new SplitMix64(seed);
    double[] stats = new double[replicates];
    int valid = 0;
    for (int r = 0; r < replicates; r++) {
      drawEpisodes(rng, weight);
      double a = weightedAuroc(scores, labels, order, episodeOf, weight);
      if (!Double.isNaN(a)) {
        stats[valid++] = a;
      }
    }
    return interval(point, stats, valid, replicates, confidence);
  }

  /**
   * ECE ({@link #DEFAULT_ECE_BINS} bins) with the episode bootstrap of
   * {@link #aurocEpisodeBootstrap(double[], boolean[], int[], int, double, long)}: each replicate
   * draws E episodes with replacement and computes the ECE of the union, duplicated episodes counted
   * with their multiplicity. Every replicate is valid (ECE needs no second class).
   *
   * @param probabilities forecasts in [0, 1]
   * @param labels outcomes, same length
   * @param episodeOffsets E+1 non-decreasing offsets, first 0, last n
   * @param replicates replicates ≥ 1
   * @param confidence level in (0, 1)
   * @param seed bootstrap seed
   * @return point ECE with bootstrap bounds
   */
  public static BootstrapInterval eceEpisodeBootstrap(
      double[] probabilities, boolean[] labels, int[] episodeOffsets, int replicates, double confidence, long seed) {
    Checks.inUnit(probabilities, "probabilities");
    checkLabels(labels, probabilities.length, "probabilities");
    Checks.replicates(replicates);
    Checks.confidence(confidence, "confidence");
    int n = probabilities.length;
    int episodes = checkOffsets(episodeOffsets, n);
    int bins = DEFAULT_ECE_BINS;
    // per episode and bin: the sums a replicate weights by the episode's multiplicity
    double[] epP = new double[episodes * bins];
    double[] epY = new double[episodes * bins];
    long[] epN = new long[episodes];
    for (int e = 0; e < episodes; e++) {
      for (int i = episodeOffsets[e]; i < episodeOffsets[e + 1]; i++) {
        int b = Math.min((int) (probabilities[i] * bins), bins - 1);
        epP[e * bins + b] += probabilities[i];
        epY[e * bins + b] += labels[i] ? 1.0 : 0.0;
        epN[e]++;
      }
    }
    double point = ece(probabilities, labels, bins);
    SplitMix64 rng = new SplitMix64(seed);
    long[] weight = new long[episodes];
    double[] sumP = new double[bins];
    double[] sumY = new double[bins];
    double[] stats = new double[replicates];
    int valid = 0;
    for (int r = 0; r < replicates; r++) {
      drawEpisodes(rng, weight);
      Arrays.fill(sumP, 0.0);
      Arrays.fill(sumY, 0.0);
      long total = 0;
      for (int e = 0; e < episodes; e++) {
        long w = weight[e];
        if (w == 0) {
          continue;
        }
        total += w * epN[e];
        for (int b = 0; b < bins; b++) {
          sumP[b] += w * epP[e * bins + b];
          sumY[b] += w * epY[e * bins + b];
        }
      }
      if (total == 0) {
        continue;
      }
      double err = 0.0;
      for (int b = 0; b < bins; b++) {
        err += Math.abs(sumY[b] - sumP[b]);
      }
      stats[valid++] = err / total;
    }
    return interval(point, stats, valid, replicates, confidence);
  }

  /** One bootstrap replicate's episode multiplicities: E draws with replacement (index (int)(u·E)). */
  private static void drawEpisodes(SplitMix64 rng, long[] weight) {
    Arrays.fill(weight, 0L);
    for (int k = 0; k < weight.length; k++) {
      weight[rng.nextInt(weight.length)]++;
    }
  }

  static BootstrapInterval interval(
      double point, double[] stats, int valid, int replicates, double confidence) {
    double alpha = 1.0 - confidence;
    if (valid == 0) {
      return new BootstrapInterval(
          point, Double.NaN, Double.NaN, Double.NaN, confidence, replicates, replicates);
    }
    double[] sorted = Arrays.copyOf(stats, valid);
    Arrays.sort(sorted);
    return new BootstrapInterval(
        point,
        Quantiles.quantileOfSorted(sorted, alpha),
        Quantiles.quantileOfSorted(sorted, alpha / 2),
        Quantiles.quantileOfSorted(sorted, 1 - alpha / 2),
        confidence,
        replicates,
        replicates - valid);
  }

  /** Weighted Mann–Whitney AUROC over samples sorted ascending; NaN if a class has weight 0. */
  private static double weightedAuroc(
      double[] scores, boolean[] labels, int[] order, int[] episodeOf, long[] weight) {
    int n = order.length;
    double negBelow = 0.0;
    double acc = 0.0;
    double posTotal = 0.0;
    int i = 0;
    while (i < n) {
      double s = scores[order[i]];
      double posW = 0.0;
      double negW = 0.0;
      int j = i;
      while (j < n && scores[order[j]] == s) {
        int idx = order[j];
        long w = weight[episodeOf[idx]];
        if (labels[idx]) {
          posW += w;
        } else {
          negW += w;
        }
        j++;
      }
      acc += posW * (negBelow + 0.5 * negW);
      negBelow += negW;
      posTotal += posW;
      i = j;
    }
    if (posTotal == 0.0 || negBelow == 0.0) {
      return Double.NaN;
    }
    return acc / (posTotal * negBelow);
  }

  static int checkOffsets(int[] offsets, int n) {
    if (offsets == null || offsets.length < 2) {
      throw new MetricInputException("episodeOffsets must hold at least 2 entries (one episode)");
    }
    if (offsets[0] != 0) {
      throw new MetricInputException("episodeOffsets[0] = " + offsets[0] + " must be 0");
    }
    for (int e = 1; e < offsets.length; e++) {
      if (offsets[e] < offsets[e - 1]) {
        throw new MetricInputException(
            "episodeOffsets[" + e + "] = " + offsets[e] + " is below episodeOffsets[" + (e - 1)
                + "] = " + offsets[e - 1]);
      }
    }
    if (offsets[offsets.length - 1] != n) {
      throw new MetricInputException(
          "episodeOffsets[last] = " + offsets[offsets.length - 1] + " must equal the sample count "
              + n);
    }
    return offsets.length - 1;
  }

  /** Indices sorted by ascending score (stable). */
  static int[] orderAscending(double[] scores) {
    int n = scores.length;
    long[] keyed = new long[n];
    double[] sorted = scores.clone();
    Arrays.sort(sorted);
    // Rank-compress scores, then sort (rank, index) pairs packed in one long: no boxing.
    for (int i = 0; i < n; i++) {
      // the first position not below the score (equal scores, -0.0 and 0.0 included, share it);
      // a binary search for the predicate, so long runs of ties cost log n, not their length
      double x = scores[i];
      int lo = 0;
      int hi = n;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (sorted[mid] < x) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      keyed[i] = ((long) lo << 32) | i;
    }
    Arrays.sort(keyed);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = (int) keyed[i];
    }
    return order;
  }

  private static void checkScored(double[] scores, boolean[] labels) {
    Checks.finite(scores, "scores");
    checkLabels(labels, scores.length, "scores");
  }

  private static void checkLabels(boolean[] labels, int n, String otherName) {
    if (labels == null) {
      throw new MetricInputException("labels must not be null");
    }
    Checks.sameLength(n, otherName, labels.length, "labels");
  }

  private static void requireBothClasses(long pos, long neg) {
    if (pos == 0 || neg == 0) {
      throw new MetricInputException(
          "labels have " + pos + " positives and " + neg + " negatives; AUROC needs both classes");
    }
  }
}
