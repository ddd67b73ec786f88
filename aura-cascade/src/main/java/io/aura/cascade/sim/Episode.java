package io.aura.cascade.sim;

import java.util.Objects;

/**
 * Runs one CPB episode on the D3 discrete-event simulator.
 *
 * <p>Deterministic: the same topology, parameters, guard behaviour and seed give the same
 * {@link EpisodeResult}, including its trace hash. Runs on the calling thread; run episodes in
 * parallel on different threads if needed (nothing is shared).
 */
public final class Episode {
  /** Capacity multiplier of an immune agent (CPB 6.7: "i's capacity × 10"). */
  public static final int IMMUNE_CAPACITY_FACTOR = 10;

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

  /**
   * {@link #run}, telling {@code second} each simulated second as it passes (progress of a long
   * episode); the episode is the same, bit for bit.
   */
  public static EpisodeResult run(SimTopology topology, EpisodeParams params, CascadeGuard guard, long seed,
      java.util.function.LongConsumer second) {
    return new Des(topology, params, guard, seed).onSecond(second).run();
  }

  /**
   * Another realisation of {@link #run}'s episode: the same topology and the same fault (kind, t_f,
   * target, magnitudes, all drawn from stream {@code fault}), with every other random stream
   * (arrivals, service times, load balancing, restarts, shedding, retry jitter, telemetry noise)
   * drawn from stream {@code des-replica/<replica>} of the seed. Replica 0 is {@link #run} itself,
   * bit for bit. Used to measure how far two runs of the DES differ by chance alone ({@code aura
   * bench fluid-check --des-replicas}).
   *
   * @param replica 0 for the ordinary episode, ≥ 1 for another draw of the noise
   * @throws IllegalArgumentException if {@code replica < 0}
   */
  public static EpisodeResult runReplica(SimTopology topology, EpisodeParams params, CascadeGuard guard, long seed,
      int replica) {
    return new Des(topology, params, guard, seed, -1, replica).run();
  }

  /**
   * An episode's result with the time each agent first became FAILED.
   *
   * @param result the episode's result, the same as {@link #run} gives
   * @param firstFailedSec per agent (the simulator's ids, not the guard's), the 1-s tick in simulated
   *     seconds at which it was first FAILED at or after t_f; −1 if never, and −1 for every agent in F0.
   *     The agents with a value ≥ 0 are the ones S counts.
   */
  public record Traced(EpisodeResult result, int[] firstFailedSec) {
    public Traced {
      Objects.requireNonNull(result, "result");
      firstFailedSec = firstFailedSec.clone();
    }

    @Override
    public int[] firstFailedSec() {
      return firstFailedSec.clone();
    }
  }

  /**
   * {@link #run}, also keeping when each agent first became FAILED (for explaining one episode: {@code
   * aura bench episode}). The result, trace hash included, is the same as {@link #run}'s.
   *
   * @param topology the provisioned topology (capacities included)
   * @param params episode parameters
   * @param guard the SUT, or {@link CascadeGuard#none()} for B0
   * @param seed master seed of the named streams
   */
  public static Traced runTraced(SimTopology topology, EpisodeParams params, CascadeGuard guard, long seed) {
    Des des = new Des(topology, params, guard, seed);
    EpisodeResult r = des.run();
    return new Traced(r, des.firstFailedSec());
  }

  /**
   * Simulates the episode of {@code seed} with agent {@code immuneAgent} immune, the counterfactual of
   * CPB 6.7 ({@code crit_i = E[S_B0] − E[S_B0 | i immune]}).
   *
   * <p><b>Capacity × {@value #IMMUNE_CAPACITY_FACTOR}</b>: the agent's cores per instance k_i, worker
   * threads per instance c_i, queue capacity Q_i and, if it has one, its token bucket rate and burst
   * (the RPM limit of an LLM provider) are multiplied by 10; its instance count r_i, CPU demand,
   * timeouts and calls are unchanged ({@link SimTopology#withCapacityScaled}).
   *
   * <p><b>No fault on it</b>: the fault is drawn exactly as in the ordinary episode of the seed (kind,
   * time t_f, target) and the agent is then removed from the fault's target set:
   * <ul>
   *   <li>F1, F2, F3, F5 (one target agent): if the target is the immune agent, no fault is applied
   *       (no other target is drawn: that would consume the {@code fault} stream differently);
   *       {@link EpisodeResult#faultApplied()} still names the drawn kind and
   *       {@link EpisodeResult#faultedAgents()} is empty, so S is taken over all N agents;</li>
   *   <li>F4 (traffic surge at all entries, or at one): an immune entry gets no surge; the other
   *       entries do (with one-entry F4 aimed at the immune agent there is then no surge at all);</li>
   *   <li>F8 (retry misconfiguration on 20% of the edges): the immune agent's outgoing edges (its
   *       own clients' retry settings) are not raised; the per-edge draws still happen.</li>
   * </ul>
   *
   * <p><b>Pairing</b>: no random stream is added, removed or renamed, and every draw that does not
   * depend on the dynamics (arrivals, including an immune entry's thinning bound, fault kind, time and
   * target, the guard view's permutation and noise) is the same as in {@link #run} on the same seed.
   * The agent is still counted in S (it is not in F0) and can still FAIL, e.g. when its callees fail.
   *
   * @param topology the provisioned topology (capacities included; not modified)
   * @param params episode parameters
   * @param guard the SUT, or {@link CascadeGuard#none()} for B0
   * @param seed master seed of the named streams
   * @param immuneAgent the immune agent, in [0, N)
   * @throws IllegalArgumentException if {@code immuneAgent} is outside [0, N)
   */
  public static EpisodeResult runImmune(SimTopology topology, EpisodeParams params, CascadeGuard guard, long seed,
      int immuneAgent) {
    if (immuneAgent < 0 || immuneAgent >= topology.agentCount()) {
      throw new IllegalArgumentException("immune agent " + immuneAgent + " outside [0, " + topology.agentCount() + ")");
    }
    return new Des(topology, params, guard, seed, immuneAgent).run();
  }

