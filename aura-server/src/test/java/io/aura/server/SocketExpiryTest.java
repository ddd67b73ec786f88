package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An open WebSocket does not outlive its token: once the agent's or the subscriber's token has
 * expired (past the clock skew allowed at verification), the server tells the socket and closes it
 * (4001), and nothing more is delivered to it. Real HTTP/WebSocket on H2, the server on a clock the
 * test moves. And no socket outlives the server: a shutdown closes each with 1001.
 */
class SocketExpiryTest {

    @Test
    void expiredAgentAndSubscriberSocketsAreClosedAndGetNothingMore(@TempDir Path dir) throws Exception {
        MovingClock clock = new MovingClock(Instant.now());
        try (TestServer s = new TestServer(Map.of(), dir, clock)) {
            String enrolTok = s.token("enrol");
            String a = s.post("/a2a/auth/agent", enrolTok, "{\"agent_id\":\"r1\"}").json().path("token").asText();
            String b = s.post("/a2a/auth/agent", enrolTok, "{\"agent_id\":\"s1\"}").json().path("token").asText();
            // an operator token that outlives the agents' (1 h) by far
            String op = s.server.tokens().operator("watcher", Set.of("read"), Duration.ofDays(2));
            String shortOp = s.server.tokens().operator("short", Set.of("read"), Duration.ofMinutes(5));
            String port = Integer.toString(s.server.port());
            try (WsClient r1 = new WsClient(URI.create("ws://127.0.0.1:" + port + "/ws/a2a/r1"), a);
                 WsClient s1 = new WsClient(URI.create("ws://127.0.0.1:" + port + "/ws/a2a/s1"), b);
                 WsClient longSub = new WsClient(URI.create("ws://127.0.0.1:" + port + "/ws"), op);
                 WsClient shortSub = new WsClient(URI.create("ws://127.0.0.1:" + port + "/ws"), shortOp)) {
                longSub.send("{\"type\":\"subscribe\",\"channels\":[\"interventions\"]}");
                shortSub.send("{\"type\":\"subscribe\",\"channels\":[\"interventions\"]}");
                longSub.nextOf("subscribed");
                shortSub.nextOf("subscribed");
                s1.send("{\"to_agent\":\"r1\",\"type\":\"x\"}");
                assertThat(r1.nextOf("message").path("from_agent").asText()).isEqualTo("s1");
                s1.nextOf("ack");

                clock.now = clock.now.plus(Duration.ofMinutes(62)); // past the agents' 1 h + 60 s skew
                for (WsClient c : new WsClient[] {r1, s1, shortSub}) {
                    assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo(4001);
                    JsonNode last = null;
                    String text;
                    while ((text = c.received.poll()) != null) {
                        last = Json.MAPPER.readTree(text);
                    }
                    assertThat(last).isNotNull();
                    assertThat(last.path("error").asText()).isEqualTo("token_expired");
                }
                // the subscriber with a valid token still gets updates; the expired ones are gone
                assertThat(longSub.closed.isDone()).isFalse();
                TestServer.Response iv = s.post("/api/v1/intervene", s.token("intervene"),
                        "{\"agents\":[\"r1\"],\"intervention_type\":\"isolate\",\"parameters\":{\"duration\":30}}");
                assertThat(iv.status()).as(iv.body()).isEqualTo(201);
                assertThat(longSub.nextOf("update").path("channel").asText()).isEqualTo("interventions");
            }
        }
    }

    @Test
    void aServerShuttingDownClosesEverySocketWithGoingAway(@TempDir Path dir) throws Exception {
        TestServer s = new TestServer(Map.of(), dir, new MovingClock(Instant.now()));
        String port = Integer.toString(s.server.port());
        String a = s.post("/a2a/auth/agent", s.token("enrol"), "{\"agent_id\":\"leaving\"}").json().path("token").asText();
        try (WsClient agent = new WsClient(URI.create("ws://127.0.0.1:" + port + "/ws/a2a/leaving"), a);
             WsClient sub = new WsClient(URI.create("ws://127.0.0.1:" + port + "/ws"), s.token("read"))) {
            agent.nextOf("connected");
            sub.send("{\"type\":\"subscribe\",\"channels\":[\"interventions\"]}");
            sub.nextOf("subscribed");
            s.close();
            // a close frame that says why (1001), so clients reconnect, rather than a dropped socket (1006)
            assertThat(agent.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1001);
            assertThat(sub.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1001);
        }
    }
}
