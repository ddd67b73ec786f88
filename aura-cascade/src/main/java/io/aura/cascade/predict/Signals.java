package io.aura.cascade.predict;

/**
 * Stateless signal computations on a {@link LiveModel} or on plain series. Each method documents its
 * formula and source; {@link FeatureExtractor} composes them into the risk model's features.
 */
public final class Signals {
  /** Utilisation at which an agent starts to count as saturating in {@link #stress}. */
  public static final double SATURATION_START = 0.85;
  /** Retry attempts assumed per call when estimating amplification (D3/R4J default, A = 3). */
  public static final int ASSUMED_ATTEMPTS = 3;

  private Signals() {}

  /**
   * Baseline (i) of spec 6.4: {@code max_i u_i}, u = max(thread, CPU utilisation) in the newest snapshot.
   */
  public static double maxUtilisation(LiveModel m) {
    double best = 0;
    for (int i = 0; i < m.agentCount(); i++) {
      best = Math.max(best, m.util(i));
    }
    return best;
  }

  /**
   * Baseline (ii) of spec 6.4: maximum queue growth rate {@code max_i (q_i(t) − q_i(t−w)) / w}
   * (requests/s), with w = min(window, available history − 1); 0 with fewer than 2 snapshots.
   */
  public static double maxQueueGrowth(LiveModel m, int window) {
    int w = Math.min(window, m.availableShort() - 1);
    if (w < 1) {
      return 0;
    }
    double best = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < m.agentCount(); i++) {
      best = Math.max(best, (m.queue(i, 0) - m.queue(i, w)) / w);
    }
    return best;
  }

  /**
   * Mean error ratio of the (at most) {@code k} agents with the highest error ratio among the agents
   * with traffic in the newest snapshot (0 if none). With at most {@code k} such agents it is their
   * plain mean, summed in index order, so it equals {@link #meanErrorRatio} bit for bit. Above, a fault
   * that disturbs a fixed number of agents reads as it would in a system of {@code k} agents instead of
   * fading as 1/N (scale quality, spec T9). O(N), plus a quickselect when more than {@code k} agents err.
   *
   * @param scratch at least twice {@link LiveModel#agentCount()} long (the erring agents' ratios, then a
   *     copy to select in, so that a control period allocates nothing); overwritten
   */
  public static double topMeanErrorRatio(LiveModel m, int k, double[] scratch) {
    double s = 0;
    int c = 0;
    int erring = 0;
    for (int i = 0; i < m.agentCount(); i++) {
      if (m.arrivals(i) > 0) {
        double e = m.errorRatio(i);
        s += e;
        c++;
        if (e > 0) {
          scratch[erring++] = e;
        }
      }
    }
    if (c <= k) {
      return c == 0 ? 0 : s / c;
    }
    if (erring <= k) {
      return s / k; // the k highest are every erring agent plus zeros
    }
    System.arraycopy(scratch, 0, scratch, erring, erring);
    double cut = TopologicalSignals.kthLargest(scratch, erring, 2 * erring, k);
    double sum = 0;
    int above = 0;
    for (int j = 0; j < erring; j++) {
      if (scratch[j] > cut) {
        sum += scratch[j];
        above++;
      }
    }
    return (sum + (k - above) * cut) / k;
  }

  /** Mean error ratio over agents with traffic in the newest snapshot (0 if none). */
  public static double meanErrorRatio(LiveModel m) {
    double s = 0;
    int c = 0;
    for (int i = 0; i < m.agentCount(); i++) {
      if (m.arrivals(i) > 0) {
        s += m.errorRatio(i);
        c++;
      }
    }
    return c == 0 ? 0 : s / c;
  }

  /** Sample variance of {@code x[from..to)} (0 with fewer than 2 values). */
  public static double variance(double[] x, int from, int to) {
    int k = to - from;
    if (k < 2) {
      return 0;
    }
    double mean = 0;
    for (int i = from; i < to; i++) {
      mean += x[i];
    }
    mean /= k;
    double v = 0;
    for (int i = from; i < to; i++) {
      v += (x[i] - mean) * (x[i] - mean);
    }
    return v / (k - 1);
  }

  /**
   * Lag-1 autocorrelation {@code Σ (x_t − x̄)(x_{t+1} − x̄) / Σ (x_t − x̄)²} of {@code x[from..to)}
   * (Dakos et al. 2008, PNAS 105:14308); 0 for constant or too short series.
   */
  public static double lag1Autocorrelation(double[] x, int from, int to) {
    int k = to - from;
    if (k < 3) {
      return 0;
    }
    double mean = 0;
    for (int i = from; i < to; i++) {
      mean += x[i];
    }
    mean /= k;
    double num = 0;
    double den = 0;
    for (int i = from; i < to; i++) {
      double d = x[i] - mean;
      den += d * d;
      if (i + 1 < to) {
        num += d * (x[i + 1] - mean);
      }
    }
    return den <= 0 ? 0 : num / den;
  }

  /**
   * Kendall's τ-a of the series {@code x[from..to)} against time: {@code (C − D) / (k(k−1)/2)} over all
   * pairs i &lt; j, C counting x_j &gt; x_i and D counting x_j &lt; x_i (ties count neither). The trend
   * statistic of early-warning indicators (Dakos et al. 2008; Scheffer et al. 2009). O(k²).
   */
  public static double kendallTau(double[] x, int from, int to) {
    int k = to - from;
    if (k < 2) {
      return 0;
    }
    long c = 0;
    for (int i = from; i < to; i++) {
      for (int j = i + 1; j < to; j++) {
        c += Double.compare(x[j], x[i]) > 0 ? 1 : (Double.compare(x[j], x[i]) < 0 ? -1 : 0);
      }
    }
    return c / (k * (k - 1) / 2.0);
  }

  /**
   * Expected attempts per call with per-attempt failure p and at most A attempts:
   * {@code 1 + p + … + p^{A−1} = (1 − p^A)/(1 − p)} (spec D4).
   */
  public static double retryAmplification(double p, int attempts) {
    if (!(p >= 0 && p <= 1) || attempts < 1) {
      throw new IllegalArgumentException("need p in [0,1] and attempts >= 1: p=" + p + " attempts=" + attempts);
    }
    double s = 0;
    double pk = 1;
    for (int k = 0; k < attempts; k++) {
      s += pk;
      pk *= p;
    }
    return s;
  }

  /**
   * Per-agent stress in [0, 1]: {@code max(errorRatio, clip((u − 0.85)/0.15, 0, 1), 1[FAILED])}.
   *
   * @param out length N, overwritten
   */
  public static void stress(LiveModel m, double[] out) {
    for (int i = 0; i < m.agentCount(); i++) {
      double sat = Math.min(1, Math.max(0, (m.util(i) - SATURATION_START) / (1 - SATURATION_START)));
      out[i] = m.failed(i) ? 1.0 : Math.max(m.errorRatio(i), sat);
    }
  }

  /**
   * Overload propagation along the graph (upstream, the direction in which D3 timeouts and errors
   * travel): starting from q⁰ = stress, iterate {@code q_j ← max(stress_j, 1 − Π_{e: j→i} (1 − w_e q_i))}
   * for {@code iterations} Jacobi rounds, where {@code w_e = min(1, attempts_e / max(1, arrivals_j))} is
   * the observed calls per request on edge e (π·retry amplification; zero for edges that carry no
   * traffic, e.g. spurious ones). The product form is the D3 request-failure formula with one attempt
   * and no fallback. Cost O(iterations·(N + E)). Allocates the E weights per call; a caller that runs
   * every second (FeatureExtractor) keeps them in an array of its own and uses the overload with
   * {@link #passWeights}.
   *
   * @param stress per-agent stress (see {@link #stress})
   * @param q output, length N
   * @param scratch length N
   */
  public static void propagate(LiveModel m, double[] stress, int iterations, double[] q, double[] scratch) {
    double[] w = new double[m.edgeCount()];
    passWeights(m, w);
    propagate(m, stress, iterations, q, scratch, w);
  }

  /** {@link #propagate(LiveModel, double[], int, double[], double[])} with the weights of {@link #passWeights}. */
  static void propagate(LiveModel m, double[] stress, int iterations, double[] q, double[] scratch, double[] w) {
    int n = m.agentCount();
    System.arraycopy(stress, 0, q, 0, n);
    for (int it = 0; it < iterations; it++) {
      for (int j = 0; j < n; j++) {
        scratch[j] = Math.max(stress[j], 1 - pass(m, j, q, w));
      }
      System.arraycopy(scratch, 0, q, 0, n);
    }
  }

  /**
   * The weights {@code w_e = min(1, attempts_e / max(1, arrivals_j))} of {@link #propagate}, by out-slot
   * (w[k] for the edge at out-slot k of its caller j): computed once per snapshot, read in slot order by
   * each of the rounds and by {@link #rootCause} instead of recomputed by each.
   *
   * @param w output, length E
   */
  static void passWeights(LiveModel m, double[] w) {
    int n = m.agentCount();
    for (int j = 0; j < n; j++) {
      double arr = Math.max(1, m.arrivals(j));
      for (int k = m.outStart(j); k < m.outStart(j + 1); k++) {
        w[k] = Math.min(1, m.edgeAttempts(m.outEdge(k)) / arr);
      }
    }
  }

  /**
   * Root-cause stress: the part of agent j's own stress its callees do not explain,
   * {@code r_j = stress_j · Π_{e: j→i} (1 − w_e q_i)} with the weights w_e of {@link #propagate} and q its
   * output. An agent that is in trouble while everything it calls is healthy keeps its stress (it is
   * where the trouble starts); a caller that only relays a callee's failures (timeouts, errors passed
   * up) is discounted by the callee's propagated stress. O(N + E). Allocates the E weights per call, as
   * {@link #propagate(LiveModel, double[], int, double[], double[])} does.
   *
   * @param q propagated stress ({@link #propagate})
   * @param out output, length N
   */
  public static void rootCause(LiveModel m, double[] stress, double[] q, double[] out) {
    double[] w = new double[m.edgeCount()];
    passWeights(m, w);
    rootCause(m, stress, q, out, w);
  }

  /** {@link #rootCause(LiveModel, double[], double[], double[])} with the weights of {@link #passWeights}. */
  static void rootCause(LiveModel m, double[] stress, double[] q, double[] out, double[] w) {
    int n = m.agentCount();
    for (int j = 0; j < n; j++) {
      out[j] = stress[j] * pass(m, j, q, w);
    }
  }

  /** {@code Π_{e: j→i} (1 − w_e q_i)}: the chance a request of j gets through its callees' stress q. */
  private static double pass(LiveModel m, int j, double[] q, double[] w) {
    double pass = 1;
    for (int k = m.outStart(j); k < m.outStart(j + 1); k++) {
      pass *= 1 - w[k] * q[m.outCallee(k)];
    }
    return pass;
  }

  /**
   * Upstream exposure: the fraction of agents from which a stressed agent (stress ≥ 0.5) is reachable
   * along edges that carried traffic in the newest snapshot (BFS over in-edges), stressed agents
   * included. In D3 a saturating agent's callers fail next (timeouts, held threads), so this bounds the
   * reach of the cascade it starts. O(N + E).
   *
   * @param queue scratch of length N
   * @param seen scratch of length N (cleared here)
   */
  public static double upstreamExposure(LiveModel m, double[] stress, int[] queue, boolean[] seen) {
    int n = m.agentCount();
    java.util.Arrays.fill(seen, 0, n, false);
    int head = 0;
    int tail = 0;
    for (int i = 0; i < n; i++) {
      if (stress[i] >= 0.5) {
        seen[i] = true;
        queue[tail++] = i;
      }
    }
    while (head < tail) {
      int i = queue[head++];
      for (int k = m.inStart(i); k < m.inStart(i + 1); k++) {
        int j = m.inCaller(k); // an agent already seen costs one read, not three scattered ones
        if (!seen[j] && m.edgeAttempts(m.inEdge(k)) > 0) {
          seen[j] = true;
          queue[tail++] = j;
        }
      }
    }
    return (double) tail / n;
  }

  /**
   * Retry-amplified load: {@code max_i u_i · ā_i}, where ā_i is the attempt-weighted mean over i's
   * in-edges of {@link #retryAmplification}(p_e, 3) and p_e the edge's failure-ratio EWMA (1 for
   * agents without inbound traffic). Above 1 the offered load after retries exceeds what the agent
   * serves now (D4: the saturated state sustains itself when ρ0 ≥ 1/A).
   */
  public static double maxAmplifiedLoad(LiveModel m) {
    double best = 0;
    for (int i = 0; i < m.agentCount(); i++) {
      double w = m.inAttempts(i);
      double amp = w > 0 ? m.inAmplifiedAttempts(i) / w : 1;
      best = Math.max(best, m.util(i) * amp);
    }
    return best;
  }


  /**
   * D6 branching-ratio estimate (spec 6.4 baseline iv; Dobson, Carreras, Newman 2005): with new
   * failures counted per {@code gen}-second generation, {@code λ̂ = (n_g + 0.5) / (n_{g−1} + 0.5)},
   * where n_g counts agents first seen FAILED in the newest generation and n_{g−1} in the one before
   * (the 0.5 smooths empty generations; λ̂ = 1 when there are no failures at all).
   *
   * @param newFailures ring of per-second counts of agents newly FAILED, newest at {@code (end−1) mod length}
   * @param end number of seconds written so far
   */
  public static double branchingRatio(int[] newFailures, long end, int gen) {
    long cur = 0;
    long prev = 0;
    for (int k = 0; k < 2 * gen; k++) {
      long t = end - 1 - k;
      if (t < 0) {
        break;
      }
      int v = newFailures[(int) (t % newFailures.length)];
      if (k < gen) {
        cur += v;
      } else {
        prev += v;
      }
    }
    return (cur + 0.5) / (prev + 0.5);
  }
}
