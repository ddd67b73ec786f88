package io.aura.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar serves: `java -jar target/aura.jar serve --dev` starts (Flyway migrations, Jetty,
 * service files survive shading), answers the seed's analyze example with the printed token, and
 * `aura token` mints a token the server accepts. Runs after package (failsafe).
 */
class ServeJarIT {

    @Test
    void shadedJarServesTheSeedExample(@TempDir Path dir) throws Exception {
        Path jar = Path.of("target", "aura.jar");
        assertThat(jar).exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-jar", jar.toString(), "serve", "--dev", "--port", "0",
                "--data-dir", dir.resolve("data").toString()).redirectOutput(dir.resolve("out.log").toFile());
        pb.environment().remove("AURA_JWT_SECRET");
        pb.environment().remove("JWT_SECRET");
        pb.environment().remove("AURA_DB_URL");
        pb.environment().remove("DATABASE_URL");
        Process p = pb.start();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String token = null;
            int port = -1;
            Pattern listening = Pattern.compile("listening on http://localhost:(\\d+)");
            for (String line; port < 0 && (line = err.readLine()) != null; ) {
                if (line.startsWith("eyJ")) {
                    token = line.strip();
                }
                Matcher m = listening.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                }
            }
            assertThat(port).as("server start; log: " + Files.readString(dir.resolve("out.log"))).isPositive();
            assertThat(token).isNotNull();
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/analyze"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"topology_data\": [[1.0, 2.0], [3.0, 4.0]],"
                            + " \"algorithm\": \"persistent_homology\", \"parameters\": {\"max_dimension\": 2, \"max_edge_length\": 10.0}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"signature_id\"", "[0.0,2.828427]");
            HttpResponse<String> h = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(h.body()).contains("\"status\":\"UP\"");
            HttpResponse<String> m = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(m.body()).contains("aura_tda_processing_duration_seconds_count 1");
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        // logs are JSON lines
        String firstLog = Files.readAllLines(dir.resolve("out.log")).stream().filter(l -> !l.isBlank()).findFirst().orElse("");
        assertThat(firstLog).startsWith("{").contains("\"level\"");
    }
}
