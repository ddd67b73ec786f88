package io.aura.client.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.aura.server.AuraServer;
import io.aura.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented quickstart runs against a real server, and the doc still shows this code. */
class QuickstartExampleTest {

    @Test
    void theQuickstartRuns(@TempDir Path data) throws Exception {
        Map<String, String> env = Map.of("AURA_JWT_SECRET", "quickstart-secret-0123456789-0123456789", "AURA_ENROLMENT_KEY", "demo-key");
        try (AuraServer s = AuraServer.start(ServerConfig.fromEnv(env, 0, data, null), Clock.systemUTC())) {
            String out = QuickstartExample.run("http://127.0.0.1:" + s.port(), "demo-key");
            assertThat(out).contains("planner asks {\"id\":42}", "planner asks {\"id\":43}", "\"task\":42", "\"task\":43");
            assertThat(out.lines().filter(l -> l.startsWith("planner got result {")).count()).as(out).isEqualTo(2);
        }
    }

    @Test
    void theDocShowsTheExampleAsItIs() throws Exception {
        String source = Files.readString(Path.of("src/test/java/io/aura/client/example/QuickstartExample.java"));
        String code = between(source, "// --- docs/client.md quickstart\n", "// --- end");
        String doc = Files.readString(Path.of("../docs/client.md"));
        String shown = between(doc, "<!-- quickstart -->\n```java\n", "```");
        assertThat(shown).isEqualTo(code.stripIndent());
    }

    private static String between(String s, String from, String to) {
        int a = s.indexOf(from);
        assertThat(a).as("marker " + from).isNotNegative();
        int b = s.indexOf(to, a + from.length());
        assertThat(b).as("marker " + to).isPositive();
        return s.substring(a + from.length(), b);
    }
}
