package io.aura.tda;

import java.util.Arrays;

/**
 * The persistence landscape of a persistence diagram, held exactly as piecewise-linear functions.
 *
 * <p>Definition (Bubenik, "Statistical topological data analysis using persistence landscapes",
 * JMLR 16, 2015): each interval [b, d) gives the tent function
 * <pre>  f_(b,d)(t) = max(0, min(t - b, d - t)),</pre>
 * and the k-th landscape function, k = 1, 2, ..., is
 * <pre>  lambda_k(t) = k-th largest value of { f_(b_i,d_i)(t) : i }   (0 if there are fewer than k),</pre>
 * so lambda_1 >= lambda_2 >= ... >= 0, each lambda_k is piecewise linear with slopes in {-1, 0, 1}
 * and 1-Lipschitz. The norms are ||lambda||_p = (sum_k ||lambda_k||_p^p)^(1/p) for p = 1, 2 with
 * ||lambda_k||_p^p = integral over R of |lambda_k(t)|^p dt, and ||lambda||_inf = sup_k sup_t
 * |lambda_k(t)| = max lambda_1. The distance of two landscapes is the norm of their difference.
 *
 * <p>Construction: {@link #of(PersistenceDiagram, double)} computes the critical points (breakpoints)
 * of every lambda_k with Algorithm 1 of Bubenik &amp; Dlotko, "A persistence landscapes toolbox for
 * topological statistics", J. Symbolic Computation 78, 2017: intervals sorted by birth ascending,
 * death descending; each level repeatedly takes the next interval that outlives the current one,
 * appending the tent peaks, the crossing points ((b'+d)/2, (d-b')/2) and the zeros between tents,
 * and pushes the part of an overlapped interval below the crossing, [b', d), down to the next
 * level. Norms and distances integrate these piecewise-linear functions exactly between
 * breakpoints (trapezoid rule for L1, which is exact for linear pieces, split at sign changes of a
 * difference; (x1-x0)(y0^2 + y0 y1 + y1^2)/3 for the square), not from samples.
 * {@link #sample(PersistenceDiagram, double, int, UniformGrid)} evaluates the definition directly at
 * the grid points without building the breakpoints.
 *
 * <p>Essential intervals: a tent needs a finite death, so every essential interval [b, +Infinity)
 * is replaced by [b, max(b, maxScale)) with a finite {@code maxScale} the caller passes (for a
 * Vietoris–Rips result, {@link PersistenceResult#threshold()} is natural). Finite intervals are not
 * changed. Zero-length intervals have a zero tent and are dropped.
 *
 * <p>Complexity: building is O(n log n + n K + s) time for n intervals, K = {@link #depth()}
 * levels and s breakpoints in total (s <= 2n + 4 * number of crossings, O(n^2) in the worst case);
 * memory O(n + s). {@link #value} is O(log s_k); norms are O(s); a distance is O((s + s') log s).
 * The grid sampler is O(n log m + c log K + m K log K) where c <= n m is the number of
 * (interval, grid point) pairs with the point strictly inside the interval.
 *
 * <p>Numeric caveats: breakpoints are (b+d)/2 and (d-b)/2 in double, each exact to half an ulp;
 * values between breakpoints are linear interpolations, so {@link #value} may differ from the
 * definition evaluated directly by a few ulps of the interval ends. Integrals are plain double
 * sums. Interval ends large enough for b + d to overflow are not supported.
 *
 * <p>Immutable and thread-safe.
 */
public final class PersistenceLandscape {

    /** The norm used by {@link #norm(Norm)}, {@link #levelNorm(int, Norm)} and {@link #distance}. */
    public enum Norm {
        /** Integral of |f|, summed over levels. */
        L1,
        /** Square root of the integral of f^2 summed over levels. */
        L2,
        /** Supremum of |f| over all t and levels. */
        LINF
    }

    private final double[] xs; // breakpoints of all levels, concatenated, ascending within a level
    private final double[] ys;
    private final int[] start; // level k (1-based) occupies [start[k - 1], start[k])

    private PersistenceLandscape(double[] xs, double[] ys, int[] start) {
        this.xs = xs;
        this.ys = ys;
        this.start = start;
    }

