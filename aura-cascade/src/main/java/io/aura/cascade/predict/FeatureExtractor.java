package io.aura.cascade.predict;

import io.aura.cascade.sim.StaticTopology;
import io.aura.cascade.sim.TelemetrySnapshot;
import java.util.List;

/**
 * Turns the snapshot stream into the risk model's feature vector, once per control period, and ranks
 * critical agents. Owns a {@link LiveModel} plus the short system-level histories the trend signals
 * need. Deterministic: the same snapshots give the same features bit for bit.
 *
 * <p>Features ({@link #NAMES}, in order):
 * <ol start="0">
 *   <li>{@code max_util} — baseline (i), {@link Signals#maxUtilisation};
 *   <li>{@code max_queue_growth} — baseline (ii), {@link Signals#maxQueueGrowth} over 10 s, as sign(x)·ln(1+|x|);
 *   <li>{@code csd_trend} — baseline (iii), critical slowing down (Scheffer et al. 2009): each second,
 *       the mean over the {@linkplain #watched() watched} agents with traffic of the variance and of the lag-1 autocorrelation of ln(1+p99)
 *       over the last 120 s (sliding sums, O(1) per agent and second; equal to {@link Signals#variance} and
 *       {@link Signals#lag1Autocorrelation} of the window up to rounding); the feature is the larger of the Kendall τ trends of these two indicators
 *       over the last 120 s (either rising trips it; a mean let a falling lag-1 autocorrelation of
 *       non-stationary noise cancel a clearly rising variance);
 *   <li>{@code branching} — baseline (iv), ln of the D6 estimate {@link Signals#branchingRatio} with 5-s generations;
 *   <li>{@code failed_fraction} — agents FAILED now (telemetry estimate) / N;
 *   <li>{@code ever_failed_fraction} — agents FAILED at any snapshot so far / N (the guard's S_cum estimate);
 *   <li>{@code mean_error_ratio} — {@link Signals#topMeanErrorRatio} over the {@value #WINDOW_AGENTS}
 *       agents with the highest error ratio (the plain mean over agents with traffic up to that many);
 *   <li>{@code propagated_risk} — mean over agents of {@link Signals#propagate} (5 rounds);
 *   <li>{@code upstream_exposure} — {@link Signals#upstreamExposure};
 *   <li>{@code amplified_load} — {@link Signals#maxAmplifiedLoad};
 *   <li>{@code landscape_l1} — ln(1 + 100·{@link TopologicalSignals#landscapeL1}) of the last 30 one-second
 *       changes of the system state (mean and max utilisation, mean error ratio, mean ln(1+p99/1000),
 *       failed fraction), Gidea &amp; Katz 2018;
 *   <li>{@code landscape_trend} — Kendall τ of the landscape norm over the last 60 s;
 *   <li>{@code retry_cycle_h1} — ln(1 + {@link TopologicalSignals#retryCycleMass}).
 *   <li>{@code capacity_loss} — disruption: max over agents with at least {@link #DISRUPTION_MIN_RATE}
 *       slow-average arrivals per second of 1 − healthy/most-seen instances (a lost instance shows
 *       at once; capacity loss F3 and crashes);
 *   <li>{@code latency_jump} — disruption: max over the same agents of ln(fast p99 / slow p99), fast
 *       and slow EWMAs with weights {@link #FAST} and {@link #SLOW} per second (fail-slow F2, overload);
 *   <li>{@code error_jump} — disruption: max over the same agents of fast − slow error ratio (error
 *       bursts F5, failures arriving from callees);
 *   <li>{@code traffic_jump} — disruption: ln(fast / slow total arrivals) (surges F4, retry storms).
 *   <li>{@code recent_failed_fraction} — agents FAILED at any snapshot of the last
 *       {@value #RECENT_FAILED_WINDOW} s / N: a windowed S_cum estimate (the guard does not know t_f);
 *   <li>{@code new_failed_fraction} — the agents of {@code recent_failed_fraction} whose first FAILED
 *       snapshot is at most {@value #NEW_FAILED_WINDOW} s old / N: leaves out agents that flap from
 *       the start (little traffic, tight quota), which S_cum's growth toward X does not depend on.
 * </ol>
 * <p><b>Scale.</b> The shipped model was trained on systems of at most {@value #WINDOW_AGENTS} agents. Two
 * means over all agents changed level with N on larger systems and cost the risk its ranking there
 * (docs/predictor.md, "Scale quality on D3-fluid"), so above {@value #WINDOW_AGENTS} agents they are taken
 * over {@value #WINDOW_AGENTS} agents: csd_trend over a fixed pseudo-random sample (a mean over 10⁵ agents
 * is smooth enough for its trend to follow the load's 600-s cycle), mean_error_ratio over the most
 * erring agents (a local fault's share of a mean over all agents fades as 1/N). Up to
 * {@value #WINDOW_AGENTS} agents both are exactly the means over all agents the model was trained on.
 * Likewise retry_cycle_h1 keeps its plain cut to the {@value TopologicalSignals#MAX_FAILING_EDGES}
 * hottest failing edges up to {@value #WINDOW_AGENTS} agents, and above takes as many of the hottest
 * as keep their cyclic part within that budget (a faulted hub's star of failing callers, hundreds of
 * edges at 10⁵ agents, filled the plain cut and hid every cycle; {@link TopologicalSignals#retryCycleMass}).
 *
 * <p>The slow EWMAs start at the first value and track the normal level; the disruption features
 * measure the departure from it, the "a fault has just hit" evidence most early cascades give.
 */
