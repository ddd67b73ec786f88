package io.aura.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cluster-wide prediction loop's per-tick cost on a replica (ClusterCounters): encoding this
 * replica's counters for the others ({@code snapshot}) and summing its own with the others'
 * ({@code refresh}, here with {@code peers} other replicas of the same size). Agents have
 * 10-character ids, one call edge each (a ring), a fresh report on every tenth. In this package for
 * the server's package-private classes. The snapshot's size is printed once per setup.
 *
 * <p>Run: {@code java -jar aura-bench/target/aura-benchmarks.jar ClusterCountersBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ClusterCountersBenchmark {

    @Param({"1000", "10000"})
    int agents;

    @Param({"2"})
    int peers;

    List<Bus.AgentCounters> counters;
    List<Bus.Edge> edges;
    ClusterCounters merged;

    @Setup(Level.Trial)
    public void setup() {
        counters = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            Bus.AgentCounters c = new Bus.AgentCounters(String.format("agent_%04d", i % 10_000) + (i >= 10_000 ? i : ""));
            c.callsIn.add(1_000L + i);
            c.errorsOut.add(i % 7);
            if (i % 10 == 0) {
                c.report = new AgentReport(System.nanoTime(), 0.5, 0.4, 3, 2, 10, 40, 90, 2);
            }
            counters.add(c);
        }
        edges = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            Bus.Edge e = new Bus.Edge(counters.get(i).id, counters.get((i + 1) % agents).id, counters.get(i), counters.get((i + 1) % agents));
            e.calls = 500 + i;
            e.failures = i % 3;
            edges.add(e);
        }
        byte[] one = ClusterCounters.snapshot(counters, edges, System.nanoTime());
        System.out.printf("%nsnapshot of %d agents and %d edges: %d bytes (%.1f per agent+edge)%n", agents, agents, one.length,
                one.length / (double) agents);
        java.util.Map<String, byte[]> others = new java.util.HashMap<>();
        for (int p = 0; p < peers; p++) {
            others.put("member-" + p, one);
        }
        merged = new ClusterCounters(() -> ClusterCounters.snapshot(counters, edges, System.nanoTime()), () -> null, () -> others,
                System::nanoTime, Bus.MAX_EDGES);
    }

    @Benchmark
    public byte[] snapshot() {
        return ClusterCounters.snapshot(counters, edges, System.nanoTime());
    }

    @Benchmark
    public int refresh() {
        merged.refresh();
        return merged.agents().size();
    }
}
