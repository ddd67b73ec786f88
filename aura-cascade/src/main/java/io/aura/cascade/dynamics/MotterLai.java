package io.aura.cascade.dynamics;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.graph.UndirectedGraph;
import io.aura.cascade.random.SplitMix64;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * D1: Motter–Lai load-redistribution cascades (A. E. Motter and Y.-C. Lai, "Cascade-based attacks
 * on complex networks", Phys. Rev. E 66, 065102(R), 2002) with the intentional-removal defence of
 * A. E. Motter, "Cascade control and defense in complex networks", PRL 93, 098701 (2004), exactly as
 * CPB spec sections 3 (D1) and 9 define them:
 * <ul>
 *   <li>load L_i = ordered-pair shortest-path betweenness on the surviving undirected graph
 *       ({@link Betweenness}); capacity {@code C_i = (1+α)·L_i(0)};</li>
 *   <li>loads are rounded to 1e-6 (round-half-even on the exact binary value, like Python's
 *       {@code round(x, 6)}) before any sort; the trigger is the node with the largest rounded
 *       initial load, ties by lowest id;</li>
 *   <li>defences, applied together with the trigger before the first recomputation:
 *       {@code none}; {@code lowload(f)}: the k = round(f·N) nodes (round-half-even) with the
 *       smallest rounded initial load, ties by lowest id, trigger excluded; {@code random(f)}: k
 *       nodes drawn from the list of all ids except the trigger, in id order, with
 *       {@code SplitMix64(1000003·seed + floor(100·f))}, {@code nextInt(len(list))} per draw,
 *       repeats rejected;</li>
 *   <li>cascade: repeat { recompute L on survivors; remove simultaneously every alive node with
 *       {@code L_i > C_i + 1e-9·max(1, C_i)} } until a round removes none;</li>
 *   <li>outputs: G = largest surviving component / N (defence-removed nodes count as lost),
 *       S = overload-removed nodes / N (trigger and defence nodes not counted), the overload-failed
 *       count, and steps = the number of rounds that removed at least one node.</li>
 * </ul>
 * Recomputation is incremental but exact: betweenness never crosses components, so after a removal
 * only the components that contained a removed node's neighbour are recomputed (sources in
 * ascending id order, as in a full pass, hence bit-identical loads).
 *
 * <p>For large graphs (spec: N &gt; 5 000) a {@link #prepareSampled pivot-sampled} instance uses
 * the fixed pivot set for L(0) and every recomputation, with the constant scale N/k (a removed pivot
 * contributes 0, as a removed source does in the exact sum); its pivots run in parallel in fixed
 * blocks (see {@link Betweenness}), so its results do not depend on the number of cores.
 *
 * <p>An instance holds the graph and its initial loads; it is immutable and {@link #run} is
 * thread-safe (each run allocates its own O(N) scratch), so runs of one seed may go in parallel.
 */
public final class MotterLai {
    private final UndirectedGraph graph;
    private final int[] off;
    private final int[] adj;
    private final int[] pivots; // null: exact
    private final double[] initialLoad;
    private final double[] roundedInitialLoad;
    private final int trigger;

    /** The kind of intentional-removal defence. */
    public enum DefenceKind {
        /** No defence. */
        NONE,
        /** Remove the k nodes with the smallest initial load (Motter 2004). */
        LOWLOAD,
        /** Remove k uniformly random nodes (the RAND control). */
        RANDOM
    }

    /**
     * A defence and its fraction f of N (0 for {@link DefenceKind#NONE}).
     *
     * @param kind the kind
     * @param fraction f in [0, 1)
     */
    public record Defence(DefenceKind kind, double fraction) {
        /** Validates the fraction. */
        public Defence {
            if (kind == null) {
                throw new CascadeInputException("defence kind must be given");
            }
            if (!(fraction >= 0 && fraction < 1)) {
                throw new CascadeInputException("defence fraction must be in [0, 1), got " + fraction);
            }
            if (kind == DefenceKind.NONE && fraction != 0) {
                throw new CascadeInputException("defence none takes fraction 0, got " + fraction);
            }
        }

        /** No defence. */
        public static Defence none() {
            return new Defence(DefenceKind.NONE, 0);
        }

        /** Low-load intentional removal of a fraction f. */
        public static Defence lowLoad(double f) {
            return new Defence(DefenceKind.LOWLOAD, f);
        }

        /** Random removal of a fraction f. */
        public static Defence random(double f) {
            return new Defence(DefenceKind.RANDOM, f);
        }
    }

    /**
     * The outcome of one cascade.
     *
     * @param largestComponentFraction G
     * @param overloadFraction S
     * @param overloadFailed the number of overload-removed nodes (S·N)
     * @param steps rounds that removed at least one node
     * @param defenceRemoved the number of nodes the defence removed
     */
    public record Result(double largestComponentFraction, double overloadFraction, int overloadFailed,
            int steps, int defenceRemoved) {
    }

    private MotterLai(UndirectedGraph graph, int[] pivots) {
        this.graph = graph;
        this.off = graph.offsets();
        this.adj = graph.targets();
        this.pivots = pivots;
        int n = graph.nodeCount();
        if (n < 2) {
            throw new CascadeInputException("Motter-Lai needs at least 2 nodes, got " + n);
        }
        this.initialLoad = pivots == null ? Betweenness.exact(graph) : Betweenness.pivotSampled(graph, pivots);
        this.roundedInitialLoad = new double[n];
        int best = 0;
        for (int i = 0; i < n; i++) {
            roundedInitialLoad[i] = round6(initialLoad[i]);
            if (roundedInitialLoad[i] > roundedInitialLoad[best]) {
                best = i;
            }
        }
        this.trigger = best;
    }

    /** An instance with exact Brandes loads (the section 9 conformance procedure). */
    public static MotterLai prepare(UndirectedGraph graph) {
        return new MotterLai(graph, null);
    }

    /** An instance with pivot-sampled loads (spec D1 for N &gt; 5 000): pivots from {@code graphStream}. */
    public static MotterLai prepareSampled(UndirectedGraph graph, int pivotCount, SplitMix64 graphStream) {
        return new MotterLai(graph, Betweenness.pivots(graph.nodeCount(), pivotCount, graphStream));
    }

    /** The graph. */
    public UndirectedGraph graph() {
        return graph;
    }

    /** A copy of the initial loads L(0). */
    public double[] initialLoads() {
        return initialLoad.clone();
    }

    /** The trigger: the node with the largest rounded initial load, ties by lowest id. */
    public int trigger() {
        return trigger;
    }

    /**
     * Runs one cascade with tolerance α, the given defence and the run seed (used by the random
     * defence only).
     *
     * @throws CascadeInputException if α is negative or not finite, or the defence would remove
     *     more nodes than there are besides the trigger
     */
    public Result run(double alpha, Defence defence, long seed) {
        return run(new double[] {alpha}, defence, seed)[0];
    }

    /**
     * Runs one cascade per tolerance in {@code alphas} with the same defence and seed; element i
     * of the result belongs to {@code alphas[i]}. The first recomputation after the trigger and
     * defence removal does not depend on α, so it is done once and shared (results are identical
     * to separate {@link #run(double, Defence, long)} calls).
     *
     * @throws CascadeInputException if an α is negative or not finite, or the defence would remove
     *     more nodes than there are besides the trigger
     */
    public Result[] run(double[] alphas, Defence defence, long seed) {
        for (double alpha : alphas) {
            if (!(alpha >= 0) || Double.isInfinite(alpha)) {
                throw new CascadeInputException("tolerance alpha must be finite and >= 0, got " + alpha);
            }
        }
        int n = graph.nodeCount();
        int k = defence.kind() == DefenceKind.NONE ? 0 : (int) Math.rint(defence.fraction() * n);
        if (k > n - 1) {
            throw new CascadeInputException("defence fraction " + defence.fraction() + " removes " + k
                    + " nodes but only " + (n - 1) + " remain besides the trigger");
        }
        boolean[] isPivot = null;
        double scale = 1.0;
        if (pivots != null) {
            isPivot = new boolean[n];
            for (int p : pivots) {
                isPivot[p] = true;
            }
            scale = (double) n / pivots.length;
        }
        boolean[] alive0 = new boolean[n];
        Arrays.fill(alive0, true);
        int[] removed = new int[n];
        int removedCount = 0;
        BrandesKernel kernel = new BrandesKernel(off, adj);
        Scratch scratch = new Scratch(n);
        alive0[trigger] = false;
        kernel.markDead(trigger);
        removed[removedCount++] = trigger;
        int[] defenceNodes = defenceNodes(defence, k, seed);
        for (int v : defenceNodes) {
            alive0[v] = false;
            kernel.markDead(v);
            removed[removedCount++] = v;
        }
        double[] load0 = initialLoad.clone();
        recomputeAffected(removed, removedCount, alive0, load0, kernel, scratch, isPivot, scale);

        Result[] results = new Result[alphas.length];
        double[] capacity = new double[n];
        int[] over = new int[n];
        for (int a = 0; a < alphas.length; a++) {
            double alpha = alphas[a];
            for (int i = 0; i < n; i++) {
                capacity[i] = (1.0 + alpha) * initialLoad[i];
            }
            boolean[] alive = alive0.clone();
            double[] load = load0.clone();
            if (a > 0) {
                kernel = new BrandesKernel(off, adj);
                for (int i = 0; i < n; i++) {
                    if (!alive[i]) {
                        kernel.markDead(i);
                    }
                }
            }
            int failed = 0;
            int steps = 0;
            while (true) {
                int overCount = 0;
                for (int i = 0; i < n; i++) {
                    if (alive[i] && load[i] > capacity[i] + 1e-9 * Math.max(1.0, capacity[i])) {
                        over[overCount++] = i;
                    }
                }
                if (overCount == 0) {
                    break;
                }
                steps++;
                failed += overCount;
                for (int q = 0; q < overCount; q++) {
                    alive[over[q]] = false;
                    kernel.markDead(over[q]);
                    load[over[q]] = 0;
                }
                recomputeAffected(over, overCount, alive, load, kernel, scratch, isPivot, scale);
            }
            int giant = largestComponent(alive, scratch);
            results[a] = new Result((double) giant / n, (double) failed / n, failed, steps, defenceNodes.length);
        }
        return results;
    }

    private int[] defenceNodes(Defence defence, int k, long seed) {
        int n = graph.nodeCount();
        int[] out = new int[k];
        if (k == 0) {
            return out;
        }
        if (defence.kind() == DefenceKind.LOWLOAD) {
            int[] ids = new int[n - 1];
            int c = 0;
            for (int i = 0; i < n; i++) {
                if (i != trigger) {
                    ids[c++] = i;
                }
            }
            IdSort.byKeyThenId(ids, roundedInitialLoad);
            System.arraycopy(ids, 0, out, 0, k);
            return out;
        }
        int[] list = new int[n - 1];
        int c = 0;
        for (int i = 0; i < n; i++) {
            if (i != trigger) {
                list[c++] = i;
            }
        }
        SplitMix64 rng = new SplitMix64(1000003L * seed + (long) Math.floor(100 * defence.fraction()));
        boolean[] taken = new boolean[n];
        int got = 0;
        while (got < k) {
            int v = list[rng.nextInt(list.length)];
            if (!taken[v]) {
                taken[v] = true;
                out[got++] = v;
            }
        }
        return out;
    }

    /** Per-run scratch for component searches. */
    private static final class Scratch {
        final int[] comp;
        final int[] queue;
        final int[] members;
        int stamp;

        Scratch(int n) {
            comp = new int[n];
            queue = new int[n];
            members = new int[n];
        }
    }

    /**
     * Recomputes the loads of every alive node in a component that contains an alive neighbour of
     * a just-removed node; other components keep their loads (betweenness never crosses them).
     */
    private void recomputeAffected(int[] removed, int removedCount, boolean[] alive, double[] load,
            BrandesKernel kernel, Scratch sc, boolean[] isPivot, double scale) {
        int stamp = ++sc.stamp;
        int count = 0;
        for (int r = 0; r < removedCount; r++) {
            int x = removed[r];
            load[x] = 0;
            for (int p = off[x]; p < off[x + 1]; p++) {
                int y = adj[p];
                if (!alive[y] || sc.comp[y] == stamp) {
                    continue;
                }
                // BFS labels y's whole surviving component
                sc.comp[y] = stamp;
                int head = count;
                sc.members[count++] = y;
                while (head < count) {
                    int v = sc.members[head++];
                    for (int q = off[v]; q < off[v + 1]; q++) {
                        int w = adj[q];
                        if (alive[w] && sc.comp[w] != stamp) {
                            sc.comp[w] = stamp;
                            sc.members[count++] = w;
                        }
                    }
                }
            }
        }
        Arrays.sort(sc.members, 0, count);
        if (isPivot != null) {
            int sources = 0;
            for (int i = 0; i < count; i++) {
                if (isPivot[sc.members[i]]) {
                    sc.queue[sources++] = sc.members[i];
                }
            }
            PivotBlocks.accumulate(off, adj, alive, sc.queue, sources, load, scale, sc.members, count);
            return;
        }
        for (int i = 0; i < count; i++) {
            load[sc.members[i]] = 0;
        }
        for (int i = 0; i < count; i++) {
            kernel.accumulate(sc.members[i], load, scale);
        }
    }

    private int largestComponent(boolean[] alive, Scratch sc) {
        int n = alive.length;
        int stamp = ++sc.stamp;
        int best = 0;
        for (int s = 0; s < n; s++) {
            if (!alive[s] || sc.comp[s] == stamp) {
                continue;
            }
            sc.comp[s] = stamp;
            int head = 0;
            int tail = 0;
            sc.queue[tail++] = s;
            while (head < tail) {
                int v = sc.queue[head++];
                for (int q = off[v]; q < off[v + 1]; q++) {
                    int w = adj[q];
                    if (alive[w] && sc.comp[w] != stamp) {
                        sc.comp[w] = stamp;
                        sc.queue[tail++] = w;
                    }
                }
            }
            best = Math.max(best, tail);
        }
        return best;
    }

    /**
     * {@code x} rounded to 6 decimals, half-even on the exact binary value, then to the nearest
     * double: the semantics of Python's {@code round(x, 6)}. Fast path through {@code rint}; exact
     * {@link BigDecimal} arithmetic when x·1e6 lies within a few ulps of a half-integer.
     */
    static double round6(double x) {
        double y = x * 1e6;
        if (!Double.isFinite(y)) {
            return x;
        }
        double frac = Math.abs(y - Math.floor(y) - 0.5);
        if (frac > Math.max(1e-9, 4 * Math.ulp(y)) && Math.abs(y) < 0x1.0p52) {
            return Math.rint(y) / 1e6;
        }
        return new BigDecimal(x).setScale(6, RoundingMode.HALF_EVEN).doubleValue();
    }
}
