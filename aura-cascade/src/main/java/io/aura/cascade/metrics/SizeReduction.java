package io.aura.cascade.metrics;

import io.aura.cascade.random.SplitMix64;

import java.util.Arrays;

/**
 * Size-reduction ratio R_size = E[S_B] / E[S_SUT] over paired episodes, with a paired percentile
 * bootstrap (CPB spec 6.2; Efron &amp; Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 13).
 *
 * <p>Episode e contributes the pair (S_B,e, S_SUT,e) run on the same seed (common random numbers).
 * Point estimate: R = mean(S_B) / mean(S_SUT). Bootstrap: each of B replicates draws n episode
 * indices with replacement from SplitMix64(seed) (index = (int)(u·n)) and computes the ratio of the
 * two means over the drawn pairs. The two-sided (1 − a) CI is [Q(a/2), Q(1 − a/2)] and the
 * one-sided (1 − a) lower bound is Q(a) of the replicate ratios (type-7 quantiles).
 *
 * <p>Zero denominators are explicit, never a silent NaN: a ratio x/0 with x &gt; 0 is +∞ (the SUT
 * had no cascade at all) and enters the quantiles as +∞; 0/0 (neither arm had any cascade) is
 * undefined. Undefined replicates are excluded from the quantiles and counted in
 * {@link Estimate#undefinedReplicates()}; if the point estimate is 0/0 the status is
 * {@link Status#UNDEFINED} and the bounds are reported as NaN together with that status.
 */
public final class SizeReduction {
  /** Bootstrap replicates of spec 6.2. */
  public static final int DEFAULT_REPLICATES = 10_000;
  /** Confidence level of spec 8 (T1: one-sided 95% lower bound). */
  public static final double DEFAULT_CONFIDENCE = 0.95;

  private SizeReduction() {}

  /** Kind of the point estimate. */
  public enum Status {
    /** mean(S_SUT) &gt; 0: an ordinary finite ratio. */
    FINITE,
    /** mean(S_SUT) = 0 and mean(S_B) &gt; 0: the ratio is +∞. */
    INFINITE,
    /** mean(S_SUT) = 0 and mean(S_B) = 0: no cascades in either arm, ratio undefined. */
    UNDEFINED
  }

  /**
   * R_size with its bootstrap interval.
   *
   * @param status kind of the point estimate
   * @param point mean(S_B)/mean(S_SUT); +∞ if {@link Status#INFINITE}; NaN only if UNDEFINED
   * @param lowerOneSided one-sided lower confidence bound Q(1 − confidence)
   * @param lower two-sided percentile interval, lower end Q((1 − confidence)/2)
   * @param upper two-sided percentile interval, upper end Q((1 + confidence)/2)
   * @param confidence the confidence level
   * @param replicates number of bootstrap replicates drawn
   * @param infiniteReplicates replicates whose ratio was +∞
   * @param undefinedReplicates replicates whose ratio was 0/0 (excluded from the quantiles)
   */
  public record Estimate(
      Status status, double point, double lowerOneSided, double lower, double upper,
      double confidence, int replicates, int infiniteReplicates, int undefinedReplicates) {}

  /**
   * R_size with {@link #DEFAULT_REPLICATES} replicates at {@link #DEFAULT_CONFIDENCE}.
   *
   * @param baselineSizes S_B,e per episode, in [0, 1]
   * @param sutSizes S_SUT,e per episode (same episode order), in [0, 1]
   * @param seed bootstrap seed
   * @return the estimate
   */
  public static Estimate rSize(double[] baselineSizes, double[] sutSizes, long seed) {
    return rSize(baselineSizes, sutSizes, DEFAULT_REPLICATES, DEFAULT_CONFIDENCE, seed);
  }

  /**
   * R_size with a chosen number of replicates and confidence level.
   *
   * @param baselineSizes S_B,e per episode, in [0, 1]
   * @param sutSizes S_SUT,e per episode (same episode order), in [0, 1]
   * @param replicates bootstrap replicates, ≥ 1
   * @param confidence confidence level in (0, 1)
   * @param seed bootstrap seed
   * @return the estimate
   */
  public static Estimate rSize(
      double[] baselineSizes, double[] sutSizes, int replicates, double confidence, long seed) {
    Checks.inUnit(baselineSizes, "baselineSizes");
    Checks.inUnit(sutSizes, "sutSizes");
    Checks.sameLength(baselineSizes.length, "baselineSizes", sutSizes.length, "sutSizes");
    Checks.replicates(replicates);
    Checks.confidence(confidence, "confidence");
    int n = baselineSizes.length;
    double sumB = 0.0;
    double sumS = 0.0;
    for (int e = 0; e < n; e++) {
      sumB += baselineSizes[e];
      sumS += sutSizes[e];
    }
    Status status = sumS > 0.0 ? Status.FINITE : sumB > 0.0 ? Status.INFINITE : Status.UNDEFINED;
    double point = ratio(sumB, sumS);

    SplitMix64 rng = new SplitMix64(seed);
    double[] ratios = new double[replicates];
    int defined = 0;
    int infinite = 0;
    int undefined = 0;
    for (int r = 0; r < replicates; r++) {
      double b = 0.0;
      double s = 0.0;
      for (int k = 0; k < n; k++) {
        int e = rng.nextInt(n);
        b += baselineSizes[e];
        s += sutSizes[e];
      }
      double q = ratio(b, s);
      if (Double.isNaN(q)) {
        undefined++;
      } else {
        if (q == Double.POSITIVE_INFINITY) {
          infinite++;
        }
        ratios[defined++] = q;
      }
    }
    double alpha = 1.0 - confidence;
    double lowerOne = Double.NaN;
    double lower = Double.NaN;
    double upper = Double.NaN;
    if (defined > 0) {
      double[] sorted = Arrays.copyOf(ratios, defined);
      Arrays.sort(sorted);
      lowerOne = Quantiles.quantileOfSorted(sorted, alpha);
      lower = Quantiles.quantileOfSorted(sorted, alpha / 2);
      upper = Quantiles.quantileOfSorted(sorted, 1 - alpha / 2);
    }
    return new Estimate(
        status, point, lowerOne, lower, upper, confidence, replicates, infinite, undefined);
  }

  /** Ratio of means (sums over the same n): +∞ for x/0 with x &gt; 0, NaN for 0/0. */
  private static double ratio(double sumB, double sumS) {
    if (sumS > 0.0) {
      return sumB / sumS;
    }
    return sumB > 0.0 ? Double.POSITIVE_INFINITY : Double.NaN;
  }
}
