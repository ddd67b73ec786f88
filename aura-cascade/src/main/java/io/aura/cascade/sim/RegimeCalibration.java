package io.aura.cascade.sim;

import io.aura.cascade.CascadeInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The regime-calibration rule of CPB spec section 4: the headline cell (ALI-1000, DES, ℓ = 0.9,
 * α = 0.2, F-std, arm B0) must have {@code P_B0(S > 10%) ∈ [0.3, 0.6]}; if it does not, the fault
 * magnitudes are scaled <em>once</em>, on dev seeds, by one factor s ({@link
 * FaultMagnitudes#scaled(double)}: F2's κ, F3's capacity-loss fraction, F4's surge excess and F5's
 * ε are multiplied by s, capped where they are fractions; durations and F8 are unchanged), and the
 * scaling is recorded in the manifest.
 *
 * <p>Procedure ({@link #calibrate}): measure P at s = 1 on the given dev seeds; if it is in range,
 * s = 1. Otherwise bisect log s on [1/8, 1] (P too high) or [1, 8] (P too low) for at most
 * {@code maxSteps} further measurements, each on the same seeds (common random numbers, so P(s) is
 * monotone up to the simulator's non-monotone dynamics), and stop at the first s whose P is in
 * range; if none is, return the measured s whose P is closest to 0.45 with {@code inRange =
 * false}. Each episode uses the family graph and provisioning of its own seed ({@link
 * Families#build(String, double, long)}) and the default episode protocol ({@link
 * EpisodeParams#defaults()}: T = 1800 s, t_f ~ U[600, 900] s).
 *
 * <p>The committed result for the headline cell is {@link #HEADLINE_SCALE} with the measured
 * {@link #HEADLINE_PROBABILITY} and {@link #HEADLINE_IN_RANGE}; docs/cpb-families.md gives the
 * command that reproduces it.
 */
public final class RegimeCalibration {
  /** The headline family. */
  public static final String FAMILY = "ali-1000";
  /** Headline load factor ℓ. */
  public static final double LOAD = 0.9;
  /** Headline tolerance α. */
  public static final double ALPHA = 0.2;
  /** Cascade threshold X: a cascade is S &gt; 10%. */
  public static final double THRESHOLD = 0.10;
  /** Lower end of the accepted range of P_B0(S &gt; 10%). */
  public static final double LOW = 0.3;
  /** Upper end. */
  public static final double HIGH = 0.6;

  /**
   * The fault-magnitude scale committed for the headline cell: 2.8284 (= 2^1.5, the first bisection
   * point). The rule could <b>not</b> be met: on dev seeds 1..24, with the bridge's exact CPU quota
   * ({@link Families#MIN_CORES_PER_INSTANCE} = 0), P_B0(S &gt; 10%) was 3/24 at s = 1 and 5/24 at
   * s = 2.83, 4.76 and 6.17 ({@code RegimeCalibrationRun 1 24 3 2}, 572 s on 2 threads, 2026-11-26).
   * No scale reaches 0.3; the procedure keeps the measured scale closest to 0.45, the first of the
   * tied ones. Manifests must record {@link #HEADLINE_IN_RANGE} = false. (With the former 1-core
   * floor per instance it was 0/24 at every scale.) See docs/cpb-families.md.
   */
  public static final double HEADLINE_SCALE = 2.8284;
  /** P_B0(S &gt; 10%) measured at {@link #HEADLINE_SCALE} on dev seeds 1..{@link #HEADLINE_EPISODES}: 5/24. */
  public static final double HEADLINE_PROBABILITY = 5.0 / 24;
  /** Episodes behind {@link #HEADLINE_PROBABILITY} (dev seeds 1..24). */
  public static final int HEADLINE_EPISODES = 24;
  /** Whether {@link #HEADLINE_PROBABILITY} is in [0.3, 0.6]: false, the calibration rule is not met. */
  public static final boolean HEADLINE_IN_RANGE = false;
  /** The largest scale tried in the committed calibration. */
  public static final double HEADLINE_MAX_SCALE_TRIED = 6.1688;

  private RegimeCalibration() {}

  /** The F-std magnitudes scaled by {@link #HEADLINE_SCALE}: what the headline cell runs with. */
  public static FaultMagnitudes headlineMagnitudes() {
    return FaultMagnitudes.standard().scaled(HEADLINE_SCALE);
  }

  /**
   * One measurement.
   *
   * @param scale the fault-magnitude scale s
   * @param cascades episodes with S &gt; 10%
   * @param episodes episodes run
   * @param probability cascades / episodes
   */
  public record Point(double scale, int cascades, int episodes, double probability) {}

  /**
   * The outcome of {@link #calibrate}.
   *
   * @param scale the chosen s
   * @param probability P_B0(S &gt; 10%) measured at s
   * @param inRange whether it is in [0.3, 0.6]
   * @param trace every measurement in order
   */
  public record Result(double scale, double probability, boolean inRange, List<Point> trace) {
    public Result {
      trace = List.copyOf(trace);
    }
  }

  /**
   * Measures P_B0(S &gt; 10%) in the headline cell with magnitudes F-std × {@code scale} on seeds
   * {@code firstSeed .. firstSeed + seeds − 1}.
   *
   * @param threads episodes run in parallel (each episode is single-threaded and deterministic)
   */
  public static Point measure(double scale, long firstSeed, int seeds, int threads) {
    return measure(FAMILY, LOAD, ALPHA, scale, firstSeed, seeds, threads);
  }

  /** {@link #measure(double, long, int, int)} for any family, ℓ and α (same F-std and threshold). */
  public static Point measure(String family, double load, double alpha, double scale, long firstSeed, int seeds,
      int threads) {
    if (seeds < 1 || threads < 1) {
      throw new CascadeInputException("need seeds >= 1 and threads >= 1, got seeds=" + seeds + " threads=" + threads);
    }
    FaultMagnitudes mag = FaultMagnitudes.standard().scaled(scale);
    EpisodeParams p = EpisodeParams.defaults().withLoadFactor(load).withMagnitudes(mag).withFault(FaultKind.F_STD);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Double>> sizes = new ArrayList<>();
      for (int k = 0; k < seeds; k++) {
        long seed = firstSeed + k;
        sizes.add(pool.submit(() -> Episode.run(Families.build(family, alpha, seed), p, CascadeGuard.none(), seed)
            .cascadeSize()));
      }
      int hits = 0;
      for (Future<Double> f : sizes) {
        if (f.get() > THRESHOLD) {
          hits++;
        }
      }
      return new Point(scale, hits, seeds, hits / (double) seeds);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("calibration interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("episode failed during calibration: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** The procedure of the class doc on the headline cell. */
  public static Result calibrate(long firstSeed, int seeds, int maxSteps, int threads) {
    List<Point> trace = new ArrayList<>();
    Point p1 = measure(1.0, firstSeed, seeds, threads);
    trace.add(p1);
    if (inRange(p1.probability())) {
      return new Result(1.0, p1.probability(), true, trace);
    }
    boolean tooHigh = p1.probability() > HIGH;
    double lo = tooHigh ? Math.log(1.0 / 8) : 0.0;
    double hi = tooHigh ? 0.0 : Math.log(8.0);
    for (int step = 0; step < maxSteps; step++) {
      double mid = 0.5 * (lo + hi);
      Point pt = measure(Math.exp(mid), firstSeed, seeds, threads);
      trace.add(pt);
      if (inRange(pt.probability())) {
        return new Result(pt.scale(), pt.probability(), true, trace);
      }
      if (pt.probability() > HIGH) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    Point best = trace.get(0);
    for (Point pt : trace) {
      if (Math.abs(pt.probability() - 0.45) < Math.abs(best.probability() - 0.45)) {
        best = pt;
      }
    }
    return new Result(best.scale(), best.probability(), false, trace);
  }

  private static boolean inRange(double p) {
    return p >= LOW && p <= HIGH;
  }
}
