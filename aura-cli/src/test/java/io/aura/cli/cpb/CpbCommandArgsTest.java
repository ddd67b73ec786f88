package io.aura.cli.cpb;

import static org.assertj.core.api.Assertions.assertThat;

import io.aura.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class CpbCommandArgsTest {
    @TempDir
    static Path tmp;

    static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main()).setExpandAtFiles(false);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    static Stream<Arguments> badArgs() throws Exception {
        Path busy = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(busy.resolve("x.txt"), "x");
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"agents\": [{\"id\": \"a\", \"role\": 7}]}");
        Path file = tmp.resolve("file.txt");
        Files.writeString(file, "x");
        String out = tmp.resolve("new").toString();
        return Stream.of(
                Arguments.of(new String[] {"--seeds", "1-2", "--arms", "b0", "--out", out}, "give --family NAME or --topology FILE"),
                Arguments.of(new String[] {"--family", "x", "--topology", "y", "--seeds", "1", "--arms", "b0", "--out", out},
                        "give either --family or --topology, not both"),
                Arguments.of(new String[] {"--topology", bad.toString(), "--arms", "b0", "--out", out}, "missing --seeds A-B"),
                Arguments.of(new String[] {"--topology", bad.toString(), "--seeds", "1", "--out", out}, "missing --arms LIST; accepted: b0, b0-noretry, b0-notimeout, b1-r4j, b1-hyx, b2, b3, b4, aura, aura-shed, aura-no-throttle, aura-no-latency, aura-predict, rand-budget"),
                Arguments.of(new String[] {"--topology", bad.toString(), "--seeds", "1", "--arms", "b0"}, "missing --out DIR"),
                Arguments.of(new String[] {"--topology", bad.toString(), "--seeds", "5-2", "--arms", "b0", "--out", out},
                        "--seeds range '5-2' is empty: 2 < 5"),
                Arguments.of(new String[] {"--topology", bad.toString(), "--seeds", "a-b", "--arms", "b0", "--out", out},
                        "--seeds must be A-B or A with non-negative integers, got 'a-b'"),
                Arguments.of(new String[] {"--topology", bad.toString(), "--seeds", "1", "--arms", "b0,zz", "--out", out},
                        "unknown arm 'zz'; accepted: b0"),
                Arguments.of(new String[] {"--topology", bad.toString(), "--seeds", "1", "--arms", "b0,b0", "--out", out},
                        "arm 'b0' is listed twice"),
                Arguments.of(new String[] {"--topology", bad.toString(), "--seeds", "1", "--arms", "b0,rand-budget", "--out", out},
                        "arm rand-budget replays the action budget of a SUT arm"),
                Arguments.of(new String[] {"--family", "dsb-sn", "--seeds", "1", "--arms", "b0,b3", "--dynamics", "fluid", "--out", out},
                        "arm 'b3' cannot run on --dynamics fluid: the fluid model has no in-simulator baselines"),
                Arguments.of(new String[] {"--family", "dsb-sn", "--seeds", "1", "--arms", "b0", "--dynamics", "mean-field", "--out", out},
                        "--dynamics must be des or fluid, got 'mean-field'"),
                Arguments.of(new String[] {"--family", "dsb-sn", "--seeds", "1", "--arms", "b0", "--dynamics", "fluid", "--step", "0.3",
                        "--out", out}, "--step 0.3: the fluid step must divide one second"),
                Arguments.of(new String[] {"--family", "dsb-sn", "--seeds", "1", "--arms", "b0", "--step", "1", "--out", out},
                        "--step applies to --dynamics fluid only"),
                Arguments.of(new String[] {"--family", "dsb-sn", "--seeds", "1", "--arms", "b0", "--dynamics", "fluid", "--step", "-1",
                        "--out", out}, "--step must be a positive number of seconds"),
                Arguments.of(new String[] {"--family", "dsb-sn", "--seeds", "1", "--arms", "b0,b3", "--feature-scores", "--out", out},
                        "--feature-scores scores AURA's features, but no SUT arm is in --arms b0,b3; add one of aura"),
                Arguments.of(new String[] {"--topology", bad.toString(), "--seeds", "1", "--arms", "b0", "--fault", "f9", "--out", out},
                        "unknown --fault 'f9'; accepted: none, f1-agent"),
                Arguments.of(new String[] {"--topology", bad.toString(), "--seeds", "1", "--arms", "b0", "--duration", "600", "--out", out},
                        "--duration 600 s is too short for a fault"),
                Arguments.of(new String[] {"--topology", bad.toString(), "--seeds", "1", "--arms", "b0", "--load", "-1", "--out", out},
                        "--load must be a number > 0 and at most 10"),
                Arguments.of(new String[] {"--family", "dsb-sn", "--seeds", "1", "--arms", "b0,b3,b3@2", "--out", out},
                        "arms 'b3' and 'b3@2' are the same baseline with the same settings"),
                Arguments.of(new String[] {"--family", "dsb-sn", "--seeds", "1", "--arms", "b0,b1-r4j@40,b1-r4j@40.0", "--out", out},
                        "arms 'b1-r4j@40' and 'b1-r4j@40.0' are the same baseline"),
                Arguments.of(new String[] {"--topology", bad.toString(), "--seeds", "1", "--arms", "b0", "--load", "0", "--out", out},
                        "--load must be a number > 0 and at most 10"),
                Arguments.of(new String[] {"--topology", bad.toString(), "--seeds", "1", "--arms", "b0", "--load", "1e9", "--out", out},
                        "--load must be a number > 0 and at most 10"),
                Arguments.of(new String[] {"--topology", bad.toString(), "--seeds", "1", "--arms", "b0", "--threads", "0", "--out", out},
                        "--threads must be >= 1"),
                Arguments.of(new String[] {"--topology", bad.toString(), "--seeds", "1", "--arms", "b0", "--fault-scale", "0", "--out", out},
                        "--fault-scale must be a finite number > 0"),
                Arguments.of(new String[] {"--topology", bad.toString(), "--seeds", "1", "--arms", "b0", "--out", busy.toString()},
                        "is not empty; choose a new directory or add --force"),
                Arguments.of(new String[] {"--topology", bad.toString(), "--seeds", "1", "--arms", "b0", "--out", file.toString()},
                        "exists and is not a directory"),
                Arguments.of(new String[] {"--topology", bad.toString(), "--seeds", "1", "--arms", "b0", "--out", out},
                        "bad.json:1:33 (agents[0].role): found a number; expected a role"),
                Arguments.of(new String[] {"--family", "ali-x", "--seeds", "1", "--arms", "b0", "--out", out}, "ali-x"),
                Arguments.of(new String[] {"--topology", tmp.resolve("none.json").toString(), "--seeds", "1", "--arms", "b0", "--out", out},
                        "none.json: no such file"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badArgs")
    void badInputExitsTwoWithOneLine(String[] args, String expected) {
        String[] all = new String[args.length + 2];
        all[0] = "bench";
        all[1] = "cpb";
        System.arraycopy(args, 0, all, 2, args.length);
        String[] r = run(all);
        assertThat(r[0]).as(r[2]).isEqualTo("2");
        assertThat(r[2]).startsWith("aura bench cpb: ").contains(expected);
        assertThat(r[2].strip()).doesNotContain("\n").doesNotContain("Exception");
        assertThat(Files.exists(tmp.resolve("new"))).isFalse();
    }
}
