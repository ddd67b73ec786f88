package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The graph form of POST /api/v1/predict answers the same whatever the order of the request's lists. */
class PredictGraphOrderTest {

    /**
     * 20 identical failing callees, each called by its own caller: 20 equal critical scores for 10
     * places. The guard breaks ties by agent number, which was the position in the request, so the
     * critical set followed the order of the agents list.
     */
    @Test
    void tiedCriticalAgentsDoNotDependOnTheOrderOfAgentsOrEdges(@TempDir Path dir) {
        List<ObjectNode> agents = new ArrayList<>();
        List<ObjectNode> edges = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String callee = String.format("s%02d", i);
            String caller = String.format("c%02d", i);
            ObjectNode s = Json.object();
            s.put("id", callee);
            s.putObject("metrics").put("arrivals", 100).put("errors", 90).put("thread_utilisation", 1.0).put("queue_length", 100);
            ObjectNode c = Json.object();
            c.put("id", caller);
            c.putObject("metrics").put("arrivals", 100).put("errors", 0).put("thread_utilisation", 0.3);
            agents.add(s);
            agents.add(c);
            edges.add(Json.object().put("from", caller).put("to", callee).put("rate", 100).put("failures", 90));
        }
        try (TestServer s = new TestServer(Map.of(), dir)) {
            String tok = s.token("analyze");
            String first = null;
            Random rnd = new Random(7);
            for (int t = 0; t < 5; t++) {
                ObjectNode body = Json.object();
                ArrayNode a = body.putArray("agents");
                ArrayNode e = body.putArray("edges");
                agents.forEach(a::add);
                edges.forEach(e::add);
                TestServer.Response r = s.post("/api/v1/predict", tok, Json.write(body));
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                JsonNode j = r.json();
                assertThat(j.path("critical_agents")).hasSize(10);
                for (JsonNode c : j.path("critical_agents")) {
                    assertThat(c.path("agent_id").asText()).startsWith("s");
                    assertThat(c.path("reason").asText()).isNotBlank();
                }
                // everything but the id and the timing must be the same text
                j = ((ObjectNode) j).deepCopy();
                ((ObjectNode) j).remove(List.of("prediction_id", "timing_ms"));
                String answer = Json.write(j);
                if (first == null) {
                    first = answer;
                } else {
                    assertThat(answer).as("answer after shuffle %d", t).isEqualTo(first);
                }
                Collections.shuffle(agents, rnd);
                Collections.shuffle(edges, rnd);
            }
        }
    }
}
