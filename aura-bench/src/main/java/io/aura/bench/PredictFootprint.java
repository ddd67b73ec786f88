package io.aura.bench;

import io.aura.cascade.predict.AuraGuard;
import io.aura.cascade.sim.GuardConfig;
import io.aura.cascade.sim.StaticTopology;
import io.aura.cascade.sim.TelemetrySnapshot;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * Spec 6.8's heap and cold-call numbers for {@code AuraGuard}, which JMH does not give: for each N, the
 * heap the guard retains after {@link PredictBenchmark#WARMUP_SNAPSHOTS} snapshots (used heap after
 * full GCs with the guard alive, minus the same without it; the topology and snapshots are alive in
 * both, so only the guard's own state is counted), per agent; the first {@code predict()} call's wall
 * time (the first N in the list runs with a cold JIT; later Ns reuse compiled code, as a long-running
 * server would); and the mean steady-state time of predict(), predict()+decide() over the last 20
 * snapshots (a cross-check of the JMH numbers, not a replacement).
 *
 * <p>Run: {@code java -Xmx8g -XX:+UseSerialGC -cp aura-bench/target/aura-benchmarks.jar
 * io.aura.bench.PredictFootprint ba 100,1000,10000,100000,1000000 [EDGE_FAILING]}: one JSON line per N on
 * stdout. EDGE_FAILING (default 0.05) is {@link PredictBenchmark#edgeFailing}'s share of failing edges per
 * snapshot; the guard keeps its failing-edge scratch at its largest size, so 0.2 shows a cascade's heap.
 */
public final class PredictFootprint {
  private PredictFootprint() {}

  public static void main(String[] args) {
    if (args.length != 2 && args.length != 3) {
      System.err.println("usage: PredictFootprint ba|ali|tree N1,N2,... [EDGE_FAILING, default 0.05]");
      System.exit(2);
    }
    String kind = args[0];
    double edgeFailing = 0.05;
    if (args.length == 3) {
      try {
        edgeFailing = Double.parseDouble(args[2]);
      } catch (NumberFormatException e) {
        edgeFailing = Double.NaN;
      }
      if (!(edgeFailing >= 0 && edgeFailing <= 1)) {
        System.err.println("EDGE_FAILING must be a number in [0, 1], not '" + args[2] + "'");
        System.exit(2);
      }
    }
    for (String part : args[1].split(",")) {
      int n;
      try {
        n = Integer.parseInt(part.trim());
      } catch (NumberFormatException e) {
        System.err.println("not an agent count: '" + part + "'");
        System.exit(2);
        return;
      }
      System.out.println(measure(kind, n, edgeFailing));
    }
  }

  private static String measure(String kind, int n, double edgeFailing) {
    StaticTopology t = PredictInputs.topology(kind, n, 42);
    TelemetrySnapshot[] snaps =
        PredictInputs.snapshots(t, Math.min(8, PredictInputs.snapshotCount(n)), 43, edgeFailing);
    long before = usedAfterGc();
    AuraGuard guard = new AuraGuard();
    guard.init(t, new GuardConfig(1000, 1000, 600_000, true));
    long t0 = System.nanoTime();
    guard.predict(PredictInputs.at(snaps[0], 1));
    long firstNs = System.nanoTime() - t0;
    int total = PredictBenchmark.WARMUP_SNAPSHOTS;
    long predictNs = 0;
    long decideNs = 0;
    for (int k = 1; k < total; k++) {
      TelemetrySnapshot s = PredictInputs.at(snaps[k % snaps.length], k + 1);
      long a = System.nanoTime();
      var p = guard.predict(s);
      long b = System.nanoTime();
      guard.decide(s, p);
      long c = System.nanoTime();
      if (k >= total - 20) {
        predictNs += b - a;
        decideNs += c - b;
      }
    }
    long with = usedAfterGc();
    java.lang.ref.Reference.reachabilityFence(guard); // alive through the second measurement
    long retained = with - before;
    return String.format(Locale.ROOT,
        "{\"topology\":\"%s\",\"agents\":%d,\"edges\":%d,\"edge_failing\":%s,\"retained_bytes\":%d,"
            + "\"bytes_per_agent\":%.1f,"
            + "\"first_predict_ms\":%.3f,\"steady_predict_ms\":%.3f,\"steady_predict_decide_ms\":%.3f}",
        kind, n, t.edgeCount(), edgeFailing, retained, (double) retained / n, firstNs / 1e6, predictNs / 20 / 1e6,
        (predictNs + decideNs) / 20 / 1e6);
  }

  private static long usedAfterGc() {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      long used = mem.getHeapMemoryUsage().getUsed();
      if (Math.abs(used - last) < 4096) {
        return used;
      }
      last = used;
    }
    return last;
  }
}