    /**
     * The exact landscape of {@code diagram}, essential intervals cut at {@code maxScale}.
     *
     * @throws TdaInputException if maxScale is NaN or infinite
     */
    public static PersistenceLandscape of(PersistenceDiagram diagram, double maxScale) {
        ClippedIntervals.requireMaxScale(maxScale);
        int n = diagram.size();
        double[] b = new double[n];
        double[] d = new double[n];
        int c = 0;
        for (int i = 0; i < n; i++) {
            double bi = diagram.birth(i);
            double di = ClippedIntervals.clippedDeath(diagram, i, maxScale);
            if (di > bi) {
                b[c] = bi;
                d[c] = di;
                c++;
            }
        }
        return new Builder(Arrays.copyOf(b, c), Arrays.copyOf(d, c)).build();
    }

    /**
     * lambda_k(t_j) for k = 1..levels at the points t_j of {@code grid}, evaluated from the tent
     * functions by the definition (no breakpoints are built): element [k - 1][j] is lambda_k(t_j).
     *
     * @throws TdaInputException if maxScale is NaN or infinite, or levels < 1
     */
    public static double[][] sample(PersistenceDiagram diagram, double maxScale, int levels, UniformGrid grid) {
        ClippedIntervals.requireMaxScale(maxScale);
        requireLevels(levels);
        double[] t = grid.points();
        int m = t.length;
        double[] heap = new double[Math.multiplyExact(m, levels)]; // per grid point a min-heap of the top values
        int[] size = new int[m];
        int n = diagram.size();
        for (int i = 0; i < n; i++) {
            double b = diagram.birth(i);
            double d = ClippedIntervals.clippedDeath(diagram, i, maxScale);
            if (!(d > b)) {
                continue;
            }
            int from = BettiNumbers.countAtMost(t, b); // first t_j > b
            int to = countBelow(t, d); // first t_j >= d
            for (int j = from; j < to; j++) {
                double v = Math.min(t[j] - b, d - t[j]);
                if (v > 0) {
                    offer(heap, j * levels, size, j, levels, v);
                }
            }
        }
        double[][] out = new double[levels][m];
        for (int j = 0; j < m; j++) {
            int o = j * levels;
            int s = size[j];
            Arrays.sort(heap, o, o + s);
            for (int k = 0; k < s; k++) {
                out[k][j] = heap[o + s - 1 - k];
            }
        }
        return out;
    }

    /** The number K of levels that are not identically zero: lambda_k = 0 for every k > K. */
    public int depth() {
        return start.length - 1;
    }

    /**
     * lambda_k(t), from the breakpoints by linear interpolation; 0 for k > {@link #depth()}.
     *
     * @throws TdaInputException if k < 1 or t is NaN
     */
    public double value(int k, double t) {
        requireLevel(k);
        if (Double.isNaN(t)) {
            throw new TdaInputException("landscape argument t is NaN");
        }
        return k > depth() ? 0 : valueAt(start[k - 1], start[k], t);
    }

    /**
     * lambda_k(t_j) for k = 1..levels at the grid points, from the breakpoints; element
     * [k - 1][j] is lambda_k(t_j). Agrees with {@link #sample(PersistenceDiagram, double, int,
     * UniformGrid)} up to rounding.
     *
     * @throws TdaInputException if levels < 1
     */
    public double[][] sample(int levels, UniformGrid grid) {
        requireLevels(levels);
        double[] t = grid.points();
        double[][] out = new double[levels][t.length];
        for (int k = 1; k <= Math.min(levels, depth()); k++) {
            for (int j = 0; j < t.length; j++) {
                out[k - 1][j] = valueAt(start[k - 1], start[k], t[j]);
            }
        }
        return out;
    }

    /**
     * The breakpoints of lambda_k: element [0] holds the t values (non-decreasing), element [1] the
     * values lambda_k(t) there; lambda_k is linear between consecutive breakpoints and 0 outside
     * the first and last (which have value 0). Empty arrays for k > {@link #depth()}.
     *
     * @throws TdaInputException if k < 1
     */
    public double[][] breakpoints(int k) {
        requireLevel(k);
        if (k > depth()) {
            return new double[][] {new double[0], new double[0]};
        }
        return new double[][] {Arrays.copyOfRange(xs, start[k - 1], start[k]),
            Arrays.copyOfRange(ys, start[k - 1], start[k])};
    }

