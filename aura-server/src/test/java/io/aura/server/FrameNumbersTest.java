package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A frame with a number whose exponent no BigDecimal holds (1e-2147483648) is the sender's mistake:
 * the agent bus answers invalid_json, not internal_error (with an ERROR and a stack trace logged per
 * frame), and a /ws subscriber's socket is answered the same instead of being dropped with 1011 and
 * the parser's message. Real WebSocket on H2.
 */
class FrameNumbersTest {

    @Test
    void anUnrepresentableNumberIsInvalidJsonOnBothSockets(@TempDir Path dir) throws Exception {
        try (TestServer s = new TestServer(Map.of(), dir)) {
            String enrol = s.token("enrol");
            String a = s.post("/a2a/auth/agent", enrol, "{\"agent_id\":\"numbers_a\"}").json().path("token").asText();
            String b = s.post("/a2a/auth/agent", enrol, "{\"agent_id\":\"numbers_b\"}").json().path("token").asText();
            String base = "ws://127.0.0.1:" + s.server.port();
            try (WsClient ca = new WsClient(URI.create(base + "/ws/a2a/numbers_a"), a);
                 WsClient cb = new WsClient(URI.create(base + "/ws/a2a/numbers_b"), b);
                 WsClient sub = new WsClient(URI.create(base + "/ws"), s.token("read"))) {
                ca.nextOf("connected");
                cb.nextOf("connected");
                for (String n : new String[] {"1e-2147483648", "-1.5E-9999999999", "2E+99999999999"}) {
                    ca.send("{\"to_agent\":\"numbers_b\",\"type\":\"t\",\"payload\":{\"x\":" + n + "}}");
                    JsonNode answer = ca.next();
                    assertThat(answer.path("type").asText()).as(n).isEqualTo("error");
                    assertThat(answer.path("error").asText()).as(n).isEqualTo("invalid_json");
                    assertThat(answer.path("message").asText()).as(n).doesNotContain("BigDecimal").doesNotContain("Exception");
                }
                ca.send("{\"to_agent\":\"numbers_b\",\"type\":\"t\",\"payload\":1e400}"); // large but representable: relayed as written
                assertThat(ca.nextOf("ack").path("to_agent").asText()).isEqualTo("numbers_b");
                assertThat(cb.nextOf("message").path("from_agent").asText()).isEqualTo("numbers_a");

                sub.send("{\"type\":\"subscribe\",\"channels\":[\"alerts\"],\"n\":1e-2147483648}");
                JsonNode refused = sub.next();
                assertThat(refused.path("error").asText()).isEqualTo("invalid_json");
                sub.send("{\"type\":\"subscribe\",\"channels\":[\"alerts\"]}"); // the socket is still open
                assertThat(sub.nextOf("subscribed").path("channels").toString()).isEqualTo("[\"alerts\"]");
            }
        }
    }
}
