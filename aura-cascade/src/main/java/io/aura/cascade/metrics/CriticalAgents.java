package io.aura.cascade.metrics;

import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * Quality of a critical-agent ranking against counterfactual ground truth (CPB spec 6.7).
 *
 * <p>Ground truth crit_i = E[S_B0] − E[S_B0 | agent i immune], indexed 0..n−1 (all agents, or the
 * candidate set when N &gt; 200; the ranking must then use candidate indices).
 *
 * <ul>
 *   <li><b>precision@k</b> = |top-k of the ranking ∩ R_k| / k, where the relevant set R_k holds the
 *       agents whose crit is at least the k-th largest crit value and positive (ties at the cut are
 *       all relevant, so a tie never penalises the ranking; agents with crit ≤ 0 are never
 *       relevant). A ranking shorter than k scores its missing positions as misses.
 *   <li><b>NDCG@k</b> (Järvelin &amp; Kekäläinen, ACM TOIS 20(4), 2002) with graded relevance
 *       rel_i = max(crit_i, 0) and linear gain: DCG@k = Σ_{r=1..k} rel_{π(r)} / log₂(r + 1),
 *       NDCG@k = DCG@k / IDCG@k with IDCG the DCG of the relevance sorted descending. Empty when
 *       all relevances are 0.
 * </ul>
 * The spec reports k = 5, 10 and 1% of N ({@link #onePercentK(int)}).
 */
public final class CriticalAgents {
  private CriticalAgents() {}

  /**
   * k = max(1, round(0.01·N)).
   *
   * @param agents N &gt; 0
   * @return k for "1% of N"
   */
  public static int onePercentK(int agents) {
    Checks.positive(agents, "agents");
    return (int) Math.max(1, Math.round(0.01 * agents));
  }

  /**
   * precision@k: the share of the ranking's first k that are among the true top k (crit &gt; 0).
   * Agents tied at the k-th crit count for at most the places of the true top k they share.
   *
   * @param ranking agent indices, most critical first, distinct, each in [0, n)
   * @param crit ground truth crit_i, finite
   * @param k cut-off, 1 ≤ k ≤ n
   * @return precision in [0, 1]
   */
  public static double precisionAtK(int[] ranking, double[] crit, int k) {
    check(ranking, crit, k);
    double[] sortedDesc = descending(crit);
    double cut = sortedDesc[k - 1];
    // the true top k holds every agent above the cut and (k − above) of those tied at it: a ranking
    // gets credit for at most that many tied ones, so ties never score above any tie-break of the truth
    int above = 0;
    for (double c : crit) {
      if (c > cut && c > 0.0) {
        above++;
      }
    }
    int hitsAbove = 0;
    int hitsTied = 0;
    int limit = Math.min(k, ranking.length);
    for (int r = 0; r < limit; r++) {
      double c = crit[ranking[r]];
      if (c > 0.0 && c > cut) {
        hitsAbove++;
      } else if (c > 0.0 && c == cut) {
        hitsTied++;
      }
    }
    return (double) (hitsAbove + Math.min(hitsTied, k - above)) / k;
  }

  /**
   * NDCG@k with rel_i = max(crit_i, 0).
   *
   * @param ranking agent indices, most critical first, distinct, each in [0, n)
   * @param crit ground truth crit_i, finite
   * @param k cut-off, 1 ≤ k ≤ n
   * @return NDCG in [0, 1], or empty if every relevance is 0
   */
  public static OptionalDouble ndcgAtK(int[] ranking, double[] crit, int k) {
    check(ranking, crit, k);
    double[] sortedDesc = descending(crit);
    double idcg = 0.0;
    for (int r = 0; r < k; r++) {
      idcg += Math.max(sortedDesc[r], 0.0) / log2(r + 2);
    }
    if (idcg == 0.0) {
      return OptionalDouble.empty();
    }
    double dcg = 0.0;
    int limit = Math.min(k, ranking.length);
    for (int r = 0; r < limit; r++) {
      dcg += Math.max(crit[ranking[r]], 0.0) / log2(r + 2);
    }
    return OptionalDouble.of(dcg / idcg);
  }

  private static double log2(int x) {
    return Math.log(x) / Math.log(2.0);
  }

  private static double[] descending(double[] crit) {
    double[] s = crit.clone();
    Arrays.sort(s);
    for (int i = 0, j = s.length - 1; i < j; i++, j--) {
      double t = s[i];
      s[i] = s[j];
      s[j] = t;
    }
    return s;
  }

  private static void check(int[] ranking, double[] crit, int k) {
    Checks.finite(crit, "crit");
    if (ranking == null) {
      throw new MetricInputException("ranking must not be null");
    }
    int n = crit.length;
    if (k < 1 || k > n) {
      throw new MetricInputException("k = " + k + " is outside [1, " + n + "]");
    }
    boolean[] seen = new boolean[n];
    for (int r = 0; r < ranking.length; r++) {
      int a = ranking[r];
      if (a < 0 || a >= n) {
        throw new MetricInputException("ranking[" + r + "] = " + a + " is outside [0, " + n + ")");
      }
      if (seen[a]) {
        throw new MetricInputException("ranking[" + r + "] = " + a + " is a duplicate");
      }
      seen[a] = true;
    }
  }
}
