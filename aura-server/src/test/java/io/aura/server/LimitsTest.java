package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** REQUEST_TIMEOUT_SECONDS and start-up configuration errors. */
class LimitsTest {

    @Test
    void analysisOverTheTimeoutIsAnswered503WithAMessage(@TempDir Path dir) {
        try (TestServer s = new TestServer(Map.of("REQUEST_TIMEOUT_SECONDS", "1", "TDA_BATCH_SIZE", "1000",
                "LNN_INFERENCE_THREADS", "1"), dir)) {
            // 700 points in 5-D up to H2: seconds of work on any machine of today (500 took 1.0 s on a
            // 2026 AMD EPYC core, too close to the 1-s timeout)
            Random rnd = new Random(3);
            StringBuilder sb = new StringBuilder("{\"topology_data\":[");
            for (int i = 0; i < 700; i++) {
                sb.append(i == 0 ? "[" : ",[");
                for (int k = 0; k < 5; k++) {
                    sb.append(k == 0 ? "" : ",").append(rnd.nextDouble());
                }
                sb.append("]");
            }
            sb.append("],\"parameters\":{\"max_dimension\":2}}");
            long t0 = System.nanoTime();
            TestServer.Response r = s.post("/api/v1/analyze", s.token("analyze"), sb.toString());
            double seconds = (System.nanoTime() - t0) / 1e9;
            ServerSuite.assertError(r, 503, "timeout", null);
            assertThat(r.json().path("message").asText()).contains("REQUEST_TIMEOUT_SECONDS=1");
            assertThat(seconds).isLessThan(5.0);
            assertThat(s.get("/health", null).status()).isEqualTo(200);
        }
    }

    @Test
    void badConfigurationIsRefusedNamingTheKey(@TempDir Path dir) {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ServerConfig.fromEnv(Map.of(), 0, dir, null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AURA_JWT_SECRET");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ServerConfig.fromEnv(Map.of("JWT_SECRET", "short"), 0, dir, null)))
                .hasMessageContaining("at least 32 bytes");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ServerConfig.fromEnv(
                Map.of("JWT_SECRET", TestServer.SECRET, "MAX_AGENTS_PER_REQUEST", "lots"), 0, dir, null)))
                .hasMessageContaining("MAX_AGENTS_PER_REQUEST must be an integer");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ServerConfig.fromEnv(
                Map.of("JWT_SECRET", TestServer.SECRET, "AURA_DB_URL", "postgres://u:pw@h/db"), 0, dir, null)))
                .hasMessageContaining("JDBC URL").hasMessageNotContaining("pw");
        ServerConfig c = ServerConfig.fromEnv(Map.of("JWT_SECRET", TestServer.SECRET, "ENABLE_NEUROMORPHIC", "true",
                "AURA_DB_URL", "jdbc:postgresql://u:secretpw@127.0.0.1/x?password=secretpw"), 0, dir, null);
        assertThat(c.warnings()).singleElement().asString().contains("ENABLE_NEUROMORPHIC", "no effect");
        assertThat(c.toString()).doesNotContain("secretpw").doesNotContain(TestServer.SECRET);
        assertThat(c.maxAgentsPerRequest()).isEqualTo(10_000);
        assertThat(c.maxTopologyDimension()).isEqualTo(100);
        assertThat(c.requestTimeoutSeconds()).isEqualTo(30);
        assertThat(c.policy()).isEqualTo("off");
        assertThat(c.alertThreshold()).isEqualTo(0.5);
        assertThat(c.predictionIntervalMs()).isEqualTo(1000);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ServerConfig.fromEnv(
                Map.of("JWT_SECRET", TestServer.SECRET, "AURA_POLICY", "yolo"), 0, dir, null)))
                .hasMessageContaining("AURA_POLICY must be one of off, suggest, auto");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ServerConfig.fromEnv(
                Map.of("JWT_SECRET", TestServer.SECRET, "AURA_ALERT_THRESHOLD", "1.5"), 0, dir, null)))
                .hasMessageContaining("AURA_ALERT_THRESHOLD");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ServerConfig.fromEnv(
                Map.of("JWT_SECRET", TestServer.SECRET, "AURA_PREDICTION_INTERVAL_MS", "10"), 0, dir, null)))
                .hasMessageContaining("AURA_PREDICTION_INTERVAL_MS");
        assertThat(ServerConfig.fromEnv(Map.of("JWT_SECRET", TestServer.SECRET, "AURA_POLICY", "Suggest"), 0, dir, null).policy())
                .isEqualTo("suggest");
    }
}
