package io.aura.cascade.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.aura.cascade.sim.StaticTopology;
import org.junit.jupiter.api.Test;

class TopologicalSignalsTest {
  private static LiveModel withFailingEdges(StaticTopology t, int[] failing, int failures) {
    LiveModel m = new LiveModel(t);
    Snapshots s = new Snapshots(t.agentCount(), t.edgeCount());
    for (int e : failing) {
      s.edgeFailures[e] = failures;
    }
    m.update(s.next());
    return m;
  }

  /** A ring of retries 0 -> 1 -> 2 -> 3 -> 4 -> 0, every call failing half its attempts. */
  static StaticTopology ring(int len) {
    int[] a = new int[len];
    int[] b = new int[len];
    for (int i = 0; i < len; i++) {
      a[i] = i;
      b[i] = (i + 1) % len;
    }
    return new StaticTopology(len, a, b);
  }

  @Test
  void aRingOfRetriesHasH1() {
    LiveModel m = withFailingEdges(ring(5), new int[] {0, 1, 2, 3, 4}, 25);
    // one essential H1 class born at the longest ring edge (1 − 0.5), cut at 1
    assertThat(TopologicalSignals.retryCycleMass(m)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void aRingWhoseEdgesDoNotFailHasNoH1AndNeitherDoesATree() {
    assertThat(TopologicalSignals.retryCycleMass(withFailingEdges(ring(5), new int[0], 0))).isZero();
    StaticTopology tree = new StaticTopology(5, new int[] {0, 0, 1, 1}, new int[] {1, 2, 3, 4});
    assertThat(TopologicalSignals.retryCycleMass(withFailingEdges(tree, new int[] {0, 1, 2, 3}, 25))).isZero();
  }

  @Test
  void aTriangleIsFilledButASquareIsNot() {
    StaticTopology tri = new StaticTopology(4, new int[] {0, 1, 2, 0}, new int[] {1, 2, 0, 3});
    assertThat(TopologicalSignals.retryCycleMass(withFailingEdges(tri, new int[] {0, 1, 2, 3}, 25))).isZero();
    assertThat(TopologicalSignals.retryCycleMass(withFailingEdges(ring(4), new int[] {0, 1, 2, 3}, 50))).isGreaterThan(0.9);
  }

  @Test
  void landscapeNormOfACircleIsPositiveAndGrowsWithItsRadius() {
    double[][] small = new double[24][];
    double[][] large = new double[24][];
    for (int i = 0; i < 24; i++) {
      double a = 2 * Math.PI * i / 24;
      small[i] = new double[] {Math.cos(a), Math.sin(a)};
      large[i] = new double[] {3 * Math.cos(a), 3 * Math.sin(a)};
    }
    double s = TopologicalSignals.landscapeL1(small);
    assertThat(s).isGreaterThan(0.1);
    assertThat(TopologicalSignals.landscapeL1(large)).isGreaterThan(5 * s);
    double[][] line = new double[10][];
    for (int i = 0; i < 10; i++) {
      line[i] = new double[] {i, 0};
    }
    assertThat(TopologicalSignals.landscapeL1(line)).isZero();
  }

  @Test
  void theTopFailingEdgesAreThoseOfAFullSortWithTiesByIndex() {
    io.aura.cascade.random.SplitMix64 rng = new io.aura.cascade.random.SplitMix64(7);
    for (int round = 0; round < 20; round++) {
      int edges = TopologicalSignals.MAX_FAILING_EDGES + 1 + rng.nextInt(3000);
      int[] a = new int[edges];
      int[] b = new int[edges];
      for (int e = 0; e < edges; e++) {
        a[e] = 0;
        b[e] = e + 1;
      }
      StaticTopology star = new StaticTopology(edges + 1, a, b);
      LiveModel m = new LiveModel(star);
      Snapshots s = new Snapshots(edges + 1, edges);
      for (int e = 0; e < edges; e++) {
        s.edgeAttempts[e] = 4;
        s.edgeFailures[e] = rng.nextInt(5); // ratios 0, 0.25, ..., 1: many ties
      }
      m.update(s.next());
      int[] all = new int[edges];
      for (int e = 0; e < edges; e++) {
        all[e] = e;
      }
      Integer[] boxed = new Integer[edges];
      for (int e = 0; e < edges; e++) {
        boxed[e] = e;
      }
      java.util.Arrays.sort(boxed, (x, y) -> {
        int c = Double.compare(m.edgeFailureRatio(y), m.edgeFailureRatio(x));
        return c != 0 ? c : Integer.compare(x, y);
      });
      int[] expected = new int[TopologicalSignals.MAX_FAILING_EDGES];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = boxed[i];
      }
      assertThat(TopologicalSignals.topFailing(m, all, edges)).containsExactly(expected);
    }
  }

  @Test
  void kthLargestMatchesASort() {
    io.aura.cascade.random.SplitMix64 rng = new io.aura.cascade.random.SplitMix64(11);
    for (int round = 0; round < 200; round++) {
      int len = 1 + rng.nextInt(200);
      double[] v = new double[len];
      for (int i = 0; i < len; i++) {
        v[i] = rng.nextInt(10) / 10.0;
      }
      double[] sorted = v.clone();
      java.util.Arrays.sort(sorted);
      int k = 1 + rng.nextInt(len);
      assertThat(TopologicalSignals.kthLargest(v.clone(), k)).isEqualTo(sorted[len - k]);
    }
  }

  /** A model over {@code n} agents with edges a[e] -> b[e], edge e failing failures[e] of its 50 attempts. */
  private static LiveModel failing(int n, int[] a, int[] b, int[] failures) {
    StaticTopology t = new StaticTopology(n, a, b);
    LiveModel m = new LiveModel(t);
    Snapshots s = new Snapshots(n, a.length);
    System.arraycopy(failures, 0, s.edgeFailures, 0, failures.length);
    m.update(s.next());
    return m;
  }

  /** A hub called by 600 failing callers (ratio 1) and, apart from it, a failing 4-ring (ratio 0.5). */
  private static LiveModel starAndRing(int n) {
    int star = 600;
    int[] a = new int[star + 4];
    int[] b = new int[star + 4];
    int[] f = new int[star + 4];
    for (int e = 0; e < star; e++) {
      a[e] = e + 1;
      b[e] = 0;
      f[e] = 50;
    }
    for (int k = 0; k < 4; k++) {
      a[star + k] = star + 1 + k;
      b[star + k] = star + 1 + (k + 1) % 4;
      f[star + k] = 25;
    }
    return failing(n, a, b, f);
  }

  @Test
  void aboveTheWindowAHubsFailingStarNoLongerHidesTheRetryCycleBehindIt() {
    // up to 1 000 agents the plain cut keeps the 512 hottest edges: all star, no cycle (the trained feature)
    assertThat(TopologicalSignals.retryCycleMass(starAndRing(700))).isZero();
    // above, the star is peeled off (it closes no cycle) before the cut, and the ring's class is seen
    assertThat(TopologicalSignals.retryCycleMass(starAndRing(1500))).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
  }

  /** Random failing graphs with trees hanging off cycles, over {@code n} agents; edges ascending by index. */
  private static LiveModel randomFailingGraph(io.aura.cascade.random.SplitMix64 rng, int n, int edges) {
    int[] a = new int[edges];
    int[] b = new int[edges];
    int[] f = new int[edges];
    int span = 20 + rng.nextInt(400); // agents actually touched: few -> dense with cycles, many -> tree-like
    for (int e = 0; e < edges; e++) {
      int x = rng.nextInt(span);
      int y = rng.nextInt(span);
      a[e] = x == y ? (x + 1) % span : x; // no self-loops from the generator (the model keeps them anyway)
      b[e] = y;
      f[e] = 3 + rng.nextInt(48); // ratio 0.06 .. 1, with ties
    }
    return failing(n, a, b, f);
  }

  private static int[] failingEdges(LiveModel m) {
    return java.util.stream.IntStream.range(0, m.edgeCount())
        .filter(e -> m.edgeFailureRatio(e) >= TopologicalSignals.FAILING_EDGE).toArray();
  }

  @Test
  void peelingEdgesThatCloseNoCycleLeavesTheH1MassUnchanged() {
    io.aura.cascade.random.SplitMix64 rng = new io.aura.cascade.random.SplitMix64(21);
    for (int round = 0; round < 60; round++) {
      // at most 512 failing edges: the plain path applies no cut, the core path only peels
      LiveModel m = randomFailingGraph(rng, 1200, 10 + rng.nextInt(TopologicalSignals.MAX_FAILING_EDGES - 10));
      int[] e = failingEdges(m);
      double plain = TopologicalSignals.retryCycleMass(m);
      assertThat(TopologicalSignals.cycleCoreMass(m, e, e.length)).as("round %d", round)
          .isCloseTo(plain, org.assertj.core.data.Offset.offset(1e-9));
    }
  }

  @Test
  void aboveTheWindowAHotStarDoesNotUseUpTheBudgetOfTheCyclesBehindIt() {
    // a hub called by 600 callers (ratio 1); 300 grand-callers each call two of them (ratio 0.5): 300 4-cycles
    int callers = 600;
    int grand = 300;
    int[] a = new int[callers + 2 * grand];
    int[] b = new int[a.length];
    int[] f = new int[a.length];
    for (int c = 0; c < callers; c++) {
      a[c] = 1 + c;
      b[c] = 0;
      f[c] = 50;
    }
    for (int g = 0; g < grand; g++) {
      for (int k = 0; k < 2; k++) {
        a[callers + 2 * g + k] = 1 + callers + g;
        b[callers + 2 * g + k] = 1 + 2 * g + k;
        f[callers + 2 * g + k] = 25;
      }
    }
    // up to 1 000 agents: the plain cut keeps the 512 hottest edges, the star, and sees no cycle
    assertThat(TopologicalSignals.retryCycleMass(failing(901, a, b, f))).isZero();
    // above: the star is peeled and costs nothing; 128 of the 4-cycles (4 pairs each) fill the 512, each
    // an essential class born at 0.5 and cut at 1
    assertThat(TopologicalSignals.retryCycleMass(failing(1500, a, b, f))).isCloseTo(64.0, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void oneScratchReusedAcrossModelsOfEverySizeGivesWhatAFreshOneGives() {
    // large then small then large again, both paths (plain up to 1 000 agents, core above): stale
    // entries of a bigger earlier call, or a renumbering table not reset, would change a later result
    io.aura.cascade.random.SplitMix64 rng = new io.aura.cascade.random.SplitMix64(24);
    TopologicalSignals.CycleScratch shared = new TopologicalSignals.CycleScratch();
    int cores = 0;
    for (int round = 0; round < 40; round++) {
      int n = rng.nextInt(2) == 0 ? 200 + rng.nextInt(800) : 1001 + rng.nextInt(4000);
      int edges = 3 + rng.nextInt(round % 3 == 0 ? 3000 : 400);
      LiveModel m = randomFailingGraph(rng, n, edges);
      double fresh = TopologicalSignals.retryCycleMass(m);
      if (n > FeatureExtractor.WINDOW_AGENTS && failingEdges(m).length > TopologicalSignals.MAX_FAILING_EDGES) {
        cores++;
      }
      assertThat(TopologicalSignals.retryCycleMass(m, shared)).as("round %d (n %d, %d edges)", round, n, edges)
          .isEqualTo(fresh);
    }
    assertThat(cores).as("rounds on the core path").isGreaterThanOrEqualTo(5);
    // cyclicFrom only filters what is peeled (a stale value would change the speed, not the core): its own check
    for (int round = 0; round < 40; round++) {
      int n = 2 + rng.nextInt(round % 2 == 0 ? 3000 : 50);
      int pairs = 1 + rng.nextInt(2 * n);
      int[] lo = new int[pairs];
      int[] hi = new int[pairs];
      for (int j = 0; j < pairs; j++) {
        lo[j] = rng.nextInt(n);
        hi[j] = rng.nextInt(n);
      }
      int[] reused = TopologicalSignals.cyclicFrom(n, pairs, lo, hi, shared);
      assertThat(java.util.Arrays.copyOf(reused, pairs)).as("cyclicFrom round %d", round)
          .isEqualTo(TopologicalSignals.cyclicFrom(n, lo, hi));
    }
  }

  /** The 2-core of a set of pairs (keys lo * n + hi), by repeated scans. */
  private static java.util.Set<Long> naiveCore(java.util.Collection<Long> pairs, int n) {
    java.util.Set<Long> core = new java.util.HashSet<>(pairs);
    boolean peeled = true;
    while (peeled) {
      int[] deg = new int[n];
      for (long p : core) {
        deg[(int) (p / n)]++;
        deg[(int) (p % n)]++;
      }
      peeled = core.removeIf(p -> deg[(int) (p / n)] == 1 || deg[(int) (p % n)] == 1);
    }
    return core;
  }

  @Test
  void theLongestHotPrefixWhoseCoreFitsIsTakenLikeANaiveReference() {
    io.aura.cascade.random.SplitMix64 rng = new io.aura.cascade.random.SplitMix64(22);
    for (int round = 0; round < 12; round++) {
      int n = 1001 + rng.nextInt(500);
      LiveModel m = randomFailingGraph(rng, n, TopologicalSignals.MAX_FAILING_EDGES + 1 + rng.nextInt(700));
      assertThat(TopologicalSignals.cycleCoreMass(m, failingEdges(m), failingEdges(m).length)).as("round %d", round)
          .isCloseTo(referenceCoreMass(m, n, true), org.assertj.core.data.Offset.offset(1e-9));
    }
  }

  @Test
  void manyFailingPairsWithALongAnswerGallopToTheSamePrefixAsABisectionOverAllOfThem() {
    // thousands of pairs spread thin over thousands of agents: cycles appear only after a few thousand
    // of the hottest pairs, so the search gallops past 1 024 and 2 048 before it bisects
    io.aura.cascade.random.SplitMix64 rng = new io.aura.cascade.random.SplitMix64(23);
    int galloped = 0;
    for (int round = 0; round < 6; round++) {
      int n = 4000 + rng.nextInt(3000);
      int edges = n + rng.nextInt(n);
      int[] a = new int[edges];
      int[] b = new int[edges];
      int[] f = new int[edges];
      for (int e = 0; e < edges; e++) {
        int x = rng.nextInt(n);
        int y = rng.nextInt(n);
        a[e] = x == y ? (x + 1) % n : x;
        b[e] = y;
        f[e] = 3 + rng.nextInt(48);
      }
      LiveModel m = failing(n, a, b, f);
      int[] e = failingEdges(m);
      double expected = referenceCoreMass(m, n, false);
      if (lastReferencePrefix > 2 * 2 * TopologicalSignals.MAX_FAILING_EDGES) {
        galloped++;
      }
      assertThat(TopologicalSignals.cycleCoreMass(m, e, e.length)).as("round %d", round)
          .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9));
    }
    assertThat(galloped).as("rounds whose answer lies beyond 2 048 pairs").isGreaterThanOrEqualTo(3);
  }

  /** The prefix length the last {@link #referenceCoreMass} call took. */
  private static int lastReferencePrefix;

  /**
   * The reference for {@code cycleCoreMass}: undirected pairs with their hottest ratio, hottest first by
   * 1 − p as a float, ties by pair; the longest prefix whose naive 2-core has at most 512 pairs, found by a
   * linear scan ({@code linear}) or by a bisection over all prefixes; the H1 mass of that core as its own
   * small system (plain path, no cut).
   */
  private static double referenceCoreMass(LiveModel m, int n, boolean linear) {
    int[] e = failingEdges(m);
    java.util.TreeMap<Long, Double> pairs = new java.util.TreeMap<>();
    for (int x : e) {
      int u = m.caller(x);
      int w = m.callee(x);
      if (u != w) {
        pairs.merge((long) Math.min(u, w) * n + Math.max(u, w), m.edgeFailureRatio(x), Math::max);
      }
    }
    java.util.List<Long> order = new java.util.ArrayList<>(pairs.keySet());
    order.sort((p, q) -> {
      int c = Float.compare((float) (1 - pairs.get(p)), (float) (1 - pairs.get(q)));
      return c != 0 ? c : Long.compare(p, q);
    });
    int budget = TopologicalSignals.MAX_FAILING_EDGES;
    java.util.Set<Long> kept = naiveCore(order, n);
    int take = order.size();
    if (kept.size() > budget) {
      if (linear) {
        take = budget;
        while (naiveCore(order.subList(0, take + 1), n).size() <= budget) {
          take++;
        }
      } else {
        int ok = budget;
        int bad = order.size();
        while (bad - ok > 1) {
          int mid = (ok + bad) >>> 1;
          if (naiveCore(order.subList(0, mid), n).size() <= budget) {
            ok = mid;
          } else {
            bad = mid;
          }
        }
        take = ok;
      }
      kept = naiveCore(order.subList(0, take), n);
    }
    lastReferencePrefix = take;
    java.util.List<Long> keptList = new java.util.ArrayList<>(new java.util.TreeSet<>(kept));
    int[] ra = new int[keptList.size()];
    int[] rb = new int[keptList.size()];
    int[] rf = new int[keptList.size()];
    java.util.Map<Integer, Integer> local = new java.util.HashMap<>();
    for (int i = 0; i < keptList.size(); i++) {
      long p = keptList.get(i);
      ra[i] = local.computeIfAbsent((int) (p / n), k -> local.size());
      rb[i] = local.computeIfAbsent((int) (p % n), k -> local.size());
      rf[i] = (int) Math.round(pairs.get(p) * 50);
    }
    return keptList.size() < 3 ? 0 : TopologicalSignals.retryCycleMass(failing(Math.max(local.size(), 1), ra, rb, rf));
  }
}
