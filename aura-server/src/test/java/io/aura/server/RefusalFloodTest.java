package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sender under an intervention that floods refused messages to made-up agent ids grows neither the
 * live topology nor the audit log by a row per message: a refusal to an agent the bus has never seen
 * is no edge, and refusals are audited as counts once a second. Real HTTP/WebSocket on H2.
 */
class RefusalFloodTest {

    @Test
    void refusalsToMadeUpIdsAddNoAgentsAndAreAuditedAsCounts(@TempDir Path dir) throws Exception {
        try (TestServer s = new TestServer(Map.of(), dir)) {
            int ghosts = 2_000;
            try (WsClient caller = SlowReaderTest.agent(s, "flooder", true); WsClient callee = SlowReaderTest.agent(s, "callee", true)) {
                caller.nextOf("connected");
                callee.nextOf("connected");
                TestServer.Response iv = s.post("/api/v1/intervene", s.token("intervene"),
                        "{\"agents\":[\"flooder\"],\"intervention_type\":\"isolate\",\"parameters\":{\"duration\":60}}");
                assertThat(iv.status()).as(iv.body()).isEqualTo(201);
                String ivId = iv.json().path("id").asText();
                for (int i = 0; i < ghosts; i++) {
                    caller.send("{\"to_agent\":\"ghost-" + i + "\",\"type\":\"task\"}");
                }
                caller.send("{\"to_agent\":\"callee\",\"type\":\"task\"}"); // a known agent: an edge, refused
                for (int i = 0; i <= ghosts; i++) {
                    assertThat(caller.next().path("error").asText()).isEqualTo("isolated");
                }
                JsonNode topo = s.get("/api/v1/topology", s.token("read")).json();
                assertThat(topo.toString()).as("no made-up agent in the topology").doesNotContain("ghost-");
                assertThat(topo.path("edges")).as(topo.toString()).hasSize(1);
                assertThat(topo.at("/edges/0/to").asText()).isEqualTo("callee");

                long deadline = System.nanoTime() + 5_000_000_000L; // the 1-s tick writes the counts
                List<String[]> rows = List.of();
                long total = 0;
                while (System.nanoTime() < deadline && total < ghosts + 1) {
                    Thread.sleep(200);
                    rows = s.server.db().query("SELECT target, detail FROM audit WHERE action = 'bus.refuse.isolated'",
                            rs -> new String[] {rs.getString(1), rs.getString(2)});
                    total = 0;
                    for (String[] r : rows) {
                        JsonNode d = Json.MAPPER.readTree(r[1]);
                        assertThat(d.path("intervention_id").asText()).isEqualTo(ivId);
                        total += d.path("refusals").asLong();
                    }
                }
                assertThat(total).as("every refusal counted in the audit log").isEqualTo(ghosts + 1);
                assertThat(rows.size()).as("rows: the made-up targets under '*', the known one by name, a few seconds' worth")
                        .isBetween(2, 10);
                assertThat(rows.stream().map(r -> r[0]).distinct().sorted().toList()).containsExactly(RefusalAudit.ANY, "callee");
            }
        }
    }
}