public final class FeatureExtractor {
  /** Feature names, the order of {@link #features()}. */
  public static final List<String> NAMES = List.of("max_util", "max_queue_growth", "csd_trend", "branching",
      "failed_fraction", "ever_failed_fraction", "mean_error_ratio", "propagated_risk", "upstream_exposure",
      "amplified_load", "landscape_l1", "landscape_trend", "retry_cycle_h1", "capacity_loss", "latency_jump",
      "error_jump", "traffic_jump", "recent_failed_fraction", "new_failed_fraction");
  /** The simple baseline predictors (i)–(iv) of spec 6.4. */
  public static final int[] BASELINES = {0, 1, 2, 3};
  /** Direct failure-state estimates. */
  public static final int[] STATE = {4, 5, 6, 17, 18};
  /** Structural propagation signals. */
  public static final int[] STRUCTURAL = {7, 8, 9};
  /** Topological signals (aura-tda). */
  public static final int[] TOPOLOGICAL = {10, 11, 12};
  /** Disruption signals: departures from each agent's own normal level. */
  public static final int[] DISRUPTION = {13, 14, 15, 16};
  /**
   * Name of the memory feature: the {@link TopologicalMemory#risk memory risk} of the newest state cloud.
   * Not computed by the extractor (it needs the guard's memory): {@link AuraGuard} appends it as column
   * {@value #MEMORY_COLUMN} when its model was trained with it ({@link #NAMES_WITH_MEMORY}).
   */
  public static final String MEMORY_RISK = "memory_risk";
  /** Column of {@link #MEMORY_RISK} in a feature vector that has it. */
  public static final int MEMORY_COLUMN = 19;
  /** {@link #NAMES} followed by {@link #MEMORY_RISK}: the features of a model that uses the memory. */
  public static final List<String> NAMES_WITH_MEMORY = java.util.stream.Stream.concat(NAMES.stream(),
      java.util.stream.Stream.of(MEMORY_RISK)).toList();
  /** The memory family (a column of {@link #NAMES_WITH_MEMORY} only). */
  public static final int[] MEMORY = {MEMORY_COLUMN};
  /** Column of {@code ever_failed_fraction}, the guard's estimate of the cumulative failed fraction. */
  public static final int EVER_FAILED = 5;
  /** EWMA weight of the fast disruption averages (about 3 s). */
  static final double FAST = 0.3;
  /** EWMA weight of the slow disruption averages (about 100 s). */
  static final double SLOW = 0.01;
  /** Agents with fewer slow-average arrivals per second are left out of the disruption maxima. */
  static final double DISRUPTION_MIN_RATE = 2.0;
  /**
   * The largest system the shipped model was trained on (ALI-1000): above it, csd_trend and
   * mean_error_ratio are taken over this many agents (see the class comment).
   */
  public static final int WINDOW_AGENTS = 1000;

