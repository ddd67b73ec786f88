package io.aura.cascade.baseline;

/**
 * A per-edge circuit breaker as the simulator sees it (B1): ask before a call, report its outcome.
 * Implementations: {@link R4jCircuitBreaker} (B1-R4J) and {@link HystrixCircuitBreaker} (B1-HYX).
 * Not thread-safe; time must not go backwards.
 */
public sealed interface CircuitBreaker permits R4jCircuitBreaker, HystrixCircuitBreaker {

  /**
   * A Resilience4j-style breaker.
   *
   * @param config configuration ({@link R4jCircuitBreakerConfig#defaults()} for B1-R4J)
   * @param nowNanos creation time
   * @return a CLOSED breaker
   */
  static CircuitBreaker resilience4j(R4jCircuitBreakerConfig config, long nowNanos) {
    return new R4jCircuitBreaker(config, nowNanos);
  }

  /**
   * A Hystrix-style breaker.
   *
   * @param config configuration ({@link HystrixConfig#defaults()} for B1-HYX)
   * @return a CLOSED breaker
   */
  static CircuitBreaker hystrix(HystrixConfig config) {
    return new HystrixCircuitBreaker(config);
  }

  /**
   * Asks permission for one call; a rejected call fails immediately.
   *
   * @param nowNanos current time
   * @return true if the call may proceed
   */
  boolean tryAcquire(long nowNanos);

  /**
   * Reports a successful call.
   *
   * @param nowNanos completion time
   * @param durationNanos call duration, ≥ 0
   */
  void onSuccess(long nowNanos, long durationNanos);

  /**
   * Reports a failed call (error, timeout or bulkhead rejection).
   *
   * @param nowNanos completion time
   * @param durationNanos call duration, ≥ 0
   */
  void onError(long nowNanos, long durationNanos);

  /**
   * Current state.
   *
   * @return the state
   */
  CircuitState state();
}
