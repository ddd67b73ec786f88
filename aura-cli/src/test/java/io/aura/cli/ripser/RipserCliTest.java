package io.aura.cli.ripser;

import static org.assertj.core.api.Assertions.assertThat;

import io.aura.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RipserCliTest {

    record Run(int rc, String out, String err) {
    }

    static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = RipserCli.run(List.of(args), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.ISO_8859_1)), out,
                new PrintStream(err, true, StandardCharsets.ISO_8859_1));
        return new Run(rc, out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.ISO_8859_1));
    }

    static void assertUsageError(Run r) {
        assertThat(r.rc()).isEqualTo(255);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo(RipserArgs.USAGE);
    }

    static void assertDataError(Run r, String message) {
        assertThat(r.rc()).isEqualTo(255);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("ripser: " + message + "\n");
    }

    @Test
    void usageTextIsRipserCoeffByteForByte() {
        assertThat(RipserArgs.USAGE).startsWith("Usage: ripser [options] [filename]\n\nOptions:\n\n  --help")
                .contains("  --modulus <p>    compute homology with coefficients in the prime field Z/pZ\n")
                .endsWith("  --ratio <r>      only show persistence pairs with death/birth ratio > r\n\n");
        Run help = run("", "--help");
        assertThat(help.rc()).isZero();
        assertThat(help.out()).isEmpty();
        assertThat(help.err()).isEqualTo(RipserArgs.USAGE);
    }

    /** Ripser reads a repeated pair as a second edge (wrong diagrams, or no end); aura ripser refuses it in one line. */
    @Test
    void aRepeatedSparsePairIsRefused() {
        Run r = run("0 1 1\n1 2 2\n0 2 3\n0 1 0.5\n", "--format", "sparse");
        assertThat(r.rc()).isEqualTo(255);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("ripser: the pair (0, 1) is listed more than once (1 repeated pair in all); the sparse format lists each"
                + " pair once (aura analyze merges them, keeping the smallest distance)\n");
        assertThat(run("0 1 1\n1 0 1\n", "--format", "sparse").rc()).isEqualTo(255);
    }

    @Test
    void readsStdinAndPrintsRipserOutput() {
        Run r = run("1\n2 3\n", "--format", "lower");
        assertThat(r.rc()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("""
                value range: [1,3]
                distance matrix with 3 points, using threshold at enclosing radius 2
                persistence intervals in dim 0:
                 [0,1)
                 [0,2)
                 [0, )
                persistence intervals in dim 1:
                """);
    }

    @Test
    void pointCloudHeadersWithAndWithoutThreshold() {
        assertThat(run("0 0\n1 0\n0 1\n", "--format", "point", "--threshold", "1.2").out())
                .startsWith("point cloud with 3 points in dimension 2\npersistence intervals in dim 0:\n");
        assertThat(run("0 0\n1 0\n0 1\n", "--format", "point").out()).startsWith("""
                point cloud with 3 points in dimension 2
                value range: [1,1.41421]
                distance matrix with 3 points, using threshold at enclosing radius 1
                """);
        assertThat(run("0 0\n1 0\n0 1\n", "--format", "point", "--threshold", "inf").out()).startsWith("""
                point cloud with 3 points in dimension 2
                value range: [1,1.41421]
                sparse distance matrix with 3 points and 3/3 entries
                """);
    }

    @Test
    void sparseQuirkEdgeAboveThresholdStillMerges() {
        assertThat(run("0 1 1\n1 2 5\n", "--format", "sparse", "--threshold", "2").out()).isEqualTo("""
                sparse distance matrix with 3 points and 2/3 entries
                persistence intervals in dim 0:
                 [0,1)
                 [0,5)
                 [0, )
                persistence intervals in dim 1:
                """);
    }

    @Test
    void binaryExtraZeroShowsInValueRangeAndEntryCount() {
        byte[] bin = RipserReaderTest.floats(1, 2, 3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = RipserCli.run(List.of("--format", "binary", "--threshold", "2.5"), new ByteArrayInputStream(bin), out,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.ISO_8859_1));
        assertThat(rc).isZero();
        assertThat(out.toString(StandardCharsets.ISO_8859_1))
                .startsWith("value range: [0,3]\nsparse distance matrix with 3 points and 3/3 entries\n");
    }

    @Test
    void onePointCloudPrintsAnEmptyRangeAndOneComponent() {
        assertThat(run("1.5,2\n", "--format", "point").out()).isEqualTo("""
                point cloud with 1 points in dimension 2
                value range: [inf,-inf]
                distance matrix with 1 points, using threshold at enclosing radius 0
                persistence intervals in dim 0:
                 [0, )
                """);
    }

    @Test
    void dimIsCappedAtNMinusTwo() {
        Run r = run("1 2 3", "--format", "lower", "--dim", "9");
        assertThat(r.out()).contains("persistence intervals in dim 1:").doesNotContain("dim 2:");
        assertThat(run("1 2 3", "--format", "lower", "--dim", "0").out()).doesNotContain("dim 1:");
    }

    @Test
    void argumentErrorsPrintUsageAndExit255() {
        assertUsageError(run("1", "--format", "foo"));
        assertUsageError(run("1", "--format"));
        assertUsageError(run("1", "--dim"));
        assertUsageError(run("1", "--dim", "1x"));
        assertUsageError(run("1", "--dim", "-1"));
        assertUsageError(run("1", "--dim", "99999999999999999999"));
        assertUsageError(run("1", "--threshold", "1e"));
        assertUsageError(run("1", "--threshold", "nan"));
        assertUsageError(run("1", "--threshold", "-1"));
        assertUsageError(run("1", "--threshold", "1e-50"));
        assertUsageError(run("1", "--ratio", "abc"));
        assertUsageError(run("1", "--modulus", "4"));
        assertUsageError(run("1", "--modulus", "257"));
        assertUsageError(run("1", "--modulus", "1"));
        assertUsageError(run("1", "--threads", "0"));
        assertUsageError(run("1", "a", "b"));
        // arguments are processed in order: an error before --help wins
        assertUsageError(run("1", "--dim", "x", "--help"));
        assertThat(run("1", "--help", "--dim", "x").rc()).isZero();
    }

    @Test
    void optionValuesParsedLikeStolAndStof() {
        String base = run("1 2 3", "--format", "lower", "--threshold", "2.5").out();
        assertThat(run("1 2 3", "--format", "lower", "--threshold", " +2.5e0").out()).isEqualTo(base);
        assertThat(run("1 2 3", "--format", "lower", "--threshold", "0x1.4p1").out()).isEqualTo(base);
        assertThat(run("1 2 3", "--format", "lowerXYZ", "--threshold", "25e-1", "--dim", " +1").out()).isEqualTo(base);
        assertThat(run("1 2 3", "--format", "lower", "--modulus", "3", "--threads", "2", "--ratio", "1").rc()).isZero();
    }

    @Test
    void dataErrorsPrintOneLineAndExit255() {
        assertDataError(run("", "--format", "lower"), "the input contains no numbers");
        assertDataError(run("0 0\n1 0 3\n", "--format", "point"),
                "line 2 has 3 coordinates but line 1 (the first point) has 2; all points need the same dimension");
        assertDataError(run("1 2 x", "--format", "lower"), "expected a number at line 1, column 5 but found 'x'");
        assertDataError(run("1 -2 3", "--format", "lower"),
                "negative distance -2 at line 1, column 3; distances must be >= 0");
        assertDataError(run("1 1e39 3", "--format", "lower"), "number 1e39 at line 1, column 3 is outside the float range");
        assertDataError(run("1 ".repeat(190), "--format", "lower", "--dim", "17"),
                "--dim 17 on 20 points asks for dimension 17; at most 16 is supported");
    }

    @Test
    void verbatimDiphaMessage() {
        Run r = run("not dipha", "--format", "dipha");
        assertThat(r.rc()).isEqualTo(255);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("input is not a Dipha file (magic number: 8067171840)\n");
    }

    @Test
    void unreadableFile(@TempDir Path dir) {
        String name = dir.resolve("missing.txt").toString();
        Run r = run("", name);
        assertThat(r.rc()).isEqualTo(255);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("couldn't open file " + name + "\n");
        Run d = run("", dir.toString());
        assertThat(d.err()).isEqualTo("couldn't open file " + dir + "\n");
    }

    @Test
    void readsAFileAndCrlfMatchesLf(@TempDir Path dir) throws IOException {
        Path lf = Files.writeString(dir.resolve("a.csv"), "0,0\n1,0\n0,1\n3,3\n");
        Path crlf = Files.writeString(dir.resolve("b.csv"), "0,0\r\n1,0\r\n0,1\r\n3,3\r\n");
        Run a = run("", "--format", "point", lf.toString());
        assertThat(a.rc()).isZero();
        assertThat(run("", crlf.toString(), "--format", "point").out()).isEqualTo(a.out());
    }

    @Test
    void throughMainAndPicocliArgumentsArriveRaw(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("m.ldm"), "1\n2 3\n");
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        InputStream oldIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.ISO_8859_1));
            System.setErr(new PrintStream(err, true, StandardCharsets.ISO_8859_1));
            System.setIn(new ByteArrayInputStream(new byte[0]));
            assertThat(Main.run("ripser", "--format", "lower", f.toString())).isZero();
            assertThat(out.toString(StandardCharsets.ISO_8859_1)).startsWith("value range: [1,3]\n");
            out.reset();
            assertThat(Main.run("ripser", "--help")).isZero();
            assertThat(err.toString(StandardCharsets.ISO_8859_1)).isEqualTo(RipserArgs.USAGE);
            err.reset();
            // "--" and unknown options are file names for Ripser
            assertThat(Main.run("ripser", "--")).isEqualTo(255);
            assertThat(err.toString(StandardCharsets.ISO_8859_1)).isEqualTo("couldn't open file --\n");
            err.reset();
            assertThat(Main.run("ripser", "-h")).isEqualTo(255);
            assertThat(err.toString(StandardCharsets.ISO_8859_1)).isEqualTo("couldn't open file -h\n");
            assertThat(out.size()).isZero();
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
        }
    }
}
