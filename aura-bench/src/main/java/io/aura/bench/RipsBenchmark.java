package io.aura.bench;

import io.aura.tda.DistanceMatrix;
import io.aura.tda.PersistenceResult;
import io.aura.tda.PointCloud;
import io.aura.tda.RipsOptions;
import io.aura.tda.SyntheticShapes;
import io.aura.tda.VietorisRips;
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
 * Vietoris–Rips persistence on synthetic shapes, steady state (after JIT warm-up), 1 and 2
 * threads. Baseline beside it: the same input to dimension 0 only (distance matrix, edge sort and
 * union–find), the floor that every higher dimension is built on.
 *
 * <p>Run: {@code java -jar aura-bench/target/aura-benchmarks.jar RipsBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RipsBenchmark {

    /** torus: 300 points of a torus in R^3, dim 2; sphere: 200 points of S^2, dim 2; random: 80-point random matrix, dim 2. */
    @Param({"torus", "sphere", "random"})
    public String input;

    @Param({"1", "2"})
    public int threads;

    private PointCloud cloud;
    private DistanceMatrix matrix;
    private RipsOptions options;
    private RipsOptions dim0;

    @Setup
    public void setup() {
        switch (input) {
            case "torus" -> cloud = SyntheticShapes.torus(300, 2, 1, 1);
            case "sphere" -> cloud = SyntheticShapes.sphere(200, 0.02, 1);
            case "random" -> matrix = SyntheticShapes.randomDistanceMatrix(80, 2);
            default -> throw new IllegalArgumentException("unknown input " + input);
        }
        options = RipsOptions.builder().maxDimension(2).threads(threads).build();
        dim0 = RipsOptions.builder().maxDimension(0).threads(threads).build();
    }

    @Benchmark
    public PersistenceResult engine() {
        return cloud != null ? VietorisRips.compute(cloud, options) : VietorisRips.compute(matrix, options);
    }

    @Benchmark
    public PersistenceResult baselineDimension0() {
        return cloud != null ? VietorisRips.compute(cloud, dim0) : VietorisRips.compute(matrix, dim0);
    }
}
