package io.aura.cli.cpb;

import io.aura.cascade.sim.Episode;
import io.aura.cascade.sim.EpisodeParams;
import io.aura.cascade.sim.EpisodeResult;
import io.aura.cascade.sim.RandBudgetGuard;
import io.aura.cascade.sim.SimTopology;
import java.util.function.Supplier;

/**
 * Runs the RAND-budget control of one seed: {@link RandBudgetGuard} built from the SUT episode's
 * applied actions and t_f on the same seed (waiting for that episode if needed), on B0's clients.
 */
final class RandBudgetRun {
    private RandBudgetRun() {
    }

    static EpisodeResult run(SimTopology topology, EpisodeParams params, long seed,
            Supplier<EpisodeResult> sutEpisode) {
        return Episode.run(topology, params, RandBudgetGuard.of(sutEpisode.get(), seed), seed);
    }
}
