package io.aura.cascade.metrics;

import java.util.Arrays;

/**
 * Sample quantiles, Hyndman–Fan type 7 (Hyndman &amp; Fan, "Sample quantiles in statistical packages",
 * Am. Stat. 50(4), 1996; the default of R's {@code quantile} and NumPy's {@code percentile}).
 *
 * <p>For sorted values x_0 ≤ … ≤ x_{n-1} and probability p: h = (n − 1)p, j = ⌊h⌋,
 * Q(p) = x_j + (h − j)(x_{j+1} − x_j). Infinite order statistics are allowed (bootstrap ratios
 * can be +∞, lead times of unwarned cascades are −∞): if the interpolation puts positive weight on
 * an infinite neighbour, the result is that infinity, never NaN.
 */
public final class Quantiles {
  private Quantiles() {}

  /**
   * Type-7 quantile of {@code values} (copied and sorted; the argument is not modified).
   *
   * @param values non-empty, no NaN (infinities allowed)
   * @param p probability in [0, 1]
   * @return Q(p)
   */
  public static double quantile(double[] values, double p) {
    double[] sorted = sortedCopy(values, "values");
    return quantileOfSorted(sorted, p);
  }

  /**
   * Type-7 quantile of an already ascending-sorted array (not checked for order).
   *
   * @param sorted non-empty, ascending, no NaN
   * @param p probability in [0, 1]
   * @return Q(p)
   */
  public static double quantileOfSorted(double[] sorted, double p) {
    Checks.nonEmpty(sorted, "sorted");
    Checks.unitValue(p, "p");
    double h = (sorted.length - 1) * p;
    int j = (int) Math.floor(h);
    double frac = h - j;
    double lo = sorted[j];
    if (frac == 0.0 || j + 1 >= sorted.length) {
      return lo;
    }
    double hi = sorted[j + 1];
    if (lo == hi) {
      return lo;
    }
    if (lo == Double.NEGATIVE_INFINITY) {
      return lo;
    }
    if (hi == Double.POSITIVE_INFINITY) {
      return hi;
    }
    return lo + frac * (hi - lo);
  }

  /** Copies, checks for NaN and sorts ascending. */
  static double[] sortedCopy(double[] values, String name) {
    Checks.nonEmpty(values, name);
    double[] s = values.clone();
    for (int i = 0; i < s.length; i++) {
      if (Double.isNaN(s[i])) {
        throw new MetricInputException(name + "[" + i + "] is NaN");
      }
    }
    Arrays.sort(s);
    return s;
  }
}
