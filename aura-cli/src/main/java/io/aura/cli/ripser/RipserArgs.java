package io.aura.cli.ripser;

import io.aura.tda.RipsOptions;
import java.util.List;

/**
 * Ripser's command line, parsed as Ripser 1.2.1 ({@code ripser-coeff} build) parses it: the
 * arguments are read left to right, {@code --help} prints the usage at once, each of
 * {@code --dim}, {@code --threshold}, {@code --ratio}, {@code --format}, {@code --modulus} takes
 * the next argument as its value, and anything else is the file name (a second one is an error).
 *
 * <p>Where Ripser's behaviour is undefined or crashes, this rejects the value with the usage
 * text: a missing value, a {@code std::stol}/{@code std::stof} that throws (no number, out of
 * range, including an inexact underflow of {@code --threshold}/{@code --ratio}), {@code --dim}
 * below 0 (Ripser segfaults), a NaN or negative threshold, a NaN ratio, a modulus
 * that is not a prime in 2..251 (Ripser truncates it to 16 bits and stores coefficients in 8).
 * Accepted as Ripser accepts them: leading white space and signs, hexadecimal floats and
 * {@code inf}/{@code infinity} for the float options ({@code --threshold inf} takes the sparse
 * path with every entry, exactly as in Ripser).
 *
 * <p>Extension: {@code --threads N} (1..1024, default 1) for the parallel reduction.
 */
public final class RipserArgs {
    long dim = RipsOptions.DEFAULT_MAX_DIMENSION;
    float threshold = RipsOptions.NO_THRESHOLD;
    float ratio = RipsOptions.DEFAULT_RATIO;
    int modulus = RipsOptions.DEFAULT_MODULUS;
    int threads = 1;
    InputFormat format = InputFormat.DISTANCE;
    String filename;
    boolean help;

    /** Raised for arguments Ripser answers with its usage text and exit status 255. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String detail) {
            super(detail, null, false, false);
        }
    }

    private RipserArgs() {
    }

    /** Parses {@code args}; stops at {@code --help} (then {@link #help} is set). */
    static RipserArgs parse(List<String> args) throws UsageException {
        RipserArgs a = new RipserArgs();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--help" -> {
                    a.help = true;
                    return a;
                }
                case "--dim" -> {
                    Long v = CStringNumbers.stol(value(args, ++i, arg));
                    if (v == null || v < 0) {
                        throw new UsageException("bad --dim value");
                    }
                    a.dim = v;
                }
                case "--threshold" -> {
                    Float v = CStringNumbers.stof(value(args, ++i, arg));
                    if (v == null || Float.isNaN(v) || v < 0) {
                        throw new UsageException("bad --threshold value");
                    }
                    a.threshold = v;
                }
                case "--ratio" -> {
                    Float v = CStringNumbers.stof(value(args, ++i, arg));
                    if (v == null || Float.isNaN(v)) {
                        throw new UsageException("bad --ratio value");
                    }
                    a.ratio = v;
                }
                case "--format" -> {
                    InputFormat f = InputFormat.parse(value(args, ++i, arg));
                    if (f == null) {
                        throw new UsageException("unknown --format");
                    }
                    a.format = f;
                }
                case "--modulus" -> {
                    Long v = CStringNumbers.stol(value(args, ++i, arg));
                    if (v == null || v > RipsOptions.MAX_MODULUS || !RipsOptions.isPrime(v)) {
                        throw new UsageException("bad --modulus value");
                    }
                    a.modulus = v.intValue();
                }
                case "--threads" -> {
                    Long v = CStringNumbers.stol(value(args, ++i, arg));
                    if (v == null || v < 1 || v > 1024) {
                        throw new UsageException("bad --threads value");
                    }
                    a.threads = v.intValue();
                }
                default -> {
                    if (a.filename != null) {
                        throw new UsageException("two file names");
                    }
                    a.filename = arg;
                }
            }
        }
        return a;
    }

    private static String value(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }

    /** The usage text of Ripser 1.2.1's {@code ripser-coeff} build, byte for byte. */
    static final String USAGE = """
            Usage: ripser [options] [filename]

            Options:

              --help           print this screen
              --format         use the specified file format for the input. Options are:
                                 lower-distance (lower triangular distance matrix)
                                 upper-distance (upper triangular distance matrix)
                     (default:)  distance       (distance matrix; only lower triangular part is read)
                                 point-cloud    (point cloud in Euclidean space)
                                 dipha          (distance matrix in DIPHA file format)
                                 sparse         (sparse distance matrix in sparse triplet format)
                                 binary         (lower triangular distance matrix in binary format)
              --dim <k>        compute persistent homology up to dimension k
              --threshold <t>  compute Rips complexes up to diameter t
              --modulus <p>    compute homology with coefficients in the prime field Z/pZ
              --ratio <r>      only show persistence pairs with death/birth ratio > r

            """;
}
