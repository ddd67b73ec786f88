package io.aura.cascade.graph;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.random.SplitMix64;
import java.util.Locale;

/**
 * Multi-agent LLM orchestrations of CPB spec 2b as service graphs. Every LLM agent calls one shared
 * LLM provider node P (role {@link ServiceGraph.Role#LLM_PROVIDER}) and a few tools of a shared pool
 * of n_T tool services (role {@link ServiceGraph.Role#TOOL}) chosen with Zipf popularity; P and the
 * tools are the hot spots through which infrastructure cascades travel.
 *
 * <p>Choices made here (the spec leaves them open), all documented per family below:
 * <ul>
 *   <li>Tools: tool t (0-based) has popularity ∝ 1/(t+1)^s. Each agent gets
 *       min(toolsPerAgent, n_T) distinct tools drawn by popularity (repeats rejected), each called
 *       with invocation probability {@code toolCallProbability}, multiplicity 1.</li>
 *   <li>Own CPU demand: agents LogNormal(ln 2 ms, 1.0); P the provider's median latency 3 s and a
 *       tool the median 300 ms (the per-request LogNormal draws with σ = 0.5 and 1.0 belong to the
 *       simulator). Agents draw their demand in id order, then their tools in id order.</li>
 *   <li>Layers: an agent's layer is its depth in the orchestration (entries 0); P and the tools are
 *       layer 7. Entries share external traffic equally.</li>
 * </ul>
 * Node ids: agents first, then P, then the tools.
 */
public final class LlmOrchestrations {
    /** Default tool-pool size n_T. */
    public static final int DEFAULT_TOOLS = 16;
    /** Default Zipf exponent of tool popularity. */
    public static final double DEFAULT_ZIPF_S = 1.0;
    /** Default number of tools wired to each agent. */
    public static final int DEFAULT_TOOLS_PER_AGENT = 2;
    /** Default probability that an agent calls a wired tool during one request. */
    public static final double DEFAULT_TOOL_CALL_PROBABILITY = 0.5;
    /** Median latency of the provider, 3 s (spec 2b). */
    public static final long PROVIDER_MEDIAN_NS = 3_000_000_000L;
    /** Median latency of a tool, 300 ms (spec 2b). */
    public static final long TOOL_MEDIAN_NS = 300_000_000L;

    /** MacNet topologies (Qian et al. 2024). */
    public enum MacNetShape {
        /** i → i+1. */
        CHAIN,
        /** 0 → i for every i. */
        STAR,
        /** binary tree: i → 2i+1, 2i+2. */
        TREE,
        /** complete DAG: i → j for all i &lt; j. */
        MESH,
        /** layers of width ceil(sqrt N), complete bipartite between consecutive layers. */
        LAYERED,
        /** random DAG: node j &gt; 0 gets one parent uniform in [0, j), plus each i &lt; j an edge w.p. 2/N. */
        RANDOM,
        /** Watts–Strogatz WS(N, 4, 0.1), every edge oriented from the lower to the higher id. */
        SMALL_WORLD
    }

    /**
     * The shared pool parameters.
     *
     * @param tools n_T ≥ 1
     * @param zipfS Zipf exponent ≥ 0
     * @param toolsPerAgent tools wired to each agent, ≥ 0
     * @param toolCallProbability invocation probability of a tool edge, in [0, 1]
     */
    public record Pool(int tools, double zipfS, int toolsPerAgent, double toolCallProbability) {
        /** Validates the parameters. */
        public Pool {
            if (tools < 1) {
                throw new CascadeInputException("tool pool size must be >= 1, got " + tools);
            }
            if (!(zipfS >= 0) || Double.isInfinite(zipfS)) {
                throw new CascadeInputException("Zipf exponent must be finite and >= 0, got " + zipfS);
            }
            if (toolsPerAgent < 0) {
                throw new CascadeInputException("tools per agent must be >= 0, got " + toolsPerAgent);
            }
            if (!(toolCallProbability >= 0 && toolCallProbability <= 1)) {
                throw new CascadeInputException("tool call probability must be in [0, 1], got " + toolCallProbability);
            }
        }

        /** The defaults: 16 tools, s = 1, 2 tools per agent, probability 0.5. */
        public static Pool defaults() {
            return new Pool(DEFAULT_TOOLS, DEFAULT_ZIPF_S, DEFAULT_TOOLS_PER_AGENT, DEFAULT_TOOL_CALL_PROBABILITY);
        }
    }

    private LlmOrchestrations() {
    }

