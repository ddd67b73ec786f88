package io.aura.cascade.sim;

/**
 * The chance that D3's FAILED rule fires for an agent at one control tick when its traffic is
 * random: over the trailing 10 s the agent gets N ~ Poisson(m) requests, each failing
 * independently with probability f, and it is FAILED if N ≥ 10 and more than half of them failed
 * (success ratio &lt; 0.5). The fluid model knows only m and f; the DES draws N and the failures, so
 * an agent whose mean failure share is below one half still fails now and then. {@link Fluid} uses
 * this to estimate the expected cascade size instead of the size of the mean trajectory.
 *
 * <p>Exact for m &lt; {@value #NORMAL_FROM} (a sum over N of the Poisson weight times the binomial
 * tail); above, the normal approximation of the compound Poisson sum Σ (1[fail] − 1/2), whose mean
 * is m (f − 1/2) and variance m/4: P ≈ Φ(2 √m (f − 1/2)). A Chernoff bound skips the sum when the
 * answer is below 1e-9.
 */
final class WindowFailure {
  /** Fewest requests in the window for the rule to count (D3). */
  static final int MIN_REQUESTS = 10;
  /** Expected requests from which the normal approximation is used. */
  static final double NORMAL_FROM = 60;

  private WindowFailure() {}

  /**
   * P(N ≥ 10 and more than N/2 failures) for N ~ Poisson(expectedRequests) and failures ~
   * Binomial(N, failureShare).
   *
   * @param expectedRequests m ≥ 0, the expected requests in the window
   * @param failureShare f in [0, 1] (clamped), the chance that one request fails
   * @return a probability in [0, 1]
   */
  static double probability(double expectedRequests, double failureShare) {
    double m = expectedRequests;
    if (!(m > 0)) {
      return 0;
    }
    double f = Math.min(1, Math.max(0, failureShare));
    if (f == 0) {
      return 0;
    }
    if (f < 0.5) {
      // P(F > N/2 | N) <= exp(-N KL(1/2 || f)) <= exp(-10 KL)
      double kl = 0.5 * StrictMath.log(0.5 / f) + 0.5 * StrictMath.log(0.5 / (1 - f));
      if (MIN_REQUESTS * kl > 20.7) {
        return 0;
      }
    }
    if (m >= NORMAL_FROM) {
      return normalCdf(2 * StrictMath.sqrt(m) * (f - 0.5));
    }
    int nMax = (int) Math.ceil(m + 12 * StrictMath.sqrt(m) + 20);
    double logF = StrictMath.log(f);
    double log1mF = f >= 1 ? Double.NEGATIVE_INFINITY : StrictMath.log1p(-f);
    // Poisson weights by their recursion from N = 10 (m < 60 keeps them far above underflow)
    double pois = StrictMath.exp(MIN_REQUESTS * StrictMath.log(m) - m - LN_FACT[MIN_REQUESTS]);
    double sum = 0;
    for (int n = MIN_REQUESTS; n <= nMax; n++) {
      if (n > MIN_REQUESTS) {
        pois *= m / n;
      }
      sum += pois * upperTail(n, n / 2 + 1, f, logF, log1mF);
    }
    return Math.min(1, sum);
  }

  /** ln k! for k below {@value #LN_FACT_SIZE}, summed once (the sums in {@link #probability} need k ≤ 173). */
  private static final int LN_FACT_SIZE = 512;
  private static final double[] LN_FACT = new double[LN_FACT_SIZE];

  static {
    for (int k = 2; k < LN_FACT_SIZE; k++) {
      LN_FACT[k] = LN_FACT[k - 1] + StrictMath.log(k);
    }
  }

  private static double lnFact(int k) {
    return k < LN_FACT_SIZE ? LN_FACT[k] : IncompleteGamma.logGamma(k + 1.0);
  }

  /** P(X ≥ k) for X ~ Binomial(n, f), 0 &lt; f ≤ 1, by the pmf's recursion upwards from k. */
  static double binomialUpperTail(int n, int k, double f) {
    return upperTail(n, k, f, StrictMath.log(f), f >= 1 ? Double.NEGATIVE_INFINITY : StrictMath.log1p(-f));
  }

