package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bus answers every frame, in order, whatever goes wrong around it (clients match answers to
 * sends by position). An agent that does not read its socket cannot make the server queue without
 * bound what others send it: past the bus's outgoing limit a send to it is refused (agent_busy), and
 * every message the server acknowledged reaches it once it reads. Real HTTP/WebSocket on H2.
 */
class SlowReaderTest {

    /** Enrols {@code agentId} and opens its bus socket (reading it, or not until {@link WsClient#startReading()}). */
    static WsClient agent(TestServer s, String agentId, boolean reading) {
        String token = s.post("/a2a/auth/agent", s.token("enrol"), "{\"agent_id\":\"" + agentId + "\"}").json().path("token").asText();
        return new WsClient(URI.create("ws://127.0.0.1:" + s.server.port() + "/ws/a2a/" + agentId), token, reading);
    }

    /** A sink that does not read cannot wait for its "connected" frame: wait for the bus to have it. */
    static void awaitOnline(TestServer s, String agentId) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!s.server.bus().online(agentId)) {
            assertThat(System.nanoTime()).as(agentId + " online within 10 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void aTargetThatDoesNotReadGetsRefusalsNotAnEndlessQueueAndLosesNothingAcked(@TempDir Path dir) throws Exception {
        try (TestServer s = new TestServer(Map.of(), dir)) {
            String payload = "x".repeat(8_000);
            int sent = 6_000; // 48 MB: beyond the socket buffers and the outgoing limit
            int acked = 0;
            int busy = 0;
            try (WsClient sink = agent(s, "sink", false); WsClient src = agent(s, "source", true)) {
                src.nextOf("connected");
                awaitOnline(s, "sink");
                for (int i = 0; i < sent; i++) {
                    src.send("{\"to_agent\":\"sink\",\"type\":\"task\",\"payload\":{\"i\":" + i + ",\"p\":\"" + payload + "\"}}");
                }
                for (int i = 0; i < sent; i++) {
                    JsonNode a = src.next();
                    if (a.path("type").asText().equals("ack")) {
                        acked++;
                    } else {
                        assertThat(a.path("error").asText()).as(a.toString()).isEqualTo("agent_busy");
                        assertThat(a.path("retry_after_seconds").asDouble()).isPositive();
                        busy++;
                    }
                }
                assertThat(busy).as("refusals once the sink's queue is full").isPositive();
                assertThat(acked).as("acknowledged").isLessThan(sent).isGreaterThan(0);
                sink.startReading();
                int delivered = 0;
                String t;
                while ((t = sink.received.poll(5, java.util.concurrent.TimeUnit.SECONDS)) != null) {
                    if (t.contains("\"type\":\"message\"")) {
                        delivered++;
                    }
                    if (delivered == acked) {
                        break;
                    }
                }
                assertThat(delivered).as("every acknowledged message reaches the sink").isEqualTo(acked);
                System.out.printf("sent %d: %d acknowledged and delivered, %d refused agent_busy%n", sent, acked, busy);
            }
        }
    }

    /** Big frames: what waits for an agent that does not read is bounded in bytes too, not only in frames. */
    @Test
    void bigMessagesToATargetThatDoesNotReadAreBoundedInBytes(@TempDir Path dir) throws Exception {
        try (TestServer s = new TestServer(Map.of(), dir)) {
            String payload = "y".repeat(60_000);
            int sent = 1_000; // 60 MB: all of it was acknowledged before the byte bound
            int acked = 0;
            try (WsClient sink = agent(s, "big_sink", false); WsClient src = agent(s, "big_source", true)) {
                src.nextOf("connected");
                awaitOnline(s, "big_sink");
                for (int i = 0; i < sent; i++) {
                    src.send("{\"to_agent\":\"big_sink\",\"type\":\"task\",\"payload\":{\"i\":" + i + ",\"p\":\"" + payload + "\"}}");
                    JsonNode a = src.next();
                    if (a.path("type").asText().equals("ack")) {
                        acked++;
                    } else {
                        assertThat(a.path("error").asText()).as(a.toString()).isEqualTo("agent_busy");
                    }
                }
                // the kernel's socket buffers take some (8 MB in all here; more with larger TCP buffer limits); the server
                // holds at most 4 MiB (about 70 of these) beyond them
                assertThat(acked * 60_000L).as("bytes acknowledged to a sink that does not read").isLessThan(40L << 20);
                assertThat(acked).isPositive();
                sink.startReading();
                int delivered = 0;
                String t;
                while (delivered < acked && (t = sink.received.poll(5, java.util.concurrent.TimeUnit.SECONDS)) != null) {
                    if (t.contains("\"type\":\"message\"")) {
                        delivered++;
                    }
                }
                assertThat(delivered).as("every acknowledged message reaches the sink").isEqualTo(acked);
                System.out.printf("sent %d of 60 kB: %d acknowledged and delivered%n", sent, acked);
            }
        }
    }

    /** A refusal whose audit row cannot be written (the database failing) is still answered, and the frames after it too. */
    @Test
    void aRefusalIsAnsweredWhenItsAuditFails(@TempDir Path dir) throws Exception {
        try (TestServer s = new TestServer(Map.of(), dir)) {
            try (WsClient caller = agent(s, "caller", true); WsClient callee = agent(s, "callee", true)) {
                caller.nextOf("connected");
                callee.nextOf("connected");
                TestServer.Response iv = s.post("/api/v1/intervene", s.token("intervene"),
                        "{\"agents\":[\"callee\"],\"intervention_type\":\"circuit_breaker\",\"parameters\":{\"duration\":60}}");
                assertThat(iv.status()).as(iv.body()).isEqualTo(201);
                s.server.db().update("DROP TABLE audit"); // every audit insert fails from now on
                caller.send("{\"to_agent\":\"callee\",\"type\":\"task\"}");
                assertThat(caller.next().path("error").asText()).isEqualTo("circuit_open");
                caller.send("{\"to_agent\":\"nobody\",\"type\":\"task\"}");
                assertThat(caller.next().path("error").asText()).isEqualTo("agent_offline");
            }
        }
    }
}
