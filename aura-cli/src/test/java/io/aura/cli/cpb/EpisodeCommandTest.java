package io.aura.cli.cpb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code aura bench episode} on DSB-SN seed 3 (an F3 fault that takes four agents down under every
 * arm) with b0 and AURA, checked against {@code bench cpb} on the same seed.
 */
class EpisodeCommandTest {
    @TempDir
    static Path tmp;

    static Path explained;
    static Path cpb;
    static String[] result;

    @BeforeAll
    static void runBoth() {
        explained = tmp.resolve("episode");
        result = CpbCommandArgsTest.run("bench", "episode", "--family", "dsb-sn", "--seed", "3", "--arms", "b0,aura",
                "--agents", "compose-post,5", "--duration", "1200", "--threads", "2", "--out", explained.toString());
        cpb = tmp.resolve("cpb");
        CpbCommandArgsTest.run("bench", "cpb", "--family", "dsb-sn", "--seeds", "3", "--arms", "b0,aura", "--duration", "1200",
                "--threads", "2", "--quiet", "--out", cpb.toString());
    }

    @Test
    void theEpisodesAreBenchCpbsAndTheFailedAgentsAddUpToS() throws Exception {
        assertThat(result[0]).as(result[2]).isEqualTo("0");
        Map<String, String[]> cpbRows = new HashMap<>();
        List<String> lines = Files.readAllLines(cpb.resolve("episodes.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            cpbRows.put(f[0], f);
        }
        JsonNode root = new ObjectMapper().readTree(explained.resolve("episode.json").toFile());
        assertThat(root.get("arms")).hasSize(2);
        for (JsonNode arm : root.get("arms")) {
            String[] row = cpbRows.get(arm.get("arm").asText());
            assertThat(arm.get("trace_sha256").asText()).isEqualTo(row[header.indexOf("trace_sha256")]);
            double s = Double.parseDouble(row[header.indexOf("S")]);
            assertThat(arm.get("S").asDouble()).isEqualTo(s);
            // S counts the agents outside F0 that were FAILED at some tick after t_f: exactly the listed ones
            int others = root.get("manifest").get("agents").asInt() - arm.get("faulted").size();
            assertThat(arm.get("failed").size() / (double) others).isEqualTo(s);
            assertThat(arm.get("actions").asInt()).isEqualTo(Integer.parseInt(row[header.indexOf("actions")]));
            double tf = arm.get("t_f_s").asDouble();
            for (JsonNode f : arm.get("failed")) {
                assertThat(f.get("first_failed_s").asDouble()).isGreaterThanOrEqualTo(Math.floor(tf));
                assertThat(f.get("name").asText()).isNotEmpty();
            }
        }
        assertThat(root.get("arms").get(1).get("actions").asInt()).isPositive();
        assertThat(result[2]).contains("FAILED under aura, not under b0:").contains("FAILED under b0, not under aura:");
    }

    @Test
    void theFilesNameTheAgentsAndTheTimelineHasOneRowPerArmSecondAndAgent() throws Exception {
        List<String> actions = Files.readAllLines(explained.resolve("actions.csv"));
        assertThat(actions.get(0)).isEqualTo("arm,t_s,kind,agent,agent_name,callee,callee_name,value,duration_ms");
        JsonNode root = new ObjectMapper().readTree(explained.resolve("episode.json").toFile());
        assertThat(actions).hasSize(1 + root.get("arms").get(1).get("actions").asInt());
        for (String a : actions.subList(1, actions.size())) {
            String[] f = a.split(",", -1);
            assertThat(f[0]).isEqualTo("aura");
            assertThat(f[4]).isNotEmpty(); // the agent's name, mapped back from the guard's permuted id
        }
        List<String> failures = Files.readAllLines(explained.resolve("failures.csv"));
        int listed = root.get("arms").get(0).get("failed").size() + root.get("arms").get(1).get("failed").size();
        assertThat(failures).hasSize(1 + listed);

        List<String> timeline = Files.readAllLines(explained.resolve("timeline.csv"));
        assertThat(timeline.get(0) + "\n").isEqualTo(EpisodeExplain.TIMELINE_HEADER);
        assertThat(timeline).hasSize(1 + 2 * 1200 * 2);
        String[] b0 = timeline.get(1).split(",", -1);
        assertThat(b0[0]).isEqualTo("b0");
        assertThat(b0[1]).isEqualTo("1");
        assertThat(b0[3]).isEqualTo("compose-post");
        assertThat(b0[b0.length - 1]).as("no risk for a baseline").isEmpty();
        String[] aura = timeline.get(1 + 2 * 1200 + 1).split(",", -1);
        assertThat(aura[0]).isEqualTo("aura");
        assertThat(aura[2]).isEqualTo("5");
        double risk = Double.parseDouble(aura[aura.length - 1]);
        assertThat(risk).isBetween(0.0, 1.0);
        // an agent the arm never took down is never marked
        for (String l : timeline.subList(1, timeline.size())) {
            String[] f = l.split(",", -1);
            assertThat(f[f.length - 2]).isIn("0", "1");
        }
    }

    @Test
    void agentsAreFoundByNameOrIndex() {
        List<String> names = List.of("a", "b", "c");
        assertThat(EpisodeCommand.watchedAgents("c, 0", names, 3)).containsExactly(2, 0);
        assertThat(EpisodeCommand.watchedAgents(null, names, 3)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--family dsb-sn --arms b0 --out O | missing --seed",
        "--family dsb-sn --seed 1 --out O | missing --arms",
        "--family dsb-sn --seed 1 --arms b0 | missing --out",
        "--family dsb-sn --seed 1 --arms b0,nosuch --out O | unknown arm 'nosuch'",
        "--family dsb-sn --seed 1 --arms aura,rand-budget --out O | rand-budget",
        "--family dsb-sn --seed 1 --arms b0 --agents nosuch --out O | no agent named 'nosuch'",
        "--family dsb-sn --seed 1 --arms b0 --agents 99 --out O | index 99 is outside 0..25",
        "--family dsb-sn --seed 1 --arms b0 --agents 1,1 --out O | twice",
        "--family dsb-sn --seed 1 --arms b0 --duration 600 --out O | too short for a fault",
        "--family dsb-sn --seed -4 --arms b0 --out O | --seed must be >= 0",
        "--family nosuch --seed 1 --arms b0 --out O | nosuch"})
    void badInputExitsWithTwoAndOneLine(String args, String message) {
        String[] a = args.replace("O", tmp.resolve("bad").toString()).split(" ");
        String[] full = new String[a.length + 2];
        full[0] = "bench";
        full[1] = "episode";
        System.arraycopy(a, 0, full, 2, a.length);
        String[] r = CpbCommandArgsTest.run(full);
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).startsWith("aura bench episode: ").contains(message);
        assertThat(r[2].strip().lines().count()).isEqualTo(1);
    }
}
