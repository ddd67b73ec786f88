package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under AURA_POLICY=auto an operator's DELETE of a policy-made intervention holds: while the guard
 * keeps recommending the same action, the policy leaves that target alone for
 * {@link PredictionLoop#OPERATOR_HOLD_MS} (it used to create a fresh intervention at the guard's next
 * re-issue, 5 s later), then acts again. Real server on H2, the server's clock moved by hand.
 */
class PolicyOperatorHoldTest {

    @Test
    void anOperatorsRevocationHoldsWhileTheGuardKeepsRecommending(@TempDir Path dir) throws Exception {
        MovingClock clock = new MovingClock(Instant.parse("2026-11-29T12:00:00Z"));
        try (TestServer t = new TestServer(Map.of("AURA_POLICY", "auto"), dir, clock)) {
            PredictionLoop loop = t.server.predictionLoop();
            loop.close(); // only the ticks below
            List<ObjectNode> body = List.of((ObjectNode) Json.MAPPER.readTree(
                    "{\"agents\":[\"hold_b\"],\"intervention_type\":\"rate_limit\",\"parameters\":{\"rate\":5,\"duration\":15}}"));
            loop.applyBodies(body);
            JsonNode first = active(t);
            assertThat(first.size()).isEqualTo(1);
            String id = first.get(0).path("id").asText();
            assertThat(t.delete("/api/v1/interventions/" + id, t.token("intervene")).status()).isEqualTo(200);

            for (int i = 0; i < 120; i++) { // two minutes of ticks in which the guard keeps recommending it
                clock.now = clock.now.plusSeconds(1);
                loop.applyBodies(body);
            }
            assertThat(active(t).size()).as("the operator's revocation holds").isZero();

            clock.now = clock.now.plusMillis(PredictionLoop.OPERATOR_HOLD_MS);
            loop.applyBodies(body);
            JsonNode after = active(t);
            assertThat(after.size()).as("after the hold the policy acts again").isEqualTo(1);
            assertThat(after.get(0).path("id").asText()).isNotEqualTo(id);
            assertThat(after.get(0).path("created_by").asText()).isEqualTo("aura-policy");
        }
    }

    private static JsonNode active(TestServer t) throws Exception {
        return t.get("/api/v1/interventions", t.token("read")).json().path("interventions");
    }
}
