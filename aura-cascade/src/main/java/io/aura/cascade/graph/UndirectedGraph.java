package io.aura.cascade.graph;

import io.aura.cascade.CascadeInputException;
import java.util.Arrays;

/**
 * An immutable simple undirected graph on nodes {@code 0..n-1} in compressed sparse row form:
 * the neighbours of {@code v} are {@code targets[offsets[v] .. offsets[v+1])}, sorted ascending.
 * Every edge {u, v} appears twice (once in each row). The edges are also kept in their insertion
 * order ({@link #edgeU(int)}, {@link #edgeV(int)}), which generators such as BA define exactly.
 *
 * <p>Construction is O(n + m log d_max); self-loops and duplicate edges are rejected.
 */
public final class UndirectedGraph {
    private final int n;
    private final int[] offsets;
    private final int[] targets;
    private final int[] edgeU;
    private final int[] edgeV;

    private UndirectedGraph(int n, int[] offsets, int[] targets, int[] edgeU, int[] edgeV) {
        this.n = n;
        this.offsets = offsets;
        this.targets = targets;
        this.edgeU = edgeU;
        this.edgeV = edgeV;
    }

    /**
     * Builds a graph from parallel endpoint arrays; edge {@code e} is {@code {u[e], v[e]}}. Only the
     * first {@code edgeCount} entries are read; the arrays are copied.
     *
     * @throws CascadeInputException on a negative node count, an endpoint outside [0, n), a
     *     self-loop or a duplicate edge
     */
    public static UndirectedGraph fromEdges(int n, int[] u, int[] v, int edgeCount) {
        if (n < 0) {
            throw new CascadeInputException("node count must be >= 0, got " + n);
        }
        if (edgeCount < 0 || edgeCount > u.length || edgeCount > v.length) {
            throw new CascadeInputException("edge count " + edgeCount + " does not fit the endpoint arrays");
        }
        int[] eu = Arrays.copyOf(u, edgeCount);
        int[] ev = Arrays.copyOf(v, edgeCount);
        int[] deg = new int[n];
        for (int e = 0; e < edgeCount; e++) {
            int a = eu[e];
            int b = ev[e];
            if (a < 0 || a >= n) {
                throw new CascadeInputException("edge " + e + " endpoint " + a + " outside [0, " + n + ")");
            }
            if (b < 0 || b >= n) {
                throw new CascadeInputException("edge " + e + " endpoint " + b + " outside [0, " + n + ")");
            }
            if (a == b) {
                throw new CascadeInputException("edge " + e + " is a self-loop on node " + a);
            }
            deg[a]++;
            deg[b]++;
        }
        int[] off = new int[n + 1];
        for (int i = 0; i < n; i++) {
            off[i + 1] = off[i] + deg[i];
        }
        int[] tgt = new int[off[n]];
        int[] fill = Arrays.copyOf(off, n);
        for (int e = 0; e < edgeCount; e++) {
            tgt[fill[eu[e]]++] = ev[e];
            tgt[fill[ev[e]]++] = eu[e];
        }
        for (int i = 0; i < n; i++) {
            Arrays.sort(tgt, off[i], off[i + 1]);
            for (int p = off[i] + 1; p < off[i + 1]; p++) {
                if (tgt[p] == tgt[p - 1]) {
                    throw new CascadeInputException("duplicate edge {" + i + ", " + tgt[p] + "}");
                }
            }
        }
        return new UndirectedGraph(n, off, tgt, eu, ev);
    }

    /** Number of nodes. */
    public int nodeCount() {
        return n;
    }

    /** Number of (undirected) edges. */
    public int edgeCount() {
        return edgeU.length;
    }

    /** Degree of node {@code v}. */
    public int degree(int v) {
        checkNode(v);
        return offsets[v + 1] - offsets[v];
    }

    /** The {@code k}-th smallest neighbour of {@code v}. */
    public int neighbour(int v, int k) {
        int d = degree(v);
        if (k < 0 || k >= d) {
            throw new CascadeInputException("neighbour index " + k + " outside [0, " + d + ") of node " + v);
        }
        return targets[offsets[v] + k];
    }

    /** Whether {u, v} is an edge (binary search in u's row). */
    public boolean hasEdge(int u, int v) {
        checkNode(u);
        checkNode(v);
        return Arrays.binarySearch(targets, offsets[u], offsets[u + 1], v) >= 0;
    }

    /** First endpoint of edge {@code e} in insertion order. */
    public int edgeU(int e) {
        checkEdge(e);
        return edgeU[e];
    }

    /** Second endpoint of edge {@code e} in insertion order. */
    public int edgeV(int e) {
        checkEdge(e);
        return edgeV[e];
    }

    /** A copy of the CSR offsets (length n + 1). */
    public int[] offsets() {
        return offsets.clone();
    }

    /** A copy of the CSR targets (length 2 · edgeCount). */
    public int[] targets() {
        return targets.clone();
    }

    private void checkEdge(int e) {
        if (e < 0 || e >= edgeU.length) {
            throw new CascadeInputException("edge " + e + " outside [0, " + edgeU.length + ")");
        }
    }

    private void checkNode(int v) {
        if (v < 0 || v >= n) {
            throw new CascadeInputException("node " + v + " outside [0, " + n + ")");
        }
    }
}
