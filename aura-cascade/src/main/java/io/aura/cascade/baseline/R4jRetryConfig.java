package io.aura.cascade.baseline;

/**
 * Resilience4j Retry defaults used by B0 clients (CPB spec 5; resilience4j {@code RetryConfig}):
 * maxAttempts = 3 in total (the first call included) and a fixed waitDuration of 500 ms between
 * attempts; the retrying thread is held during the wait (the simulator models that). Calls rejected
 * by an OPEN breaker are retried like any other failure.
 *
 * @param maxAttempts total attempts per request, ≥ 1
 * @param waitDurationNanos fixed wait before each retry, ≥ 0
 */
public record R4jRetryConfig(int maxAttempts, long waitDurationNanos) {
  /** Resilience4j default: 3 attempts in total. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  /** Resilience4j default: 500 ms. */
  public static final long DEFAULT_WAIT_DURATION_NANOS = 500_000_000L;

  /** Validates. */
  public R4jRetryConfig {
    BaselineInputException.positive(maxAttempts, "maxAttempts");
    BaselineInputException.nonNegative(waitDurationNanos, "waitDurationNanos");
  }

  /**
   * The defaults.
   *
   * @return maxAttempts 3, wait 500 ms
   */
  public static R4jRetryConfig defaults() {
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

  /**
   * Whether another attempt is allowed after a failed one.
   *
   * @param attemptsMade attempts already made for this request, ≥ 1
   * @return attemptsMade &lt; maxAttempts
   */
  public boolean mayRetry(int attemptsMade) {
    BaselineInputException.positive(attemptsMade, "attemptsMade");
    return attemptsMade < maxAttempts;
  }

  /**
   * Wait before the next attempt (fixed interval).
   *
   * @param attemptsMade attempts already made, ≥ 1
   * @return waitDurationNanos
   */
  public long waitBeforeNextAttemptNanos(int attemptsMade) {
    BaselineInputException.positive(attemptsMade, "attemptsMade");
    return waitDurationNanos;
  }

  /** Builder; each setter validates its argument. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private long wait = DEFAULT_WAIT_DURATION_NANOS;

    private Builder() {}

    /**
     * Sets {@code maxAttempts}.
     *
     * @param attempts total attempts ≥ 1
     * @return this
     */
    public Builder maxAttempts(int attempts) {
      maxAttempts = BaselineInputException.positive(attempts, "maxAttempts");
      return this;
    }

    /**
     * Sets {@code waitDurationNanos}.
     *
     * @param nanos ≥ 0
     * @return this
     */
    public Builder waitDurationNanos(long nanos) {
      wait = BaselineInputException.nonNegative(nanos, "waitDurationNanos");
      return this;
    }

    /**
     * Builds the config.
     *
     * @return the immutable config
     */
    public R4jRetryConfig build() {
      return new R4jRetryConfig(maxAttempts, wait);
    }
  }
}
