package io.aura.tda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The exact bottleneck distance between two persistence diagrams, and an optimal matching.
 *
 * <p>Definition (Cohen-Steiner, Edelsbrunner &amp; Harer, "Stability of persistence diagrams", DCG 37,
 * 2007; Edelsbrunner &amp; Harer, "Computational Topology", AMS 2010, VIII.2): a partial matching of
 * diagrams X and Y pairs some points of X with distinct points of Y and sends every other point to
 * the diagonal; its cost is the largest of the L-infinity distances
 * ||(b, d) - (b', d')||_inf = max(|b - b'|, |d - d'|) of the matched pairs and the distances
 * (d - b) / 2 of the unmatched points to the diagonal. The bottleneck distance is the least cost
 * over all partial matchings. Essential points (death +Infinity) can only be matched among
 * themselves, at cost |b - b'|: if X and Y have different numbers of essential points the distance
 * is +Infinity; otherwise the essential points are matched in order of birth, which is optimal for
 * points on a line. The result is max(essential cost, finite cost).
 *
 * <p>Algorithm for the finite points (Efrat, Itai &amp; Katz, "Geometry helps in bottleneck
 * matching", Algorithmica 31, 2001; Kerber, Morozov &amp; Nigmetov, "Geometry helps to compare
 * persistence diagrams", ACM JEA 22, 2017): with n and m finite points, the bipartite graph has left
 * vertices X plus a diagonal copy of each point of Y and right vertices Y plus a diagonal copy of
 * each point of X; x - y has the ground distance, x - x' and y' - y the distance to the diagonal, and
 * y' - x' (two diagonal copies) cost 0 but only when x - y is an edge. That last restriction keeps
 * the graph sparse and loses nothing: a perfect matching of the complete construction matches k
 * points of X to points of Y, and exactly the diagonal copies of those 2k points are left to pair
 * with each other, along edges x_i - y_j that exist. A distance eps is feasible iff the edges of cost
 * <= eps contain a perfect matching, found with Hopcroft–Karp ("An n^(5/2) algorithm for maximum
 * matchings in bipartite graphs", SIAM J. Comput. 2, 1973). The answer is the smallest feasible
 * candidate among 0, the distances to the diagonal and the pairwise distances no larger than
 * U = the largest distance to the diagonal (matching everything to the diagonal costs U). The
 * search runs over the sorted candidates: from the lower bound "every vertex needs its cheapest
 * edge" upwards in doubling steps, then by bisection of the last bracket (a test near the bottom
 * is cheap because only the edges up to the candidate are scanned), so the result is exactly one
 * of these doubles.
 *
 * <p>Complexity: O(n m log(n m)) to collect and sort the candidates, then O(log(n m)) matchings of
 * O(E sqrt(n + m)) each with E <= 2 n m + n + m edges; memory O(n m) in the worst case (fewer
 * when many pairs are farther apart than U). Meant for diagrams of up to a few thousand points:
 * measured about 1.3 s for two random diagrams of 2000 points and 5 s for 4000 (one core).
 *
 * <p>Numeric caveats: ground distances are computed as max(|b - b'|, |d - d'|) and (d - b) / 2 in
 * double, each rounded once; feasibility compares candidate ranks, so the search and the matching
 * agree exactly on which edges exist. Because of that rounding the triangle inequality holds only
 * up to a few ulps.
 *
 * <p>Both diagrams must be of the same homology dimension. Thread-safe: stateless; each call
 * allocates its own working arrays.
 */
public final class BottleneckDistance {
    /** The index used in a {@link Pair} for the diagonal. */
    public static final int DIAGONAL = -1;

    private BottleneckDistance() {
    }

    /**
     * One pair of an optimal matching.
     *
     * @param first index of an interval of the first diagram, or {@link #DIAGONAL}
     * @param second index of an interval of the second diagram, or {@link #DIAGONAL}
     * @param cost the L-infinity distance of the two points, or of the point to the diagonal
     *     (+Infinity for an essential point sent to the diagonal)
     */
    public record Pair(int first, int second, double cost) {
    }

    /**
     * An optimal matching and its cost.
     *
     * @param distance the bottleneck distance, the largest cost in {@code pairs}
     * @param pairs every interval of both diagrams appears exactly once; pairs of the first diagram's
     *     intervals in index order come first, then intervals of the second diagram matched to the
     *     diagonal in index order
     */
    public record Matching(double distance, List<Pair> pairs) {
        public Matching {
            pairs = List.copyOf(pairs);
        }
    }

    /**
     * The bottleneck distance d_B(first, second).
     *
     * @throws TdaInputException if the diagrams have different dimensions
     */
    public static double distance(PersistenceDiagram first, PersistenceDiagram second) {
        requireSameDimension(first, second);
        Essentials essentials = new Essentials(first, second);
        if (essentials.cost == Double.POSITIVE_INFINITY) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.max(essentials.cost, new Solver(first, second).solve());
    }

    /**
     * An optimal matching between {@code first} and {@code second} together with d_B. When the
     * numbers of essential intervals differ, the surplus essential intervals are matched to the
     * diagonal at cost +Infinity and the rest of the matching is still optimal for the finite part.
     *
     * @throws TdaInputException if the diagrams have different dimensions
     */
    public static Matching matching(PersistenceDiagram first, PersistenceDiagram second) {
        requireSameDimension(first, second);
        Essentials essentials = new Essentials(first, second);
        Solver solver = new Solver(first, second);
        double finite = solver.solve();
        List<Pair> pairs = new ArrayList<>(first.size() + second.size());
        int[] essentialPartnerOfFirst = essentials.partnersOfFirst(first.size());
        boolean[] secondUsed = new boolean[second.size()];
        for (int i = 0, fi = 0; i < first.size(); i++) {
            if (first.isEssential(i)) {
                int j = essentialPartnerOfFirst[i];
                if (j == DIAGONAL) {
                    pairs.add(new Pair(i, DIAGONAL, Double.POSITIVE_INFINITY));
                } else {
                    secondUsed[j] = true;
                    pairs.add(new Pair(i, j, Math.abs(first.birth(i) - second.birth(j))));
                }
            } else {
                int v = solver.matchL[fi];
                if (v < solver.m) {
                    int j = solver.bIndex[v];
                    secondUsed[j] = true;
                    pairs.add(new Pair(i, j, solver.cost(fi, v)));
                } else {
                    pairs.add(new Pair(i, DIAGONAL, solver.aHalf[fi]));
                }
                fi++;
            }
        }
        for (int j = 0; j < second.size(); j++) {
            if (!secondUsed[j]) {
                pairs.add(new Pair(DIAGONAL, j, second.isEssential(j) ? Double.POSITIVE_INFINITY
                        : (second.death(j) - second.birth(j)) * 0.5));
            }
        }
        return new Matching(Math.max(essentials.cost, finite), pairs);
    }

    private static void requireSameDimension(PersistenceDiagram first, PersistenceDiagram second) {
        if (first.dimension() != second.dimension()) {
            throw new TdaInputException("cannot compare a diagram of dimension " + first.dimension()
                    + " with one of dimension " + second.dimension() + "; pass diagrams of the same dimension");
        }
    }

    /** The essential intervals of both diagrams, matched in order of birth. */
    private static final class Essentials {
        final int[] first; // original indices, sorted by birth
        final int[] second;
        final double cost;

        Essentials(PersistenceDiagram a, PersistenceDiagram b) {
            first = essentialsByBirth(a);
            second = essentialsByBirth(b);
            if (first.length != second.length) {
                cost = Double.POSITIVE_INFINITY;
            } else {
                double c = 0;
                for (int k = 0; k < first.length; k++) {
                    c = Math.max(c, Math.abs(a.birth(first[k]) - b.birth(second[k])));
                }
                cost = c;
            }
        }

        /** For each interval of the first diagram, its essential partner in the second, or DIAGONAL. */
        int[] partnersOfFirst(int size) {
            int[] partner = new int[size];
            Arrays.fill(partner, DIAGONAL);
            for (int k = 0; k < Math.min(first.length, second.length); k++) {
                partner[first[k]] = second[k];
            }
            return partner;
        }

        private static int[] essentialsByBirth(PersistenceDiagram d) {
            int count = d.essentialCount();
            double[] births = new double[count];
            for (int i = 0, c = 0; i < d.size(); i++) {
                if (d.isEssential(i)) {
                    births[c++] = d.birth(i);
                }
            }
            double[] sorted = births.clone();
            Arrays.sort(sorted);
            long[] keys = new long[count];
            for (int i = 0, c = 0; i < d.size(); i++) {
                if (d.isEssential(i)) {
                    keys[c++] = (long) Arrays.binarySearch(sorted, d.birth(i)) << 32 | i;
                }
            }
            Arrays.sort(keys);
            int[] order = new int[count];
            for (int k = 0; k < count; k++) {
                order[k] = (int) keys[k];
            }
            return order;
        }
    }

    /**
     * Binary search over candidate costs with a Hopcroft–Karp feasibility test on the finite points.
     * Left vertices: 0..n-1 the points of A, n..n+m-1 the diagonal copies of the points of B. Right
     * vertices: 0..m-1 the points of B, m..m+n-1 the diagonal copies of the points of A. Each left
     * vertex's edges are one packed long (cost rank << 32 | right vertex), sorted ascending, so the
     * edges of cost <= candidate r form a prefix of the row.
     */
    private static final class Solver {
        private static final int INF = Integer.MAX_VALUE;

        final int n;
        final int m;
        final double[] aBirth;
        final double[] aDeath;
        final double[] aHalf;
        final double[] bBirth;
        final double[] bDeath;
        final double[] bHalf;
        final int[] bIndex; // original index of finite point j of B
        double[] candidates;
        int[] rowStart;
        long[] edges;
        int[] matchL;
        int[] matchR;
        private int[] dist;
        private int[] it;
        private int[] queue;
        private int[] stack;

        Solver(PersistenceDiagram a, PersistenceDiagram b) {
            n = a.size() - a.essentialCount();
            m = b.size() - b.essentialCount();
            aBirth = new double[n];
            aDeath = new double[n];
            aHalf = new double[n];
            bBirth = new double[m];
            bDeath = new double[m];
            bHalf = new double[m];
            bIndex = new int[m];
            for (int i = 0, c = 0; i < a.size(); i++) {
                if (!a.isEssential(i)) {
                    aBirth[c] = a.birth(i);
                    aDeath[c] = a.death(i);
                    aHalf[c] = (aDeath[c] - aBirth[c]) * 0.5;
                    c++;
                }
            }
            for (int j = 0, c = 0; j < b.size(); j++) {
                if (!b.isEssential(j)) {
                    bBirth[c] = b.birth(j);
                    bDeath[c] = b.death(j);
                    bHalf[c] = (bDeath[c] - bBirth[c]) * 0.5;
                    bIndex[c] = j;
                    c++;
                }
            }
        }

        double cost(int i, int j) {
            return Math.max(Math.abs(aBirth[i] - bBirth[j]), Math.abs(aDeath[i] - bDeath[j]));
        }

        /** The finite bottleneck cost; leaves an optimal perfect matching in matchL / matchR. */
        double solve() {
            int left = n + m;
            matchL = new int[left];
            matchR = new int[left];
            if (left == 0) {
                return 0;
            }
            double upper = 0;
            for (double h : aHalf) {
                upper = Math.max(upper, h);
            }
            for (double h : bHalf) {
                upper = Math.max(upper, h);
            }
            buildGraph(upper);
            // every point is matched to something, so the answer is at least the largest over points
            // of the cheapest edge at that point; feasibility is monotone in the rank, and a matching
            // test costs about the number of edges below the rank, so search upwards from that bound
            // with doubling steps (exponential search), then bisect the last bracket
            int lo = lowerBoundRank();
            int top = Arrays.binarySearch(candidates, upper); // feasible: everything to the diagonal
            int hi = top;
            boolean haveHi = false;
            for (int step = 1, probe = lo; probe < top; step = (int) Math.min(2L * step, top)) {
                if (feasible(probe)) {
                    hi = probe;
                    haveHi = true;
                    break;
                }
                lo = probe + 1;
                probe = (int) Math.min((long) probe + step, top);
            }
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (feasible(mid)) {
                    hi = mid;
                    haveHi = true;
                } else {
                    lo = mid + 1;
                    haveHi = false;
                }
            }
            if (!haveHi && !feasible(lo)) {
                throw new IllegalStateException("no perfect matching at the upper bound " + upper);
            }
            return candidates[lo];
        }

        private void buildGraph(double upper) {
            rowStart = new int[n + m + 1];
            long edgeCount = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    if (cost(i, j) <= upper) {
                        rowStart[i + 1]++;
                        rowStart[n + j + 1]++;
                        edgeCount++;
                    }
                }
            }
            long total = 2 * edgeCount + n + m;
            if (total > Integer.MAX_VALUE - 16) {
                throw new TdaInputException("diagrams of " + n + " and " + m + " finite points give " + total
                        + " matching edges, more than one array holds; compare smaller diagrams");
            }
            double[] values = new double[(int) (edgeCount + n + m + 1)];
            int c = 0;
            values[c++] = 0;
            for (double h : aHalf) {
                values[c++] = h;
            }
            for (double h : bHalf) {
                values[c++] = h;
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    double w = cost(i, j);
                    if (w <= upper) {
                        values[c++] = w;
                    }
                }
            }
            Arrays.sort(values);
            int unique = 0;
            for (int k = 0; k < values.length; k++) {
                if (k == 0 || values[k] != values[unique - 1]) {
                    values[unique++] = values[k];
                }
            }
            candidates = Arrays.copyOf(values, unique);
            for (int u = 0; u < n + m; u++) {
                rowStart[u + 1] += rowStart[u] + 1; // + 1 for the edge to the diagonal
            }
            edges = new long[(int) total];
            int[] fill = Arrays.copyOf(rowStart, n + m);
            for (int i = 0; i < n; i++) {
                edges[fill[i]++] = packEdge(aHalf[i], m + i); // a_i - its diagonal copy
            }
            for (int j = 0; j < m; j++) {
                edges[fill[n + j]++] = packEdge(bHalf[j], j); // diagonal copy of b_j - b_j
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    double w = cost(i, j);
                    if (w <= upper) {
                        edges[fill[i]++] = packEdge(w, j); // a_i - b_j
                        edges[fill[n + j]++] = packEdge(0, m + i); // copy of b_j - copy of a_i
                    }
                }
            }
            for (int u = 0; u < n + m; u++) {
                Arrays.sort(edges, rowStart[u], rowStart[u + 1]);
            }
            dist = new int[n + m];
            it = new int[n + m];
            queue = new int[n + m];
            stack = new int[n + m + 1];
        }

        /** max over left and right vertices of the rank of their cheapest edge. */
        private int lowerBoundRank() {
            int bound = 0;
            int[] cheapestRight = new int[n + m];
            Arrays.fill(cheapestRight, Integer.MAX_VALUE);
            for (int u = 0; u < n + m; u++) {
                bound = Math.max(bound, rankOf(edges[rowStart[u]])); // rows are sorted, never empty
                for (int e = rowStart[u]; e < rowStart[u + 1]; e++) {
                    int v = rightOf(edges[e]);
                    cheapestRight[v] = Math.min(cheapestRight[v], rankOf(edges[e]));
                }
            }
            for (int r : cheapestRight) {
                bound = Math.max(bound, r);
            }
            return bound;
        }

        private long packEdge(double cost, int right) {
            return (long) Arrays.binarySearch(candidates, cost) << 32 | right;
        }

        private static int rankOf(long edge) {
            return (int) (edge >>> 32);
        }

        private static int rightOf(long edge) {
            return (int) edge;
        }

        /** Whether the edges of cost rank <= r contain a perfect matching (Hopcroft–Karp). */
        private boolean feasible(int r) {
            int left = n + m;
            Arrays.fill(matchL, -1);
            Arrays.fill(matchR, -1);
            int matched = 0;
            for (int u = 0; u < left; u++) { // greedy start
                for (int e = rowStart[u]; e < rowStart[u + 1] && rankOf(edges[e]) <= r; e++) {
                    int v = rightOf(edges[e]);
                    if (matchR[v] < 0) {
                        matchR[v] = u;
                        matchL[u] = v;
                        matched++;
                        break;
                    }
                }
            }
            while (matched < left && layer(r)) {
                for (int u = 0; u < left; u++) {
                    it[u] = rowStart[u];
                }
                for (int u = 0; u < left; u++) {
                    if (matchL[u] < 0 && augment(u, r)) {
                        matched++;
                    }
                }
            }
            return matched == left;
        }

        /** BFS from the free left vertices; true if some free right vertex is reachable. */
        private boolean layer(int r) {
            int head = 0;
            int tail = 0;
            for (int u = 0; u < n + m; u++) {
                if (matchL[u] < 0) {
                    dist[u] = 0;
                    queue[tail++] = u;
                } else {
                    dist[u] = INF;
                }
            }
            boolean found = false;
            while (head < tail) {
                int u = queue[head++];
                for (int e = rowStart[u]; e < rowStart[u + 1] && rankOf(edges[e]) <= r; e++) {
                    int w = matchR[rightOf(edges[e])];
                    if (w < 0) {
                        found = true;
                    } else if (dist[w] == INF) {
                        dist[w] = dist[u] + 1;
                        queue[tail++] = w;
                    }
                }
            }
            return found;
        }

        /** Iterative layered DFS from the free left vertex root; augments and returns true on success. */
        private boolean augment(int root, int r) {
            int sp = 0;
            stack[sp++] = root;
            while (sp > 0) {
                int u = stack[sp - 1];
                int e = it[u];
                if (e >= rowStart[u + 1] || rankOf(edges[e]) > r) { // dead end: remove u from the layers
                    dist[u] = INF;
                    sp--;
                    if (sp > 0) {
                        it[stack[sp - 1]]++;
                    }
                    continue;
                }
                int v = rightOf(edges[e]);
                int w = matchR[v];
                if (w < 0) {
                    for (int s = sp - 1; s >= 0; s--) {
                        int uu = stack[s];
                        int vv = rightOf(edges[it[uu]]);
                        matchR[vv] = uu;
                        matchL[uu] = vv;
                    }
                    return true;
                }
                if (dist[w] != INF && dist[w] == dist[u] + 1) {
                    stack[sp++] = w;
                } else {
                    it[u]++;
                }
            }
            return false;
        }
    }
}