    /**
     * ||lambda_k||_p: the exact integral of lambda_k (L1), the square root of the exact integral of
     * lambda_k^2 (L2), or max lambda_k (LINF); 0 for k > {@link #depth()}.
     *
     * @throws TdaInputException if k < 1
     */
    public double levelNorm(int k, Norm norm) {
        requireLevel(k);
        if (k > depth()) {
            return 0;
        }
        double v = levelPower(k, norm);
        return norm == Norm.L2 ? Math.sqrt(v) : v;
    }

    /** ||lambda||_p = (sum_k ||lambda_k||_p^p)^(1/p), or max lambda_1 for LINF; exact integrals. */
    public double norm(Norm norm) {
        if (norm == Norm.LINF) {
            return depth() == 0 ? 0 : levelPower(1, Norm.LINF);
        }
        double sum = 0;
        for (int k = 1; k <= depth(); k++) {
            sum += levelPower(k, norm);
        }
        return norm == Norm.L2 ? Math.sqrt(sum) : sum;
    }

    /**
     * ||lambda - mu||_p for this landscape lambda and {@code other} mu, over all levels (a missing
     * level is 0), integrated exactly on the union of both breakpoint sets.
     */
    public double distance(PersistenceLandscape other, Norm norm) {
        int levels = Math.max(depth(), other.depth());
        double sum = 0;
        for (int k = 1; k <= levels; k++) {
            double v = levelDistancePower(other, k, norm);
            sum = norm == Norm.LINF ? Math.max(sum, v) : sum + v;
        }
        return norm == Norm.L2 ? Math.sqrt(sum) : sum;
    }

    /**
     * ||lambda_k - mu_k||_p for one level k (a missing level is 0), integrated exactly as in
     * {@link #distance}: for L1 and L2, {@code distance} is the sum of these (L1) or the root of the
     * sum of their squares (L2), for LINF their maximum. A caller that needs only distances below a
     * bound can stop summing levels once the bound is passed.
     *
     * @throws TdaInputException if k < 1
     */
    public double levelDistance(PersistenceLandscape other, int k, Norm norm) {
        requireLevel(k);
        double v = levelDistancePower(other, k, norm);
        return norm == Norm.L2 ? Math.sqrt(v) : v;
    }

    @Override
    public String toString() {
        return "PersistenceLandscape{depth=" + depth() + ", breakpoints=" + xs.length + "}";
    }

    /** ||lambda_k||_1, ||lambda_k||_2^2 or ||lambda_k||_inf for 1 <= k <= depth. */
    private double levelPower(int k, Norm norm) {
        int s = start[k - 1];
        int e = start[k];
        double acc = 0;
        switch (norm) {
            case L1 -> {
                for (int p = s + 1; p < e; p++) {
                    acc += (xs[p] - xs[p - 1]) * (ys[p - 1] + ys[p]) * 0.5;
                }
            }
            case L2 -> {
                for (int p = s + 1; p < e; p++) {
                    acc += (xs[p] - xs[p - 1]) * squareIntegrand(ys[p - 1], ys[p]);
                }
            }
            case LINF -> {
                for (int p = s; p < e; p++) {
                    acc = Math.max(acc, ys[p]);
                }
            }
        }
        return acc;
    }

