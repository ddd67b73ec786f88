package io.aura.cascade.dynamics;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.graph.ServiceGraph;
import io.aura.cascade.random.SplitMix64;

import java.util.Arrays;

/**
 * D5: semantic contagion among LLM agents (CPB spec section 3 D5), the D2 threshold rule applied to
 * message content, with fault F7 (semantic corruption) of section 4.
 *
 * <p><b>Agents and messages.</b> The agents are the nodes of an LLM orchestration ({@link
 * io.aura.cascade.graph.LlmOrchestrations}) with role ENTRY or MIDDLE; the shared provider and the
 * tools are infrastructure (scored by D3) and carry no semantic state. Content flows both ways
 * along every agent → agent edge (instructions down, results up; debate messages both ways), so
 * agent i's inputs are its agent neighbours j in either direction with weight
 * {@code w_ji = Σ π·E[m]} over the edges between them.
 *
 * <p><b>One task.</b> Thresholds {@code φ_i ~ N(φ̄ = 0.5, σ = 0.15)} truncated to [0, 1] (redrawn
 * until inside), plus 0.3 if i has a verifier (a φ_i above 1 means contagion alone can never
 * corrupt i); drawn for i = 0..N−1 in order.
 * Then each agent's own output is corrupted with its base probability e_i (default 0.05; F7 raises
 * e_i of one agent to 0.3 or 0.6), one {@code nextDouble()} per agent in id order. Then synchronous
 * rounds: a clean agent becomes corrupted when {@code Σ_{j corrupted} w_ji / Σ_j w_ji ≥ φ_i}; a
 * corrupted agent stays corrupted. An <em>isolated</em> agent contributes nothing: its edges are
 * removed from every neighbour's numerator and denominator, and it is itself never corrupted (it
 * produces no output). The task fails if an entry agent's output is corrupted or every entry is
 * isolated (no answer).
 *
 * <p>Each agent is corrupted at most once and pushes its weight once: O(N + M) per task.
 */
public final class SemanticContagion {
    /** Default base corruption probability e_i. */
    public static final double DEFAULT_BASE_ERROR = 0.05;
    /** Mean threshold φ̄. */
    public static final double PHI_MEAN = 0.5;
    /** Threshold standard deviation. */
    public static final double PHI_SIGMA = 0.15;
    /** Threshold increase given by a verifier. */
    public static final double VERIFIER_BOOST = 0.3;
    /** F7 magnitudes of spec section 4. */
    public static final double[] F7_ERRORS = {0.3, 0.6};

    private final int n;
    private final boolean[] agent;
    private final boolean[] entry;
    private final int[] off;
    private final int[] nbr;
    private final double[] w;

    /**
     * Prepares D5 on an orchestration graph.
     *
     * @throws CascadeInputException if the graph has no ENTRY/MIDDLE agent
     */
    public SemanticContagion(ServiceGraph g) {
        n = g.nodeCount();
        agent = new boolean[n];
        entry = new boolean[n];
        int agents = 0;
        for (int i = 0; i < n; i++) {
            ServiceGraph.Role r = g.role(i);
            agent[i] = r == ServiceGraph.Role.ENTRY || r == ServiceGraph.Role.MIDDLE;
            entry[i] = agent[i] && g.entryShare(i) > 0;
            agents += agent[i] ? 1 : 0;
        }
        if (agents == 0) {
            throw new CascadeInputException("graph '" + g.name() + "' has no LLM agents (roles entry/middle) for D5");
        }
        // undirected CSR over agent-agent edges, both directions
        int[] deg = new int[n + 1];
        int m = g.edgeCount();
        for (int e = 0; e < m; e++) {
            int a = g.source(e);
            int b = g.target(e);
            if (agent[a] && agent[b]) {
                deg[a + 1]++;
                deg[b + 1]++;
            }
        }
        for (int i = 0; i < n; i++) {
            deg[i + 1] += deg[i];
        }
        off = deg;
        nbr = new int[off[n]];
        w = new double[off[n]];
        int[] fill = Arrays.copyOf(off, n);
        for (int e = 0; e < m; e++) {
            int a = g.source(e);
            int b = g.target(e);
            if (agent[a] && agent[b]) {
                double x = g.expectedCalls(e);
                nbr[fill[a]] = b;
                w[fill[a]++] = x;
                nbr[fill[b]] = a;
                w[fill[b]++] = x;
            }
        }
    }

