package io.aura.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchCommandTest {
    @Test
    void printsOneJsonLinePerRunInDeterministicOrder() throws Exception {
        CliRun r = CliRun.of("bench", "motter-lai", "--nodes", "200", "--m", "2", "--seeds", "1-2", "--alpha", "0.2,0.1",
                "--defense", "none,lowload", "--fraction", "0.3", "--threads", "2");
        assertThat(r.code()).as(r.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : r.out().strip().split("\n")) {
            lines.add(mapper.readTree(line));
        }
        assertThat(lines).hasSize(2 * 2 * 2);
        List<String> keys = new ArrayList<>();
        lines.get(0).fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("seed", "alpha", "defense", "fraction", "G", "S", "failed", "steps");
        String[] expectedOrder = {"1 0.2 none", "1 0.2 lowload", "1 0.1 none", "1 0.1 lowload",
            "2 0.2 none", "2 0.2 lowload", "2 0.1 none", "2 0.1 lowload"};
        for (int i = 0; i < lines.size(); i++) {
            JsonNode l = lines.get(i);
            assertThat(l.get("seed").asLong() + " " + l.get("alpha").asDouble() + " " + l.get("defense").asText())
                    .isEqualTo(expectedOrder[i]);
            assertThat(l.get("G").isDouble()).isTrue();
            assertThat(l.get("S").isDouble()).isTrue();
        }
        assertThat(lines.get(0).get("fraction").asDouble()).isZero();
        // values of the independent Python reference of CPB section 9 (see MotterLaiTest)
        assertThat(lines.get(0).get("failed").asInt()).isEqualTo(121);
        assertThat(lines.get(0).get("G").asDouble()).isEqualTo(0.2);
        assertThat(lines.get(3).get("failed").asInt()).isEqualTo(26);
        assertThat(lines.get(3).get("G").asDouble()).isEqualTo(0.535);
        assertThat(lines.get(3).get("fraction").asDouble()).isEqualTo(0.3);
        assertThat(lines.get(4).get("failed").asInt()).isEqualTo(118);
        assertThat(lines.get(4).get("steps").asInt()).isEqualTo(3);
    }

    @Test
    void outputDoesNotDependOnThreadCount() {
        String[] args = {"bench", "motter-lai", "--nodes", "150", "--seeds", "3-5", "--alpha", "0.3",
            "--defense", "random,none", "--fraction", "0.1,0.2"};
        CliRun one = CliRun.of(concat(args, "--threads", "1"));
        CliRun two = CliRun.of(concat(args, "--threads", "3"));
        assertThat(one.code()).isZero();
        assertThat(two.out()).isEqualTo(one.out());
        assertThat(one.out().lines().count()).isEqualTo(3 * 3);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void largeGraphsUsePivotSampling() throws Exception {
        CliRun r = CliRun.of("bench", "motter-lai", "--nodes", "6000", "--seeds", "1", "--alpha", "0.3", "--defense", "none",
                "--pivots", "64");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode l = new ObjectMapper().readTree(r.out().strip());
        assertThat(l.get("G").asDouble()).isBetween(0.0, 1.0);
        assertThat(l.get("defense").asText()).isEqualTo("none");
    }

    @Test
    void badArgumentsExitWith2AndAClearMessage() {
        CliRun r = CliRun.of("bench", "motter-lai", "--seeds", "5-2");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("5-2").doesNotContain("Exception").doesNotContain("\tat ");
        r = CliRun.of("bench", "motter-lai", "--alpha", "0.1,-0.5");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("-0.5").doesNotContain("\tat ");
        r = CliRun.of("bench", "motter-lai", "--defense", "none,shed");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown --defense 'shed'");
        r = CliRun.of("bench", "motter-lai", "--alpha", "0.1,0.10");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--alpha lists 0.10 twice");
        r = CliRun.of("bench", "motter-lai", "--defense", "none,None");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--defense lists none twice");
        r = CliRun.of("bench", "motter-lai", "--fraction", "1.5");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("1.5");
        r = CliRun.of("bench", "motter-lai", "--nodes", "ten");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("ten");
    }

    /**
     * An option value picocli cannot convert, an unknown option or a repeated one is, like every other bad input of
     * the bench commands, one line naming the command and the option (docs/cpb.md, "Errors"), not the whole usage.
     */
    @Test
    void optionParseErrorsOfTheBenchCommandsAreOneLine() {
        String[][] cases = {
            {"bench", "cpb", "--topology", "x.json", "--seeds", "1", "--arms", "b0", "--duration", "abc", "--out", "o"},
            {"bench", "cpb", "--topology", "x.json", "--seeds", "1", "--arms", "b0", "--duration", "900", "--duration", "1000"},
            {"bench", "cpb", "--topology", "x.json", "--seeds", "1", "--arms", "b0", "--thread", "1", "--out", "o"},
            {"bench", "critical", "--topology", "x.json", "--seeds", "1-2", "--threads", "two", "--out", "o"},
            {"bench", "motter-lai", "--nodez", "100"},
        };
        String[] expected = {"'--duration': 'abc'", "'--duration'", "'--thread'", "'--threads': 'two'", "'--nodez'"};
        for (int i = 0; i < cases.length; i++) {
            CliRun r = CliRun.of(cases[i]);
            String command = "aura " + cases[i][0] + " " + cases[i][1] + ": ";
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).as(r.err()).startsWith(command).contains(expected[i])
                    .contains("aura " + cases[i][0] + " " + cases[i][1] + " --help").doesNotContain("Usage:");
            assertThat(r.err().strip()).as(r.err()).doesNotContain("\n");
        }
        // the suggestion picocli makes for a misspelt option is kept
        assertThat(CliRun.of(cases[2]).err()).contains("--threads");
    }

    /** A graph too large for the generator is bad input (one line, exit 2), not a crash with a stack trace. */
    @Test
    void aGraphTooLargeForTheGeneratorIsOneLineNotAStackTrace() {
        CliRun r = CliRun.of("bench", "motter-lai", "--nodes", "2000000000", "--seeds", "1", "--alpha", "0.2",
                "--defense", "none", "--threads", "1");
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("aura bench motter-lai: ").contains("BA(2000000000, 2) has too many edges")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.err().strip()).doesNotContain("\n");
        assertThat(r.out()).isEmpty();
    }
}
