package io.aura.bench;

import io.aura.cascade.predict.AuraGuard;
import io.aura.cascade.random.SplitMix64;
import io.aura.cascade.sim.GuardConfig;
import io.aura.cascade.sim.Prediction;
import io.aura.cascade.sim.StaticTopology;
import io.aura.cascade.sim.TelemetrySnapshot;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code AuraGuard.predict()} per control period (spec 6.8), steady state, on a random caller tree
 * with N agents (each agent j ≥ 1 called by a uniform earlier agent, plus a second caller with
 * probability 0.3) and 64 pre-built snapshots with random utilisation, queue, errors, latency and edge
 * traffic, fed in a cycle after 200 warm-up snapshots so every history is full. Sampled mode gives
 * p50/p99 per call.
 *
 * <p>Run: {@code java -jar aura-bench/target/aura-benchmarks.jar PredictBenchmark -p agents=1000}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PredictBenchmark {
  @Param({"1000", "10000"})
  public int agents;

  private AuraGuard guard;
  private TelemetrySnapshot[] snaps;
  private int next;

  @Setup
  public void setup() {
    SplitMix64 rng = new SplitMix64(42);
    int n = agents;
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
    StaticTopology t = new StaticTopology(n, Arrays.copyOf(a, m), Arrays.copyOf(b, m));
    snaps = new TelemetrySnapshot[64];
    for (int k = 0; k < snaps.length; k++) {
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
        ef[e] = rng.nextDouble() < 0.05 ? rng.nextInt(ea[e] + 1) : 0;
      }
      int[] z = new int[n];
      snaps[k] = new TelemetrySnapshot(k + 1, arr, ok, err, err, z, z, z, lat, lat, lat, q, q, u, u, hi, ea, ef);
    }
    guard = new AuraGuard();
    guard.init(t, new GuardConfig(1000, 1000, 600_000, true));
    for (int k = 0; k < 200; k++) {
      guard.predict(snaps[k % snaps.length]);
    }
  }

  @Benchmark
  public Prediction predict() {
    return guard.predict(snaps[next++ & 63]);
  }
}
