package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 durability on the embedded H2 store: a child JVM serves while four clients create
 * interventions, enrol agents and ask for predictions (stored by group commit); the child is killed
 * with SIGKILL mid-load; a new server on the same data directory must have every intervention,
 * enrolment and prediction that was acknowledged.
 */
class KillDurabilityTest {

    @Test
    void nothingAcknowledgedIsLostOnKill9(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Path portFile = dir.resolve("port");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=logback-test.xml", ChildServer.class.getName(), data.toString(), portFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        ConcurrentLinkedQueue<String> interventions = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> agents = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> predictions = new ConcurrentLinkedQueue<>();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.exists(portFile)) {
                assertThat(child.isAlive()).as("child server died: " + Files.readString(dir.resolve("child.log"))).isTrue();
                assertThat(System.nanoTime()).as("child server did not start within 60 s").isLessThan(deadline);
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readString(portFile).strip());
            String token = new Tokens(TestServer.SECRET, Clock.systemUTC())
                    .operator("loader", Set.copyOf(Tokens.SCOPES), Duration.ofMinutes(10));
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                clients.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        boolean enrol = i % 4 == 3;
                        boolean predict = i % 4 == 1;
                        String agent = "agent_" + client + "_" + i;
                        String body = enrol ? "{\"agent_id\":\"" + agent + "\"}"
                                : predict ? "{\"agents\":[\"" + agent + "\"],\"topology\":[[0,0],[1," + i + "],[2,0.5]]}"
                                : "{\"agents\":[\"" + agent + "\"],\"intervention_type\":\"isolate\",\"parameters\":{\"duration\":3600}}";
                        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                        + (enrol ? "/a2a/auth/agent" : predict ? "/api/v1/predict" : "/api/v1/intervene")))
                                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                        try {
                            HttpResponse<String> r = TestServer.CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 201) {
                                interventions.add(Json.MAPPER.readTree(r.body()).path("id").asText());
                            } else if (r.statusCode() == 200 && predict) {
                                predictions.add(Json.MAPPER.readTree(r.body()).path("prediction_id").asText());
                            } else if (r.statusCode() == 200) {
                                agents.add(agent);
                            }
                        } catch (Exception e) {
                            return; // the server is gone: nothing more is acknowledged
                        }
                    }
                }));
            }
            while (interventions.size() + agents.size() + predictions.size() < 120) {
                Thread.sleep(20);
            }
            child.destroyForcibly(); // SIGKILL
            child.waitFor();
            stop.set(true);
            for (Thread t : clients) {
                t.join();
            }
        } finally {
            child.destroyForcibly();
        }
        System.err.println("KillDurabilityTest: " + interventions.size() + " interventions and " + agents.size()
                + " enrolments and " + predictions.size() + " predictions acknowledged before kill -9");
        try (TestServer s = new TestServer(Map.of(), data)) {
            String read = s.token("read");
            Set<String> stored = new java.util.HashSet<>();
            s.get("/api/v1/interventions?state=all&limit=1000", read).json().path("interventions")
                    .forEach(n -> stored.add(n.path("id").asText()));
            assertThat(stored).containsAll(interventions);
            Set<String> enrolled = new java.util.HashSet<>();
            s.get("/api/v1/agents", read).json().path("agents").forEach(n -> enrolled.add(n.path("agent_id").asText()));
            assertThat(enrolled).containsAll(agents);
            assertThat(predictions).isNotEmpty();
            for (String id : predictions) {
                TestServer.Response r = s.get("/api/v1/predictions/" + id, read);
                assertThat(r.status()).as("acknowledged prediction " + id).isEqualTo(200);
                assertThat(r.json().path("prediction_id").asText()).isEqualTo(id);
            }
        }
    }
}
