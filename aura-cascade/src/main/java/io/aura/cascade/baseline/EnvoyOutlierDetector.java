package io.aura.cascade.baseline;

/**
 * B4: Envoy outlier detection (consecutive 5xx and success rate) over hosts 0..n−1 (CPB spec 5;
 * Envoy {@code source/common/upstream/outlier_detection_impl.cc} and the outlier-detection
 * architecture docs).
 *
 * <ul>
 *   <li><b>Detection</b> runs inline: each server error increments the host's consecutive counter,
 *       any other response resets it; when it reaches consecutive_5xx the counter is reset and the
 *       host is ejected if allowed.
 *   <li><b>Cap</b> (Envoy's {@code DetectorImpl::ejectHost}): ejection is allowed iff
 *       100 · (ejectedNow + 1) / n ≤ max_ejection_percent, or always_eject_one_host is set and no
 *       host is ejected. With 10 hosts and 10% one host can be ejected at a time; with fewer than 10
 *       hosts none, unless always_eject_one_host. (Envoy before 1.31 allowed an ejection iff
 *       100 · ejectedNow / n &lt; max_ejection_percent, so at least one host, as its docs said:
 *       "will eject at least one host regardless of the value"; both rules agree whenever 10% of
 *       the hosts is a whole number.)
 *   <li><b>Ejection time</b> = min(base_ejection_time · m, max(max_ejection_time, base)), where the
 *       host's multiplier m is incremented at each ejection while m · base &lt; max + base (Envoy's
 *       {@code ejectTimeBackoff}: 11 at most with 30 s and 300 s, so a long-failing host's
 *       backoff decays from there).
 *   <li><b>Sweeps</b> every interval from creation: an ejected host whose ejection time has
 *       elapsed (now − ejectedAt ≥ ejection time) is returned to service with its consecutive
 *       counter reset (errors of calls in flight while it was out do not carry over); a host
 *       that is not ejected at the sweep has its multiplier decremented (never below 0), so the
 *       time grows 30, 60, 90 s … only while the host keeps failing.
 *   <li><b>Success rate</b> (on by default, as Envoy's enforcing_success_rate = 100): every
 *       response counts in the host's current interval (successes: non-errors); at each sweep
 *       the interval's counts become the judged bucket and, among the hosts in service with
 *       ≥ success_rate_request_volume (100) requests in it, if there are ≥
 *       success_rate_minimum_hosts (5), those whose success rate is below mean − 1.9 · stdev are
 *       ejected (same cap, backoff and un-ejection as above). Runs after the un-ejections and
 *       before the backoff decay of the same sweep.
 * </ul>
 * Sweeps due at or before a call's time are run before the call is processed; {@link
 * #advance(long)} runs them explicitly. Per-host state lives in primitive arrays.
 */
public final class EnvoyOutlierDetector {
  private final EnvoyOutlierConfig config;
  private final int hosts;
  private final int[] consecutive;
  private final int[] multiplier;
  private final boolean[] ejected;
  private final long[] ejectedAtNanos;
  // success-rate buckets (Envoy's SuccessRateAccumulator): current interval and the last one
  private final long[] srTotal;
  private final long[] srSuccess;
  private final long[] srLastTotal;
  private final long[] srLastSuccess;
  private final boolean[] unejectedAtSweep;
  private final long startNanos;
  private long sweepsDone;
  private int ejectedCount;
  private long lastNanos;
  private long ejectionsTotal;
  private long ejectionsOverflow;

  /**
   * Creates the detector with every host in service.
   *
   * @param config the configuration ({@link EnvoyOutlierConfig#defaults()} for B4)
   * @param hosts number of hosts (agents or instances), &gt; 0
   * @param nowNanos creation time; sweeps happen at nowNanos + k · interval
   */
  public EnvoyOutlierDetector(EnvoyOutlierConfig config, int hosts, long nowNanos) {
    this.config = java.util.Objects.requireNonNull(config, "config");
    this.hosts = BaselineInputException.positive(hosts, "hosts");
    this.consecutive = new int[hosts];
    this.multiplier = new int[hosts];
    this.ejected = new boolean[hosts];
    this.ejectedAtNanos = new long[hosts];
    this.srTotal = new long[hosts];
    this.srSuccess = new long[hosts];
    this.srLastTotal = new long[hosts];
    this.srLastSuccess = new long[hosts];
    this.unejectedAtSweep = new boolean[hosts];
    this.startNanos = nowNanos;
    this.lastNanos = nowNanos;
  }

  /**
   * Runs every sweep due at or before {@code nowNanos}.
   *
   * @param nowNanos current time
   */
  public void advance(long nowNanos) {
    if (nowNanos < lastNanos) {
      throw new BaselineInputException(
          "nowNanos = " + nowNanos + " is before the previous time " + lastNanos);
    }
    lastNanos = nowNanos;
    long due = (nowNanos - startNanos) / config.intervalNanos();
    while (sweepsDone < due) {
      sweepsDone++;
      sweep(startNanos + sweepsDone * config.intervalNanos());
    }
  }