    /**
     * b1 HIER: a manager/worker tree with D levels of agents and branching B (D = 1 is a single
     * agent): (B^D − 1)/(B − 1) agents, the root is the entry. Manager → worker edges are RPC with
     * π = 1, m = 1 (the manager waits for all children; k-of-n and the 120-s timeout are simulator
     * settings). A manager makes 2 provider calls per task (plan and aggregate), a worker 1.
     */
    public static ServiceGraph hier(int depth, int branching, Pool pool, SplitMix64 rng) {
        if (depth < 1 || depth > 8) {
            throw new CascadeInputException("HIER depth must be in 1..8, got " + depth);
        }
        if (branching < 1) {
            throw new CascadeInputException("HIER branching must be >= 1, got " + branching);
        }
        long count = 0;
        long level = 1;
        for (int d = 0; d < depth; d++) {
            count += level;
            level *= branching;
        }
        if (count > 2_000_000) {
            throw new CascadeInputException("HIER(" + depth + ", " + branching + ") has " + count + " agents, more than 2000000");
        }
        int n = (int) count;
        Spec s = new Spec(n);
        // breadth-first numbering: children of i are B*i+1 .. B*i+B
        for (int i = 0; i < n; i++) {
            boolean manager = false;
            for (int c = 1; c <= branching; c++) {
                long child = (long) branching * i + c;
                if (child < n) {
                    s.edge(i, (int) child, ServiceGraph.EdgeType.RPC, 1.0, 1, 1);
                    s.layer[(int) child] = s.layer[i] + 1;
                    manager = true;
                }
            }
            s.providerCalls(i, manager ? 2 : 1, manager ? 2 : 1);
        }
        s.entry[0] = true;
        return s.build("HIER(" + depth + "," + branching + ")", pool, rng);
    }

    /**
     * b2 PIPE: an SOP pipeline of L stages (MetaGPT/ChatDev style). Stage i → stage i+1 is an RPC
     * hand-off (π = 1, m = 1); stage i+1 → stage i is the feedback edge: the next stage rejects its
     * input with probability {@code pReject} and sends it back (π = pReject, multiplicity U{1..2},
     * "at most 2 times"), which makes cycles. Each stage makes 1 + Geom(0.5) provider calls (mean
     * 2), encoded by the mean-preserving U{1..3}. Stage 0 is the entry.
     */
    public static ServiceGraph pipe(int stages, double pReject, Pool pool, SplitMix64 rng) {
        if (stages < 1 || stages > 1_000_000) {
            throw new CascadeInputException("PIPE stage count must be in 1..1000000, got " + stages);
        }
        if (!(pReject >= 0 && pReject <= 1)) {
            throw new CascadeInputException("PIPE rejection probability must be in [0, 1], got " + pReject);
        }
        Spec s = new Spec(stages);
        for (int i = 0; i + 1 < stages; i++) {
            s.edge(i, i + 1, ServiceGraph.EdgeType.RPC, 1.0, 1, 1);
            s.edge(i + 1, i, ServiceGraph.EdgeType.RPC, pReject, 1, 2);
            s.layer[i + 1] = i + 1;
        }
        for (int i = 0; i < stages; i++) {
            s.providerCalls(i, 1, 3);
        }
        s.entry[0] = true;
        return s.build("PIPE(" + stages + ")", pool, rng);
    }

    /**
     * b3 DEBATE: n debaters in a peer-to-peer complete graph for R rounds with a round barrier. A
     * moderator agent (id 0, the entry, no provider calls) starts every debater (RPC, π = 1, m = 1).
     * Every ordered pair of debaters has an ASYNC message edge with multiplicity R (one message per
     * round), and each debater calls the provider R times: n·R provider calls per task.
     */
    public static ServiceGraph debate(int debaters, int rounds, Pool pool, SplitMix64 rng) {
        if (debaters < 2 || debaters > 2_000) {
            throw new CascadeInputException("DEBATE agent count must be in 2..2000, got " + debaters);
        }
        if (rounds < 1) {
            throw new CascadeInputException("DEBATE rounds must be >= 1, got " + rounds);
        }
        Spec s = new Spec(debaters + 1);
        for (int i = 1; i <= debaters; i++) {
            s.edge(0, i, ServiceGraph.EdgeType.RPC, 1.0, 1, 1);
            s.layer[i] = 1;
        }
        for (int i = 1; i <= debaters; i++) {
            for (int j = 1; j <= debaters; j++) {
                if (i != j) {
                    s.edge(i, j, ServiceGraph.EdgeType.ASYNC, 1.0, rounds, rounds);
                }
            }
            s.providerCalls(i, rounds, rounds);
        }
        s.entry[0] = true;
        s.moderator = true;
        return s.build("DEBATE(" + debaters + "," + rounds + ")", pool, rng);
    }

