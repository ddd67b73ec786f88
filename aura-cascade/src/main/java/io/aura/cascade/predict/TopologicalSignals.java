package io.aura.cascade.predict;

import io.aura.tda.PersistenceDiagram;
import io.aura.tda.PersistenceLandscape;
import io.aura.tda.PersistenceResult;
import io.aura.tda.PointCloud;
import io.aura.tda.RipsOptions;
import io.aura.tda.SparseDistanceMatrix;
import io.aura.tda.VietorisRips;

/** Topological signals computed with {@code aura-tda} (Vietoris–Rips persistence, landscapes). */
public final class TopologicalSignals {
  /** Edges whose failure-ratio EWMA is at least this enter the failing-edge graph of {@link #retryCycleMass}. */
  public static final double FAILING_EDGE = 0.05;
  /** At most this many failing edges (the highest failure ratios; ties by edge index) enter the complex. */
  public static final int MAX_FAILING_EDGES = 512;

  /** Above this many agents (or {@link #CORE_MAX_EDGES} failing edges) retry_cycle_h1 keeps the plain cut. */
  static final int CORE_MAX_AGENTS = 1 << 20;
  static final int CORE_MAX_EDGES = (1 << 22) - 1;

  private static final RipsOptions H1 = RipsOptions.builder().maxDimension(1).build();

  private TopologicalSignals() {}

  /**
   * Gidea &amp; Katz (2018, Physica A 491:820): the point cloud is a sliding window of w time points,
   * each a d-dimensional vector of system-level state changes; its H1 persistence landscape's L1 norm
   * grows as the joint fluctuations grow before a transition. Returns {@code ‖λ‖_1} of the H1 diagram
   * of the Vietoris–Rips filtration of {@code points} (essential classes cut at the largest pairwise
   * distance), or 0 with fewer than 3 points.
   *
   * @param points w points of dimension d (finite values)
   */
  public static double landscapeL1(double[][] points) {
    return stateTopology(points).landscapeL1();
  }

  /**
   * The H0 and H1 diagrams of the Vietoris–Rips filtration of a state cloud and its largest pairwise
   * distance (the cut for essential classes); both diagrams empty and {@code maxDistance} 0 when the
   * cloud has fewer than 3 points or all points coincide.
   */
  public record StateTopology(PersistenceDiagram h0, PersistenceDiagram h1, double maxDistance) {
    static final StateTopology EMPTY = new StateTopology(new PersistenceDiagram(0, new double[0], new double[0]),
        new PersistenceDiagram(1, new double[0], new double[0]), 0);

    /** {@code ‖λ‖_1} of the H1 landscape, essential classes cut at {@link #maxDistance} (0 when empty). */
    public double landscapeL1() {
      return maxDistance <= 0 ? 0 : PersistenceLandscape.of(h1, maxDistance).norm(PersistenceLandscape.Norm.L1);
    }
  }

  /** The Vietoris–Rips H0 and H1 of {@code points} (see {@link StateTopology}); one Rips run. */
  public static StateTopology stateTopology(double[][] points) {
    if (points.length < 3) {
      return StateTopology.EMPTY;
    }
    PointCloud cloud = PointCloud.of(points);
    double maxD = 0;
    for (int i = 0; i < cloud.size(); i++) {
      for (int j = 0; j < i; j++) {
        maxD = Math.max(maxD, cloud.distance(i, j));
      }
    }
    if (maxD <= 0) {
      return StateTopology.EMPTY;
    }
    PersistenceResult r = VietorisRips.compute(cloud, H1);
    return new StateTopology(r.diagram(0), r.diagram(1), maxD);
  }

  /**
   * The {@value #MAX_FAILING_EDGES} edges of {@code edges[0..count)} with the highest failure ratio
   * (ties by edge index), in that order. O(count) to find the cut-off ratio (quickselect on a copy),
   * then a sort of the selected edges only: the same edges in the same order as sorting all of them,
   * without boxing tens of thousands of indices at large N.
   */
  static int[] topFailing(LiveModel m, int[] edges, int count) {
    int k = MAX_FAILING_EDGES;
    double[] r = new double[count];
    for (int i = 0; i < count; i++) {
      r[i] = m.edgeFailureRatio(edges[i]);
    }
    double cut = kthLargest(r, k);
    Integer[] chosen = new Integer[k];
    int c = 0;
    for (int i = 0; i < count; i++) { // edges[] is ascending, so ties at the cut keep the lowest indices
      if (m.edgeFailureRatio(edges[i]) > cut) {
        chosen[c++] = edges[i];
      }
    }
    for (int i = 0; i < count && c < k; i++) {
      if (m.edgeFailureRatio(edges[i]) == cut) {
        chosen[c++] = edges[i];
      }
    }
    java.util.Arrays.sort(chosen, (a, b) -> {
      int d = Double.compare(m.edgeFailureRatio(b), m.edgeFailureRatio(a));
      return d != 0 ? d : Integer.compare(a, b);
    });
    int[] out = new int[k];
    for (int i = 0; i < k; i++) {
      out[i] = chosen[i];
    }
    return out;
  }

