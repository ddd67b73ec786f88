package io.aura.cascade.baseline;

/**
 * B1-R4J: a Resilience4j-style circuit breaker (CircuitBreakerStateMachine semantics, CPB spec 5)
 * with an explicit clock.
 *
 * <p><b>CLOSED.</b> Every call is permitted. Outcomes go into a COUNT_BASED ring of the last
 * {@code slidingWindowSize} calls. Once at least min(minimumNumberOfCalls, slidingWindowSize) calls
 * are buffered, failureRate = 100·failed/buffered and slowRate = 100·slow/buffered are evaluated
 * after each recorded outcome; if failureRate ≥ failureRateThreshold or slowRate ≥
 * slowCallRateThreshold the breaker opens. A call is slow iff duration &gt;
 * slowCallDurationThreshold (slow failures count in both rates).
 *
 * <p><b>OPEN.</b> Calls are rejected until a call arrives strictly after openedAt +
 * waitDurationInOpenState (Resilience4j's {@code isAfter}); that call moves the breaker to
 * HALF_OPEN and is itself evaluated there. There is no timer-driven transition.
 *
 * <p><b>HALF_OPEN.</b> Exactly permittedNumberOfCallsInHalfOpenState trial calls are permitted;
 * their outcomes fill a fresh COUNT_BASED window of that size whose minimum is
 * min(minimumNumberOfCalls, permittedNumberOfCallsInHalfOpenState), as in Resilience4j's
 * {@code CircuitBreakerMetrics.forHalfOpen}; once that many outcomes are recorded the thresholds
 * decide OPEN (≥) or CLOSED (&lt;) (with the defaults, after all 10 trials). With
 * maxWaitDurationInHalfOpenState &gt; 0 the breaker moves back to OPEN that long after entering
 * HALF_OPEN, as Resilience4j's scheduled transition does: the move is applied at the next call or
 * outcome, dated at the deadline (the OPEN wait runs from there; an outcome reported after it
 * decides nothing).
 *
 * <p>Outcomes reported while OPEN (calls permitted before the breaker opened) are ignored, as
 * Resilience4j discards the OPEN state's metrics on the next transition. Every state change goes
 * through {@link StateTransition}. Not thread-safe.
 */
public final class R4jCircuitBreaker implements CircuitBreaker {
  private static final byte FAILED = 1;
  private static final byte SLOW = 2;

  private final R4jCircuitBreakerConfig config;
  private CircuitState state = CircuitState.CLOSED;
  private long stateSinceNanos;
  private long lastNanos = Long.MIN_VALUE;
  private long transitions;

  // COUNT_BASED window of the current state: ring of outcome flags.
  private byte[] ring;
  private int head;
  private int buffered;
  private int failed;
  private int slow;
  private int minimumCalls;
  private int halfOpenPermitsLeft;

  /**
   * Creates a CLOSED breaker.
   *
   * @param config the configuration ({@link R4jCircuitBreakerConfig#defaults()} for B1-R4J)
   * @param nowNanos creation time
   */
  public R4jCircuitBreaker(R4jCircuitBreakerConfig config, long nowNanos) {
    this.config = java.util.Objects.requireNonNull(config, "config");
    this.stateSinceNanos = nowNanos;
    this.lastNanos = nowNanos;
    resetWindow(config.slidingWindowSize(),
        Math.min(config.minimumNumberOfCalls(), config.slidingWindowSize()));
  }