    /**
     * b4 MACNET: a DAG of N actors in the given shape. Critics sit on the DAG's edges (Qian et al.
     * 2024); they are not separate agents here: an edge u → v is an RPC hand-off and the callee v
     * makes 1 + indeg(v) provider calls per task (its own actor call plus one critic call per
     * incoming edge). Entries are the actors with in-degree 0.
     */
    public static ServiceGraph macnet(int actors, MacNetShape shape, Pool pool, SplitMix64 rng) {
        if (actors < 2 || actors > 100_000) {
            throw new CascadeInputException("MACNET actor count must be in 2..100000, got " + actors);
        }
        if (shape == MacNetShape.MESH && actors > 4096) {
            throw new CascadeInputException("MACNET mesh is quadratic; actor count must be <= 4096, got " + actors);
        }
        Spec s = new Spec(actors);
        int n = actors;
        switch (shape) {
            case CHAIN -> {
                for (int i = 0; i + 1 < n; i++) {
                    s.edge(i, i + 1, ServiceGraph.EdgeType.RPC, 1.0, 1, 1);
                }
            }
            case STAR -> {
                for (int i = 1; i < n; i++) {
                    s.edge(0, i, ServiceGraph.EdgeType.RPC, 1.0, 1, 1);
                }
            }
            case TREE -> {
                for (int i = 1; i < n; i++) {
                    s.edge((i - 1) / 2, i, ServiceGraph.EdgeType.RPC, 1.0, 1, 1);
                }
            }
            case MESH -> {
                for (int i = 0; i < n; i++) {
                    for (int j = i + 1; j < n; j++) {
                        s.edge(i, j, ServiceGraph.EdgeType.RPC, 1.0, 1, 1);
                    }
                }
            }
            case LAYERED -> {
                int width = (int) Math.ceil(Math.sqrt(n));
                for (int start = 0; start + width < n; start += width) {
                    int nextEnd = Math.min(n, start + 2 * width);
                    for (int i = start; i < start + width; i++) {
                        for (int j = start + width; j < nextEnd; j++) {
                            s.edge(i, j, ServiceGraph.EdgeType.RPC, 1.0, 1, 1);
                        }
                    }
                }
            }
            case RANDOM -> {
                double p = 2.0 / n;
                for (int j = 1; j < n; j++) {
                    int parent = rng.nextInt(j);
                    s.edge(parent, j, ServiceGraph.EdgeType.RPC, 1.0, 1, 1);
                    for (int i = 0; i < j; i++) {
                        if (rng.nextDouble() < p && i != parent) {
                            s.edge(i, j, ServiceGraph.EdgeType.RPC, 1.0, 1, 1);
                        }
                    }
                }
            }
            case SMALL_WORLD -> {
                int[][] e = WattsStrogatz.edges(n, Math.min(4, (n - 1) & ~1), 0.1, rng);
                for (int q = 0; q < e[0].length; q++) {
                    int a = Math.min(e[0][q], e[1][q]);
                    int b = Math.max(e[0][q], e[1][q]);
                    s.edge(a, b, ServiceGraph.EdgeType.RPC, 1.0, 1, 1);
                }
            }
            default -> throw new CascadeInputException("unknown MACNET shape " + shape);
        }
        int[] indeg = new int[n];
        for (int q = 0; q < s.size; q++) {
            indeg[s.dst[q]]++;
        }
        // layer = longest path from a source; every edge has src < dst, so relaxing edges in
        // source order visits each node after all its parents are final
        int[] order = new int[s.size];
        for (int q = 0; q < s.size; q++) {
            order[q] = q;
        }
        sortBySource(order, s.src);
        for (int q : order) {
            s.layer[s.dst[q]] = Math.max(s.layer[s.dst[q]], s.layer[s.src[q]] + 1);
        }
        for (int i = 0; i < n; i++) {
            s.entry[i] = indeg[i] == 0;
            s.providerCalls(i, 1 + indeg[i], 1 + indeg[i]);
        }
        return s.build("MACNET(" + n + "," + shape.name().toLowerCase(Locale.ROOT) + ")", pool, rng);
    }

