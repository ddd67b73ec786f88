package io.aura.cascade.graph;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.random.SplitMix64;

/**
 * ALI(N) and META-wide synthetic microservice call graphs, CPB spec 2a3 steps 1–6, every draw
 * from the given ({@code graph}) stream, in this order:
 * <ol>
 *   <li>Roles by count: round(0.13·N) entries (ids first, at least 1), round(0.39·N) leaves (ids
 *       last, at least 1), the rest middles. Each leaf is stateless, cache (MC) or DB with
 *       probability 1/3 each ({@code nextInt(3)}, leaves in id order).</li>
 *   <li>Each middle (id order) gets a layer ℓ ∈ {1..5} with P(ℓ) ∝ 0.5^ℓ (inverse CDF of one
 *       {@code nextDouble()}); entries are layer 0, leaves layer 6.</li>
 *   <li>Callers (entries, then middles, in id order) draw their service-level out-degree
 *       {@code k = 1 + floor(LogNormal(ln 4.5, 0.9))} (Box–Muller normal), capped at 10 (ALI) or 50
 *       (META-wide) and at the number of distinct callees available.</li>
 *   <li>Each of the k out-edges picks the leaf pool with probability q_leaf (0.85 for a middle,
 *       0.5 for an entry), otherwise the pool of middles in a strictly deeper layer (if the chosen
 *       pool has no callee left for this caller, the other pool is used). Within the pool the
 *       callee is drawn ∝ (in-degree + 1) with a Fenwick tree updated after every edge
 *       (preferential attachment); a callee this caller already has is rejected and redrawn.
 *       Then each edge, in creation order, is reversed into a back-edge with probability 0.02; a
 *       back-edge gets invocation probability {@code 0.1·(1 − u)} ∈ (0, 0.1].</li>
 *   <li>Per edge in order: multiplicity 1 with p = 0.838, else U{2..5}; invocation probability
 *       (not for back-edges) 1 with p = 0.6, else U(0.1, 0.9); type DB into a DB leaf, MC into a
 *       cache leaf, otherwise RPC with p = 85/95 and ASYNC with p = 10/95 (the spec's 85% rpc /
 *       10% mq / db-mc-only-into-stores, renormalised over the edges that are not into stores).</li>
 *   <li>Entry traffic is Zipf(s = 1): a uniformly random permutation of the entries (Fisher–Yates,
 *       i = nE−1 .. 1) assigns rank r, share ∝ 1/r. Own CPU demand d_i ~ LogNormal(ln 2 ms, 1.0)
 *       per node in id order.</li>
 * </ol>
 * A request never re-enters an agent already on its call path; {@link RequestTrees} applies that
 * rule when it samples requests. Calibration (step 7) is checked by the test suite.
 */
public final class AlibabaLike {
    /** Out-degree cap of ALI. */
    public static final int ALI_CAP = 10;
    /** Out-degree cap of the META-wide variant. */
    public static final int META_WIDE_CAP = 50;

    private AlibabaLike() {
    }

    /** ALI(N): out-degree cap 10. */
    public static ServiceGraph ali(int n, SplitMix64 graphStream) {
        return generate("ALI(" + n + ")", n, ALI_CAP, graphStream);
    }

    /** META-wide(N): out-degree cap 50. */
    public static ServiceGraph metaWide(int n, SplitMix64 graphStream) {
        return generate("META-wide(" + n + ")", n, META_WIDE_CAP, graphStream);
    }

