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
   * {@code Σ (min(d, 1) − b)} (essential classes cut at 1), 0 if there are no such edges. Above
   * {@value FeatureExtractor#WINDOW_AGENTS} agents the cut to {@value #MAX_FAILING_EDGES} edges is
   * {@code cycleCoreMass}'s instead of the plain one: the longest hottest-first prefix of the failing
   * pairs whose 2-core (its cyclic part) has at most that many pairs.
   */
  public static double retryCycleMass(LiveModel m) {
    return retryCycleMass(m, new CycleScratch());
  }

  /**
   * {@link #retryCycleMass(LiveModel)} over scratch arrays kept between calls: at 10⁶ agents with a
   * cascade's share of failing edges, fresh arrays cost 50–140 MB of allocation per call, and with it
   * the collections that set the tail latency (docs/predictor.md). Same result.
   */
  static double retryCycleMass(LiveModel m, CycleScratch s) {
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
    int[] edges = s.edges = grow(s.edges, count);
    int k = 0;
    for (int e = 0; e < ec; e++) {
      if (m.edgeFailureRatio(e) >= FAILING_EDGE) {
        edges[k++] = e;
      }
    }
    if (count > MAX_FAILING_EDGES && m.agentCount() > FeatureExtractor.WINDOW_AGENTS
        && m.agentCount() <= CORE_MAX_AGENTS && count <= CORE_MAX_EDGES) {
      return cycleCoreMass(m, edges, count, s);
    }
    if (count > MAX_FAILING_EDGES) {
      edges = topFailing(m, edges, count);
      count = MAX_FAILING_EDGES;
    }
    int[] local = s.mark(m.agentCount());
    int v = 0;
    for (int i = 0; i < count; i++) {
      int e = edges[i];
      if (local[m.caller(e)] < 0) {
        local[m.caller(e)] = v++;
      }
      if (local[m.callee(e)] < 0) {
        local[m.callee(e)] = v++;
      }
    }
    // One entry per unordered pair (a->b and b->a may both fail): key (pair, distance bits), keep the shortest.
    long[] keyed = s.keyed = grow(s.keyed, count);
    for (int i = 0; i < count; i++) {
      int e = edges[i];
      int a = Math.min(local[m.caller(e)], local[m.callee(e)]);
      int c = Math.max(local[m.caller(e)], local[m.callee(e)]);
      float d = (float) (1 - m.edgeFailureRatio(e)) + 0f;
      keyed[i] = ((long) a * v + c) << 32 | (Float.floatToIntBits(d) & 0xffffffffL);
    }
    for (int i = 0; i < count; i++) { // mark[] back to all −1 for the next call
      local[m.caller(edges[i])] = -1;
      local[m.callee(edges[i])] = -1;
    }
    if (v < 4) {
      return 0;
    }
    java.util.Arrays.sort(keyed, 0, count);
    SparseDistanceMatrix.Builder b = SparseDistanceMatrix.builder(v);
    long lastPair = -1;
    for (int i = 0; i < count; i++) {
      long key = keyed[i];
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
   * {@value #MAX_FAILING_EDGES} edges fail. The failing edges become an undirected simple graph (per
   * pair the higher failure ratio), ordered hottest first (by {@code 1 − p} as a float, ties by the lower,
   * then the higher agent index). Of that order the longest prefix is taken whose 2-core — what is left
   * after peeling, leaf by leaf, the edges that lie on no cycle — has at most {@value #MAX_FAILING_EDGES}
   * pairs, and the H1 mass of that core is returned. Peeling changes nothing of the H1 diagram of the
   * flag complex, so this is the H1 mass of the hottest failing edges, as many as keep the cyclic part
   * within the budget.
   *
   * <p>Why not the plain cut to the {@value #MAX_FAILING_EDGES} hottest edges: at 10⁵ agents a faulted
   * hub has about a thousand callers, and its in-edges, the hottest of all, fill the budget with a star,
   * which has no cycle; the cycles of the callers' own failing callers behind it were never seen, and
   * the feature fell to 0 in the minute before a cascade that read 3.2 at 10⁴ agents
   * (docs/predictor.md, "Scale quality on D3-fluid"). A star costs no budget here, being peeled.
   * The longest prefix is found by galloping from the budget (twice the prefix each time) and then
   * bisection, since the core of a prefix only grows with it; the prefixes peeled stay within twice the
   * answer, however many pairs fail. Each prefix peels only the pairs of its components that have a
   * cycle ({@code cyclicFrom}, one union-find pass): a tree component is peeled to nothing, and below the
   * giant component's threshold most failing pairs lie in trees. At 10⁶ agents with 20% of the edges
   * failing at random this took the feature from about 1.4 s to 0.3–0.5 s (docs/predictor.md).
   *
   * <p>Up to {@value FeatureExtractor#WINDOW_AGENTS} agents, every system the shipped model was trained
   * on, the plain cut stays, so its features are unchanged; so it does above 2²⁰ agents or 2²² − 1
   * failing edges, beyond this packing's range. With at most {@value #MAX_FAILING_EDGES} failing edges
   * both are the H1 mass of the whole failing graph.
   *
   * @param edges the failing edges' indices, ascending
   */
  static double cycleCoreMass(LiveModel m, int[] edges, int count) {
    return cycleCoreMass(m, edges, count, new CycleScratch());
  }

  /** {@link #cycleCoreMass(LiveModel, int[], int)} over {@code s}'s arrays (edges may be s.edges). */
  static double cycleCoreMass(LiveModel m, int[] edges, int count, CycleScratch s) {
    // pairs: key (lo << 21 | hi) << 22 | position in edges[]; lo < 2^20, so keys are positive and sort by (lo, hi)
    long[] keyed = s.keyed = grow(s.keyed, count);
    int kc = 0;
    for (int i = 0; i < count; i++) {
      int x = m.caller(edges[i]);
      int y = m.callee(edges[i]);
      if (x != y) {
        keyed[kc++] = ((long) Math.min(x, y) << 21 | Math.max(x, y)) << 22 | i;
      }
    }
    java.util.Arrays.sort(keyed, 0, kc);
    int[] lo = s.lo = grow(s.lo, kc);
    int[] hi = s.hi = grow(s.hi, kc);
    float[] dist = s.dist = grow(s.dist, kc);
    int pairs = 0;
    long lastPair = -1;
    for (int j = 0; j < kc; j++) {
      long pair = keyed[j] >>> 22;
      float d = (float) (1 - m.edgeFailureRatio(edges[(int) (keyed[j] & ((1 << 22) - 1))])) + 0f;
      if (pair != lastPair) {
        lo[pairs] = (int) (pair >>> 21);
        hi[pairs] = (int) (pair & ((1 << 21) - 1));
        dist[pairs++] = d;
        lastPair = pair;
      } else {
        dist[pairs - 1] = Math.min(dist[pairs - 1], d);
      }
    }
    // hottest first: key (float bits of 1 − p, non-negative so monotone) << 32 | pair index (in (lo, hi) order)
    long[] byHeat = s.byHeat = grow(s.byHeat, pairs);
    for (int p = 0; p < pairs; p++) {
      byHeat[p] = (long) Float.floatToIntBits(dist[p]) << 32 | p;
    }
    java.util.Arrays.sort(byHeat, 0, pairs);
    // the pairs in hot order, their agents renamed 0, 1, ... by first appearance in that order: every
    // prefix then peels over sequential pair arrays and a compact, mostly cache-resident vertex range
    // (the 2-core is unique, so how it is peeled changes nothing of the answer)
    int[] id = s.mark(m.agentCount());
    int[] pl = s.pl = grow(s.pl, pairs);
    int[] ph = s.ph = grow(s.ph, pairs);
    float[] pd = s.pd = grow(s.pd, pairs);
    int vertices = 0;
    for (int j = 0; j < pairs; j++) {
      int p = (int) byHeat[j];
      if (id[lo[p]] < 0) {
        id[lo[p]] = vertices++;
      }
      if (id[hi[p]] < 0) {
        id[hi[p]] = vertices++;
      }
      pl[j] = id[lo[p]];
      ph[j] = id[hi[p]];
      pd[j] = dist[p];
    }
    for (int p = 0; p < pairs; p++) { // mark[] back to all −1: it renumbers the core's agents below
      id[lo[p]] = -1;
      id[hi[p]] = -1;
    }
    Peeler peeler = new Peeler(vertices, pairs, pl, ph, cyclicFrom(vertices, pairs, pl, ph, s), s);
    int take = pairs;
    int size;
    if (pairs <= MAX_FAILING_EDGES) {
      size = peeler.core(pairs);
    } else {
      // galloping, then bisection: the prefixes tried stay within twice the answer, so a cascade with
      // hundreds of thousands of failing pairs whose hottest few thousand already fill the budget costs
      // a few thousand pairs per peel, not all of them (the answer is the same: the core only grows)
      int ok = MAX_FAILING_EDGES; // a prefix of this many pairs has at most as many in its core
      int bad = -1;
      int lastCall = -1; // the prefix whose core the peeler holds now
      size = -1;
      for (long probe = 2L * MAX_FAILING_EDGES; bad < 0 && ok < pairs; probe *= 2) {
        int k = (int) Math.min(probe, pairs);
        lastCall = k;
        size = peeler.core(k);
        if (size > MAX_FAILING_EDGES) {
          bad = k;
        } else {
          ok = k;
        }
      }
      while (bad > 0 && bad - ok > 1) {
        int mid = (ok + bad) >>> 1;
        lastCall = mid;
        size = peeler.core(mid);
        if (size <= MAX_FAILING_EDGES) {
          ok = mid;
        } else {
          bad = mid;
        }
      }
      take = ok;
      if (lastCall != take) {
        size = peeler.core(take);
      }
    }
    if (size < 4) {
      return 0;
    }
    // the core's pairs in hot order, their agents numbered by first appearance (lower agent first)
    int[] core = peeler.kept(size);
    int[] local = id; // all −1 again, and vertices ≤ agents
    int v = 0;
    for (int j : core) {
      if (local[pl[j]] < 0) {
        local[pl[j]] = v++;
      }
      if (local[ph[j]] < 0) {
        local[ph[j]] = v++;
      }
    }
    SparseDistanceMatrix.Builder b = SparseDistanceMatrix.builder(v);
    for (int j : core) {
      b.add(local[pl[j]], local[ph[j]], pd[j]);
    }
    for (int j : core) {
      local[pl[j]] = -1;
      local[ph[j]] = -1;
    }
    return h1Mass(b.build());
  }

  /**
   * For each pair j of the sequence, the shortest prefix length k at which the component holding j in
   * pairs [0, k) has a cycle ({@link Integer#MAX_VALUE} if it never has). A component without a cycle
   * is a tree, all of it peeled, so the 2-core of a prefix is that of its pairs whose value is at most
   * its length; below the giant component's threshold that is a small part of the prefix. One
   * union-find pass; each pair's value is set once (the pairs of a tree component are listed, and
   * stamped when it gets its first cycle or joins a component with one).
   */
  static int[] cyclicFrom(int n, int[] lo, int[] hi) {
    return cyclicFrom(n, lo.length, lo, hi, new CycleScratch());
  }

  /** {@link #cyclicFrom(int, int[], int[])} of pairs [0, m), over {@code s}'s arrays; the result is s.from. */
  static int[] cyclicFrom(int n, int m, int[] lo, int[] hi, CycleScratch s) {
    int[] parent = s.parent = grow(s.parent, n);
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    boolean[] cyclic = s.cyclic = grow(s.cyclic, n); // per root
    java.util.Arrays.fill(cyclic, 0, n, false);
    int[] first = s.first = grow(s.first, n); // per root of a tree component: its pairs as a list through next[]
    int[] last = s.last = grow(s.last, n);
    java.util.Arrays.fill(first, 0, n, -1);
    int[] next = s.next = grow(s.next, m);
    int[] from = s.from = grow(s.from, m);
    java.util.Arrays.fill(from, 0, m, Integer.MAX_VALUE);
    for (int j = 0; j < m; j++) {
      int k = j + 1;
      int ru = find(parent, lo[j]);
      int rv = find(parent, hi[j]);
      int r = ru;
      if (ru != rv) {
        parent[rv] = ru;
        if (cyclic[ru] != cyclic[rv]) {
          stamp(cyclic[ru] ? rv : ru, first, next, from, k); // the tree side joins a cyclic component
          first[ru] = -1;
          cyclic[ru] = true;
        } else if (!cyclic[ru] && first[rv] >= 0) { // two trees: one list
          if (first[ru] < 0) {
            first[ru] = first[rv];
          } else {
            next[last[ru]] = first[rv];
          }
          last[ru] = last[rv];
        }
      } else if (!cyclic[r]) { // the pair closes the tree's first cycle
        stamp(r, first, next, from, k);
        first[r] = -1;
        cyclic[r] = true;
      }
      if (cyclic[r]) {
        from[j] = k;
      } else { // append j to the tree's list
        next[j] = -1;
        if (first[r] < 0) {
          first[r] = j;
        } else {
          next[last[r]] = j;
        }
        last[r] = j;
      }
    }
    return from;
  }

  private static void stamp(int root, int[] first, int[] next, int[] from, int k) {
    for (int j = first[root]; j >= 0; j = next[j]) {
      from[j] = k;
    }
  }

  private static int find(int[] parent, int x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }

  /** 2-cores of prefixes of a pair sequence, over scratch arrays reused between calls. */
  private static final class Peeler {
    private final int[] lo;
    private final int[] hi;
    private final int[] deg;
    private final int[] start;
    private final int[] inc;
    private final int[] stack;
    private final boolean[] gone;
    private final int[] cyclicFrom;
    private final int[] sel;
    private int selected;

    /**
     * Pairs j in [0, m) join agents lo[j] and hi[j], both in [0, n); cyclicFrom as {@link #cyclicFrom}'s;
     * the work arrays are {@code s}'s.
     */
    Peeler(int n, int m, int[] lo, int[] hi, int[] cyclicFrom, CycleScratch s) {
      this.lo = lo;
      this.hi = hi;
      this.cyclicFrom = cyclicFrom;
      deg = s.deg = grow(s.deg, n);
      java.util.Arrays.fill(deg, 0, n, 0); // core() returns it to zeros; this guards a call that threw
      start = s.start = grow(s.start, n);
      inc = s.inc = grow(s.inc, 2 * m);
      stack = s.stack = grow(s.stack, n);
      gone = s.gone = grow(s.gone, m);
      sel = s.sel = grow(s.sel, m);
    }

    /**
     * The number of pairs in the 2-core of pairs [0, k); leaves {@link #gone} marking the others among
     * the pairs of its cyclic components (the tree components' pairs are not peeled: none is in the core).
     */
    int core(int k) {
      int c = 0;
      for (int j = 0; j < k; j++) {
        if (cyclicFrom[j] <= k) {
          sel[c++] = j;
        }
      }
      selected = c;
      for (int s = 0; s < c; s++) {
        int j = sel[s];
        deg[lo[j]]++;
        deg[hi[j]]++;
        gone[j] = false;
      }
      // incidence lists: start[] as running offsets over the touched vertices only
      for (int s = 0; s < c; s++) {
        int j = sel[s];
        start[lo[j]] = 0;
        start[hi[j]] = 0;
      }
      int off = 0;
      for (int s = 0; s < c; s++) {
        int j = sel[s];
        if (start[lo[j]] == 0) {
          off += deg[lo[j]];
          start[lo[j]] = off; // one past the end of its list; filled downwards below
        }
        if (start[hi[j]] == 0) {
          off += deg[hi[j]];
          start[hi[j]] = off;
        }
      }
      for (int s = 0; s < c; s++) {
        int j = sel[s];
        inc[--start[lo[j]]] = j;
        inc[--start[hi[j]]] = j;
      }
      int top = 0;
      for (int s = 0; s < c; s++) {
        int j = sel[s];
        if (deg[lo[j]] == 1) {
          stack[top++] = lo[j];
        }
        if (deg[hi[j]] == 1) {
          stack[top++] = hi[j];
        }
      }
      int alive = c;
      while (top > 0) {
        int x = stack[--top];
        if (deg[x] != 1) {
          continue;
        }
        for (int q = start[x]; ; q++) {
          int p = inc[q];
          if (!gone[p]) {
            gone[p] = true;
            alive--;
            int other = lo[p] == x ? hi[p] : lo[p];
            deg[x]--;
            if (--deg[other] == 1) {
              stack[top++] = other;
            }
            break;
          }
        }
      }
      for (int s = 0; s < c; s++) {
        int j = sel[s];
        deg[lo[j]] = 0;
        deg[hi[j]] = 0;
      }
      return alive;
    }

    /** The pairs of the last {@link #core} call that stayed, ascending. */
    int[] kept(int size) {
      int[] out = new int[size];
      int c = 0;
      for (int s = 0; s < selected; s++) {
        if (!gone[sel[s]]) {
          out[c++] = sel[s];
        }
      }
      return out;
    }
  }

  /**
   * Work arrays of {@link #retryCycleMass}, grown on demand (by half again, so a count that creeps up
   * does not reallocate every call) and kept between calls; one per {@link FeatureExtractor}, not shared
   * between threads. {@link #mark} is agent-indexed and all −1 between uses.
   */
  static final class CycleScratch {
    int[] edges = new int[0];
    long[] keyed = new long[0];
    int[] lo = new int[0];
    int[] hi = new int[0];
    float[] dist = new float[0];
    long[] byHeat = new long[0];
    int[] pl = new int[0];
    int[] ph = new int[0];
    float[] pd = new float[0];
    int[] parent = new int[0];
    boolean[] cyclic = new boolean[0];
    int[] first = new int[0];
    int[] last = new int[0];
    int[] next = new int[0];
    int[] from = new int[0];
    int[] deg = new int[0];
    int[] start = new int[0];
    int[] inc = new int[0];
    int[] stack = new int[0];
    boolean[] gone = new boolean[0];
    int[] sel = new int[0];
    private int[] mark = new int[0];

    /** An agent-indexed array of at least n entries, all −1; callers set entries back to −1 after use. */
    int[] mark(int n) {
      if (mark.length < n) {
        mark = new int[n];
        java.util.Arrays.fill(mark, -1);
      }
      return mark;
    }
  }

  private static int capacity(int have, int need) {
    return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, have + (long) (have >> 1)));
  }

  private static int[] grow(int[] a, int n) {
    return a.length >= n ? a : new int[capacity(a.length, n)];
  }

  private static long[] grow(long[] a, int n) {
    return a.length >= n ? a : new long[capacity(a.length, n)];
  }

  private static float[] grow(float[] a, int n) {
    return a.length >= n ? a : new float[capacity(a.length, n)];
  }

  private static boolean[] grow(boolean[] a, int n) {
    return a.length >= n ? a : new boolean[capacity(a.length, n)];
  }
}
