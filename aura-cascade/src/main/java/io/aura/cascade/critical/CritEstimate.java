package io.aura.cascade.critical;

import io.aura.cascade.metrics.Quantiles;
import io.aura.cascade.random.SplitMix64;
import java.util.Arrays;

/**
 * Counterfactual criticality of one agent (CPB 6.7): {@code crit_i = mean_s S_B0,s − mean_s
 * S_B0,s|i immune} over paired seeds s, i.e. the mean of the paired differences
 * {@code d_s = S_B0,s − S_immune,s}.
 *
 * <p>Uncertainty: the paired standard error {@code sd(d)/√n} (sample sd, n − 1) and a percentile
 * bootstrap by seed (Efron &amp; Tibshirani 1993, ch. 13): resample the n seeds with replacement,
 * take the mean of their d, {@code replicates} times; the interval is [Q(a/2), Q(1 − a/2)] of the
 * replicate means, a = 1 − confidence, type-7 quantiles. Resampling uses a seeded SplitMix64, so
 * the interval is reproducible.
 *
 * @param crit crit_i, the mean paired difference
 * @param standardError paired standard error of crit_i
 * @param lower bootstrap lower bound
 * @param upper bootstrap upper bound
 * @param meanB0 mean S_B0 over the seeds
 * @param meanImmune mean S_B0|i immune over the seeds
 * @param seeds number of paired seeds n
 */
public record CritEstimate(double crit, double standardError, double lower, double upper, double meanB0,
    double meanImmune, int seeds) {
  /** Default bootstrap replicates. */
  public static final int DEFAULT_REPLICATES = 10_000;
  /** Default confidence level. */
  public static final double DEFAULT_CONFIDENCE = 0.95;

  /**
   * The estimate from paired cascade sizes.
   *
   * @param b0 S_B0 per seed
   * @param immune S_B0|i immune per seed, same seed order
   * @param replicates bootstrap replicates ≥ 1
   * @param confidence confidence level in (0, 1)
   * @param bootstrapSeed seed of the resampling stream
   * @throws IllegalArgumentException for fewer than 2 seeds, arrays of different lengths or values
   *     outside [0, 1]
   */
  public static CritEstimate of(double[] b0, double[] immune, int replicates, double confidence, long bootstrapSeed) {
    int n = b0.length;
    if (immune.length != n) {
      throw new IllegalArgumentException("b0 has " + n + " seeds, immune " + immune.length);
    }
    if (n < 2) {
      throw new IllegalArgumentException("need at least 2 paired seeds, got " + n);
    }
    if (replicates < 1) {
      throw new IllegalArgumentException("replicates must be >= 1: " + replicates);
    }
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1): " + confidence);
    }
    double[] d = new double[n];
    double sumB = 0;
    double sumI = 0;
    for (int s = 0; s < n; s++) {
      if (!(b0[s] >= 0 && b0[s] <= 1) || !(immune[s] >= 0 && immune[s] <= 1)) {
        throw new IllegalArgumentException("cascade sizes must be in [0, 1]; seed index " + s + ": " + b0[s] + ", " + immune[s]);
      }
      d[s] = b0[s] - immune[s];
      sumB += b0[s];
      sumI += immune[s];
    }
    double mean = 0;
    for (double x : d) {
      mean += x;
    }
    mean /= n;
    double ss = 0;
    for (double x : d) {
      ss += (x - mean) * (x - mean);
    }
    double se = Math.sqrt(ss / (n - 1)) / Math.sqrt(n);
    SplitMix64 rng = new SplitMix64(bootstrapSeed);
    double[] reps = new double[replicates];
    for (int r = 0; r < replicates; r++) {
      double s = 0;
      for (int k = 0; k < n; k++) {
        s += d[rng.nextInt(n)];
      }
      reps[r] = s / n;
    }
    Arrays.sort(reps);
    double a = 1 - confidence;
    return new CritEstimate(mean, se, Quantiles.quantileOfSorted(reps, a / 2), Quantiles.quantileOfSorted(reps, 1 - a / 2),
        sumB / n, sumI / n, n);
  }

  /** True if the whole interval is above 0 (crit_i is distinguishable from noise at this level). */
  public boolean positive() {
    return lower > 0;
  }
}