    /** The generator with an explicit out-degree cap. */
    public static ServiceGraph generate(String name, int n, int cap, SplitMix64 rng) {
        if (n < 3) {
            throw new CascadeInputException("ALI node count must be >= 3, got " + n);
        }
        if (cap < 1) {
            throw new CascadeInputException("ALI out-degree cap must be >= 1, got " + cap);
        }
        int nE = Math.max(1, (int) Math.round(0.13 * n));
        int nL = Math.max(1, (int) Math.round(0.39 * n));
        int nM = n - nE - nL;
        if (nM < 0) {
            throw new CascadeInputException("ALI node count " + n + " is too small for the role mix");
        }
        ServiceGraph.Role[] role = new ServiceGraph.Role[n];
        int[] layer = new int[n];
        for (int i = 0; i < nE; i++) {
            role[i] = ServiceGraph.Role.ENTRY;
        }
        for (int i = nE; i < nE + nM; i++) {
            role[i] = ServiceGraph.Role.MIDDLE;
        }
        for (int i = nE + nM; i < n; i++) {
            role[i] = switch (rng.nextInt(3)) {
                case 0 -> ServiceGraph.Role.LEAF_STATELESS;
                case 1 -> ServiceGraph.Role.LEAF_CACHE;
                default -> ServiceGraph.Role.LEAF_DB;
            };
            layer[i] = 6;
        }
        // step 2: layers of middles, P(l) = 0.5^l / sum_{1..5} 0.5^j
        double norm = 0;
        for (int l = 1; l <= 5; l++) {
            norm += Math.pow(0.5, l);
        }
        for (int i = nE; i < nE + nM; i++) {
            double u = rng.nextDouble() * norm;
            int l = 1;
            double cum = 0.5;
            while (l < 5 && u >= cum) {
                l++;
                cum += Math.pow(0.5, l);
            }
            layer[i] = l;
        }
        // middles sorted by (layer, id); pool "layer > l" is the suffix from firstDeeper[l]
        int[] midOrder = new int[nM];
        int[] firstDeeper = new int[7];
        {
            int c = 0;
            for (int l = 1; l <= 5; l++) {
                firstDeeper[l - 1] = c;
                for (int i = nE; i < nE + nM; i++) {
                    if (layer[i] == l) {
                        midOrder[c++] = i;
                    }
                }
            }
            firstDeeper[5] = c;
            firstDeeper[6] = c;
        }
        int[] midPos = new int[n];
        for (int p = 0; p < nM; p++) {
            midPos[midOrder[p]] = p;
        }
        Fenwick leafW = new Fenwick(nL);
        for (int p = 0; p < nL; p++) {
            leafW.add(p, 1);
        }
        Fenwick midW = new Fenwick(nM);
        for (int p = 0; p < nM; p++) {
            midW.add(p, 1);
        }
        long leafTotal = nL;
        long midTotal = nM;
        GrowableArrays.Ints esrc = new GrowableArrays.Ints();
        GrowableArrays.Ints edst = new GrowableArrays.Ints();
        int[] chosenStamp = new int[n];
        java.util.Arrays.fill(chosenStamp, -1);
        for (int u = 0; u < nE + nM; u++) {
            boolean entry = u < nE;
            double qLeaf = entry ? 0.5 : 0.85;
            int midStart = firstDeeper[layer[u]];
            int midAvail = nM - midStart;
            int leafAvail = nL;
            int k = 1 + (int) Math.floor(Math.exp(Math.log(4.5) + 0.9 * rng.nextGaussian()));
            k = Math.min(Math.min(k, cap), midAvail + leafAvail);
            int leafUsed = 0;
            int midUsed = 0;
            for (int j = 0; j < k; j++) {
                boolean leaf = rng.nextDouble() < qLeaf;
                if (leaf && leafUsed == leafAvail) {
                    leaf = false;
                } else if (!leaf && midUsed == midAvail) {
                    leaf = true;
                }
                int v;
                if (leaf) {
                    do {
                        int p = leafW.find((long) (rng.nextDouble() * leafTotal));
                        v = nE + nM + p;
                    } while (chosenStamp[v] == u);
                    leafW.add(v - nE - nM, 1);
                    leafTotal++;
                    leafUsed++;
                } else {
                    long base = midW.prefix(midStart);
                    do {
                        long span = midTotal - base;
                        int p = midW.find(base + (long) (rng.nextDouble() * span));
                        v = midOrder[p];
                    } while (chosenStamp[v] == u);
                    midW.add(midPos[v], 1);
                    midTotal++;
                    midUsed++;
                }
                chosenStamp[v] = u;
                esrc.add(u);
                edst.add(v);
            }
        }
        int m = esrc.size();
        int[] src = esrc.toArray();
        int[] dst = edst.toArray();
        boolean[] back = new boolean[m];
        double[] prob = new double[m];
        for (int e = 0; e < m; e++) {
            if (rng.nextDouble() < 0.02) {
                back[e] = true;
                int t = src[e];
                src[e] = dst[e];
                dst[e] = t;
                prob[e] = 0.1 * (1.0 - rng.nextDouble());
            }
        }
        int[] mult = new int[m];
        ServiceGraph.EdgeType[] type = new ServiceGraph.EdgeType[m];
        for (int e = 0; e < m; e++) {
            mult[e] = rng.nextDouble() < 0.838 ? 1 : 2 + rng.nextInt(4);
            if (!back[e]) {
                prob[e] = rng.nextDouble() < 0.6 ? 1.0 : 0.1 + 0.8 * rng.nextDouble();
            }
            ServiceGraph.Role callee = role[dst[e]];
            if (callee == ServiceGraph.Role.LEAF_DB) {
                type[e] = ServiceGraph.EdgeType.DB;
            } else if (callee == ServiceGraph.Role.LEAF_CACHE) {
                type[e] = ServiceGraph.EdgeType.MC;
            } else {
                type[e] = rng.nextDouble() < 85.0 / 95.0 ? ServiceGraph.EdgeType.RPC : ServiceGraph.EdgeType.ASYNC;
            }
        }
        int[] perm = new int[nE];
        for (int i = 0; i < nE; i++) {
            perm[i] = i;
        }
        for (int i = nE - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        ServiceGraph.Builder b = ServiceGraph.builder(name);
        for (int i = 0; i < n; i++) {
            b.addNode("svc-" + i, role[i], layer[i],
                    ServiceGraphs.logNormalNs(rng, ServiceGraphs.DEFAULT_DEMAND_MEDIAN_NS, ServiceGraphs.DEFAULT_DEMAND_SIGMA));
        }
        for (int r = 0; r < nE; r++) {
            b.entryShare(perm[r], 1.0 / (r + 1));
        }
        for (int e = 0; e < m; e++) {
            b.addEdgeUnchecked(src[e], dst[e], type[e], prob[e], mult[e], mult[e]);
        }
        return b.build();
    }
}
