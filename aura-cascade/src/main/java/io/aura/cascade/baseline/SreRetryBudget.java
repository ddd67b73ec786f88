package io.aura.cascade.baseline;

/**
 * B3 per-client retry budget (Google SRE book, ch. 22 "Addressing Cascading Failures", as recalled
 * by the spec [S/A]): a failed request may be retried iff the request has made fewer than
 * maxAttempts attempts (3) and, over the trailing window, retries + 1 ≤ retryBudgetRatio ·
 * requests, where <i>requests</i> counts first attempts ({@link #onRequest(long)}) and
 * <i>retries</i> counts granted retries. A granted retry is counted immediately.
 */
public final class SreRetryBudget {
  private static final int REQUESTS = 0;
  private static final int RETRIES = 1;

  private final SreConfig config;
  private final RollingCounts counts;

  /**
   * Creates the budget.
   *
   * @param config the configuration ({@link SreConfig#defaults()} for B3)
   */
  public SreRetryBudget(SreConfig config) {
    this.config = java.util.Objects.requireNonNull(config, "config");
    this.counts = new RollingCounts(
        config.bucketNanos(), (int) (config.windowNanos() / config.bucketNanos()), 2);
  }

  /**
   * Counts a new request (its first attempt).
   *
   * @param nowNanos current time
   */
  public void onRequest(long nowNanos) {
    counts.add(nowNanos, REQUESTS, 1);
  }

  /**
   * Asks for a retry after a failed attempt and counts it if granted.
   *
   * @param nowNanos current time
   * @param attemptsMade attempts this request has made so far, ≥ 1
   * @return true if the retry may be sent
   */
  public boolean tryRetry(long nowNanos, int attemptsMade) {
    BaselineInputException.positive(attemptsMade, "attemptsMade");
    if (attemptsMade >= config.maxAttempts()) {
      counts.sum(nowNanos, RETRIES); // keeps the time check uniform
      return false;
    }
    long requests = counts.sum(nowNanos, REQUESTS);
    long retries = counts.sum(nowNanos, RETRIES);
    if (retries + 1 > config.retryBudgetRatio() * requests) {
      return false;
    }
    counts.add(nowNanos, RETRIES, 1);
    return true;
  }

  /**
   * Retries granted in the window.
   *
   * @param nowNanos current time
   * @return count
   */
  public long retries(long nowNanos) {
    return counts.sum(nowNanos, RETRIES);
  }
}
