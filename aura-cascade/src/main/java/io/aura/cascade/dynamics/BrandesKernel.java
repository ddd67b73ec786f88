package io.aura.cascade.dynamics;

/**
 * Single-source dependency accumulation of Brandes' algorithm for unweighted undirected CSR graphs
 * restricted to the alive nodes. Scratch arrays are allocated once and reset only on the nodes a
 * search visited, so one call costs O(size of the source's component). Not thread-safe: one kernel
 * per thread.
 */
final class BrandesKernel {
    private final int[] off;
    private final int[] adj;
    private final int[] dist;
    private final double[] sigma;
    private final double[] delta;
    private final int[] order;

    BrandesKernel(int[] off, int[] adj) {
        int n = off.length - 1;
        this.off = off;
        this.adj = adj;
        this.dist = new int[n];
        this.sigma = new double[n];
        this.delta = new double[n];
        this.order = new int[n];
        java.util.Arrays.fill(dist, -1);
    }

    /**
     * Adds {@code scale · δ_s(v)} to {@code load[v]} for every alive v ≠ s reachable from s, where
     * δ_s(v) = Σ_t σ_st(v)/σ_st (Brandes 2001, eq. for the dependency of s on v). With
     * {@code alive == null} every node is alive.
     */
    void accumulate(int s, boolean[] alive, double[] load, double scale) {
        int[] off = this.off;
        int[] adj = this.adj;
        int[] dist = this.dist;
        double[] sigma = this.sigma;
        double[] delta = this.delta;
        int[] order = this.order;
        dist[s] = 0;
        sigma[s] = 1.0;
        order[0] = s;
        int head = 0;
        int tail = 1;
        while (head < tail) {
            int v = order[head++];
            int dv = dist[v] + 1;
            double sv = sigma[v];
            for (int p = off[v], end = off[v + 1]; p < end; p++) {
                int w = adj[p];
                if (alive != null && !alive[w]) {
                    continue;
                }
                int dw = dist[w];
                if (dw < 0) {
                    dist[w] = dv;
                    sigma[w] = sv;
                    order[tail++] = w;
                } else if (dw == dv) {
                    sigma[w] += sv;
                }
            }
        }
        for (int i = tail - 1; i > 0; i--) {
            int w = order[i];
            int dPrev = dist[w] - 1;
            double coeff = (1.0 + delta[w]) / sigma[w];
            for (int p = off[w], end = off[w + 1]; p < end; p++) {
                int v = adj[p];
                // alive check not needed: dead nodes were never labelled, so dist[v] == -1
                if (dist[v] == dPrev) {
                    delta[v] += sigma[v] * coeff;
                }
            }
            load[w] += scale * delta[w];
        }
        for (int i = 0; i < tail; i++) {
            int v = order[i];
            dist[v] = -1;
            sigma[v] = 0.0;
            delta[v] = 0.0;
        }
    }
}
