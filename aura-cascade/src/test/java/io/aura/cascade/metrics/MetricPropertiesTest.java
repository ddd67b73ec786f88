package io.aura.cascade.metrics;

import io.aura.cascade.random.SplitMix64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Properties of the metrics on seeded random inputs (jqwik supplies the seeds). */
class MetricPropertiesTest {

  private static double[] scores(SplitMix64 r, int n, int levels) {
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = Math.floor(r.nextDouble() * levels) / levels;
    }
    return s;
  }

  private static boolean[] labels(SplitMix64 r, int n) {
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextDouble() < 0.35;
    }
    y[0] = true;
    y[n - 1] = false;
    return y;
  }

  @Property(tries = 300, seed = "20261125")
  void aurocOfFlippedLabelsIsTheComplement(@ForAll long seed) {
    SplitMix64 r = new SplitMix64(seed);
    int n = 2 + r.nextInt(80);
    double[] s = scores(r, n, 1 + r.nextInt(20));
    boolean[] y = labels(r, n);
    boolean[] flipped = new boolean[n];
    for (int i = 0; i < n; i++) {
      flipped[i] = !y[i];
    }
    assertThat(PredictionQuality.auroc(s, y) + PredictionQuality.auroc(s, flipped))
        .isCloseTo(1.0, within(1e-12));
  }

  @Property(tries = 300, seed = "7")
  void aurocAndApAreInvariantUnderStrictlyIncreasingTransforms(@ForAll long seed) {
    SplitMix64 r = new SplitMix64(seed);
    int n = 2 + r.nextInt(80);
    double[] s = scores(r, n, 1 + r.nextInt(20));
    boolean[] y = labels(r, n);
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = Math.exp(3 * s[i]) - 7;
    }
    assertThat(PredictionQuality.auroc(t, y)).isCloseTo(PredictionQuality.auroc(s, y),
        within(1e-12));
    assertThat(PredictionQuality.averagePrecision(t, y))
        .isCloseTo(PredictionQuality.averagePrecision(s, y), within(1e-12));
    assertThat(PredictionQuality.averagePrecision(s, y))
        .isGreaterThan(0.0)
        .isLessThanOrEqualTo(1.0);
  }

  @Property(tries = 200, seed = "99")
  void calibrationMetricsStayInRange(@ForAll long seed) {
    SplitMix64 r = new SplitMix64(seed);
    int n = 2 + r.nextInt(100);
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      p[i] = r.nextDouble();
    }
    boolean[] y = labels(r, n);
    assertThat(PredictionQuality.brier(p, y)).isBetween(0.0, 1.0);
    assertThat(PredictionQuality.ece(p, y)).isBetween(0.0, 1.0);
    assertThat(PredictionQuality.brierSkill(p, y)).isLessThanOrEqualTo(1.0);
    // One bin: ECE is |mean(y) − mean(p)|.
    double my = PredictionQuality.prevalence(y);
    double mp = CascadeSizeStats.mean(p);
    assertThat(PredictionQuality.ece(p, y, 1)).isCloseTo(Math.abs(my - mp), within(1e-12));
  }

  @Property(tries = 200, seed = "5")
  void holmAdjustedValuesDominateRawAndPreserveOrder(@ForAll long seed) {
    SplitMix64 r = new SplitMix64(seed);
    int m = 1 + r.nextInt(20);
    double[] p = new double[m];
    for (int i = 0; i < m; i++) {
      p[i] = r.nextDouble();
    }
    double[] adj = MultipleTesting.holmAdjust(p);
    for (int i = 0; i < m; i++) {
      assertThat(adj[i]).isBetween(p[i], 1.0);
      for (int j = 0; j < m; j++) {
        if (p[i] <= p[j]) {
          assertThat(adj[i]).isLessThanOrEqualTo(adj[j]);
        }
      }
    }
  }

  @Property(tries = 100, seed = "3")
  void rSizeScalesWithTheSutAndItsBoundsAreOrdered(@ForAll long seed) {
    SplitMix64 r = new SplitMix64(seed);
    int n = 5 + r.nextInt(60);
    double[] b = new double[n];
    double[] s = new double[n];
    double[] half = new double[n];
    for (int i = 0; i < n; i++) {
      b[i] = r.nextDouble();
      s[i] = 0.01 + 0.5 * r.nextDouble();
      half[i] = s[i] / 2;
    }
    SizeReduction.Estimate e = SizeReduction.rSize(b, s, 500, 0.95, seed);
    SizeReduction.Estimate e2 = SizeReduction.rSize(b, half, 500, 0.95, seed);
    assertThat(e2.point()).isCloseTo(2 * e.point(), within(1e-9 * e.point()));
    // Same resampling indices: every replicate doubles, so do the quantiles.
    assertThat(e2.lower()).isCloseTo(2 * e.lower(), within(1e-9 * e.point()));
    assertThat(e.lower()).isLessThanOrEqualTo(e.lowerOneSided());
    assertThat(e.lowerOneSided()).isLessThanOrEqualTo(e.upper());
  }

  @Property(tries = 100, seed = "17")
  void episodeBootstrapOfOneSampleEpisodesMatchesPlainResampling(@ForAll long seed) {
    // With one sample per episode the episode bootstrap is the ordinary bootstrap; check the
    // weighted sweep against explicit resampling for one replicate.
    SplitMix64 r = new SplitMix64(seed);
    int n = 4 + r.nextInt(40);
    double[] s = scores(r, n, 6);
    boolean[] y = labels(r, n);
    int[] off = new int[n + 1];
    for (int i = 0; i <= n; i++) {
      off[i] = i;
    }
    BootstrapInterval one = PredictionQuality.aurocEpisodeBootstrap(s, y, off, 1, 0.95, seed);
    SplitMix64 draw = new SplitMix64(seed);
    double[] rs = new double[n];
    boolean[] ry = new boolean[n];
    boolean pos = false;
    boolean neg = false;
    for (int k = 0; k < n; k++) {
      int e = draw.nextInt(n);
      rs[k] = s[e];
      ry[k] = y[e];
      pos |= ry[k];
      neg |= !ry[k];
    }
    if (pos && neg) {
      assertThat(one.lower()).isCloseTo(PredictionQuality.auroc(rs, ry), within(1e-12));
    } else {
      assertThat(one.skippedReplicates()).isEqualTo(1);
    }
  }
}
