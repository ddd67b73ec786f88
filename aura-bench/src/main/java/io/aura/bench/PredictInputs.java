package io.aura.bench;

import io.aura.cascade.graph.AlibabaLike;
import io.aura.cascade.graph.BarabasiAlbert;
import io.aura.cascade.graph.ServiceGraph;
import io.aura.cascade.random.SplitMix64;
import io.aura.cascade.sim.StaticTopology;
import io.aura.cascade.sim.TelemetrySnapshot;

/**
 * Inputs of the predict benchmarks (spec 6.8): a topology of N agents and pre-built 1-s snapshots with
 * random utilisation, queue, errors, latency and edge traffic (5% of agents and of edges failing part
 * of their calls in every snapshot, so the failing-edge H1 complex is never empty).
 */
final class PredictInputs {
  private PredictInputs() {}

  /**
   * The topology.
   *
   * @param kind {@code ba} (directed BA(N, m = 3) of spec 2c), {@code ali} (the ALI(N) generator of
   *     spec 2a) or {@code tree} (a random caller tree: agent j ≥ 1 called by a uniform earlier agent,
   *     plus a second caller with probability 0.3)
   */
  static StaticTopology topology(String kind, int n, long seed) {
    SplitMix64 rng = new SplitMix64(seed);
    switch (kind) {
      case "ba":
        return of(BarabasiAlbert.directed(n, 3, rng));
      case "ali":
        return of(AlibabaLike.ali(n, rng));
      case "tree": {
        int[] a = new int[2 * n];
        int[] b = new int[2 * n];
        int m = 0;
        for (int j = 1; j < n; j++) {
          a[m] = rng.nextInt(j);
          b[m++] = j;
          if (rng.nextDouble() < 0.3) {
            a[m] = rng.nextInt(j);
            b[m++] = j;
          }
        }
        return new StaticTopology(n, java.util.Arrays.copyOf(a, m), java.util.Arrays.copyOf(b, m));
      }
      default:
        throw new IllegalArgumentException("unknown topology kind '" + kind + "' (ba, ali, tree)");
    }
  }

  private static StaticTopology of(ServiceGraph g) {
    int m = g.edgeCount();
    int[] a = new int[m];
    int[] b = new int[m];
    for (int e = 0; e < m; e++) {
      a[e] = g.source(e);
      b[e] = g.target(e);
    }
    return new StaticTopology(g.nodeCount(), a, b);
  }

  /** {@code count} random snapshots for {@code t}, times 1..count, 5% of the edges failing. */
  static TelemetrySnapshot[] snapshots(StaticTopology t, int count, long seed) {
    return snapshots(t, count, seed, 0.05);
  }

  /**
   * {@code count} random snapshots for {@code t}, times 1..count; each edge fails a uniform share of its
   * attempts with probability {@code edgeFailing} (a cascade's seconds: 0.2 and more).
   */
  static TelemetrySnapshot[] snapshots(StaticTopology t, int count, long seed, double edgeFailing) {
    SplitMix64 rng = new SplitMix64(seed);
    int n = t.agentCount();
    int m = t.edgeCount();
    TelemetrySnapshot[] snaps = new TelemetrySnapshot[count];
    int[] z = new int[n];
    for (int k = 0; k < count; k++) {
      int[] arr = new int[n];
      int[] ok = new int[n];
      int[] err = new int[n];
      int[] q = new int[n];
      int[] hi = new int[n];
      double[] u = new double[n];
      double[] lat = new double[n];
      for (int i = 0; i < n; i++) {
        arr[i] = 50 + rng.nextInt(100);
        err[i] = rng.nextDouble() < 0.05 ? rng.nextInt(arr[i]) : 0;
        ok[i] = arr[i] - err[i];
        q[i] = rng.nextInt(20);
        hi[i] = 2;
        u[i] = rng.uniform(0.2, 1.0);
        lat[i] = 5 + 100 * rng.nextDouble();
      }
      int[] ea = new int[m];
      int[] ef = new int[m];
      for (int e = 0; e < m; e++) {
        ea[e] = rng.nextInt(100);
        ef[e] = rng.nextDouble() < edgeFailing ? rng.nextInt(ea[e] + 1) : 0;
      }
      snaps[k] = new TelemetrySnapshot(k + 1, arr, ok, err, err, z, z, z, lat, lat, lat, q, q, u, u, hi, ea, ef);
    }
    return snaps;
  }

  /** {@code s} at time {@code t} (the cycle of pre-built snapshots keeps the guard's clock moving forward). */
  static TelemetrySnapshot at(TelemetrySnapshot s, long t) {
    return new TelemetrySnapshot(t, s.arrivals(), s.successes(), s.errors(), s.rejected(), s.timeouts(), s.blocked(),
        s.downstream(), s.p50LatencyMs(), s.p95LatencyMs(), s.p99LatencyMs(), s.inFlight(), s.queueLength(),
        s.threadUtilisation(), s.cpuUtilisation(), s.healthyInstances(), s.edgeAttempts(), s.edgeFailures(),
        s.edgeP99LatencyMs(), s.edgeBreakerOpen(), s.activeActions()); // shares every array: no allocation per call
  }

  /** Snapshots to pre-build for N agents: 64 up to 250 000 agents, fewer above (about 100 bytes per agent each). */
  static int snapshotCount(int n) {
    return (int) Math.max(4, Math.min(64, 16_000_000L / n));
  }
}
