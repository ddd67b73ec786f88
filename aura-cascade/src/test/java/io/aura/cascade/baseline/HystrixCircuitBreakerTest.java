package io.aura.cascade.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HystrixCircuitBreakerTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000 * MS;

  @Test
  void defaults() {
    HystrixConfig c = HystrixConfig.defaults();
    assertThat(c.rollingWindowNanos()).isEqualTo(10 * S);
    assertThat(c.rollingWindowBuckets()).isEqualTo(10);
    assertThat(c.requestVolumeThreshold()).isEqualTo(20);
    assertThat(c.errorThresholdPercentage()).isEqualTo(50);
    assertThat(c.sleepWindowNanos()).isEqualTo(5 * S);
    assertThat(c.executionTimeoutNanos()).isEqualTo(1 * S);
    assertThat(c.threadPoolCoreSize()).isEqualTo(10);
  }

  @Test
  void nineteenErrorsDoNotTripTwentyDo() {
    HystrixCircuitBreaker b = new HystrixCircuitBreaker(HystrixConfig.defaults());
    long t = 100 * S;
    for (int i = 0; i < 19; i++) {
      t += 100 * MS;
      assertThat(b.tryAcquire(t)).isTrue();
      b.onError(t);
    }
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    t += 100 * MS;
    b.onError(t);
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    assertThat(b.tryAcquire(t + MS)).isFalse();
  }

  @Test
  void fiftyPercentOfTwentyTripsFortyFiveDoesNot() {
    HystrixCircuitBreaker b = new HystrixCircuitBreaker(HystrixConfig.defaults());
    long t = 0;
    for (int i = 0; i < 10; i++) {
      b.onSuccess(t += MS);
    }
    for (int i = 0; i < 10; i++) {
      b.onError(t += MS);
    }
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);

    HystrixCircuitBreaker c = new HystrixCircuitBreaker(HystrixConfig.defaults());
    t = 0;
    for (int i = 0; i < 11; i++) {
      c.onSuccess(t += MS);
    }
    for (int i = 0; i < 9; i++) {
      c.onError(t += MS);
    }
    assertThat(c.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void oldBucketsRollOutOfTheTenSecondWindow() {
    HystrixCircuitBreaker b = new HystrixCircuitBreaker(HystrixConfig.defaults());
    for (int i = 0; i < 19; i++) {
      b.onError(500 * MS); // bucket [0 s, 1 s)
    }
    assertThat(b.windowRequests(9_999 * MS)).isEqualTo(19);
    assertThat(b.windowRequests(10 * S)).isZero(); // bucket [0, 1) has left the window
    b.onError(10 * S);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void sleepWindowThenSingleTestRequest() {
    HystrixCircuitBreaker b = new HystrixCircuitBreaker(HystrixConfig.defaults());
    long t = 0;
    for (int i = 0; i < 20; i++) {
      b.onError(t);
    }
    long openedAt = t;
    assertThat(b.tryAcquire(openedAt + 5 * S)).isFalse();
    assertThat(b.tryAcquire(openedAt + 5 * S + 1)).isTrue();
    assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(b.tryAcquire(openedAt + 5 * S + 2)).isFalse(); // test request in flight
    b.onError(openedAt + 6 * S); // test fails → OPEN, sleep window restarts
    assertThat(b.state()).isEqualTo(CircuitState.OPEN);
    assertThat(b.tryAcquire(openedAt + 11 * S)).isFalse();
    assertThat(b.tryAcquire(openedAt + 11 * S + 1)).isTrue();
    b.onSuccess(openedAt + 11 * S + 2);
    assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(b.windowRequests(openedAt + 11 * S + 2)).isZero(); // metrics reset on close
  }

  @Test
  void bothBreakersWorkBehindTheCommonInterface() {
    CircuitBreaker[] breakers = {
      CircuitBreaker.resilience4j(R4jCircuitBreakerConfig.defaults(), 0),
      CircuitBreaker.hystrix(HystrixConfig.defaults())
    };
    for (CircuitBreaker b : breakers) {
      for (int i = 0; i < 100; i++) {
        long t = i * MS;
        if (b.tryAcquire(t)) { // Hystrix opens after 20 calls, R4J after 100
          b.onError(t, MS);
        }
      }
      assertThat(b.state()).as(b.getClass().getSimpleName()).isEqualTo(CircuitState.OPEN);
      assertThat(b.tryAcquire(200 * MS)).isFalse();
    }
  }

  @Test
  void bulkheadAdmitsCoreSizeCalls() {
    Bulkhead h = new Bulkhead(HystrixConfig.defaults().threadPoolCoreSize());
    for (int i = 0; i < 10; i++) {
      assertThat(h.tryAcquire()).isTrue();
    }
    assertThat(h.tryAcquire()).isFalse();
    h.release();
    assertThat(h.tryAcquire()).isTrue();
    assertThat(h.inFlight()).isEqualTo(10);
  }

  @Test
  void configValidation() {
    assertThatThrownBy(() -> HystrixConfig.builder().rollingWindowBuckets(3).build())
        .isInstanceOf(BaselineInputException.class)
        .hasMessageContaining("rollingWindowBuckets = 3");
    assertThatThrownBy(() -> HystrixConfig.builder().errorThresholdPercentage(101))
        .isInstanceOf(BaselineInputException.class)
        .hasMessageContaining("errorThresholdPercentage = 101");
    assertThatThrownBy(() -> HystrixConfig.builder().sleepWindowNanos(0))
        .isInstanceOf(BaselineInputException.class)
        .hasMessageContaining("sleepWindowNanos = 0");
  }
}
