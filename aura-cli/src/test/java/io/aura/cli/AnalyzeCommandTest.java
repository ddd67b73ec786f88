package io.aura.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeCommandTest {
    @TempDir
    Path dir;

    /** 24 points on the unit circle: one H1 class from the side length to the circumradius-ish scale. */
    private Path circle() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            double a = 2 * Math.PI * i / 24;
            sb.append(String.format(Locale.ROOT, "%.9f,%.9f%n", Math.cos(a), Math.sin(a)));
        }
        Path f = dir.resolve("circle.csv");
        Files.writeString(f, sb);
        return f;
    }

    @Test
    void jsonDocumentHasDiagramsAndSummaries() throws IOException {
        CliRun r = CliRun.of("analyze", circle().toString(), "--dim", "1", "--json", "--scale", "0.5");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.at("/algorithm").asText()).isEqualTo("persistent_homology");
        assertThat(doc.at("/input/points").asInt()).isEqualTo(24);
        assertThat(doc.at("/input/ambient_dimension").asInt()).isEqualTo(2);
        assertThat(doc.at("/filtration/threshold_kind").asText()).isEqualTo("enclosing_radius");
        JsonNode h1 = doc.at("/diagrams/1/intervals");
        assertThat(h1.size()).isEqualTo(1);
        double birth = h1.get(0).get(0).asDouble();
        double death = h1.get(0).get(1).asDouble();
        double side = 2 * Math.sin(Math.PI / 24);
        assertThat(birth).isCloseTo(side, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(death).isGreaterThan(1.5);
        // H0: 23 finite bars of the side length and one essential class (null death)
        JsonNode h0 = doc.at("/diagrams/0/intervals");
        assertThat(h0.size()).isEqualTo(24);
        assertThat(h0.get(23).get(1).isNull()).isTrue();
        assertThat(doc.at("/betti_numbers/values").toString()).isEqualTo("[1,1]");
        assertThat(doc.at("/summaries/1/count").asInt()).isEqualTo(1);
        assertThat(doc.at("/summaries/1/max_persistence").asDouble()).isCloseTo(death - birth,
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(doc.at("/betti_curves/curves").size()).isEqualTo(2);
        assertThat(doc.at("/betti_curves/curves/1").size()).isEqualTo(64);
    }

    /** An edge list naming each edge from both ends is one graph: a path has no loop (the multigraph reading gave three). */
    @Test
    void aSparseListWithRepeatedPairsIsMergedWithANote() throws IOException {
        Path path = write("path.txt", "0 1 1\n1 0 1\n1 2 1\n2 1 1\n2 3 1\n3 2 1\n");
        CliRun r = CliRun.of("analyze", "--format", "sparse", path.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("note: 3 pairs are listed more than once (the first: 0 1); each keeps its smallest distance");
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.at("/betti_numbers/values").toString()).isEqualTo("[1,0]");
        assertThat(doc.at("/diagrams/1/intervals").size()).isZero();
        CliRun triangle = CliRun.of("analyze", "--format", "sparse", write("tri.txt", "0 1 1\n1 2 2\n0 2 3\n0 1 0.5\n").toString());
        assertThat(triangle.code()).as(triangle.err()).isZero();
    }

    /** Past the --threshold the filtration is unknown: classes it never closed would be counted as alive. */
    @Test
    void aScaleBeyondTheThresholdIsRefused() throws IOException {
        CliRun r = CliRun.of("analyze", circle().toString(), "--threshold", "0.3", "--scale", "5");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--scale must be in 0..the --threshold (0.3)");
        assertThat(CliRun.of("analyze", circle().toString(), "--scale", "-1").code()).isEqualTo(2);
        assertThat(CliRun.of("analyze", circle().toString(), "--threshold", "0.3", "--scale", "0.3").code()).isZero();
    }

    @Test
    void textOutputSummarises() throws IOException {
        CliRun r = CliRun.of("analyze", circle().toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("24 points").contains("H1").contains("Betti numbers");
    }

    @Test
    void badInputIsAClearErrorWithoutStackTrace() throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "1,2\n3,x\n");
        CliRun r = CliRun.of("analyze", bad.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("aura analyze:").doesNotContain("Exception").doesNotContain("\tat ");
        CliRun ragged = CliRun.of("analyze", write("ragged.csv", "1,2\n3,4,5\n").toString());
        assertThat(ragged.code()).isEqualTo(2);
        assertThat(ragged.err()).contains("aura analyze:");
        CliRun missing = CliRun.of("analyze", dir.resolve("nope.csv").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file");
        CliRun format = CliRun.of("analyze", circle().toString(), "--format", "xml");
        assertThat(format.code()).isEqualTo(2);
        assertThat(format.err()).contains("unknown --format");
        CliRun modulus = CliRun.of("analyze", circle().toString(), "--modulus", "4");
        assertThat(modulus.code()).isEqualTo(2);
        assertThat(modulus.err()).contains("modulus");
    }

    /**
     * A bad option is refused before the input is read, under its own name: '--dim -1' said "maxDimension
     * must be in 0..16" and only after reading the whole input (with no FILE, after the user ended standard
     * input), and a directory given as FILE was "Is a directory" without its name.
     */
    @Test
    void badOptionsAreRefusedBeforeTheInputIsReadNamingTheOption() {
        String missing = dir.resolve("not-read.csv").toString();
        CliRun d = CliRun.of("analyze", missing, "--dim", "-1");
        assertThat(d.code()).isEqualTo(2);
        assertThat(d.err()).isEqualTo("aura analyze: --dim must be in 0..16, got -1" + System.lineSeparator());
        CliRun t = CliRun.of("analyze", missing, "--threads", "0");
        assertThat(t.err()).contains("--threads must be in 1..1024, got 0");
        CliRun m = CliRun.of("analyze", missing, "--modulus", "4");
        assertThat(m.err()).contains("modulus must be a prime").doesNotContain("no such file");
        CliRun directory = CliRun.of("analyze", dir.toString());
        assertThat(directory.code()).isEqualTo(2);
        assertThat(directory.err()).startsWith("aura analyze: " + dir + ": cannot read: ");
    }

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    /** Out of memory is one error line and exit 2, not a stack trace (a child JVM with a 48 MB heap). */
    @Test
    void outOfMemoryIsOneErrorLine() throws Exception {
        java.util.Random rnd = new java.util.Random(5);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            sb.append(String.format(Locale.ROOT, "%.6f,%.6f,%.6f%n", rnd.nextDouble(), rnd.nextDouble(), rnd.nextDouble()));
        }
        Path f = dir.resolve("cloud.csv");
        Files.writeString(f, sb);
        String javaCmd = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(javaCmd, "-Xmx48m", "-cp", System.getProperty("java.class.path"), "io.aura.cli.Main",
                "analyze", f.toString(), "--dim", "4").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("err.txt").toFile()).start();
        boolean ended = p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS); // bounded: reading stderr first waited for ever on a hung child
        if (!ended) {
            p.destroyForcibly();
        }
        String err = Files.readString(dir.resolve("err.txt"));
        assertThat(ended).as(err).isTrue();
        assertThat(p.exitValue()).as(err).isEqualTo(2);
        assertThat(err).startsWith("aura analyze: out of memory").contains("--dim").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(err.strip().lines()).hasSize(1);
    }
}
