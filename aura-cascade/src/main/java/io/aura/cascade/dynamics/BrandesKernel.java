package io.aura.cascade.dynamics;

/**
 * Single-source dependency accumulation of Brandes' algorithm for unweighted undirected CSR graphs
 * restricted to the alive nodes. Scratch arrays are allocated once and reset only on the nodes a
 * search visited, so one call costs O(size of the source's component). Dead nodes carry the
 * permanent distance {@link #DEAD}, so the hot loops need no separate alive test. Not thread-safe:
 * one kernel per thread.
 */
final class BrandesKernel {
    private static final int UNSEEN = -1;
    private static final int DEAD = -2;
    private final int[] off;
    private final int[] adj;
    private final int[] dist;
    private final double[] sigma;
    private final double[] coeff;
    private final int[] order;
    private final int[] succ;
    private final int[] succStart;
    private final int[] succEnd;

    BrandesKernel(int[] off, int[] adj) {
        int n = off.length - 1;
        this.off = off;
        this.adj = adj;
        this.dist = new int[n];
        this.sigma = new double[n];
        this.coeff = new double[n];
        this.order = new int[n];
        this.succ = new int[adj.length];
        this.succStart = new int[n];
        this.succEnd = new int[n];
        java.util.Arrays.fill(dist, UNSEEN);
    }

    /** Excludes {@code v} from all later searches (it must not be the source). */
    void markDead(int v) {
        dist[v] = DEAD;
    }

    /**
     * Adds {@code scale · δ_s(v)} to {@code load[v]} for every alive v ≠ s reachable from s, where
     * δ_s(v) = Σ_t σ_st(v)/σ_st. The forward BFS records, contiguously per node, its successors in
     * the shortest-path DAG; the dependency is then pulled from them:
     * {@code δ_s(v) = σ_sv · Σ_{w ∈ succ(v)} (1 + δ_s(w))/σ_sw} (Brandes 2001, Theorem 6),
     * evaluated in reverse BFS order without touching non-DAG edges again.
     */
    void accumulate(int s, double[] load, double scale) {
        int[] off = this.off;
        int[] adj = this.adj;
        int[] dist = this.dist;
        double[] sigma = this.sigma;
        double[] coeff = this.coeff;
        int[] order = this.order;
        int[] succ = this.succ;
        int[] succStart = this.succStart;
        int[] succEnd = this.succEnd;
        dist[s] = 0;
        sigma[s] = 1.0;
        order[0] = s;
        int head = 0;
        int tail = 1;
        int sc = 0;
        while (head < tail) {
            int v = order[head++];
            int dv = dist[v] + 1;
            double sv = sigma[v];
            succStart[v] = sc;
            for (int p = off[v], end = off[v + 1]; p < end; p++) {
                int w = adj[p];
                int dw = dist[w];
                if (dw == UNSEEN) {
                    dist[w] = dv;
                    sigma[w] = sv;
                    order[tail++] = w;
                    succ[sc++] = w;
                } else if (dw == dv) {
                    // sigma of a level-dv node is complete before any level-dv node is dequeued
                    sigma[w] += sv;
                    succ[sc++] = w;
                }
            }
            succEnd[v] = sc;
        }
        for (int i = tail - 1; i > 0; i--) {
            int v = order[i];
            double sum = 0.0;
            for (int p = succStart[v], end = succEnd[v]; p < end; p++) {
                sum += coeff[succ[p]];
            }
            double delta = sigma[v] * sum;
            coeff[v] = (1.0 + delta) / sigma[v];
            load[v] += scale * delta;
        }
        for (int i = 0; i < tail; i++) {
            int v = order[i];
            dist[v] = UNSEEN;
            sigma[v] = 0.0;
            coeff[v] = 0.0;
        }
    }
}
