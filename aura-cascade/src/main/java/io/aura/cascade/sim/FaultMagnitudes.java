package io.aura.cascade.sim;

/**
 * Magnitudes of the faults of spec section 4; {@link #standard()} gives the F-std values.
 *
 * @param slowFactor F2 κ (d_i × κ), one of {3, 10, 30}
 * @param slowDurationSec F2 duration, 60/180/600 s
 * @param capacityLossFraction F3 fraction of instances removed (30% / 50%), at least one instance
 * @param surgeFactor F4 traffic multiplier ×{1.3, 1.6, 2.0}
 * @param surgeDurationSec F4 duration, 60/300 s
 * @param errorRate F5 ε, {0.2, 0.5, 1.0}
 * @param errorDurationSec F5 duration, 60/120 s
 * @param retryAttempts F8 new maxAttempts on affected edges (6)
 * @param retryEdgeFraction F8 fraction of edges affected (0.2)
 * @param attack F1 target: the top-load agent ("attack") instead of a random one
 */
public record FaultMagnitudes(double slowFactor, long slowDurationSec, double capacityLossFraction, double surgeFactor,
    long surgeDurationSec, double errorRate, long errorDurationSec, int retryAttempts, double retryEdgeFraction,
    boolean attack) {
  public FaultMagnitudes {
    if (!(slowFactor >= 1) || slowDurationSec < 1 || !(capacityLossFraction > 0 && capacityLossFraction <= 1)
        || !(surgeFactor >= 1) || Double.isInfinite(surgeFactor) || surgeDurationSec < 1
        || !(errorRate >= 0 && errorRate <= 1) || errorDurationSec < 1 || retryAttempts < 1
        || !(retryEdgeFraction >= 0 && retryEdgeFraction <= 1)) {
      throw new IllegalArgumentException("bad fault magnitudes: " + slowFactor + ", " + slowDurationSec + ", "
          + capacityLossFraction + ", " + surgeFactor + ", " + surgeDurationSec + ", " + errorRate + ", "
          + errorDurationSec + ", " + retryAttempts + ", " + retryEdgeFraction);
    }
  }

  /** F-std: F2 κ = 10 for 180 s, F3 50%, F4 ×1.6 for 180 s, F5 ε = 0.5 for 120 s, F8 A = 6 on 20%. */
  public static FaultMagnitudes standard() {
    return new FaultMagnitudes(10, 180, 0.5, 1.6, 180, 0.5, 120, 6, 0.2, false);
  }

  /**
   * The regime-calibration scaling of section 4 ("the evaluator scales fault magnitudes once"):
   * κ, the capacity-loss fraction (capped at 1), the surge excess (factor − 1) and ε (capped at 1)
   * are multiplied by {@code s}; durations and F8 are unchanged.
   */
  public FaultMagnitudes scaled(double s) {
    if (!(s > 0) || Double.isInfinite(s)) {
      throw new IllegalArgumentException("scale must be finite and > 0: " + s);
    }
    return new FaultMagnitudes(Math.max(1, slowFactor * s), slowDurationSec, Math.min(1, capacityLossFraction * s),
        1 + (surgeFactor - 1) * s, surgeDurationSec, Math.min(1, errorRate * s), errorDurationSec, retryAttempts,
        retryEdgeFraction, attack);
  }
}
