package io.aura.cascade.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class R4jCircuitBreakerTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000 * MS;

  private long now = 1_000 * S;

  private R4jCircuitBreaker breaker() {
    return new R4jCircuitBreaker(R4jCircuitBreakerConfig.defaults(), now);
  }

  private void calls(R4jCircuitBreaker b, int n, boolean fail) {
    for (int i = 0; i < n; i++) {
      now += MS;
      assertThat(b.tryAcquire(now)).isTrue();
      if (fail) {
        b.onError(now, 5 * MS);
      } else {
        b.onSuccess(now, 5 * MS);
      }
    }
  }

  @Test
  void defaultsAreTheResilience4jDefaults() {
    R4jCircuitBreakerConfig c = R4jCircuitBreakerConfig.defaults();
    assertThat(c.failureRateThresholdPercent()).isEqualTo(50.0);
    assertThat(c.slidingWindowSize()).isEqualTo(100);
    assertThat(c.minimumNumberOfCalls()).isEqualTo(100);
    assertThat(c.waitDurationInOpenStateNanos()).isEqualTo(60 * S);
    assertThat(c.permittedNumberOfCallsInHalfOpenState()).isEqualTo(10);
    assertThat(c.slowCallRateThresholdPercent()).isEqualTo(100.0);
    assertThat(c.slowCallDurationThresholdNanos()).isEqualTo(60 * S);
    assertThat(c.maxWaitDurationInHalfOpenStateNanos()).isZero();
  }

  @Test
  void ninetyNineFailuresDoNotOpenTheHundredthDoes() {
    R4jCircuitBreaker b = breaker();
    calls(b, 99, true);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(b.failureRatePercent()).isEqualTo(-1.0);
    calls(b, 1, true);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void exactlyFiftyPercentOpensFortyNineDoesNot() {
    R4jCircuitBreaker b = breaker();
    calls(b, 50, false);
    calls(b, 50, true);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);

    R4jCircuitBreaker c = breaker();
    calls(c, 51, false);
    calls(c, 49, true);
    assertThat(c.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(c.failureRatePercent()).isEqualTo(49.0);
    // The window slides: the next failure evicts a success → 50 failures in 100 → OPEN.
    calls(c, 1, true);
    assertThat(c.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void openRejectsUntilStrictlyAfterTheWaitThenHalfOpenTrialsDecide() {
    R4jCircuitBreaker b = breaker();
    calls(b, 100, true);
    long openedAt = now;
    assertThat(b.tryAcquire(openedAt + 30 * S)).isFalse();
    assertThat(b.tryAcquire(openedAt + 60 * S)).isFalse();
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    now = openedAt + 60 * S + 1;
    assertThat(b.tryAcquire(now)).isTrue();
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    for (int i = 0; i < 9; i++) {
      assertThat(b.tryAcquire(now)).isTrue();
    }
    assertThat(b.tryAcquire(now)).isFalse(); // only 10 trial calls
    for (int i = 0; i < 5; i++) {
      b.onSuccess(now, MS);
    }
    for (int i = 0; i < 4; i++) {
      b.onError(now, MS);
    }
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN); // 9 of 10 outcomes
    b.onError(now, MS); // 5/10 failed = 50% → OPEN
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void halfOpenClosesBelowThreshold() {
    R4jCircuitBreaker b = breaker();
    calls(b, 100, true);
    now += 61 * S;
    for (int i = 0; i < 10; i++) {
      assertThat(b.tryAcquire(now)).isTrue();
    }
    for (int i = 0; i < 6; i++) {
      b.onSuccess(now, MS);
    }
    for (int i = 0; i < 4; i++) {
      b.onError(now, MS);
    }
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(b.bufferedCalls()).isZero();
    // Fresh window: 99 failures do not reopen it.
    calls(b, 99, true);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(b.transitions()).isEqualTo(3);
  }

  @Test
  void slowCallsAboveSixtySecondsCountOnlyWhenAllAreSlow() {
    R4jCircuitBreaker b = breaker();
    for (int i = 0; i < 100; i++) {
      now += MS;
      b.tryAcquire(now);
      b.onSuccess(now, 60 * S); // exactly the threshold: not slow
    }
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(b.slowCallRatePercent()).isZero();
    for (int i = 0; i < 100; i++) {
      now += MS;
      b.tryAcquire(now);
      b.onSuccess(now, 60 * S + 1);
    }
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void maxWaitInHalfOpenReopensWhenConfigured() {
    R4jCircuitBreaker b = new R4jCircuitBreaker(
        R4jCircuitBreakerConfig.builder().maxWaitDurationInHalfOpenStateNanos(10 * S)
            .minimumNumberOfCalls(10).slidingWindowSize(10).build(), now);
    calls(b, 10, true);
    now += 61 * S;
    assertThat(b.tryAcquire(now)).isTrue();
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(b.tryAcquire(now + 10 * S)).isFalse();
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void halfOpenDecidesOnceTheMinimumNumberOfCallsIsRecorded() {
    // Resilience4j CircuitBreakerMetrics.forHalfOpen builds a COUNT_BASED window of
    // permittedNumberOfCallsInHalfOpenState calls whose minimum is
    // min(minimumNumberOfCalls, window) (resilience4j-circuitbreaker/.../internal/
    // CircuitBreakerMetrics.java lines 45-51 and 77-81 @af9e7c9): with minimumNumberOfCalls 5 and
    // 10 trial calls, the fifth recorded trial outcome already decides.
    R4jCircuitBreaker b = new R4jCircuitBreaker(R4jCircuitBreakerConfig.builder()
        .slidingWindowSize(5).minimumNumberOfCalls(5).permittedNumberOfCallsInHalfOpenState(10)
        .build(), now);
    calls(b, 5, true);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    now += 61 * S;
    calls(b, 4, false);
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    calls(b, 1, false);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void maxWaitInHalfOpenIsATimerFromEnteringHalfOpen() {
    // Resilience4j's HalfOpenState schedules toState(transitionToStateAfterWaitDuration, OPEN by
    // default) maxWaitDurationInHalfOpenState after entering HALF_OPEN, whether or not a call
    // arrives (CircuitBreakerStateMachine.java lines 1080-1088 @af9e7c9); the OPEN wait then runs
    // from that instant (OpenState's clock.instant() + waitDuration), and a trial outcome reported
    // later lands in the OPEN state's metrics, which decide nothing.
    R4jCircuitBreaker b = new R4jCircuitBreaker(R4jCircuitBreakerConfig.builder()
        .maxWaitDurationInHalfOpenStateNanos(10 * S).slidingWindowSize(1).minimumNumberOfCalls(1)
        .permittedNumberOfCallsInHalfOpenState(1).build(), now);
    calls(b, 1, true);
    now += 61 * S;
    long halfOpenAt = now;
    assertThat(b.tryAcquire(now)).isTrue();
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    now = halfOpenAt + 15 * S;
    b.onSuccess(now, 15 * S); // the trial call answers after the timer fired
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    assertThat(b.tryAcquire(halfOpenAt + 70 * S)).isFalse();
    assertThat(b.tryAcquire(halfOpenAt + 70 * S + 1)).isTrue();
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
  }

  @Test
  void builderNamesBadValuesAndTimeMustNotGoBack() {
    assertThatThrownBy(() -> R4jCircuitBreakerConfig.builder().failureRateThresholdPercent(0))
        .isInstanceOf(BaselineInputException.class)
        .hasMessageContaining("failureRateThresholdPercent = 0.0");
    assertThatThrownBy(() -> R4jCircuitBreakerConfig.builder().slidingWindowSize(-1))
        .isInstanceOf(BaselineInputException.class)
        .hasMessageContaining("slidingWindowSize = -1");
    assertThatThrownBy(() -> R4jCircuitBreakerConfig.builder().waitDurationInOpenStateNanos(0))
        .isInstanceOf(BaselineInputException.class)
        .hasMessageContaining("waitDurationInOpenStateNanos = 0");
    R4jCircuitBreaker b = breaker();
    assertThatThrownBy(() -> b.tryAcquire(now - 1))
        .isInstanceOf(BaselineInputException.class)
        .hasMessageContaining("nowNanos = " + (now - 1));
    assertThatThrownBy(() -> b.onError(now, -5))
        .isInstanceOf(BaselineInputException.class)
        .hasMessageContaining("durationNanos = -5");
  }

  @Test
  void illegalTransitionsAreNotInTheTable() {
    assertThat(StateTransition.of(CircuitState.CLOSED, CircuitState.OPEN))
        .isEqualTo(StateTransition.CLOSED_TO_OPEN);
    assertThatThrownBy(() -> StateTransition.of(CircuitState.CLOSED, CircuitState.HALF_OPEN))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CLOSED -> HALF_OPEN");
  }

  @Test
  void retryDefaults() {
    R4jRetryConfig r = R4jRetryConfig.defaults();
    assertThat(r.maxAttempts()).isEqualTo(3);
    assertThat(r.waitDurationNanos()).isEqualTo(500 * MS);
    assertThat(r.mayRetry(1)).isTrue();
    assertThat(r.mayRetry(2)).isTrue();
    assertThat(r.mayRetry(3)).isFalse();
    assertThat(r.waitBeforeNextAttemptNanos(2)).isEqualTo(500 * MS);
    assertThatThrownBy(() -> R4jRetryConfig.builder().maxAttempts(0))
        .isInstanceOf(BaselineInputException.class)
        .hasMessageContaining("maxAttempts = 0");
  }
}
