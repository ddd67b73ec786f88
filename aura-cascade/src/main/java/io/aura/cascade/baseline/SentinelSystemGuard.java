package io.aura.cascade.baseline;

/**
 * B2: Sentinel-style system adaptive protection for one instance, inbound traffic only (CPB spec
 * 5; Sentinel {@code SystemRuleManager.checkSystem} and {@code checkBbr}).
 *
 * <p><b>load1.</b> Simulated as Linux computes it: at every multiple of the 5-s sample interval,
 * load1 ← load1·e^{−5/60} + n_runnable·(1 − e^{−5/60}), where n_runnable = requests in the CPU phase
 * plus the CPU queue. {@link #updateLoad(long, int)} applies all sample instants ≤ now that have
 * not been applied yet, each with the n_runnable passed (call it at least once per interval for an
 * exact replay). load1 starts at 0.
 *
 * <p><b>Admission.</b> A request is rejected iff load1 &gt; highestSystemLoad and the BBR check
 * fails: curThread &gt; 1 and curThread &gt; maxSuccessQps · minRt / 1000, with curThread the
 * inbound requests in flight (excluding the new one, which Sentinel counts after the check).
 * maxSuccessQps = max(bucket successes, floor 1) · sampleCount / windowSec and minRt =
 * max(1, min(statisticMaxRt, bucket minimum RTs)) in whole ms, over the valid buckets of the 1-s
 * window of 2 × 500-ms buckets (Sentinel {@code ArrayMetric.maxSuccess}/{@code minRt}). RTs are
 * truncated to whole ms and capped at statisticMaxRt, as Sentinel records them.
 *
 * <p>Sentinel counts every completed (non-blocked) entry as a "success"; the spec asks for
 * successful requests, so {@link #onExit(long, long, boolean)} takes the outcome and only
 * successes feed maxSuccessQps and minRt.
 */
public final class SentinelSystemGuard {
  private final SentinelSystemConfig config;
  private final double decay;
  private final long bucketNanos;
  private final int buckets;
  private final long[] bucketEpoch;
  private final long[] bucketSuccess;
  private final long[] bucketMinRtMs;
  private double load1;
  private long appliedLoadSamples;
  private int curThread;
  private long lastNanos;

  /**
   * Creates the guard.
   *
   * @param config the configuration
   * @param nowNanos creation time; load samples happen at the multiples of the sample interval
   *     (counted from time 0) that come after it
   */
  public SentinelSystemGuard(SentinelSystemConfig config, long nowNanos) {
    this.config = java.util.Objects.requireNonNull(config, "config");
    this.decay = Math.exp(-(config.loadSampleIntervalNanos() / 1e9)
        / config.loadAverageWindowSeconds());
    this.buckets = config.statisticSampleCount();
    this.bucketNanos = config.statisticWindowNanos() / buckets;
    this.bucketEpoch = new long[buckets];
    java.util.Arrays.fill(bucketEpoch, Long.MIN_VALUE);
    this.bucketSuccess = new long[buckets];
    this.bucketMinRtMs = new long[buckets];
    this.lastNanos = nowNanos;
    this.appliedLoadSamples = Math.floorDiv(nowNanos, config.loadSampleIntervalNanos());
  }

  /**
   * Applies the load1 samples due at or before {@code nowNanos}.
   *
   * @param nowNanos current time
   * @param nRunnable requests in the CPU phase plus the CPU queue, ≥ 0
   */
  public void updateLoad(long nowNanos, int nRunnable) {
    tick(nowNanos);
    if (nRunnable < 0) {
      throw new BaselineInputException("nRunnable = " + nRunnable + " must be >= 0");
    }
    long due = Math.floorDiv(nowNanos, config.loadSampleIntervalNanos());
    for (; appliedLoadSamples < due; appliedLoadSamples++) {
      load1 = load1 * decay + nRunnable * (1.0 - decay);
    }
  }

  /**
   * Admission check for one inbound request; an admitted request must later call
   * {@link #onExit(long, long, boolean)}.
   *
   * @param nowNanos arrival time
   * @return true if admitted, false if rejected (costs rejectionCpuNanos in the simulator)
   */
  public boolean tryEntry(long nowNanos) {
    tick(nowNanos);
    if (load1 > config.highestSystemLoad() && !bbrAllows(nowNanos)) {
      return false;
    }
    curThread++;
    return true;
  }

  /**
   * Completion of an admitted request.
   *
   * @param nowNanos completion time
   * @param rtNanos response time, ≥ 0
   * @param success whether it succeeded (only successes feed maxSuccessQps and minRt)
   */
  public void onExit(long nowNanos, long rtNanos, boolean success) {
    tick(nowNanos);
    BaselineInputException.nonNegative(rtNanos, "rtNanos");
    if (curThread == 0) {
      throw new IllegalStateException("onExit without a matching admitted tryEntry");
    }
    curThread--;
    if (!success) {
      return;
    }
    int slot = slot(nowNanos);
    bucketSuccess[slot]++;
    long rtMs = Math.min(rtNanos / 1_000_000L, config.statisticMaxRtMs());
    bucketMinRtMs[slot] = Math.min(bucketMinRtMs[slot], rtMs);
  }

  private boolean bbrAllows(long nowNanos) {
    return !(curThread > 1 && curThread > maxSuccessQps(nowNanos) * minRtMs(nowNanos) / 1000.0);
  }

  /**
   * max(bucket successes, 1) · sampleCount / windowSec over the valid buckets.
   *
   * @param nowNanos current time
   * @return Sentinel's maxSuccessQps
   */
  public double maxSuccessQps(long nowNanos) {
    long current = Math.floorDiv(nowNanos, bucketNanos);
    long max = 0;
    for (int b = 0; b < buckets; b++) {
      if (valid(b, current)) {
        max = Math.max(max, bucketSuccess[b]);
      }
    }
    return Math.max(max, 1) * (double) buckets / (config.statisticWindowNanos() / 1e9);
  }

  /**
   * max(1, min(statisticMaxRt, bucket minima)) in ms over the valid buckets.
   *
   * @param nowNanos current time
   * @return Sentinel's minRt
   */
  public long minRtMs(long nowNanos) {
    long current = Math.floorDiv(nowNanos, bucketNanos);
    long rt = config.statisticMaxRtMs();
    for (int b = 0; b < buckets; b++) {
      if (valid(b, current)) {
        rt = Math.min(rt, bucketMinRtMs[b]);
      }
    }
    return Math.max(1, rt);
  }

  private boolean valid(int b, long current) {
    return bucketEpoch[b] > current - buckets && bucketEpoch[b] <= current;
  }

  private int slot(long nowNanos) {
    long current = Math.floorDiv(nowNanos, bucketNanos);
    int slot = (int) Math.floorMod(current, (long) buckets);
    if (bucketEpoch[slot] != current) {
      bucketEpoch[slot] = current;
      bucketSuccess[slot] = 0;
      bucketMinRtMs[slot] = config.statisticMaxRtMs();
    }
    return slot;
  }

  private void tick(long nowNanos) {
    if (nowNanos < lastNanos) {
      throw new BaselineInputException(
          "nowNanos = " + nowNanos + " is before the previous time " + lastNanos);
    }
    lastNanos = nowNanos;
  }

  /**
   * Current simulated load1.
   *
   * @return load1
   */
  public double load1() {
    return load1;
  }

  /**
   * Inbound requests in flight.
   *
   * @return curThread
   */
  public int curThread() {
    return curThread;
  }

  /**
   * The configuration.
   *
   * @return the config
   */
  public SentinelSystemConfig config() {
    return config;
  }
}