  /** The k-th largest value of {@code a} (1-based; a is permuted), by iterative quickselect. */
  static double kthLargest(double[] a, int k) {
    return kthLargest(a, 0, a.length, k);
  }

  /** The k-th largest value of {@code a[from..to)} (1-based; that range is permuted), by iterative quickselect. */
  static double kthLargest(double[] a, int from, int to, int k) {
    int lo = from;
    int hi = to - 1;
    int target = from + k - 1; // index in descending order
    while (lo < hi) {
      double pivot = a[(lo + hi) >>> 1];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (a[i] > pivot) {
          i++;
        }
        while (a[j] < pivot) {
          j--;
        }
        if (i <= j) {
          double t = a[i];
          a[i] = a[j];
          a[j] = t;
          i++;
          j--;
        }
      }
      if (target <= j) {
        hi = j;
      } else if (target >= i) {
        lo = i;
      } else {
        return a[target];
      }
    }
    return a[target];
  }

  /**
   * H1 of the weighted dependency graph restricted to failing edges: the undirected graph of edges with
   * failure ratio p_e ≥ {@value #FAILING_EDGE} (at most {@value #MAX_FAILING_EDGES}), as a sparse
   * metric with edge length {@code 1 − p_e} (hot edges are short), filtered by Vietoris–Rips
   * (flag complex: triangles fill 3-cycles). A loop of failing calls of length ≥ 4 that is not filled
   * by triangles — a retry cycle or a feedback loop — is an H1 class. Returns the H1 total persistence
   * {@code Σ (min(d, 1) − b)} (essential classes cut at 1), 0 if there are no such edges.
   */
  public static double retryCycleMass(LiveModel m) {
    int ec = m.edgeCount();
    int count = 0;
    for (int e = 0; e < ec; e++) {
      if (m.edgeFailureRatio(e) >= FAILING_EDGE) {
        count++;
      }
    }
    if (count < 3) {
      return 0;
    }
    int[] edges = new int[count];
    int k = 0;
    for (int e = 0; e < ec; e++) {
      if (m.edgeFailureRatio(e) >= FAILING_EDGE) {
        edges[k++] = e;
      }
    }
    if (count > MAX_FAILING_EDGES && m.agentCount() > FeatureExtractor.WINDOW_AGENTS
        && m.agentCount() <= CORE_MAX_AGENTS && count <= CORE_MAX_EDGES) {
      return cycleCoreMass(m, edges, count);
    }
    if (count > MAX_FAILING_EDGES) {
      edges = topFailing(m, edges, count);
      count = MAX_FAILING_EDGES;
    }
    int n = m.agentCount();
    int[] local = new int[n];
    java.util.Arrays.fill(local, -1);
    int v = 0;
    for (int e : edges) {
      if (local[m.caller(e)] < 0) {
        local[m.caller(e)] = v++;
      }
      if (local[m.callee(e)] < 0) {
        local[m.callee(e)] = v++;
      }
    }
    if (v < 4) {
      return 0;
    }
    // One entry per unordered pair (a->b and b->a may both fail): key (pair, distance bits), keep the shortest.
    long[] keyed = new long[count];
    for (int i = 0; i < count; i++) {
      int e = edges[i];
      int a = Math.min(local[m.caller(e)], local[m.callee(e)]);
      int c = Math.max(local[m.caller(e)], local[m.callee(e)]);
      float d = (float) (1 - m.edgeFailureRatio(e)) + 0f;
      keyed[i] = ((long) a * v + c) << 32 | (Float.floatToIntBits(d) & 0xffffffffL);
    }
    java.util.Arrays.sort(keyed);
    SparseDistanceMatrix.Builder b = SparseDistanceMatrix.builder(v);
    long lastPair = -1;
    for (long key : keyed) {
      long pair = key >>> 32;
      if (pair != lastPair) {
        b.add((int) (pair / v), (int) (pair % v), Float.intBitsToFloat((int) key));
        lastPair = pair;
      }
    }
    return h1Mass(b.build());
  }

  /** {@code Σ (min(d, 1) − b)} over the H1 classes of the flag complex of {@code graph}. */
  private static double h1Mass(SparseDistanceMatrix graph) {
    PersistenceDiagram h1 = VietorisRips.compute(graph, H1).diagram(1);
    double mass = 0;
    for (int i = 0; i < h1.size(); i++) {
      mass += Math.max(0, Math.min(h1.death(i), 1.0) - h1.birth(i));
    }
    return mass;
  }

  /**
   * {@link #retryCycleMass} above {@value FeatureExtractor#WINDOW_AGENTS} agents when more than
   * {@value #MAX_FAILING_EDGES} edges fail: the failing edges as an undirected simple graph (per pair
   * the higher failure ratio), cut to its 2-core (edges on no cycle, peeled leaf by leaf, carry no H1
   * class of the flag complex, so dropping them changes nothing of the H1 diagram), and only then to the
   * {@value #MAX_FAILING_EDGES} pairs with the highest failure ratio (ties by the lower, then the higher
   * agent index). Without the peeling, a hub's failing callers — a star, hundreds of edges at 10⁵ agents
   * and more at 10⁶ — fill the whole budget and the cycles behind them are never seen
   * (docs/predictor.md, "Scale quality on D3-fluid"). Up to {@value FeatureExtractor#WINDOW_AGENTS}
   * agents, every system the shipped model was trained on, the plain cut stays, so its features are
   * unchanged; so it does above 2²⁰ agents or 2²² − 1 failing edges, beyond this packing's range.
   *
   * @param edges the failing edges' indices, ascending
   */
  static double cycleCoreMass(LiveModel m, int[] edges, int count) {
    // pairs: key (lo << 21 | hi) << 22 | position in edges[]; lo < 2^20, so keys are positive and sort by (lo, hi)
    int n = m.agentCount();
    long[] keyed = new long[count];
    int kc = 0;
    for (int i = 0; i < count; i++) {
      int x = m.caller(edges[i]);
      int y = m.callee(edges[i]);
      if (x != y) {
        keyed[kc++] = ((long) Math.min(x, y) << 21 | Math.max(x, y)) << 22 | i;
      }
    }
    java.util.Arrays.sort(keyed, 0, kc);
    int[] lo = new int[kc];
    int[] hi = new int[kc];
    double[] ratio = new double[kc];
    int pairs = 0;
    long lastPair = -1;
    for (int j = 0; j < kc; j++) {
      long pair = keyed[j] >>> 22;
      double r = m.edgeFailureRatio(edges[(int) (keyed[j] & ((1 << 22) - 1))]);
      if (pair != lastPair) {
        lo[pairs] = (int) (pair >>> 21);
        hi[pairs] = (int) (pair & ((1 << 21) - 1));
        ratio[pairs++] = r;
        lastPair = pair;
      } else {
        ratio[pairs - 1] = Math.max(ratio[pairs - 1], r);
      }
    }
    // 2-core: incidence lists in CSR form, then peel vertices of degree 1
    int[] deg = new int[n];
    for (int p = 0; p < pairs; p++) {
      deg[lo[p]]++;
      deg[hi[p]]++;
    }
    int[] start = new int[n + 1];
    for (int i = 0; i < n; i++) {
      start[i + 1] = start[i] + deg[i];
    }
    int[] fill = java.util.Arrays.copyOf(start, n);
    int[] inc = new int[2 * pairs];
    for (int p = 0; p < pairs; p++) {
      inc[fill[lo[p]]++] = p;
      inc[fill[hi[p]]++] = p;
    }
    boolean[] gone = new boolean[pairs];
    int[] stack = new int[n];
    int top = 0;
    for (int i = 0; i < n; i++) {
      if (deg[i] == 1) {
        stack[top++] = i;
      }
    }
    int alive = pairs;
    while (top > 0) {
      int i = stack[--top];
      if (deg[i] != 1) {
        continue;
      }
      for (int k = start[i]; k < start[i + 1]; k++) {
        int p = inc[k];
        if (!gone[p]) {
          gone[p] = true;
          alive--;
          int other = lo[p] == i ? hi[p] : lo[p];
          deg[i]--;
          if (--deg[other] == 1) {
            stack[top++] = other;
          }
          break;
        }
      }
    }
    if (alive < 4) {
      return 0;
    }
    int[] core = new int[alive];
    int c = 0;
    for (int p = 0; p < pairs; p++) {
      if (!gone[p]) {
        core[c++] = p;
      }
    }
    if (alive > MAX_FAILING_EDGES) {
      double[] r = new double[alive];
      for (int j = 0; j < alive; j++) {
        r[j] = ratio[core[j]];
      }
      double cut = kthLargest(r, MAX_FAILING_EDGES);
      int[] chosen = new int[MAX_FAILING_EDGES];
      int k = 0;
      for (int j = 0; j < alive; j++) { // core[] is in pair order, so ties at the cut keep the lowest pairs
        if (ratio[core[j]] > cut) {
          chosen[k++] = core[j];
        }
      }
      for (int j = 0; j < alive && k < MAX_FAILING_EDGES; j++) {
        if (ratio[core[j]] == cut) {
          chosen[k++] = core[j];
        }
      }
      core = chosen;
    }
    int[] local = new int[n];
    java.util.Arrays.fill(local, -1);
    int v = 0;
    for (int p : core) {
      if (local[lo[p]] < 0) {
        local[lo[p]] = v++;
      }
      if (local[hi[p]] < 0) {
        local[hi[p]] = v++;
      }
    }
    SparseDistanceMatrix.Builder b = SparseDistanceMatrix.builder(v);
    for (int p : core) {
      b.add(local[lo[p]], local[hi[p]], (float) (1 - ratio[p]) + 0f);
    }
    return h1Mass(b.build());
  }
}
