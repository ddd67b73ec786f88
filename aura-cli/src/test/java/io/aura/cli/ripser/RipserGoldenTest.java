package io.aura.cli.ripser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every golden case of Ripser 1.2.1 outputs in the test resource folders
 * {@code ripser-golden/} (the project corpus) and {@code ripser-cases/} (small hand-made cases):
 * {@code NAME.args} holds argv, one element per line, with input paths relative to the folder;
 * {@code NAME.stdin}, when present, names the file fed on standard input; {@code NAME.out} is the
 * exact stdout and {@code NAME.rc} the exit status. Sub-folders (such as {@code quirks/}, cases
 * where Ripser crashes) are not run. The cases named in {@code ripser-deviations.txt} are deliberate
 * deviations: there {@code aura ripser} must print nothing on stdout and exit 255.
 */
class RipserGoldenTest {
    static final List<String> FOLDERS = List.of("ripser-golden", "ripser-cases");

    static Set<String> deviations() throws IOException {
        Set<String> names = new HashSet<>();
        try (InputStream in = RipserGoldenTest.class.getResourceAsStream("/ripser-deviations.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    names.add(line.strip().split("\\s+")[0]);
                }
            }
        }
        return names;
    }

    @TestFactory
    Stream<DynamicTest> goldenCases() throws IOException, URISyntaxException {
        List<DynamicTest> tests = new ArrayList<>();
        Set<String> deviations = deviations();
        for (String folder : FOLDERS) {
            URL url = RipserGoldenTest.class.getResource("/" + folder);
            if (url == null) {
                continue;
            }
            Path dir = Path.of(url.toURI());
            try (Stream<Path> files = Files.list(dir)) {
                for (Path args : files.filter(p -> p.getFileName().toString().endsWith(".args")).sorted().toList()) {
                    String name = args.getFileName().toString().replaceFirst("\\.args$", "");
                    boolean deviation = deviations.contains(name);
                    tests.add(DynamicTest.dynamicTest(folder + "/" + name + (deviation ? " (deviation)" : ""),
                            () -> runCase(dir, name, deviation)));
                }
            }
        }
        assertThat(tests).isNotEmpty();
        return tests.stream();
    }

    static void runCase(Path dir, String name, boolean deviation) throws IOException {
        List<String> args = new ArrayList<>();
        for (String a : Files.readAllLines(dir.resolve(name + ".args"), StandardCharsets.ISO_8859_1)) {
            // input paths are relative to the case folder; other arguments stay as they are
            Path p = dir.resolve(a);
            args.add(!a.isEmpty() && !a.startsWith("--") && Files.isRegularFile(p) ? p.toString() : a);
        }
        byte[] stdin = new byte[0];
        Path stdinName = dir.resolve(name + ".stdin");
        if (Files.exists(stdinName)) {
            stdin = Files.readAllBytes(dir.resolve(Files.readString(stdinName, StandardCharsets.ISO_8859_1).strip()));
        }
        byte[] expectedOut = Files.readAllBytes(dir.resolve(name + ".out"));
        int expectedRc = Integer.parseInt(Files.readString(dir.resolve(name + ".rc")).strip());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc;
        try (InputStream in = new ByteArrayInputStream(stdin)) {
            rc = RipserCli.run(args, in, out, new PrintStream(err, true, StandardCharsets.ISO_8859_1));
        }
        if (deviation) {
            assertThat(out.size()).as("stdout of deviation %s", name).isZero();
            assertThat(rc).as("exit status of deviation %s", name).isEqualTo(255);
            assertThat(err.toString(StandardCharsets.ISO_8859_1)).endsWith("\n");
            return;
        }
        assertThat(new String(out.toByteArray(), StandardCharsets.ISO_8859_1))
                .as("stdout of %s (stderr: %s)", name, err.toString(StandardCharsets.ISO_8859_1))
                .isEqualTo(new String(expectedOut, StandardCharsets.ISO_8859_1));
        assertThat(rc).as("exit status of %s", name).isEqualTo(expectedRc);
        Path expectedErr = dir.resolve(name + ".err");
        if (Files.exists(expectedErr) && Files.readString(expectedErr, StandardCharsets.ISO_8859_1).startsWith("Usage:")) {
            assertThat(err.toString(StandardCharsets.ISO_8859_1)).isEqualTo(RipserArgs.USAGE);
        }
    }
}
