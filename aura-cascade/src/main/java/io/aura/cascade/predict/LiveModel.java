package io.aura.cascade.predict;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.sim.StaticTopology;
import io.aura.cascade.sim.TelemetrySnapshot;

/**
 * The guard's live model of the system, built incrementally from 1-s {@link TelemetrySnapshot}s and
 * the {@link StaticTopology}: the dependency graph as CSR arrays (out-edges by caller, in-edges by
 * callee; agent ids are the dense ints of the topology, mapped once), and per-agent signals in
 * primitive arrays, each kept only as far back as a signal reads it: ln(1 + p99) for
 * {@value #HISTORY} s (the 120-s critical-slowing-down window, as {@code float}), queue length,
 * successes and errors for {@value #SHORT_HISTORY} s (queue growth over 10 s, the
 * {@value #FAIL_WINDOW}-s FAILED estimate), everything else as the newest value. About 0.8 KB per
 * agent (spec 6.8 asks for at most 2 KB per agent for the whole guard; docs/predictor.md has the
 * measurement).
 *
 * <p>Per agent and second: utilisation {@code u = max(threadUtilisation, cpuUtilisation)}, queue
 * length, error ratio {@code errors / max(1, arrivals)}, p99 latency (ms) and arrivals. Per edge:
 * attempts/s, failures/s and an EWMA (weight {@value #EDGE_EWMA}) of the per-attempt failure ratio.
 *
 * <p>Robustness (spec 1.3 realism knobs): a missing row (int fields −1 or NaN doubles) or a NaN
 * metric carries the agent's previous value forward and is counted in {@link #missingRows()}; arrays
 * shorter than the topology are read as missing; edges naming agents outside [0, N) or self-loops are
 * dropped at {@link #LiveModel init} (counted in {@link #droppedEdges()}); spurious edges simply report
 * zero attempts, so every traffic-weighted signal gives them weight zero.
 *
 * <p>FAILED estimate: the telemetry analogue of D3's agent failure state, i.e. the agent's success
 * ratio over the trailing {@value #FAIL_WINDOW} s is below 0.5 with at least 10 requests, or its
 * healthy instance count dropped to at most half of the maximum seen.
 */
public final class LiveModel {
  /** Seconds of ln(1 + p99) history kept per agent. */
  public static final int HISTORY = 128;
  /** Seconds of queue, success and error history kept per agent. */
  public static final int SHORT_HISTORY = 16;
  /** EWMA weight of the newest per-edge failure ratio. */
  public static final double EDGE_EWMA = 0.3;
  /** Trailing window of the FAILED estimate, seconds. */
  public static final int FAIL_WINDOW = 10;

  private final int n;
  private final int m;
  private final int[] edgeCaller;
  private final int[] edgeCallee;
  /** Original edge index of CSR edge e (snapshot edge arrays use the topology's edge order). */
  private final int[] edgeOrig;
  private final int[] outStart;
  private final int[] outEdge;
  private final int[] inStart;
  private final int[] inEdge;
  /** CSR: the caller of the edge at in-slot k, so that an upstream walk reads it in slot order. */
  private final int[] inCaller;
  /** CSR: the callee of the edge at out-slot k, in slot order. */
  private final int[] outCallee;
  private final int droppedEdges;

  // newest value per agent
  private final double[] util;
  private final double[] errRatio;
  /** Per agent, which of utilisation, error ratio and queue length it has ever reported (bits {@link #UTIL}, {@link #ERRORS}, {@link #QUEUE}). */
  private final byte[] reported;
  /** Bits of {@link #reported}. */
  public static final int UTIL = 1;
  public static final int ERRORS = 2;
  public static final int QUEUE = 4;
  private final double[] p99;
  private final double[] lnP99;
  private final double[] arrivals;
  // rings: agent i's second t is at i * LEN + t % LEN
  private final float[] logP99;
  private final double[] queue;
  private final int[] succ;
  private final int[] errs;
  private final double[] healthy;
  private final double[] maxHealthy;
  private final boolean[] failed;
  private final boolean[] everFailed;
  private final double[] edgeAttempts;
  private final double[] edgeFailures;
  private final double[] edgeFailEwma;
  // per agent: attempts, failures and retry-amplified attempts on its in-edges in the newest snapshot
  private final double[] inAttempts;
  private final double[] inFailures;
  private final double[] inAmplified;
  private long steps;
  private long timeSec = -1;
  private long missingRows;
  private int failedCount;

