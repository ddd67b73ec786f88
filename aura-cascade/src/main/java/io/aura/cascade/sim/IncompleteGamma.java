package io.aura.cascade.sim;

/**
 * The regularized lower incomplete gamma function P(a, x) = γ(a, x)/Γ(a), by its series for
 * x &lt; a + 1 and by the Lentz continued fraction of Q = 1 − P otherwise (the classical pair, e.g.
 * Press et al., Numerical Recipes, 6.2), with ln Γ by the Lanczos approximation (g = 7, 9 terms).
 * StrictMath throughout, so results are the same on every JVM. Relative accuracy about 1e-12.
 */
final class IncompleteGamma {
  private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
      771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
      9.9843695780195716e-6, 1.5056327351493116e-7};
  private static final double EPS = 1e-14;
  private static final int MAX_ITER = 10_000;

  private IncompleteGamma() {}

  /** ln Γ(a) for a &gt; 0. */
  static double logGamma(double a) {
    if (a < 0.5) {
      // reflection: Γ(a) Γ(1 − a) = π / sin(π a)
      return StrictMath.log(Math.PI / StrictMath.abs(StrictMath.sin(Math.PI * a))) - logGamma(1 - a);
    }
    double z = a - 1;
    double sum = LANCZOS[0];
    for (int k = 1; k < LANCZOS.length; k++) {
      sum += LANCZOS[k] / (z + k);
    }
    double tt = z + 7.5;
    return 0.5 * StrictMath.log(2 * Math.PI) + (z + 0.5) * StrictMath.log(tt) - tt + StrictMath.log(sum);
  }

  /**
   * P(a, x) for a &gt; 0 and x ≥ 0: the probability that a Gamma(shape a, scale 1) variable is ≤ x.
   *
   * @throws IllegalArgumentException if a ≤ 0, x &lt; 0 or either is NaN
   */
  static double regularizedP(double a, double x) {
    if (!(a > 0) || !(x >= 0)) {
      throw new IllegalArgumentException("need a > 0 and x >= 0: a=" + a + ", x=" + x);
    }
    if (x == 0) {
      return 0;
    }
    if (Double.isInfinite(x)) {
      return 1;
    }
    double logPrefix = a * StrictMath.log(x) - x - logGamma(a);
    if (x < a + 1) {
      double ap = a;
      double del = 1 / a;
      double sum = del;
      for (int i = 0; i < MAX_ITER; i++) {
        ap += 1;
        del *= x / ap;
        sum += del;
        if (StrictMath.abs(del) < StrictMath.abs(sum) * EPS) {
          break;
        }
      }
      return Math.min(1, sum * StrictMath.exp(logPrefix));
    }
    // continued fraction for Q(a, x), modified Lentz
    double tiny = 1e-300;
    double b = x + 1 - a;
    double c = 1 / tiny;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i <= MAX_ITER; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (StrictMath.abs(d) < tiny) {
        d = tiny;
      }
      c = b + an / c;
      if (StrictMath.abs(c) < tiny) {
        c = tiny;
      }
      d = 1 / d;
      double del = d * c;
      h *= del;
      if (StrictMath.abs(del - 1) < EPS) {
        break;
      }
    }
    return Math.max(0, 1 - StrictMath.exp(logPrefix) * h);
  }
}
