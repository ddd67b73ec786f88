package io.aura.cascade.sim;

import io.aura.cascade.random.SplitMix64;
import io.aura.cascade.random.Streams;

import java.util.Arrays;

/**
 * What the SUT sees (spec 1.3 realism knobs, all on when {@code realistic}): agent ids randomly
 * permuted per episode; a static topology with 5% of the real edges removed and 2% spurious edges
 * added; snapshots with multiplicative LogNormal(0, 0.05) noise on rates and latencies and 1% of
 * agent rows missing (ints −1, doubles NaN); one noise factor per agent and class (the
 * latency quantiles share one, so they stay ordered). Actions are mapped back to real ids; an action on an
 * edge that does not exist has no effect.
 *
 * <p>Per-edge p99 latencies carry the same kind of noise; breaker states and the SUT's active
 * actions (already in its ids) pass unchanged; spurious edges report 0 for both.
 *
 * <p>Randomness: the view (permutation, edge perturbation) comes from stream {@code static-view},
 * per-snapshot noise from {@code telemetry-noise} (per-edge latencies from
 * {@code telemetry-noise/edge-latency}); all are drawn whatever the guard does, so arms
 * of one seed stay on common random numbers. With {@code realistic == false} the view is the
 * identity.
 */
final class GuardView {
  private final boolean realistic;
  private final int n;
  private final int[] toVisible;
  private final int[] toReal;
  private final int[] visEdgeReal;
  private final StaticTopology staticTopology;
  private final SplitMix64 noise;
  /** Noise of the per-edge latencies: a stream of its own, so adding them left every other draw unchanged. */
  private final SplitMix64 edgeLatencyNoise;
  /**
   * Quantised noise (D3-fluid): each LogNormal(0, 0.05) factor is one of 65 536 equally likely quantiles,
   * picked by 16 bits of one draw, instead of a Box–Muller normal and an exponential (StrictMath). Same
   * distribution to within 1/65 536 in probability; about twenty times cheaper, which matters at 1e6
   * agents, where the exact draws took three quarters of a guarded fluid episode's time.
   */
  private final boolean quantised;

  GuardView(SimTopology t, boolean realistic, long seed) {
    this(t, realistic, seed, false);
  }

  /** @param quantised draw the noise factors from {@link #LOGNORMAL_QUANTILES} (see the field) */
  GuardView(SimTopology t, boolean realistic, long seed, boolean quantised) {
    this.quantised = quantised;
    this.realistic = realistic;
    this.n = t.n;
    toVisible = new int[n];
    toReal = new int[n];
    for (int i = 0; i < n; i++) {
      toVisible[i] = i;
    }
    int m = t.callee.length;
    if (!realistic) {
      for (int i = 0; i < n; i++) {
        toReal[i] = i;
      }
      visEdgeReal = new int[m];
      for (int e = 0; e < m; e++) {
        visEdgeReal[e] = e;
      }
      staticTopology = StaticTopology.of(t);
      noise = null;
      edgeLatencyNoise = null;
      return;
    }
    SplitMix64 rng = Streams.stream(seed, "static-view");
    noise = Streams.stream(seed, "telemetry-noise");
    edgeLatencyNoise = Streams.stream(seed, "telemetry-noise/edge-latency");
    for (int i = n - 1; i > 0; i--) { // Fisher–Yates
      int j = rng.nextInt(i + 1);
      int x = toVisible[i];
      toVisible[i] = toVisible[j];
      toVisible[j] = x;
    }
    for (int i = 0; i < n; i++) {
      toReal[toVisible[i]] = i;
    }
    // kept real edges (95%) plus spurious ones (2% of m), as (visible caller, visible callee, real edge or -1)
    int spurious = n < 2 ? 0 : (int) Math.round(0.02 * m);
    long[] keys = new long[m + spurious];
    int[] real = new int[m + spurious];
    int k = 0;
    for (int e = 0; e < m; e++) {
      if (rng.nextDouble() >= 0.05) {
        keys[k] = key(toVisible[t.edgeCaller[e]], toVisible[t.callee[e]]);
        real[k++] = e;
      }
    }
    int added = 0;
    int guard = 0;
    // the spurious edges drawn so far (a set: a scan of every key made this quadratic, a minute at 1e6 agents)
    java.util.Set<Long> spuriousKeys = new java.util.HashSet<>();
    while (added < spurious && guard++ < 1000 * (spurious + 1)) {
      int a = rng.nextInt(n);
      int b = rng.nextInt(n);
      if (a == b || hasEdge(t, a, b)) {
        continue;
      }
      long kk = key(toVisible[a], toVisible[b]);
      if (!spuriousKeys.add(kk)) {
        continue;
      }
      keys[k] = kk;
      real[k++] = -1;
      added++;
    }
    // sort by (visible caller, visible callee, real edge) so edge order leaks nothing
    Integer[] idx = new Integer[k];
    for (int j = 0; j < k; j++) {
      idx[j] = j;
    }
    final long[] fk = keys;
    final int[] fr = real;
    Arrays.sort(idx, (x, y) -> fk[x] != fk[y] ? Long.compare(fk[x], fk[y]) : Integer.compare(fr[x], fr[y]));
    visEdgeReal = new int[k];
    int[] callers = new int[k];
    int[] callees = new int[k];
    for (int j = 0; j < k; j++) {
      int s = idx[j];
      visEdgeReal[j] = real[s];
      callers[j] = (int) (keys[s] >>> 32);
      callees[j] = (int) keys[s];
    }
    staticTopology = new StaticTopology(n, callers, callees);
  }

