package io.aura.cli.cpb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bench cpb run stopped from outside (Ctrl-C, kill, a CI timeout) says what it left in --out. */
class CpbStopTest {
    @TempDir
    Path tmp;

    @Test
    void aStoppedRunSaysHowManyEpisodesItWroteAndThatItIsIncomplete() throws Exception {
        Path out = tmp.resolve("run");
        String java = ProcessHandle.current().info().command().orElse("java");
        String topo = Path.of("..", "examples", "topology-small.json").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.aura.cli.Main", "bench", "cpb",
                "--topology", topo, "--seeds", "1-200", "--arms", "b0", "--duration", "900", "--threads", "1", "--quiet",
                "--out", out.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(tmp.resolve("stderr.txt").toFile()).start(); // destroy() closes the process's pipes
        Path csv = out.resolve("episodes.csv");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        // wait for the header and two episodes' rows, then stop the run as kill or a terminal's Ctrl-C would (SIGTERM)
        while ((!Files.exists(csv) || Files.readAllLines(csv).size() < 3) && System.nanoTime() < deadline && p.isAlive()) {
            Thread.sleep(100);
        }
        assertThat(p.isAlive()).as("the run ended before it could be stopped").isTrue();
        p.destroy();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(tmp.resolve("stderr.txt"), StandardCharsets.UTF_8);
        List<String> rows = Files.readAllLines(csv);
        int written = rows.size() - 1;
        assertThat(err).as(err).startsWith("aura bench cpb: stopped after " + written + " of 200 episodes;")
                .contains(out.toString()).contains("complete: false").doesNotContain("Exception");
        assertThat(err.strip().lines()).hasSize(1);
        assertThat(Files.readAllLines(out.resolve("manifests.jsonl"))).hasSize(written);
        assertThat(new ObjectMapper().readTree(out.resolve("manifest.json").toFile()).path("complete").asBoolean()).isFalse();
        assertThat(out.resolve("summary.json")).doesNotExist();
        assertThat(out.resolve("report.md")).doesNotExist();
    }

    /**
     * On a terminal the progress line is rewritten in place and never ends with a line break, so the note starts on a
     * line of its own instead of being glued to "cpb: 5/80 episodes ...".
     */
    @Test
    void onATerminalTheNoteStartsOnItsOwnLine() {
        java.io.StringWriter out = new java.io.StringWriter();
        new CpbCommand.StopNote(new java.io.PrintWriter(out), Path.of("runs", "x"), 80, true).run();
        assertThat(out.toString()).startsWith(System.lineSeparator() + "aura bench cpb: stopped after 0 of 80 episodes;");
        out = new java.io.StringWriter();
        new CpbCommand.StopNote(new java.io.PrintWriter(out), Path.of("runs", "x"), 80, false).run();
        assertThat(out.toString()).startsWith("aura bench cpb: stopped after 0 of 80 episodes;");
    }
}
