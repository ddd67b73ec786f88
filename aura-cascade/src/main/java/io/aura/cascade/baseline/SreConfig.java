package io.aura.cascade.baseline;

/**
 * Configuration of B3, Google SRE practice (CPB spec 5; Beyer et al., "Site Reliability
 * Engineering", O'Reilly 2016, ch. 21 "Handling Overload", as quoted by the spec [S]):
 * client-side adaptive throttling with K = 2 over a trailing 2-min window, per-request attempts
 * ≤ 3 and a per-client retry budget of ≤ 10% of requests. The window is kept in 1-s buckets.
 *
 * @param k the throttling multiplier K (accepts·K requests are allowed before rejecting), &gt; 0
 * @param windowNanos trailing window of the counters (120 s)
 * @param bucketNanos bucket width (1 s); must divide the window
 * @param maxAttempts attempts per request including the first, ≥ 1
 * @param retryBudgetRatio retries allowed per request in the window, in [0, 1]
 */
public record SreConfig(
    double k, long windowNanos, long bucketNanos, int maxAttempts, double retryBudgetRatio) {

  /** SRE book: K = 2. */
  public static final double DEFAULT_K = 2.0;
  /** SRE book: 2 minutes of history. */
  public static final long DEFAULT_WINDOW_NANOS = 120_000_000_000L;
  /** 1-s buckets. */
  public static final long DEFAULT_BUCKET_NANOS = 1_000_000_000L;
  /** SRE book: at most 3 attempts per request. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  /** SRE book: retries ≤ 10% of requests. */
  public static final double DEFAULT_RETRY_BUDGET_RATIO = 0.10;

  /** Validates single fields and window % bucket == 0. */
  public SreConfig {
    if (!(k > 0.0) || Double.isInfinite(k)) {
      throw new BaselineInputException("k = " + k + " must be positive and finite");
    }
    BaselineInputException.positive(windowNanos, "windowNanos");
    BaselineInputException.positive(bucketNanos, "bucketNanos");
    BaselineInputException.positive(maxAttempts, "maxAttempts");
    if (!(retryBudgetRatio >= 0.0 && retryBudgetRatio <= 1.0)) {
      throw new BaselineInputException(
          "retryBudgetRatio = " + retryBudgetRatio + " must be in [0, 1]");
    }
    if (windowNanos % bucketNanos != 0) {
      throw new BaselineInputException("windowNanos = " + windowNanos
          + " is not divisible by bucketNanos = " + bucketNanos);
    }
    if (windowNanos / bucketNanos > 1_000_000) {
      throw new BaselineInputException("windowNanos / bucketNanos = " + (windowNanos / bucketNanos)
          + " buckets is more than 1 000 000");
    }
  }

  /**
   * The defaults.
   *
   * @return K 2, 120-s window of 1-s buckets, 3 attempts, 10% retry budget
   */
  public static SreConfig defaults() {
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

  /** Builder; each setter validates its argument, {@link #build()} the cross-field rules. */
  public static final class Builder {
    private double k = DEFAULT_K;
    private long window = DEFAULT_WINDOW_NANOS;
    private long bucket = DEFAULT_BUCKET_NANOS;
    private int attempts = DEFAULT_MAX_ATTEMPTS;
    private double ratio = DEFAULT_RETRY_BUDGET_RATIO;

    private Builder() {}

    /**
     * Sets {@code k}.
     *
     * @param multiplier &gt; 0
     * @return this
     */
    public Builder k(double multiplier) {
      if (!(multiplier > 0.0) || Double.isInfinite(multiplier)) {
        throw new BaselineInputException("k = " + multiplier + " must be positive and finite");
      }
      k = multiplier;
      return this;
    }

    /**
     * Sets {@code windowNanos}.
     *
     * @param nanos &gt; 0
     * @return this
     */
    public Builder windowNanos(long nanos) {
      window = BaselineInputException.positive(nanos, "windowNanos");
      return this;
    }

    /**
     * Sets {@code bucketNanos}.
     *
     * @param nanos &gt; 0
     * @return this
     */
    public Builder bucketNanos(long nanos) {
      bucket = BaselineInputException.positive(nanos, "bucketNanos");
      return this;
    }

    /**
     * Sets {@code maxAttempts}.
     *
     * @param n ≥ 1
     * @return this
     */
    public Builder maxAttempts(int n) {
      attempts = BaselineInputException.positive(n, "maxAttempts");
      return this;
    }

    /**
     * Sets {@code retryBudgetRatio}.
     *
     * @param r in [0, 1]
     * @return this
     */
    public Builder retryBudgetRatio(double r) {
      if (!(r >= 0.0 && r <= 1.0)) {
        throw new BaselineInputException("retryBudgetRatio = " + r + " must be in [0, 1]");
      }
      ratio = r;
      return this;
    }

    /**
     * Builds the config.
     *
     * @return the immutable config
     */
    public SreConfig build() {
      return new SreConfig(k, window, bucket, attempts, ratio);
    }
  }
}
