package io.aura.cli.cpb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aura bench cpb} on a tiny topology file: files, columns, keys, determinism. */
class CpbCommandEndToEndTest {
    @TempDir
    Path tmp;

    static final String TOPOLOGY = """
            {"name": "tiny", "entryRate": 30,
             "agents": [{"id": "web", "role": "entry", "cpuMs": 1},
                        {"id": "api", "role": "middle", "cpuMs": 2},
                        {"id": "auth", "role": "middle", "cpuMs": 1, "error": 0.001},
                        {"id": "db", "role": "db", "cpuMs": 3}],
             "edges": [{"from": "web", "to": "api"},
                       {"from": "web", "to": "auth", "probability": 0.5},
                       {"from": "api", "to": "db", "multiplicity": [1, 2], "type": "db"},
                       {"from": "auth", "to": "db", "type": "db"}]}
            """;

    private String[] run(Path out, String threads) throws Exception {
        Path topo = tmp.resolve("tiny.json");
        Files.writeString(topo, TOPOLOGY);
        return CpbCommandArgsTest.run("bench", "cpb", "--topology", topo.toString(), "--seeds", "3-4", "--arms", "b0,b1-hyx",
                "--duration", "900", "--fault", "f2", "--threads", threads, "--out", out.toString());
    }

    @Test
    void writesEveryOutputAndRepeatsItself() throws Exception {
        Path a = tmp.resolve("a");
        String[] r = run(a, "2");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[2]).contains("cpb: 4/4 episodes (100%)").contains("cpb: wrote " + a);
        for (String f : new String[] {"episodes.csv", "manifest.json", "manifests.jsonl", "summary.json", "report.md", "ccdf.png", "pareto.png"}) {
            assertThat(a.resolve(f)).as(f).exists();
        }
        assertThat(ImageIO.read(a.resolve("ccdf.png").toFile())).isNotNull();
        assertThat(ImageIO.read(a.resolve("pareto.png").toFile())).isNotNull();

        List<String> csv = Files.readAllLines(a.resolve("episodes.csv"));
        assertThat(csv).hasSize(5);
        assertThat(List.of(csv.get(0).split(","))).isEqualTo(EpisodeFiles.COLUMNS);
        List<String> keys = new ArrayList<>();
        for (String line : csv.subList(1, 5)) {
            String[] f = line.split(",", -1);
            assertThat(f).hasSize(EpisodeFiles.COLUMNS.size());
            keys.add(f[1] + " " + f[0]);
            assertThat(f[2]).isEqualTo("tiny");
            assertThat(f[3]).isEqualTo("F2_SLOW");
            assertThat(Double.parseDouble(f[6])).isBetween(0.0, 1.0);
            assertThat(f[EpisodeFiles.COLUMNS.indexOf("trace_sha256")]).hasSize(64);
        }
        assertThat(keys).containsExactly("3 b0", "3 b1-hyx", "4 b0", "4 b1-hyx");

        ObjectMapper m = new ObjectMapper();
        JsonNode summary = m.readTree(a.resolve("summary.json").toFile());
        JsonNode arms = summary.get("arms");
        assertThat(arms).hasSize(2);
        assertThat(arms.get(0).get("arm").asText()).isEqualTo("b0");
        JsonNode hyx = arms.get(1);
        for (String k : new String[] {"n", "S", "CCDF", "A", "S_peak_mean", "R_size", "PCR_5%", "PCR_10%", "PCR_25%", "harm_rate", "delta_A"}) {
            assertThat(hyx.has(k)).as(k).isTrue();
        }
        assertThat(hyx.get("n").asInt()).isEqualTo(2);
        assertThat(hyx.get("S").has("p99")).isTrue();
        assertThat(hyx.get("R_size").get("replicates").asInt()).isEqualTo(10_000);
        assertThat(summary.get("run").get("topology_file_sha256").asText()).isEqualTo(Sources.sha256(TOPOLOGY.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(summary.get("run").get("params").get("fault").asText()).isEqualTo("F2_SLOW");
        assertThat(summary.get("run").get("fault_magnitude_scale").asDouble()).isEqualTo(1.0);
        assertThat(summary.get("run").has("regime_calibration")).isFalse();
        List<String> manifests = Files.readAllLines(a.resolve("manifests.jsonl"));
        assertThat(manifests).hasSize(4);
        JsonNode first = m.readTree(manifests.get(0));
        assertThat(first.get("trace_sha256").asText()).isEqualTo(csv.get(1).split(",")[EpisodeFiles.COLUMNS.indexOf("trace_sha256")]);
        assertThat(first.get("seed").asLong()).isEqualTo(3);
        assertThat(first.get("git_sha").asText()).isNotEmpty();

        // the same command again (one thread): identical files apart from wall_ms
        Path b = tmp.resolve("b");
        String[] r2 = run(b, "1");
        assertThat(r2[0]).as(r2[2]).isEqualTo("0");
        assertThat(withoutWall(b)).isEqualTo(withoutWall(a));
        assertThat(Files.readString(b.resolve("summary.json")).replace(b.toString(), ""))
                .isEqualTo(Files.readString(a.resolve("summary.json")).replace(a.toString(), "").replace("\"2\"", "\"1\""));
        assertThat(Files.readAllLines(b.resolve("manifests.jsonl"))).isEqualTo(manifests);

        // an existing non-empty --out is refused without --force, accepted with it
        String[] again = run(a, "1");
        assertThat(again[0]).isEqualTo("2");
        assertThat(again[2]).contains("is not empty");
    }

    private static List<String> withoutWall(Path dir) throws Exception {
        int wall = EpisodeFiles.COLUMNS.indexOf("wall_ms");
        int cpu = EpisodeFiles.COLUMNS.indexOf("cpu_ms");
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("episodes.csv"))) {
            String[] f = line.split(",", -1);
            f[wall] = "";
            f[cpu] = "";
            out.add(String.join(",", f));
        }
        return out;
    }
}
