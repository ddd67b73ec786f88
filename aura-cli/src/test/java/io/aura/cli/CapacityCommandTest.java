package io.aura.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class CapacityCommandTest {

    @Test
    void theSeedsFormulaIsComputedAsWrittenAndBesideItTheMeasuredEstimate() throws Exception {
        CliRun r = CliRun.of("capacity", "--agents", "10000", "--tps", "500", "--topology-kb", "7", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        // calculate_capacity(10000, 500, 7) by hand: ceil(5), ceil(10 + 3.5), ceil(100 + 500*86400*7e-6*7), ceil(0.5), ceil(0.1), ceil(0.2)
        JsonNode seed = j.get("seed_formula");
        assertThat(seed.get("cpu_cores").asLong()).isEqualTo(5);
        assertThat(seed.get("memory_gb").asLong()).isEqualTo(14);
        assertThat(seed.get("storage_gb").asLong()).isEqualTo(2217);
        assertThat(seed.get("api_replicas").asLong()).isEqualTo(1);
        assertThat(seed.get("redis_nodes").asLong()).isEqualTo(1);
        assertThat(seed.get("neo4j_cores").asLong()).isEqualTo(1);
        // measured, seed form: 500 x 0.65 ms / 0.7 = 0.46 cores; 256 MB + 10000 x 2 KB; 500 x 86400 x 7 x 4.24 KB
        JsonNode m = j.get("measured");
        assertThat(m.get("cpu_cores_exact").asDouble()).isCloseTo(0.46, Offset.offset(0.005));
        assertThat(m.get("cpu_cores").asLong()).isEqualTo(1);
        assertThat(m.get("memory_gb").asDouble()).isCloseTo((256 + 10000 * 2 / 1024.0) / 1024, Offset.offset(0.005));
        assertThat(m.get("storage_gb").asDouble()).isCloseTo(500.0 * 86400 * 7 * 4.24 / 1024 / 1024, Offset.offset(0.005));
        assertThat(m.get("api_replicas").asLong()).isEqualTo(1);

        JsonNode live = new ObjectMapper().readTree(CliRun.of("capacity", "--agents", "0", "--tps", "40000", "--form", "live",
                "--cores-per-replica", "4", "--json").out());
        assertThat(live.at("/measured/cpu_cores").asLong()).isEqualTo(4); // 40000 x 0.065 / 0.7 = 3.71
        assertThat(live.at("/measured/api_replicas").asLong()).isEqualTo(1);
        assertThat(live.at("/inputs/cpu_ms_per_request").asDouble()).isEqualTo(0.065);

        JsonNode own = new ObjectMapper().readTree(CliRun.of("capacity", "--agents", "1", "--tps", "100", "--cpu-ms", "10",
                "--utilisation", "1", "--json").out());
        assertThat(own.at("/measured/cpu_cores").asLong()).isEqualTo(1);
        assertThat(own.at("/measured/cpu_cores_exact").asDouble()).isEqualTo(1.0);

        CliRun text = CliRun.of("capacity", "--agents", "10000", "--tps", "500");
        assertThat(text.out()).contains("seed formula", "measured", "cpu_cores", "neo4j_cores", "not measured");
    }

    @Test
    void badInputsAreRefusedWithTheOption() {
        for (String[] args : new String[][] {
                {"capacity", "--agents", "-1", "--tps", "1"},
                {"capacity", "--agents", "1", "--tps", "NaN"},
                {"capacity", "--agents", "1", "--tps", "1", "--form", "graph"},
                {"capacity", "--agents", "1", "--tps", "1", "--utilisation", "0"},
                {"capacity", "--agents", "1", "--tps", "1", "--cpu-ms", "-2"}}) {
            CliRun r = CliRun.of(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.err()).startsWith("aura capacity: --");
        }
        assertThat(CliRun.of("capacity", "--tps", "1").code()).isEqualTo(2); // --agents missing: picocli's usage error
    }
}