  /**
   * Asks permission for one call.
   *
   * @param nowNanos current time
   * @return true if the call may proceed; false if it is rejected (fails immediately)
   */
  @Override
  public boolean tryAcquire(long nowNanos) {
    tick(nowNanos);
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (nowNanos - stateSinceNanos > config.waitDurationInOpenStateNanos()) {
          transitionTo(CircuitState.HALF_OPEN, nowNanos);
          return acquireHalfOpen(nowNanos);
        }
        return false;
      case HALF_OPEN:
        return acquireHalfOpen(nowNanos);
      default:
        throw new IllegalStateException("unknown state " + state);
    }
  }

  private boolean acquireHalfOpen(long nowNanos) {
    if (halfOpenPermitsLeft > 0) {
      halfOpenPermitsLeft--;
      return true;
    }
    return false;
  }

  /**
   * Records a successful call.
   *
   * @param nowNanos completion time
   * @param durationNanos call duration, ≥ 0
   */
  @Override
  public void onSuccess(long nowNanos, long durationNanos) {
    record(nowNanos, durationNanos, false);
  }

  /**
   * Records a failed call (an error or a timeout).
   *
   * @param nowNanos completion time
   * @param durationNanos call duration, ≥ 0
   */
  @Override
  public void onError(long nowNanos, long durationNanos) {
    record(nowNanos, durationNanos, true);
  }

  private void record(long nowNanos, long durationNanos, boolean isFailure) {
    tick(nowNanos);
    BaselineInputException.nonNegative(durationNanos, "durationNanos");
    if (state == CircuitState.OPEN) {
      return;
    }
    byte flags = (byte) ((isFailure ? FAILED : 0)
        | (durationNanos > config.slowCallDurationThresholdNanos() ? SLOW : 0));
    if (buffered == ring.length) {
      byte old = ring[head];
      failed -= old & FAILED;
      slow -= (old & SLOW) >> 1;
    } else {
      buffered++;
    }
    ring[head] = flags;
    head = (head + 1) % ring.length;
    failed += flags & FAILED;
    slow += (flags & SLOW) >> 1;
    if (buffered < minimumCalls) {
      return;
    }
    boolean above = failureRatePercent() >= config.failureRateThresholdPercent()
        || slowCallRatePercent() >= config.slowCallRateThresholdPercent();
    if (above) {
      transitionTo(CircuitState.OPEN, nowNanos);
    } else if (state == CircuitState.HALF_OPEN) {
      transitionTo(CircuitState.CLOSED, nowNanos);
    }
  }

  private void transitionTo(CircuitState to, long nowNanos) {
    StateTransition.of(state, to);
    state = to;
    stateSinceNanos = nowNanos;
    transitions++;
    switch (to) {
      case CLOSED -> resetWindow(config.slidingWindowSize(),
          Math.min(config.minimumNumberOfCalls(), config.slidingWindowSize()));
      case OPEN -> resetWindow(1, 1);
      case HALF_OPEN -> {
        int n = config.permittedNumberOfCallsInHalfOpenState();
        resetWindow(n, Math.min(config.minimumNumberOfCalls(), n));
        halfOpenPermitsLeft = n;
      }
      default -> throw new IllegalStateException("unknown state " + to);
    }
  }

  private void resetWindow(int size, int minimum) {
    ring = new byte[size];
    head = 0;
    buffered = 0;
    failed = 0;
    slow = 0;
    minimumCalls = minimum;
    halfOpenPermitsLeft = 0;
  }

  private void tick(long nowNanos) {
    if (nowNanos < lastNanos) {
      throw new BaselineInputException(
          "nowNanos = " + nowNanos + " is before the previous time " + lastNanos);
    }
    lastNanos = nowNanos;
    long maxWait = config.maxWaitDurationInHalfOpenStateNanos();
    if (state == CircuitState.HALF_OPEN && maxWait > 0 && nowNanos - stateSinceNanos >= maxWait) {
      // Resilience4j's timer fired at stateSince + maxWait: OPEN (and its wait) from that instant
      transitionTo(CircuitState.OPEN, stateSinceNanos + maxWait);
    }
  }

  /**
   * Current state (no time-driven change happens without a call or outcome; the half-open
   * timer is applied, back-dated, at the next one).
   *
   * @return the state
   */
  @Override
  public CircuitState state() {
    return state;
  }

  /**
   * Failure rate of the current window, 100·failed/buffered, or −1 below the minimum number of
   * calls (Resilience4j's convention).
   *
   * @return percent or −1
   */
  public double failureRatePercent() {
    return buffered < minimumCalls ? -1.0 : 100.0 * failed / buffered;
  }

  /**
   * Slow-call rate of the current window, or −1 below the minimum number of calls.
   *
   * @return percent or −1
   */
  public double slowCallRatePercent() {
    return buffered < minimumCalls ? -1.0 : 100.0 * slow / buffered;
  }

  /**
   * Calls buffered in the current state's window.
   *
   * @return count
   */
  public int bufferedCalls() {
    return buffered;
  }

  /**
   * Number of state transitions so far.
   *
   * @return count
   */
  public long transitions() {
    return transitions;
  }

  /**
   * The configuration.
   *
   * @return the config
   */
  public R4jCircuitBreakerConfig config() {
    return config;
  }
}
