package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AURA_POLICY=auto reverts what it created once the guard stops recommending it, even when the
 * database is away at the moment the revert falls due: the revert is tried again on the next ticks
 * instead of being forgotten (which left the intervention enforced until its own expiry). Real
 * server on H2; the outage is the policy's table being unreachable.
 */
class PolicyRevertTest {

    @Test
    void aRevertThatFailsWhileTheDatabaseIsAwayIsRetried(@TempDir Path dir) throws Exception {
        try (TestServer t = new TestServer(Map.of("AURA_POLICY", "auto"), dir)) {
            PredictionLoop loop = t.server.predictionLoop();
            loop.close(); // only the ticks below
            List<ObjectNode> body = List.of((ObjectNode) Json.MAPPER.readTree(
                    "{\"agents\":[\"rv_b\"],\"intervention_type\":\"circuit_breaker\",\"parameters\":{\"duration\":30}}"));
            loop.applyBodies(body);
            String id = t.get("/api/v1/interventions", t.token("read")).json().at("/interventions/0/id").asText();
            assertThat(id).isNotEmpty();
            t.server.db().update("ALTER TABLE interventions RENAME TO interventions_away");
            int failed = 0;
            for (int i = 0; i < 30; i++) { // not recommended for its duration (30 ticks): the revert falls due, and fails
                try {
                    loop.applyBodies(List.of());
                } catch (RuntimeException e) {
                    failed++;
                }
            }
            t.server.db().update("ALTER TABLE interventions_away RENAME TO interventions");
            assertThat(failed).as("the revert was attempted while the table was away").isPositive();
            loop.applyBodies(List.of());
            assertThat(t.get("/api/v1/interventions/" + id, t.token("read")).json().path("state").asText())
                    .as("reverted once the database answers again, not left to run out").isEqualTo("revoked");
            assertThat(t.get("/api/v1/interventions/" + id, t.token("read")).json().path("revoked_by").asText()).isEqualTo("aura-policy");
        }
    }
}
