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
                    WsClient c = new WsClient(ws, token);
                    open.add(c);
                    // the count rises in onConnect, after the client saw its 101; an answered subscribe means it
                    // was counted. (Probing before that let a probe take the place of one of these, which the
                    // server then closed with 1008, and every later probe got in: a flake of the full suite.)
                    c.send("{\"type\":\"subscribe\",\"channels\":[\"alerts\"]}");
                    assertThat(c.nextOf("subscribed")).as("connection %d", i).isNotNull();
                }
                String refused = s.upgrade("/ws", token);
                assertThat(refused).startsWith("HTTP/1.1 429").contains("\"error\":\"too_many_connections\"");
                String other = s.server.tokens().operator("someone-else", java.util.Set.of("read"), java.time.Duration.ofMinutes(5));
                try (WsClient theirs = new WsClient(ws, other)) {
                    theirs.send("{\"type\":\"subscribe\",\"channels\":[\"alerts\"]}");
                    assertThat(theirs.nextOf("subscribed")).isNotNull();
                }
                WsClient first = open.remove(0);
                first.close();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                String again = s.upgrade("/ws", token);
                while (!again.startsWith("HTTP/1.1 101") && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                    again = s.upgrade("/ws", token);
                }
                assertThat(again).as("a closed connection frees its place").startsWith("HTTP/1.1 101");
            } finally {
                for (WsClient c : open) {
                    c.close();
                }
            }
        }
    }
}