  static final int CSD_WINDOW = 120;
  static final int CLOUD_WINDOW = 30;
  static final int TREND_WINDOW = 60;
  static final int GENERATION_SEC = 5;
  static final int PROPAGATION_ROUNDS = 5;
  /** Window of {@code recent_failed_fraction}, in snapshots (seconds). */
  static final int RECENT_FAILED_WINDOW = 300;
  /** Window of {@code new_failed_fraction}, in snapshots: the longest post-fault horizon evaluated (600 s). */
  static final int NEW_FAILED_WINDOW = 600;
  private static final int STATE_DIM = 5;

  private final LiveModel model;
  private final int n;
  private final double[] features = new double[NAMES.size()];
  private final double[] stress;
  private final double[] rootCause;
  private final double[] q;
  private final double[] scratch;
  private final int[] bfsQueue;
  /** {@link Signals#passWeights} of the newest snapshot, by out-slot. */
  private final double[] passWeights;
  private final boolean[] seen;
  private final boolean[] prevFailed;
  /** Snapshot index at which each agent was first / last estimated FAILED (−1: never). */
  private final long[] firstFailedStep;
  private final long[] lastFailedStep;
  private final double[] dependents;
  /** Agents whose p99 feeds csd_trend, ascending: all of them up to {@link #WINDOW_AGENTS}. */
  private final int[] watched;
  private final double[] errScratch;
  private final double[] s1;
  private final double[] s2;
  private final double[] s12;
  private final int[] newFailures = new int[64];
  private final double[] varHist = new double[CSD_WINDOW];
  private final double[] acHist = new double[CSD_WINDOW];
  private final double[] stateHist = new double[(CLOUD_WINDOW + 1) * STATE_DIM];
  private final double[] l1Hist = new double[TREND_WINDOW];
  private final double[] tmp = new double[CSD_WINDOW];
  private final TopologicalSignals.CycleScratch cycleScratch = new TopologicalSignals.CycleScratch();
  private final double[] fastP99;
  private final double[] slowP99;
  private final double[] fastErr;
  private final double[] slowErr;
  private final double[] slowArr;
  private double fastTotal;
  private double slowTotal;
  private long steps;
  private TopologicalSignals.StateTopology state = TopologicalSignals.StateTopology.EMPTY;

  /** A fresh extractor for one episode. */
  public FeatureExtractor(StaticTopology topology) {
    model = new LiveModel(topology);
    n = model.agentCount();
    stress = new double[n];
    rootCause = new double[n];
    q = new double[n];
    scratch = new double[n];
    bfsQueue = new int[n];
    passWeights = new double[model.edgeCount()];
    seen = new boolean[n];
    prevFailed = new boolean[n];
    firstFailedStep = new long[n];
    lastFailedStep = new long[n];
    java.util.Arrays.fill(firstFailedStep, -1);
    java.util.Arrays.fill(lastFailedStep, -1);
    dependents = dependents(model);
    watched = watchedAgents(n, WINDOW_AGENTS);
    errScratch = new double[2 * n];
    s1 = new double[watched.length];
    s2 = new double[watched.length];
    s12 = new double[watched.length];
    fastP99 = new double[n];
    slowP99 = new double[n];
    fastErr = new double[n];
    slowErr = new double[n];
    slowArr = new double[n];
  }

