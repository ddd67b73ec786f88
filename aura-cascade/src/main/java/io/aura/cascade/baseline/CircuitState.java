package io.aura.cascade.baseline;

/** State of a circuit breaker (Resilience4j and Hystrix use the same three). */
public enum CircuitState {
  /** Calls pass; outcomes are recorded. */
  CLOSED,
  /** Calls are rejected until the wait/sleep window has passed. */
  OPEN,
  /** A limited number of trial calls decide between CLOSED and OPEN. */
  HALF_OPEN
}
