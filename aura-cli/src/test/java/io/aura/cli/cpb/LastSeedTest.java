package io.aura.cli.cpb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed ranges may end at the largest seed, Long.MAX_VALUE: a loop {@code for (seed = a; seed <= b; seed++)} never ends
 * there (seed++ wraps to Long.MIN_VALUE) and filled the heap. Run in a child JVM with a small heap and a time limit,
 * so that a regression fails the test instead of the build's JVM.
 */
class LastSeedTest {
    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {
    }

    private Result run(String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.aura.cli.Main"));
        cmd.addAll(List.of(args));
        Path out = tmp.resolve("stdout.txt");
        Path err = tmp.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("still running after 120 s: " + String.join(" ", args));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void motterLaiRunsTheLastSeed() throws Exception {
        Result r = run("bench", "motter-lai", "--nodes", "20", "--seeds", "9223372036854775806-9223372036854775807", "--alpha", "0.2",
                "--defense", "none", "--threads", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines()).hasSize(2);
        assertThat(r.out()).contains("\"seed\":9223372036854775807");
    }

    @Test
    void criticalAndFluidCheckRunTheLastSeed() throws Exception {
        Path topo = tmp.resolve("pair.json");
        Files.writeString(topo, "{\"agents\": [{\"id\": \"a\", \"role\": \"entry\"}, {\"id\": \"b\", \"role\": \"db\"}],"
                + " \"edges\": [{\"from\": \"a\", \"to\": \"b\"}], \"entryRate\": 20}");
        Result r = run("bench", "critical", "--topology", topo.toString(), "--seeds", "9223372036854775806-9223372036854775807",
                "--duration", "900", "--threads", "1", "--quiet", "--out", tmp.resolve("crit").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(tmp.resolve("crit/critical.json"))).contains("9223372036854775807");
        r = run("bench", "fluid-check", "--topology", topo.toString(), "--seeds", "9223372036854775807", "--fault", "none",
                "--duration", "300", "--quiet", "--out", tmp.resolve("fluid").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(tmp.resolve("fluid/fluid-check.csv"))).contains("9223372036854775807");
    }
}