  /**
   * Builds the CSR graph.
   *
   * @param topology the static topology (may contain spurious edges, miss edges, or name invalid ids)
   * @throws CascadeInputException if the topology has no agents
   */
  public LiveModel(StaticTopology topology) {
    n = topology.agentCount();
    if (n <= 0) {
      throw new CascadeInputException("the topology must have at least one agent, got " + n);
    }
    int total = topology.edgeCount();
    int valid = 0;
    for (int e = 0; e < total; e++) {
      if (validEdge(topology.caller(e), topology.callee(e))) {
        valid++;
      }
    }
    m = valid;
    droppedEdges = total - valid;
    edgeCaller = new int[m];
    edgeCallee = new int[m];
    edgeOrig = new int[m];
    int k = 0;
    for (int e = 0; e < total; e++) {
      int a = topology.caller(e);
      int b = topology.callee(e);
      if (validEdge(a, b)) {
        edgeCaller[k] = a;
        edgeCallee[k] = b;
        edgeOrig[k] = e;
        k++;
      }
    }
    outStart = new int[n + 1];
    inStart = new int[n + 1];
    for (int e = 0; e < m; e++) {
      outStart[edgeCaller[e] + 1]++;
      inStart[edgeCallee[e] + 1]++;
    }
    for (int i = 0; i < n; i++) {
      outStart[i + 1] += outStart[i];
      inStart[i + 1] += inStart[i];
    }
    outEdge = new int[m];
    inEdge = new int[m];
    int[] po = outStart.clone();
    int[] pi = inStart.clone();
    for (int e = 0; e < m; e++) {
      outEdge[po[edgeCaller[e]]++] = e;
      inEdge[pi[edgeCallee[e]]++] = e;
    }
    inCaller = new int[m];
    outCallee = new int[m];
    for (int slot = 0; slot < m; slot++) {
      inCaller[slot] = edgeCaller[inEdge[slot]];
      outCallee[slot] = edgeCallee[outEdge[slot]];
    }
    util = new double[n];
    errRatio = new double[n];
    reported = new byte[n];
    p99 = new double[n];
    lnP99 = new double[n];
    arrivals = new double[n];
    logP99 = new float[n * HISTORY];
    queue = new double[n * SHORT_HISTORY];
    succ = new int[n * SHORT_HISTORY];
    errs = new int[n * SHORT_HISTORY];
    healthy = new double[n];
    maxHealthy = new double[n];
    failed = new boolean[n];
    everFailed = new boolean[n];
    edgeAttempts = new double[m];
    edgeFailures = new double[m];
    edgeFailEwma = new double[m];
    inAttempts = new double[n];
    inFailures = new double[n];
    inAmplified = new double[n];
  }

  private boolean validEdge(int a, int b) {
    return a >= 0 && a < n && b >= 0 && b < n && a != b;
  }