    /** ||lambda_k - mu_k||_1, ||.||_2^2 or ||.||_inf for one level k >= 1. */
    private double levelDistancePower(PersistenceLandscape other, int k, Norm norm) {
        int as = k <= depth() ? start[k - 1] : 0;
        int ae = k <= depth() ? start[k] : 0;
        int bs = k <= other.depth() ? other.start[k - 1] : 0;
        int be = k <= other.depth() ? other.start[k] : 0;
        double[] bx = other.xs;
        double acc = 0;
        int p = as;
        int q = bs;
        boolean first = true;
        double x0 = 0;
        double u0 = 0;
        while (p < ae || q < be) {
            double x = q >= be || (p < ae && xs[p] <= bx[q]) ? xs[p++] : bx[q++];
            double u = valueAt(as, ae, x) - other.valueAt(bs, be, x);
            if (first) {
                first = false;
            } else if (x > x0) {
                double w = x - x0;
                switch (norm) {
                    case L1 -> {
                        double a0 = Math.abs(u0);
                        double a1 = Math.abs(u);
                        if ((u0 >= 0) == (u >= 0) || a0 + a1 == 0) {
                            acc += w * (a0 + a1) * 0.5;
                        } else { // the difference crosses zero inside the piece: two triangles
                            acc += w * (a0 * a0 + a1 * a1) / (2 * (a0 + a1));
                        }
                    }
                    case L2 -> acc += w * squareIntegrand(u0, u);
                    case LINF -> {
                        // the maximum of a piecewise-linear function is at a breakpoint
                    }
                }
            }
            if (norm == Norm.LINF) {
                acc = Math.max(acc, Math.abs(u));
            }
            x0 = x;
            u0 = u;
        }
        return acc;
    }

    /** (1/w) * integral over a piece of width w of the square of the line through y0 and y1. */
    private static double squareIntegrand(double y0, double y1) {
        return (y0 * y0 + y0 * y1 + y1 * y1) / 3;
    }

    /** The piecewise-linear function on breakpoints [s, e) at t (0 outside its support). */
    private double valueAt(int s, int e, double t) {
        if (e - s < 2 || !(t > xs[s]) || !(t < xs[e - 1])) {
            return 0;
        }
        // last p in [s, e - 1) with xs[p] <= t; then xs[p + 1] > t
        int lo = s;
        int hi = e - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (xs[mid] <= t) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double x0 = xs[lo];
        double x1 = xs[lo + 1];
        return ys[lo] + (ys[lo + 1] - ys[lo]) * ((t - x0) / (x1 - x0));
    }

