package io.aura.cascade.metrics;

import io.aura.cascade.random.SplitMix64;

/**
 * One-sided paired bootstrap test of H0: E[a − b] ≤ 0 against H1: E[a − b] &gt; 0, used for
 * "never significantly worse" (T2b): pass a = S_SUT, b = S_B (larger is worse), then a small
 * p-value means the SUT is significantly worse than the baseline; combine the p-values across
 * families with {@link MultipleTesting#holmAdjust(double[])}.
 *
 * <p>Method (Efron &amp; Tibshirani 1993, section 16.4; Hall &amp; Wilson, Biometrics 47:757, 1991):
 * d_e = a_e − b_e, observed mean d̄. The differences are centred to satisfy H0, d'_e = d_e − d̄;
 * each of B replicates draws n episodes with replacement (SplitMix64(seed), index (int)(u·n)) and
 * computes the mean m*_r of d'. p = (1 + #{r : m*_r ≥ d̄}) / (B + 1), which is never 0.
 */
public final class PairedBootstrapTest {
  private PairedBootstrapTest() {}

  /** Default bootstrap replicates. */
  public static final int DEFAULT_REPLICATES = 10_000;

  /**
   * {@link #pValueGreater(double[], double[], int, long)} with {@link #DEFAULT_REPLICATES}.
   *
   * @param a per-episode values of the arm tested for being worse (larger = worse), finite
   * @param b paired per-episode values of the reference arm, finite
   * @param seed bootstrap seed
   * @return p in (0, 1]
   */
  public static double pValueGreater(double[] a, double[] b, long seed) {
    return pValueGreater(a, b, DEFAULT_REPLICATES, seed);
  }

  /**
   * One-sided p-value for E[a − b] &gt; 0.
   *
   * @param a per-episode values of the arm tested for being worse (larger = worse), finite
   * @param b paired per-episode values of the reference arm, finite
   * @param replicates B ≥ 1 (10 000 recommended)
   * @param seed bootstrap seed
   * @return p in (0, 1]
   */
  public static double pValueGreater(double[] a, double[] b, int replicates, long seed) {
    Checks.finite(a, "a");
    Checks.finite(b, "b");
    Checks.sameLength(a.length, "a", b.length, "b");
    Checks.replicates(replicates);
    int n = a.length;
    double[] d = new double[n];
    double sum = 0.0;
    for (int e = 0; e < n; e++) {
      d[e] = a[e] - b[e];
      sum += d[e];
    }
    double mean = sum / n;
    for (int e = 0; e < n; e++) {
      d[e] -= mean;
    }
    SplitMix64 rng = new SplitMix64(seed);
    int atLeast = 0;
    for (int r = 0; r < replicates; r++) {
      double s = 0.0;
      for (int k = 0; k < n; k++) {
        s += d[rng.nextInt(n)];
      }
      // Tolerance for rounding so that identical arms (d̄ = 0) give p = 1, not a coin flip.
      if (s / n >= mean - 1e-12 * Math.max(1.0, Math.abs(mean))) {
        atLeast++;
      }
    }
    return (1.0 + atLeast) / (replicates + 1.0);
  }
}
