package io.aura.cascade.metrics;

import io.aura.cascade.random.SplitMix64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SizeReductionTest {

  @Test
  void pointEstimateIsRatioOfMeans() {
    SizeReduction.Estimate e =
        SizeReduction.rSize(new double[] {0.2, 0.4}, new double[] {0.1, 0.1}, 2_000, 0.95, 7);
    assertThat(e.status()).isEqualTo(SizeReduction.Status.FINITE);
    assertThat(e.point()).isCloseTo(3.0, within(1e-12));
    // Only three resamples exist: {0,0} → 2, {1,1} → 4, mixed → 3.
    assertThat(e.lower()).isBetween(2.0, 3.0);
    assertThat(e.upper()).isBetween(3.0, 4.0);
    assertThat(e.lowerOneSided()).isBetween(2.0, 3.0);
    assertThat(e.undefinedReplicates()).isZero();
  }

  @Test
  void singleReplicateMatchesAHandDrawnResample() {
    double[] b = {0.5, 0.1, 0.3, 0.0, 0.2};
    double[] s = {0.1, 0.05, 0.0, 0.02, 0.1};
    long seed = 12345;
    SplitMix64 r = new SplitMix64(seed);
    double sb = 0;
    double ss = 0;
    for (int k = 0; k < b.length; k++) {
      int e = r.nextInt(b.length);
      sb += b[e];
      ss += s[e];
    }
    SizeReduction.Estimate est = SizeReduction.rSize(b, s, 1, 0.95, seed);
    assertThat(est.lower()).isEqualTo(sb / ss);
    assertThat(est.upper()).isEqualTo(sb / ss);
    assertThat(est.lowerOneSided()).isEqualTo(sb / ss);
  }

  @Test
  void boundsAreThePercentilesOfHandDrawnReplicates() {
    // the whole documented procedure, redone here: B replicates of n draws (SplitMix64(seed),
    // index (int)(u·n)), ratio of the drawn sums; CI [Q(a/2), Q(1 − a/2)], lower bound Q(a)
    double[] b = new double[40];
    double[] s = new double[40];
    SplitMix64 data = new SplitMix64(21);
    for (int i = 0; i < b.length; i++) {
      b[i] = data.nextDouble() * 0.6;
      s[i] = 0.01 + data.nextDouble() * 0.2;
    }
    int replicates = 400;
    double confidence = 0.9;
    long seed = 4242;
    SplitMix64 r = new SplitMix64(seed);
    double[] ratios = new double[replicates];
    for (int k = 0; k < replicates; k++) {
      double sb = 0;
      double ss = 0;
      for (int j = 0; j < b.length; j++) {
        int e = r.nextInt(b.length);
        sb += b[e];
        ss += s[e];
      }
      ratios[k] = sb / ss;
    }
    SizeReduction.Estimate est = SizeReduction.rSize(b, s, replicates, confidence, seed);
    assertThat(est.lower()).isCloseTo(Quantiles.quantile(ratios, 0.05), within(1e-12));
    assertThat(est.upper()).isCloseTo(Quantiles.quantile(ratios, 0.95), within(1e-12));
    assertThat(est.lowerOneSided()).isCloseTo(Quantiles.quantile(ratios, 0.10), within(1e-12));
    assertThat(est.confidence()).isEqualTo(confidence);
    assertThat(est.replicates()).isEqualTo(replicates);
  }

  @Test
  void sameSeedSameResult() {
    double[] b = new double[200];
    double[] s = new double[200];
    SplitMix64 r = new SplitMix64(3);
    for (int i = 0; i < b.length; i++) {
      b[i] = r.nextDouble() * 0.5;
      s[i] = r.nextDouble() * 0.1;
    }
    assertThat(SizeReduction.rSize(b, s, 99)).isEqualTo(SizeReduction.rSize(b, s, 99));
    SizeReduction.Estimate e = SizeReduction.rSize(b, s, 99);
    assertThat(e.replicates()).isEqualTo(SizeReduction.DEFAULT_REPLICATES);
    assertThat(e.lowerOneSided()).isLessThan(e.point());
    assertThat(e.lower()).isLessThan(e.lowerOneSided());
    assertThat(e.upper()).isGreaterThan(e.point());
  }

  @Test
  void zeroSutMeanIsReportedAsInfinite() {
    SizeReduction.Estimate e =
        SizeReduction.rSize(new double[] {0.3, 0.2}, new double[] {0.0, 0.0}, 100, 0.95, 1);
    assertThat(e.status()).isEqualTo(SizeReduction.Status.INFINITE);
    assertThat(e.point()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(e.lower()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(e.infiniteReplicates()).isEqualTo(100);
  }

  @Test
  void zeroOverZeroReplicatesAreCountedAndExcluded() {
    // Resamples containing only episode 1 are 0/0; the others are +inf.
    SizeReduction.Estimate e =
        SizeReduction.rSize(new double[] {0.5, 0.0}, new double[] {0.0, 0.0}, 4_000, 0.95, 5);
    assertThat(e.status()).isEqualTo(SizeReduction.Status.INFINITE);
    assertThat(e.undefinedReplicates()).isBetween(800, 1200);
    assertThat(e.infiniteReplicates() + e.undefinedReplicates()).isEqualTo(4_000);
    assertThat(e.lower()).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void noCascadesAnywhereIsUndefinedNotSilentNaN() {
    SizeReduction.Estimate e =
        SizeReduction.rSize(new double[] {0.0, 0.0}, new double[] {0.0, 0.0}, 10, 0.95, 1);
    assertThat(e.status()).isEqualTo(SizeReduction.Status.UNDEFINED);
    assertThat(e.undefinedReplicates()).isEqualTo(10);
  }

  @Test
  void mismatchedInputsAreRejected() {
    assertThatThrownBy(() -> SizeReduction.rSize(new double[] {0.1}, new double[] {0.1, 0.2}, 1))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("baselineSizes.length = 1");
    assertThatThrownBy(
            () -> SizeReduction.rSize(new double[] {0.1}, new double[] {0.1}, 0, 0.95, 1))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("replicates = 0");
    assertThatThrownBy(
            () -> SizeReduction.rSize(new double[] {0.1}, new double[] {0.1}, 10, 1.0, 1))
        .isInstanceOf(MetricInputException.class)
        .hasMessageContaining("confidence = 1.0");
  }
}
