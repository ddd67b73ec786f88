package io.aura.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aura.server.AuraServer;
import io.aura.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** aura demo end to end: its own server, three agents over the Java client, the policy acting on the saturation. */
class DemoCommandTest {

    @Test
    void theDemoShowsThePolicyActingOnTheSaturatedAgent() {
        CliRun r = CliRun.of("demo", "--calm", "0", "--fault", "100");
        System.err.println(r.out());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("embedded server on http://127.0.0.1:", "agents gateway -> orders -> payments connected",
                "payments saturates", "summary:");
        // the guard names the saturated agent and the policy limits the traffic into it
        assertThat(r.out()).containsPattern("critical: payments \\(own stress");
        assertThat(r.out()).containsPattern("intervention by aura-policy: rate_limit on \\[\"(orders|gateway)\"\\], \\d+ new");
        Matcher m = Pattern.compile("interventions: (\\d+)").matcher(r.out());
        assertThat(m.find()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isPositive();
        Matcher risk = Pattern.compile("peak ([0-9.]+) before the fault, ([0-9.]+) during it").matcher(r.out());
        assertThat(risk.find()).isTrue();
        assertThat(Double.parseDouble(risk.group(2))).as("the risk rises with the saturation").isGreaterThan(Double.parseDouble(risk.group(1)));
    }

    /**
     * README: against a server whose AURA_POLICY is off "the summary then says interventions: 0". An
     * intervention an operator made before the demo started is not the demo's: it used to be printed as
     * new at the first look and counted in the summary.
     */
    @Test
    void withUrlOnlyTheInterventionsMadeDuringTheDemoAreShownAndCounted(@TempDir Path data) throws Exception {
        Map<String, String> env = Map.of("AURA_JWT_SECRET", "demo-test-secret-0123456789-0123456789",
                "AURA_PREDICTION_INTERVAL_MS", "50");
        try (AuraServer server = AuraServer.start(ServerConfig.fromEnv(env, 0, data, null), Clock.systemUTC())) {
            String base = "http://127.0.0.1:" + server.port();
            String op = server.tokens().operator("demo-test", Set.of("enrol", "analyze", "read", "intervene"), Duration.ofHours(1));
            HttpResponse<String> before = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/v1/intervene"))
                    .header("Authorization", "Bearer " + op)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"agents\": [\"elsewhere\"], \"intervention_type\": \"isolate\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(before.statusCode()).as(before.body()).isEqualTo(201);

            CliRun r = CliRun.of("demo", "--url", base, "--token", op, "--tick-ms", "50", "--calm", "0", "--fault", "1");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("summary:", "interventions: 0").doesNotContain("intervention by");
        }
    }

    @Test
    void badOptionsExitTwoNamingTheOption() {
        assertThat(CliRun.of("demo", "--fault", "0").err()).contains("--fault");
        assertThat(CliRun.of("demo", "--calm", "-1").code()).isEqualTo(2);
        assertThat(CliRun.of("demo", "--tick-ms", "10").err()).contains("--tick-ms");
        CliRun noToken = CliRun.of("demo", "--url", "http://127.0.0.1:1");
        assertThat(noToken.code()).isEqualTo(2);
        assertThat(noToken.err()).contains("--token");
        assertThat(CliRun.of("demo", "--url", "localhost:8080", "--token", "t").err()).contains("--url must be http://host[:port]");
        CliRun unreachable = CliRun.of("demo", "--url", "http://127.0.0.1:1", "--token", "t");
        assertThat(unreachable.code()).isEqualTo(1);
        assertThat(unreachable.err()).contains("unreachable").contains("connection refused").doesNotContain("java.net");
    }
}
