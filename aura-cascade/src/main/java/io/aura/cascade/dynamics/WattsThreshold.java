package io.aura.cascade.dynamics;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.graph.ServiceGraph;
import io.aura.cascade.graph.UndirectedGraph;
import io.aura.cascade.random.SplitMix64;

/**
 * D2: Watts threshold contagion (D. J. Watts, "A simple model of global cascades on random
 * networks", PNAS 99:5766–5771, 2002), CPB spec section 3.
 *
 * <p>State a_i ∈ {0, 1}. Node i activates when {@code Σ_{j ∈ in(i)} w_ji a_j / Σ_{j ∈ in(i)} w_ji ≥ φ_i};
 * active nodes stay active. Updates are synchronous: round t+1 is decided on the states of round t.
 * Thresholds φ_i ~ N(φ̄, σ) truncated to [0, 1] (redrawn until inside; σ = 0 gives φ̄), drawn
 * for i = 0..N−1 in order, then k = round(ρ0·N) distinct seed nodes are drawn uniformly
 * ({@code nextInt(N)}, repeats rejected). A node with no in-weight never activates unless seeded.
 *
 * <p>Each node activates at most once and pushes its weight to its out-neighbours once, so a run
 * is O(N + M) time on primitive arrays; it handles N = 1e6 in well under a second.
 *
 * <p>Graphs: on an {@link UndirectedGraph} in(i) are the neighbours with w = 1. On a
 * {@link ServiceGraph} failure spreads from callee to caller (a caller fails when the weighted
 * fraction of its failed dependencies reaches φ), with w = π·E[m] of the call edge.
 */
public final class WattsThreshold {
    private WattsThreshold() {
    }

    /**
     * Outcome of one contagion.
     *
     * @param activeFraction final fraction of active nodes (seeds included)
     * @param activeCount final number of active nodes
     * @param rounds synchronous rounds that activated at least one node
     * @param activationRound per node: 0 for seeds, t for activation in round t, −1 if never
     */
    public record Result(double activeFraction, int activeCount, int rounds, int[] activationRound) {
    }

    /** Runs D2 on an undirected graph (unit weights). */
    public static Result run(UndirectedGraph g, double phiMean, double phiSigma, double rho0, SplitMix64 rng) {
        int[] off = g.offsets();
        int[] adj = g.targets();
        return runCsr(g.nodeCount(), off, adj, null, phiMean, phiSigma, rho0, rng);
    }

    /** Runs D2 on a service graph: influence flows callee → caller with weight π·E[m]. */
    public static Result run(ServiceGraph g, double phiMean, double phiSigma, double rho0, SplitMix64 rng) {
        int n = g.nodeCount();
        // influence CSR: row j (callee) lists its callers i with weight w_ji = expected calls of i -> j
        int[] off = g.inOffsets();
        int[] ids = g.inEdgeIds();
        int[] src = g.sources();
        int[] to = new int[ids.length];
        double[] w = new double[ids.length];
        for (int p = 0; p < ids.length; p++) {
            to[p] = src[ids[p]];
            w[p] = g.expectedCalls(ids[p]);
        }
        return runCsr(n, off, to, w, phiMean, phiSigma, rho0, rng);
    }

    /**
     * The kernel: row j of ({@code off}, {@code to}, {@code w}) lists the nodes i that j influences
     * and the weight w_ji ({@code w == null}: all 1).
     */
    static Result runCsr(int n, int[] off, int[] to, double[] w, double phiMean, double phiSigma, double rho0,
            SplitMix64 rng) {
        if (!(phiMean >= 0 && phiMean <= 1)) {
            throw new CascadeInputException("threshold mean phi must be in [0, 1], got " + phiMean);
        }
        if (!(phiSigma >= 0) || Double.isInfinite(phiSigma)) {
            throw new CascadeInputException("threshold sigma must be finite and >= 0, got " + phiSigma);
        }
        if (!(rho0 >= 0 && rho0 <= 1)) {
            throw new CascadeInputException("seed fraction rho0 must be in [0, 1], got " + rho0);
        }
        double[] totalIn = new double[n];
        for (int j = 0; j < n; j++) {
            for (int p = off[j]; p < off[j + 1]; p++) {
                totalIn[to[p]] += w == null ? 1.0 : w[p];
            }
        }
        double[] phi = new double[n];
        for (int i = 0; i < n; i++) {
            if (phiSigma == 0) {
                phi[i] = phiMean;
                continue;
            }
            double x;
            do {
                x = phiMean + phiSigma * rng.nextGaussian();
            } while (x < 0 || x > 1);
            phi[i] = x;
        }
        int k = (int) Math.rint(rho0 * n);
        int[] round = new int[n];
        java.util.Arrays.fill(round, -1);
        int[] frontier = new int[n];
        int fsize = 0;
        while (fsize < k) {
            int v = rng.nextInt(n);
            if (round[v] < 0) {
                round[v] = 0;
                frontier[fsize++] = v;
            }
        }
        double[] activeIn = new double[n];
        int[] touched = new int[n];
        boolean[] isTouched = new boolean[n];
        int[] next = new int[n];
        int active = fsize;
        int rounds = 0;
        while (fsize > 0) {
            int tsize = 0;
            for (int f = 0; f < fsize; f++) {
                int j = frontier[f];
                for (int p = off[j]; p < off[j + 1]; p++) {
                    int i = to[p];
                    if (round[i] >= 0) {
                        continue;
                    }
                    activeIn[i] += w == null ? 1.0 : w[p];
                    if (!isTouched[i]) {
                        isTouched[i] = true;
                        touched[tsize++] = i;
                    }
                }
            }
            int nsize = 0;
            for (int t = 0; t < tsize; t++) {
                int i = touched[t];
                isTouched[i] = false;
                if (totalIn[i] > 0 && activeIn[i] / totalIn[i] >= phi[i]) {
                    round[i] = rounds + 1;
                    next[nsize++] = i;
                }
            }
            if (nsize == 0) {
                break;
            }
            rounds++;
            active += nsize;
            int[] tmp = frontier;
            frontier = next;
            next = tmp;
            fsize = nsize;
        }
        return new Result(n == 0 ? 0 : (double) active / n, active, rounds, round);
    }
}
