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
                    assertThat(upgrade(s, "narrowed", revoked)).startsWith("HTTP/1.1 401").contains("\"error\":\"token_revoked\"", "[read]");
                }
                try (WsClient now = new WsClient(bus(s, "narrowed"), readOnly)) {
                    now.nextOf("connected");
                    now.send("{\"to_agent\":\"peer\",\"type\":\"task\"}");
                    assertThat(now.nextOf("error").path("error").asText()).isEqualTo("permission_denied");
                    peer.send("{\"to_agent\":\"narrowed\",\"type\":\"task\"}"); // it may still read
                    assertThat(peer.nextOf("ack").path("to_agent").asText()).isEqualTo("narrowed");
                }
            }
        }
    }

    /** A WebSocket upgrade by hand: the server's whole answer to it (a refusal carries the API's JSON error). */
    private static String upgrade(TestServer s, String agentId, String token) throws Exception {
        try (java.net.Socket sock = new java.net.Socket("127.0.0.1", s.server.port())) {
            sock.getOutputStream().write(("GET /ws/a2a/" + agentId + " HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            sock.setSoTimeout(5000);
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[4000];
            int n;
            while (!got.toString().contains("\"field\"") && (n = sock.getInputStream().read(buf)) > 0) {
                got.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8));
            }
            return got.toString();
        }
    }
}