  private static long key(int a, int b) {
    return ((long) a << 32) | (b & 0xFFFF_FFFFL);
  }

  private static boolean hasEdge(SimTopology t, int a, int b) {
    for (int e = t.edgeStart[a]; e < t.edgeStart[a + 1]; e++) {
      if (t.callee[e] == b) {
        return true;
      }
    }
    return false;
  }

  /** Real agent of each visible id (a copy). */
  int[] toReal() {
    return toReal.clone();
  }

  StaticTopology staticTopology() {
    return staticTopology;
  }

  /** Real agent id of a visible id; throws for ids outside [0, n). */
  int realAgent(int visible, Action act) {
    if (visible < 0 || visible >= n) {
      throw new IllegalArgumentException("action names agent " + visible + " outside [0," + n + "): " + act);
    }
    return toReal[visible];
  }

  /** The SUT's view of a true snapshot. */
  TelemetrySnapshot view(TelemetrySnapshot s) {
    if (!realistic) {
      return s;
    }
    int[] arr = new int[n];
    int[] succ = new int[n];
    int[] err = new int[n];
    int[] rej = new int[n];
    int[] tmo = new int[n];
    int[] blk = new int[n];
    int[] down = new int[n];
    double[] p50 = new double[n];
    double[] p95 = new double[n];
    double[] p99 = new double[n];
    int[] inFlight = new int[n];
    int[] queue = new int[n];
    double[] util = new double[n];
    double[] cpu = new double[n];
    int[] healthy = new int[n];
    for (int i = 0; i < n; i++) {
      int v = toVisible[i];
      boolean missing = noise.nextDouble() < 0.01;
      double fArr = lognormal();
      double fSucc = lognormal();
      double fErr = lognormal();
      double fTmo = lognormal();
      double fBlk = lognormal();
      double fLat = lognormal();
      if (missing) {
        arr[v] = succ[v] = err[v] = rej[v] = tmo[v] = blk[v] = down[v] = inFlight[v] = queue[v] = healthy[v] = -1;
        p50[v] = p95[v] = p99[v] = util[v] = cpu[v] = Double.NaN;
        continue;
      }
      arr[v] = noisy(s.arrivals()[i], fArr);
      succ[v] = noisy(s.successes()[i], fSucc);
      err[v] = noisy(s.errors()[i], fErr);
      rej[v] = Math.min(err[v], noisy(s.rejected()[i], fErr));
      down[v] = Math.min(err[v], noisy(s.downstream()[i], fErr));
      tmo[v] = noisy(s.timeouts()[i], fTmo);
      blk[v] = noisy(s.blocked()[i], fBlk);
      p50[v] = s.p50LatencyMs()[i] * fLat;
      p95[v] = s.p95LatencyMs()[i] * fLat;
      p99[v] = s.p99LatencyMs()[i] * fLat;
      inFlight[v] = s.inFlight()[i];
      queue[v] = s.queueLength()[i];
      util[v] = s.threadUtilisation()[i];
      cpu[v] = s.cpuUtilisation()[i];
      healthy[v] = s.healthyInstances()[i];
    }
    int k = visEdgeReal.length;
    int[] att = new int[k];
    int[] fail = new int[k];
    double[] edgeP99 = new double[k];
    double[] breaker = new double[k];
    for (int j = 0; j < k; j++) {
      int e = visEdgeReal[j];
      if (e >= 0) {
        att[j] = noisy(s.edgeAttempts()[e], lognormal());
        fail[j] = noisy(s.edgeFailures()[e], lognormal());
        edgeP99[j] = s.edgeP99LatencyMs()[e] * (quantised ? quantile(edgeLatencyNoise)
            : StrictMath.exp(0.05 * edgeLatencyNoise.nextGaussian()));
        breaker[j] = s.edgeBreakerOpen()[e];
      }
    }
    return new TelemetrySnapshot(s.timeSec(), arr, succ, err, rej, tmo, blk, down, p50, p95, p99, inFlight, queue,
        util, cpu, healthy, att, fail, edgeP99, breaker, s.activeActions());
  }

  private static int noisy(int v, double factor) {
    return (int) Math.round(v * factor);
  }

  private double lognormal() {
    return quantised ? quantile(noise) : StrictMath.exp(0.05 * noise.nextGaussian());
  }

  private static double quantile(SplitMix64 rng) {
    return LOGNORMAL_QUANTILES[(int) (rng.next() >>> 48)];
  }

  /** exp(0.05 Φ⁻¹((k + ½) / 65 536)) for k = 0 .. 65 535: the quantiles of LogNormal(0, 0.05). */
  static final double[] LOGNORMAL_QUANTILES = new double[1 << 16];

  static {
    for (int k = 0; k < LOGNORMAL_QUANTILES.length; k++) {
      LOGNORMAL_QUANTILES[k] = StrictMath.exp(0.05 * inverseNormal((k + 0.5) / LOGNORMAL_QUANTILES.length));
    }
  }

  /**
   * Φ⁻¹(p) for 0 &lt; p &lt; 1 (P. J. Acklam's rational approximation, relative error below 1.2e-9;
   * StrictMath, so the table is the same on every JVM).
   */
  static double inverseNormal(double p) {
    final double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
        -3.066479806614716e+01, 2.506628277459239e+00};
    final double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
        -1.328068155288572e+01};
    final double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
        4.374664141464968e+00, 2.938163982698783e+00};
    final double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
    double low = 0.02425;
    if (p < low) {
      double q = StrictMath.sqrt(-2 * StrictMath.log(p));
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - low) {
      double q = StrictMath.sqrt(-2 * StrictMath.log(1 - p));
      return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
}
