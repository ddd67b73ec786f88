package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aura.cascade.predict.AuraGuard;
import io.aura.cascade.sim.Action;
import io.aura.cascade.sim.Prediction;
import io.aura.cascade.sim.StaticTopology;
import io.aura.cascade.sim.TelemetrySnapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind of the guard's Action mapped to an intervention body that Interventions accepts. */
class ActionMappingTest {

    // 0 -> 2, 1 -> 2, 2 -> 3
    static final StaticTopology TOPO = new StaticTopology(4, new int[] {0, 1, 2}, new int[] {2, 2, 3});
    static final List<String> NAMES = List.of("a", "b", "c", "d");

    private static ObjectNode one(Action a) {
        ActionMapping.Result r = ActionMapping.map(List.of(a), NAMES, TOPO, 0.6);
        assertThat(r.skipped()).isEmpty();
        assertThat(r.interventions()).hasSize(1);
        return r.interventions().get(0);
    }

    @Test
    void breakers() {
        ObjectNode in = one(new Action.OpenBreaker(2, -1, true, 30_000));
        assertThat(in.path("intervention_type").asText()).isEqualTo("circuit_breaker");
        assertThat(in.path("agents").toString()).isEqualTo("[\"c\"]");
        assertThat(in.at("/parameters/duration").asInt()).isEqualTo(30);
        assertThat(in.at("/parameters/severity").asText()).isEqualTo("high");
        assertThat(one(new Action.OpenBreaker(0, 2, false, 1_500)).path("agents").toString()).isEqualTo("[\"c\"]");
        assertThat(one(new Action.OpenBreaker(0, 2, false, 1_500)).at("/parameters/duration").asInt()).isEqualTo(2);
        assertThat(one(new Action.OpenBreaker(2, -1, false, 5_000)).path("agents").toString()).isEqualTo("[\"d\"]");
    }

    @Test
    void isolateShedRateLimit() {
        ObjectNode iso = one(new Action.Isolate(3, 600_000));
        assertThat(iso.path("intervention_type").asText()).isEqualTo("isolate");
        assertThat(iso.path("agents").toString()).isEqualTo("[\"d\"]");
        assertThat(iso.at("/parameters/duration").asInt()).isEqualTo(600);
        ObjectNode shed = one(new Action.Shed(2, 0.25, 10_000));
        assertThat(shed.path("intervention_type").asText()).isEqualTo("load_shed");
        assertThat(shed.at("/parameters/fraction").asDouble()).isEqualTo(0.25);
        ObjectNode edgeLimit = one(new Action.RateLimit(0, 2, 40, 10_000));
        assertThat(edgeLimit.path("intervention_type").asText()).isEqualTo("rate_limit");
        assertThat(edgeLimit.path("agents").toString()).isEqualTo("[\"a\"]");
        assertThat(edgeLimit.at("/parameters/rate").asDouble()).isEqualTo(40.0);
        ObjectNode inbound = one(new Action.RateLimit(2, -1, 40, 10_000)); // c's callers a and b share 40/s
        assertThat(inbound.path("agents").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(inbound.at("/parameters/rate").asDouble()).isEqualTo(20.0);
    }

    @Test
    void unmappableActionsAreReportedNotDropped() {
        ActionMapping.Result r = ActionMapping.map(List.of(new Action.Shed(1, 0, 1000), new Action.Isolate(9, 1000),
                new Action.RateLimit(0, -1, 5, 1000), new Action.OpenBreaker(3, -1, false, 1000)), NAMES, TOPO, 0.1);
        assertThat(r.interventions()).isEmpty();
        assertThat(r.skipped()).hasSize(4);
    }

    @Test
    void everyMappedBodyIsAValidInterventionRequest(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        ServerConfig cfg = ServerConfig.fromEnv(java.util.Map.of("AURA_JWT_SECRET", TestServer.SECRET), 0, dir, null);
        try (Database db = new Database(cfg)) {
            Interventions iv = new Interventions(db, java.time.Clock.systemUTC(), 100);
            ActionMapping.Result r = ActionMapping.map(List.of(new Action.OpenBreaker(2, -1, true, 30_000),
                    new Action.Isolate(3, 1), new Action.Shed(2, 1.0, 700_000_000), new Action.RateLimit(2, -1, 3, 1000)),
                    NAMES, TOPO, 0.95);
            for (ObjectNode body : r.interventions()) {
                Interventions.Intervention created = iv.create(body, "aura-policy");
                assertThat(created.type()).isEqualTo(body.path("intervention_type").asText());
                assertThat(created.parameters().path("severity").asText()).isEqualTo("critical");
            }
            assertThat(iv.list(true, 10)).hasSize(4);
        }
    }

    @Test
    void aRealGuardsDecisionsMapWithoutError() {
        AuraGuard g = Assessment.newGuard(TOPO);
        int[] z = {10, 10, 10, 10};
        double[] d = {5, 5, 5, 5};
        TelemetrySnapshot s = new TelemetrySnapshot(1, z, z, new int[4], new int[4], new int[4], new int[4], new int[4],
                d, d, d, new int[4], new int[4], new double[] {0.5, 0.5, 0.5, 0.5}, new double[] {0.5, 0.5, 0.5, 0.5}, new int[] {1, 1, 1, 1},
                new int[] {10, 10, 10}, new int[3]);
        Prediction p = g.predict(s);
        List<Action> actions = g.decide(s, p);
        Assessment a = Assessment.of(0, g, p, actions, NAMES, TOPO, 1);
        assertThat(a.interventions().size() + a.skippedActions().size()).isEqualTo(actions.size());
        assertThat(a.risk()).isBetween(0.0, 1.0);
    }
}
