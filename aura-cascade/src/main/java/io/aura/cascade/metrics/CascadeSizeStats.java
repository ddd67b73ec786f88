package io.aura.cascade.metrics;

/**
 * Cascade-size distribution over episodes (CPB spec 6.1) and user-facing availability.
 *
 * <p>The cascade size of an episode is S = S_cum(T) ∈ [0, 1], the fraction of agents outside the
 * directly faulted set F0 that were FAILED at any time in [t_f, T]. Reported: mean, median, p95,
 * p99 (type-7 quantiles, {@link Quantiles}) and the complementary CDF P(S ≥ s) at
 * s ∈ {0.01, 0.05, 0.1, 0.2, 0.5}.
 *
 * @param n number of episodes
 * @param mean (1/n) Σ S_e
 * @param median Q(0.5)
 * @param p95 Q(0.95)
 * @param p99 Q(0.99)
 * @param ccdfThresholds the thresholds s ({@link #defaultCcdfThresholds()} unless chosen)
 * @param ccdf ccdf[k] = #{e : S_e ≥ ccdfThresholds[k]} / n
 */
public record CascadeSizeStats(
    int n, double mean, double median, double p95, double p99, double[] ccdfThresholds,
    double[] ccdf) {

  /** CCDF thresholds of spec 6.1. */
  private static final double[] CCDF_THRESHOLDS = {0.01, 0.05, 0.1, 0.2, 0.5};

  /**
   * The spec's CCDF thresholds.
   *
   * @return a fresh copy of {0.01, 0.05, 0.1, 0.2, 0.5}
   */
  public static double[] defaultCcdfThresholds() {
    return CCDF_THRESHOLDS.clone();
  }

  /** Defensive copies of the arrays. */
  public CascadeSizeStats {
    ccdfThresholds = ccdfThresholds.clone();
    ccdf = ccdf.clone();
  }

  /**
   * The CCDF thresholds.
   *
   * @return a copy of the thresholds s
   */
  @Override
  public double[] ccdfThresholds() {
    return ccdfThresholds.clone();
  }

  /**
   * The CCDF values.
   *
   * @return a copy of P(S ≥ s) per threshold
   */
  @Override
  public double[] ccdf() {
    return ccdf.clone();
  }

  /**
   * Statistics with the spec's CCDF thresholds.
   *
   * @param sizes per-episode cascade sizes, each in [0, 1]
   * @return the summary
   */
  public static CascadeSizeStats of(double[] sizes) {
    return of(sizes, CCDF_THRESHOLDS);
  }

  /**
   * Statistics with chosen CCDF thresholds.
   *
   * @param sizes per-episode cascade sizes, each in [0, 1]
   * @param thresholds CCDF thresholds, each in [0, 1]
   * @return the summary
   */
  public static CascadeSizeStats of(double[] sizes, double[] thresholds) {
    Checks.inUnit(sizes, "sizes");
    Checks.inUnit(thresholds, "thresholds");
    double[] sorted = Quantiles.sortedCopy(sizes, "sizes");
    double[] ccdf = new double[thresholds.length];
    for (int k = 0; k < thresholds.length; k++) {
      ccdf[k] = ccdfAt(sorted, thresholds[k]);
    }
    return new CascadeSizeStats(
        sizes.length,
        mean(sizes),
        Quantiles.quantileOfSorted(sorted, 0.5),
        Quantiles.quantileOfSorted(sorted, 0.95),
        Quantiles.quantileOfSorted(sorted, 0.99),
        thresholds,
        ccdf);
  }

  /**
   * Empirical CCDF P(S ≥ s) = #{e : S_e ≥ s} / n.
   *
   * @param sizes per-episode cascade sizes, each in [0, 1]
   * @param s threshold
   * @return the fraction of episodes with size at least s
   */
  public static double ccdf(double[] sizes, double s) {
    Checks.inUnit(sizes, "sizes");
    if (Double.isNaN(s)) {
      throw new MetricInputException("s is NaN");
    }
    int count = 0;
    for (double v : sizes) {
      if (v >= s) {
        count++;
      }
    }
    return (double) count / sizes.length;
  }

  /** Binary search on sorted data: first index with value ≥ s. */
  private static double ccdfAt(double[] sorted, double s) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] >= s) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return (double) (sorted.length - lo) / sorted.length;
  }

  /**
   * Arithmetic mean (1/n) Σ x_i.
   *
   * @param values non-empty, finite
   * @return the mean
   */
  public static double mean(double[] values) {
    Checks.finite(values, "values");
    double s = 0.0;
    for (double v : values) {
      s += v;
    }
    return s / values.length;
  }

  /**
   * Availability A = successful entry requests / offered entry requests over [t_f, T] (spec 6.1).
   * Requests rejected by any breaker, shed, isolation or rate limit count as unsuccessful (6.6).
   *
   * @param successfulEntryRequests successes, 0 ≤ successes ≤ offered
   * @param offeredEntryRequests offered entry requests, &gt; 0
   * @return A in [0, 1]
   */
  public static double availability(long successfulEntryRequests, long offeredEntryRequests) {
    if (offeredEntryRequests <= 0) {
      throw new MetricInputException(
          "offeredEntryRequests = " + offeredEntryRequests + " must be positive");
    }
    if (successfulEntryRequests < 0 || successfulEntryRequests > offeredEntryRequests) {
      throw new MetricInputException(
          "successfulEntryRequests = " + successfulEntryRequests + " is outside [0, "
              + offeredEntryRequests + "]");
    }
    return (double) successfulEntryRequests / offeredEntryRequests;
  }
}