  /**
   * Adds one snapshot. Never throws on bad content: missing rows, NaN metrics and short arrays are
   * carried forward and counted.
   *
   * @param s the snapshot (non-null)
   */
  public void update(TelemetrySnapshot s) {
    int slot = (int) (steps % HISTORY);
    int sslot = (int) (steps % SHORT_HISTORY);
    int sprev = (int) ((steps + SHORT_HISTORY - 1) % SHORT_HISTORY);
    boolean first = steps == 0;
    for (int i = 0; i < n; i++) {
      int cur = i * SHORT_HISTORY + sslot;
      int prev = i * SHORT_HISTORY + sprev;
      int arr = intAt(s.arrivals(), i);
      int ok = intAt(s.successes(), i);
      int er = intAt(s.errors(), i);
      int q = intAt(s.queueLength(), i);
      double tu = doubleAt(s.threadUtilisation(), i);
      double cu = doubleAt(s.cpuUtilisation(), i);
      double lat = doubleAt(s.p99LatencyMs(), i);
      int hi = intAt(s.healthyInstances(), i);
      boolean missing = arr < 0 || ok < 0 || er < 0 || q < 0 || Double.isNaN(tu) || Double.isNaN(cu) || Double.isNaN(lat)
          || hi < 0;
      if (missing) {
        missingRows++;
      }
      // a missing value keeps the previous one (the newest-value arrays are simply not overwritten)
      if (arr >= 0) {
        arrivals[i] = arr;
      }
      succ[cur] = ok >= 0 ? ok : (first ? 0 : succ[prev]);
      errs[cur] = er >= 0 ? er : (first ? 0 : errs[prev]);
      queue[cur] = q >= 0 ? q : (first ? 0 : queue[prev]);
      double u = Math.max(Double.isNaN(tu) ? -1 : tu, Double.isNaN(cu) ? -1 : cu);
      if (u >= 0) {
        util[i] = Math.min(u, 1.0);
      }
      reported[i] |= (byte) ((u >= 0 ? UTIL : 0) | (er >= 0 && arr >= 0 ? ERRORS : 0) | (q >= 0 ? QUEUE : 0));
      boolean latOk = !Double.isNaN(lat) && lat >= 0 && !Double.isInfinite(lat);
      if (latOk) {
        p99[i] = lat;
        lnP99[i] = Math.log1p(lat);
      }
      logP99[i * HISTORY + slot] = (float) lnP99[i];
      if (er >= 0 && arr >= 0) {
        errRatio[i] = Math.min(1.0, er / Math.max(1.0, arr));
      }
      if (hi >= 0) {
        healthy[i] = hi;
        maxHealthy[i] = Math.max(maxHealthy[i], hi);
      }
    }
    int[] ea = s.edgeAttempts();
    int[] ef = s.edgeFailures();
    for (int e = 0; e < m; e++) {
      int o = edgeOrig[e];
      int a = ea != null && o < ea.length ? ea[o] : -1;
      int f = ef != null && o < ef.length ? ef[o] : -1;
      if (a < 0 || f < 0) {
        continue; // keep the previous values
      }
      edgeAttempts[e] = a;
      edgeFailures[e] = f;
      double ratio = a > 0 ? Math.min(1.0, (double) f / a) : edgeFailEwma[e];
      edgeFailEwma[e] = first ? ratio : (1 - EDGE_EWMA) * edgeFailEwma[e] + EDGE_EWMA * ratio;
    }
    // inbound sums by one sequential pass over the edges (ascending e, as an in-CSR walk would add them):
    // gathering them per agent through the in-CSR reads the edge arrays at random, which dominated at 1e6 agents
    java.util.Arrays.fill(inAttempts, 0);
    java.util.Arrays.fill(inFailures, 0);
    java.util.Arrays.fill(inAmplified, 0);
    for (int e = 0; e < m; e++) {
      int c = edgeCallee[e];
      double a = edgeAttempts[e];
      inAttempts[c] += a;
      inFailures[c] += edgeFailures[e];
      inAmplified[c] += a * Signals.retryAmplification(edgeFailEwma[e], Signals.ASSUMED_ATTEMPTS);
    }
    steps++;
    timeSec = s.timeSec();
    failedCount = 0;
    int w = (int) Math.min(steps, FAIL_WINDOW);
    for (int i = 0; i < n; i++) {
      double ok = 0;
      double bad = 0;
      for (int k = 0; k < w; k++) {
        int idx = i * SHORT_HISTORY + (int) ((steps - 1 - k) % SHORT_HISTORY);
        ok += succ[idx];
        bad += errs[idx];
      }
      boolean f = (ok + bad >= 10 && ok / (ok + bad) < 0.5) || (maxHealthy[i] > 0 && healthy[i] <= 0.5 * maxHealthy[i]);
      failed[i] = f;
      if (f) {
        failedCount++;
        everFailed[i] = true;
      }
    }
  }

  private static int intAt(int[] a, int i) {
    return a != null && i < a.length ? a[i] : -1;
  }

  private static double doubleAt(double[] a, int i) {
    return a != null && i < a.length ? a[i] : Double.NaN;
  }

  /** Healthy instances now / the most seen so far, in [0, 1] (1 before any instance count arrived). */
  public double healthyFraction(int i) {
    return maxHealthy[i] > 0 ? Math.min(1.0, healthy[i] / maxHealthy[i]) : 1.0;
  }

  /** Agents N. */
  public int agentCount() {
    return n;
  }

  /** Valid edges kept (static edges minus invalid ones). */
  public int edgeCount() {
    return m;
  }

  /** Static edges dropped at init because they named an agent outside [0, N) or were self-loops. */
  public int droppedEdges() {
    return droppedEdges;
  }

  /** Snapshots seen. */
  public long steps() {
    return steps;
  }

  /** Time of the newest snapshot (s), −1 before the first. */
  public long timeSec() {
    return timeSec;
  }

  /** Agent rows with a missing or NaN field so far. */
  public long missingRows() {
    return missingRows;
  }

  /** CSR: first out-edge slot of agent i (edges i calls); {@code outStart(N)} = edge count. */
  public int outStart(int i) {
    return outStart[i];
  }

  /** CSR: the model edge at out-slot k. */
  public int outEdge(int k) {
    return outEdge[k];
  }

  /** CSR: first in-edge slot of agent i (edges calling i). */
  public int inStart(int i) {
    return inStart[i];
  }

  /** CSR: the model edge at in-slot k. */
  public int inEdge(int k) {
    return inEdge[k];
  }

  /** CSR: {@code callee(outEdge(k))}, from an array in slot order. */
  public int outCallee(int k) {
    return outCallee[k];
  }