  // Envoy's DetectorImpl::onIntervalTimer: un-eject, swap the success-rate buckets, success-rate
  // ejections, then the backoff decay of hosts that are in service and were not un-ejected now.
  private void sweep(long sweepNanos) {
    for (int h = 0; h < hosts; h++) {
      unejectedAtSweep[h] = false;
      if (ejected[h] && sweepNanos - ejectedAtNanos[h] >= ejectionTimeNanos(multiplier[h])) {
        ejected[h] = false;
        ejectedCount--;
        consecutive[h] = 0; // Envoy's unejectHost resets the consecutive 5xx counter
        unejectedAtSweep[h] = true;
      }
      srLastTotal[h] = srTotal[h];
      srLastSuccess[h] = srSuccess[h];
      srTotal[h] = 0;
      srSuccess[h] = 0;
    }
    if (config.successRateEjection()) {
      successRateEjections(sweepNanos);
    }
    for (int h = 0; h < hosts; h++) {
      if (!ejected[h] && !unejectedAtSweep[h] && multiplier[h] > 0) {
        multiplier[h]--;
      }
    }
  }

  // Envoy's processSuccessRateEjections (the external-origin monitor; failure-percentage
  // ejection is off by default): hosts in service with ≥ request_volume requests in the last
  // interval are judged if there are ≥ minimum_hosts of them; those below
  // mean − factor · stdev (population) are ejected, subject to max_ejection_percent.
  private void successRateEjections(long sweepNanos) {
    if (hosts < config.successRateMinimumHosts()) {
      return;
    }
    int valid = 0;
    double sum = 0;
    for (int h = 0; h < hosts; h++) {
      if (judged(h)) {
        valid++;
        sum += successRate(h);
      }
    }
    if (valid == 0 || valid < config.successRateMinimumHosts()) {
      return;
    }
    double mean = sum / valid;
    double variance = 0;
    for (int h = 0; h < hosts; h++) {
      if (judged(h)) {
        double dev = successRate(h) - mean;
        variance += dev * dev;
      }
    }
    double threshold = mean - config.successRateStdevFactor() * Math.sqrt(variance / valid);
    boolean[] below = new boolean[hosts];
    for (int h = 0; h < hosts; h++) {
      below[h] = judged(h) && successRate(h) < threshold;
    }
    for (int h = 0; h < hosts; h++) {
      if (below[h]) {
        eject(h, sweepNanos);
      }
    }
  }

  private boolean judged(int h) {
    return !ejected[h] && srLastTotal[h] > 0 && srLastTotal[h] >= config.successRateRequestVolume();
  }

  private double successRate(int h) {
    return srLastSuccess[h] * 100.0 / srLastTotal[h];
  }

  private long ejectionTimeNanos(int m) {
    long base = config.baseEjectionTimeNanos();
    long cap = Math.max(config.maxEjectionTimeNanos(), base);
    return m > cap / base ? cap : Math.min(base * m, cap);
  }

  /**
   * Records a response from a host.
   *
   * @param nowNanos response time
   * @param host host index in [0, hosts)
   * @param serverError whether it was a 5xx (or a connection failure mapped to one)
   */
  public void onResponse(long nowNanos, int host, boolean serverError) {
    advance(nowNanos);
    checkHost(host);
    srTotal[host]++;
    if (!serverError) {
      srSuccess[host]++;
      consecutive[host] = 0;
      return;
    }
    if (++consecutive[host] < config.consecutive5xx()) {
      return;
    }
    consecutive[host] = 0;
    if (!ejected[host]) {
      eject(host, nowNanos);
    }
  }

  // Envoy's DetectorImpl::ejectHost.
  private void eject(int host, long nowNanos) {
    boolean allowed = 100.0 * (ejectedCount + 1) / hosts <= config.maxEjectionPercent()
        || (config.alwaysEjectOneHost() && ejectedCount == 0);
    if (allowed) {
      ejected[host] = true;
      ejectedAtNanos[host] = nowNanos;
      long base = config.baseEjectionTimeNanos();
      if (multiplier[host] * base < Math.max(config.maxEjectionTimeNanos(), base) + base) {
        multiplier[host]++; // Envoy: only while backoff · base < max_ejection_time + base
      }
      ejectedCount++;
      ejectionsTotal++;
    } else {
      ejectionsOverflow++;
    }
  }

  /**
   * Whether a host is ejected (sweeps due by {@code nowNanos} are run first).
   *
   * @param nowNanos current time
   * @param host host index
   * @return true if the host is out of the load-balancing set
   */
  public boolean isEjected(long nowNanos, int host) {
    advance(nowNanos);
    checkHost(host);
    return ejected[host];
  }

  /**
   * The ejection time the host would get (or got) for its current multiplier.
   *
   * @param host host index
   * @return base · multiplier, capped
   */
  public long currentEjectionTimeNanos(int host) {
    checkHost(host);
    return ejectionTimeNanos(multiplier[host]);
  }

  /**
   * Hosts ejected right now (as of the last call).
   *
   * @return count
   */
  public int ejectedCount() {
    return ejectedCount;
  }

  /**
   * Ejections performed so far.
   *
   * @return count
   */
  public long ejectionsTotal() {
    return ejectionsTotal;
  }

  /**
   * Detections refused because of max_ejection_percent (Envoy's ejections_overflow).
   *
   * @return count
   */
  public long ejectionsOverflow() {
    return ejectionsOverflow;
  }

  private void checkHost(int host) {
    if (host < 0 || host >= hosts) {
      throw new BaselineInputException("host = " + host + " is outside [0, " + hosts + ")");
    }
  }
}
