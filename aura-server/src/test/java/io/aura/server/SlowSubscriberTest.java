package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A /ws subscriber that does not read its socket: the server holds a bounded amount for it and then
 * closes it with 1013 (so a dashboard knows it missed updates, reconnects and re-reads the state),
 * instead of dropping updates silently while the socket stays open. Real HTTP/WebSocket on H2.
 */
class SlowSubscriberTest {

    @Test
    void aSubscriberThatDoesNotReadIsClosedNotSilentlyShortChanged(@TempDir Path dir) throws Exception {
        try (TestServer s = new TestServer(Map.of(), dir)) {
            StringBuilder agents = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                agents.append(i == 0 ? "" : ",").append('"').append("a".repeat(110)).append(i).append('"');
            }
            String body = "{\"agents\":[" + agents + "],\"intervention_type\":\"circuit_breaker\",\"parameters\":{\"duration\":600}}";
            URI uri = URI.create("ws://127.0.0.1:" + s.server.port() + "/ws?token=" + s.token("read"));
            try (WsClient slow = new WsClient(uri, null, false); WsClient fast = new WsClient(uri, null)) {
                slow.send("{\"type\":\"subscribe\",\"channels\":[\"interventions\"]}");
                fast.send("{\"type\":\"subscribe\",\"channels\":[\"interventions\"]}");
                fast.nextOf("subscribed");
                String token = s.token("intervene");
                int created = 2_000; // 13 kB each, 26 MB: beyond the socket buffers and the server's outgoing bound
                for (int i = 0; i < created; i++) {
                    assertThat(s.post("/api/v1/intervene", token, body).status()).isEqualTo(201);
                }
                int fastGot = 0;
                while (fastGot < created && fast.received.poll(5, TimeUnit.SECONDS) != null) {
                    fastGot++;
                }
                assertThat(fastGot).as("a subscriber that reads gets every update").isEqualTo(created);
                slow.startReading();
                int slowGot = 0;
                while (slow.received.poll(3, TimeUnit.SECONDS) != null) {
                    slowGot++;
                }
                System.out.printf("created %d: the slow subscriber received %d frames%n", created, slowGot);
                if (slowGot < created + 1) { // +1: its "subscribed"
                    assertThat(slow.closed.get(5, TimeUnit.SECONDS)).as("a subscriber that missed updates is told so by a close")
                            .isEqualTo(1013);
                }
            }
        }
    }
}
