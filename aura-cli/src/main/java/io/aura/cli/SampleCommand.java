package io.aura.cli;

import io.aura.tda.PointCloud;
import io.aura.tda.SyntheticShapes;
import io.aura.tda.TdaInputException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code aura sample SHAPE}: a seeded synthetic point cloud as CSV, for demos and benchmarks. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Print a seeded synthetic point cloud as CSV (one point per line).",
        footer = {"%nShapes: circle (noisy, R^2), sphere (S^2 in R^3), torus (R=2, r=1 in R^3),",
                "clifford (flat torus in R^4), rp2 (projective plane, Veronese map into R^6).",
                "%nExample:", "  aura sample torus --points 300 | aura analyze --dim 2"})
public final class SampleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHAPE", description = "circle, sphere, torus, clifford or rp2")
    String shape;

    @Option(names = "--points", paramLabel = "N", defaultValue = "200", description = "number of points (default ${DEFAULT-VALUE})")
    int points;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--noise", paramLabel = "SD", defaultValue = "0.05",
            description = "noise standard deviation for circle and sphere (default ${DEFAULT-VALUE})")
    double noise;

    /** One point per line, coordinates in the shortest decimal form that reads back as the same float. */
    static String csv(PointCloud pc) {
        StringBuilder sb = new StringBuilder(pc.size() * 32);
        for (int i = 0; i < pc.size(); i++) {
            for (int k = 0; k < pc.dimension(); k++) {
                if (k > 0) {
                    sb.append(',');
                }
                sb.append(pc.coordinate(i, k));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (points < 1 || points > 1_000_000) {
                throw new TdaInputException("--points must be in 1..1000000, got " + points);
            }
            var parsed = spec.commandLine().getParseResult();
            if (parsed != null && parsed.hasMatchedOption("--noise") && !shape.equals("circle") && !shape.equals("sphere")) {
                throw new TdaInputException("--noise applies to circle and sphere only; " + shape + " is sampled without noise");
            }
            PointCloud pc = switch (shape) {
                case "circle" -> SyntheticShapes.noisyCircle(points, 1, noise, seed);
                case "sphere" -> SyntheticShapes.sphere(points, noise, seed);
                case "torus" -> SyntheticShapes.torus(points, 2, 1, seed);
                case "clifford" -> SyntheticShapes.cliffordTorus(points, seed);
                case "rp2" -> SyntheticShapes.projectivePlane(points, seed);
                default -> throw new TdaInputException("unknown shape '" + shape + "'; use circle, sphere, torus, clifford or rp2");
            };
            out.print(csv(pc));
            out.flush();
            return 0;
        } catch (TdaInputException e) {
            spec.commandLine().getErr().println("aura sample: " + e.getMessage());
            return 2;
        }
    }
}
