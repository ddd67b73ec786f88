package io.aura.cascade.baseline;

/**
 * Configuration of B1-HYX, Hystrix defaults (CPB spec 5; Netflix Hystrix
 * {@code HystrixCommandProperties} and {@code HystrixThreadPoolProperties}): rolling statistical
 * window 10 s in 10 buckets, circuitBreaker.requestVolumeThreshold 20,
 * circuitBreaker.errorThresholdPercentage 50, circuitBreaker.sleepWindowInMilliseconds 5 000,
 * execution.isolation.thread.timeoutInMilliseconds 1 000, thread-pool coreSize 10 per dependency
 * (maxQueueSize −1: no queue, a call is rejected when all threads are busy).
 *
 * @param rollingWindowNanos metrics.rollingStats.timeInMilliseconds
 * @param rollingWindowBuckets metrics.rollingStats.numBuckets; must divide the window
 * @param requestVolumeThreshold minimum requests in the window before the breaker may trip
 * @param errorThresholdPercentage trip when the integer error percentage is ≥ this, in [1, 100]
 * @param sleepWindowNanos time OPEN before a single test request is let through
 * @param executionTimeoutNanos execution timeout (the simulator applies it; a timeout is an error)
 * @param threadPoolCoreSize bulkhead size per dependency ({@link Bulkhead})
 */
public record HystrixConfig(
    long rollingWindowNanos,
    int rollingWindowBuckets,
    int requestVolumeThreshold,
    int errorThresholdPercentage,
    long sleepWindowNanos,
    long executionTimeoutNanos,
    int threadPoolCoreSize) {

  /** Hystrix default: 10 000 ms. */
  public static final long DEFAULT_ROLLING_WINDOW_NANOS = 10_000_000_000L;
  /** Hystrix default: 10 buckets. */
  public static final int DEFAULT_ROLLING_WINDOW_BUCKETS = 10;
  /** Hystrix default: 20 requests. */
  public static final int DEFAULT_REQUEST_VOLUME_THRESHOLD = 20;
  /** Hystrix default: 50%. */
  public static final int DEFAULT_ERROR_THRESHOLD_PERCENTAGE = 50;
  /** Hystrix default: 5 000 ms. */
  public static final long DEFAULT_SLEEP_WINDOW_NANOS = 5_000_000_000L;
  /** Hystrix default: 1 000 ms. */
  public static final long DEFAULT_EXECUTION_TIMEOUT_NANOS = 1_000_000_000L;
  /** Hystrix default: 10 threads. */
  public static final int DEFAULT_THREAD_POOL_CORE_SIZE = 10;

  /** Validates single fields and the cross-field rule window % buckets == 0. */
  public HystrixConfig {
    BaselineInputException.positive(rollingWindowNanos, "rollingWindowNanos");
    BaselineInputException.positive(rollingWindowBuckets, "rollingWindowBuckets");
    BaselineInputException.positive(requestVolumeThreshold, "requestVolumeThreshold");
    if (errorThresholdPercentage < 1 || errorThresholdPercentage > 100) {
      throw new BaselineInputException(
          "errorThresholdPercentage = " + errorThresholdPercentage + " must be in [1, 100]");
    }
    BaselineInputException.positive(sleepWindowNanos, "sleepWindowNanos");
    BaselineInputException.positive(executionTimeoutNanos, "executionTimeoutNanos");
    BaselineInputException.positive(threadPoolCoreSize, "threadPoolCoreSize");
    if (rollingWindowNanos % rollingWindowBuckets != 0) {
      throw new BaselineInputException(
          "rollingWindowNanos = " + rollingWindowNanos
              + " is not divisible by rollingWindowBuckets = " + rollingWindowBuckets);
    }
  }

  /**
   * The Hystrix defaults.
   *
   * @return the default config
   */
  public static HystrixConfig defaults() {
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

  /** Builder; each setter validates its argument, {@link #build()} the cross-field rule. */
  public static final class Builder {
    private long window = DEFAULT_ROLLING_WINDOW_NANOS;
    private int buckets = DEFAULT_ROLLING_WINDOW_BUCKETS;
    private int volume = DEFAULT_REQUEST_VOLUME_THRESHOLD;
    private int errorPct = DEFAULT_ERROR_THRESHOLD_PERCENTAGE;
    private long sleep = DEFAULT_SLEEP_WINDOW_NANOS;
    private long timeout = DEFAULT_EXECUTION_TIMEOUT_NANOS;
    private int core = DEFAULT_THREAD_POOL_CORE_SIZE;

    private Builder() {}

    /**
     * Sets {@code rollingWindowNanos}.
     *
     * @param nanos &gt; 0
     * @return this
     */
    public Builder rollingWindowNanos(long nanos) {
      window = BaselineInputException.positive(nanos, "rollingWindowNanos");
      return this;
    }

    /**
     * Sets {@code rollingWindowBuckets}.
     *
     * @param n &gt; 0
     * @return this
     */
    public Builder rollingWindowBuckets(int n) {
      buckets = BaselineInputException.positive(n, "rollingWindowBuckets");
      return this;
    }

    /**
     * Sets {@code requestVolumeThreshold}.
     *
     * @param requests &gt; 0
     * @return this
     */
    public Builder requestVolumeThreshold(int requests) {
      volume = BaselineInputException.positive(requests, "requestVolumeThreshold");
      return this;
    }

    /**
     * Sets {@code errorThresholdPercentage}.
     *
     * @param percent in [1, 100]
     * @return this
     */
    public Builder errorThresholdPercentage(int percent) {
      if (percent < 1 || percent > 100) {
        throw new BaselineInputException(
            "errorThresholdPercentage = " + percent + " must be in [1, 100]");
      }
      errorPct = percent;
      return this;
    }

    /**
     * Sets {@code sleepWindowNanos}.
     *
     * @param nanos &gt; 0
     * @return this
     */
    public Builder sleepWindowNanos(long nanos) {
      sleep = BaselineInputException.positive(nanos, "sleepWindowNanos");
      return this;
    }

    /**
     * Sets {@code executionTimeoutNanos}.
     *
     * @param nanos &gt; 0
     * @return this
     */
    public Builder executionTimeoutNanos(long nanos) {
      timeout = BaselineInputException.positive(nanos, "executionTimeoutNanos");
      return this;
    }

    /**
     * Sets {@code threadPoolCoreSize}.
     *
     * @param threads &gt; 0
     * @return this
     */
    public Builder threadPoolCoreSize(int threads) {
      core = BaselineInputException.positive(threads, "threadPoolCoreSize");
      return this;
    }

    /**
     * Builds the config.
     *
     * @return the immutable config
     */
    public HystrixConfig build() {
      return new HystrixConfig(window, buckets, volume, errorPct, sleep, timeout, core);
    }
  }
}
