package io.aura.cascade.baseline;

import io.aura.cascade.random.SplitMix64;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The breakers' CLOSED-state tripping and the rolling windows against brute-force references that
 * recompute every rate from the full event history.
 */
class BreakerDifferentialTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000 * MS;

  @Property(tries = 300, seed = "4242")
  void r4jOpensExactlyWhenTheReferenceWindowCrossesTheThreshold(@ForAll long seed) {
    SplitMix64 r = new SplitMix64(seed);
    int window = 1 + r.nextInt(30);
    int minCalls = 1 + r.nextInt(40);
    double threshold = 10 + r.nextInt(90);
    double pFail = r.nextDouble();
    R4jCircuitBreaker b = new R4jCircuitBreaker(R4jCircuitBreakerConfig.builder()
        .slidingWindowSize(window).minimumNumberOfCalls(minCalls)
        .failureRateThresholdPercent(threshold).build(), 0);
    int calls = 200;
    boolean[] fail = new boolean[calls];
    int expectedOpenAt = -1;
    for (int i = 0; i < calls; i++) {
      fail[i] = r.nextDouble() < pFail;
      int buffered = Math.min(i + 1, window);
      int failed = 0;
      for (int j = i + 1 - buffered; j <= i; j++) {
        failed += fail[j] ? 1 : 0;
      }
      if (expectedOpenAt < 0 && buffered >= Math.min(minCalls, window)
          && 100.0 * failed / buffered >= threshold) {
        expectedOpenAt = i;
      }
    }
    int openedAt = -1;
    for (int i = 0; i < calls && openedAt < 0; i++) {
      long t = (i + 1) * MS;
      assertThat(b.tryAcquire(t)).isTrue();
      if (fail[i]) {
        b.onError(t, MS);
      } else {
        b.onSuccess(t, MS);
      }
      if (b.state() == CircuitState.OPEN) {
        openedAt = i;
      }
    }
    assertThat(openedAt).isEqualTo(expectedOpenAt);
  }

  @Property(tries = 300, seed = "777")
  void hystrixTripsExactlyWhenTheReferenceRollingWindowDoes(@ForAll long seed) {
    SplitMix64 r = new SplitMix64(seed);
    double pFail = r.nextDouble();
    int events = 300;
    long[] time = new long[events];
    boolean[] err = new boolean[events];
    long t = r.nextInt(1000) * MS;
    int expectedTrip = -1;
    for (int i = 0; i < events; i++) {
      t += r.nextInt(700) * MS;
      time[i] = t;
      err[i] = r.nextDouble() < pFail;
      long current = Math.floorDiv(t, S);
      long total = 0;
      long errors = 0;
      for (int j = 0; j <= i; j++) {
        long bucket = Math.floorDiv(time[j], S);
        if (bucket > current - 10) {
          total++;
          errors += err[j] ? 1 : 0;
        }
      }
      if (expectedTrip < 0 && total >= 20 && (int) ((double) errors / total * 100) >= 50) {
        expectedTrip = i;
      }
    }
    HystrixCircuitBreaker b = new HystrixCircuitBreaker(HystrixConfig.defaults());
    int trip = -1;
    for (int i = 0; i < events && trip < 0; i++) {
      if (err[i]) {
        b.onError(time[i]);
      } else {
        b.onSuccess(time[i]);
      }
      if (b.state() == CircuitState.OPEN) {
        trip = i;
      }
    }
    assertThat(trip).isEqualTo(expectedTrip);
  }

  @Property(tries = 200, seed = "31337")
  void sreThrottleProbabilityMatchesBruteForceCounts(@ForAll long seed) {
    SplitMix64 r = new SplitMix64(seed);
    SreAdaptiveThrottle th = new SreAdaptiveThrottle(SreConfig.defaults());
    int events = 400;
    long[] time = new long[events];
    boolean[] isRequest = new boolean[events];
    long t = 0;
    for (int i = 0; i < events; i++) {
      t += r.nextInt(3_000) * MS;
      time[i] = t;
      isRequest[i] = r.nextDouble() < 0.6;
      long current = Math.floorDiv(t, S);
      long req = 0;
      long acc = 0;
      for (int j = 0; j < i; j++) {
        if (Math.floorDiv(time[j], S) > current - 120) {
          if (isRequest[j]) {
            req++;
          } else {
            acc++;
          }
        }
      }
      double expected = Math.max(0.0, (req - 2.0 * acc) / (req + 1.0));
      assertThat(th.rejectionProbability(t)).isEqualTo(expected);
      if (isRequest[i]) {
        th.tryRequest(t, r.nextDouble());
      } else {
        th.onAccepted(t);
      }
    }
  }
}
