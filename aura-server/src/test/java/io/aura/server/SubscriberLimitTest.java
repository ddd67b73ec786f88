package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One token subject holds at most {@link Bus#MAX_SUBSCRIBERS_PER_SUBJECT} {@code /ws} connections to a
 * server: the next upgrade is refused with 429 and says why; a closed connection frees its place, and
 * another subject is not affected. Real HTTP/WebSocket on H2.
 */
class SubscriberLimitTest {

    @Test
    void oneSubjectCannotHoldEveryConnection(@TempDir Path dir) throws Exception {
        try (TestServer s = new TestServer(Map.of(), dir)) {
            URI ws = URI.create("ws://127.0.0.1:" + s.server.port() + "/ws");
            String token = s.token("read");
            List<WsClient> open = new ArrayList<>();
            try {
                for (int i = 0; i < Bus.MAX_SUBSCRIBERS_PER_SUBJECT; i++) {
                    open.add(new WsClient(ws, token));
                }
                assertThat(upgrade(s, token)).startsWith("HTTP/1.1 429").contains("\"error\":\"too_many_connections\"");
                String other = s.server.tokens().operator("someone-else", java.util.Set.of("read"), java.time.Duration.ofMinutes(5));
                try (WsClient theirs = new WsClient(ws, other)) {
                    theirs.send("{\"type\":\"subscribe\",\"channels\":[\"alerts\"]}");
                    assertThat(theirs.nextOf("subscribed")).isNotNull();
                }
                WsClient first = open.remove(0);
                first.close();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                String again = upgrade(s, token);
                while (!again.startsWith("HTTP/1.1 101") && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                    again = upgrade(s, token);
                }
                assertThat(again).as("a closed connection frees its place").startsWith("HTTP/1.1 101");
            } finally {
                for (WsClient c : open) {
                    c.close();
                }
            }
        }
    }

    /** A /ws upgrade by hand; the start of the server's answer. */
    private static String upgrade(TestServer s, String token) throws Exception {
        try (java.net.Socket sock = new java.net.Socket("127.0.0.1", s.server.port())) {
            sock.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer " + token + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            sock.setSoTimeout(5000);
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[4000];
            int n;
            while (!got.toString().contains("\r\n\r\n") || (got.toString().contains(" 429 ") && !got.toString().contains("}"))) {
                n = sock.getInputStream().read(buf);
                if (n < 0) {
                    break;
                }
                got.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8));
            }
            return got.toString();
        }
    }
}