    /** Number of entries of the ascending array that are {@code < x}. */
    private static int countBelow(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Offers v to the min-heap of capacity {@code cap} at heap[o..], holding size[j] values. */
    private static void offer(double[] heap, int o, int[] size, int j, int cap, double v) {
        int s = size[j];
        if (s < cap) {
            int c = s;
            while (c > 0) { // sift up
                int parent = (c - 1) >>> 1;
                if (heap[o + parent] <= v) {
                    break;
                }
                heap[o + c] = heap[o + parent];
                c = parent;
            }
            heap[o + c] = v;
            size[j] = s + 1;
        } else if (v > heap[o]) {
            int c = 0;
            while (true) { // sift down from the root
                int child = 2 * c + 1;
                if (child >= cap) {
                    break;
                }
                if (child + 1 < cap && heap[o + child + 1] < heap[o + child]) {
                    child++;
                }
                if (heap[o + child] >= v) {
                    break;
                }
                heap[o + c] = heap[o + child];
                c = child;
            }
            heap[o + c] = v;
        }
    }

    private static void requireLevels(int levels) {
        if (levels < 1) {
            throw new TdaInputException("the number of landscape levels must be >= 1, got " + levels);
        }
    }

    private static void requireLevel(int k) {
        if (k < 1) {
            throw new TdaInputException("landscape level k must be >= 1 (lambda_1 is the top level), got " + k);
        }
    }

    /**
     * Bubenik–Dlotko Algorithm 1 on intervals of positive length. The working list A is a circular
     * doubly linked list over primitive arrays with sentinel node 0, kept sorted by birth ascending,
     * then death descending; freed nodes are reused, so n + 1 nodes suffice (every insertion
     * follows a removal).
     */
    private static final class Builder {
        private final double[] nb;
        private final double[] nd;
        private final int[] next;
        private final int[] prev;
        private int freeTop;
        private final int[] free;
        private double[] outX = new double[16];
        private double[] outY = new double[16];
        private int outSize;
        private int[] levelStart = new int[8];
        private int levels;

        Builder(double[] births, double[] deaths) {
            int n = births.length;
            nb = new double[n + 1];
            nd = new double[n + 1];
            next = new int[n + 1];
            prev = new int[n + 1];
            free = new int[n + 1];
            sortIntervals(births, deaths);
            int last = 0;
            for (int r = 0; r < n; r++) {
                int node = r + 1;
                nb[node] = births[r];
                nd[node] = deaths[r];
                next[last] = node;
                prev[node] = last;
                last = node;
            }
            next[last] = 0;
            prev[0] = last;
        }

        PersistenceLandscape build() {
            while (next[0] != 0) {
                startLevel();
                int first = next[0];
                double b = nb[first];
                double d = nd[first];
                int scanPrev = prev[first];
                unlink(first);
                append(b, 0);
                append((b + d) * 0.5, (d - b) * 0.5);
                while (true) {
                    int q = next[scanPrev];
                    while (q != 0 && nd[q] <= d) {
                        q = next[q];
                    }
                    if (q == 0) { // d is at least every remaining death after the position
                        append(d, 0);
                        break;
                    }
                    double b2 = nb[q];
                    double d2 = nd[q];
                    scanPrev = prev[q];
                    unlink(q);
                    if (b2 > d) {
                        append(d, 0);
                    }
                    if (b2 >= d) {
                        append(b2, 0);
                    } else {
                        append((b2 + d) * 0.5, (d - b2) * 0.5);
                        insertSorted(b2, d, scanPrev);
                    }
                    append((b2 + d2) * 0.5, (d2 - b2) * 0.5);
                    b = b2;
                    d = d2;
                }
            }
            startLevel();
            return new PersistenceLandscape(Arrays.copyOf(outX, outSize), Arrays.copyOf(outY, outSize),
                    Arrays.copyOf(levelStart, levels));
        }

        /** Records where the next level starts (also closes the last level). */
        private void startLevel() {
            if (levels == levelStart.length) {
                levelStart = Arrays.copyOf(levelStart, 2 * levels);
            }
            levelStart[levels++] = outSize;
        }

        private void append(double x, double y) {
            if (outSize == outX.length) {
                outX = Arrays.copyOf(outX, Math.multiplyExact(outSize, 2));
                outY = Arrays.copyOf(outY, outX.length);
            }
            outX[outSize] = x;
            outY[outSize] = y;
            outSize++;
        }

        private void unlink(int node) {
            next[prev[node]] = next[node];
            prev[next[node]] = prev[node];
            free[freeTop++] = node;
        }

        /** Inserts (b, d) at its sorted place, searching from node {@code near} in both directions. */
        private void insertSorted(double b, double d, int near) {
            int at = near;
            while (at != 0 && after(at, b, d)) {
                at = prev[at];
            }
            while (next[at] != 0 && !after(next[at], b, d)) {
                at = next[at];
            }
            int node = free[--freeTop];
            nb[node] = b;
            nd[node] = d;
            next[node] = next[at];
            prev[node] = at;
            prev[next[at]] = node;
            next[at] = node;
        }

        /** Whether node x sorts strictly after (b, d): larger birth, or equal birth and smaller death. */
        private boolean after(int x, double b, double d) {
            return nb[x] > b || (nb[x] == b && nd[x] < d);
        }

        /**
         * Sorts the intervals (births[i], deaths[i]) in place by birth ascending, then death
         * descending, through one sort of packed ranks (birth rank high, complemented death rank low).
         */
        private static void sortIntervals(double[] births, double[] deaths) {
            int n = births.length;
            double[] ub = births.clone();
            double[] ud = deaths.clone();
            Arrays.sort(ub);
            Arrays.sort(ud);
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                // binarySearch is deterministic, so equal values always get the same index
                long rb = Arrays.binarySearch(ub, births[i]);
                long rd = Arrays.binarySearch(ud, deaths[i]);
                keys[i] = rb << 32 | (0xFFFF_FFFFL - rd);
            }
            Arrays.sort(keys);
            for (int i = 0; i < n; i++) {
                births[i] = ub[(int) (keys[i] >>> 32)];
                deaths[i] = ud[(int) (0xFFFF_FFFFL - (keys[i] & 0xFFFF_FFFFL))];
            }
        }
    }
}
