package io.aura.cascade.baseline;

/**
 * Configuration of the B1-R4J breaker, Resilience4j {@code CircuitBreakerConfig} semantics with
 * its defaults (CPB spec 5; resilience4j/resilience4j {@code CircuitBreakerConfig.java} @027f1a9):
 * COUNT_BASED sliding window of 100 calls, minimumNumberOfCalls 100, failureRateThreshold 50%,
 * slowCallRateThreshold 100% at slowCallDurationThreshold 60 s, waitDurationInOpenState 60 s,
 * permittedNumberOfCallsInHalfOpenState 10, maxWaitDurationInHalfOpenState 0 (stay half-open until
 * the trial calls finish), no automatic OPEN→HALF_OPEN transition (it happens on the first call
 * after the wait).
 *
 * @param failureRateThresholdPercent open when failure rate ≥ this, in (0, 100]
 * @param slowCallRateThresholdPercent open when slow-call rate ≥ this, in (0, 100]
 * @param slowCallDurationThresholdNanos a call is slow iff its duration &gt; this
 * @param slidingWindowSize COUNT_BASED window length in calls
 * @param minimumNumberOfCalls calls needed before rates are evaluated (capped at the window
 *     size, as Resilience4j does for COUNT_BASED windows)
 * @param waitDurationInOpenStateNanos time OPEN before a call may move the breaker to HALF_OPEN
 * @param permittedNumberOfCallsInHalfOpenState trial calls in HALF_OPEN
 * @param maxWaitDurationInHalfOpenStateNanos 0 = unlimited; otherwise a call arriving this long
 *     after entering HALF_OPEN moves the breaker back to OPEN
 */
