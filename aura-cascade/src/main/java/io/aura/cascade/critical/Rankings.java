package io.aura.cascade.critical;

import java.util.Arrays;

/** Orders agents by a score: highest first, ties by agent index (lowest first). */
public final class Rankings {
  private Rankings() {}

  /**
   * The agents 0..n−1 sorted by {@code scores} descending, ties broken by agent index ascending.
   *
   * @param scores one finite score per agent
   * @return a permutation of 0..n−1, most critical first
   * @throws IllegalArgumentException if a score is NaN or infinite
   */
  public static int[] descending(double[] scores) {
    for (int i = 0; i < scores.length; i++) {
      if (!Double.isFinite(scores[i])) {
        throw new IllegalArgumentException("score of agent " + i + " is not finite: " + scores[i]);
      }
    }
    Integer[] idx = new Integer[scores.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> scores[a] != scores[b] ? Double.compare(scores[b], scores[a]) : Integer.compare(a, b));
    int[] out = new int[idx.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = idx[i];
    }
    return out;
  }

  /**
   * A ranking restricted to a candidate set, in candidate indices: the ranking's agents that are
   * candidates, in ranking order, each replaced by its position in {@code candidates}.
   *
   * @param ranking agents, most critical first
   * @param candidates distinct agent ids (the candidate set, any order)
   * @param agents N, the agent count
   * @return candidate indices, most critical first
   */
  public static int[] restrict(int[] ranking, int[] candidates, int agents) {
    int[] pos = new int[agents];
    Arrays.fill(pos, -1);
    for (int c = 0; c < candidates.length; c++) {
      if (pos[candidates[c]] >= 0) {
        throw new IllegalArgumentException("candidate " + candidates[c] + " is listed twice");
      }
      pos[candidates[c]] = c;
    }
    int[] out = new int[candidates.length];
    int k = 0;
    for (int a : ranking) {
      if (pos[a] >= 0) {
        if (k == out.length) {
          throw new IllegalArgumentException("the ranking lists agent " + a + " twice");
        }
        out[k++] = pos[a];
      }
    }
    return Arrays.copyOf(out, k);
  }
}
