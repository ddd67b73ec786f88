package io.aura.cli.cpb;

import io.aura.cascade.sim.EpisodeParams;
import io.aura.cascade.sim.EpisodeResult;
import io.aura.cascade.sim.SimTopology;
import java.util.function.Supplier;

/** Runs the RAND-budget control of one seed from its SUT episode. */
final class RandBudgetRun {
    private RandBudgetRun() {
    }

    static EpisodeResult run(Arm.RandBudget arm, SimTopology topology, EpisodeParams params, long seed,
            Supplier<EpisodeResult> sutEpisode) {
        throw new UnsupportedOperationException("RAND-budget needs RandBudgetGuard (branch baselines)");
    }
}
