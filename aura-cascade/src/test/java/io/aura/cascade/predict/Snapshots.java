package io.aura.cascade.predict;

import io.aura.cascade.sim.TelemetrySnapshot;
import java.util.Arrays;

/** Builds constructed telemetry snapshots for the predictor tests. */
final class Snapshots {
  final int n;
  final int m;
  long time;
  final int[] arrivals;
  final int[] successes;
  final int[] errors;
  final int[] queue;
  final double[] util;
  final double[] p99;
  final int[] healthy;
  final int[] edgeAttempts;
  final int[] edgeFailures;

  Snapshots(int n, int m) {
    this.n = n;
    this.m = m;
    arrivals = new int[n];
    successes = new int[n];
    errors = new int[n];
    queue = new int[n];
    util = new double[n];
    p99 = new double[n];
    healthy = new int[n];
    edgeAttempts = new int[m];
    edgeFailures = new int[m];
    Arrays.fill(arrivals, 100);
    Arrays.fill(successes, 100);
    Arrays.fill(util, 0.5);
    Arrays.fill(p99, 20);
    Arrays.fill(healthy, 2);
    Arrays.fill(edgeAttempts, 50);
  }

  TelemetrySnapshot next() {
    time++;
    int[] zeros = new int[n];
    return new TelemetrySnapshot(time, arrivals.clone(), successes.clone(), errors.clone(), errors.clone(), zeros.clone(),
        zeros.clone(), zeros.clone(), p99.clone(), p99.clone(), p99.clone(), queue.clone(), queue.clone(), util.clone(),
        util.clone(), healthy.clone(), edgeAttempts.clone(), edgeFailures.clone());
  }

  /** A snapshot with agent i's row missing (int fields −1, doubles NaN). */
  TelemetrySnapshot nextMissing(int i) {
    TelemetrySnapshot s = next();
    s.arrivals()[i] = -1;
    s.successes()[i] = -1;
    s.errors()[i] = -1;
    s.queueLength()[i] = -1;
    s.threadUtilisation()[i] = Double.NaN;
    s.cpuUtilisation()[i] = Double.NaN;
    s.p99LatencyMs()[i] = Double.NaN;
    s.healthyInstances()[i] = -1;
    return s;
  }
}
