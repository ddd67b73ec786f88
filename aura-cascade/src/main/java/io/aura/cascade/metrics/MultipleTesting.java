package io.aura.cascade.metrics;

/**
 * Holm–Bonferroni step-down adjustment (Holm, "A simple sequentially rejective multiple test
 * procedure", Scand. J. Stat. 6:65, 1979), used across families for the "never significantly
 * worse than any baseline" tests (CPB spec 6.9, target T2b).
 *
 * <p>With p-values sorted ascending p_(1) ≤ … ≤ p_(m), the adjusted values are
 * p̃_(i) = max_{j ≤ i} min(1, (m − j + 1) p_(j)); hypothesis i is rejected at level α iff
 * p̃_i ≤ α. This controls the family-wise error rate at α under arbitrary dependence.
 */
public final class MultipleTesting {
  private MultipleTesting() {}

  /**
   * Holm-adjusted p-values, in the input order.
   *
   * @param pValues raw p-values in [0, 1]
   * @return adjusted p-values in [0, 1]
   */
  public static double[] holmAdjust(double[] pValues) {
    Checks.inUnit(pValues, "pValues");
    int m = pValues.length;
    int[] order = PredictionQuality.orderAscending(pValues);
    double[] adjusted = new double[m];
    double running = 0.0;
    for (int i = 0; i < m; i++) {
      double v = Math.min(1.0, (m - i) * pValues[order[i]]);
      running = Math.max(running, v);
      adjusted[order[i]] = running;
    }
    return adjusted;
  }

  /**
   * Holm rejections at level α.
   *
   * @param pValues raw p-values in [0, 1]
   * @param alpha family-wise level in (0, 1)
   * @return reject[i] iff the adjusted p-value is ≤ α
   */
  public static boolean[] holmReject(double[] pValues, double alpha) {
    Checks.confidence(alpha, "alpha");
    double[] adj = holmAdjust(pValues);
    boolean[] reject = new boolean[adj.length];
    for (int i = 0; i < adj.length; i++) {
      reject[i] = adj[i] <= alpha;
    }
    return reject;
  }
}
