package io.aura.cascade.baseline;

/**
 * Configuration of B2, Sentinel-style adaptive system protection (CPB spec 5; Alibaba Sentinel
 * {@code SystemRuleManager}, {@code StatisticNode}, {@code ArrayMetric}): trigger when load1 &gt;
 * highestSystemLoad = loadPerCore × cores (2.5 × cores, Sentinel's suggested reference), then the
 * BBR check over a 1-s window of 2 × 500-ms buckets. The other system rules (qps, avgRt, maxThread,
 * cpu) are off.
 *
 * @param cores CPU cores of the instance
 * @param loadPerCore threshold factor (highestSystemLoad = loadPerCore · cores)
 * @param loadSampleIntervalNanos load1 update period (Linux: 5 s)
 * @param loadAverageWindowSeconds EWMA time constant (load1: 60 s), factor e^{−interval/window}
 * @param statisticWindowNanos rolling window of the BBR statistics (1 s)
 * @param statisticSampleCount buckets in that window (2), must divide it
 * @param statisticMaxRtMs Sentinel's {@code csp.sentinel.statistic.max.rt} (5 000 ms): minRt
 *     when the window has no success, and the cap of recorded RTs
 * @param rejectionCpuNanos CPU cost of a rejection for the simulator (0.1 ms)
 */
