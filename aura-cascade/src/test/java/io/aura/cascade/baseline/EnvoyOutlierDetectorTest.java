package io.aura.cascade.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EnvoyOutlierDetectorTest {
  private static final long S = 1_000_000_000L;

  private static void errors(EnvoyOutlierDetector d, long t, int host, int n) {
    for (int i = 0; i < n; i++) {
      d.onResponse(t, host, true);
    }
  }

  @Test
  void fiveConsecutiveErrorsEjectAndSuccessResetsTheCount() {
    EnvoyOutlierDetector d = new EnvoyOutlierDetector(EnvoyOutlierConfig.defaults(), 10, 0);
    errors(d, 0, 3, 4);
    d.onResponse(0, 3, false);
    errors(d, 0, 3, 4);
    assertThat(d.isEjected(0, 3)).isFalse();
    errors(d, 0, 3, 1);
    assertThat(d.isEjected(0, 3)).isTrue();
    assertThat(d.ejectedCount()).isEqualTo(1);
  }

  @Test
  void ejectionTimesGrow30_60_90WhileTheHostKeepsFailing() {
    EnvoyOutlierDetector d = new EnvoyOutlierDetector(EnvoyOutlierConfig.defaults(), 10, 0);
    errors(d, 0, 0, 5);
    assertThat(d.isEjected(29 * S, 0)).isTrue();
    assertThat(d.isEjected(30 * S, 0)).isFalse(); // sweep at 30 s: 30 s elapsed
    errors(d, 30 * S, 0, 5);
    assertThat(d.currentEjectionTimeNanos(0)).isEqualTo(60 * S);
    assertThat(d.isEjected(89 * S, 0)).isTrue();
    assertThat(d.isEjected(90 * S, 0)).isFalse();
    errors(d, 90 * S, 0, 5);
    assertThat(d.currentEjectionTimeNanos(0)).isEqualTo(90 * S);
    assertThat(d.isEjected(179 * S, 0)).isTrue();
    assertThat(d.isEjected(180 * S, 0)).isFalse();
    assertThat(d.ejectionsTotal()).isEqualTo(3);
  }

  @Test
  void ejectionEndsOnlyAtASweepAndTheMultiplierDecaysWhileHealthy() {
    EnvoyOutlierDetector d = new EnvoyOutlierDetector(EnvoyOutlierConfig.defaults(), 10, 0);
    errors(d, 0, 0, 5);
    assertThat(d.isEjected(30 * S, 0)).isFalse();
    // Sweep at 40 s finds the host healthy: multiplier 1 → 0, so the next ejection is 30 s again.
    errors(d, 45 * S, 0, 5);
    assertThat(d.currentEjectionTimeNanos(0)).isEqualTo(30 * S);
    // 45 + 30 = 75 s, but the next sweep is at 80 s.
    assertThat(d.isEjected(79 * S, 0)).isTrue();
    assertThat(d.isEjected(80 * S, 0)).isFalse();
  }

  @Test
  void unejectionResetsTheConsecutiveCount() {
    // Envoy DetectorImpl::unejectHost resets the host's consecutive 5xx counter "to avoid
    // re-ejection on very few new errors" (source/common/upstream/outlier_detection_impl.cc,
    // envoyproxy/envoy @00c7146): errors of calls still in flight while the host was ejected do
    // not carry over.
    EnvoyOutlierDetector d = new EnvoyOutlierDetector(EnvoyOutlierConfig.defaults(), 10, 0);
    errors(d, 0, 0, 5);
    errors(d, S, 0, 3);
    assertThat(d.isEjected(30 * S, 0)).isFalse();
    errors(d, 31 * S, 0, 2);
    assertThat(d.isEjected(31 * S, 0)).isFalse();
    errors(d, 31 * S, 0, 3);
    assertThat(d.isEjected(31 * S, 0)).isTrue();
  }

  @Test
  void theBackoffStopsGrowingOnceTheEjectionTimeReachesItsCap() {
    // Envoy DetectorImpl::ejectHost increments the host's ejectTimeBackoff only while
    // backoff · base < max_ejection_time + base (outlier_detection_impl.cc, envoyproxy/envoy
    // @00c7146): with 30 s and 300 s it stops at 11, so a host that was ejected 13 times in a row
    // is back to 60 s after ten healthy sweeps (11 − 10 = 1, then +1 at the ejection).
    EnvoyOutlierDetector d = new EnvoyOutlierDetector(EnvoyOutlierConfig.defaults(), 10, 0);
    long t = 0;
    for (int i = 0; i < 13; i++) {
      errors(d, t, 0, 5);
      assertThat(d.isEjected(t, 0)).isTrue();
      while (d.isEjected(t, 0)) {
        t += S;
      }
    }
    assertThat(d.ejectionsTotal()).isEqualTo(13);
    // t is just past the un-ejecting sweep; ten more sweeps decrement the backoff ten times
    errors(d, t + 100 * S, 0, 5);
    assertThat(d.isEjected(t + 100 * S, 0)).isTrue();
    assertThat(d.currentEjectionTimeNanos(0)).isEqualTo(60 * S);
  }

  @Test
  void successRateEjectionIsOnByDefault() {
    // Envoy's defaults enforce success-rate ejection (enforcing_success_rate 100,
    // success_rate_minimum_hosts 5, success_rate_request_volume 100, success_rate_stdev_factor
    // 1900 = 1.9: outlier_detection_impl.h DEFAULT_*); DetectorImpl::onIntervalTimer swaps each
    // host's success-rate bucket at every interval and processSuccessRateEjections ejects the
    // hosts whose success rate over the last interval is below mean − 1.9 · stdev over the hosts
    // with ≥ 100 requests, if there are ≥ 5 of them (outlier_detection_impl.cc, envoyproxy/envoy
    // @00c7146). Nine hosts answer 100 % of 100 calls, host 0 answers 60 %, never 5 errors in a row.
    EnvoyOutlierDetector d = new EnvoyOutlierDetector(EnvoyOutlierConfig.defaults(), 10, 0);
    for (int i = 0; i < 100; i++) {
      for (int h = 0; h < 10; h++) {
        d.onResponse(S, h, h == 0 && i % 5 < 2);
      }
    }
    assertThat(d.isEjected(10 * S - 1, 0)).isFalse();
    // The sweep at 10 s judges [0, 10 s): mean 96, stdev 12, threshold 73.2 > 60.
    assertThat(d.isEjected(10 * S, 0)).isTrue();
    assertThat(d.ejectedCount()).isEqualTo(1);
    assertThat(d.currentEjectionTimeNanos(0)).isEqualTo(30 * S);
    assertThat(d.isEjected(39 * S, 0)).isTrue();
    assertThat(d.isEjected(40 * S, 0)).isFalse();
    // Fewer than five hosts with 100 requests: no verdict.
    EnvoyOutlierDetector few = new EnvoyOutlierDetector(EnvoyOutlierConfig.defaults(), 10, 0);
    for (int i = 0; i < 100; i++) {
      for (int h = 0; h < 4; h++) {
        few.onResponse(11 * S, h, h == 0 && i % 5 < 2);
      }
    }
    assertThat(few.isEjected(20 * S, 0)).isFalse();
    EnvoyOutlierDetector off = new EnvoyOutlierDetector(
        EnvoyOutlierConfig.builder().successRateEjection(false).build(), 10, 0);
    for (int i = 0; i < 100; i++) {
      for (int h = 0; h < 10; h++) {
        off.onResponse(11 * S, h, h == 0 && i % 5 < 2);
      }
    }
    assertThat(off.isEjected(20 * S, 0)).isFalse();
  }

  @Test
  void maxEjectionPercentCapsEjections() {
    EnvoyOutlierDetector ten = new EnvoyOutlierDetector(EnvoyOutlierConfig.defaults(), 10, 0);
    errors(ten, 0, 0, 5);
    errors(ten, 0, 1, 5);
    assertThat(ten.isEjected(0, 1)).isFalse();
    assertThat(ten.ejectionsOverflow()).isEqualTo(1);

    EnvoyOutlierDetector twenty = new EnvoyOutlierDetector(EnvoyOutlierConfig.defaults(), 20, 0);
    for (int h = 0; h < 3; h++) {
      errors(twenty, 0, h, 5);
    }
    assertThat(twenty.ejectedCount()).isEqualTo(2);
    assertThat(twenty.isEjected(0, 2)).isFalse();
    // After host 0 and 1 return at 30 s, host 2 can be ejected.
    errors(twenty, 30 * S, 2, 5);
    assertThat(twenty.isEjected(30 * S, 2)).isTrue();
  }

  @Test
  void fewerThanTenHostsEjectNothingUnlessOneHostIsAlwaysAllowed() {
    // Envoy >= 1.31: 100 * (0 + 1) / 5 = 20% > 10%, so the default refuses even the first ejection
    EnvoyOutlierDetector five = new EnvoyOutlierDetector(EnvoyOutlierConfig.defaults(), 5, 0);
    errors(five, 0, 0, 5);
    assertThat(five.isEjected(0, 0)).isFalse();
    assertThat(five.ejectionsOverflow()).isEqualTo(1);
    EnvoyOutlierConfig one = EnvoyOutlierConfig.builder().alwaysEjectOneHost(true).build();
    assertThat(EnvoyOutlierConfig.defaults().alwaysEjectOneHost()).isFalse();
    EnvoyOutlierDetector fiveOne = new EnvoyOutlierDetector(one, 5, 0);
    errors(fiveOne, 0, 0, 5);
    errors(fiveOne, 0, 1, 5);
    assertThat(fiveOne.isEjected(0, 0)).isTrue();
    assertThat(fiveOne.isEjected(0, 1)).isFalse();
    assertThat(fiveOne.ejectedCount()).isEqualTo(1);
    // 25 hosts: ejections while (active + 1) / 25 <= 10%, i.e. 2 (the pre-1.31 rule allowed 3)
    EnvoyOutlierDetector quarter = new EnvoyOutlierDetector(one, 25, 0);
    for (int h = 0; h < 4; h++) {
      errors(quarter, 0, h, 5);
    }
    assertThat(quarter.ejectedCount()).isEqualTo(2);
    assertThat(quarter.ejectionsOverflow()).isEqualTo(2);
  }

  @Test
  void maxEjectionTimeCapsTheGrowth() {
    EnvoyOutlierConfig c = EnvoyOutlierConfig.builder().maxEjectionTimeNanos(50 * S).build();
    EnvoyOutlierDetector d = new EnvoyOutlierDetector(c, 10, 0);
    errors(d, 0, 0, 5);
    assertThat(d.isEjected(30 * S, 0)).isFalse();
    errors(d, 30 * S, 0, 5);
    assertThat(d.currentEjectionTimeNanos(0)).isEqualTo(50 * S);
    assertThat(d.isEjected(70 * S, 0)).isTrue();
    assertThat(d.isEjected(80 * S, 0)).isFalse();
  }

  @Test
  void validation() {
    EnvoyOutlierDetector d = new EnvoyOutlierDetector(EnvoyOutlierConfig.defaults(), 10, 0);
    assertThatThrownBy(() -> d.onResponse(0, 10, true))
        .isInstanceOf(BaselineInputException.class)
        .hasMessageContaining("host = 10");
    assertThatThrownBy(() -> EnvoyOutlierConfig.builder().maxEjectionPercent(0))
        .isInstanceOf(BaselineInputException.class)
        .hasMessageContaining("maxEjectionPercent = 0.0");
    assertThatThrownBy(() -> new EnvoyOutlierDetector(EnvoyOutlierConfig.defaults(), 0, 0))
        .isInstanceOf(BaselineInputException.class)
        .hasMessageContaining("hosts = 0");
  }
}
