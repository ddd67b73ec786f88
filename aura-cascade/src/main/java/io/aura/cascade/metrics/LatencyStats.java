package io.aura.cascade.metrics;

/**
 * Prediction-latency summary and scaling fit (CPB spec 6.8).
 *
 * <p>Percentiles p50, p99 and p99.9 of per-call latencies in nanoseconds (type-7 quantiles). The
 * scaling exponent is the ordinary least-squares slope of ln(latency) on ln(N) (Montgomery, Peck &amp;
 * Vining, "Introduction to Linear Regression Analysis", ch. 2): with x = ln N, y = ln L,
 * slope = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)², intercept = ȳ − slope·x̄, R² = 1 − SS_res / SS_tot
 * (R² = 1 if SS_tot = 0). Latency ∝ N^slope; T8 asks for slope ≤ 1.1.
 */
public final class LatencyStats {
  private LatencyStats() {}

  /**
   * Latency percentiles.
   *
   * @param count number of calls
   * @param p50Nanos median
   * @param p99Nanos 99th percentile
   * @param p999Nanos 99.9th percentile
   * @param maxNanos maximum
   */
  public record Summary(int count, double p50Nanos, double p99Nanos, double p999Nanos,
      long maxNanos) {}

  /**
   * Summarises per-call latencies.
   *
   * @param latenciesNanos per-call latencies, each ≥ 0
   * @return p50, p99, p99.9 and max
   */
  public static Summary summarize(long[] latenciesNanos) {
    if (latenciesNanos == null || latenciesNanos.length == 0) {
      throw new MetricInputException("latenciesNanos must not be null or empty");
    }
    double[] d = new double[latenciesNanos.length];
    long max = Long.MIN_VALUE;
    for (int i = 0; i < d.length; i++) {
      if (latenciesNanos[i] < 0) {
        throw new MetricInputException(
            "latenciesNanos[" + i + "] = " + latenciesNanos[i] + " must be >= 0");
      }
      d[i] = latenciesNanos[i];
      max = Math.max(max, latenciesNanos[i]);
    }
    double[] sorted = Quantiles.sortedCopy(d, "latenciesNanos");
    return new Summary(
        d.length,
        Quantiles.quantileOfSorted(sorted, 0.5),
        Quantiles.quantileOfSorted(sorted, 0.99),
        Quantiles.quantileOfSorted(sorted, 0.999),
        max);
  }

  /**
   * Log-log least-squares fit ln L = intercept + slope · ln N.
   *
   * @param slope scaling exponent
   * @param intercept natural-log intercept
   * @param rSquared coefficient of determination
   */
  public record PowerLawFit(double slope, double intercept, double rSquared) {}

  /**
   * Fits latency ∝ N^slope.
   *
   * @param agents N per point, each &gt; 0, at least two distinct values
   * @param latency latency per point (any unit), each &gt; 0
   * @return the fit
   */
  public static PowerLawFit fitLogLog(double[] agents, double[] latency) {
    Checks.finite(agents, "agents");
    Checks.finite(latency, "latency");
    Checks.sameLength(agents.length, "agents", latency.length, "latency");
    int n = agents.length;
    double[] x = new double[n];
    double[] y = new double[n];
    double mx = 0.0;
    double my = 0.0;
    for (int i = 0; i < n; i++) {
      if (!(agents[i] > 0.0)) {
        throw new MetricInputException("agents[" + i + "] = " + agents[i] + " must be > 0");
      }
      if (!(latency[i] > 0.0)) {
        throw new MetricInputException("latency[" + i + "] = " + latency[i] + " must be > 0");
      }
      x[i] = Math.log(agents[i]);
      y[i] = Math.log(latency[i]);
      mx += x[i];
      my += y[i];
    }
    mx /= n;
    my /= n;
    double sxx = 0.0;
    double sxy = 0.0;
    double syy = 0.0;
    for (int i = 0; i < n; i++) {
      sxx += (x[i] - mx) * (x[i] - mx);
      sxy += (x[i] - mx) * (y[i] - my);
      syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx == 0.0) {
      throw new MetricInputException("agents: need at least two distinct N values, got one");
    }
    double slope = sxy / sxx;
    double intercept = my - slope * mx;
    double ssRes = 0.0;
    for (int i = 0; i < n; i++) {
      double r = y[i] - (intercept + slope * x[i]);
      ssRes += r * r;
    }
    double r2 = syy == 0.0 ? 1.0 : 1.0 - ssRes / syy;
    return new PowerLawFit(slope, intercept, r2);
  }
}
