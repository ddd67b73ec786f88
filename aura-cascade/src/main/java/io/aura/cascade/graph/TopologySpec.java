package io.aura.cascade.graph;

import io.aura.cascade.CascadeInputException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A user-supplied topology (the model behind topology files): agents with roles, call edges with
 * invocation probability and multiplicity, and the entry traffic mix. The file format itself is
 * parsed elsewhere (the CLI); it feeds a {@link Builder}, which accepts raw values and reports
 * <em>all</em> problems at once, each naming the offending agent, edge or value:
 * blank or duplicate agent ids, unknown roles, edges naming unknown agents, self-loops, duplicate
 * edges, invocation probabilities outside [0, 1], multiplicities below 1, negative or non-finite
 * entry shares, no entry agent, and cycles when the caller forbids them.
 *
 * <p>Entry agents are those with a positive entry share; if no share is given at all, every agent
 * with role {@code entry} gets an equal share. Layers are BFS depths from the entries (unreachable
 * agents get the maximum depth + 1). CPU demand defaults to 2 ms. Immutable once built; agents and
 * edges keep their insertion order, which fixes the node and edge ids of {@link #toServiceGraph()}.
 */
public final class TopologySpec {
    /** Default own CPU demand of an agent without one, 2 ms. */
    public static final long DEFAULT_CPU_DEMAND_NS = 2_000_000L;

    /**
     * An agent.
     *
     * @param id unique id
     * @param role role
     * @param cpuDemandNs own CPU demand per request
     * @param errorRate intrinsic error probability ε_i of one request, in [0, 1] (default 0)
     */
    public record Agent(String id, ServiceGraph.Role role, long cpuDemandNs, double errorRate) {
        /** An agent with error rate 0. */
        public Agent(String id, ServiceGraph.Role role, long cpuDemandNs) {
            this(id, role, cpuDemandNs, 0.0);
        }
    }

    /**
     * A call edge.
     *
     * @param from caller id
     * @param to callee id
     * @param invocationProbability π in [0, 1]
     * @param multiplicityMin smallest number of calls per invocation, ≥ 1
     * @param multiplicityMax largest (≥ min); the number is uniform on [min, max]
     * @param type edge type
     * @param exclusiveGroup −1 (independent), or a caller-local group id ≥ 0: edges of one caller
     *     with the same group are alternatives, at most one is taken per request, and their π must
     *     sum to ≤ 1 (a router's routes)
     * @param parallelGroup −1 (called in sequence), or a caller-local group id ≥ 0: edges of one
     *     caller with the same parallel group are invoked together and the caller waits for all of
     *     them (a fan-out); an edge is in an exclusive group or a parallel group, not both
     */
    public record Edge(String from, String to, double invocationProbability, int multiplicityMin, int multiplicityMax,
            ServiceGraph.EdgeType type, int exclusiveGroup, int parallelGroup) {
        /** An edge called in sequence. */
        public Edge(String from, String to, double invocationProbability, int multiplicityMin, int multiplicityMax,
                ServiceGraph.EdgeType type, int exclusiveGroup) {
            this(from, to, invocationProbability, multiplicityMin, multiplicityMax, type, exclusiveGroup, -1);
        }

        /** An independent edge with a fixed multiplicity. */
        public Edge(String from, String to, double invocationProbability, int multiplicity, ServiceGraph.EdgeType type) {
            this(from, to, invocationProbability, multiplicity, multiplicity, type, -1);
        }

        /** The smallest multiplicity (equal to the largest for a fixed multiplicity). */
        public int multiplicity() {
            return multiplicityMin;
        }
    }

    private final String name;
    private final List<Agent> agents;
    private final List<Edge> edges;
    private final double[] shares;

    private TopologySpec(String name, List<Agent> agents, List<Edge> edges, double[] shares) {
        this.name = name;
        this.agents = List.copyOf(agents);
        this.edges = List.copyOf(edges);
        this.shares = shares;
    }

    /** A builder for a topology called {@code name}. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The topology's name. */
    public String name() {
        return name;
    }

    /** The agents in insertion order. */
    public List<Agent> agents() {
        return agents;
    }

    /** The edges in insertion order. */
    public List<Edge> edges() {
        return edges;
    }

    /** The normalised entry share of agent {@code i} (insertion index). */
    public double entryShare(int i) {
        return shares[i];
    }

    /**
     * Parses a role name: entry, middle, leaf (= leaf-stateless), leaf-stateless, cache (leaf-cache),
     * db (leaf-db), llm-provider, tool; case-insensitive, '_' and '-' equivalent.
     *
     * @throws CascadeInputException naming the unknown role
     */
    public static ServiceGraph.Role parseRole(String role) {
        String r = role == null ? "" : role.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (r) {
            case "entry" -> ServiceGraph.Role.ENTRY;
            case "middle" -> ServiceGraph.Role.MIDDLE;
            case "leaf", "leaf-stateless", "stateless" -> ServiceGraph.Role.LEAF_STATELESS;
            case "cache", "leaf-cache", "mc" -> ServiceGraph.Role.LEAF_CACHE;
            case "db", "leaf-db" -> ServiceGraph.Role.LEAF_DB;
            case "llm-provider", "provider" -> ServiceGraph.Role.LLM_PROVIDER;
            case "tool" -> ServiceGraph.Role.TOOL;
            default -> throw new CascadeInputException("unknown role '" + role
                    + "'; use entry, middle, leaf, cache, db, llm-provider or tool");
        };
    }

    /** Parses an edge type: rpc, async, db, mc (case-insensitive). */
    public static ServiceGraph.EdgeType parseEdgeType(String type) {
        String t = type == null ? "" : type.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "rpc" -> ServiceGraph.EdgeType.RPC;
            case "async", "mq" -> ServiceGraph.EdgeType.ASYNC;
            case "db" -> ServiceGraph.EdgeType.DB;
            case "mc", "cache" -> ServiceGraph.EdgeType.MC;
            default -> throw new CascadeInputException("unknown edge type '" + type + "'; use rpc, async, db or mc");
        };
    }

    /** The topology as a {@link ServiceGraph}: agent i becomes node i, edge j becomes edge j. */
    public ServiceGraph toServiceGraph() {
        int n = agents.size();
        Map<String, Integer> id = new HashMap<>();
        for (int i = 0; i < n; i++) {
            id.put(agents.get(i).id(), i);
        }
        int[] off = new int[n + 1];
        for (Edge e : edges) {
            off[id.get(e.from()) + 1]++;
        }
        for (int i = 0; i < n; i++) {
            off[i + 1] += off[i];
        }
        int[] fill = java.util.Arrays.copyOf(off, n);
        int[] adj = new int[edges.size()];
        for (Edge e : edges) {
            adj[fill[id.get(e.from())]++] = id.get(e.to());
        }
        int[] layer = new int[n];
        java.util.Arrays.fill(layer, -1);
        ArrayDeque<Integer> q = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            if (shares[i] > 0) {
                layer[i] = 0;
                q.add(i);
            }
        }
        int max = 0;
        while (!q.isEmpty()) {
            int v = q.poll();
            for (int p = off[v]; p < off[v + 1]; p++) {
                int w = adj[p];
                if (layer[w] < 0) {
                    layer[w] = layer[v] + 1;
                    max = Math.max(max, layer[w]);
                    q.add(w);
                }
            }
        }
        ServiceGraph.Builder b = ServiceGraph.builder(name);
        for (int i = 0; i < n; i++) {
            Agent a = agents.get(i);
            b.addNode(a.id(), a.role(), layer[i] < 0 ? max + 1 : layer[i], a.cpuDemandNs());
            b.entryShare(i, shares[i]);
        }
        for (Edge e : edges) {
            b.addEdge(id.get(e.from()), id.get(e.to()), e.type(), e.invocationProbability(), e.multiplicityMin(),
                    e.multiplicityMax(), e.exclusiveGroup(), e.parallelGroup());
        }
        return b.build();
    }

    /**
     * Collects raw agents, edges and shares; {@link #problems()} lists everything wrong and
     * {@link #build()} throws one {@link CascadeInputException} naming all of it. Not thread-safe.
     */
    public static final class Builder {
        private final String name;
        private final List<String> agentIds = new ArrayList<>();
        private final List<String> agentRoles = new ArrayList<>();
        private final List<Long> agentDemands = new ArrayList<>();
        private final List<Double> agentErrors = new ArrayList<>();
        private final List<Edge> rawEdges = new ArrayList<>();
        private final List<String> rawEdgeTypes = new ArrayList<>();
        private final List<String> shareIds = new ArrayList<>();
        private final List<Double> shareValues = new ArrayList<>();
        private boolean forbidCycles;

        private Builder(String name) {
            this.name = name == null || name.isBlank() ? "topology" : name;
        }

        /** Adds an agent with a role name (see {@link #parseRole}) and the default CPU demand. */
        public Builder agent(String id, String role) {
            return agent(id, role, DEFAULT_CPU_DEMAND_NS);
        }

        /** Adds an agent with a role name and a CPU demand in ns. */
        public Builder agent(String id, String role, long cpuDemandNs) {
            return agent(id, role, cpuDemandNs, 0.0);
        }

        /** Adds an agent with a role name, a CPU demand in ns and an intrinsic error rate in [0, 1]. */
        public Builder agent(String id, String role, long cpuDemandNs, double errorRate) {
            agentIds.add(id);
            agentRoles.add(role);
            agentDemands.add(cpuDemandNs);
            agentErrors.add(errorRate);
            return this;
        }

        /** Adds an RPC edge. */
        public Builder edge(String from, String to, double invocationProbability, int multiplicity) {
            return edge(from, to, invocationProbability, multiplicity, "rpc");
        }

        /** Adds an edge with a type name (see {@link #parseEdgeType}). */
        public Builder edge(String from, String to, double invocationProbability, int multiplicity, String type) {
            return edge(from, to, invocationProbability, multiplicity, multiplicity, type, -1);
        }

        /**
         * Adds an edge with a multiplicity range U{min..max}, a type name and an exclusive group
         * (−1 for an independent edge).
         */
        public Builder edge(String from, String to, double invocationProbability, int multiplicityMin, int multiplicityMax,
                String type, int exclusiveGroup) {
            return edge(from, to, invocationProbability, multiplicityMin, multiplicityMax, type, exclusiveGroup, -1);
        }

        /**
         * Adds an edge with a multiplicity range, a type name, an exclusive group and a parallel
         * group (−1 for none; see {@link Edge}).
         */
        public Builder edge(String from, String to, double invocationProbability, int multiplicityMin, int multiplicityMax,
                String type, int exclusiveGroup, int parallelGroup) {
            rawEdges.add(new Edge(from, to, invocationProbability, multiplicityMin, multiplicityMax,
                    ServiceGraph.EdgeType.RPC, exclusiveGroup, parallelGroup));
            rawEdgeTypes.add(type);
            return this;
        }

        /** Sets the (unnormalised) entry share of an agent. */
        public Builder entry(String id, double share) {
            shareIds.add(id);
            shareValues.add(share);
            return this;
        }

        /** Whether a cycle is a problem (default: cycles allowed). */
        public Builder forbidCycles(boolean forbid) {
            this.forbidCycles = forbid;
            return this;
        }

        /** Every problem of the topology, in a stable order; empty if it is valid. */
        public List<String> problems() {
            return validate(null);
        }

        /**
         * Builds the topology.
         *
         * @throws CascadeInputException listing every problem
         */
        public TopologySpec build() {
            List<Agent> agents = new ArrayList<>();
            List<String> problems = validate(agents);
            if (!problems.isEmpty()) {
                throw new CascadeInputException("topology '" + name + "' is invalid (" + problems.size()
                        + (problems.size() == 1 ? " problem): " : " problems): ") + String.join("; ", problems));
            }
            List<Edge> edges = new ArrayList<>();
            for (int j = 0; j < rawEdges.size(); j++) {
                Edge e = rawEdges.get(j);
                edges.add(new Edge(e.from(), e.to(), e.invocationProbability(), e.multiplicityMin(), e.multiplicityMax(),
                        parseEdgeType(rawEdgeTypes.get(j)), e.exclusiveGroup(), e.parallelGroup()));
            }
            return new TopologySpec(name, agents, edges, shares());
        }

        private double[] shares() {
            int n = agentIds.size();
            Map<String, Integer> id = index();
            double[] s = new double[n];
            for (int k = 0; k < shareIds.size(); k++) {
                Integer i = id.get(shareIds.get(k));
                if (i != null) {
                    s[i] += shareValues.get(k);
                }
            }
            double total = 0;
            for (double x : s) {
                total += x;
            }
            if (total == 0) {
                for (int i = 0; i < n; i++) {
                    if (roleOrNull(agentRoles.get(i)) == ServiceGraph.Role.ENTRY) {
                        s[i] = 1;
                        total += 1;
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                s[i] = total > 0 ? s[i] / total : 0;
            }
            return s;
        }

        private Map<String, Integer> index() {
            Map<String, Integer> id = new HashMap<>();
            for (int i = 0; i < agentIds.size(); i++) {
                id.putIfAbsent(agentIds.get(i), i);
            }
            return id;
        }

        private static ServiceGraph.Role roleOrNull(String role) {
            try {
                return parseRole(role);
            } catch (CascadeInputException e) {
                return null;
            }
        }

        private List<String> validate(List<Agent> out) {
            List<String> problems = new ArrayList<>();
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < agentIds.size(); i++) {
                String id = agentIds.get(i);
                if (id == null || id.isBlank()) {
                    problems.add("agent #" + i + " has a blank id");
                    continue;
                }
                if (seen.containsKey(id)) {
                    problems.add("duplicate agent id '" + id + "'");
                } else {
                    seen.put(id, i);
                }
                ServiceGraph.Role role = roleOrNull(agentRoles.get(i));
                if (role == null) {
                    problems.add("agent '" + id + "' has unknown role '" + agentRoles.get(i)
                            + "' (use entry, middle, leaf, cache, db, llm-provider or tool)");
                }
                if (agentDemands.get(i) < 0) {
                    problems.add("agent '" + id + "' has a negative CPU demand " + agentDemands.get(i) + " ns");
                }
                double err = agentErrors.get(i);
                if (!(err >= 0 && err <= 1)) {
                    problems.add("agent '" + id + "' has error rate " + err + " outside [0, 1]");
                }
                if (out != null && role != null) {
                    out.add(new Agent(id, role, agentDemands.get(i), err));
                }
            }
            java.util.Set<String> pairs = new java.util.HashSet<>();
            for (int j = 0; j < rawEdges.size(); j++) {
                Edge e = rawEdges.get(j);
                String label = "edge " + e.from() + " -> " + e.to();
                boolean known = true;
                if (!seen.containsKey(e.from())) {
                    problems.add(label + " names unknown agent '" + e.from() + "'");
                    known = false;
                }
                if (!seen.containsKey(e.to())) {
                    problems.add(label + " names unknown agent '" + e.to() + "'");
                    known = false;
                }
                if (known && e.from().equals(e.to())) {
                    problems.add(label + " is a self-loop");
                }
                if (known && !pairs.add(e.from() + "\u0000" + e.to())) {
                    problems.add("duplicate " + label);
                }
                if (!(e.invocationProbability() >= 0 && e.invocationProbability() <= 1)) {
                    problems.add(label + " has invocation probability " + e.invocationProbability() + " outside [0, 1]");
                }
                if (e.multiplicityMin() < 1) {
                    problems.add(label + " has multiplicity " + e.multiplicityMin() + " (must be >= 1)");
                } else if (e.multiplicityMax() < e.multiplicityMin()) {
                    problems.add(label + " has multiplicity range [" + e.multiplicityMin() + ", " + e.multiplicityMax()
                            + "] (max must be >= min)");
                }
                if (e.exclusiveGroup() < -1) {
                    problems.add(label + " has exclusive group " + e.exclusiveGroup() + " (must be >= -1)");
                }
                if (e.parallelGroup() < -1) {
                    problems.add(label + " has parallel group " + e.parallelGroup() + " (must be >= -1)");
                } else if (e.parallelGroup() >= 0 && e.exclusiveGroup() >= 0) {
                    problems.add(label + " is in exclusive group " + e.exclusiveGroup() + " and parallel group "
                            + e.parallelGroup() + " (an edge can be in one of them, not both)");
                }
                try {
                    parseEdgeType(rawEdgeTypes.get(j));
                } catch (CascadeInputException ex) {
                    problems.add(label + ": " + ex.getMessage());
                }
            }
            boolean anyShare = false;
            for (int k = 0; k < shareIds.size(); k++) {
                String id = shareIds.get(k);
                double v = shareValues.get(k);
                if (!seen.containsKey(id)) {
                    problems.add("entry share names unknown agent '" + id + "'");
                }
                if (!(v >= 0) || Double.isInfinite(v)) {
                    problems.add("entry share of '" + id + "' is " + v + " (must be finite and >= 0)");
                } else if (v > 0) {
                    anyShare = true;
                }
            }
            boolean anyEntryRole = false;
            for (String r : agentRoles) {
                anyEntryRole |= roleOrNull(r) == ServiceGraph.Role.ENTRY;
            }
            if (!anyShare && !anyEntryRole) {
                problems.add("no entry agents: give at least one agent role 'entry' or a positive entry share");
            }
            if (forbidCycles && problems.isEmpty()) {
                String cycle = findCycle(seen);
                if (cycle != null) {
                    problems.add("cycle " + cycle + " (cycles are forbidden for this topology)");
                }
            }
            return problems;
        }

        /** A cycle as "a -> b -> a", or null; iterative DFS in insertion order. */
        private String findCycle(Map<String, Integer> id) {
            int n = agentIds.size();
            List<List<Integer>> adj = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                adj.add(new ArrayList<>());
            }
            for (Edge e : rawEdges) {
                adj.get(id.get(e.from())).add(id.get(e.to()));
            }
            int[] state = new int[n]; // 0 new, 1 on stack, 2 done
            int[] parent = new int[n];
            int[] next = new int[n];
            for (int s = 0; s < n; s++) {
                if (state[s] != 0) {
                    continue;
                }
                ArrayDeque<Integer> stack = new ArrayDeque<>();
                stack.push(s);
                state[s] = 1;
                parent[s] = -1;
                while (!stack.isEmpty()) {
                    int v = stack.peek();
                    if (next[v] < adj.get(v).size()) {
                        int w = adj.get(v).get(next[v]++);
                        if (state[w] == 0) {
                            state[w] = 1;
                            parent[w] = v;
                            stack.push(w);
                        } else if (state[w] == 1) {
                            List<String> path = new ArrayList<>();
                            for (int x = v; x != w; x = parent[x]) {
                                path.add(0, agentIds.get(x));
                            }
                            path.add(0, agentIds.get(w));
                            path.add(agentIds.get(w));
                            return String.join(" -> ", path);
                        }
                    } else {
                        state[v] = 2;
                        stack.pop();
                    }
                }
            }
            return null;
        }
    }
}
