package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enrolling an agent again with fewer permissions revokes its earlier tokens: the connection that
 * holds one is closed and the token no longer connects. Enrolling again with the same permissions (a
 * session renewing its token) leaves the connection alone. Real HTTP/WebSocket on H2.
 */
class AgentTokenRevocationTest {

    private static String enrol(TestServer s, String agentId, String permissions) {
        TestServer.Response r = s.post("/a2a/auth/agent", s.token("enrol"),
                "{\"agent_id\":\"" + agentId + "\",\"permissions\":" + permissions + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("token").asText();
    }

    private static URI bus(TestServer s, String agentId) {
        return URI.create("ws://127.0.0.1:" + s.server.port() + "/ws/a2a/" + agentId);
    }

    @Test
    void aNarrowerEnrolmentRevokesTheEarlierTokens(@TempDir Path dir) throws Exception {
        try (TestServer s = new TestServer(Map.of(), dir)) {
            String wide = enrol(s, "narrowed", "[\"read\",\"write\"]");
            String peerToken = enrol(s, "peer", "[\"read\",\"write\"]");
            try (WsClient old = new WsClient(bus(s, "narrowed"), wide); WsClient peer = new WsClient(bus(s, "peer"), peerToken)) {
                old.nextOf("connected");
                peer.nextOf("connected");
                String same = enrol(s, "narrowed", "[\"read\",\"write\"]"); // a renewal: nothing is revoked
                old.send("{\"to_agent\":\"peer\",\"type\":\"task\"}");
                assertThat(old.nextOf("ack").path("to_agent").asText()).isEqualTo("peer");
                assertThat(same).isNotEqualTo(wide);

                String readOnly = enrol(s, "narrowed", "[\"read\"]");
                assertThat(old.closed.get(5, TimeUnit.SECONDS)).as("the connection with the revoked token is closed").isEqualTo(4003);
                for (String revoked : new String[] {wide, same}) {
                    Throwable t = catchThrowable(() -> new WsClient(bus(s, "narrowed"), revoked));
                    assertThat(t).hasStackTraceContaining("401");
                    assertThat(s.upgrade("/ws/a2a/narrowed", revoked)).startsWith("HTTP/1.1 401").contains("\"error\":\"token_revoked\"", "[read]");
                }
                try (WsClient now = new WsClient(bus(s, "narrowed"), readOnly)) {
                    now.nextOf("connected");
                    now.send("{\"to_agent\":\"peer\",\"type\":\"task\"}");
                    assertThat(now.nextOf("error").path("error").asText()).isEqualTo("permission_denied");
                    peer.send("{\"to_agent\":\"narrowed\",\"type\":\"task\"}"); // it may still read
                    assertThat(peer.nextOf("ack").path("to_agent").asText()).isEqualTo("narrowed");
                }
                // widened again: the revoked tokens stay revoked (a leaked one does not come back), the new one connects
                String widened = enrol(s, "narrowed", "[\"read\",\"write\"]");
                assertThat(s.upgrade("/ws/a2a/narrowed", wide)).startsWith("HTTP/1.1 401").contains("token_revoked");
                assertThat(s.upgrade("/ws/a2a/narrowed", readOnly)).as("same generation, permissions within").startsWith("HTTP/1.1 101");
                try (WsClient again = new WsClient(bus(s, "narrowed"), widened)) {
                    again.send("{\"to_agent\":\"peer\",\"type\":\"task\"}");
                    assertThat(again.nextOf("ack").path("to_agent").asText()).isEqualTo("peer");
                }
            }
        }
    }
}
