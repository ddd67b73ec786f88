package io.aura.cascade.critical;

import io.aura.cascade.sim.SimTopology;
import io.aura.cascade.sim.StaticTopology;
import java.util.Arrays;

/**
 * Structural baseline rankings of CPB 6.7 on the directed call graph (edge caller → callee; parallel
 * edges merged, self-loops dropped). The scores are computed on the simulator's true call graph
 * ({@link #callGraph(SimTopology)}), not on the perturbed static view the SUT gets, which favours
 * the baselines.
 *
 * <ul>
 *   <li><b>Degree</b>: out-degree + in-degree, distinct neighbours.</li>
 *   <li><b>Betweenness</b>: directed shortest-path betweenness {@code C_B(v) = Σ_{s ≠ v ≠ t}
 *       σ_st(v) / σ_st} over ordered pairs (s, t) with t reachable from s, by Brandes' algorithm
 *       (U. Brandes, "A faster algorithm for betweenness centrality", J. Math. Sociol. 25(2):163–177,
 *       2001): one BFS per source along call edges, dependencies accumulated in reverse BFS order.
 *       O(N·M) time, O(N + M) memory; σ in {@code double} (exact up to 2^53 paths).</li>
 *   <li><b>Dependents-PageRank</b>: PageRank (Brin &amp; Page 1998) in which every agent passes its
 *       rank to the agents it depends on, i.e. along call edges; equivalently, PageRank on the
 *       reversed failure-propagation graph (failures travel callee → caller). An agent that many
 *       others (directly or transitively) depend on ranks high. {@code PR = (1−d)/N + d (Σ_{j→i}
 *       PR_j / outdeg(j) + Σ_{j leaf} PR_j / N)} with damping d = {@value #DAMPING}; agents without
 *       callees spread their rank uniformly. Power iteration from the uniform vector until the L1
 *       change is below 1e-12 (at most 10 000 rounds); the scores sum to 1.</li>
 * </ul>
 */
public final class CallGraphCentrality {
  /** PageRank damping factor d. */
  public static final double DAMPING = 0.85;

  private CallGraphCentrality() {}

  /** The simulator's call graph (every D3 call edge, callers → callees, in edge order). */
  public static StaticTopology callGraph(SimTopology t) {
    int m = t.edgeCount();
    int[] callers = new int[m];
    int[] callees = new int[m];
    for (int e = 0; e < m; e++) {
      callers[e] = t.caller(e);
      callees[e] = t.callee(e);
    }
    return new StaticTopology(t.agentCount(), callers, callees);
  }

  /** Out-degree + in-degree over distinct neighbours. */
  public static double[] degree(StaticTopology g) {
    Csr out = Csr.of(g, false);
    Csr in = Csr.of(g, true);
    double[] d = new double[g.agentCount()];
    for (int v = 0; v < d.length; v++) {
      d[v] = out.degree(v) + in.degree(v);
    }
    return d;
  }

  /** Directed shortest-path betweenness over ordered pairs (Brandes). */
  public static double[] betweenness(StaticTopology g) {
    Csr out = Csr.of(g, false);
    int n = g.agentCount();
    double[] cb = new double[n];
    int[] dist = new int[n];
    double[] sigma = new double[n];
    double[] delta = new double[n];
    int[] order = new int[n];
    for (int s = 0; s < n; s++) {
      Arrays.fill(dist, -1);
      Arrays.fill(sigma, 0);
      Arrays.fill(delta, 0);
      dist[s] = 0;
      sigma[s] = 1;
      int head = 0;
      int tail = 0;
      order[tail++] = s;
      while (head < tail) {
        int v = order[head++];
        for (int k = out.off[v]; k < out.off[v + 1]; k++) {
          int w = out.adj[k];
          if (dist[w] < 0) {
            dist[w] = dist[v] + 1;
            order[tail++] = w;
          }
          if (dist[w] == dist[v] + 1) {
            sigma[w] += sigma[v];
          }
        }
      }
      // reverse BFS order: δ(v) = Σ_{w successor on a shortest path} σ_v/σ_w (1 + δ(w))
      for (int i = tail - 1; i >= 0; i--) {
        int v = order[i];
        for (int k = out.off[v]; k < out.off[v + 1]; k++) {
          int w = out.adj[k];
          if (dist[w] == dist[v] + 1) {
            delta[v] += sigma[v] / sigma[w] * (1 + delta[w]);
          }
        }
        if (v != s) {
          cb[v] += delta[v];
        }
      }
    }
    return cb;
  }

  /** Dependents-PageRank with damping {@link #DAMPING}. */
  public static double[] dependentsPageRank(StaticTopology g) {
    return dependentsPageRank(g, DAMPING);
  }

  /**
   * Dependents-PageRank with damping {@code damping}.
   *
   * @param g call graph
   * @param damping d in [0, 1)
   */
  public static double[] dependentsPageRank(StaticTopology g, double damping) {
    if (!(damping >= 0 && damping < 1)) {
      throw new IllegalArgumentException("damping must be in [0, 1): " + damping);
    }
    Csr out = Csr.of(g, false);
    int n = g.agentCount();
    if (n == 0) {
      return new double[0];
    }
    double[] pr = new double[n];
    double[] next = new double[n];
    Arrays.fill(pr, 1.0 / n);
    for (int it = 0; it < 10_000; it++) {
      double dangling = 0;
      for (int v = 0; v < n; v++) {
        if (out.degree(v) == 0) {
          dangling += pr[v];
        }
      }
      Arrays.fill(next, (1 - damping) / n + damping * dangling / n);
      for (int v = 0; v < n; v++) {
        int deg = out.degree(v);
        if (deg > 0) {
          double share = damping * pr[v] / deg;
          for (int k = out.off[v]; k < out.off[v + 1]; k++) {
            next[out.adj[k]] += share;
          }
        }
      }
      double change = 0;
      for (int v = 0; v < n; v++) {
        change += Math.abs(next[v] - pr[v]);
      }
      double[] tmp = pr;
      pr = next;
      next = tmp;
      if (change < 1e-12) {
        break;
      }
    }
    return pr;
  }

  /** Simple directed graph in CSR form (distinct neighbours in ascending order, no self-loops). */
  private record Csr(int[] off, int[] adj) {
    static Csr of(StaticTopology g, boolean reversed) {
      int n = g.agentCount();
      int m = g.edgeCount();
      long[] keys = new long[m];
      int k = 0;
      for (int e = 0; e < m; e++) {
        int a = reversed ? g.callee(e) : g.caller(e);
        int b = reversed ? g.caller(e) : g.callee(e);
        if (a < 0 || a >= n || b < 0 || b >= n) {
          throw new IllegalArgumentException("edge " + e + " (" + g.caller(e) + " -> " + g.callee(e)
              + ") names an agent outside [0, " + n + ")");
        }
        if (a != b) {
          keys[k++] = ((long) a << 32) | b;
        }
      }
      long[] sorted = Arrays.copyOf(keys, k);
      Arrays.sort(sorted);
      int[] off = new int[n + 1];
      int[] adj = new int[k];
      int c = 0;
      for (int j = 0; j < k; j++) {
        if (j > 0 && sorted[j] == sorted[j - 1]) {
          continue;
        }
        int a = (int) (sorted[j] >>> 32);
        adj[c++] = (int) sorted[j];
        off[a + 1]++;
      }
      for (int v = 0; v < n; v++) {
        off[v + 1] += off[v];
      }
      return new Csr(off, Arrays.copyOf(adj, c));
    }

    int degree(int v) {
      return off[v + 1] - off[v];
    }
  }
}
