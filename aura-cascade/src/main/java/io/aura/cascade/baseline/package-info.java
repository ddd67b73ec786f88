/**
 * The CPB baselines of spec section 5 as deterministic state machines driven by an explicit clock
 * (every method takes {@code long nowNanos}; nothing reads the wall clock), independent of any
 * simulator: B1 Resilience4j and Hystrix circuit breakers, the Resilience4j Retry policy, B2
 * Sentinel-style system protection (load1 + BBR), B3 Google SRE client-side adaptive throttling with
 * a retry budget, and B4 Envoy outlier ejection.
 *
 * <p>Each mechanism has an immutable config record built by a builder with {@code DEFAULT_*}
 * constants; every setter validates and names the bad value in a {@link
 * io.aura.cascade.baseline.BaselineInputException}. Circuit-breaker state changes go through one
 * transition table ({@code StateTransition}), as in Resilience4j's CircuitBreakerStateMachine.
 *
 * <p>Threading: instances are not thread-safe; a simulator drives each from one thread (the CPB
 * simulator is single-threaded per episode). Time must not go backwards between calls on one
 * instance.
 */
package io.aura.cascade.baseline;
