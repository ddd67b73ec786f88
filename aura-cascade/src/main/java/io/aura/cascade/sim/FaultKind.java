package io.aura.cascade.sim;

/**
 * Faults of spec section 4 that the D3 DES applies at {@code t_f ~ U[600, 900] s} (stream
 * {@code "fault"}). The magnitudes quoted are the F-std ones; {@link FaultMagnitudes} changes them.
 */
public enum FaultKind {
  /** No fault (benign episode). */
  NONE,
  /** F1: fail-stop of all instances of a random agent, permanent. */
  F1_AGENT,
  /** F1: fail-stop of one instance of a random agent, permanent. */
  F1_INSTANCE,
  /** F2: fail-slow d_i × 10 for 180 s on a random non-entry agent with in-degree ≥ 2. */
  F2_SLOW,
  /** F3: capacity loss, 50% of the instances of a random top-decile-load agent, permanent. */
  F3_CAPACITY,
  /** F4: traffic surge × 1.6 at all entries for 180 s. */
  F4_SURGE,
  /** F4 "one entry": traffic surge × 1.6 for 180 s at one entry agent, uniform among the entries. */
  F4_SURGE_ONE,
  /** F5: error burst ε = 0.5 for 120 s on a hot leaf (random among the top-decile leaves by λ^d). */
  F5_ERRORS,
  /** F8: retry misconfiguration, A: 3 → 6 on 20% of the edges with A = 3, permanent. */
  F8_RETRY,
  /** The headline mix: F2 35%, F3 25%, F4 25%, F5 15%. */
  F_STD
}
