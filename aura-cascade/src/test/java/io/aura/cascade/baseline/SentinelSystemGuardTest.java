package io.aura.cascade.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SentinelSystemGuardTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000 * MS;

  @Test
  void load1FollowsTheLinuxRecurrence() {
    SentinelSystemGuard g = new SentinelSystemGuard(SentinelSystemConfig.builder(4).build(), 0);
    assertThat(g.config().highestSystemLoad()).isEqualTo(10.0);
    g.updateLoad(4 * S, 10);
    assertThat(g.load1()).isZero(); // no sample before 5 s
    g.updateLoad(5 * S, 10);
    assertThat(g.load1()).isCloseTo(10 * (1 - Math.exp(-5.0 / 60)), within(1e-12));
    g.updateLoad(60 * S, 10); // samples 2..12 with the same n_runnable
    assertThat(g.load1()).isCloseTo(10 * (1 - Math.exp(-1.0)), within(1e-12));
    g.updateLoad(65 * S, 0);
    assertThat(g.load1()).isCloseTo(10 * (1 - Math.exp(-1.0)) * Math.exp(-5.0 / 60),
        within(1e-12));
  }

  private static SentinelSystemGuard overloaded(long at) {
    SentinelSystemGuard g = new SentinelSystemGuard(SentinelSystemConfig.builder(1).build(), 0);
    g.updateLoad(at, 100); // load1 ≈ 100·(1 − e^{−at/60 s}) far above 2.5
    assertThat(g.load1()).isGreaterThan(2.5);
    return g;
  }

  @Test
  void belowTheLoadThresholdEverythingIsAdmitted() {
    SentinelSystemGuard g = new SentinelSystemGuard(SentinelSystemConfig.builder(1).build(), 0);
    for (int i = 0; i < 1000; i++) {
      assertThat(g.tryEntry(S)).isTrue();
    }
    assertThat(g.curThread()).isEqualTo(1000);
  }

  @Test
  void bbrWithoutSuccessesUsesTheFloorsOfSentinel() {
    SentinelSystemGuard g = overloaded(100 * S);
    long t = 100 * S;
    // maxSuccessQps = max(0, 1)·2/1 = 2, minRt = 5000 ms → capacity 10 threads.
    assertThat(g.maxSuccessQps(t)).isEqualTo(2.0);
    assertThat(g.minRtMs(t)).isEqualTo(5000);
    for (int i = 0; i <= 10; i++) {
      assertThat(g.tryEntry(t)).as("entry with curThread %d", i).isTrue();
    }
    assertThat(g.tryEntry(t)).isFalse(); // curThread 11 > 10
    assertThat(g.curThread()).isEqualTo(11);
  }

  @Test
  void bbrCapacityIsMaxSuccessQpsTimesMinRt() {
    long t = 100 * S;
    SentinelSystemGuard g = overloaded(t);
    for (int i = 0; i < 50; i++) {
      assertThat(g.tryEntry(t)).isTrue();
      g.onExit(t, 20 * MS + 700_000, true); // 20.7 ms → 20 ms
    }
    assertThat(g.maxSuccessQps(t)).isEqualTo(100.0);
    assertThat(g.minRtMs(t)).isEqualTo(20);
    assertThat(g.tryEntry(t)).isTrue(); // curThread 0
    assertThat(g.tryEntry(t)).isTrue(); // 1
    assertThat(g.tryEntry(t)).isTrue(); // 2 > 100·20/1000 = 2? no
    assertThat(g.tryEntry(t)).isFalse(); // 3 > 2
    // Failures do not feed the statistics; one bucket later the successes still count...
    g.onExit(t + 500 * MS, MS, false);
    assertThat(g.maxSuccessQps(t + 500 * MS)).isEqualTo(100.0);
    // ...and after the 1-s window they are gone.
    assertThat(g.maxSuccessQps(t + 1000 * MS)).isEqualTo(2.0);
    assertThat(g.minRtMs(t + 1000 * MS)).isEqualTo(5000);
  }

  @Test
  void subMillisecondRtCountsAsOneMillisecond() {
    long t = 100 * S;
    SentinelSystemGuard g = overloaded(t);
    g.tryEntry(t);
    g.onExit(t, 300_000, true);
    assertThat(g.minRtMs(t)).isEqualTo(1);
  }

  @Test
  void validation() {
    assertThatThrownBy(() -> SentinelSystemConfig.builder(0))
        .isInstanceOf(BaselineInputException.class)
        .hasMessageContaining("cores = 0");
    assertThatThrownBy(() -> SentinelSystemConfig.builder(2).statisticSampleCount(3).build())
        .isInstanceOf(BaselineInputException.class)
        .hasMessageContaining("statisticSampleCount = 3");
    SentinelSystemGuard g = new SentinelSystemGuard(SentinelSystemConfig.builder(1).build(), 0);
    assertThatThrownBy(() -> g.updateLoad(S, -1))
        .isInstanceOf(BaselineInputException.class)
        .hasMessageContaining("nRunnable = -1");
    assertThatThrownBy(() -> g.onExit(S, MS, true)).isInstanceOf(IllegalStateException.class);
  }
}
