package io.aura.cli.cpb;

import io.aura.cascade.sim.Episode;
import io.aura.cascade.sim.EpisodeParams;
import io.aura.cascade.sim.EpisodeResult;
import io.aura.cascade.sim.SimTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Runs every (seed, arm) episode of a CPB run on a fixed thread pool and hands the results back in
 * the deterministic order seed ascending, then arm in the given order, whatever the thread count.
 *
 * <p>Each seed's topology is built once (by whichever of its episodes starts first) and shared,
 * read-only, by its arms; it is dropped once they are all done. The RAND-budget arm waits for its
 * SUT arm's episode on the same seed. Waiting never deadlocks: a task that needs another task's
 * result runs that {@link FutureTask} itself if no thread has started it.
 */
public final class CpbRunner {
    /**
     * What to run.
     *
     * @param source topology of each seed
     * @param alpha tolerance α for the provisioning
     * @param firstSeed first episode seed
     * @param lastSeed last episode seed (inclusive)
     * @param arms arms, in output order
     * @param params episode parameters shared by all arms
     * @param threads worker threads
     * @param fluid true: every episode runs on D3-fluid ({@code Episode.runFluid}, at the family size's
     *     step) instead of the DES; only the b0 and SUT arms can
     * @param featureScores true: AURA's arms also record every model feature per tick, each scored alone
     *     in the summary ({@code --feature-scores})
     * @param fluidStep the fluid model's time step in seconds ({@code --step}), or ≤ 0 for the spec's step
     *     of each size (0.1 s, 1 s from 100 000 agents)
     */
    public record Plan(TopologySource source, double alpha, long firstSeed, long lastSeed, List<Arm> arms,
            EpisodeParams params, int threads, boolean fluid, boolean featureScores, double fluidStep) {
        /** A plan on the DES. */
        public Plan(TopologySource source, double alpha, long firstSeed, long lastSeed, List<Arm> arms,
                EpisodeParams params, int threads) {
            this(source, alpha, firstSeed, lastSeed, arms, params, threads, false, false, 0);
        }

        public Plan {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(params, "params");
            arms = List.copyOf(arms);
            if (arms.isEmpty()) {
                throw new IllegalArgumentException("no arms");
            }
            if (lastSeed < firstSeed) {
                throw new IllegalArgumentException("empty seed range " + firstSeed + "-" + lastSeed);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1: " + threads);
            }
            if (fluidStep > 0 && (!fluid || !Episode.dividesOneSecond(fluidStep))) {
                throw new IllegalArgumentException(!fluid ? "--step applies to --dynamics fluid only"
                        : "--step " + fluidStep + ": the fluid step must divide one second (0.1, 0.2, 0.5, 1)");
            }
            if (fluid) {
                for (Arm a : arms) {
                    boolean ok = a instanceof Arm.Guarded || (a instanceof Arm.Baseline b && b.name().equals("b0"));
                    if (!ok) {
                        throw new IllegalArgumentException("arm '" + a.name() + "' cannot run on --dynamics fluid: the fluid model "
                                + "has no in-simulator baselines; use b0 and the SUT arms (aura, aura-predict, ...)");
                    }
                }
            }
        }

        /** Number of seeds. */
        public int seedCount() {
            return Math.toIntExact(lastSeed - firstSeed + 1);
        }

        /** Number of episodes (seeds × arms). */
        public int episodeCount() {
            return Math.multiplyExact(seedCount(), arms.size());
        }
    }

    /**
     * One finished episode.
     *
     * @param arm arm name
     * @param seed episode master seed
     * @param result the simulator's outcome
     * @param wallNanos wall time of the simulation (harness-side measurement, not part of any hash)
     * @param cpuNanos CPU time of the simulating thread, or -1 if the JVM cannot measure it
     * @param topologySha256 {@link TopologyHash} of the seed's topology
     * @param agents agent count of the topology
     * @param baselineScores the simple baseline predictors' per-tick scores of spec 6.4, one series per
     *     {@link BaselineScores#NAMES} entry, recorded for SUT arms whose guard is AURA's (then, with
     *     {@link Plan#featureScores()}, one series per model feature); empty otherwise
     */
    public record EpisodeRecord(String arm, long seed, EpisodeResult result, long wallNanos, long cpuNanos, String topologySha256, int agents,
            double[][] baselineScores) {
        public EpisodeRecord {
            Objects.requireNonNull(baselineScores, "baselineScores");
        }

        /** An episode without baseline scores. */
        public EpisodeRecord(String arm, long seed, EpisodeResult result, long wallNanos, long cpuNanos, String topologySha256, int agents) {
            this(arm, seed, result, wallNanos, cpuNanos, topologySha256, agents, new double[0][]);
        }
    }