    /**
     * Per-task settings.
     *
     * @param baseError e_i of every agent without an override, in [0, 1]
     * @param f7Agent the agent with the F7 error, or −1 for none
     * @param f7Error its e_i, in [0, 1]
     * @param verifier agents with a verifier (+0.3 on φ), or null
     * @param isolated isolated agents, or null
     */
    public record Task(double baseError, int f7Agent, double f7Error, boolean[] verifier, boolean[] isolated) {
        /** Validates the probabilities. */
        public Task {
            if (!(baseError >= 0 && baseError <= 1) || !(f7Error >= 0 && f7Error <= 1)) {
                throw new CascadeInputException("D5 error rates must be in [0, 1], got base " + baseError + ", F7 " + f7Error);
            }
            verifier = verifier == null ? null : verifier.clone();
            isolated = isolated == null ? null : isolated.clone();
        }

        /** The default task: e_i = 0.05, no F7, no verifiers, nothing isolated. */
        public static Task defaults() {
            return new Task(DEFAULT_BASE_ERROR, -1, 0, null, null);
        }
    }

    /**
     * Outcome of one task.
     *
     * @param corruptedRound per node: 0 corrupted by its base error, t by contagion in round t, −1 clean or not an agent
     * @param corrupted number of corrupted agents
     * @param agents number of agents
     * @param rounds contagion rounds that corrupted at least one agent
     * @param taskFailed whether the task's answer is corrupted or missing
     */
    public record Result(int[] corruptedRound, int corrupted, int agents, int rounds, boolean taskFailed) {
        /** Corrupted agents / agents. */
        public double corruptedFraction() {
            return agents == 0 ? 0 : (double) corrupted / agents;
        }
    }

    /** A uniformly random agent, the F7 target ("random agent"). */
    public int randomAgent(SplitMix64 rng) {
        int agents = 0;
        for (boolean a : agent) {
            agents += a ? 1 : 0;
        }
        int k = rng.nextInt(agents);
        for (int i = 0; i < n; i++) {
            if (agent[i] && k-- == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    /** Runs one task (see the class doc for the draw order). */
    public Result run(Task task, SplitMix64 rng) {
        if (task.f7Agent() >= n || (task.f7Agent() >= 0 && !agent[task.f7Agent()])) {
            throw new CascadeInputException("F7 target " + task.f7Agent() + " is not an LLM agent of this graph");
        }
        boolean[] iso = task.isolated() == null ? new boolean[n] : task.isolated();
        boolean[] ver = task.verifier() == null ? new boolean[n] : task.verifier();
        if (iso.length != n || ver.length != n) {
            throw new CascadeInputException("verifier/isolated arrays must have one entry per node (" + n + ")");
        }
        double[] phi = new double[n];
        for (int i = 0; i < n; i++) {
            double x;
            do {
                x = PHI_MEAN + PHI_SIGMA * rng.nextGaussian();
            } while (x < 0 || x > 1);
            phi[i] = x + (ver[i] ? VERIFIER_BOOST : 0);
        }
        int[] round = new int[n];
        Arrays.fill(round, -1);
        int[] frontier = new int[n];
        int fsize = 0;
        int agents = 0;
        for (int i = 0; i < n; i++) {
            if (!agent[i]) {
                continue;
            }
            agents++;
            double e = i == task.f7Agent() ? task.f7Error() : task.baseError();
            boolean bad = rng.nextDouble() < e;
            if (bad && !iso[i]) {
                round[i] = 0;
                frontier[fsize++] = i;
            }
        }
        double[] total = new double[n];
        for (int j = 0; j < n; j++) {
            if (!agent[j] || iso[j]) {
                continue;
            }
            for (int p = off[j]; p < off[j + 1]; p++) {
                total[nbr[p]] += w[p];
            }
        }
        double[] bad = new double[n];
        int[] next = new int[n];
        int corrupted = fsize;
        int rounds = 0;
        while (fsize > 0) {
            int nsize = 0;
            for (int f = 0; f < fsize; f++) {
                int j = frontier[f];
                for (int p = off[j]; p < off[j + 1]; p++) {
                    int i = nbr[p];
                    if (round[i] >= 0 || iso[i]) {
                        continue;
                    }
                    bad[i] += w[p];
                    if (total[i] > 0 && bad[i] / total[i] >= phi[i] - 1e-12) {
                        round[i] = rounds + 1;
                        next[nsize++] = i;
                    }
                }
            }
            if (nsize == 0) {
                break;
            }
            rounds++;
            corrupted += nsize;
            int[] t = frontier;
            frontier = next;
            next = t;
            fsize = nsize;
        }
        boolean anyEntry = false;
        boolean failed = false;
        for (int i = 0; i < n; i++) {
            if (entry[i] && !iso[i]) {
                anyEntry = true;
                failed |= round[i] >= 0;
            }
        }
        return new Result(round, corrupted, agents, rounds, failed || !anyEntry);
    }
}
