package io.aura.cascade.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.aura.cascade.random.SplitMix64;
import io.aura.cascade.sim.StaticTopology;
import org.junit.jupiter.api.Test;

class FeatureExtractorTest {
  static final StaticTopology STAR = new StaticTopology(5, new int[] {0, 0, 0, 0}, new int[] {1, 2, 3, 4});

  /** Latency noise whose amplitude grows (or stays put) over 240 s; returns csd_trend at the end. */
  private static double csdAfter(boolean rising, long seed) {
    FeatureExtractor fx = new FeatureExtractor(STAR);
    Snapshots s = new Snapshots(5, 4);
    SplitMix64 rng = new SplitMix64(seed);
    for (int t = 0; t < 240; t++) {
      double amp = rising ? 0.02 + 0.01 * t : 0.5;
      for (int i = 0; i < 5; i++) {
        s.p99[i] = 20 * Math.exp(amp * rng.nextGaussian());
      }
      fx.update(s.next());
    }
    return fx.features()[FeatureExtractor.NAMES.indexOf("csd_trend")];
  }

  @Test
  void aRisingVarianceSeriesTripsTheEarlyWarningSignal() {
    // Stationary noise gives large |τ| now and then (overlapping windows; Boettiger & Hastings 2012),
    // so compare averages over seeds: a rising variance trips the signal every time.
    double rising = 0;
    double flat = 0;
    for (long seed = 1; seed <= 8; seed++) {
      double r = csdAfter(true, seed);
      assertThat(r).isGreaterThan(0.8);
      rising += r / 8;
      flat += csdAfter(false, seed) / 8;
    }
    assertThat(flat).isLessThan(0.4);
    assertThat(rising - flat).isGreaterThan(0.5);
  }

  @Test
  void slidingSumsEqualTheDirectVarianceAndAutocorrelation() {
    FeatureExtractor fx = new FeatureExtractor(STAR);
    Snapshots s = new Snapshots(5, 4);
    SplitMix64 rng = new SplitMix64(9);
    double[] w = new double[FeatureExtractor.CSD_WINDOW];
    for (int t = 1; t <= 300; t++) {
      for (int i = 0; i < 5; i++) {
        s.p99[i] = 20 * Math.exp(0.3 * rng.nextGaussian()) + (i == 4 ? t : 0);
      }
      fx.update(s.next());
      int len = Math.min(t, FeatureExtractor.CSD_WINDOW);
      if (t % 37 == 0 || t == 119 || t == 120 || t == 121) {
        for (int i = 0; i < 5; i++) {
          fx.model().copyLogP99(i, len, w);
          assertThat(fx.csdVariance(i)).isCloseTo(Signals.variance(w, 0, len), org.assertj.core.data.Offset.offset(1e-9));
          assertThat(fx.csdAutocorrelation(i)).isCloseTo(Signals.lag1Autocorrelation(w, 0, len), org.assertj.core.data.Offset.offset(1e-7));
        }
      }
    }
  }

  @Test
  void featuresAreFiniteAndNamed() {
    FeatureExtractor fx = new FeatureExtractor(STAR);
    Snapshots s = new Snapshots(5, 4);
    for (int t = 0; t < 50; t++) {
      s.util[2] = Math.min(1, 0.5 + 0.02 * t);
      fx.update(t % 7 == 3 ? s.nextMissing(t % 5) : s.next());
    }
    double[] f = fx.features();
    assertThat(f).hasSize(FeatureExtractor.NAMES.size());
    for (double v : f) {
      assertThat(v).isFinite();
    }
    assertThat(f[0]).isEqualTo(1.0);
    assertThat(fx.dependents(1)).isGreaterThan(fx.dependents(0));
  }

  @Test
  void disruptionFeaturesAreZeroWhenSteadyAndFireOnTheirOwnFault() {
    String[] names = {"capacity_loss", "latency_jump", "error_jump", "traffic_jump"};
    for (int fault = -1; fault < 4; fault++) {
      FeatureExtractor fx = new FeatureExtractor(STAR);
      Snapshots s = new Snapshots(5, 4);
      for (int t = 0; t < 300; t++) {
        fx.update(s.next());
      }
      switch (fault) {
        case 0 -> s.healthy[3] = 1; // one of two instances lost
        case 1 -> s.p99[3] = 400; // 20 ms -> 400 ms
        case 2 -> {
          s.errors[3] = 50;
          s.successes[3] = 50;
        }
        case 3 -> java.util.Arrays.fill(s.arrivals, 200); // every agent sees twice its traffic
        default -> { }
      }
      for (int t = 0; t < 10; t++) {
        fx.update(s.next());
      }
      double[] f = fx.features();
      for (int k = 0; k < names.length; k++) {
        double v = f[FeatureExtractor.NAMES.indexOf(names[k])];
        if (k == fault) {
          assertThat(v).as("%s under its fault", names[k]).isGreaterThan(0.3);
        } else {
          assertThat(v).as("%s under fault %d", names[k], fault).isCloseTo(0.0, org.assertj.core.data.Offset.offset(0.05));
        }
      }
    }
  }

