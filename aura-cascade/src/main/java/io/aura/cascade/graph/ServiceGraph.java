package io.aura.cascade.graph;

import io.aura.cascade.CascadeInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable directed service (or agent) dependency graph: who calls whom, how often and how.
 *
 * <p>Nodes are {@code 0..n-1} with a unique name, a {@link Role}, a layer and an own CPU demand
 * per request {@code d_i} in nanoseconds; entry nodes carry the share of external traffic they
 * receive (shares sum to 1). Edge {@code e} goes from {@link #source(int)} to {@link #target(int)}
 * and carries:
 * <ul>
 *   <li>invocation probability π_e ∈ [0, 1]: the chance that one request at the caller calls the
 *       callee at all;</li>
 *   <li>multiplicity U{m_min .. m_max} (m_min ≥ 1): the number of calls made when it does;</li>
 *   <li>an {@link EdgeType};</li>
 *   <li>an exclusive group: edges of one caller with the same group ≥ 0 are alternatives (a
 *       request takes at most one of them, edge e with probability π_e; the π of a group sum to
 *       ≤ 1). Group −1 means an independent Bernoulli(π_e). This models routers such as
 *       nginx-thrift, whose routes are mutually exclusive.</li>
 * </ul>
 * The expected number of calls per caller request on edge e is π_e · (m_min + m_max)/2, the Π_ij of
 * spec D3. Adjacency is CSR in both directions: {@link #outEdges(int)} and {@link #inEdges(int)}
 * list edge ids, sorted by (neighbour, edge id). Built with {@link #builder(String)}.
 */
public final class ServiceGraph {
    /** The role of a node. */
    public enum Role {
        /** Receives external traffic (layer 0). */
        ENTRY,
        /** Calls and is called. */
        MIDDLE,
        /** Stateless leaf service. */
        LEAF_STATELESS,
        /** Cache leaf (memcached, redis). */
        LEAF_CACHE,
        /** Database leaf (mongodb, SQL). */
        LEAF_DB,
        /** The shared LLM provider of spec 2b (token bucket, concurrency limit). */
        LLM_PROVIDER,
        /** A tool service of the shared tool pool of spec 2b. */
        TOOL;

        /** Whether this is one of the three leaf roles. */
        public boolean isLeaf() {
            return this == LEAF_STATELESS || this == LEAF_CACHE || this == LEAF_DB;
        }
    }

    /** The kind of a call edge (spec 2a3 step 5). */
    public enum EdgeType {
        /** Synchronous request/response call. */
        RPC,
        /** Asynchronous message-queue call (non-blocking for the caller). */
        ASYNC,
        /** Database access. */
        DB,
        /** Memcached/cache access. */
        MC
    }

    private static final double MAX_CALLS_PER_REQUEST = 1e12;

    private final String name;
    private final String[] nodeNames;
    private final Role[] roles;
    private final int[] layers;
    private final long[] cpuDemandNs;
    private final double[] entryShares;
    private final int[] src;
    private final int[] dst;
    private final double[] prob;
    private final int[] multMin;
    private final int[] multMax;
    private final EdgeType[] types;
    private final int[] groups;
    private final int[] parallel;
    private final int[] outOffsets;
    private final int[] outEdges;
    private final int[] inOffsets;
    private final int[] inEdges;
    private final Map<String, Integer> idByName;

    private ServiceGraph(Builder b) {
        int n = b.names.size();
        this.name = b.graphName;
        this.nodeNames = b.names.toArray(new String[0]);
        this.roles = b.roles.toArray(new Role[0]);
        this.layers = b.layers.toArray();
        this.cpuDemandNs = b.demands.toArray();
        this.entryShares = new double[n];
        this.src = b.esrc.toArray();
        this.dst = b.edst.toArray();
        this.prob = b.eprob.toArray();
        this.multMin = b.emin.toArray();
        this.multMax = b.emax.toArray();
        this.types = b.etype.toArray(new EdgeType[0]);
        this.groups = b.egroup.toArray();
        this.parallel = b.epar.toArray();
        this.idByName = b.handOverNames();
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += b.shares[i];
        }
        if (n > 0 && !(total > 0)) {
            throw new CascadeInputException("graph '" + name + "' has no entry traffic (entry shares sum to " + total + ")");
        }
        for (int i = 0; i < n; i++) {
            entryShares[i] = b.shares[i] / total;
        }
        this.outOffsets = new int[n + 1];
        this.inOffsets = new int[n + 1];
        this.outEdges = csr(n, src, dst, outOffsets);
        this.inEdges = csr(n, dst, src, inOffsets);
    }

    /** Edge ids grouped by {@code from[e]}, each row sorted by (to[e], e). */
    private static int[] csr(int n, int[] from, int[] to, int[] off) {
        for (int f : from) {
            off[f + 1]++;
        }
        for (int i = 0; i < n; i++) {
            off[i + 1] += off[i];
        }
        int m = from.length;
        // sort edge ids by (from, to, id) with a two-pass counting sort: by to, then stable by from
        int[] byTo = new int[m];
        int[] cnt = new int[n + 1];
        for (int t : to) {
            cnt[t + 1]++;
        }
        for (int i = 0; i < n; i++) {
            cnt[i + 1] += cnt[i];
        }
        for (int e = 0; e < m; e++) {
            byTo[cnt[to[e]]++] = e;
        }
        int[] fill = Arrays.copyOf(off, n);
        int[] out = new int[m];
        for (int e : byTo) {
            out[fill[from[e]]++] = e;
        }
        return out;
    }

    /** A builder for a graph called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The graph's name (family and parameters). */
    public String name() {
        return name;
    }

    /** Number of nodes. */
    public int nodeCount() {
        return nodeNames.length;
    }

    /** Number of edges. */
    public int edgeCount() {
        return src.length;
    }

    /** Name of node {@code v}. */
    public String nodeName(int v) {
        return nodeNames[checkNode(v)];
    }

    /** The id of the node called {@code nodeName}, if any. */
    public Optional<Integer> nodeId(String nodeName) {
        return Optional.ofNullable(idByName.get(nodeName));
    }

    /** Role of node {@code v}. */
    public Role role(int v) {
        return roles[checkNode(v)];
    }

    /** Layer of node {@code v} (entries 0; generators document their layering). */
    public int layer(int v) {
        return layers[checkNode(v)];
    }

    /** Own CPU demand per request of node {@code v}, in nanoseconds. */
    public long cpuDemandNs(int v) {
        return cpuDemandNs[checkNode(v)];
    }

    /** Share of external traffic that enters at node {@code v} (0 for non-entries; sums to 1). */
    public double entryShare(int v) {
        return entryShares[checkNode(v)];
    }

    /** Caller of edge {@code e}. */
    public int source(int e) {
        return src[checkEdge(e)];
    }

    /** Callee of edge {@code e}. */
    public int target(int e) {
        return dst[checkEdge(e)];
    }

    /** Invocation probability π of edge {@code e}. */
    public double invocationProbability(int e) {
        return prob[checkEdge(e)];
    }

    /** Smallest multiplicity of edge {@code e} (≥ 1). */
    public int multiplicityMin(int e) {
        return multMin[checkEdge(e)];
    }

    /** Largest multiplicity of edge {@code e}; the multiplicity is uniform on [min, max]. */
    public int multiplicityMax(int e) {
        return multMax[checkEdge(e)];
    }

    /** Expected calls per caller request on edge {@code e}: π · (m_min + m_max) / 2. */
    public double expectedCalls(int e) {
        checkEdge(e);
        return prob[e] * (multMin[e] + multMax[e]) / 2.0;
    }

    /** Type of edge {@code e}. */
    public EdgeType edgeType(int e) {
        return types[checkEdge(e)];
    }

    /** Exclusive group of edge {@code e} among its caller's edges, or −1 if independent. */
    public int exclusiveGroup(int e) {
        return groups[checkEdge(e)];
    }

    /**
     * Parallel group of edge {@code e} among its caller's edges (invoked together with the group's
     * other edges, the caller waiting for all), or −1 if called in sequence.
     */
    public int parallelGroup(int e) {
        return parallel[checkEdge(e)];
    }

    /** Out-degree of {@code v}. */
    public int outDegree(int v) {
        checkNode(v);
        return outOffsets[v + 1] - outOffsets[v];
    }

    /** In-degree of {@code v}. */
    public int inDegree(int v) {
        checkNode(v);
        return inOffsets[v + 1] - inOffsets[v];
    }

    /** The ids of the edges leaving {@code v}, sorted by callee (a copy). */
    public int[] outEdges(int v) {
        checkNode(v);
        return Arrays.copyOfRange(outEdges, outOffsets[v], outOffsets[v + 1]);
    }

    /** The ids of the edges entering {@code v}, sorted by caller (a copy). */
    public int[] inEdges(int v) {
        checkNode(v);
        return Arrays.copyOfRange(inEdges, inOffsets[v], inOffsets[v + 1]);
    }

    /** A copy of the out-CSR offsets (length n + 1); row v of {@link #outEdgeIds()} is [off[v], off[v+1]). */
    public int[] outOffsets() {
        return outOffsets.clone();
    }

    /** A copy of the out-CSR edge ids. */
    public int[] outEdgeIds() {
        return outEdges.clone();
    }

    /** A copy of the in-CSR offsets. */
    public int[] inOffsets() {
        return inOffsets.clone();
    }

    /** A copy of the in-CSR edge ids. */
    public int[] inEdgeIds() {
        return inEdges.clone();
    }

    /** A copy of the edge sources. */
    public int[] sources() {
        return src.clone();
    }

    /** A copy of the edge targets. */
    public int[] targets() {
        return dst.clone();
    }

    /** Mean out-degree: edges / nodes. */
    public double meanOutDegree() {
        return nodeNames.length == 0 ? 0 : (double) src.length / nodeNames.length;
    }

    /**
     * Expected arrival rate at every node for unit external traffic: the fixed point of
     * {@code λ = λ_ext + Π^T λ} with {@code Π_ij = π_ij · E[m_ij]} (spec D3, design rates), found
     * by Jacobi iteration from λ_ext (converges iff the spectral radius of Π is below 1; for a DAG
     * it is exact after depth-many sweeps). Note that this linear model does not apply the "never
     * re-enter an agent on the path" rule; cycles add their geometric series.
     *
     * @throws CascadeInputException if the iteration has not converged after 100 000 sweeps or an
     *     arrival rate exceeds 1e12 per unit of external traffic (spectral radius ≥ 1)
     */
    public double[] expectedArrivals() {
        int n = nodeNames.length;
        double[] lambda = entryShares.clone();
        double[] next = new double[n];
        for (int sweep = 0; sweep < 100_000; sweep++) {
            System.arraycopy(entryShares, 0, next, 0, n);
            for (int e = 0; e < src.length; e++) {
                next[dst[e]] += lambda[src[e]] * prob[e] * (multMin[e] + multMax[e]) * 0.5;
            }
            double diff = 0;
            double scale = 0;
            for (int i = 0; i < n; i++) {
                diff = Math.max(diff, Math.abs(next[i] - lambda[i]));
                scale = Math.max(scale, Math.abs(next[i]));
            }
            double[] t = lambda;
            lambda = next;
            next = t;
            if (!(scale <= MAX_CALLS_PER_REQUEST)) {
                break; // diverging (or NaN): more than 1e12 calls per external request
            }
            if (diff <= 1e-13 * Math.max(1, scale)) {
                return lambda;
            }
        }
        throw new CascadeInputException("expected arrivals of graph '" + name
                + "' diverge: the call matrix has spectral radius >= 1 (a cycle with expected calls >= 1)");
    }

    private int checkNode(int v) {
        if (v < 0 || v >= nodeNames.length) {
            throw new CascadeInputException("node " + v + " outside [0, " + nodeNames.length + ")");
        }
        return v;
    }

    private int checkEdge(int e) {
        if (e < 0 || e >= src.length) {
            throw new CascadeInputException("edge " + e + " outside [0, " + src.length + ")");
        }
        return e;
    }

    /**
     * Mutable builder; nodes get ids in the order they are added. Every setter validates its
     * arguments and names the bad value; {@link #build()} checks the cross-field rules (entry
     * traffic present, exclusive groups sum to ≤ 1). Not thread-safe.
     */
    public static final class Builder {
        private final String graphName;
        private final List<String> names = new ArrayList<>();
        private final List<Role> roles = new ArrayList<>();
        private final GrowableArrays.Ints layers = new GrowableArrays.Ints();
        private final GrowableArrays.Longs demands = new GrowableArrays.Longs();
        private Map<String, Integer> idByName = new HashMap<>();
        private boolean namesShared;
        private double[] shares = new double[16];
        private final GrowableArrays.Ints esrc = new GrowableArrays.Ints();
        private final GrowableArrays.Ints edst = new GrowableArrays.Ints();
        private final GrowableArrays.Doubles eprob = new GrowableArrays.Doubles();
        private final GrowableArrays.Ints emin = new GrowableArrays.Ints();
        private final GrowableArrays.Ints emax = new GrowableArrays.Ints();
        private final List<EdgeType> etype = new ArrayList<>();
        private final GrowableArrays.Ints egroup = new GrowableArrays.Ints();
        private final GrowableArrays.Ints epar = new GrowableArrays.Ints();
        // (from, to) pairs already present, for the duplicate check of addEdge
        private final java.util.Set<Long> pairs = new java.util.HashSet<>();

        /** Gives the name index to a built graph; a later addNode copies it first (copy on write). */
        private Map<String, Integer> handOverNames() {
            namesShared = true;
            return java.util.Collections.unmodifiableMap(idByName);
        }

        private Builder(String graphName) {
            if (graphName == null || graphName.isBlank()) {
                throw new CascadeInputException("graph name must not be blank, got '" + graphName + "'");
            }
            this.graphName = graphName;
        }

        /**
         * The id of the node called {@code nodeName}.
         *
         * @throws CascadeInputException if there is no such node
         */
        public int idOf(String nodeName) {
            Integer id = idByName.get(nodeName);
            if (id == null) {
                throw new CascadeInputException("unknown node '" + nodeName + "'");
            }
            return id;
        }

        /** Number of nodes added so far. */
        public int nodeCount() {
            return names.size();
        }

        /**
         * Adds a node and returns its id.
         *
         * @throws CascadeInputException on a blank or duplicate name, a null role, a negative layer
         *     or a negative CPU demand
         */
        public int addNode(String nodeName, Role role, int layer, long cpuDemandNs) {
            if (nodeName == null || nodeName.isBlank()) {
                throw new CascadeInputException("node name must not be blank, got '" + nodeName + "'");
            }
            if (idByName.containsKey(nodeName)) {
                throw new CascadeInputException("duplicate node name '" + nodeName + "'");
            }
            if (role == null) {
                throw new CascadeInputException("node '" + nodeName + "' has no role");
            }
            if (layer < 0) {
                throw new CascadeInputException("node '" + nodeName + "' layer must be >= 0, got " + layer);
            }
            if (cpuDemandNs < 0) {
                throw new CascadeInputException("node '" + nodeName + "' CPU demand must be >= 0 ns, got " + cpuDemandNs);
            }
            if (namesShared) {
                idByName = new HashMap<>(idByName);
                namesShared = false;
            }
            int id = names.size();
            names.add(nodeName);
            roles.add(role);
            layers.add(layer);
            demands.add(cpuDemandNs);
            idByName.put(nodeName, id);
            if (id >= shares.length) {
                shares = Arrays.copyOf(shares, 2 * shares.length);
            }
            return id;
        }

        /** Sets the (unnormalised) external traffic share of node {@code v}; build() normalises. */
        public Builder entryShare(int v, double share) {
            checkId(v);
            if (!(share >= 0) || Double.isInfinite(share)) {
                throw new CascadeInputException("entry share of node '" + names.get(v) + "' must be finite and >= 0, got " + share);
            }
            shares[v] = share;
            return this;
        }

        /** Adds an independent edge (group −1) and returns its id. */
        public int addEdge(int from, int to, EdgeType type, double probability, int multiplicityMin, int multiplicityMax) {
            return addEdge(from, to, type, probability, multiplicityMin, multiplicityMax, -1);
        }

        /**
         * Adds an edge and returns its id.
         *
         * @throws CascadeInputException on an unknown node, a self-loop, a duplicate (from, to)
         *     pair, π outside [0, 1], multiplicity min &lt; 1 or max &lt; min, or group &lt; −1
         */
        public int addEdge(int from, int to, EdgeType type, double probability, int multiplicityMin,
                int multiplicityMax, int exclusiveGroup) {
            return addEdge(from, to, type, probability, multiplicityMin, multiplicityMax, exclusiveGroup, -1);
        }

        /**
         * Adds an edge with a parallel group (−1: called in sequence; a caller-local id ≥ 0: the
         * caller invokes the group's edges together and waits for all) and returns its id.
         *
         * @throws CascadeInputException as {@link #addEdge(int, int, EdgeType, double, int, int, int)},
         *     and on a parallel group &lt; −1 or an edge in both an exclusive and a parallel group
         */
        public int addEdge(int from, int to, EdgeType type, double probability, int multiplicityMin,
                int multiplicityMax, int exclusiveGroup, int parallelGroup) {
            checkId(from);
            checkId(to);
            String label = "edge " + names.get(from) + " -> " + names.get(to);
            if (from == to) {
                throw new CascadeInputException(label + " is a self-loop");
            }
            if (type == null) {
                throw new CascadeInputException(label + " has no type");
            }
            if (!(probability >= 0 && probability <= 1)) {
                throw new CascadeInputException(label + " invocation probability must be in [0, 1], got " + probability);
            }
            if (multiplicityMin < 1) {
                throw new CascadeInputException(label + " multiplicity must be >= 1, got " + multiplicityMin);
            }
            if (multiplicityMax < multiplicityMin) {
                throw new CascadeInputException(label + " multiplicity max " + multiplicityMax + " is below min " + multiplicityMin);
            }
            if (exclusiveGroup < -1) {
                throw new CascadeInputException(label + " exclusive group must be >= -1, got " + exclusiveGroup);
            }
            if (parallelGroup < -1) {
                throw new CascadeInputException(label + " parallel group must be >= -1, got " + parallelGroup);
            }
            if (parallelGroup >= 0 && exclusiveGroup >= 0) {
                throw new CascadeInputException(label + " is in exclusive group " + exclusiveGroup + " and parallel group "
                        + parallelGroup + "; an edge can be in one of them, not both");
            }
            if (!pairs.add(((long) from << 32) | to)) {
                throw new CascadeInputException("duplicate " + label);
            }
            esrc.add(from);
            edst.add(to);
            eprob.add(probability);
            emin.add(multiplicityMin);
            emax.add(multiplicityMax);
            etype.add(type);
            egroup.add(exclusiveGroup);
            epar.add(parallelGroup);
            return esrc.size() - 1;
        }

        /**
         * Adds an edge without validation or duplicate bookkeeping; for generators that guarantee
         * valid, unique edges themselves (package-private; keeps million-edge builds lean).
         */
        int addEdgeUnchecked(int from, int to, EdgeType type, double probability, int multiplicityMin, int multiplicityMax) {
            esrc.add(from);
            edst.add(to);
            eprob.add(probability);
            emin.add(multiplicityMin);
            emax.add(multiplicityMax);
            etype.add(type);
            egroup.add(-1);
            epar.add(-1);
            return esrc.size() - 1;
        }

        /**
         * Builds the graph.
         *
         * @throws CascadeInputException if no node has a positive entry share, or an exclusive group
         *     has probabilities summing to more than 1
         */
        public ServiceGraph build() {
            int m = esrc.size();
            // exclusive groups: per (caller, group >= 0) the probabilities sum to <= 1
            long[] keys = new long[m];
            int k = 0;
            for (int e = 0; e < m; e++) {
                if (egroup.get(e) >= 0) {
                    keys[k++] = ((long) esrc.get(e) << 32) | egroup.get(e);
                }
            }
            Arrays.sort(keys, 0, k);
            int u = 0;
            for (int i = 0; i < k; i++) {
                if (u == 0 || keys[i] != keys[u - 1]) {
                    keys[u++] = keys[i];
                }
            }
            k = u;
            keys = Arrays.copyOf(keys, k);
            double[] sums = new double[k];
            for (int e = 0; e < m; e++) {
                if (egroup.get(e) >= 0) {
                    sums[Arrays.binarySearch(keys, ((long) esrc.get(e) << 32) | egroup.get(e))] += eprob.get(e);
                }
            }
            for (int i = 0; i < k; i++) {
                if (sums[i] > 1 + 1e-9) {
                    throw new CascadeInputException("exclusive group " + (int) keys[i] + " of node '"
                            + names.get((int) (keys[i] >>> 32)) + "' has invocation probabilities summing to " + sums[i] + " > 1");
                }
            }
            return new ServiceGraph(this);
        }

        private void checkId(int v) {
            if (v < 0 || v >= names.size()) {
                throw new CascadeInputException("unknown node id " + v + " (have " + names.size() + " nodes)");
            }
        }
    }
}
