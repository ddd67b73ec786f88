package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A path whose escape java.net.URLDecoder cannot read ({@code %u} followed by four hex digits, the
 * UTF-16 escape of old browsers) is a client's mistake: 400, never a 500 with an exception's text,
 * with or without a token, on the API and on the agent bus's upgrade path. Real HTTP on H2.
 */
class MalformedPathTest {

    /** A request sent as written (java.net.http refuses to send such a path). */
    static String raw(TestServer s, String requestLine, String token) throws IOException {
        try (Socket sock = new Socket("127.0.0.1", s.server.port())) {
            sock.setSoTimeout(5000);
            sock.getOutputStream().write((requestLine + "\r\nHost: x\r\nConnection: close\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(sock.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aUtf16EscapeInThePathIsABadRequest(@TempDir Path dir) throws Exception {
        try (TestServer s = new TestServer(Map.of(), dir)) {
            String read = s.token("read", "intervene");
            for (String path : new String[] {"/ws/a2a/%ud800", "/ws/a2a/a%u0041"}) {
                String upgrade = s.upgrade(path, null); // no token at all
                assertThat(upgrade).as(path).startsWith("HTTP/1.1 400").doesNotContain("Exception").doesNotContain("URLDecoder");
            }
            for (String line : new String[] {"GET /api/v1/interventions/%ud800 HTTP/1.1", "DELETE /api/v1/interventions/x%u0041 HTTP/1.1",
                    "GET /api/v1/predictions/%u0041 HTTP/1.1", "GET /a2a/rest/tasks/%ud800 HTTP/1.1"}) {
                String answer = raw(s, line, read);
                assertThat(answer).as(line).startsWith("HTTP/1.1 400").doesNotContain("internal_error").doesNotContain("URLDecoder");
            }
            // an ordinary escape still reaches the route
            assertThat(raw(s, "GET /api/v1/interventions/no%20such HTTP/1.1", read)).startsWith("HTTP/1.1 404");
        }
    }
}