public record R4jCircuitBreakerConfig(
    double failureRateThresholdPercent,
    double slowCallRateThresholdPercent,
    long slowCallDurationThresholdNanos,
    int slidingWindowSize,
    int minimumNumberOfCalls,
    long waitDurationInOpenStateNanos,
    int permittedNumberOfCallsInHalfOpenState,
    long maxWaitDurationInHalfOpenStateNanos) {

  /** Resilience4j default: 50%. */
  public static final double DEFAULT_FAILURE_RATE_THRESHOLD_PERCENT = 50.0;
  /** Resilience4j default: 100%. */
  public static final double DEFAULT_SLOW_CALL_RATE_THRESHOLD_PERCENT = 100.0;
  /** Resilience4j default: 60 s. */
  public static final long DEFAULT_SLOW_CALL_DURATION_THRESHOLD_NANOS = 60_000_000_000L;
  /** Resilience4j default: 100 calls. */
  public static final int DEFAULT_SLIDING_WINDOW_SIZE = 100;
  /** Resilience4j default: 100 calls. */
  public static final int DEFAULT_MINIMUM_NUMBER_OF_CALLS = 100;
  /** Resilience4j default: 60 s. */
  public static final long DEFAULT_WAIT_DURATION_IN_OPEN_STATE_NANOS = 60_000_000_000L;
  /** Resilience4j default: 10 calls. */
  public static final int DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE = 10;
  /** Resilience4j default: 0 (wait for all trial calls). */
  public static final long DEFAULT_MAX_WAIT_DURATION_IN_HALF_OPEN_STATE_NANOS = 0L;

  /** Validates (the builder already did; direct construction is checked the same way). */
  public R4jCircuitBreakerConfig {
    BaselineInputException.percent(failureRateThresholdPercent, "failureRateThresholdPercent");
    BaselineInputException.percent(slowCallRateThresholdPercent, "slowCallRateThresholdPercent");
    BaselineInputException.positive(slowCallDurationThresholdNanos,
        "slowCallDurationThresholdNanos");
    BaselineInputException.positive(slidingWindowSize, "slidingWindowSize");
    BaselineInputException.positive(minimumNumberOfCalls, "minimumNumberOfCalls");
    BaselineInputException.positive(waitDurationInOpenStateNanos, "waitDurationInOpenStateNanos");
    BaselineInputException.positive(permittedNumberOfCallsInHalfOpenState,
        "permittedNumberOfCallsInHalfOpenState");
    BaselineInputException.nonNegative(maxWaitDurationInHalfOpenStateNanos,
        "maxWaitDurationInHalfOpenStateNanos");
  }

  /**
   * The defaults.
   *
   * @return a config with every DEFAULT_* value
   */
  public static R4jCircuitBreakerConfig defaults() {
    return builder().build();
  }

  /**
   * A builder preset with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder; each setter validates its argument. */
  public static final class Builder {
    private double failureRate = DEFAULT_FAILURE_RATE_THRESHOLD_PERCENT;
    private double slowRate = DEFAULT_SLOW_CALL_RATE_THRESHOLD_PERCENT;
    private long slowDuration = DEFAULT_SLOW_CALL_DURATION_THRESHOLD_NANOS;
    private int window = DEFAULT_SLIDING_WINDOW_SIZE;
    private int minCalls = DEFAULT_MINIMUM_NUMBER_OF_CALLS;
    private long waitOpen = DEFAULT_WAIT_DURATION_IN_OPEN_STATE_NANOS;
    private int halfOpenCalls = DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE;
    private long maxWaitHalfOpen = DEFAULT_MAX_WAIT_DURATION_IN_HALF_OPEN_STATE_NANOS;

    private Builder() {}

    /**
     * Sets {@code failureRateThresholdPercent}.
     *
     * @param percent in (0, 100]
     * @return this
     */
    public Builder failureRateThresholdPercent(double percent) {
      failureRate = BaselineInputException.percent(percent, "failureRateThresholdPercent");
      return this;
    }

    /**
     * Sets {@code slowCallRateThresholdPercent}.
     *
     * @param percent in (0, 100]
     * @return this
     */
    public Builder slowCallRateThresholdPercent(double percent) {
      slowRate = BaselineInputException.percent(percent, "slowCallRateThresholdPercent");
      return this;
    }

    /**
     * Sets {@code slowCallDurationThresholdNanos}.
     *
     * @param nanos &gt; 0
     * @return this
     */
    public Builder slowCallDurationThresholdNanos(long nanos) {
      slowDuration = BaselineInputException.positive(nanos, "slowCallDurationThresholdNanos");
      return this;
    }

    /**
     * Sets {@code slidingWindowSize}.
     *
     * @param calls &gt; 0
     * @return this
     */
    public Builder slidingWindowSize(int calls) {
      window = BaselineInputException.positive(calls, "slidingWindowSize");
      return this;
    }

    /**
     * Sets {@code minimumNumberOfCalls}.
     *
     * @param calls &gt; 0
     * @return this
     */
    public Builder minimumNumberOfCalls(int calls) {
      minCalls = BaselineInputException.positive(calls, "minimumNumberOfCalls");
      return this;
    }

    /**
     * Sets {@code waitDurationInOpenStateNanos}.
     *
     * @param nanos &gt; 0
     * @return this
     */
    public Builder waitDurationInOpenStateNanos(long nanos) {
      waitOpen = BaselineInputException.positive(nanos, "waitDurationInOpenStateNanos");
      return this;
    }

    /**
     * Sets {@code permittedNumberOfCallsInHalfOpenState}.
     *
     * @param calls &gt; 0
     * @return this
     */
    public Builder permittedNumberOfCallsInHalfOpenState(int calls) {
      halfOpenCalls = BaselineInputException.positive(calls,
          "permittedNumberOfCallsInHalfOpenState");
      return this;
    }

    /**
     * Sets {@code maxWaitDurationInHalfOpenStateNanos}.
     *
     * @param nanos ≥ 0 (0 = unlimited)
     * @return this
     */
    public Builder maxWaitDurationInHalfOpenStateNanos(long nanos) {
      maxWaitHalfOpen = BaselineInputException.nonNegative(nanos,
          "maxWaitDurationInHalfOpenStateNanos");
      return this;
    }

    /**
     * Builds the config.
     *
     * @return the immutable config
     */
    public R4jCircuitBreakerConfig build() {
      return new R4jCircuitBreakerConfig(failureRate, slowRate, slowDuration, window, minCalls,
          waitOpen, halfOpenCalls, maxWaitHalfOpen);
    }
  }
}
