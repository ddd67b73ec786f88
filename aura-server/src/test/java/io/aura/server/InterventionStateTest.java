package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the bus keeps per intervention (a rate limit's token bucket per sender, a load shed's
 * counter per target, the "first refusal alerted" mark per edge) goes when the intervention does:
 * kept for ever, it grew with every intervention a long-running server saw, and the alert marks,
 * capped at {@link Bus#MAX_EDGES}, would at the cap have silenced every later traffic_blocked alert.
 * Real HTTP/WebSocket on H2.
 */
class InterventionStateTest {

    private static String enrol(TestServer s, String id) {
        return s.post("/a2a/auth/agent", s.token("enrol"), "{\"agent_id\":\"" + id + "\"}").json().path("token").asText();
    }

    @Test
    void anEndedInterventionLeavesNothingBehind(@TempDir Path dir) throws Exception {
        try (TestServer s = new TestServer(Map.of(), dir)) {
            String base = "ws://127.0.0.1:" + s.server.port() + "/ws/a2a/";
            String op = s.token("intervene", "read");
            try (WsClient snd = new WsClient(URI.create(base + "st_sender"), enrol(s, "st_sender"));
                 WsClient tgt = new WsClient(URI.create(base + "st_target"), enrol(s, "st_target"));
                 WsClient other = new WsClient(URI.create(base + "st_other"), enrol(s, "st_other"))) {
                snd.nextOf("connected");
                tgt.nextOf("connected");
                other.nextOf("connected");
                String rl = s.post("/api/v1/intervene", op, "{\"agents\":[\"st_sender\"],\"intervention_type\":\"rate_limit\","
                        + "\"parameters\":{\"rate\":0.01}}").json().path("id").asText();
                String ls = s.post("/api/v1/intervene", op, "{\"agents\":[\"st_target\"],\"intervention_type\":\"load_shed\","
                        + "\"parameters\":{\"fraction\":1}}").json().path("id").asText();
                snd.send("{\"to_agent\":\"st_other\",\"type\":\"t\"}"); // the burst of one
                assertThat(snd.next().path("type").asText()).isEqualTo("ack");
                snd.send("{\"to_agent\":\"st_other\",\"type\":\"t\"}");
                assertThat(snd.next().path("error").asText()).isEqualTo("rate_limited");
                other.send("{\"to_agent\":\"st_target\",\"type\":\"t\"}");
                assertThat(other.nextOf("error").path("error").asText()).isEqualTo("load_shed");
                Enforcement e = s.server.interventions().enforcement();
                assertThat(e.entries()).as("a bucket and a shed counter").isEqualTo(2);
                assertThat(s.server.bus().alertMarks()).as("two edges alerted").isEqualTo(2);

                assertThat(s.delete("/api/v1/interventions/" + rl, op).status()).isEqualTo(200);
                assertThat(s.delete("/api/v1/interventions/" + ls, op).status()).isEqualTo(200);
                long deadline = System.nanoTime() + 5_000_000_000L; // the alert marks go on the next tick (1 s)
                while ((e.entries() > 0 || s.server.bus().alertMarks() > 0) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(e.entries()).as("buckets and shed counters of ended interventions").isZero();
                assertThat(s.server.bus().alertMarks()).as("alert marks of ended interventions").isZero();

                // a new intervention on the same edge alerts again, and is enforced from a fresh bucket
                try (WsClient sub = new WsClient(URI.create("ws://127.0.0.1:" + s.server.port() + "/ws"), s.token("read"))) {
                    sub.send("{\"type\":\"subscribe\",\"channels\":[\"alerts\"]}");
                    sub.nextOf("subscribed");
                    s.post("/api/v1/intervene", op, "{\"agents\":[\"st_sender\"],\"intervention_type\":\"isolate\"}");
                    snd.send("{\"to_agent\":\"st_other\",\"type\":\"t\"}");
                    assertThat(snd.next().path("error").asText()).isEqualTo("isolated");
                    assertThat(sub.nextOf("update").path("data").path("alert").asText()).isEqualTo("traffic_blocked");
                }
            }
        }
    }
}
