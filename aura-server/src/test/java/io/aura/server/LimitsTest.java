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
            long t0 = System.nanoTime();
            TestServer.Response r = s.post("/api/v1/analyze", s.token("analyze"), "{\"topology_data\":" + heavyCloud(new Random(3))
                    + ",\"parameters\":{\"max_dimension\":2}}");
            double seconds = (System.nanoTime() - t0) / 1e9;
            ServerSuite.assertError(r, 503, "timeout", null);
            assertThat(r.json().path("message").asText()).contains("REQUEST_TIMEOUT_SECONDS=1");
            assertThat(seconds).isLessThan(5.0);
            assertThat(s.get("/health", null).status()).isEqualTo(200);
            // and the work stops: the analysis worker does not compute on for nobody (it did, for seconds)
            assertThat(computingAfter3s()).as("threads still computing persistence 3 s after the 503").isNull();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** 900 random points in 8-D as JSON: up to H2, minutes of work on any machine of today. */
    static String heavyCloud(Random rnd) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 900; i++) {
            sb.append(i == 0 ? "[" : ",[");
            for (int k = 0; k < 8; k++) {
                sb.append(k == 0 ? "" : ",").append(rnd.nextDouble());
            }
            sb.append("]");
        }
        return sb.append("]").toString();
    }

    /** Waits up to 3 s for no thread to run the TDA engine; the names of those still running it, or null. */
    static String computingAfter3s() throws InterruptedException {
        long end = System.nanoTime() + 3_000_000_000L;
        String computing;
        while ((computing = computingThreads()) != null && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        return computing;
    }

    /** The names of threads running the TDA engine's code now, or null when none is. */
    static String computingThreads() {
        StringBuilder b = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            if (t.getState() == Thread.State.RUNNABLE && java.util.Arrays.stream(stack)
                    .anyMatch(f -> f.getClassName().startsWith("io.aura.tda.RipsEngine"))) {
                b.append(t.getName()).append(' ');
            }
        });
        return b.isEmpty() ? null : b.toString().strip();
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
                Map.of("JWT_SECRET", TestServer.SECRET, "AURA_LOG_LEVEL", "LOUD"), 0, dir, null)))
                .hasMessageContaining("AURA_LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, got 'LOUD'");
        assertThat(ServerConfig.fromEnv(Map.of("JWT_SECRET", TestServer.SECRET, "AURA_LOG_LEVEL", "warn"), 0, dir, null).warnings()).isEmpty();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ServerConfig.fromEnv(
                Map.of("JWT_SECRET", TestServer.SECRET, "AURA_DB_URL", "postgres://u:pw@h/db"), 0, dir, null)))
                .hasMessageContaining("JDBC URL").hasMessageNotContaining("pw");
        java.nio.file.Path file = dir.resolve("a-file");
        try {
            java.nio.file.Files.writeString(file, "x");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new Database(ServerConfig.fromEnv(
                Map.of("JWT_SECRET", TestServer.SECRET), 0, file, null))))
                .hasMessageContaining("cannot create the data directory").hasMessageContaining("--data-dir names a directory");
        if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self"))) { // Linux: /proc takes no new directory
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new Database(ServerConfig.fromEnv(
                    Map.of("JWT_SECRET", TestServer.SECRET), 0, java.nio.file.Path.of("/proc/aura-data"), null))))
                    .as("the review's '/proc/nope: /proc/nope'").hasMessageContaining("cannot create the data directory /proc/aura-data: ")
                    .hasMessageNotContaining("/proc/aura-data: /proc/aura-data");
        }
        // a data directory the server creates is its user's alone: the database holds enrolments and the audit log
        java.nio.file.Path fresh = dir.resolve("fresh/data");
        new Database(ServerConfig.fromEnv(Map.of("JWT_SECRET", TestServer.SECRET), 0, fresh, null)).close();
        try {
            if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(fresh)))
                        .isEqualTo("rwx------");
            } else {
                System.out.println("LimitsTest: no POSIX permissions on this file system; the data directory's mode is not checked");
            }
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        ServerConfig c = ServerConfig.fromEnv(Map.of("JWT_SECRET", TestServer.SECRET, "ENABLE_NEUROMORPHIC", "true",
                "AURA_DB_URL", "jdbc:postgresql://u:secretpw@127.0.0.1/x?password=secretpw"), 0, dir, null);
        assertThat(c.warnings()).singleElement().asString().contains("ENABLE_NEUROMORPHIC", "no effect");
        assertThat(ServerConfig.fromEnv(Map.of("JWT_SECRET", TestServer.SECRET, "AURA_DB_USER", "bob"), 0, dir, null).warnings())
                .singleElement().asString().contains("AURA_DB_USER", "no effect", "embedded H2");
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

    @Test
    void anEmptySchemaIsUnsetAndAShortEnrolmentKeyIsWarnedAbout(@TempDir Path dir) {
        // AURA_DB_SCHEMA= (an env file's or a chart's empty value) means unset, as for every other key; it was refused
        ServerConfig empty = ServerConfig.fromEnv(Map.of("JWT_SECRET", TestServer.SECRET, "AURA_DB_SCHEMA", ""), 0, dir, null);
        assertThat(empty.dbSchema()).isNull();
        assertThat(empty.warnings()).isEmpty();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ServerConfig.fromEnv(
                Map.of("JWT_SECRET", TestServer.SECRET, "AURA_DB_SCHEMA", "Bad"), 0, dir, null)))
                .hasMessageContaining("AURA_DB_SCHEMA must match");
        // a guessable enrolment key enrols any agent: the start says so (without the key)
        ServerConfig weak = ServerConfig.fromEnv(Map.of("JWT_SECRET", TestServer.SECRET, "AURA_ENROLMENT_KEY", "letmein"), 0, dir, null);
        assertThat(weak.enrolmentKey()).isEqualTo("letmein");
        assertThat(weak.warnings()).singleElement().asString().contains("AURA_ENROLMENT_KEY", "16 bytes").doesNotContain("letmein");
        assertThat(ServerConfig.fromEnv(Map.of("JWT_SECRET", TestServer.SECRET, "AURA_ENROLMENT_KEY", "0123456789abcdef"), 0, dir, null)
                .warnings()).isEmpty();
    }
}
