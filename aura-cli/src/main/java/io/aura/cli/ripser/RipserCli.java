package io.aura.cli.ripser;

import io.aura.tda.DistanceMatrix;
import io.aura.tda.PersistenceDiagram;
import io.aura.tda.PersistenceResult;
import io.aura.tda.PointCloud;
import io.aura.tda.RipsOptions;
import io.aura.tda.SparseDistanceMatrix;
import io.aura.tda.TdaInputException;
import io.aura.tda.VietorisRips;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code aura ripser [options] [file]}: prints byte for byte what Ripser 1.2.1 ({@code ripser-coeff}
 * build) prints, as a thin shell over {@link VietorisRips}. See {@link RipserArgs} for the options,
 * {@link RipserReader} for the input formats and {@link CFloatFormat} for the numbers.
 *
 * <p>Exit status 0 on success; 255 (Ripser's {@code exit(-1)}) with the usage text on stderr for a
 * bad command line, with {@code couldn't open file NAME} for an unreadable file and with a one-line
 * {@code ripser: ...} message for input Ripser would misread. Nothing is written to stdout then.
 */
public final class RipserCli {
    static final int FAILURE = 255;

    private RipserCli() {
    }

    /** Runs the command on the given streams and returns the exit status. */
    public static int run(List<String> args, InputStream stdin, OutputStream stdout, PrintStream stderr) {
        RipserArgs a;
        try {
            a = RipserArgs.parse(args);
        } catch (RipserArgs.UsageException e) {
            stderr.print(RipserArgs.USAGE);
            stderr.flush();
            return FAILURE;
        }
        if (a.help) {
            stderr.print(RipserArgs.USAGE);
            stderr.flush();
            return 0;
        }
        byte[] data;
        if (a.filename == null) {
            try {
                data = stdin.readAllBytes();
            } catch (IOException e) {
                return fail(stderr, "ripser: cannot read standard input: " + e.getMessage());
            }
        } else {
            try {
                data = Files.readAllBytes(Path.of(a.filename));
            } catch (IOException | InvalidPathException | OutOfMemoryError e) {
                return fail(stderr, "couldn't open file " + a.filename);
            }
        }
        try {
            StringBuilder header = new StringBuilder(256);
            PersistenceResult result = compute(a, data, header);
            data = null; // let the input go before formatting a possibly large output
            Writer w = new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.ISO_8859_1), 1 << 16);
            w.append(header);
            printDiagrams(result, a.format != InputFormat.SPARSE && result.threshold() == Float.POSITIVE_INFINITY, w);
            w.flush();
            return 0;
        } catch (RipserDataException e) {
            return fail(stderr, e.verbatim() ? e.getMessage() : "ripser: " + e.getMessage());
        } catch (TdaInputException e) {
            return fail(stderr, "ripser: " + e.getMessage());
        } catch (IOException e) {
            return fail(stderr, "ripser: cannot write the output: " + e.getMessage());
        } catch (OutOfMemoryError e) {
            return fail(stderr, "ripser: out of memory; raise the Java heap, e.g. AURA_JAVA_OPTS=-Xmx20g ./aura ripser ...");
        } catch (RuntimeException e) {
            return fail(stderr, "ripser: internal error: " + e);
        }
    }

    private static int fail(PrintStream stderr, String message) {
        stderr.print(message + "\n");
        stderr.flush();
        return FAILURE;
    }

    /** Reads the input, appends Ripser's header lines to {@code header} and computes the barcodes. */
    static PersistenceResult compute(RipserArgs a, byte[] data, StringBuilder header) {
        RipsOptions.Builder opts = RipsOptions.builder().ratio(a.ratio).modulus(a.modulus).threads(a.threads);
        if (a.format == InputFormat.SPARSE) {
            SparseDistanceMatrix s = ((RipserInput.Sparse) RipserReader.read(a.format, data)).matrix();
            if (s.mergedDuplicates() > 0) { // Ripser takes the list as a multigraph: wrong diagrams, or no end at all
                int[] d = s.firstDuplicate();
                throw new RipserDataException("the pair (" + d[0] + ", " + d[1] + ") is listed more than once (" + s.mergedDuplicates()
                        + " repeated pair" + (s.mergedDuplicates() == 1 ? "" : "s") + " in all); the sparse format lists each pair once"
                        + " (aura analyze merges them, keeping the smallest distance)");
            }
            long n = s.size();
            header.append("sparse distance matrix with ").append(n).append(" points and ").append(s.edgeCount())
                    .append('/').append(n * (n - 1) / 2).append(" entries\n");
            if (n == 0) {
                // only entries with i = j: Ripser computes on 0 points and prints the dim-0 header only
                return new PersistenceResult(List.of(new PersistenceDiagram(0, new double[0], new double[0])), 0,
                        a.threshold, a.modulus);
            }
            RipsOptions o = opts.maxDimension(maxDimension(a.dim, s.size())).threshold(a.threshold)
                    .thresholdFiltersSparseEdges(false).build();
            return VietorisRips.compute(s, o);
        }
        RipserInput in = RipserReader.read(a.format, data);
        DistanceMatrix matrix;
        float[] range;
        int rangeCount;
        if (in instanceof RipserInput.Points p) {
            PointCloud cloud = p.cloud();
            header.append("point cloud with ").append(cloud.size()).append(" points in dimension ")
                    .append(cloud.dimension()).append('\n');
            if (a.threshold < RipsOptions.NO_THRESHOLD) {
                RipsOptions o = opts.maxDimension(maxDimension(a.dim, cloud.size())).threshold(a.threshold).build();
                return VietorisRips.compute(cloud, o);
            }
            matrix = cloud.distanceMatrix();
            range = matrix.lowerTriangle();
            rangeCount = range.length;
        } else {
            RipserInput.Dense d = (RipserInput.Dense) in;
            matrix = d.matrix();
            range = d.rangeValues();
            rangeCount = d.rangeCount();
        }
        int n = matrix.size();
        // std::min / std::max semantics: min = d < min ? d : min
        float min = Float.POSITIVE_INFINITY;
        float maxFinite = Float.NEGATIVE_INFINITY;
        long entries = 0;
        for (int i = 0; i < rangeCount; i++) {
            float d = range[i];
            if (d < min) {
                min = d;
            }
            if (d != Float.POSITIVE_INFINITY && maxFinite < d) {
                maxFinite = d;
            }
            if (d <= a.threshold) {
                entries++;
            }
        }
        header.append("value range: [");
        CFloatFormat.appendTo(header, min);
        header.append(',');
        CFloatFormat.appendTo(header, maxFinite);
        header.append("]\n");
        opts.maxDimension(maxDimension(a.dim, n));
        if (a.threshold == RipsOptions.NO_THRESHOLD) {
            header.append("distance matrix with ").append(n).append(" points, using threshold at enclosing radius ");
            CFloatFormat.appendTo(header, matrix.enclosingRadius());
            header.append('\n');
            return VietorisRips.compute(matrix, opts.threshold(RipsOptions.NO_THRESHOLD).build());
        }
        header.append("sparse distance matrix with ").append(n).append(" points and ").append(entries).append('/')
                .append((long) n * (n - 1) / 2).append(" entries\n");
        return VietorisRips.compute(matrix, opts.threshold(a.threshold).build());
    }

    /** Ripser's effective dimension min(k, n - 2), at least 0 (only dimension 0 is printed then). */
    static int maxDimension(long dim, long n) {
        long eff = Math.max(0, Math.min(dim, n - 2));
        if (eff > RipsOptions.MAX_DIMENSION) {
            throw new RipserDataException("--dim " + dim + " on " + n + " points asks for dimension " + eff
                    + "; at most " + RipsOptions.MAX_DIMENSION + " is supported");
        }
        return (int) eff;
    }

    /**
     * Prints the diagrams in Ripser's layout. {@code completeAtInfinity}: the filtration was cut at
     * +inf on a dense matrix (an infinite enclosing radius or {@code --threshold inf}), so every
     * simplex, including those of infinite diameter, is in the complex: then nothing in dimension
     * >= 1 and only the last interval of dimension 0 are essential, and Ripser prints an interval
     * that dies at an infinite diameter as {@code [b,inf)}.
     */
    static void printDiagrams(PersistenceResult result, boolean completeAtInfinity, Writer w) throws IOException {
        FormatCache fmt = new FormatCache();
        StringBuilder line = new StringBuilder(64);
        for (PersistenceDiagram dgm : result.diagrams()) {
            int dim = dgm.dimension();
            w.write("persistence intervals in dim " + dim + ":\n");
            for (int i = 0; i < dgm.size(); i++) {
                line.setLength(0);
                line.append(" [");
                if (dim == 0) {
                    line.append('0');
                } else {
                    line.append(fmt.format((float) dgm.birth(i)));
                }
                if (dgm.isEssential(i) && !(completeAtInfinity && (dim > 0 || i < dgm.size() - 1))) {
                    line.append(", )\n");
                } else {
                    line.append(',').append(fmt.format((float) dgm.death(i))).append(")\n");
                }
                w.append(line);
            }
        }
    }

    /** A direct-mapped cache of formatted values: diagrams repeat values a lot. */
    private static final class FormatCache {
        private static final int SIZE = 1 << 12;
        private final int[] keys = new int[SIZE];
        private final String[] values = new String[SIZE];

        String format(float x) {
            int bits = Float.floatToRawIntBits(x);
            int slot = (bits ^ (bits >>> 12) ^ (bits >>> 24)) & (SIZE - 1);
            String s = values[slot];
            if (s != null && keys[slot] == bits) {
                return s;
            }
            s = CFloatFormat.format(x);
            keys[slot] = bits;
            values[slot] = s;
            return s;
        }
    }
}
