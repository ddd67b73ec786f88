package io.aura.tda;

import java.util.List;
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
 * The engine beside the textbook boundary-matrix reduction of the test tree (every simplex
 * enumerated, the full boundary matrix reduced column by column) on small random point clouds:
 * what clearing, apparent/emergent pairs and implicit coboundaries buy. Lives in package
 * io.aura.tda because the reference is package-private test code.
 *
 * <p>Run: {@code java -jar aura-bench/target/aura-benchmarks.jar TextbookBaselineBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TextbookBaselineBenchmark {

    @Param({"12", "20", "30"})
    public int points;

    private PointCloud cloud;
    private RipsOptions options;

    @Setup
    public void setup() {
        cloud = SyntheticShapes.sphere(points, 0.05, 3);
        options = RipsOptions.builder().maxDimension(2).build();
    }

    @Benchmark
    public PersistenceResult engine() {
        return VietorisRips.compute(cloud, options);
    }

    @Benchmark
    public List<PersistenceDiagram> baselineTextbook() {
        return ReferencePersistence.of(cloud, options);
    }
}
