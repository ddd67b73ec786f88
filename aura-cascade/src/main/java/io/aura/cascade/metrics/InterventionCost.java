package io.aura.cascade.metrics;

/**
 * False-intervention cost (CPB spec 6.6).
 *
 * <ul>
 *   <li>Benign episodes: ΔA_benign,e = A_B0,e − A_SUT,e; reported as mean and p95 (type 7).
 *   <li>All episodes: ΔA_e = A_best,e − A_SUT,e, where "best baseline" is the baseline with the
 *       highest mean availability over the cell (ties: lowest index); negative is good.
 *   <li>Interventions per 24 h of simulated time per 1 000 agents:
 *       count / ((simulated seconds / 86 400) · (N / 1 000)).
 * </ul>
 * Availabilities already charge every request rejected by the SUT's actions as a failure.
 */
public final class InterventionCost {
  private InterventionCost() {}

  /**
   * Availability differences.
   *
   * @param referenceIndex index of the reference arm in the input (0 for the two-arm form)
   * @param mean mean of A_ref,e − A_SUT,e
   * @param p95 p95 of A_ref,e − A_SUT,e
   * @param episodes n
   */
  public record DeltaA(int referenceIndex, double mean, double p95, int episodes) {}

  /**
   * ΔA = A_ref − A_SUT per paired episode (A_ref = A_B0 on benign episodes).
   *
   * @param referenceAvailability A_ref,e in [0, 1]
   * @param sutAvailability A_SUT,e in [0, 1], same order
   * @return mean and p95 of the differences
   */
  public static DeltaA deltaA(double[] referenceAvailability, double[] sutAvailability) {
    Checks.inUnit(referenceAvailability, "referenceAvailability");
    Checks.inUnit(sutAvailability, "sutAvailability");
    Checks.sameLength(
        referenceAvailability.length, "referenceAvailability", sutAvailability.length,
        "sutAvailability");
    int n = sutAvailability.length;
    double[] d = new double[n];
    for (int e = 0; e < n; e++) {
      d[e] = referenceAvailability[e] - sutAvailability[e];
    }
    return new DeltaA(0, CascadeSizeStats.mean(d), Quantiles.quantile(d, 0.95), n);
  }

  /**
   * ΔA against the best baseline (highest mean availability).
   *
   * @param baselineAvailability [baseline][episode], each in [0, 1], rectangular
   * @param sutAvailability A_SUT,e in [0, 1]
   * @return differences against the best baseline, whose index is reported
   */
  public static DeltaA deltaAVersusBest(double[][] baselineAvailability, double[] sutAvailability) {
    if (baselineAvailability == null || baselineAvailability.length == 0) {
      throw new MetricInputException("baselineAvailability must hold at least one baseline");
    }
    int best = -1;
    double bestMean = Double.NEGATIVE_INFINITY;
    for (int b = 0; b < baselineAvailability.length; b++) {
      Checks.inUnit(baselineAvailability[b], "baselineAvailability[" + b + "]");
      double m = CascadeSizeStats.mean(baselineAvailability[b]);
      if (m > bestMean) {
        bestMean = m;
        best = b;
      }
    }
    DeltaA d = deltaA(baselineAvailability[best], sutAvailability);
    return new DeltaA(best, d.mean(), d.p95(), d.episodes());
  }

  /**
   * Interventions per 24 h per 1 000 agents.
   *
   * @param interventions number of actions issued, ≥ 0
   * @param simulatedNanos simulated time covered, &gt; 0
   * @param agents N &gt; 0
   * @return the normalised rate
   */
  public static double interventionsPerDayPer1000Agents(
      long interventions, long simulatedNanos, int agents) {
    if (interventions < 0) {
      throw new MetricInputException("interventions = " + interventions + " must be >= 0");
    }
    Checks.positive(simulatedNanos, "simulatedNanos");
    Checks.positive(agents, "agents");
    return interventions / ((simulatedNanos / 1e9 / 86_400.0) * (agents / 1000.0));
  }
}
