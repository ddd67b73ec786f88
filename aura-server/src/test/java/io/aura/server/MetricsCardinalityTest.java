package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The method label of http_server_requests_seconds takes a bounded set of values: a request may
 * name any method token, and each new one made a timer of 18 series that stayed for the life of the
 * process, so requests without a token could grow the heap and the /metrics page without bound.
 * Real HTTP on H2.
 */
class MetricsCardinalityTest {

    @Test
    void inventedMethodsShareOneLabel(@TempDir Path dir) throws Exception {
        try (TestServer s = new TestServer(Map.of(), dir)) {
            for (int i = 0; i < 40; i++) {
                String answer = MalformedPathTest.raw(s, "M" + i + "X " + (i % 2 == 0 ? "/health" : "/api/v1/agents") + " HTTP/1.1", null);
                assertThat(answer).startsWith("HTTP/1.1 4"); // 405 or 401: refused, and counted
            }
            assertThat(s.get("/health", null).status()).isEqualTo(200);
            String metrics = s.get("/metrics", null).body();
            Set<String> methods = new TreeSet<>();
            Matcher m = Pattern.compile("^http_server_requests_seconds_count\\{method=\"([^\"]*)\"", Pattern.MULTILINE).matcher(metrics);
            while (m.find()) {
                methods.add(m.group(1));
            }
            assertThat(methods).contains("GET", "_OTHER").isSubsetOf("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
                    "TRACE", "CONNECT", "_OTHER");
        }
    }
}
