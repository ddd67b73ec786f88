package io.aura.bench;

import io.aura.cascade.predict.TopologicalMemory;
import io.aura.cascade.predict.TopologicalSignals;
import io.aura.cascade.random.SplitMix64;
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
 * One {@link TopologicalMemory#risk} query (k = 16) against a frozen seed of {@code entries}
 * signatures plus an empty own memory, as {@code AuraGuard} runs it every control period with
 * {@code enable_memory}. The signatures are real: {@link TopologicalMemory#signature} of the
 * Vietoris–Rips H0/H1 of random 30-point clouds in 5 dimensions whose per-cloud scale is log-uniform
 * in [10⁻³, 1] (calm to faulted state changes); queries cycle over 64 further such clouds.
 *
 * <p>Run: {@code java -jar aura-bench/target/aura-benchmarks.jar MemoryBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MemoryBenchmark {
  @Param({"1000", "10000"})
  public int entries;

  private TopologicalMemory memory;
  private float[][] queries;
  private int next;

  static float[] cloudSignature(SplitMix64 rng) {
    double scale = Math.pow(10, -3 + 3 * rng.nextDouble());
    double[][] pts = new double[30][5];
    for (double[] p : pts) {
      for (int d = 0; d < 5; d++) {
        p[d] = scale * (rng.nextDouble() - 0.5);
      }
    }
    float[] s = new float[TopologicalMemory.DIM];
    TopologicalMemory.signature(TopologicalSignals.stateTopology(pts), s);
    return s;
  }

  @Setup
  public void setup() {
    SplitMix64 rng = new SplitMix64(7);
    TopologicalMemory seed = new TopologicalMemory(entries);
    for (int i = 0; i < entries; i++) {
      seed.add(cloudSignature(rng), rng.nextDouble() < 0.1, 0, i);
    }
    memory = TopologicalMemory.over(seed.freeze(), TopologicalMemory.DEFAULT_CAPACITY);
    queries = new float[64][];
    for (int q = 0; q < queries.length; q++) {
      queries[q] = cloudSignature(rng);
    }
  }

  @Benchmark
  public double risk() {
    return memory.risk(queries[next++ & 63]);
  }
}