    /** Progress callback, called from worker threads after each episode. */
    public interface Listener {
        /**
         * @param done episodes finished so far
         * @param total episodes in the run
         * @param events simulator events processed so far
         */
        void episodeDone(int done, int total, long events);

        /** The run is about to start {@code total} episodes. */
        default void started(int total) {
        }

        /** One more simulated second of a running episode (a long episode shows progress before it ends). */
        default void secondSimulated() {
        }
    }

    /** Consumer of results in deterministic order, called on the thread that called {@link #run}. */
    public interface Sink {
        void accept(EpisodeRecord record);
    }

    private record Topo(SimTopology topology, String sha256) {
    }

    private CpbRunner() {
    }

    /**
     * Runs the plan.
     *
     * @param plan what to run
     * @param listener progress callback (any thread)
     * @param sink receives every episode in order (calling thread), while later episodes still run
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalArgumentException if building a topology or an episode rejects its input
     */
    public static void run(Plan plan, Listener listener, Sink sink) throws InterruptedException {
        int seeds = plan.seedCount();
        int armCount = plan.arms().size();
        int total = plan.episodeCount();
        AtomicReferenceArray<FutureTask<Topo>> topologies = new AtomicReferenceArray<>(seeds);
        AtomicInteger[] remaining = new AtomicInteger[seeds];
        for (int s = 0; s < seeds; s++) {
            long seed = plan.firstSeed() + s;
            topologies.set(s, new FutureTask<>(() -> {
                SimTopology t = plan.source().build(plan.alpha(), seed);
                return new Topo(t, TopologyHash.of(t));
            }));
            remaining[s] = new AtomicInteger(armCount);
        }
        AtomicInteger done = new AtomicInteger();
        AtomicLong events = new AtomicLong();
        List<FutureTask<EpisodeRecord>> tasks = new ArrayList<>(total);
        for (int s = 0; s < seeds; s++) {
            int seedIndex = s;
            long seed = plan.firstSeed() + s;
            FutureTask<Topo> topo = topologies.get(s);
            List<FutureTask<EpisodeRecord>> sameSeed = new ArrayList<>(armCount);
            for (Arm arm : plan.arms()) {
                FutureTask<EpisodeRecord> task = new FutureTask<>(() -> {
                    topo.run(); // builds the topology unless another arm's task already did
                    Topo t = OrderedPool.get(topo);
                    long t0 = System.nanoTime();
                    long c0 = cpuNanos();
                    double[][] scores = new double[0][];
                    EpisodeResult r = switch (arm) {
                        case Arm.Baseline b -> b.run(t.topology(), plan.params(), seed, plan.fluid(), plan.fluidStep(),
                                sec -> listener.secondSimulated());
                        case Arm.Guarded g -> {
                            Arm.Scored sc = g.run(t.topology(), plan.params(), seed, plan.fluid(), plan.featureScores(),
                                    plan.fluidStep(), sec -> listener.secondSimulated());
                            scores = sc.baselineScores();
                            yield sc.result();
                        }
                        case Arm.RandBudget rb -> RandBudgetRun.run(t.topology(), plan.params(), seed,
                                () -> sutResult(sameSeed, plan.arms(), rb.sut()));
                    };
                    long wall = System.nanoTime() - t0;
                    long cpu = c0 < 0 ? -1 : cpuNanos() - c0;
                    if (!(arm instanceof Arm.Guarded)) {
                        r = r.withoutGuardTrace(); // only SUT arms' risk and predict timings are reported
                    }
                    if (remaining[seedIndex].decrementAndGet() == 0) {
                        topologies.set(seedIndex, null);
                    }
                    listener.episodeDone(done.incrementAndGet(), total, events.addAndGet(r.events()));
                    return new EpisodeRecord(arm.name(), seed, r, wall, cpu, t.sha256(), t.topology().agentCount(), scores);
                });
                sameSeed.add(task);
                tasks.add(task);
            }
        }
        listener.started(total);
        OrderedPool.execute(tasks, plan.threads(), "cpb-episode", sink::accept);
    }

    /** CPU time of the current thread (ns), or -1 if unsupported. */
    private static long cpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : -1;
    }

    private static EpisodeResult sutResult(List<FutureTask<EpisodeRecord>> sameSeed, List<Arm> arms, Arm.Guarded sut) {
        FutureTask<EpisodeRecord> task = sameSeed.get(arms.indexOf(sut));
        task.run();
        try {
            return OrderedPool.get(task).result();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the SUT episode", e);
        }
    }

}
