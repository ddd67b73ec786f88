package io.aura.cascade.graph;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.random.SplitMix64;

/**
 * Samples the call trees of single requests on a {@link ServiceGraph}: a request enters at an
 * entry drawn by entry share; at every visited node each independent out-edge e is invoked with
 * probability π_e, each exclusive group picks at most one of its edges (edge e with probability
 * π_e), and an invoked edge makes U{m_min..m_max} calls, each of which is sampled recursively. A
 * call to an agent already on the current call path is not made (a request never re-enters an
 * agent, spec 2a3 step 4). Edges are visited in the caller's out-edge order, which fixes the order
 * of random draws.
 *
 * <p>Not thread-safe (one instance per thread); the recursion depth is bounded by the number of
 * agents on a path.
 */
public final class RequestTrees {
    private final ServiceGraph g;
    private final int[] off;
    private final int[] edges;
    private final int[] dst;
    private final double[] prob;
    private final int[] multMin;
    private final int[] multMax;
    private final int[] group;
    private final double[] entryCdf;
    private final int[] entryIds;
    private final boolean[] onPath;
    private final boolean[] groupChoice;
    private final SplitMix64 rng;
    private long calls;

    /** A sampler drawing from {@code rng}. */
    public RequestTrees(ServiceGraph g, SplitMix64 rng) {
        this.g = g;
        this.rng = rng;
        this.off = g.outOffsets();
        this.edges = g.outEdgeIds();
        this.dst = g.targets();
        int m = g.edgeCount();
        this.prob = new double[m];
        this.multMin = new int[m];
        this.multMax = new int[m];
        this.group = new int[m];
        for (int e = 0; e < m; e++) {
            prob[e] = g.invocationProbability(e);
            multMin[e] = g.multiplicityMin(e);
            multMax[e] = g.multiplicityMax(e);
            group[e] = g.exclusiveGroup(e);
        }
        int n = g.nodeCount();
        int c = 0;
        for (int v = 0; v < n; v++) {
            if (g.entryShare(v) > 0) {
                c++;
            }
        }
        entryIds = new int[c];
        entryCdf = new double[c];
        double cum = 0;
        c = 0;
        for (int v = 0; v < n; v++) {
            if (g.entryShare(v) > 0) {
                cum += g.entryShare(v);
                entryIds[c] = v;
                entryCdf[c++] = cum;
            }
        }
        this.onPath = new boolean[n];
        this.groupChoice = new boolean[m];
    }

    /** An entry drawn by entry share (one {@code nextDouble()}). */
    public int sampleEntry() {
        double u = rng.nextDouble() * entryCdf[entryCdf.length - 1];
        for (int i = 0; i < entryCdf.length; i++) {
            if (u < entryCdf[i]) {
                return entryIds[i];
            }
        }
        return entryIds[entryIds.length - 1];
    }

    /**
     * Samples one request from a random entry and returns its depth: the number of edges on the
     * longest root-to-leaf path of its call tree (0 if the entry called nobody).
     */
    public int sampleDepth() {
        return depthFrom(sampleEntry());
    }

    /** Depth of one sampled request that enters at {@code root}. */
    public int depthFrom(int root) {
        if (root < 0 || root >= g.nodeCount()) {
            throw new CascadeInputException("root " + root + " outside [0, " + g.nodeCount() + ")");
        }
        return visit(root);
    }

    /** Total calls made by all requests sampled so far. */
    public long callsMade() {
        return calls;
    }

    private int visit(int v) {
        onPath[v] = true;
        int best = 0;
        for (int p = off[v]; p < off[v + 1]; p++) {
            int e = edges[p];
            boolean invoked;
            if (group[e] < 0) {
                invoked = rng.nextDouble() < prob[e];
            } else {
                if (!isGroupStarted(v, p, group[e])) {
                    // one draw per group at its first edge: edge i of the group if u falls in its π slice
                    double u = rng.nextDouble();
                    double cum = 0;
                    for (int q = p; q < off[v + 1]; q++) {
                        int f = edges[q];
                        if (group[f] == group[e]) {
                            cum += prob[f];
                            if (u < cum) {
                                groupChoice[q] = true;
                                break;
                            }
                        }
                    }
                }
                invoked = groupChoice[p];
                groupChoice[p] = false;
            }
            if (!invoked) {
                continue;
            }
            int n = multMin[e] == multMax[e] ? multMin[e] : multMin[e] + rng.nextInt(multMax[e] - multMin[e] + 1);
            int w = dst[e];
            if (onPath[w]) {
                continue;
            }
            for (int c = 0; c < n; c++) {
                calls++;
                best = Math.max(best, 1 + visit(w));
            }
        }
        onPath[v] = false;
        return best;
    }

    /** Whether an earlier out-edge of v (before position p) belongs to group {@code grp}. */
    private boolean isGroupStarted(int v, int p, int grp) {
        for (int q = off[v]; q < p; q++) {
            if (group[edges[q]] == grp) {
                return true;
            }
        }
        return false;
    }
}
