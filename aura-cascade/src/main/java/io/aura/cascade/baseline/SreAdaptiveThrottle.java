package io.aura.cascade.baseline;

/**
 * B3 client-side adaptive throttling (Google SRE book, ch. 21 "Handling Overload"; CPB spec 5).
 *
 * <p>Over the trailing window the client counts <i>requests</i> (every attempt the application
 * made, including those this throttle rejected locally) and <i>accepts</i> (requests the backend
 * accepted). A new request is rejected locally with probability
 * p_reject = max(0, (requests − K·accepts) / (requests + 1)), evaluated on the counts before the
 * request; the request is then counted. The caller supplies the uniform random number from its own
 * stream so that runs are reproducible: reject iff u &lt; p_reject.
 */
public final class SreAdaptiveThrottle {
  private static final int REQUESTS = 0;
  private static final int ACCEPTS = 1;

  private final SreConfig config;
  private final RollingCounts counts;

  /**
   * Creates the throttle.
   *
   * @param config the configuration ({@link SreConfig#defaults()} for B3)
   */
  public SreAdaptiveThrottle(SreConfig config) {
    this.config = java.util.Objects.requireNonNull(config, "config");
    this.counts = new RollingCounts(
        config.bucketNanos(), (int) (config.windowNanos() / config.bucketNanos()), 2);
  }

  /**
   * p_reject = max(0, (requests − K·accepts) / (requests + 1)).
   *
   * @param requests requests in the window, ≥ 0
   * @param accepts accepts in the window, ≥ 0
   * @param k multiplier K &gt; 0
   * @return the rejection probability in [0, 1)
   */
  public static double rejectionProbability(long requests, long accepts, double k) {
    if (requests < 0 || accepts < 0) {
      throw new BaselineInputException(
          "requests = " + requests + " and accepts = " + accepts + " must be >= 0");
    }
    return Math.max(0.0, (requests - k * accepts) / (requests + 1.0));
  }

  /**
   * Current rejection probability.
   *
   * @param nowNanos current time
   * @return p_reject over the trailing window
   */
  public double rejectionProbability(long nowNanos) {
    return rejectionProbability(
        counts.sum(nowNanos, REQUESTS), counts.sum(nowNanos, ACCEPTS), config.k());
  }

  /**
   * Decides one request and counts it.
   *
   * @param nowNanos current time
   * @param uniform a uniform random number in [0, 1) from the caller's stream
   * @return true if the request may be sent, false if rejected locally
   */
  public boolean tryRequest(long nowNanos, double uniform) {
    if (!(uniform >= 0.0 && uniform < 1.0)) {
      throw new BaselineInputException("uniform = " + uniform + " must be in [0, 1)");
    }
    double p = rejectionProbability(nowNanos);
    counts.add(nowNanos, REQUESTS, 1);
    return !(uniform < p);
  }

  /**
   * Records that the backend accepted a request (any response other than an overload rejection).
   *
   * @param nowNanos response time
   */
  public void onAccepted(long nowNanos) {
    counts.add(nowNanos, ACCEPTS, 1);
  }

  /**
   * Requests in the window.
   *
   * @param nowNanos current time
   * @return count
   */
  public long requests(long nowNanos) {
    return counts.sum(nowNanos, REQUESTS);
  }

  /**
   * Accepts in the window.
   *
   * @param nowNanos current time
   * @return count
   */
  public long accepts(long nowNanos) {
    return counts.sum(nowNanos, ACCEPTS);
  }
}
