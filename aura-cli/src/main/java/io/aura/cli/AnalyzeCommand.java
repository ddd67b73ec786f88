package io.aura.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aura.cli.ripser.InputFormat;
import io.aura.cli.ripser.RipserDataException;
import io.aura.cli.ripser.RipserInput;
import io.aura.cli.ripser.RipserReader;
import io.aura.server.AnalyzeDocument;
import io.aura.tda.PersistenceResult;
import io.aura.tda.RipsOptions;
import io.aura.tda.TdaInputException;
import io.aura.tda.VietorisRips;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aura analyze FILE}: persistence diagrams of a point cloud or distance matrix plus their
 * summaries (Betti numbers at a scale, Betti curves, persistence entropy, landscape norms), as
 * text or as the JSON document of the API's analyze endpoint.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Persistent homology of a point cloud or distance matrix with summaries.%n"
                + "Reads FILE (or standard input when FILE is '-' or absent) in the formats of 'aura ripser'.",
        footer = {"%nExamples:",
                "  aura analyze points.csv --dim 2 --json",
                "  aura analyze matrix.txt --format lower-distance --threshold 1.5"})
public final class AnalyzeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "input file; '-' or absent: standard input")
    String file;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "point-cloud",
            description = "point-cloud (default), distance, lower-distance, upper-distance, sparse, dipha, binary")
    String format;

    @Option(names = "--dim", paramLabel = "K", defaultValue = "1", description = "highest homology dimension (default ${DEFAULT-VALUE})")
    int dim;

    @Option(names = "--threshold", paramLabel = "T", description = "keep simplices of diameter <= T (default: the enclosing radius)")
    Float threshold;

    @Option(names = "--modulus", paramLabel = "P", defaultValue = "2", description = "prime coefficient field Z/P (default ${DEFAULT-VALUE})")
    int modulus;

    @Option(names = "--scale", paramLabel = "S", description = "scale of the reported Betti numbers (default: the threshold used)")
    Double scale;

    @Option(names = "--curve-samples", paramLabel = "M", defaultValue = "64", description = "samples of each Betti curve (default ${DEFAULT-VALUE})")
    int curveSamples;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads (default: the available processors)")
    Integer threads;

    @Option(names = "--json", description = "print the analysis as JSON (the API's analyze document)")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        try {
            InputFormat fmt = InputFormat.parse(format);
            if (fmt == null) {
                throw new TdaInputException("unknown --format '" + format
                        + "'; use point-cloud, distance, lower-distance, upper-distance, sparse, dipha or binary");
            }
            if (curveSamples < 1 || curveSamples > 100_000) {
                throw new TdaInputException("--curve-samples must be in 1..100000, got " + curveSamples);
            }
            if (scale != null && (!(scale >= 0) || (threshold != null && scale > threshold))) {
                // beyond the cut, classes the filtration never closed would be counted as alive
                throw new TdaInputException("--scale must be " + (threshold == null ? ">= 0" : "in 0..the --threshold (" + threshold + ")")
                        + ": the Betti numbers are known only up to where the filtration was cut, got " + scale);
            }
            // the options are checked before the input is read (a large file, or a terminal on standard input,
            // would otherwise be read first), under the names the user typed
            if (dim < 0 || dim > RipsOptions.MAX_DIMENSION) {
                throw new TdaInputException("--dim must be in 0.." + RipsOptions.MAX_DIMENSION + ", got " + dim);
            }
            if (threads != null && (threads < 1 || threads > 1024)) {
                throw new TdaInputException("--threads must be in 1..1024, got " + threads);
            }
            RipsOptions options = RipsOptions.builder().maxDimension(dim)
                    .threshold(threshold == null ? RipsOptions.NO_THRESHOLD : threshold)
                    .modulus(modulus)
                    .threads(threads == null ? Runtime.getRuntime().availableProcessors() : threads)
                    .build();
            long t0 = System.nanoTime();
            byte[] data = readInput();
            RipserInput input = RipserReader.read(fmt, data);
            if (input instanceof RipserInput.Sparse sp && sp.matrix().mergedDuplicates() > 0) {
                int[] d = sp.matrix().firstDuplicate();
                err.println("aura analyze: note: " + sp.matrix().mergedDuplicates() + " pair" + (sp.matrix().mergedDuplicates() == 1 ? " is" : "s are")
                        + " listed more than once (the first: " + d[0] + " " + d[1] + "); each keeps its smallest distance");
            }
            long t1 = System.nanoTime();
            PersistenceResult result = switch (input) {
                case RipserInput.Dense d -> VietorisRips.compute(d.matrix(), options);
                case RipserInput.Points p -> VietorisRips.compute(p.cloud(), options);
                case RipserInput.Sparse s -> VietorisRips.compute(s.matrix(), options);
            };
            long t2 = System.nanoTime();
            ObjectNode doc = document(input, fmt, options, result);
            long t3 = System.nanoTime();
            ObjectNode timing = doc.putObject("timing_ms");
            timing.put("read", (t1 - t0) / 1e6);
            timing.put("compute", (t2 - t1) / 1e6);
            timing.put("summaries", (t3 - t2) / 1e6);
            if (json) {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
            } else {
                printText(doc, out);
            }
            out.flush();
            return 0;
        } catch (IllegalArgumentException | RipserDataException e) { // engine and reader input errors
            err.println("aura analyze: " + e.getMessage());
            return 2;
        } catch (IOException | UncheckedIOException e) {
            err.println("aura analyze: " + e.getMessage());
            return 2;
        } catch (OutOfMemoryError e) { // the simplices of a high --dim outgrow the heap
            err.println("aura analyze: out of memory (the Java heap is " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB); use a lower"
                    + " --dim, a --threshold, fewer points, or a larger heap, e.g. AURA_JAVA_OPTS=-Xmx20g ./aura analyze ...");
            return 2;
        }
    }

    private byte[] readInput() throws IOException {
        if (file == null || file.equals("-")) {
            InputStream in = System.in;
            return in.readAllBytes();
        }
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new IOException("no such file: " + file, e);
        } catch (IOException e) { // "Is a directory" alone did not say which argument
            throw new IOException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The analyze document (see docs/tda.md for the field reference), built by the server's builder. */
    ObjectNode document(RipserInput input, InputFormat fmt, RipsOptions options, PersistenceResult result) {
        return AnalyzeDocument.build(fmt.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                input instanceof RipserInput.Points p ? p.cloud().dimension() : null,
                input instanceof RipserInput.Sparse ? AnalyzeDocument.InputKind.SPARSE : AnalyzeDocument.InputKind.DENSE,
                options, result, scale, curveSamples);
    }

    private static void printText(ObjectNode doc, PrintWriter out) {
        out.printf(Locale.ROOT, "%d points, filtration cut at %s (%s), Z/%d%n", doc.at("/input/points").asInt(),
                num(doc.at("/filtration/threshold").asDouble()), doc.at("/filtration/threshold_kind").asText(),
                doc.at("/parameters/modulus").asInt());
        out.printf(Locale.ROOT, "Betti numbers at %s: %s%n", num(doc.at("/betti_numbers/scale").asDouble()),
                doc.at("/betti_numbers/values"));
        out.printf(Locale.ROOT, "%-4s %8s %9s %12s %12s %9s %12s%n", "dim", "bars", "essential", "total pers.",
                "max pers.", "entropy", "landscape L1");
        for (var s : doc.withArray("summaries")) {
            out.printf(Locale.ROOT, "H%-3d %8d %9d %12s %12s %9s %12s%n", s.get("dimension").asInt(), s.get("count").asInt(),
                    s.get("essential_count").asInt(), num(s.get("total_persistence").asDouble()),
                    num(s.get("max_persistence").asDouble()), num(s.get("entropy").asDouble()),
                    num(s.get("landscape_l1").asDouble()));
        }
        out.printf(Locale.ROOT, "computed in %s ms; --json prints the diagrams and curves%n",
                num(doc.at("/timing_ms/compute").asDouble()));
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
