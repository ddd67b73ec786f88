package io.aura.cascade.sim;

/**
 * The expected duration of a parallel call group (spec D3: "for a parallel group, use the max over
 * the group instead of the sum"): the caller issues every invocation of the group at once and waits
 * for the last one.
 *
 * <p>Edge k of the group is invoked with probability π_k, then {@code M_k ~ U{lo_k..hi_k}} times;
 * each invocation lasts an exponential time of mean μ_k (the spec's {@code T_k ~ Exp(T̄_k)}), all
 * independent. With {@code F_k(t) = 1 − e^{−t/μ_k}} the group ends by t with probability
 * {@code Π_k (1 − π_k + π_k E[F_k(t)^{M_k}])}, so
 * {@code E[max] = ∫_0^∞ (1 − Π_k (1 − π_k + π_k E[F_k(t)^{M_k}])) dt}. The integral is taken after
 * the substitution {@code t = −μ* ln u} (μ* the largest mean), {@code ∫_0^1 S(t(u)) μ* u^{−1} du}, by
 * 32-point Gauss–Legendre: for equal means the integrand is a polynomial in u, and the rule is exact
 * up to 64 invocations. Deterministic ({@link StrictMath}).
 */
final class FanOut {
  private static final int POINTS = 32;
  private static final double[] NODE = new double[POINTS];
  private static final double[] WEIGHT = new double[POINTS];

  static {
    // Gauss–Legendre nodes on [-1, 1] by Newton's method on P_n, mapped to [0, 1]
    for (int i = 0; i < POINTS; i++) {
      double x = StrictMath.cos(Math.PI * (i + 0.75) / (POINTS + 0.5));
      double dp = 0;
      for (int it = 0; it < 100; it++) {
        double p0 = 1;
        double p1 = x;
        for (int k = 2; k <= POINTS; k++) {
          double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
          p0 = p1;
          p1 = p2;
        }
        dp = POINTS * (x * p1 - p0) / (x * x - 1);
        double dx = p1 / dp;
        x -= dx;
        if (Math.abs(dx) < 1e-15) {
          break;
        }
      }
      NODE[i] = 0.5 * (1 - x);
      WEIGHT[i] = 1.0 / ((1 - x * x) * dp * dp); // 2/((1-x²)P'²) halved for [0, 1]
    }
  }

  private FanOut() {}

  /**
   * E[max] over the invocations of edges {@code from..to-1} (seconds or nanoseconds: the unit of
   * {@code mean}); edges with π = 0 or mean ≤ 0 add nothing; 0 if no invocation is possible.
   *
   * @param mean mean duration of one invocation of each edge (retries and waits included)
   * @param prob invocation probability π of each edge
   * @param mLo smallest multiplicity of each edge (≥ 1)
   * @param mHi largest multiplicity of each edge (≥ mLo)
   */
  static double expectedMax(double[] mean, double[] prob, int[] mLo, int[] mHi, int from, int to) {
    double top = 0;
    int used = 0;
    int single = -1;
    for (int k = from; k < to; k++) {
      if (prob[k] > 0 && mean[k] > 0) {
        used++;
        single = k;
        top = Math.max(top, mean[k]);
      }
    }
    if (used == 0) {
      return 0;
    }
    if (used == 1 && mLo[single] == 1 && mHi[single] == 1) {
      return prob[single] * mean[single];
    }
    double sum = 0;
    for (int q = 0; q < POINTS; q++) {
      double u = NODE[q];
      double lnU = StrictMath.log(u);
      double done = 1;
      for (int k = from; k < to; k++) {
        if (!(prob[k] > 0 && mean[k] > 0)) {
          continue;
        }
        double f = 1 - StrictMath.exp(lnU * top / mean[k]); // F_k(t) at t = −top ln u
        double pw = 1;
        for (int m = 0; m < mLo[k]; m++) {
          pw *= f;
        }
        double avg = pw;
        for (int m = mLo[k] + 1; m <= mHi[k]; m++) {
          pw *= f;
          avg += pw;
        }
        avg /= mHi[k] - mLo[k] + 1;
        done *= 1 - prob[k] + prob[k] * avg;
      }
      sum += WEIGHT[q] * (1 - done) / u;
    }
    return top * sum;
  }
}