  /**
   * Upstream dependents weight per agent: {@code D_i = 1 + 0.85 Σ_{j→i} D_j / outdeg(j)} (a
   * reverse-PageRank over the static graph, 30 Jacobi rounds), i.e. how much of the system calls
   * through i. Computed once at init.
   */
  static double[] dependents(LiveModel m) {
    int n = m.agentCount();
    double[] d = new double[n];
    double[] next = new double[n];
    java.util.Arrays.fill(d, 1);
    for (int it = 0; it < 30; it++) {
      for (int i = 0; i < n; i++) {
        double s = 1;
        for (int k = m.inStart(i); k < m.inStart(i + 1); k++) {
          int j = m.inCaller(k);
          s += 0.85 * d[j] / Math.max(1, m.outStart(j + 1) - m.outStart(j));
        }
        next[i] = s;
      }
      System.arraycopy(next, 0, d, 0, n);
    }
    return d;
  }

  /**
   * The agents 0..n−1 when {@code n <= k}; otherwise the {@code k} agents with the smallest SplitMix64
   * mix of their index (a fixed pseudo-random sample that does not depend on the episode), ascending.
   */
  static int[] watchedAgents(int n, int k) {
    if (n <= k) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return all;
    }
    long[] keyed = new long[n];
    for (int i = 0; i < n; i++) { // the mix's high 32 bits, ties broken by the index in the low 32
      keyed[i] = (new io.aura.cascade.random.SplitMix64(i).next() >>> 32) << 32 | i;
    }
    java.util.Arrays.sort(keyed);
    int[] sample = new int[k];
    for (int j = 0; j < k; j++) {
      sample[j] = (int) keyed[j];
    }
    java.util.Arrays.sort(sample);
    return sample;
  }

  /** The agents whose p99 feeds csd_trend (see {@link #WINDOW_AGENTS}), ascending; a copy. */
  public int[] watched() {
    return watched.clone();
  }

  /** The live model (read-only use). */
  public LiveModel model() {
    return model;
  }

  /** Adds a snapshot and recomputes every feature. */
  public void update(TelemetrySnapshot s) {
    model.update(s);
    int slot = (int) (steps % newFailures.length);
    int fresh = 0;
    int recent = 0;
    int newlyFailing = 0;
    int ever = 0;
    for (int i = 0; i < n; i++) {
      if (model.everFailed(i)) {
        ever++;
      }
      boolean f = model.failed(i);
      if (f && !prevFailed[i]) {
        fresh++;
      }
      prevFailed[i] = f;
      if (f) {
        if (firstFailedStep[i] < 0) {
          firstFailedStep[i] = steps;
        }
        lastFailedStep[i] = steps;
      }
      if (lastFailedStep[i] >= 0 && steps - lastFailedStep[i] < RECENT_FAILED_WINDOW) {
        recent++;
        if (steps - firstFailedStep[i] < NEW_FAILED_WINDOW) {
          newlyFailing++;
        }
      }
    }
    newFailures[slot] = fresh;
    features[17] = (double) recent / n;
    features[18] = (double) newlyFailing / n;

    features[0] = Signals.maxUtilisation(model);
    features[1] = signedLog(Signals.maxQueueGrowth(model, 10));
    features[2] = csdTrend();
    features[3] = Math.log(Signals.branchingRatio(newFailures, steps + 1, GENERATION_SEC));
    features[4] = (double) model.failedCount() / n;
    features[5] = (double) ever / n;
    features[6] = Signals.topMeanErrorRatio(model, WINDOW_AGENTS, errScratch);
    Signals.stress(model, stress);
    Signals.passWeights(model, passWeights);
    Signals.propagate(model, stress, PROPAGATION_ROUNDS, q, scratch, passWeights);
    Signals.rootCause(model, stress, q, rootCause, passWeights);
    double mean = 0;
    for (int i = 0; i < n; i++) {
      mean += q[i];
    }
    features[7] = mean / n;
    features[8] = Signals.upstreamExposure(model, stress, bfsQueue, seen);
    features[9] = Signals.maxAmplifiedLoad(model);
    double l1 = landscape();
    l1Hist[(int) (steps % TREND_WINDOW)] = l1;
    features[10] = Math.log1p(100 * l1);
    features[11] = trend(l1Hist, steps + 1, TREND_WINDOW);
    features[12] = Math.log1p(TopologicalSignals.retryCycleMass(model, cycleScratch));
    disruption();
    steps++;
  }

  private void disruption() {
    double capLoss = 0;
    double latJump = 0;
    double errJump = 0;
    double total = 0;
    boolean first = steps == 0;
    for (int i = 0; i < n; i++) {
      double arr = model.arrivals(i);
      double p = model.lnP99(i);
      double e = model.errorRatio(i);
      total += arr;
      if (first) {
        fastP99[i] = slowP99[i] = p;
        fastErr[i] = slowErr[i] = e;
        slowArr[i] = arr;
      } else {
        fastP99[i] += FAST * (p - fastP99[i]);
        slowP99[i] += SLOW * (p - slowP99[i]);
        fastErr[i] += FAST * (e - fastErr[i]);
        slowErr[i] += SLOW * (e - slowErr[i]);
        slowArr[i] += SLOW * (arr - slowArr[i]);
      }
      if (slowArr[i] < DISRUPTION_MIN_RATE) {
        continue;
      }
      capLoss = Math.max(capLoss, 1 - model.healthyFraction(i));
      latJump = Math.max(latJump, fastP99[i] - slowP99[i]); // ln((1+fast)/(1+slow)) of the p99 in ms
      errJump = Math.max(errJump, fastErr[i] - slowErr[i]);
    }
    if (first) {
      fastTotal = slowTotal = total;
    } else {
      fastTotal += FAST * (total - fastTotal);
      slowTotal += SLOW * (total - slowTotal);
    }
    features[13] = capLoss;
    features[14] = latJump;
    features[15] = errJump;
    features[16] = Math.log((1 + fastTotal) / (1 + slowTotal));
  }

  private double csdTrend() {
    long t = model.steps();
    int w = (int) Math.min(CSD_WINDOW, t);
    double v = 0;
    double ac = 0;
    int c = 0;
    for (int j = 0; j < watched.length; j++) {
      int i = watched[j];
      // O(1) sliding sums of x = ln(1 + p99): Σx, Σx², Σ x_t x_{t+1} over the last w seconds
      double x = model.logP99(i, 0);
      s1[j] += x;
      s2[j] += x * x;
      if (t >= 2) {
        s12[j] += model.logP99(i, 1) * x;
      }
      if (t > CSD_WINDOW) {
        double out = model.logP99(i, CSD_WINDOW);
        s1[j] -= out;
        s2[j] -= out * out;
        s12[j] -= out * model.logP99(i, CSD_WINDOW - 1);
      }
      if (model.arrivals(i) <= 0 || w < 3) {
        continue;
      }
      double mean = s1[j] / w;
      double ss = Math.max(0, s2[j] - w * mean * mean);
      v += ss / (w - 1);
      if (ss > 1e-9 * Math.max(1, s2[j])) {
        double first = model.logP99(i, w - 1);
        double num = s12[j] - mean * ((s1[j] - x) + (s1[j] - first)) + (w - 1) * mean * mean;
        ac += num / ss;
      }
      c++;
    }
    int slot = (int) (steps % CSD_WINDOW);
    varHist[slot] = c == 0 ? 0 : v / c;
    acHist[slot] = c == 0 ? 0 : ac / c;
    return Math.max(trend(varHist, steps + 1, CSD_WINDOW), trend(acHist, steps + 1, CSD_WINDOW));
  }

  /** Sliding-window variance of ln(1 + p99) of agent i (the sums behind csd_trend; NaN if not watched), for tests. */
  double csdVariance(int i) {
    int j = java.util.Arrays.binarySearch(watched, i);
    if (j < 0) {
      return Double.NaN;
    }
    int w = (int) Math.min(CSD_WINDOW, model.steps());
    if (w < 2) {
      return 0;
    }
    double mean = s1[j] / w;
    return Math.max(0, s2[j] - w * mean * mean) / (w - 1);
  }

  /** Sliding-window lag-1 autocorrelation of ln(1 + p99) of agent i (NaN if not watched), for tests. */
  double csdAutocorrelation(int i) {
    int j = java.util.Arrays.binarySearch(watched, i);
    if (j < 0) {
      return Double.NaN;
    }
    int w = (int) Math.min(CSD_WINDOW, model.steps());
    if (w < 3) {
      return 0;
    }
    double mean = s1[j] / w;
    double ss = Math.max(0, s2[j] - w * mean * mean);
    if (ss <= 1e-9 * Math.max(1, s2[j])) {
      return 0;
    }
    double x = model.logP99(i, 0);
    double first = model.logP99(i, w - 1);
    return (s12[j] - mean * ((s1[j] - x) + (s1[j] - first)) + (w - 1) * mean * mean) / ss;
  }

  /** Kendall τ of the last min(end, window) values of a ring, oldest first. */
  private double trend(double[] ring, long end, int window) {
    int k = (int) Math.min(end, window);
    for (int j = 0; j < k; j++) {
      tmp[j] = ring[(int) ((end - k + j) % ring.length)];
    }
    return Signals.kendallTau(tmp, 0, k);
  }

  private double landscape() {
    int slot = (int) (steps % (CLOUD_WINDOW + 1));
    double meanU = 0;
    double maxU = 0;
    double lat = 0;
    for (int i = 0; i < n; i++) {
      double u = model.util(i);
      meanU += u;
      maxU = Math.max(maxU, u);
      lat += Math.log1p(model.p99(i) / 1000);
    }
    int o = slot * STATE_DIM;
    stateHist[o] = meanU / n;
    stateHist[o + 1] = maxU;
    stateHist[o + 2] = features[6];
    stateHist[o + 3] = lat / n;
    stateHist[o + 4] = features[4];
    int have = (int) Math.min(steps + 1, CLOUD_WINDOW + 1);
    if (have < 4) {
      state = TopologicalSignals.StateTopology.EMPTY;
      return 0;
    }
    double[][] pts = new double[have - 1][STATE_DIM];
    for (int j = 0; j < have - 1; j++) {
      long t = steps - (have - 1) + 1 + j;
      int a = (int) (t % (CLOUD_WINDOW + 1)) * STATE_DIM;
      int b = (int) ((t - 1) % (CLOUD_WINDOW + 1)) * STATE_DIM;
      for (int d = 0; d < STATE_DIM; d++) {
        pts[j][d] = stateHist[a + d] - stateHist[b + d];
      }
    }
    state = TopologicalSignals.stateTopology(pts);
    return state.landscapeL1();
  }

  private static double signedLog(double x) {
    return Math.signum(x) * Math.log1p(Math.abs(x));
  }

  /** The newest feature vector (a copy), in {@link #NAMES} order. */
  public double[] features() {
    return features.clone();
  }

  /** Copies the newest features into {@code out}. */
  public void features(double[] out) {
    System.arraycopy(features, 0, out, 0, features.length);
  }

  /**
   * The H0 and H1 persistence of the newest 30-s state-change cloud (the one behind {@code landscape_l1}),
   * empty before the fourth snapshot.
   */
  public TopologicalSignals.StateTopology stateTopology() {
    return state;
  }

  /**
   * Writes the {@link TopologicalMemory#signature signature} of the newest state cloud into {@code out}
   * (length {@link TopologicalMemory#DIM}); computed on demand from {@link #stateTopology()}.
   */
  public void signature(float[] out) {
    TopologicalMemory.signature(state, out);
  }

  /** Propagated stress q_i of agent i from the newest update (see {@link Signals#propagate}). */
  public double propagatedStress(int i) {
    return q[i];
  }

  /** Root-cause stress of agent i from the newest update (see {@link Signals#rootCause}). */
  public double rootCause(int i) {
    return rootCause[i];
  }

  /** Own stress of agent i from the newest update (see {@link Signals#stress}). */
  public double stress(int i) {
    return stress[i];
  }

  /** Upstream dependents weight of agent i (see {@link #dependents}). */
  public double dependents(int i) {
    return dependents[i];
  }
}