  /** Agent i fails (success ratio 0.2) or recovers from the next snapshot on. */
  private static void setFailing(Snapshots s, int i, boolean failing) {
    s.successes[i] = failing ? 20 : 100;
    s.errors[i] = failing ? 80 : 0;
  }

  @Test
  void recentAndNewFailedFractionsSeparateAFreshCascadeFromAgentsThatFlapFromTheStart() {
    FeatureExtractor fx = new FeatureExtractor(STAR);
    Snapshots s = new Snapshots(5, 4);
    int recent = FeatureExtractor.NAMES.indexOf("recent_failed_fraction");
    int fresh = FeatureExtractor.NAMES.indexOf("new_failed_fraction");
    int ever = FeatureExtractor.NAMES.indexOf("ever_failed_fraction");
    // agent 4 flaps: 20 s failing in every 100 s, from the start
    for (int t = 0; t < 900; t++) {
      setFailing(s, 4, t % 100 < 20);
      fx.update(s.next());
    }
    assertThat(fx.features()[recent]).isEqualTo(0.2);
    assertThat(fx.features()[fresh]).as("first failed 900 s ago: not new").isZero();
    assertThat(fx.features()[ever]).isEqualTo(0.2);
    // a fault: agents 1 and 2 fail from t = 900 on
    setFailing(s, 1, true);
    setFailing(s, 2, true);
    for (int t = 900; t < 930; t++) {
      setFailing(s, 4, t % 100 < 20);
      fx.update(s.next());
    }
    assertThat(fx.features()[recent]).isEqualTo(0.6);
    assertThat(fx.features()[fresh]).isEqualTo(0.4);
    // they recover; 300 s later they are no longer recent, and the flapper still is
    setFailing(s, 1, false);
    setFailing(s, 2, false);
    for (int t = 930; t < 1300; t++) {
      setFailing(s, 4, t % 100 < 20);
      fx.update(s.next());
    }
    assertThat(fx.features()[recent]).isEqualTo(0.2);
    assertThat(fx.features()[fresh]).isZero();
    assertThat(fx.features()[ever]).as("the whole-episode count never forgets").isEqualTo(0.6);
  }

  @Test
  void everyAgentIsWatchedUpToTheWindowAndAFixedUniformSampleAbove() {
    assertThat(FeatureExtractor.watchedAgents(1_000, 1_000)).hasSize(1_000).startsWith(0, 1, 2).endsWith(999);
    int[] w = FeatureExtractor.watchedAgents(100_000, 1_000);
    assertThat(w).hasSize(1_000).doesNotHaveDuplicates().isSorted();
    assertThat(w).isEqualTo(FeatureExtractor.watchedAgents(100_000, 1_000));
    assertThat(w[0]).isGreaterThanOrEqualTo(0);
    assertThat(w[999]).isLessThan(100_000);
    int low = 0; // uniform: about half in the lower half of the ids (binomial sd 15.8)
    for (int i : w) {
      low += i < 50_000 ? 1 : 0;
    }
    assertThat(low).isBetween(420, 580);
  }

  @Test
  void aboveTheWindowCsdFollowsOnlyTheWatchedAgents() {
    int n = 1_500;
    StaticTopology none = new StaticTopology(n, new int[0], new int[0]);
    FeatureExtractor calm = new FeatureExtractor(none);
    FeatureExtractor noisy = new FeatureExtractor(none);
    int[] watched = calm.watched();
    assertThat(watched).hasSize(FeatureExtractor.WINDOW_AGENTS);
    boolean[] isWatched = new boolean[n];
    for (int i : watched) {
      isWatched[i] = true;
    }
    int outside = 0;
    while (isWatched[outside]) {
      outside++;
    }
    // The same p99 on watched agents; the others are steady in one run and swing wider each second in the other.
    Snapshots a = new Snapshots(n, 0);
    Snapshots b = new Snapshots(n, 0);
    SplitMix64 rng = new SplitMix64(3);
    int csd = FeatureExtractor.NAMES.indexOf("csd_trend");
    for (int t = 0; t < 200; t++) {
      for (int i = 0; i < n; i++) {
        double g = rng.nextGaussian();
        a.p99[i] = isWatched[i] ? 20 * Math.exp(0.2 * g) : 20;
        b.p99[i] = isWatched[i] ? a.p99[i] : 20 * Math.exp(0.01 * t * g);
      }
      calm.update(a.next());
      noisy.update(b.next());
    }
    assertThat(noisy.features()[csd]).isEqualTo(calm.features()[csd]);
    assertThat(calm.csdVariance(outside)).isNaN();
    assertThat(calm.csdVariance(watched[0])).isPositive();
  }
}
