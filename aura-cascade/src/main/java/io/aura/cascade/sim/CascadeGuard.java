package io.aura.cascade.sim;

import java.util.List;

/**
 * The system under test (SUT) of CPB, spec section 1.3.
 *
 * <p>Contract: the harness calls {@link #init} once per episode, then every control period
 * (Δc = 1 s of simulated time) calls {@link #predict} and, in full mode only, {@link #decide}
 * with the same snapshot. Calls are sequential on the episode's thread. Returned actions take
 * effect after the actuation delay δ_act (default 1 s); durations are clipped to 600 s; every
 * request an action rejects is charged as a failure. The SUT never sees capacities, tolerances,
 * fault schedules or simulator internals.
 */
public interface CascadeGuard {
  /** Static dependency graph (no capacities) and the harness configuration. */
  void init(StaticTopology staticTopology, GuardConfig cfg);

  /** Risk estimate for the snapshot; timed by the harness. */
  Prediction predict(TelemetrySnapshot s);

  /** Actions to apply; ignored in predict-only mode (not even called). */
  List<Action> decide(TelemetrySnapshot s, Prediction p);

  /** The B0 arm: no protection, risk 0, no actions. */
  static CascadeGuard none() {
    return new CascadeGuard() {
      @Override
      public void init(StaticTopology staticTopology, GuardConfig cfg) {}

      @Override
      public Prediction predict(TelemetrySnapshot s) {
        return Prediction.of(0.0);
      }

      @Override
      public List<Action> decide(TelemetrySnapshot s, Prediction p) {
        return List.of();
      }
    };
  }
}
