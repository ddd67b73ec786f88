package io.aura.cascade.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Does a longer single-agent fault cascade in the headline cell (not a unit test)? Runs ALI-1000 at
 * ℓ = 0.9, α = 0.2, B0, with one fault kind forced at the calibrated scale's magnitudes and its
 * duration replaced, and prints how many episodes reach S > 10% (docs/cpb-families.md, "Regime
 * calibration"). {@code java -cp aura-cascade/target/classes:aura-cascade/target/test-classes:aura-tda/target/classes
 * io.aura.cascade.sim.RegimeDurationRun F2_SLOW|F5_ERRORS|F4_SURGE durationSec firstSeed seeds threads}.
 */
public final class RegimeDurationRun {
  private RegimeDurationRun() {}

  public static void main(String[] args) throws Exception {
    FaultKind f = FaultKind.valueOf(args[0]);
    long dur = Long.parseLong(args[1]);
    long first = Long.parseLong(args[2]);
    int n = Integer.parseInt(args[3]);
    int threads = Integer.parseInt(args[4]);
    FaultMagnitudes m0 = FaultMagnitudes.standard().scaled(RegimeCalibration.HEADLINE_SCALE);
    FaultMagnitudes m = new FaultMagnitudes(m0.slowFactor(), f == FaultKind.F2_SLOW ? dur : m0.slowDurationSec(),
        m0.capacityLossFraction(), m0.surgeFactor(), f == FaultKind.F4_SURGE ? dur : m0.surgeDurationSec(), m0.errorRate(),
        f == FaultKind.F5_ERRORS ? dur : m0.errorDurationSec(), m0.retryAttempts(), m0.retryEdgeFraction(), false);
    EpisodeParams p = EpisodeParams.defaults().withLoadFactor(RegimeCalibration.LOAD).withMagnitudes(m).withFault(f);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<EpisodeResult>> results = new ArrayList<>();
    for (long seed = first; seed < first + n; seed++) {
      long sd = seed;
      results.add(pool.submit(() -> Episode.run(Families.build(RegimeCalibration.FAMILY, RegimeCalibration.ALPHA, sd), p,
          CascadeGuard.none(), sd)));
    }
    int big = 0;
    double sum = 0;
    StringBuilder sizes = new StringBuilder();
    for (Future<EpisodeResult> r : results) {
      double s = r.get().cascadeSize();
      big += s > 0.10 ? 1 : 0;
      sum += s;
      sizes.append(String.format(Locale.ROOT, " %.3f", s));
    }
    pool.shutdown();
    System.out.printf(Locale.ROOT, "%s for %d s at scale %.4f: S > 10%% in %d/%d, mean S %.3f; S =%s%n", f, dur,
        RegimeCalibration.HEADLINE_SCALE, big, n, sum / n, sizes);
  }
}
