package io.aura.cascade.metrics;

import java.util.Arrays;

/**
 * Warning threshold and lead time (CPB spec 6.5).
 *
 * <p><b>Threshold.</b> θ is fixed on benign dev episodes (those where B0 had S &lt; 1%; the caller
 * selects them and passes their risk traces) so that there are at most
 * {@code maxRate} false alarms per 24 h of simulated time per 1 000 agents (spec: 1). A false alarm
 * is a <em>rising edge</em> of the alarm signal 1[risk ≥ θ] within one benign episode's risk trace:
 * sample i raises an alarm iff r_i ≥ θ and (i is the episode's first sample or r_{i−1} &lt; θ).
 * The rate is alarms / ((observed seconds / 86 400) · (agents / 1 000)). θ is the smallest value
 * meeting the budget; sample i contributes an alarm exactly for θ ∈ (r_{i−1}, r_i], so the count is
 * evaluated at every distinct risk value by a sweep over interval end points, O(n log n). If no
 * data value satisfies the budget, θ = nextUp(max r) (never alarms on the dev data).
 *
 * <p><b>Lead time.</b> For a cascade episode, t_warn is the first evaluation time t ≥ t_f − 60 s
 * with risk ≥ θ and LT = t_on(X) − t_warn (negative if the first warning came after onset). A
 * cascade with no warning at all gets LT = −∞, so that it counts as a miss in the quantiles and
 * fractions instead of being dropped. Reported: median, p10 (type 7), fractions with LT ≥ 10 s and
 * ≥ 30 s.
 *
 * <p><b>Pre-onset action rate.</b> Among SUT-full episodes where B0 cascaded, the fraction in
 * which the SUT's first action took effect strictly before B0's t_on.
 */
public final class LeadTime {
  /** Spec 6.5 false-alarm budget: 1 per 24 h per 1 000 agents. */
  public static final double DEFAULT_MAX_FALSE_ALARMS_PER_DAY_PER_1000_AGENTS = 1.0;
  /** Warnings count from t_f − 60 s (spec 6.5). */
  public static final long DEFAULT_PRE_FAULT_WINDOW_NANOS = 60_000_000_000L;
  /** Marker for "no warning / no action" times. */
  public static final long NEVER = Long.MAX_VALUE;

  private static final double NANOS_PER_SECOND = 1e9;
  private static final double SECONDS_PER_DAY = 86_400.0;

  private LeadTime() {}

  /**
   * Number of false alarms (rising edges of 1[r ≥ θ]) in benign risk traces.
   *
   * @param risk concatenated risk traces, finite
   * @param episodeOffsets E+1 offsets into {@code risk}, first 0, last n
   * @param theta threshold
   * @return alarm count
   */
  public static long falseAlarms(double[] risk, int[] episodeOffsets, double theta) {
    Checks.finite(risk, "risk");
    int episodes = PredictionQuality.checkOffsets(episodeOffsets, risk.length);
    long alarms = 0;
    for (int e = 0; e < episodes; e++) {
      for (int i = episodeOffsets[e]; i < episodeOffsets[e + 1]; i++) {
        if (risk[i] >= theta && (i == episodeOffsets[e] || risk[i - 1] < theta)) {
          alarms++;
        }
      }
    }
    return alarms;
  }

  /**
   * Chosen threshold and its false-alarm count on the benign data.
   *
   * @param theta the threshold (alarm iff risk ≥ θ)
   * @param falseAlarms rising edges at θ on the benign data
   * @param allowedAlarms the budget maxRate · days · agents/1000 (real-valued)
   */
  public record Threshold(double theta, long falseAlarms, double allowedAlarms) {}

