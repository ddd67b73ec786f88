package io.aura.cascade.sim;

/**
 * Runs one CPB episode on the D3 discrete-event simulator.
 *
 * <p>Deterministic: the same topology, parameters, guard behaviour and seed give the same
 * {@link EpisodeResult}, including its trace hash. Runs on the calling thread; run episodes in
 * parallel on different threads if needed (nothing is shared).
 */
public final class Episode {
  private Episode() {}

  /**
   * Simulates {@code params.durationSec()} seconds.
   *
   * @param topology the provisioned topology (capacities included)
   * @param params episode parameters
   * @param guard the SUT, or {@link CascadeGuard#none()} for B0
   * @param seed master seed of the named streams
   */
  public static EpisodeResult run(SimTopology topology, EpisodeParams params, CascadeGuard guard, long seed) {
    return new Des(topology, params, guard, seed).run();
  }
}
