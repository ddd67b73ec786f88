package io.aura.cascade.metrics;

import io.aura.cascade.random.SplitMix64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LeadTimeTest {
  private static final long S = 1_000_000_000L;
  private static final long DAY = 86_400L * S;

  @Test
  void falseAlarmsAreRisingEdgesPerEpisode() {
    double[] r = {0.0, 0.4, 0.0, 0.4, /* ep 2 */ 0.5, 0.2};
    int[] off = {0, 4, 6};
    assertThat(LeadTime.falseAlarms(r, off, 0.3)).isEqualTo(3);
    assertThat(LeadTime.falseAlarms(r, off, 0.0)).isEqualTo(2);
    assertThat(LeadTime.falseAlarms(r, off, 0.6)).isZero();
  }

  @Test
  void thresholdByHand() {
    double[] r = {0.0, 0.4, 0.0, 0.4, /* ep 2 */ 0.0, 0.2};
    int[] off = {0, 4, 6};
    // 1 day, 1000 agents → budget 1 alarm: θ=0 gives 2, 0.2 gives 3, 0.4 gives 2 → never alarm.
    LeadTime.Threshold t = LeadTime.chooseThreshold(r, off, DAY, 1000, 1.0);
    assertThat(t.theta()).isEqualTo(Math.nextUp(0.4));
    assertThat(t.falseAlarms()).isZero();
    assertThat(t.allowedAlarms()).isCloseTo(1.0, within(1e-12));
    // 2 days → budget 2 → θ = 0 (one alarm per episode).
    assertThat(LeadTime.chooseThreshold(r, off, 2 * DAY, 1000, 1.0).theta()).isEqualTo(0.0);
    // 1 day, 3000 agents → budget 3 → θ = 0 already fits.
    LeadTime.Threshold t3 = LeadTime.chooseThreshold(r, off, DAY, 3000, 1.0);
    assertThat(t3.theta()).isEqualTo(0.0);
    assertThat(t3.falseAlarms()).isEqualTo(2);
  }

  @Test
  void thresholdMatchesBruteForceOnRandomTraces() {
    SplitMix64 rng = new SplitMix64(11);
    for (int trial = 0; trial < 200; trial++) {
      int episodes = 1 + rng.nextInt(5);
      int[] off = new int[episodes + 1];
      for (int e = 0; e < episodes; e++) {
        off[e + 1] = off[e] + 1 + rng.nextInt(15);
      }
      double[] r = new double[off[episodes]];
      for (int i = 0; i < r.length; i++) {
        r[i] = Math.floor(rng.nextDouble() * 10) / 10;
      }
      long observed = (1 + rng.nextInt(8)) * DAY / 4;
      int agents = 250 * (1 + rng.nextInt(8));
      LeadTime.Threshold t = LeadTime.chooseThreshold(r, off, observed, agents, 1.0);
      double allowed = (observed / (double) DAY) * (agents / 1000.0);
      double[] cands = r.clone();
      java.util.Arrays.sort(cands);
      double expected = Math.nextUp(cands[cands.length - 1]);
      for (double c : cands) {
        if (LeadTime.falseAlarms(r, off, c) <= allowed) {
          expected = c;
          break;
        }
      }
      assertThat(t.theta()).isEqualTo(expected);
      assertThat(t.falseAlarms()).isEqualTo(LeadTime.falseAlarms(r, off, t.theta()));
    }
  }

  @Test
  void leadTimeFromFirstWarningAfterFaultMinus60s() {
    long[] times = new long[18];
    double[] risk = new double[18];
    for (int i = 0; i < times.length; i++) {
      times[i] = (530 + 10L * i) * S; // 530 .. 700 s
    }
    risk[0] = 0.9; // 530 s: before t_f − 60 s = 540 s, ignored
    risk[3] = 0.8; // 560 s
    risk[5] = 0.95;
    long warn = LeadTime.warningTime(times, risk, 600 * S, LeadTime.DEFAULT_PRE_FAULT_WINDOW_NANOS,
        0.7);
    assertThat(warn).isEqualTo(560 * S);
    assertThat(LeadTime.leadTimeSeconds(620 * S, warn)).isCloseTo(60.0, within(1e-12));
    assertThat(LeadTime.warningTime(times, risk, 600 * S, 60 * S, 0.99)).isEqualTo(LeadTime.NEVER);
    assertThat(LeadTime.leadTimeSeconds(620 * S, LeadTime.NEVER))
        .isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void summaryCountsUnwarnedCascadesAsMisses() {
    LeadTime.Summary s =
        LeadTime.summarize(new double[] {60, 20, 5, Double.NEGATIVE_INFINITY});
    assertThat(s.cascades()).isEqualTo(4);
    assertThat(s.warned()).isEqualTo(3);
    assertThat(s.medianSeconds()).isCloseTo(12.5, within(1e-12));
    assertThat(s.p10Seconds()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(s.fractionAtLeast10s()).isEqualTo(0.5);
    assertThat(s.fractionAtLeast30s()).isEqualTo(0.25);
    assertThatThrownBy(() -> LeadTime.summarize(new double[] {Double.NaN}))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("leadTimesSeconds[0] = NaN");
  }

  @Test
  void leadTimeFractionsIncludeTheirBounds() {
    // "LT >= 10 s" and "LT >= 30 s": a warning exactly 10 s or 30 s ahead counts (the old data had
    // as many lead times below 10 s as at or above it, so a flipped test scored the same)
    LeadTime.Summary s =
        LeadTime.summarize(new double[] {10, 30, 9.999, Double.NEGATIVE_INFINITY, 45});
    assertThat(s.fractionAtLeast10s()).isCloseTo(3.0 / 5, within(1e-12));
    assertThat(s.fractionAtLeast30s()).isCloseTo(2.0 / 5, within(1e-12));
  }

  @Test
  void warningWindowAndThresholdAreInclusive() {
    long[] times = {530 * S, 540 * S, 550 * S, 550 * S, 560 * S};
    // fault at 600 s, window 60 s: a warning at exactly 540 s counts, one at 530 s does not
    assertThat(LeadTime.warningTime(times, new double[] {0.9, 0.9, 0, 0, 0}, 600 * S, 60 * S, 0.5))
        .isEqualTo(540 * S);
    // risk exactly at θ is a warning (alarm iff risk >= θ); equal evaluation times are allowed
    assertThat(LeadTime.warningTime(times, new double[] {0, 0, 0.2, 0.5, 0.9}, 600 * S, 60 * S, 0.5))
        .isEqualTo(550 * S);
    // a zero window is allowed: only t >= t_f counts
    assertThat(LeadTime.warningTime(new long[] {599 * S, 600 * S}, new double[] {1, 1}, 600 * S, 0, 0.5))
        .isEqualTo(600 * S);
    assertThatThrownBy(() -> LeadTime.warningTime(times, new double[] {0, 0, Double.NaN, 0, 0}, 600 * S, 60 * S, 0.5))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("risk[2] = NaN");
    assertThatThrownBy(() -> LeadTime.warningTime(times, new double[] {0, 0}, 600 * S, 60 * S, 0.5))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("evalTimesNanos.length = 5");
  }

  @Test
  void aZeroAlarmBudgetGivesAThresholdWithNoFalseAlarm() {
    // maxRate 0 is legal (no false alarm tolerated); the threshold must then lie above every benign
    // risk, and a sample exactly at θ would be an alarm (risk >= θ), so θ = max is not enough
    double[] r = {0.2, 0.5, 0.5, 0.1};
    int[] off = {0, 2, 4};
    LeadTime.Threshold t = LeadTime.chooseThreshold(r, off, DAY, 1000, 0.0);
    assertThat(t.allowedAlarms()).isZero();
    assertThat(t.theta()).isEqualTo(Math.nextUp(0.5));
    assertThat(t.falseAlarms()).isZero();
    assertThat(LeadTime.falseAlarms(r, off, t.theta())).isZero();
    assertThat(LeadTime.falseAlarms(r, off, 0.5)).isEqualTo(2);
  }

  @Test
  void thresholdAndAlarmInputsAreChecked() {
    double[] r = {0.2, 0.5};
    int[] off = {0, 2};
    assertThatThrownBy(() -> LeadTime.chooseThreshold(new double[] {0.2, Double.NaN}, off, DAY, 1000, 1.0))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("benignRisk[1] = NaN");
    assertThatThrownBy(() -> LeadTime.chooseThreshold(r, off, 0, 1000, 1.0))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("observedNanos = 0");
    assertThatThrownBy(() -> LeadTime.chooseThreshold(r, off, DAY, 0, 1.0))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("agents = 0");
    assertThatThrownBy(() -> LeadTime.chooseThreshold(r, off, DAY, 1000, -0.5))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("maxRate = -0.5");
    assertThatThrownBy(() -> LeadTime.falseAlarms(new double[] {Double.POSITIVE_INFINITY, 0.1}, off, 0.5))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("risk[0] = Infinity");
    assertThatThrownBy(() -> LeadTime.preOnsetActionRate(new long[] {1, 2}, new long[] {3}))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("sutFirstActionEffectiveNanos.length = 2");
  }

  @Test
  void preOnsetActionRate() {
    long never = LeadTime.NEVER;
    assertThat(LeadTime.preOnsetActionRate(new long[] {10, 30, never, 5},
        new long[] {20, 20, 20, never})).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(LeadTime.preOnsetActionRate(new long[] {20}, new long[] {20})).isZero();
    assertThatThrownBy(() -> LeadTime.preOnsetActionRate(new long[] {1}, new long[] {never}))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("b0OnsetNanos");
  }
}
