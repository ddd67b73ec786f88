package io.aura.cli.cpb;

import io.aura.cascade.sim.CascadeGuard;
import io.aura.cascade.sim.Episode;
import io.aura.cascade.sim.EpisodeParams;
import io.aura.cascade.sim.EpisodeResult;
import io.aura.cascade.sim.SimTopology;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * One arm of a CPB run (spec 1.2): what runs on each episode seed. All arms of one seed share the
 * topology and the seed, hence arrivals, service times and faults (common random numbers).
 */
public sealed interface Arm permits Arm.Baseline, Arm.Guarded, Arm.RandBudget {

    /** The arm's name on the command line and in every output file. */
    String name();

    /** What the manifests record as the SUT version ("none" for in-simulator baselines). */
    String sutVersion();

    /** The fluid step: {@code stepSec} when positive, else the spec's step for the topology's size. */
    static double step(double stepSec, SimTopology topology) {
        return stepSec > 0 ? stepSec : Episode.fluidStepSec(topology.agentCount());
    }

    /**
     * An in-simulator baseline of spec section 5 (B0..B4): the simulator's own clients and
     * protections, configured through the episode parameters; the guard is {@link CascadeGuard#none()}.
     *
     * @param name arm name
     * @param configure sets the baseline on the run's episode parameters
     */
    record Baseline(String name, UnaryOperator<EpisodeParams> configure) implements Arm {
        public Baseline {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(configure, "configure");
        }

        @Override
        public String sutVersion() {
            return "none";
        }

        /** Runs the episode; on D3-fluid with time step {@code stepSec} (≤ 0: {@link Episode#fluidStepSec} of the size). */
        EpisodeResult run(SimTopology topology, EpisodeParams params, long seed, boolean fluid, double stepSec,
                java.util.function.LongConsumer tick) {
            if (fluid) {
                return Episode.runFluid(topology, episodeParams(params), null, seed, step(stepSec, topology), tick);
            }
            return Episode.run(topology, episodeParams(params), CascadeGuard.none(), seed, tick);
        }

        /** The run's parameters with this baseline set. */
        EpisodeParams episodeParams(EpisodeParams params) {
            return configure.apply(params);
        }
    }

    /**
     * A system under test plugged in through {@link CascadeGuard} (spec 1.3), on B0's clients.
     *
     * @param name arm name
     * @param guard a fresh guard per episode (guards keep per-episode state)
     * @param predictOnly true for the SUT-predict-only arm: actions are not requested
     * @param sutVersion the guard's version for the manifests
     */
    record Guarded(String name, Supplier<CascadeGuard> guard, boolean predictOnly, String sutVersion) implements Arm {
        public Guarded {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(guard, "guard");
            Objects.requireNonNull(sutVersion, "sutVersion");
        }

        /**
         * Runs the episode; when the guard is AURA's, also records the simple baseline predictors of
         * spec 6.4 from the same snapshots ({@link BaselineScores}), and with {@code featureScores} every
         * model feature too ({@link BaselineScores.Recorder}); on D3-fluid the time step is {@code stepSec}
         * (≤ 0: the size's).
         */
        Scored run(SimTopology topology, EpisodeParams params, long seed, boolean fluid, boolean featureScores, double stepSec,
                java.util.function.LongConsumer tick) {
            EpisodeParams p = episodeParams(params);
            CascadeGuard g = guard.get();
            if (g instanceof io.aura.cascade.predict.AuraGuard aura) {
                BaselineScores.Recorder rec = new BaselineScores.Recorder(aura, featureScores);
                EpisodeResult r = simulate(topology, p, rec, seed, fluid, stepSec, tick);
                return new Scored(r, rec.series());
            }
            return new Scored(simulate(topology, p, g, seed, fluid, stepSec, tick), new double[0][]);
        }

        private static EpisodeResult simulate(SimTopology topology, EpisodeParams p, CascadeGuard g, long seed, boolean fluid,
                double stepSec, java.util.function.LongConsumer tick) {
            return fluid ? Episode.runFluid(topology, p, g, seed, step(stepSec, topology), tick)
                    : Episode.run(topology, p, g, seed, tick);
        }

        /** The run's parameters in this arm's mode (predict-only or full). */
        EpisodeParams episodeParams(EpisodeParams params) {
            return params.withPredictOnly(predictOnly);
        }
    }

    /**
     * A SUT arm's episode with the baseline predictors' per-tick scores.
     *
     * @param result the simulator's outcome
     * @param baselineScores one series per {@link BaselineScores#NAMES} entry, then (with feature scores)
     *     one per model feature, or none
     */
    record Scored(EpisodeResult result, double[][] baselineScores) {
    }

    /**
     * The RAND-budget control (spec 1.2, 5): the actions a full-mode SUT arm applied on the same
     * seed, replayed on random agents at random times.
     *
     * @param name arm name
     * @param sut the SUT arm whose action budget is replayed
     */
    record RandBudget(String name, Guarded sut) implements Arm {
        public RandBudget {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(sut, "sut");
        }

        @Override
        public String sutVersion() {
            return "rand-budget of " + sut.name() + " " + sut.sutVersion();
        }
    }
}
