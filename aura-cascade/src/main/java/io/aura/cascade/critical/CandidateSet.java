package io.aura.cascade.critical;

import io.aura.cascade.random.SplitMix64;
import io.aura.cascade.random.Streams;
import java.util.Arrays;
import java.util.List;

/**
 * The agents whose crit_i is computed (CPB 6.7): all of them when N ≤ {@value #ALL_AGENTS_LIMIT};
 * above that, the union of the top {@value #TOP_EACH} of every ranking given (the SUT and each
 * baseline) plus {@value #RANDOM_AGENTS} further agents drawn uniformly without replacement from
 * the agents not yet in the union (stream {@value #STREAM} of the run's first seed), so that the
 * random part is never swallowed by the union.
 */
public final class CandidateSet {
  /** Largest N for which every agent is a candidate. */
  public static final int ALL_AGENTS_LIMIT = 200;
  /** Agents taken from the top of each ranking. */
  public static final int TOP_EACH = 50;
  /** Random agents added. */
  public static final int RANDOM_AGENTS = 50;
  /** Name of the random stream. */
  public static final String STREAM = "critical-candidates";

  private CandidateSet() {}

  /**
   * The candidate set, ascending agent ids.
   *
   * @param agents N
   * @param rankings the SUT's and the baselines' rankings (agent ids, most critical first)
   * @param seed the run's first seed (master seed of the random stream)
   * @return candidate agent ids in ascending order
   */
  public static int[] select(int agents, List<int[]> rankings, long seed) {
    if (agents < 1) {
      throw new IllegalArgumentException("agents must be >= 1: " + agents);
    }
    int[] all = new int[agents];
    for (int i = 0; i < agents; i++) {
      all[i] = i;
    }
    if (agents <= ALL_AGENTS_LIMIT) {
      return all;
    }
    boolean[] in = new boolean[agents];
    int count = 0;
    for (int[] r : rankings) {
      for (int j = 0; j < Math.min(TOP_EACH, r.length); j++) {
        int a = r[j];
        if (a < 0 || a >= agents) {
          throw new IllegalArgumentException("ranking names agent " + a + " outside [0, " + agents + ")");
        }
        if (!in[a]) {
          in[a] = true;
          count++;
        }
      }
    }
    int[] rest = new int[agents - count];
    int k = 0;
    for (int i = 0; i < agents; i++) {
      if (!in[i]) {
        rest[k++] = i;
      }
    }
    SplitMix64 rng = Streams.stream(seed, STREAM);
    int draw = Math.min(RANDOM_AGENTS, rest.length);
    for (int j = 0; j < draw; j++) { // partial Fisher–Yates over the remaining agents
      int pick = j + rng.nextInt(rest.length - j);
      int tmp = rest[j];
      rest[j] = rest[pick];
      rest[pick] = tmp;
      in[rest[j]] = true;
    }
    int[] out = new int[count + draw];
    int c = 0;
    for (int i = 0; i < agents; i++) {
      if (in[i]) {
        out[c++] = i;
      }
    }
    return Arrays.copyOf(out, c);
  }
}
