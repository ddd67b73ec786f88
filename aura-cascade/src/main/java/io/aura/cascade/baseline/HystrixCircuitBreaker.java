package io.aura.cascade.baseline;

/**
 * B1-HYX: a Hystrix-style circuit breaker ({@code HystrixCircuitBreakerImpl}, Hystrix 1.5.12
 * semantics, CPB spec 5) with an explicit clock.
 *
 * <p><b>Health counts.</b> Successes and errors (failures, timeouts, thread-pool rejections; not
 * short-circuited calls) are counted in a rolling window of {@code rollingWindowBuckets} buckets
 * of width window/buckets, aligned to multiples of the bucket width from time 0.
 *
 * <p><b>Tripping (CLOSED → OPEN).</b> After each recorded outcome: with total = successes + errors
 * in the window and errorPercentage = (int)(100·errors/total), the breaker opens iff
 * total ≥ requestVolumeThreshold and errorPercentage ≥ errorThresholdPercentage. Hystrix evaluates
 * this on its health snapshot, published every 500 ms by default; here it is evaluated on every
 * outcome (no snapshot lag).
 *
 * <p><b>OPEN → HALF_OPEN.</b> The first call arriving strictly after openedAt + sleepWindow is
 * let through as the single test request; every other call is rejected while it is in flight.
 * Its success closes the breaker and resets the window; its failure re-opens the breaker with
 * openedAt = now. As in Hystrix, outcomes are not tied to the test request: any success reported
 * while HALF_OPEN closes, any error re-opens; outcomes reported while OPEN are only counted. Every
 * state change goes through {@link StateTransition}.
 */
public final class HystrixCircuitBreaker implements CircuitBreaker {
  private static final int SUCCESS = 0;
  private static final int ERROR = 1;

  private final HystrixConfig config;
  private final RollingCounts counts;
  private CircuitState state = CircuitState.CLOSED;
  private long openedAtNanos;

  /**
   * Creates a CLOSED breaker.
   *
   * @param config the configuration ({@link HystrixConfig#defaults()} for B1-HYX)
   */
  public HystrixCircuitBreaker(HystrixConfig config) {
    this.config = java.util.Objects.requireNonNull(config, "config");
    this.counts = new RollingCounts(
        config.rollingWindowNanos() / config.rollingWindowBuckets(), config.rollingWindowBuckets(),
        2);
  }

  /**
   * Hystrix {@code attemptExecution}: asks permission for one call.
   *
   * @param nowNanos current time
   * @return true if the call may proceed
   */
  @Override
  public boolean tryAcquire(long nowNanos) {
    counts.sum(nowNanos, SUCCESS); // validates that time does not go backwards
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (nowNanos - openedAtNanos > config.sleepWindowNanos()) {
          transitionTo(CircuitState.HALF_OPEN, nowNanos);
          return true;
        }
        return false;
      case HALF_OPEN:
        return false;
      default:
        throw new IllegalStateException("unknown state " + state);
    }
  }

  /**
   * Records a success ({@code markSuccess}).
   *
   * @param nowNanos completion time
   */
  public void onSuccess(long nowNanos) {
    counts.add(nowNanos, SUCCESS, 1);
    if (state == CircuitState.HALF_OPEN) {
      transitionTo(CircuitState.CLOSED, nowNanos);
    } else if (state == CircuitState.CLOSED) {
      checkTrip(nowNanos);
    }
  }

  /**
   * Records an error: failure, timeout or rejection ({@code markNonSuccess}).
   *
   * @param nowNanos completion time
   */
  public void onError(long nowNanos) {
    counts.add(nowNanos, ERROR, 1);
    if (state == CircuitState.HALF_OPEN) {
      transitionTo(CircuitState.OPEN, nowNanos);
    } else if (state == CircuitState.CLOSED) {
      checkTrip(nowNanos);
    }
  }

  /**
   * Records a success; Hystrix ignores the duration (timeouts are reported as errors).
   *
   * @param nowNanos completion time
   * @param durationNanos call duration, ≥ 0
   */
  @Override
  public void onSuccess(long nowNanos, long durationNanos) {
    BaselineInputException.nonNegative(durationNanos, "durationNanos");
    onSuccess(nowNanos);
  }

  /**
   * Records an error; Hystrix ignores the duration.
   *
   * @param nowNanos completion time
   * @param durationNanos call duration, ≥ 0
   */
  @Override
  public void onError(long nowNanos, long durationNanos) {
    BaselineInputException.nonNegative(durationNanos, "durationNanos");
    onError(nowNanos);
  }

  private void checkTrip(long nowNanos) {
    long errors = counts.sum(nowNanos, ERROR);
    long total = errors + counts.sum(nowNanos, SUCCESS);
    if (total < config.requestVolumeThreshold()) {
      return;
    }
    int errorPercentage = (int) ((double) errors / total * 100);
    if (errorPercentage >= config.errorThresholdPercentage()) {
      transitionTo(CircuitState.OPEN, nowNanos);
    }
  }

  private void transitionTo(CircuitState to, long nowNanos) {
    StateTransition.of(state, to);
    state = to;
    switch (to) {
      case OPEN -> openedAtNanos = nowNanos;
      case CLOSED -> counts.reset();
      case HALF_OPEN -> { }
      default -> throw new IllegalStateException("unknown state " + to);
    }
  }

  /**
   * Current state.
   *
   * @return the state
   */
  @Override
  public CircuitState state() {
    return state;
  }

  /**
   * Requests (successes + errors) in the rolling window at {@code nowNanos}.
   *
   * @param nowNanos current time
   * @return count
   */
  public long windowRequests(long nowNanos) {
    return counts.sum(nowNanos, SUCCESS) + counts.sum(nowNanos, ERROR);
  }

  /**
   * The configuration.
   *
   * @return the config
   */
  public HystrixConfig config() {
    return config;
  }
}