  /** CSR: {@code caller(inEdge(k))}, from an array in slot order (one cache miss less per in-edge walked). */
  public int inCaller(int k) {
    return inCaller[k];
  }

  /** Caller of model edge e. */
  public int caller(int e) {
    return edgeCaller[e];
  }

  /** Callee of model edge e. */
  public int callee(int e) {
    return edgeCallee[e];
  }

  /** Index of model edge e in the static topology. */
  public int topologyEdge(int e) {
    return edgeOrig[e];
  }

  /** Attempts/s on model edge e in the newest snapshot. */
  public double edgeAttempts(int e) {
    return edgeAttempts[e];
  }

  /** Failures/s on model edge e in the newest snapshot. */
  public double edgeFailures(int e) {
    return edgeFailures[e];
  }

  /** Σ attempts/s over agent i's in-edges in the newest snapshot (in-edges in ascending edge order). */
  public double inAttempts(int i) {
    return inAttempts[i];
  }

  /** Σ failures/s over agent i's in-edges in the newest snapshot. */
  public double inFailures(int i) {
    return inFailures[i];
  }

  /**
   * Σ attempts_e · {@link Signals#retryAmplification}(p_e, {@link Signals#ASSUMED_ATTEMPTS}) over agent i's in-edges,
   * p_e the edge's failure-ratio EWMA.
   */
  public double inAmplifiedAttempts(int i) {
    return inAmplified[i];
  }

  /** EWMA of the per-attempt failure ratio on model edge e, in [0, 1]. */
  public double edgeFailureRatio(int e) {
    return edgeFailEwma[e];
  }

  private int idx(int i, int lag, int len) {
    if (lag < 0 || lag >= len) {
      throw new IllegalArgumentException("lag must be in [0, " + (len - 1) + "]: " + lag);
    }
    long t = Math.max(0, steps - 1 - lag);
    return i * len + (int) (t % len);
  }

  /** Seconds of ln(1 + p99) history available (≤ {@link #HISTORY}). */
  public int available() {
    return (int) Math.min(steps, HISTORY);
  }

  /** Seconds of queue history available (≤ {@link #SHORT_HISTORY}). */
  public int availableShort() {
    return (int) Math.min(steps, SHORT_HISTORY);
  }

  /** Whether agent i has ever reported the metric {@code bit} ({@link #UTIL}, {@link #ERRORS}, {@link #QUEUE}); a never-reported one reads 0. */
  public boolean reported(int i, int bit) {
    return (reported[i] & bit) != 0;
  }

  /** Newest utilisation max(thread, cpu) of agent i (0 before any). */
  public double util(int i) {
    return util[i];
  }

  /** Queue length of agent i, {@code lag} seconds ago (0 = newest; clamped to the first; lag < {@value #SHORT_HISTORY}). */
  public double queue(int i, int lag) {
    return queue[idx(i, lag, SHORT_HISTORY)];
  }

  /** Newest error ratio errors/max(1, arrivals) of agent i. */
  public double errorRatio(int i) {
    return errRatio[i];
  }

  /** Newest p99 latency (ms) of agent i. */
  public double p99(int i) {
    return p99[i];
  }

  /** Newest ln(1 + p99 latency in ms) of agent i, in double precision. */
  public double lnP99(int i) {
    return lnP99[i];
  }

  /**
   * ln(1 + p99 latency in ms) of agent i, {@code lag} seconds ago (lag < {@value #HISTORY}), computed once
   * per snapshot and stored as a float: every sum that adds it later subtracts the same value.
   */
  public double logP99(int i, int lag) {
    return logP99[idx(i, lag, HISTORY)];
  }

  /**
   * Copies agent i's last {@code w} values of ln(1 + p99), oldest first, into {@code out[0..w)}.
   *
   * @param w 1..{@link #available()}
   */
  public void copyLogP99(int i, int w, double[] out) {
    if (w < 1 || w > available()) {
      throw new IllegalArgumentException("w must be in [1, " + available() + "]: " + w);
    }
    int base = i * HISTORY;
    for (int k = 0; k < w; k++) {
      out[k] = logP99[base + (int) ((steps - w + k) % HISTORY)];
    }
  }

  /** Newest arrivals/s of agent i. */
  public double arrivals(int i) {
    return arrivals[i];
  }

  /** Whether agent i is FAILED by the telemetry estimate (see class doc). */
  public boolean failed(int i) {
    return failed[i];
  }

  /** Whether agent i has been FAILED at any snapshot so far. */
  public boolean everFailed(int i) {
    return everFailed[i];
  }

  /** Agents FAILED now. */
  public int failedCount() {
    return failedCount;
  }
}
