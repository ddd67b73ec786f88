package io.aura.cascade.baseline;

/**
 * Configuration of B4, Envoy outlier detection defaults (CPB spec 5; Envoy
 * {@code config.cluster.v3.OutlierDetection} docs): consecutive_5xx 5, interval 10 s,
 * base_ejection_time 30 s (× the host's ejection multiplier), max_ejection_percent 10%,
 * max_ejection_time 300 s (newer Envoy; it caps base × multiplier at max(max_ejection_time, base)),
 * always_eject_one_host false (Envoy ≥ 1.31; see {@link EnvoyOutlierDetector} for what it changes),
 * success-rate ejection enforced (enforcing_success_rate 100) with success_rate_minimum_hosts 5,
 * success_rate_request_volume 100 and success_rate_stdev_factor 1900 (= 1.9).
 *
 * @param consecutive5xx consecutive server errors that trigger an ejection, ≥ 1
 * @param intervalNanos period of the ejection sweep (un-ejection and multiplier decay)
 * @param baseEjectionTimeNanos base ejection time
 * @param maxEjectionPercent at most this % of hosts ejected at once, in (0, 100]
 * @param maxEjectionTimeNanos cap of the ejection time
 * @param alwaysEjectOneHost allow one ejection even when it exceeds max_ejection_percent
 * @param successRateEjection whether success-rate ejection is enforced (Envoy's
 *     enforcing_success_rate 100 when true, 0 when false)
 * @param successRateMinimumHosts hosts with enough requests needed for a success-rate verdict
 * @param successRateRequestVolume requests a host needs in the last interval to be judged
 * @param successRateStdevFactor a host is ejected below mean − factor · stdev (Envoy's
 *     success_rate_stdev_factor / 1000)
 */
public record EnvoyOutlierConfig(
    int consecutive5xx,
    long intervalNanos,
    long baseEjectionTimeNanos,
    double maxEjectionPercent,
    long maxEjectionTimeNanos,
    boolean alwaysEjectOneHost,
    boolean successRateEjection,
    int successRateMinimumHosts,
    int successRateRequestVolume,
    double successRateStdevFactor) {

  /** Envoy default: 5. */
  public static final int DEFAULT_CONSECUTIVE_5XX = 5;
  /** Envoy default: 10 s. */
  public static final long DEFAULT_INTERVAL_NANOS = 10_000_000_000L;
  /** Envoy default: 30 s. */
  public static final long DEFAULT_BASE_EJECTION_TIME_NANOS = 30_000_000_000L;
  /** Envoy default: 10%. */
  public static final double DEFAULT_MAX_EJECTION_PERCENT = 10.0;
  /** Envoy default: 300 s. */
  public static final long DEFAULT_MAX_EJECTION_TIME_NANOS = 300_000_000_000L;
  /** Envoy default: 5. */
  public static final int DEFAULT_SUCCESS_RATE_MINIMUM_HOSTS = 5;
  /** Envoy default: 100. */
  public static final int DEFAULT_SUCCESS_RATE_REQUEST_VOLUME = 100;
  /** Envoy default: 1900 / 1000. */
  public static final double DEFAULT_SUCCESS_RATE_STDEV_FACTOR = 1.9;

  /** Validates. */
  public EnvoyOutlierConfig {
    BaselineInputException.positive(consecutive5xx, "consecutive5xx");
    BaselineInputException.positive(intervalNanos, "intervalNanos");
    BaselineInputException.positive(baseEjectionTimeNanos, "baseEjectionTimeNanos");
    BaselineInputException.percent(maxEjectionPercent, "maxEjectionPercent");
    BaselineInputException.positive(maxEjectionTimeNanos, "maxEjectionTimeNanos");
    BaselineInputException.positive(successRateMinimumHosts, "successRateMinimumHosts");
    BaselineInputException.positive(successRateRequestVolume, "successRateRequestVolume");
    if (!(successRateStdevFactor >= 0.0) || Double.isInfinite(successRateStdevFactor)) {
      throw new BaselineInputException(
          "successRateStdevFactor = " + successRateStdevFactor + " must be >= 0 and finite");
    }
  }

  /**
   * The Envoy defaults.
   *
   * @return the default config
   */
  public static EnvoyOutlierConfig defaults() {
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
    private int consecutive = DEFAULT_CONSECUTIVE_5XX;
    private long interval = DEFAULT_INTERVAL_NANOS;
    private long base = DEFAULT_BASE_EJECTION_TIME_NANOS;
    private double maxPercent = DEFAULT_MAX_EJECTION_PERCENT;
    private long maxTime = DEFAULT_MAX_EJECTION_TIME_NANOS;
    private boolean alwaysOne;
    private boolean successRate = true;

    private Builder() {}

    /**
     * Sets {@code consecutive5xx}.
     *
     * @param n ≥ 1
     * @return this
     */
    public Builder consecutive5xx(int n) {
      consecutive = BaselineInputException.positive(n, "consecutive5xx");
      return this;
    }

    /**
     * Sets {@code intervalNanos}.
     *
     * @param nanos &gt; 0
     * @return this
     */
    public Builder intervalNanos(long nanos) {
      interval = BaselineInputException.positive(nanos, "intervalNanos");
      return this;
    }

    /**
     * Sets {@code baseEjectionTimeNanos}.
     *
     * @param nanos &gt; 0
     * @return this
     */
    public Builder baseEjectionTimeNanos(long nanos) {
      base = BaselineInputException.positive(nanos, "baseEjectionTimeNanos");
      return this;
    }

    /**
     * Sets {@code maxEjectionPercent}.
     *
     * @param percent in (0, 100]
     * @return this
     */
    public Builder maxEjectionPercent(double percent) {
      maxPercent = BaselineInputException.percent(percent, "maxEjectionPercent");
      return this;
    }

    /**
     * Sets {@code maxEjectionTimeNanos}.
     *
     * @param nanos &gt; 0
     * @return this
     */
    public Builder maxEjectionTimeNanos(long nanos) {
      maxTime = BaselineInputException.positive(nanos, "maxEjectionTimeNanos");
      return this;
    }

    /**
     * Sets {@code alwaysEjectOneHost} (Envoy default: false).
     *
     * @param always true to allow one ejection regardless of max_ejection_percent
     * @return this
     */
    public Builder alwaysEjectOneHost(boolean always) {
      alwaysOne = always;
      return this;
    }

    /**
     * Sets {@code successRateEjection} (Envoy default: enforced).
     *
     * @param enforced false for consecutive-5xx detection only (enforcing_success_rate 0)
     * @return this
     */
    public Builder successRateEjection(boolean enforced) {
      successRate = enforced;
      return this;
    }

    /**
     * Builds the config.
     *
     * @return the immutable config
     */
    public EnvoyOutlierConfig build() {
      return new EnvoyOutlierConfig(consecutive, interval, base, maxPercent, maxTime, alwaysOne,
          successRate, DEFAULT_SUCCESS_RATE_MINIMUM_HOSTS, DEFAULT_SUCCESS_RATE_REQUEST_VOLUME,
          DEFAULT_SUCCESS_RATE_STDEV_FACTOR);
    }
  }
}