public record SentinelSystemConfig(
    int cores,
    double loadPerCore,
    long loadSampleIntervalNanos,
    double loadAverageWindowSeconds,
    long statisticWindowNanos,
    int statisticSampleCount,
    long statisticMaxRtMs,
    long rejectionCpuNanos) {

  /** Sentinel's suggested reference: 2.5 × cores. */
  public static final double DEFAULT_LOAD_PER_CORE = 2.5;
  /** Linux load-average sampling period: 5 s. */
  public static final long DEFAULT_LOAD_SAMPLE_INTERVAL_NANOS = 5_000_000_000L;
  /** load1 window: 60 s. */
  public static final double DEFAULT_LOAD_AVERAGE_WINDOW_SECONDS = 60.0;
  /** Sentinel second-level window: 1 000 ms. */
  public static final long DEFAULT_STATISTIC_WINDOW_NANOS = 1_000_000_000L;
  /** Sentinel second-level sample count: 2. */
  public static final int DEFAULT_STATISTIC_SAMPLE_COUNT = 2;
  /** Sentinel default statistic max RT: 5 000 ms. */
  public static final long DEFAULT_STATISTIC_MAX_RT_MS = 5_000L;
  /** Spec 5: rejections cost 0.1 ms CPU. */
  public static final long DEFAULT_REJECTION_CPU_NANOS = 100_000L;

  /** Validates single fields and window % sampleCount == 0. */
  public SentinelSystemConfig {
    BaselineInputException.positive(cores, "cores");
    if (!(loadPerCore > 0.0) || Double.isInfinite(loadPerCore)) {
      throw new BaselineInputException("loadPerCore = " + loadPerCore + " must be positive");
    }
    BaselineInputException.positive(loadSampleIntervalNanos, "loadSampleIntervalNanos");
    if (!(loadAverageWindowSeconds > 0.0) || Double.isInfinite(loadAverageWindowSeconds)) {
      throw new BaselineInputException(
          "loadAverageWindowSeconds = " + loadAverageWindowSeconds + " must be positive");
    }
    BaselineInputException.positive(statisticWindowNanos, "statisticWindowNanos");
    BaselineInputException.positive(statisticSampleCount, "statisticSampleCount");
    BaselineInputException.positive(statisticMaxRtMs, "statisticMaxRtMs");
    BaselineInputException.nonNegative(rejectionCpuNanos, "rejectionCpuNanos");
    if (statisticWindowNanos % statisticSampleCount != 0) {
      throw new BaselineInputException("statisticWindowNanos = " + statisticWindowNanos
          + " is not divisible by statisticSampleCount = " + statisticSampleCount);
    }
  }

  /**
   * highestSystemLoad = loadPerCore · cores.
   *
   * @return the load1 trigger
   */
  public double highestSystemLoad() {
    return loadPerCore * cores;
  }

  /**
   * A builder preset with the defaults; {@code cores} has no default and must be set.
   *
   * @param cores CPU cores of the instance, &gt; 0
   * @return a new builder
   */
  public static Builder builder(int cores) {
    return new Builder(cores);
  }

  /** Builder; each setter validates its argument, {@link #build()} the cross-field rule. */
  public static final class Builder {
    private final int cores;
    private double loadPerCore = DEFAULT_LOAD_PER_CORE;
    private long loadInterval = DEFAULT_LOAD_SAMPLE_INTERVAL_NANOS;
    private double loadWindow = DEFAULT_LOAD_AVERAGE_WINDOW_SECONDS;
    private long statWindow = DEFAULT_STATISTIC_WINDOW_NANOS;
    private int statSamples = DEFAULT_STATISTIC_SAMPLE_COUNT;
    private long maxRt = DEFAULT_STATISTIC_MAX_RT_MS;
    private long rejectCpu = DEFAULT_REJECTION_CPU_NANOS;

    private Builder(int cores) {
      this.cores = BaselineInputException.positive(cores, "cores");
    }

    /**
     * Sets {@code loadPerCore}.
     *
     * @param factor &gt; 0
     * @return this
     */
    public Builder loadPerCore(double factor) {
      if (!(factor > 0.0) || Double.isInfinite(factor)) {
        throw new BaselineInputException("loadPerCore = " + factor + " must be positive");
      }
      loadPerCore = factor;
      return this;
    }

    /**
     * Sets {@code loadSampleIntervalNanos}.
     *
     * @param nanos &gt; 0
     * @return this
     */
    public Builder loadSampleIntervalNanos(long nanos) {
      loadInterval = BaselineInputException.positive(nanos, "loadSampleIntervalNanos");
      return this;
    }

    /**
     * Sets {@code loadAverageWindowSeconds}.
     *
     * @param seconds &gt; 0
     * @return this
     */
    public Builder loadAverageWindowSeconds(double seconds) {
      if (!(seconds > 0.0) || Double.isInfinite(seconds)) {
        throw new BaselineInputException(
            "loadAverageWindowSeconds = " + seconds + " must be positive");
      }
      loadWindow = seconds;
      return this;
    }

    /**
     * Sets {@code statisticWindowNanos}.
     *
     * @param nanos &gt; 0
     * @return this
     */
    public Builder statisticWindowNanos(long nanos) {
      statWindow = BaselineInputException.positive(nanos, "statisticWindowNanos");
      return this;
    }

    /**
     * Sets {@code statisticSampleCount}.
     *
     * @param buckets &gt; 0
     * @return this
     */
    public Builder statisticSampleCount(int buckets) {
      statSamples = BaselineInputException.positive(buckets, "statisticSampleCount");
      return this;
    }

    /**
     * Sets {@code statisticMaxRtMs}.
     *
     * @param ms &gt; 0
     * @return this
     */
    public Builder statisticMaxRtMs(long ms) {
      maxRt = BaselineInputException.positive(ms, "statisticMaxRtMs");
      return this;
    }

    /**
     * Sets {@code rejectionCpuNanos}.
     *
     * @param nanos ≥ 0
     * @return this
     */
    public Builder rejectionCpuNanos(long nanos) {
      rejectCpu = BaselineInputException.nonNegative(nanos, "rejectionCpuNanos");
      return this;
    }

    /**
     * Builds the config.
     *
     * @return the immutable config
     */
    public SentinelSystemConfig build() {
      return new SentinelSystemConfig(cores, loadPerCore, loadInterval, loadWindow, statWindow,
          statSamples, maxRt, rejectCpu);
    }
  }
}
