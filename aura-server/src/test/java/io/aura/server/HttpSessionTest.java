package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WebSocket upgrade, refused or not, leaves no servlet session behind: Javalin opens one for
 * every upgrade and Jetty's default cache kept each for ever, so unauthenticated upgrade requests
 * grew the heap without bound. No answer carries a session cookie. Real HTTP/WebSocket on H2.
 */
class HttpSessionTest {

    @Test
    void upgradesLeaveNoSessionAndNoCookie(@TempDir Path dir) throws Exception {
        try (TestServer s = new TestServer(Map.of(), dir)) {
            for (int i = 0; i < 200; i++) { // no token, a forged one, the wrong agent's: all refused
                String refused = s.upgrade(i % 2 == 0 ? "/ws" : "/ws/a2a/agent" + i, i % 3 == 0 ? null : "not-a-token");
                assertThat(refused).startsWith("HTTP/1.1 401").doesNotContainIgnoringCase("Set-Cookie");
            }
            String agent = s.post("/a2a/auth/agent", s.token("enrol"), "{\"agent_id\":\"sessions\"}").json().path("token").asText();
            String accepted = s.upgrade("/ws/a2a/sessions", agent);
            assertThat(accepted).startsWith("HTTP/1.1 101").doesNotContainIgnoringCase("Set-Cookie");
            assertThat(s.upgrade("/ws", s.token("read"))).startsWith("HTTP/1.1 101").doesNotContainIgnoringCase("Set-Cookie");
            long deadline = System.nanoTime() + 5_000_000_000L; // a request's session goes when the request has ended
            while (s.server.httpSessionsHeld() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(s.server.httpSessionsHeld()).as("servlet sessions held after 202 upgrades").isZero();
            assertThat(s.get("/health", null).raw().headers().firstValue("Set-Cookie")).isEmpty();
        }
    }
}
