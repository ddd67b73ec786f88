package io.aura.cascade.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SreTest {
  private static final long S = 1_000_000_000L;

  @Test
  void formulaValues() {
    assertThat(SreAdaptiveThrottle.rejectionProbability(0, 0, 2)).isZero();
    assertThat(SreAdaptiveThrottle.rejectionProbability(100, 50, 2)).isZero();
    assertThat(SreAdaptiveThrottle.rejectionProbability(100, 60, 2)).isZero();
    assertThat(SreAdaptiveThrottle.rejectionProbability(100, 10, 2))
        .isCloseTo(80.0 / 101, within(1e-15));
    assertThat(SreAdaptiveThrottle.rejectionProbability(100, 0, 2))
        .isCloseTo(100.0 / 101, within(1e-15));
  }

  @Test
  void throttleCountsRequestsAndAcceptsOverTheTwoMinuteWindow() {
    SreAdaptiveThrottle t = new SreAdaptiveThrottle(SreConfig.defaults());
    for (int i = 0; i < 10; i++) {
      assertThat(t.tryRequest(0, 0.999_999)).isTrue();
    }
    assertThat(t.rejectionProbability(0)).isCloseTo(10.0 / 11, within(1e-15));
    assertThat(t.tryRequest(S, 0.90)).isFalse(); // 0.90 < 10/11
    assertThat(t.requests(S)).isEqualTo(11); // locally rejected requests count too
    assertThat(t.tryRequest(S, 0.95)).isTrue(); // p = 11/12 = 0.9167
    for (int i = 0; i < 6; i++) {
      t.onAccepted(2 * S);
    }
    assertThat(t.rejectionProbability(2 * S)).isZero(); // 12 − 2·6 = 0
    // At 120 s the window holds buckets [1 s, 2 s) .. [120 s, 121 s): the 2 requests made at 1 s.
    assertThat(t.requests(120 * S)).isEqualTo(2);
    assertThat(t.accepts(120 * S)).isEqualTo(6);
    // Everything recorded in [0, 3 s) has left the window at 122 s.
    assertThat(t.requests(122 * S)).isZero();
    assertThat(t.rejectionProbability(122 * S)).isZero();
  }

  @Test
  void retryBudgetIsTenPercentOfRequestsAndThreeAttempts() {
    SreRetryBudget b = new SreRetryBudget(SreConfig.defaults());
    assertThat(b.tryRetry(0, 1)).isFalse(); // no requests, no budget
    for (int i = 0; i < 100; i++) {
      b.onRequest(0);
    }
    for (int i = 0; i < 10; i++) {
      assertThat(b.tryRetry(S, 1)).isTrue();
    }
    assertThat(b.tryRetry(S, 1)).isFalse();
    assertThat(b.retries(S)).isEqualTo(10);
    // Once the window has moved past both buckets the budget is empty again (no requests).
    assertThat(b.tryRetry(200 * S, 1)).isFalse();
    for (int i = 0; i < 100; i++) {
      b.onRequest(200 * S);
    }
    assertThat(b.tryRetry(200 * S, 2)).isTrue();
    assertThat(b.tryRetry(200 * S, 3)).isFalse(); // attempts ≤ 3
  }

  @Test
  void validation() {
    SreAdaptiveThrottle t = new SreAdaptiveThrottle(SreConfig.defaults());
    assertThatThrownBy(() -> t.tryRequest(0, 1.0))
        .isInstanceOf(BaselineInputException.class)
        .hasMessageContaining("uniform = 1.0");
    assertThatThrownBy(() -> SreConfig.builder().bucketNanos(7 * S).build())
        .isInstanceOf(BaselineInputException.class)
        .hasMessageContaining("bucketNanos = 7000000000");
    assertThatThrownBy(() -> SreConfig.builder().retryBudgetRatio(1.5))
        .isInstanceOf(BaselineInputException.class)
        .hasMessageContaining("retryBudgetRatio = 1.5");
    assertThatThrownBy(() -> SreConfig.builder().k(0))
        .isInstanceOf(BaselineInputException.class)
        .hasMessageContaining("k = 0.0");
    t.tryRequest(5 * S, 0.5);
    assertThatThrownBy(() -> t.tryRequest(4 * S, 0.5))
        .isInstanceOf(BaselineInputException.class)
        .hasMessageContaining("nowNanos = 4000000000");
  }
}
