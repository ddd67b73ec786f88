package io.aura.cascade.baseline;

/**
 * The one transition table of the circuit breakers (after Resilience4j's
 * {@code CircuitBreaker.StateTransition}): every state change is looked up here, and a change that
 * is not in the table is a programming error.
 */
enum StateTransition {
  CLOSED_TO_OPEN(CircuitState.CLOSED, CircuitState.OPEN),
  OPEN_TO_HALF_OPEN(CircuitState.OPEN, CircuitState.HALF_OPEN),
  HALF_OPEN_TO_CLOSED(CircuitState.HALF_OPEN, CircuitState.CLOSED),
  HALF_OPEN_TO_OPEN(CircuitState.HALF_OPEN, CircuitState.OPEN);

  private static final StateTransition[][] TABLE =
      new StateTransition[CircuitState.values().length][CircuitState.values().length];

  static {
    for (StateTransition t : values()) {
      TABLE[t.from.ordinal()][t.to.ordinal()] = t;
    }
  }

  final CircuitState from;
  final CircuitState to;

  StateTransition(CircuitState from, CircuitState to) {
    this.from = from;
    this.to = to;
  }

  /** The transition from → to; throws if the table has none. */
  static StateTransition of(CircuitState from, CircuitState to) {
    StateTransition t = TABLE[from.ordinal()][to.ordinal()];
    if (t == null) {
      throw new IllegalStateException("illegal circuit-breaker transition " + from + " -> " + to);
    }
    return t;
  }
}