  /**
   * Smallest θ with at most {@code maxRate} false alarms per 24 h per 1 000 agents.
   *
   * @param benignRisk concatenated risk traces of benign episodes, finite
   * @param episodeOffsets E+1 offsets, first 0, last n
   * @param observedNanos total simulated time covered by the traces, &gt; 0
   * @param agents number of agents N &gt; 0
   * @param maxRate alarms per 24 h per 1 000 agents, ≥ 0 (spec: 1)
   * @return the threshold
   */
  public static Threshold chooseThreshold(
      double[] benignRisk, int[] episodeOffsets, long observedNanos, int agents, double maxRate) {
    Checks.finite(benignRisk, "benignRisk");
    int episodes = PredictionQuality.checkOffsets(episodeOffsets, benignRisk.length);
    Checks.positive(observedNanos, "observedNanos");
    Checks.positive(agents, "agents");
    if (!(maxRate >= 0.0) || Double.isInfinite(maxRate)) {
      throw new MetricInputException("maxRate = " + maxRate + " must be finite and >= 0");
    }
    double allowed =
        maxRate * (observedNanos / NANOS_PER_SECOND / SECONDS_PER_DAY) * (agents / 1000.0);
    int n = benignRisk.length;
    // Sample i alarms for θ in (lo_i, hi_i] with hi_i = r_i, lo_i = r_{i-1} or -inf for a first
    // sample; an empty interval when r_{i-1} >= r_i.
    double[] starts = new double[n];
    double[] ends = new double[n];
    int m = 0;
    for (int e = 0; e < episodes; e++) {
      for (int i = episodeOffsets[e]; i < episodeOffsets[e + 1]; i++) {
        double lo = i == episodeOffsets[e] ? Double.NEGATIVE_INFINITY : benignRisk[i - 1];
        if (lo < benignRisk[i]) {
          starts[m] = lo;
          ends[m] = benignRisk[i];
          m++;
        }
      }
    }
    double[] s = Arrays.copyOf(starts, m);
    double[] en = Arrays.copyOf(ends, m);
    Arrays.sort(s);
    Arrays.sort(en);
    double[] values = Quantiles.sortedCopy(benignRisk, "benignRisk");
    // count(θ) = #{lo < θ} − #{hi < θ}; scan distinct candidate values ascending.
    int ps = 0;
    int pe = 0;
    for (int k = 0; k < values.length; k++) {
      if (k > 0 && values[k] == values[k - 1]) {
        continue;
      }
      double theta = values[k];
      while (ps < m && s[ps] < theta) {
        ps++;
      }
      while (pe < m && en[pe] < theta) {
        pe++;
      }
      long count = ps - pe;
      if (count <= allowed) {
        return new Threshold(theta, count, allowed);
      }
    }
    return new Threshold(Math.nextUp(values[values.length - 1]), 0, allowed);
  }

  /**
   * First warning time: the first t_i ≥ t_f − window with risk_i ≥ θ.
   *
   * @param evalTimesNanos ascending evaluation times
   * @param risk risk at those times, finite
   * @param faultNanos t_f
   * @param preFaultWindowNanos window before the fault that counts (spec: 60 s), ≥ 0
   * @param theta threshold
   * @return t_warn, or {@link #NEVER}
   */
  public static long warningTime(
      long[] evalTimesNanos, double[] risk, long faultNanos, long preFaultWindowNanos,
      double theta) {
    Checks.finite(risk, "risk");
    if (evalTimesNanos == null) {
      throw new MetricInputException("evalTimesNanos must not be null");
    }
    Checks.sameLength(evalTimesNanos.length, "evalTimesNanos", risk.length, "risk");
    if (preFaultWindowNanos < 0) {
      throw new MetricInputException(
          "preFaultWindowNanos = " + preFaultWindowNanos + " must be >= 0");
    }
    long from = faultNanos - preFaultWindowNanos;
    for (int i = 0; i < risk.length; i++) {
      if (i > 0 && evalTimesNanos[i] < evalTimesNanos[i - 1]) {
        throw new MetricInputException(
            "evalTimesNanos[" + i + "] = " + evalTimesNanos[i] + " is before evalTimesNanos["
                + (i - 1) + "] = " + evalTimesNanos[i - 1]);
      }
      if (evalTimesNanos[i] >= from && risk[i] >= theta) {
        return evalTimesNanos[i];
      }
    }
    return NEVER;
  }