    private static void sortBySource(int[] order, int[] src) {
        // counting sort of edge ids by source id (stable)
        int max = 0;
        for (int q : order) {
            max = Math.max(max, src[q]);
        }
        int[] cnt = new int[max + 2];
        for (int q : order) {
            cnt[src[q] + 1]++;
        }
        for (int i = 0; i <= max; i++) {
            cnt[i + 1] += cnt[i];
        }
        int[] out = new int[order.length];
        for (int q : order) {
            out[cnt[src[q]]++] = q;
        }
        System.arraycopy(out, 0, order, 0, order.length);
    }

    /** Agent-level edges collected before P and the tools are attached. */
    private static final class Spec {
        final int agents;
        final int[] layer;
        final boolean[] entry;
        final int[] provMin;
        final int[] provMax;
        int[] src = new int[16];
        int[] dst = new int[16];
        double[] prob = new double[16];
        int[] mmin = new int[16];
        int[] mmax = new int[16];
        ServiceGraph.EdgeType[] type = new ServiceGraph.EdgeType[16];
        int size;
        boolean moderator;

        Spec(int agents) {
            this.agents = agents;
            this.layer = new int[agents];
            this.entry = new boolean[agents];
            this.provMin = new int[agents];
            this.provMax = new int[agents];
        }

        void edge(int a, int b, ServiceGraph.EdgeType t, double p, int lo, int hi) {
            if (size == src.length) {
                int cap = 2 * size;
                src = java.util.Arrays.copyOf(src, cap);
                dst = java.util.Arrays.copyOf(dst, cap);
                prob = java.util.Arrays.copyOf(prob, cap);
                mmin = java.util.Arrays.copyOf(mmin, cap);
                mmax = java.util.Arrays.copyOf(mmax, cap);
                type = java.util.Arrays.copyOf(type, cap);
            }
            src[size] = a;
            dst[size] = b;
            prob[size] = p;
            mmin[size] = lo;
            mmax[size] = hi;
            type[size] = t;
            size++;
        }

        void providerCalls(int agent, int lo, int hi) {
            provMin[agent] = lo;
            provMax[agent] = hi;
        }

        ServiceGraph build(String name, Pool pool, SplitMix64 rng) {
            ServiceGraph.Builder b = ServiceGraph.builder(name);
            for (int i = 0; i < agents; i++) {
                ServiceGraph.Role role = entry[i] ? ServiceGraph.Role.ENTRY : ServiceGraph.Role.MIDDLE;
                String label = moderator && i == 0 ? "moderator" : "agent-" + i;
                b.addNode(label, role, layer[i],
                        ServiceGraphs.logNormalNs(rng, ServiceGraphs.DEFAULT_DEMAND_MEDIAN_NS, ServiceGraphs.DEFAULT_DEMAND_SIGMA));
                if (entry[i]) {
                    b.entryShare(i, 1.0);
                }
            }
            int provider = b.addNode("llm-provider", ServiceGraph.Role.LLM_PROVIDER, 7, PROVIDER_MEDIAN_NS);
            int firstTool = b.nodeCount();
            for (int t = 0; t < pool.tools(); t++) {
                b.addNode("tool-" + t, ServiceGraph.Role.TOOL, 7, TOOL_MEDIAN_NS);
            }
            for (int q = 0; q < size; q++) {
                b.addEdgeUnchecked(src[q], dst[q], type[q], prob[q], mmin[q], mmax[q]);
            }
            double[] cdf = new double[pool.tools()];
            double cum = 0;
            for (int t = 0; t < cdf.length; t++) {
                cum += 1.0 / Math.pow(t + 1, pool.zipfS());
                cdf[t] = cum;
            }
            int perAgent = Math.min(pool.toolsPerAgent(), pool.tools());
            int[] stamp = new int[pool.tools()];
            java.util.Arrays.fill(stamp, -1);
            for (int i = 0; i < agents; i++) {
                if (provMin[i] > 0) {
                    b.addEdgeUnchecked(i, provider, ServiceGraph.EdgeType.RPC, 1.0, provMin[i], provMax[i]);
                } else {
                    continue; // the moderator is not an LLM agent: no provider, no tools
                }
                for (int c = 0; c < perAgent;) {
                    double u = rng.nextDouble() * cum;
                    int t = 0;
                    while (t < cdf.length - 1 && u >= cdf[t]) {
                        t++;
                    }
                    if (stamp[t] != i) {
                        stamp[t] = i;
                        c++;
                        b.addEdgeUnchecked(i, firstTool + t, ServiceGraph.EdgeType.RPC, pool.toolCallProbability(), 1, 1);
                    }
                }
            }
            return b.build();
        }
    }
}
