package io.aura.cli.cpb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code aura bench critical} on examples/topology-small.json (12 agents), 2 seeds, T = 900 s. */
class CriticalCommandTest {
    @TempDir
    Path tmp;

    @TempDir
    static Path shared;

    private static final String SMALL = Path.of("..", "examples", "topology-small.json").toString();
    private static final List<String> RANKINGS = List.of("aura", "degree", "betweenness", "dependents-pagerank", "utilisation");

    private static String[] run(Path out, String threads) {
        return CpbCommandArgsTest.run("bench", "critical", "--topology", SMALL, "--seeds", "1-2", "--duration", "900",
                "--threads", threads, "--out", out.toString());
    }

    @Test
    void writesCriticalJsonAndReportAndRepeatsItself() throws Exception {
        Path a = tmp.resolve("a");
        String[] r = run(a, "2");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[2]).contains("critical b0+aura: 2/2 episodes (100%)").contains("critical immune: 24/24 episodes (100%)")
                .contains("critical: wrote " + a + " (12 agents, 12 candidates, 26 episodes");
        JsonNode root = new ObjectMapper().readTree(a.resolve("critical.json").toFile());

        JsonNode m = root.get("manifest");
        assertThat(m.get("tool").asText()).isEqualTo("aura bench critical");
        assertThat(m.get("topology").asText()).isEqualTo("small-shop");
        assertThat(m.get("agents").asInt()).isEqualTo(12);
        assertThat(m.get("seeds").get("count").asInt()).isEqualTo(2);
        assertThat(m.get("duration_sec").asLong()).isEqualTo(900);
        assertThat(m.get("fault").asText()).isEqualTo("F_STD");
        assertThat(m.get("guard_version").asText()).startsWith("aura-");
        assertThat(m.get("candidates").get("count").asInt()).isEqualTo(12);
        assertThat(m.get("bootstrap").get("replicates").asInt()).isEqualTo(10_000);

        JsonNode b0 = root.get("b0");
        assertThat(b0).hasSize(2);
        double meanB0 = (b0.get(0).get("S").asDouble() + b0.get(1).get("S").asDouble()) / 2;
        assertThat(root.get("S_b0_mean").asDouble()).isCloseTo(meanB0, within(1e-12));

        JsonNode agents = root.get("agents");
        assertThat(agents).hasSize(12);
        assertThat(agents.get(0).get("name").asText()).isEqualTo("gateway");
        for (JsonNode ag : agents) {
            assertThat(ag.get("candidate").asBoolean()).isTrue();
            double crit = ag.get("crit").asDouble();
            assertThat(crit).isCloseTo(ag.get("S_b0_mean").asDouble() - ag.get("S_immune_mean").asDouble(), within(1e-12));
            assertThat(ag.get("S_b0_mean").asDouble()).isCloseTo(meanB0, within(1e-12));
            assertThat(ag.get("ci95_lower").asDouble()).isLessThanOrEqualTo(crit + 1e-12);
            assertThat(ag.get("ci95_upper").asDouble()).isGreaterThanOrEqualTo(crit - 1e-12);
            assertThat(ag.get("S_immune_by_seed")).hasSize(2);
            for (String k : RANKINGS) {
                assertThat(ag.get("scores").has(k)).as(k).isTrue();
                assertThat(ag.get("ranks").get(k).asInt()).isBetween(1, 12);
            }
        }
        for (String k : RANKINGS) {
            JsonNode ranking = root.get("rankings").get(k);
            Set<Integer> ids = new HashSet<>();
            ranking.forEach(x -> ids.add(x.asInt()));
            assertThat(ids).as(k).hasSize(12);
            // the first of each ranking has rank 1 in the agents' entries
            assertThat(agents.get(ranking.get(0).asInt()).get("ranks").get(k).asInt()).isEqualTo(1);
            JsonNode met = root.get("metrics").get(k);
            for (String key : List.of("precision@5", "precision@10", "precision@1%", "ndcg@5", "ndcg@10", "ndcg@1%")) {
                assertThat(met.has(key)).as(k + " " + key).isTrue();
            }
            assertThat(met.get("precision@10").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(root.get("k").get("1%").asInt()).isEqualTo(1);
        JsonNode t7 = root.get("t7");
        for (String c : List.of("precision@10", "ndcg@10", "margin_over_best_baseline")) {
            assertThat(t7.get(c).get("status").asText()).as(c).isIn("met", "missed", "undefined");
        }
        assertThat(t7.get("precision@10").get("target").asDouble()).isEqualTo(0.7);
        assertThat(t7.get("overall").asText()).isIn("met", "missed", "undefined");
        assertThat(t7.get("precision@10").get("value").asDouble())
                .isEqualTo(root.get("metrics").get("aura").get("precision@10").asDouble());
        String report = Files.readString(a.resolve("report.md"));
        assertThat(report).contains("# Critical agents (CPB 6.7): topology small-shop").contains("## T7 verdict: ")
                .contains("| dependents-pagerank |");

        // one thread gives the same numbers
        Path b = tmp.resolve("b");
        assertThat(run(b, "1")[0]).isEqualTo("0");
        JsonNode again = new ObjectMapper().readTree(b.resolve("critical.json").toFile());
        for (String key : List.of("b0", "agents", "rankings", "metrics", "t7")) {
            assertThat(again.get(key)).as(key).isEqualTo(root.get(key));
        }
    }

    static Stream<Arguments> badArgs() throws Exception {
        String out = shared.resolve("new").toString();
        return Stream.of(
                Arguments.of(List.of("--seeds", "1-2", "--out", out), "give --family NAME or --topology FILE"),
                Arguments.of(List.of("--family", "nope", "--seeds", "1-2", "--out", out), "unknown graph family 'nope'"),
                Arguments.of(List.of("--topology", SMALL, "--seeds", "3", "--out", out), "is one seed"),
                Arguments.of(List.of("--topology", SMALL, "--seeds", "3-1", "--out", out), "--seeds range '3-1' is empty"),
                Arguments.of(List.of("--topology", SMALL, "--seeds", "1-2"), "missing --out DIR"),
                Arguments.of(List.of("--topology", SMALL, "--seeds", "1-2", "--fault", "none", "--out", out), "--fault none"),
                Arguments.of(List.of("--topology", SMALL, "--seeds", "1-2", "--fault", "f9", "--out", out), "unknown --fault 'f9'"),
                Arguments.of(List.of("--topology", SMALL, "--seeds", "1-2", "--duration", "600", "--out", out), "too short for a fault"),
                Arguments.of(List.of("--topology", SMALL, "--seeds", "1-2", "--threads", "0", "--out", out), "--threads must be >= 1"),
                Arguments.of(List.of("--topology", shared.resolve("none.json").toString(), "--seeds", "1-2", "--out", out),
                        "none.json: no such file"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badArgs")
    void badInputExitsTwoWithOneLine(List<String> args, String expected) {
        List<String> all = new ArrayList<>(List.of("bench", "critical"));
        all.addAll(args);
        String[] r = CpbCommandArgsTest.run(all.toArray(new String[0]));
        assertThat(r[0]).as(r[2]).isEqualTo("2");
        assertThat(r[2]).startsWith("aura bench critical: ").contains(expected);
        assertThat(r[2].strip()).doesNotContain("\n").doesNotContain("Exception");
        assertThat(Files.exists(shared.resolve("new"))).isFalse();
    }
}