  /**
   * Lead time in seconds, t_on − t_warn, or −∞ when there was no warning.
   *
   * @param onsetNanos t_on(X) of a cascade episode
   * @param warnNanos t_warn or {@link #NEVER}
   * @return LT in seconds
   */
  public static double leadTimeSeconds(long onsetNanos, long warnNanos) {
    if (onsetNanos == NEVER) {
      throw new MetricInputException("onsetNanos = NEVER: lead time needs a cascade episode");
    }
    if (warnNanos == NEVER) {
      return Double.NEGATIVE_INFINITY;
    }
    return (onsetNanos - warnNanos) / NANOS_PER_SECOND;
  }

  /**
   * Lead-time summary.
   *
   * @param cascades number of cascade episodes
   * @param warned episodes with any warning (finite LT)
   * @param medianSeconds median LT (−∞ if at least half were never warned)
   * @param p10Seconds 10th percentile LT
   * @param fractionAtLeast10s fraction with LT ≥ 10 s
   * @param fractionAtLeast30s fraction with LT ≥ 30 s
   */
  public record Summary(
      int cascades, int warned, double medianSeconds, double p10Seconds,
      double fractionAtLeast10s, double fractionAtLeast30s) {}

  /**
   * Summarises lead times (seconds; −∞ for unwarned cascades; +∞ and NaN rejected).
   *
   * @param leadTimesSeconds one per cascade episode
   * @return the summary
   */
  public static Summary summarize(double[] leadTimesSeconds) {
    Checks.nonEmpty(leadTimesSeconds, "leadTimesSeconds");
    int warned = 0;
    int ge10 = 0;
    int ge30 = 0;
    for (int i = 0; i < leadTimesSeconds.length; i++) {
      double lt = leadTimesSeconds[i];
      if (Double.isNaN(lt) || lt == Double.POSITIVE_INFINITY) {
        throw new MetricInputException("leadTimesSeconds[" + i + "] = " + lt + " is invalid");
      }
      if (lt != Double.NEGATIVE_INFINITY) {
        warned++;
      }
      if (lt >= 10.0) {
        ge10++;
      }
      if (lt >= 30.0) {
        ge30++;
      }
    }
    double[] sorted = Quantiles.sortedCopy(leadTimesSeconds, "leadTimesSeconds");
    int n = leadTimesSeconds.length;
    return new Summary(
        n,
        warned,
        Quantiles.quantileOfSorted(sorted, 0.5),
        Quantiles.quantileOfSorted(sorted, 0.1),
        (double) ge10 / n,
        (double) ge30 / n);
  }

  /**
   * Pre-onset action rate: among episodes where B0 cascaded, the fraction with
   * firstAction &lt; t_on(B0).
   *
   * @param sutFirstActionEffectiveNanos time the SUT's first action took effect, or {@link #NEVER}
   * @param b0OnsetNanos B0's onset in the paired episode, or {@link #NEVER} if B0 did not cascade
   *     (such episodes are excluded)
   * @return the rate in [0, 1]
   */
  public static double preOnsetActionRate(
      long[] sutFirstActionEffectiveNanos, long[] b0OnsetNanos) {
    if (sutFirstActionEffectiveNanos == null || b0OnsetNanos == null) {
      throw new MetricInputException("arrays must not be null");
    }
    Checks.sameLength(
        sutFirstActionEffectiveNanos.length, "sutFirstActionEffectiveNanos", b0OnsetNanos.length,
        "b0OnsetNanos");
    int cascaded = 0;
    int early = 0;
    for (int e = 0; e < b0OnsetNanos.length; e++) {
      if (b0OnsetNanos[e] == NEVER) {
        continue;
      }
      cascaded++;
      if (sutFirstActionEffectiveNanos[e] < b0OnsetNanos[e]) {
        early++;
      }
    }
    if (cascaded == 0) {
      throw new MetricInputException(
          "b0OnsetNanos: no episode where B0 cascaded; pre-onset action rate undefined");
    }
    return (double) early / cascaded;
  }
}
