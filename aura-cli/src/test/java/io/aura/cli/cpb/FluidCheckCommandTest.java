package io.aura.cli.cpb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code aura bench fluid-check} on examples/topology-small.json, 3 seeds, T = 900 s. */
class FluidCheckCommandTest {
    @TempDir
    Path tmp;

    private static final String SMALL = Path.of("..", "examples", "topology-small.json").toString();

    @Test
    void writesOneRowPerSeedAndASummaryThatAddsUp() throws Exception {
        Path out = tmp.resolve("a");
        String[] r = CpbCommandArgsTest.run("bench", "fluid-check", "--topology", SMALL, "--seeds", "1-3", "--duration", "900",
                "--threads", "2", "--out", out.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[2]).contains("fluid-check: 3/3 episodes (100%)").contains("episodes within 0.05")
                .containsPattern("fluid-check: by fault: F[0-9A-Z_]+ [0-3]/[1-3] \\(mean S DES [0-9.]+, fluid [0-9.]+\\)");
        List<String> rows = Files.readAllLines(out.resolve("fluid-check.csv"));
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).startsWith("seed,agents,fault,t_f_s,S_des,S_fluid,abs_dS,within");
        JsonNode root = new ObjectMapper().readTree(out.resolve("fluid-check.json").toFile());
        JsonNode s = root.get("summary");
        assertThat(s.get("episodes").asInt()).isEqualTo(3);
        int within = 0;
        double gap = 0;
        for (String row : rows.subList(1, 4)) {
            String[] f = row.split(",");
            double des = Double.parseDouble(f[4]);
            double flu = Double.parseDouble(f[5]);
            assertThat(Double.parseDouble(f[6])).isCloseTo(Math.abs(des - flu), within(1e-12));
            within += Boolean.parseBoolean(f[7]) ? 1 : 0;
            gap += Math.abs(des - flu);
            assertThat(f[18]).hasSize(64);
            assertThat(f[19]).hasSize(64);
        }
        assertThat(s.get("within").asInt()).isEqualTo(within);
        assertThat(s.get("mean_abs_dS").asDouble()).isCloseTo(gap / 3, within(1e-12));
        // per fault kind drawn: the groups add up to the whole, and each group's counts are its rows'
        java.util.Map<String, int[]> byFault = new java.util.TreeMap<>();
        for (String row : rows.subList(1, 4)) {
            String[] f = row.split(",");
            int[] c = byFault.computeIfAbsent(f[2], k -> new int[2]);
            c[0]++;
            c[1] += Boolean.parseBoolean(f[7]) ? 1 : 0;
        }
        JsonNode bf = s.get("by_fault");
        assertThat(bf.size()).isEqualTo(byFault.size());
        byFault.forEach((k, c) -> {
            assertThat(bf.get(k).get("episodes").asInt()).as(k).isEqualTo(c[0]);
            assertThat(bf.get(k).get("within").asInt()).as(k).isEqualTo(c[1]);
            assertThat(bf.get(k).has("replicas")).isFalse();
        });
        assertThat(s.get("criterion").asText()).isEqualTo(within / 3.0 >= 0.9 ? "met" : "missed");
        assertThat(root.get("manifest").get("fault").asText()).isEqualTo("F_STD");