  private static double upperTail(int n, int k, double f, double logF, double log1mF) {
    if (k > n) {
      return 0;
    }
    if (f >= 1) {
      return 1;
    }
    double logPmf = lnFact(n) - lnFact(k) - lnFact(n - k) + k * logF + (n - k) * log1mF;
    double pmf = StrictMath.exp(logPmf);
    double sum = 0;
    double ratio = f / (1 - f);
    for (int j = k; j <= n; j++) {
      sum += pmf;
      pmf *= (double) (n - j) / (j + 1) * ratio;
    }
    return Math.min(1, sum);
  }

  /** Φ(x), the standard normal CDF, from erfc (Numerical Recipes' Chebyshev fit, relative error &lt; 1.2e-7). */
  static double normalCdf(double x) {
    double z = StrictMath.abs(x) / StrictMath.sqrt(2);
    double u = 1 / (1 + 0.5 * z);
    double erfc = u * StrictMath.exp(-z * z - 1.26551223 + u * (1.00002368 + u * (0.37409196 + u * (0.09678418
        + u * (-0.18628806 + u * (0.27886807 + u * (-1.13520398 + u * (1.48851587
        + u * (-0.82215223 + u * 0.17087277)))))))));
    return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
  }

  /**
   * θ(u), the weight that makes Π (1 − p)^θ over 60 ticks the exact chance that the moving sum of
   * 10 i.i.d. standard normal per-second increments, sampled every second, stays at or below u for
   * a minute (p = 1 − Φ(u) per tick), at u = 0, 0.25, …, 4: θ = ln P(max ≤ u) / (60 ln(1 − p)).
   * Measured by simulation (2·10⁶ one-minute runs; {@code WindowFailureTest} re-simulates it). Over
   * 300 ticks the same weights are within 4% of the simulated chance; for rare events θ tends to
   * the extremal index of the process.
   */
  static final double[] THETA = {0.1930, 0.2061, 0.2182, 0.2327, 0.2498, 0.2699, 0.2932, 0.3201, 0.3496,
      0.3818, 0.4158, 0.4517, 0.4887, 0.5247, 0.5628, 0.5969, 0.6316};
  /** Spacing of {@link #THETA}'s levels. */
  static final double THETA_STEP = 0.25;
  private static final double[] LN_TAIL = new double[THETA.length];

  static {
    for (int j = 0; j < THETA.length; j++) {
      LN_TAIL[j] = StrictMath.log(1 - normalCdf(THETA_STEP * j));
    }
  }

  /**
   * How much one control tick with FAILED chance p counts towards "FAILED at some tick": consecutive
   * ticks judge windows that share 9 of their 10 seconds, so their events are not independent. The
   * chance of staying un-FAILED is taken as Π (1 − p_t)^{w(p_t)}, with w the weight θ of the
   * moving 10-s sum of normal increments at the level u with 1 − Φ(u) = p ({@link #THETA},
   * interpolated in ln p; θ(0) for p ≥ 1/2, θ(4) below p(4) = 3.2·10⁻⁵). Rare exceedances are short,
   * so more of them are new events: θ rises from 0.19 at the median to 0.63 at u = 4. (Until
   * 2026-11-27 every tick counted 0.1, one independent draw per window length, which undercounts
   * at every level: over a minute at u = 2 it gives 0.13 where the moving sum exceeds u with
   * chance 0.38.)
   *
   * @param p the tick's FAILED chance, in (0, 1)
   * @return the weight of the tick, in [0.19, 0.64]
   */
  static double tickWeight(double p) {
    double lp = StrictMath.log(p);
    if (lp >= LN_TAIL[0]) {
      return THETA[0];
    }
    for (int j = 1; j < THETA.length; j++) {
      if (lp >= LN_TAIL[j]) {
        double x = (lp - LN_TAIL[j - 1]) / (LN_TAIL[j] - LN_TAIL[j - 1]);
        return THETA[j - 1] + x * (THETA[j] - THETA[j - 1]);
      }
    }
    return THETA[THETA.length - 1];
  }
}
