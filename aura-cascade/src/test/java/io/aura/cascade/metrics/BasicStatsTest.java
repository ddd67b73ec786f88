package io.aura.cascade.metrics;

import io.aura.cascade.random.SplitMix64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BasicStatsTest {
  private static final double EPS = 1e-12;

  @Test
  void splitMix64MatchesReferenceSequence() {
    SplitMix64 r = new SplitMix64(0L);
    assertThat(r.next()).isEqualTo(0xE220A8397B1DCDAFL);
    assertThat(r.next()).isEqualTo(0x6E789E6AA1B965F4L);
    assertThat(r.next()).isEqualTo(0x06C45D188009454FL);
  }

  @Test
  void type7Quantiles() {
    double[] x = {4, 1, 3, 2};
    assertThat(Quantiles.quantile(x, 0.5)).isCloseTo(2.5, within(EPS));
    assertThat(Quantiles.quantile(x, 0.95)).isCloseTo(3.85, within(EPS));
    assertThat(Quantiles.quantile(x, 0.0)).isEqualTo(1.0);
    assertThat(Quantiles.quantile(x, 1.0)).isEqualTo(4.0);
    assertThat(x).containsExactly(4, 1, 3, 2);
  }

  @Test
  void quantilesNeverTurnInfinitiesIntoNaN() {
    double inf = Double.POSITIVE_INFINITY;
    assertThat(Quantiles.quantile(new double[] {1, inf}, 0.5)).isEqualTo(inf);
    assertThat(Quantiles.quantile(new double[] {inf, inf}, 0.3)).isEqualTo(inf);
    assertThat(Quantiles.quantile(new double[] {-inf, 2}, 0.5)).isEqualTo(-inf);
    assertThat(Quantiles.quantile(new double[] {-inf, 2}, 1.0)).isEqualTo(2.0);
  }

  @Test
  void quantileRejectsNaNAndBadProbability() {
    assertThatThrownBy(() -> Quantiles.quantile(new double[] {1, Double.NaN}, 0.5))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("values[1]");
    assertThatThrownBy(() -> Quantiles.quantile(new double[] {1}, 1.5))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("p = 1.5");
  }

  @Test
  void cascadeSizeStatisticsByHand() {
    double[] s = {0.6, 0.0, 0.3, 0.02, 0.06};
    CascadeSizeStats st = CascadeSizeStats.of(s);
    assertThat(st.n()).isEqualTo(5);
    assertThat(st.mean()).isCloseTo(0.196, within(EPS));
    assertThat(st.median()).isCloseTo(0.06, within(EPS));
    assertThat(st.p95()).isCloseTo(0.54, within(EPS));
    assertThat(st.p99()).isCloseTo(0.588, within(EPS));
    assertThat(st.ccdfThresholds()).containsExactly(0.01, 0.05, 0.1, 0.2, 0.5);
    assertThat(st.ccdf()).containsExactly(0.8, 0.6, 0.4, 0.4, 0.2);
  }

  @Test
  void ccdfCountsTheThresholdItself() {
    double[] s = {0.1, 0.1, 0.05, 0.0};
    assertThat(CascadeSizeStats.ccdf(s, 0.1)).isEqualTo(0.5);
    assertThat(CascadeSizeStats.of(s).ccdf()[2]).isEqualTo(0.5);
  }

  @Test
  void ccdfAgreesWithBruteForceOnRandomData() {
    SplitMix64 r = new SplitMix64(42);
    for (int trial = 0; trial < 50; trial++) {
      double[] s = new double[1 + r.nextInt(40)];
      for (int i = 0; i < s.length; i++) {
        s[i] = Math.round(r.nextDouble() * 20) / 20.0; // ties on purpose
      }
      CascadeSizeStats st = CascadeSizeStats.of(s);
      double[] th = st.ccdfThresholds();
      for (int k = 0; k < th.length; k++) {
        assertThat(st.ccdf()[k]).isEqualTo(CascadeSizeStats.ccdf(s, th[k]));
      }
    }
  }

  @Test
  void sizesOutsideUnitIntervalAreRejected() {
    assertThatThrownBy(() -> CascadeSizeStats.of(new double[] {0.2, 1.2}))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("sizes[1] = 1.2");
    assertThatThrownBy(() -> CascadeSizeStats.of(new double[0]))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("sizes");
  }

  @Test
  void emptyOrOutOfRangeInputsNeverBecomeANumber() {
    // an empty sample has no mean or rate (0/0 = NaN); a size above 1 or a NaN is a bug upstream
    assertThatThrownBy(() -> CascadeSizeStats.mean(new double[0]))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("values must not be empty");
    assertThatThrownBy(() -> CascadeSizeStats.mean(new double[] {0.1, Double.NaN}))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("values[1] = NaN");
    assertThatThrownBy(() -> PreventedCascades.harmRate(new double[0], new double[0]))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("b0Sizes must not be empty");
    assertThatThrownBy(() -> Quantiles.quantileOfSorted(new double[0], 0.5))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("sorted must not be empty");
    assertThatThrownBy(() -> CascadeSizeStats.of(new double[] {0.1}, new double[] {0.1, 1.5}))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("thresholds[1] = 1.5");
    assertThatThrownBy(() -> CascadeSizeStats.ccdf(new double[] {0.1, 1.5}, 0.1))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("sizes[1] = 1.5");
    assertThatThrownBy(() -> SizeReduction.rSize(new double[] {0.1, 1.5}, new double[] {0.1, 0.1}, 10, 0.95, 1))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("baselineSizes[1] = 1.5");
    assertThatThrownBy(() -> SizeReduction.rSize(new double[] {0.1, 0.5}, new double[] {Double.NaN, 0.1}, 10, 0.95, 1))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("sutSizes[0] = NaN");
  }

  @Test
  void availability() {
    assertThat(CascadeSizeStats.availability(999, 1000)).isEqualTo(0.999);
    assertThatThrownBy(() -> CascadeSizeStats.availability(5, 0))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("offeredEntryRequests = 0");
    assertThat(CascadeSizeStats.availability(0, 10)).isZero(); // both ends of [0, offered] are legal
    assertThat(CascadeSizeStats.availability(10, 10)).isEqualTo(1.0);
    assertThatThrownBy(() -> CascadeSizeStats.availability(-1, 10))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("successfulEntryRequests = -1");
    assertThatThrownBy(() -> CascadeSizeStats.availability(11, 10))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("successfulEntryRequests = 11");
  }

  @Test
  void pcrAndHarmRateByHand() {
    double[] b = {0.3, 0.2, 0.05, 0.5, 0.11};
    double[] s = {0.0, 0.15, 0.3, 0.0, 0.01};
    PreventedCascades.Pcr p = PreventedCascades.pcr(b, s, 0.10);
    assertThat(p.baselineCascades()).isEqualTo(4);
    assertThat(p.sutCascades()).isEqualTo(2);
    assertThat(p.value().getAsDouble()).isCloseTo(0.5, within(EPS));
    // Episode 2: 0.3 > 0.05 + 0.05; episode 1: 0.15 > 0.25? no.
    assertThat(PreventedCascades.harmRate(b, s)).isCloseTo(0.2, within(EPS));
    // exactly 0.05 worse is not harm, though 0.12 + 0.05 < 0.17 in doubles; one agent more is
    assertThat(PreventedCascades.harmRate(new double[] {0.12, 0.12}, new double[] {0.17, 0.18})).isEqualTo(0.5);
  }

  @Test
  void pcrCountsOnlySizesStrictlyAboveTheThreshold() {
    // spec 6.3: S > X, in both arms; an episode exactly at X is not a cascade
    PreventedCascades.Pcr p =
        PreventedCascades.pcr(new double[] {0.1, 0.3, 0.4}, new double[] {0.1, 0.1, 0.2}, 0.1);
    assertThat(p.baselineCascades()).isEqualTo(2);
    assertThat(p.sutCascades()).isEqualTo(1);
    assertThat(p.value().getAsDouble()).isCloseTo(0.5, within(EPS));
  }

  @Test
  void pcrHarmRateAndDeltaARejectInputsOutsideTheirDomain() {
    // sizes and availabilities are fractions; a value outside [0, 1] or a lost episode (unequal
    // lengths) is a bug upstream, and a metric that accepted it would report a wrong number
    double[] ok = {0.1, 0.2};
    assertThatThrownBy(() -> PreventedCascades.pcr(new double[] {0.1, 1.5}, ok, 0.1))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("baselineSizes[1] = 1.5");
    assertThatThrownBy(() -> PreventedCascades.pcr(ok, new double[] {-0.1, 0.2}, 0.1))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("sutSizes[0] = -0.1");
    assertThatThrownBy(() -> PreventedCascades.pcr(ok, new double[] {0.1}, 0.1))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("baselineSizes.length = 2");
    assertThatThrownBy(() -> PreventedCascades.pcr(ok, ok, 1.1))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("threshold = 1.1");
    assertThatThrownBy(() -> PreventedCascades.harmRate(new double[] {Double.NaN, 0.1}, ok))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("b0Sizes[0] = NaN");
    assertThatThrownBy(() -> PreventedCascades.harmRate(ok, new double[] {0.1, 2.0}))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("sutSizes[1] = 2.0");
    assertThatThrownBy(() -> PreventedCascades.harmRate(ok, new double[] {0.1, 0.2, 0.3}))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("b0Sizes.length = 2");
    assertThatThrownBy(() -> PreventedCascades.harmRate(ok, ok, -0.05))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("margin = -0.05");
    assertThatThrownBy(() -> InterventionCost.deltaA(new double[] {1.2, 0.9}, ok))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("referenceAvailability[0] = 1.2");
    assertThatThrownBy(() -> InterventionCost.deltaA(ok, new double[] {0.9, -1.0}))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("sutAvailability[1] = -1.0");
    assertThatThrownBy(() -> InterventionCost.deltaA(ok, new double[] {0.9}))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("referenceAvailability.length = 2");
    assertThatThrownBy(() -> InterventionCost.deltaAVersusBest(new double[][] {ok, {0.5, 1.01}}, ok))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("baselineAvailability[1][1] = 1.01");
  }

  @Test
  void pcrIsEmptyWhenTheBaselineNeverCascaded() {
    PreventedCascades.Pcr p =
        PreventedCascades.pcr(new double[] {0.0, 0.1}, new double[] {0.2, 0.0}, 0.1);
    assertThat(p.value()).isEmpty();
    assertThat(p.sutCascades()).isEqualTo(1);
  }

  @Test
  void deltaAByHand() {
    InterventionCost.DeltaA d =
        InterventionCost.deltaA(new double[] {1.0, 0.9}, new double[] {0.99, 0.95});
    assertThat(d.mean()).isCloseTo(-0.02, within(EPS));
    assertThat(d.p95()).isCloseTo(0.007, within(EPS));
    InterventionCost.DeltaA best =
        InterventionCost.deltaAVersusBest(
            new double[][] {{0.5, 0.5}, {1.0, 0.9}}, new double[] {0.99, 0.95});
    assertThat(best.referenceIndex()).isEqualTo(1);
    assertThat(best.mean()).isCloseTo(-0.02, within(EPS));
  }

  @Test
  void bestBaselineTiesGoToTheLowestIndex() {
    // two baselines with the same mean availability but different episodes: the documented choice
    // is the first, and the differences must be taken against it
    InterventionCost.DeltaA d =
        InterventionCost.deltaAVersusBest(
            new double[][] {{0.5, 0.75}, {0.625, 0.625}, {0.25, 0.25}}, new double[] {0.5, 0.5});
    assertThat(d.referenceIndex()).isZero();
    assertThat(d.mean()).isCloseTo(0.125, within(EPS));
    assertThat(d.p95()).isCloseTo(0.2375, within(EPS)); // against baseline 1 it would be 0.125
  }

  @Test
  void interventionRate() {
    long halfDay = 43_200L * 1_000_000_000L;
    assertThat(InterventionCost.interventionsPerDayPer1000Agents(10, halfDay, 500))
        .isCloseTo(40.0, within(1e-9));
    assertThatThrownBy(() -> InterventionCost.interventionsPerDayPer1000Agents(1, halfDay, 0))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("agents = 0");
    // no interventions at all is the ideal, not an error; no simulated time is an error
    assertThat(InterventionCost.interventionsPerDayPer1000Agents(0, halfDay, 500)).isZero();
    assertThatThrownBy(() -> InterventionCost.interventionsPerDayPer1000Agents(1, 0, 500))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("simulatedNanos = 0");
  }

  @Test
  void latencyPercentiles() {
    long[] l = new long[1000];
    for (int i = 0; i < l.length; i++) {
      l[i] = 1000 - i;
    }
    LatencyStats.Summary s = LatencyStats.summarize(l);
    assertThat(s.p50Nanos()).isCloseTo(500.5, within(1e-9));
    assertThat(s.p99Nanos()).isCloseTo(990.01, within(1e-9));
    assertThat(s.p999Nanos()).isCloseTo(999.001, within(1e-9));
    assertThat(s.maxNanos()).isEqualTo(1000);
    assertThat(LatencyStats.summarize(new long[] {0, 0, 4}).maxNanos()).isEqualTo(4); // 0 ns is a latency
    assertThatThrownBy(() -> LatencyStats.summarize(new long[] {5, -1}))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("latenciesNanos[1] = -1");
  }

  @Test
  void logLogSlopeRecoversAPowerLaw() {
    double[] n = {1e2, 1e3, 1e4, 1e5, 1e6};
    double[] lat = new double[n.length];
    for (int i = 0; i < n.length; i++) {
      lat[i] = 3.0 * Math.pow(n[i], 1.5);
    }
    LatencyStats.PowerLawFit f = LatencyStats.fitLogLog(n, lat);
    assertThat(f.slope()).isCloseTo(1.5, within(1e-9));
    assertThat(f.intercept()).isCloseTo(Math.log(3.0), within(1e-9));
    assertThat(f.rSquared()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void logLogSlopeByHandWithNoise() {
    // x = ln N = {0, 1, 2} (N = 1, e, e^2), y = ln L = {0, 2, 3}: slope 1.5, intercept 1/6.
    double[] n = {1, Math.E, Math.E * Math.E};
    double[] lat = {1, Math.exp(2), Math.exp(3)};
    LatencyStats.PowerLawFit f = LatencyStats.fitLogLog(n, lat);
    assertThat(f.slope()).isCloseTo(1.5, within(1e-12));
    assertThat(f.intercept()).isCloseTo(1.0 / 6, within(1e-12));
    // SS_tot = 14/3, SS_res = 1/6 → R² = 1 − 1/28.
    assertThat(f.rSquared()).isCloseTo(1 - 1.0 / 28, within(1e-12));
    assertThatThrownBy(() -> LatencyStats.fitLogLog(new double[] {5, 5}, new double[] {1, 2}))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("two distinct");
  }

  @Test
  void logLogFitRejectsPointsWithoutALogarithm() {
    // ln 0 and ln ∞ are infinite: accepted, they would make the slope NaN or ±∞ without a word
    double[] lat = {1, 2, 3};
    assertThatThrownBy(() -> LatencyStats.fitLogLog(new double[] {0, 10, 100}, lat))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("agents[0] = 0.0");
    assertThatThrownBy(() -> LatencyStats.fitLogLog(new double[] {1, 10, Double.POSITIVE_INFINITY}, lat))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("agents[2] = Infinity");
    assertThatThrownBy(() -> LatencyStats.fitLogLog(new double[] {1, 10, 100}, new double[] {1, 0, 3}))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("latency[1] = 0.0");
    assertThatThrownBy(() -> LatencyStats.fitLogLog(new double[] {1, 10, 100}, new double[] {1, Double.POSITIVE_INFINITY, 3}))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("latency[1] = Infinity");
    assertThatThrownBy(() -> LatencyStats.fitLogLog(new double[] {1, 10, 100}, new double[] {1, 2}))
        .isInstanceOf(MetricInputException.class).hasMessageContaining("agents.length = 3");
  }
}