  /** Agent count from which the fluid model steps by 1 s instead of 0.1 s. */
  public static final int FLUID_COARSE_AGENTS = 100_000;

  /** Step of the fluid model: 0.1 s, or 1 s from {@value #FLUID_COARSE_AGENTS} agents on (spec 3 D3). */
  public static double fluidStepSec(int agents) {
    return agents >= FLUID_COARSE_AGENTS ? 1.0 : 0.1;
  }

  /** Whether {@code stepSec} is a valid fluid step: positive, at most 1 s, and dividing one second. */
  public static boolean dividesOneSecond(double stepSec) {
    return stepSec > 0 && stepSec <= 1 && Math.abs(1 / stepSec - Math.rint(1 / stepSec)) <= 1e-9;
  }

  /**
   * Simulates the episode of {@code seed} with D3-fluid, the time-stepped mean-field model (see the
   * class {@code Fluid}), B0 only. It draws the same fault (kind, t_f, target) as {@link #run} on the
   * same seed, so the two are paired. Deterministic: the same inputs give the same result and trace
   * hash.
   *
   * @param topology the provisioned topology
   * @param params episode parameters; the baseline must be B0 (the guard and the in-simulator
   *     baselines are not modelled)
   * @param seed master seed of the named streams
   * @param stepSec the time step, dividing one second ({@link #fluidStepSec})
   * @throws IllegalArgumentException for another baseline or a step that does not divide a second
   */
  public static EpisodeResult runFluid(SimTopology topology, EpisodeParams params, long seed, double stepSec) {
    return new Fluid(topology, params, seed, stepSec).run();
  }

  /**
   * {@link #runFluid(SimTopology, EpisodeParams, long, double)} with a SUT: every simulated second the
   * guard gets a {@link TelemetrySnapshot} of the model's expected counts (rounded at random to
   * integers), rates and latencies, through the DES's {@link GuardView} (realism knobs, streams
   * {@code static-view} and {@code telemetry-noise}; each noise factor one of 65 536 quantiles of the
   * same LogNormal, for speed at 1e6 agents); its actions take effect after δ_act as
   * in {@link #run} (breakers, isolation and edge rate limits refuse that share of a caller's attempts
   * at once, and the caller retries them; shedding and inbound rate limits refuse at admission; the
   * FAILED rule counts the SUT-induced unavailability of the DES). The result carries the guard's
   * per-second risk, predict timings and applied actions like {@link #run}'s. A guard that never acts
   * (predict-only mode, or {@link CascadeGuard#none()}) leaves the B0 episode unchanged, trace hash
   * included.
   *
   * @param topology the provisioned topology
   * @param params episode parameters (baseline B0; {@code predictOnly} and {@code actuationDelayMs} apply)
   * @param guard the SUT
   * @param seed master seed of the named streams
   * @param stepSec the time step, dividing one second ({@link #fluidStepSec})
   */
  public static EpisodeResult runFluid(SimTopology topology, EpisodeParams params, CascadeGuard guard, long seed,
      double stepSec) {
    return new Fluid(topology, params, seed, stepSec, Objects.requireNonNull(guard, "guard")).run();
  }

  /**
   * {@link #runFluid(SimTopology, EpisodeParams, CascadeGuard, long, double)}, or the plain B0 episode
   * when {@code guard} is null, calling {@code afterSecond} with each simulated second as it ends (for
   * progress reports; it must not touch the episode). The result is the same as without it.
   */
  public static EpisodeResult runFluid(SimTopology topology, EpisodeParams params, CascadeGuard guard, long seed,
      double stepSec, java.util.function.LongConsumer afterSecond) {
    return new Fluid(topology, params, seed, stepSec, guard).run(Objects.requireNonNull(afterSecond, "afterSecond"));
  }

  /**
   * The real agent behind each id the guard sees in the episode of {@code seed}: element v is the
   * simulator's agent for the guard's (permuted) id v. The identity when
   * {@link EpisodeParams#realisticView()} is off.
   *
   * @param topology the episode's topology
   * @param params the episode's parameters (only {@code realisticView} matters)
   * @param seed the episode's master seed
   * @return a permutation of 0..N−1
   */
  public static int[] guardIdsToReal(SimTopology topology, EpisodeParams params, long seed) {
    return new GuardView(topology, params.realisticView(), seed).toReal();
  }
}
