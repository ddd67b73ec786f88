package io.aura.cascade.graph;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.random.SplitMix64;

/** Shared construction helpers for the generated service-graph families. */
public final class ServiceGraphs {
    /** Median own CPU demand of the synthetic families, 2 ms (spec 2a3 step 6). */
    public static final double DEFAULT_DEMAND_MEDIAN_NS = 2_000_000.0;
    /** Log-scale σ of the own CPU demand, 1.0 (spec 2a3 step 6). */
    public static final double DEFAULT_DEMAND_SIGMA = 1.0;

    private ServiceGraphs() {
    }

    /** A draw of LogNormal(ln median, σ), rounded to whole nanoseconds (at least 1). */
    static long logNormalNs(SplitMix64 rng, double median, double sigma) {
        return Math.max(1L, Math.round(median * Math.exp(sigma * rng.nextGaussian())));
    }

    /**
     * A service graph from a directed edge list (the directed BA and WS variants of spec 2c), with
     * unit invocation probability and multiplicity and RPC edges. Entry agents are the nodes with
     * in-degree 0 or, if there are more than k = max(1, round(0.05·n)) of them, k of them chosen
     * uniformly without replacement (partial Fisher–Yates over their ascending ids with
     * {@code nextInt}); they share the external traffic equally. In-degree-0 nodes that are not
     * chosen get no external traffic. Other nodes with out-degree 0 are stateless leaves, the rest
     * are middles. The layer is the longest-path depth from an in-degree-0 node (the graph must be
     * a DAG). Own CPU demand: LogNormal(ln 2 ms, 1.0) per node in id order, drawn after the entry
     * choice.
     *
     * @throws CascadeInputException if the edges contain a cycle
     */
    public static ServiceGraph fromDirectedEdges(String name, int n, int[] src, int[] dst, SplitMix64 rng) {
        int m = src.length;
        int[] indeg = new int[n];
        int[] outdeg = new int[n];
        for (int e = 0; e < m; e++) {
            outdeg[src[e]]++;
            indeg[dst[e]]++;
        }
        // layers by Kahn's algorithm over an out-CSR
        int[] off = new int[n + 1];
        for (int e = 0; e < m; e++) {
            off[src[e] + 1]++;
        }
        for (int i = 0; i < n; i++) {
            off[i + 1] += off[i];
        }
        int[] fill = java.util.Arrays.copyOf(off, n);
        int[] adj = new int[m];
        for (int e = 0; e < m; e++) {
            adj[fill[src[e]]++] = dst[e];
        }
        int[] layer = new int[n];
        int[] rem = indeg.clone();
        int[] queue = new int[n];
        int head = 0;
        int tail = 0;
        for (int i = 0; i < n; i++) {
            if (rem[i] == 0) {
                queue[tail++] = i;
            }
        }
        while (head < tail) {
            int x = queue[head++];
            for (int p = off[x]; p < off[x + 1]; p++) {
                int y = adj[p];
                layer[y] = Math.max(layer[y], layer[x] + 1);
                if (--rem[y] == 0) {
                    queue[tail++] = y;
                }
            }
        }
        if (tail != n) {
            throw new CascadeInputException("graph '" + name + "' has a cycle; directed families must be DAGs");
        }
        int sources = 0;
        for (int i = 0; i < n; i++) {
            if (indeg[i] == 0) {
                sources++;
            }
        }
        int[] cand = new int[sources];
        int c = 0;
        for (int i = 0; i < n; i++) {
            if (indeg[i] == 0) {
                cand[c++] = i;
            }
        }
        int k = Math.max(1, (int) Math.round(0.05 * n));
        boolean[] entry = new boolean[n];
        int entries = Math.min(k, sources);
        if (sources > k) {
            for (int i = 0; i < k; i++) {
                int j = i + rng.nextInt(sources - i);
                int t = cand[i];
                cand[i] = cand[j];
                cand[j] = t;
            }
        }
        for (int i = 0; i < entries; i++) {
            entry[cand[i]] = true;
        }
        ServiceGraph.Builder b = ServiceGraph.builder(name);
        for (int i = 0; i < n; i++) {
            ServiceGraph.Role role = entry[i] ? ServiceGraph.Role.ENTRY
                    : outdeg[i] == 0 ? ServiceGraph.Role.LEAF_STATELESS : ServiceGraph.Role.MIDDLE;
            b.addNode("n" + i, role, layer[i], logNormalNs(rng, DEFAULT_DEMAND_MEDIAN_NS, DEFAULT_DEMAND_SIGMA));
            if (entry[i]) {
                b.entryShare(i, 1.0);
            }
        }
        for (int e = 0; e < m; e++) {
            b.addEdgeUnchecked(src[e], dst[e], ServiceGraph.EdgeType.RPC, 1.0, 1, 1);
        }
        return b.build();
    }
}
