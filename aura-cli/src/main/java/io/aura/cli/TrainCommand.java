package io.aura.cli;

import io.aura.cli.ripser.RipserCli;
import io.aura.tda.SyntheticShapes;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code aura internal-train}: a fixed workload over the ripser and analyze paths, run once by the
 * launcher with {@code -XX:AOTCacheOutput} so that later runs start from an ahead-of-time cache of
 * loaded classes and method profiles (JEP 483/515). Not for users; hidden from the help.
 */
@Command(name = "internal-train", hidden = true, description = "Training workload for the JVM's AOT cache.")
public final class TrainCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        String torus = SampleCommand.csv(SyntheticShapes.torus(180, 2, 1, 7));
        String circle = SampleCommand.csv(SyntheticShapes.noisyCircle(120, 1, 0.05, 3));
        String rp2 = SampleCommand.csv(SyntheticShapes.projectivePlane(120, 5));
        for (int round = 0; round < 2; round++) {
            ripser(torus, sink, "--format", "point-cloud", "--dim", "2");
            ripser(torus, sink, "--format", "point-cloud", "--dim", "2", "--threshold", "1.5");
            ripser(rp2, sink, "--format", "point-cloud", "--dim", "2", "--modulus", "3");
            ripser(lowerMatrix(circle), sink, "--format", "lower-distance", "--dim", "1");
        }
        CommandLine analyze = Main.commandLine();
        analyze.setOut(new java.io.PrintWriter(sink));
        analyze.setErr(new java.io.PrintWriter(sink));
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream(circle.getBytes(StandardCharsets.UTF_8)));
            analyze.execute("analyze", "--dim", "1", "--json");
        } finally {
            System.setIn(stdin);
        }
        return 0;
    }

    private static void ripser(String input, PrintStream sink, String... args) {
        RipserCli.run(List.of(args), new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), sink, sink);
    }

    /** The circle's lower-triangular distance matrix, to train the matrix readers. */
    private static String lowerMatrix(String csv) {
        String[] lines = csv.split("\n");
        double[][] p = new double[lines.length][];
        for (int i = 0; i < lines.length; i++) {
            String[] f = lines[i].split(",");
            p[i] = new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1])};
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < p.length; i++) {
            for (int j = 0; j < i; j++) {
                sb.append(String.format(Locale.ROOT, "%.6f ", Math.hypot(p[i][0] - p[j][0], p[i][1] - p[j][1])));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
