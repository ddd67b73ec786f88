package io.aura.cascade.sim;

import java.util.OptionalDouble;

/**
 * The cascade metrics both simulators accumulate at their 1-s ticks from t_f on (spec 6): S_peak,
 * the time integral U of the FAILED fraction, and the onsets t_on(5%), t_on(10%), t_on(25%) of the
 * cumulative FAILED fraction.
 */
final class CascadeTrack {
  private static final double[] ONSET_X = {0.05, 0.10, 0.25};

  private double peak;
  private double integral;
  private final double[] onset = {Double.NaN, Double.NaN, Double.NaN};

  /**
   * One tick after t_f.
   *
   * @param timeSec the tick's time
   * @param failedFraction the FAILED fraction of agents outside F0 at the tick
   * @param cumulativeFraction the fraction FAILED at some tick so far
   */
  void tick(double timeSec, double failedFraction, double cumulativeFraction) {
    peak = Math.max(peak, failedFraction);
    integral += failedFraction;
    for (int k = 0; k < ONSET_X.length; k++) {
      if (Double.isNaN(onset[k]) && cumulativeFraction >= ONSET_X[k]) {
        onset[k] = timeSec;
      }
    }
  }

  double peak() {
    return peak;
  }

  /** U: Σ over the ticks of the FAILED fraction (fraction × seconds). */
  double integral() {
    return integral;
  }

  /** t_on of the k-th threshold (5%, 10%, 25%), absent if never reached. */
  OptionalDouble onset(int k) {
    return Double.isNaN(onset[k]) ? OptionalDouble.empty() : OptionalDouble.of(onset[k]);
  }
}