        // the same seeds give the same rows (timing columns aside)
        Path again = tmp.resolve("b");
        CpbCommandArgsTest.run("bench", "fluid-check", "--topology", SMALL, "--seeds", "1-3", "--duration", "900",
                "--threads", "1", "--quiet", "--out", again.toString());
        List<String> rows2 = Files.readAllLines(again.resolve("fluid-check.csv"));
        for (int i = 1; i < 4; i++) {
            assertThat(withoutTiming(rows2.get(i))).isEqualTo(withoutTiming(rows.get(i)));
        }
    }

    @Test
    void desReplicasAddTheDesAgainstItselfAndTheFluidAgainstTheDesMean() throws Exception {
        Path out = tmp.resolve("r");
        String[] r = CpbCommandArgsTest.run("bench", "fluid-check", "--topology", SMALL, "--seeds", "1-3", "--duration", "900",
                "--threads", "2", "--des-replicas", "2", "--out", out.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[2]).contains("DES against itself (2 replicas per seed)");
        List<String> rows = Files.readAllLines(out.resolve("fluid-check.csv"));
        assertThat(rows.get(0)).endsWith(",S_des_replicas,S_des_mean,abs_dS_vs_des_mean,abs_replica_mean_gap");
        int pairWithin = 0;
        int meanWithin = 0;
        int fluidWithin = 0;
        for (String row : rows.subList(1, 4)) {
            String[] f = row.split(",");
            double des = Double.parseDouble(f[4]);
            double flu = Double.parseDouble(f[5]);
            String[] reps = f[20].split(";");
            assertThat(reps).hasSize(2);
            double a = Double.parseDouble(reps[0]);
            double b = Double.parseDouble(reps[1]);
            assertThat(Double.parseDouble(f[21])).isCloseTo((des + a + b) / 3, within(1e-12));
            assertThat(Double.parseDouble(f[22])).isCloseTo(Math.abs(flu - (des + a + b) / 3), within(1e-12));
            assertThat(Double.parseDouble(f[23])).isCloseTo(Math.abs((a + b) / 2 - des), within(1e-12));
            pairWithin += (Math.abs(a - des) <= 0.05 ? 1 : 0) + (Math.abs(b - des) <= 0.05 ? 1 : 0);
            meanWithin += Math.abs((a + b) / 2 - des) <= 0.05 ? 1 : 0;
            fluidWithin += Math.abs(flu - (des + a + b) / 3) <= 0.05 ? 1 : 0;
        }
        JsonNode root = new ObjectMapper().readTree(out.resolve("fluid-check.json").toFile());
        JsonNode nz = root.get("summary").get("des_noise");
        assertThat(root.get("manifest").get("des_replicas").asInt()).isEqualTo(2);
        assertThat(nz.get("replica_pairs").asInt()).isEqualTo(6);
        assertThat(nz.get("replica_within").asInt()).isEqualTo(pairWithin);
        assertThat(nz.get("replica_mean_within").asInt()).isEqualTo(meanWithin);
        assertThat(nz.get("fluid_vs_des_mean_within").asInt()).isEqualTo(fluidWithin);
        int groupPairs = 0;
        for (JsonNode f : root.get("summary").get("by_fault")) {
            assertThat(f.get("replicas").asInt()).isEqualTo(2);
            groupPairs += f.get("replica_pairs").asInt();
        }
        assertThat(groupPairs).isEqualTo(6);

        // without replicas the CSV and the summary keep their former shape
        Path plain = tmp.resolve("p");
        CpbCommandArgsTest.run("bench", "fluid-check", "--topology", SMALL, "--seeds", "1-1", "--duration", "900",
                "--quiet", "--out", plain.toString());
        assertThat(Files.readAllLines(plain.resolve("fluid-check.csv")).get(0)).endsWith(",trace_sha256_fluid");
        assertThat(new ObjectMapper().readTree(plain.resolve("fluid-check.json").toFile()).get("summary").has("des_noise")).isFalse();
    }

    private static String withoutTiming(String row) {
        String[] f = row.split(",");
        f[14] = "";
        f[15] = "";
        return String.join(",", f);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--family dsb-sn --topology x.json --seeds 1-2 --out O | give either --family or --topology, not both",
        "--family dsb-sn --out O | missing --seeds",
        "--family dsb-sn --seeds 1-2 | missing --out",
        "--family dsb-sn --seeds 1-2 --step 0.3 --out O | the fluid step must divide one second",
        "--family dsb-sn --seeds 1-2 --fault-scale -1 --out O | --fault-scale must be > 0",
        "--family dsb-sn --seeds 1-2 --des-replicas 17 --out O | --des-replicas must be in 0..16, got 17",
        "--family dsb-sn --seeds 1-2 --duration 600 --out O | too short for a fault",
        "--family nosuch --seeds 1-2 --out O | nosuch",
        "--family ba-3000-2 --seeds 1-1 --duration 900 --out O | the DES reference of the cross-validation is for N <= 2000"})
    void badInputExitsWithTwoAndOneLine(String args, String message) {
        String[] a = args.replace("O", tmp.resolve("o").toString()).split(" ");
        String[] full = new String[a.length + 2];
        full[0] = "bench";
        full[1] = "fluid-check";
        System.arraycopy(a, 0, full, 2, a.length);
        String[] r = CpbCommandArgsTest.run(full);
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).startsWith("aura bench fluid-check: ").contains(message);
        assertThat(r[2].strip().lines().count()).isEqualTo(1);
    }
}
