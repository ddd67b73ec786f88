package io.aura.cascade.critical;

import io.aura.cascade.sim.Action;
import io.aura.cascade.sim.CascadeGuard;
import io.aura.cascade.sim.GuardConfig;
import io.aura.cascade.sim.Prediction;
import io.aura.cascade.sim.StaticTopology;
import io.aura.cascade.sim.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link CascadeGuard} decorator for the predict-only B0 episode of CPB 6.7: it passes every call
 * to the SUT and keeps, per 1-s control tick, the SUT's critical agents with their scores and every
 * agent's utilisation as the snapshot shows it ({@code max(thread utilisation, CPU utilisation)},
 * the quantity of the spec 6.4 utilisation baseline; missing rows are skipped). Everything is kept
 * in the guard's ids; {@link #meanCriticalScore} and {@link #meanUtilisation} map them to the
 * simulator's agents with the episode's permutation ({@code Episode.guardIdsToReal}).
 *
 * <p>Used in predict-only mode the recorder changes nothing in the episode (the simulator does not
 * call {@code decide}), so the episode is B0 of its seed. One instance per episode; not thread-safe.
 */
public final class CriticalScoreRecorder implements CascadeGuard {
  private final CascadeGuard sut;
  private final List<Tick> ticks = new ArrayList<>();

  private record Tick(long timeSec, int[] top, double[] scores, float[] utilisation) {}

  /** Records the predictions of {@code sut}. */
  public CriticalScoreRecorder(CascadeGuard sut) {
    this.sut = Objects.requireNonNull(sut, "sut");
  }

  @Override
  public void init(StaticTopology staticTopology, GuardConfig cfg) {
    ticks.clear();
    sut.init(staticTopology, cfg);
  }

  @Override
  public Prediction predict(TelemetrySnapshot s) {
    Prediction p = sut.predict(s);
    double[] thr = s.threadUtilisation();
    double[] cpu = s.cpuUtilisation();
    float[] u = new float[thr.length];
    for (int i = 0; i < u.length; i++) {
      u[i] = Double.isNaN(thr[i]) || Double.isNaN(cpu[i]) ? Float.NaN : (float) Math.max(thr[i], cpu[i]);
    }
    ticks.add(new Tick(s.timeSec(), p.criticalAgents(), p.criticalScores(), u));
    return p;
  }

  @Override
  public List<Action> decide(TelemetrySnapshot s, Prediction p) {
    return sut.decide(s, p);
  }

  /** Number of ticks recorded. */
  public int ticks() {
    return ticks.size();
  }

  /**
   * The SUT's critical score per agent, averaged over the post-fault ticks: for every tick at
   * simulated second s with {@code t_f ≤ s < t_f + windowSec}, an agent scores its
   * {@code criticalScores} entry if it is among the prediction's {@code criticalAgents} (the top-k)
   * and 0 otherwise; the mean is over the ticks of the window that the episode has (60 unless it
   * ends earlier).
   *
   * @param toReal the simulator's agent of each guard id
   * @param faultTimeSec t_f of the episode
   * @param windowSec window length (60)
   * @return one mean score per simulator agent
   * @throws IllegalStateException if no tick falls in the window
   */
  public double[] meanCriticalScore(int[] toReal, double faultTimeSec, int windowSec) {
    double[] sum = new double[toReal.length];
    int count = 0;
    for (Tick t : ticks) {
      if (t.timeSec >= faultTimeSec && t.timeSec < faultTimeSec + windowSec) {
        count++;
        for (int j = 0; j < t.top.length; j++) {
          sum[real(toReal, t.top[j])] += t.scores[j];
        }
      }
    }
    if (count == 0) {
      throw new IllegalStateException("no control tick in [t_f, t_f + " + windowSec + " s) = [" + faultTimeSec + ", "
          + (faultTimeSec + windowSec) + "): the episode ends too early");
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] /= count;
    }
    return sum;
  }

  /**
   * Mean utilisation per agent over the ticks at seconds s with {@code t_f − windowSec ≤ s < t_f}
   * (missing rows skipped; 0 for an agent missing in every tick of the window).
   *
   * @param toReal the simulator's agent of each guard id
   * @param faultTimeSec t_f of the episode
   * @param windowSec window length (60)
   * @return one mean utilisation per simulator agent
   */
  public double[] meanUtilisation(int[] toReal, double faultTimeSec, int windowSec) {
    int n = toReal.length;
    double[] sum = new double[n];
    int[] count = new int[n];
    for (Tick t : ticks) {
      if (t.timeSec >= faultTimeSec - windowSec && t.timeSec < faultTimeSec) {
        if (t.utilisation.length != n) {
          throw new IllegalArgumentException("the snapshots have " + t.utilisation.length + " agents, the mapping " + n);
        }
        for (int v = 0; v < n; v++) {
          if (!Float.isNaN(t.utilisation[v])) {
            int a = toReal[v];
            sum[a] += t.utilisation[v];
            count[a]++;
          }
        }
      }
    }
    for (int a = 0; a < n; a++) {
      sum[a] = count[a] == 0 ? 0.0 : sum[a] / count[a];
    }
    return sum;
  }

  private static int real(int[] toReal, int visible) {
    if (visible < 0 || visible >= toReal.length) {
      throw new IllegalArgumentException("the SUT named critical agent " + visible + " outside [0, " + toReal.length + ")");
    }
    return toReal[visible];
  }
}
