package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end tests over real HTTP against one database backend (subclasses: H2, PostgreSQL),
 * including the seed's curl examples exactly as written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerSuite {

    TestServer s;

    /** The database environment (AURA_DB_*), empty for embedded H2. */
    abstract Map<String, String> dbEnv();

    @BeforeAll
    void startServer(@TempDir Path dir) {
        Map<String, String> env = new HashMap<>(dbEnv());
        env.put("MAX_AGENTS_PER_REQUEST", "5");
        env.put("MAX_TOPOLOGY_DIMENSION", "10");
        env.put("TDA_BATCH_SIZE", "200");
        env.put("AURA_MAX_BODY_BYTES", "100000");
        env.put("ENABLE_QUANTUM_TDA", "true");
        s = new TestServer(env, dir.resolve("data"));
    }

    @AfterAll
    void stopServer() {
        if (s != null) {
            s.close();
            dropDatabase(s.env);
        }
    }

    /** Removes what the run created in a shared database (PostgreSQL: the random schema). */
    void dropDatabase(Map<String, String> env) {
    }

    static void assertError(TestServer.Response r, int status, String error, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode j = r.json();
        assertThat(j.path("error").asText()).as(r.body()).isEqualTo(error);
        assertThat(j.path("message").asText()).isNotBlank();
        assertThat(j.has("field")).isTrue();
        if (field != null) {
            assertThat(j.path("field").asText()).isEqualTo(field);
        }
    }

    // --- seed: POST /api/v1/analyze, exactly as in the API reference
    static final String SEED_ANALYZE = """
            {
                "topology_data": [[1.0, 2.0], [3.0, 4.0]],
                "algorithm": "persistent_homology",
                "parameters": {
                  "max_dimension": 2,
                  "max_edge_length": 10.0
                }
              }""";

    static final String SEED_INTERVENE = """
            {
                "agents": ["agent_1", "agent_2"],
                "intervention_type": "circuit_breaker",
                "parameters": {
                  "duration": 300,
                  "severity": "high"
                }
              }""";

    /**
     * An agent token naming an id the bus would refuse (only enrol mints agent tokens, and it checks
     * the id; this one is signed with the server's secret directly) does not connect even on its own
     * path: frames carry the sender's id unescaped.
     */
    @Test
    void anAgentTokenWithAnInvalidIdDoesNotConnect() {
        String badId = "bad\"id";
        String bad = s.server.tokens().agent(badId, java.util.Set.of("read", "write"), java.time.Duration.ofMinutes(5));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.server.bus().authorizeAgent(badId, bad))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(403));
        String good = s.server.tokens().agent("good_id", java.util.Set.of("read", "write"), java.time.Duration.ofMinutes(5));
        assertThat(s.server.bus().authorizeAgent("good_id", good).agentId()).isEqualTo("good_id");
    }

    @Test
    void seedAnalyzeExample() {
        TestServer.Response r = s.post("/api/v1/analyze", s.token("analyze"), SEED_ANALYZE);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(UUID.fromString(j.path("signature_id").asText())).isNotNull();
        assertThat(j.path("algorithm").asText()).isEqualTo("persistent_homology");
        assertThat(j.at("/input/points").asInt()).isEqualTo(2);
        assertThat(j.at("/filtration/threshold").asDouble()).isEqualTo(10.0);
        // two points sqrt(8) apart: H0 = {[0, 2.828427), [0, inf)}
        JsonNode h0 = j.at("/diagrams/0/intervals");
        assertThat(h0).hasSize(2);
        assertThat(h0.get(0).get(1).asDouble()).isCloseTo(Math.sqrt(8), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(h0.get(1).get(1).isNull()).isTrue();
        assertThat(j.at("/betti_numbers/values/0").asInt()).isEqualTo(1);
        assertThat(j.path("timing_ms").has("compute")).isTrue();
    }

    @Test
    void analyzeCircleHasOneLoopAndIsStoredAsSignature() {
        StringBuilder pts = new StringBuilder("[");
        for (int i = 0; i < 12; i++) {
            double a = 2 * Math.PI * i / 12;
            pts.append(i == 0 ? "" : ",").append("[").append(Math.cos(a)).append(",").append(Math.sin(a)).append("]");
        }
        pts.append("]");
        String body = "{\"topology_data\":" + pts + ",\"parameters\":{\"max_dimension\":1,\"scale\":0.8}}";
        TestServer.Response r = s.post("/api/v1/analyze", s.token("analyze"), body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().at("/betti_numbers/values").toString()).isEqualTo("[1,1]");
        assertThat(r.json().path("cache_hit").asBoolean()).isFalse();
        TestServer.Response again = s.post("/api/v1/analyze", s.token("analyze"), body);
        assertThat(again.json().path("cache_hit").asBoolean()).isTrue();
        assertThat(again.json().path("diagrams")).isEqualTo(r.json().path("diagrams"));
        assertThat(again.json().path("signature_id").asText()).isNotEqualTo(r.json().path("signature_id").asText());
    }

    @Test
    void analyzeDistanceMatrixAndWeightedGraph() {
        TestServer.Response m = s.post("/api/v1/analyze", s.token("analyze"),
                "{\"input_type\":\"distance_matrix\",\"topology_data\":[[0,1,2],[1,0,1.5],[2,1.5,0]],\"parameters\":{\"max_dimension\":0}}");
        assertThat(m.status()).as(m.body()).isEqualTo(200);
        assertThat(m.json().at("/diagrams/0/intervals").toString()).isEqualTo("[[0.0,1.0],[0.0,1.5],[0.0,null]]");
        TestServer.Response g = s.post("/api/v1/analyze", s.token("analyze"),
                "{\"input_type\":\"weighted_graph\",\"topology_data\":[[0,1,1],[1,2,1],[2,3,1],[3,0,1]],\"parameters\":{\"max_dimension\":1}}");
        assertThat(g.status()).as(g.body()).isEqualTo(200);
        // a 4-cycle without chords is one loop that never fills in
        assertThat(g.json().at("/diagrams/1/intervals").toString()).isEqualTo("[[1.0,null]]");
        assertThat(g.json().at("/filtration/threshold_kind").asText()).isEqualTo("largest_finite_value");
        // an edge list naming each edge from both ends is the same graph (the first side listed again at a shorter length)
        TestServer.Response both = s.post("/api/v1/analyze", s.token("analyze"),
                "{\"input_type\":\"weighted_graph\",\"topology_data\":[[0,1,1],[1,0,1],[1,2,1],[2,1,1],[2,3,1],[3,2,1],[3,0,1],[0,3,1],[1,0,0.5]],"
                + "\"parameters\":{\"max_dimension\":1}}");
        assertThat(both.status()).as(both.body()).isEqualTo(200);
        assertThat(both.json().at("/diagrams/1/intervals").toString()).isEqualTo("[[1.0,null]]");
        assertThat(both.json().at("/diagrams/0/intervals").toString()).isEqualTo("[[0.0,0.5],[0.0,1.0],[0.0,1.0],[0.0,null]]");
    }

    @Test
    void analyzeRejectsBadInputWithClearErrors() {
        String t = s.token("analyze");
        TestServer.Response alg = s.post("/api/v1/analyze", t, "{\"topology_data\":[[1,2]],\"algorithm\":\"quantum_tda\"}");
        assertError(alg, 400, "unknown_algorithm", "algorithm");
        assertThat(alg.json().path("message").asText()).contains("persistent_homology");
        assertError(s.post("/api/v1/analyze", t, "{\"topology_data\":[[NaN, 1]]}"), 400, "invalid_json", null);
        assertError(s.post("/api/v1/analyze", t, "{\"topology_data\":[[1e400, 1]]}"), 400, "invalid_request", "topology_data[0][0]");
        assertError(s.post("/api/v1/analyze", t, "{\"topology_data\":[[1, 2], [3]]}"), 400, "invalid_request", "topology_data[1]");
        assertError(s.post("/api/v1/analyze", t, "{\"topology_data\":[[1, \"x\"]]}"), 400, "invalid_request", "topology_data[0][1]");
        assertError(s.post("/api/v1/analyze", t, "{\"topology_data\":\"abc\"}"), 400, "invalid_request", "topology_data");
        assertError(s.post("/api/v1/analyze", t, "{}"), 400, "invalid_request", "topology_data");
        assertError(s.post("/api/v1/analyze", t, "[1,2]"), 400, "invalid_request", null);
        assertError(s.post("/api/v1/analyze", t, "{\"topology_data\":[[1,2]],\"parameters\":{\"max_dimension\":9}}"),
                400, "invalid_request", "parameters.max_dimension");
        assertError(s.post("/api/v1/analyze", t, "{\"topology_data\":[[1,2]],\"parameters\":{\"max_dimension\":1.5}}"),
                400, "invalid_request", "parameters.max_dimension");
        assertError(s.post("/api/v1/analyze", t, "{\"topology_data\":[[1,2]],\"parameters\":{\"max_edge_length\":-1}}"),
                400, "invalid_request", "parameters.max_edge_length");
        assertError(s.post("/api/v1/analyze", t, "{\"topology_data\":[[1,2]],\"parameters\":{\"modulus\":4}}"),
                400, "invalid_request", "parameters.modulus");
        // past the cut the filtration is unknown: Betti numbers there would count classes it never closed
        assertError(s.post("/api/v1/analyze", t, "{\"topology_data\":[[1,2]],\"parameters\":{\"max_edge_length\":0.3,\"scale\":5}}"),
                400, "invalid_request", "parameters.scale");
        assertError(s.post("/api/v1/analyze", t, "{\"topology_data\":[[1,2]],\"parameters\":{\"scale\":-1}}"),
                400, "invalid_request", "parameters.scale");
        // values the engine's float distances cannot hold are refused, not answered wrongly
        assertError(s.post("/api/v1/analyze", t, "{\"topology_data\":[[1e38,0],[-1e38,0],[0,1e38]]}"),
                400, "invalid_request", "topology_data[0][0]");
        assertError(s.post("/api/v1/analyze", t, "{\"input_type\":\"distance_matrix\",\"topology_data\":[[0,1e300],[1e300,0]]}"),
                400, "invalid_request", "topology_data[1][0]");
        assertError(s.post("/api/v1/analyze", t, "{\"topology_data\":[[1,2,3,4,5,6,7,8,9,10,11]]}"),
                413, "dimension_too_large", "topology_data[0]");
        assertError(s.post("/api/v1/analyze", t, "{\"topology_data\":[" + "[1],".repeat(200) + "[1]]}"),
                413, "too_many_points", "topology_data");
        assertError(s.post("/api/v1/analyze", t, "{\"input_type\":\"distance_matrix\",\"topology_data\":[[0,1],[2,0]]}"),
                400, "invalid_request", "topology_data[0][1]");
        assertError(s.post("/api/v1/analyze", t, "{\"input_type\":\"weighted_graph\",\"topology_data\":[[0,1.5,1]]}"),
                400, "invalid_request", "topology_data[0][1]");
        TestServer.Response loops = s.post("/api/v1/analyze", t, "{\"input_type\":\"weighted_graph\",\"topology_data\":[[1,1,1]]}");
        assertError(loops, 400, "invalid_request", "topology_data");
        assertThat(loops.json().path("message").asText()).contains("no edge between two different vertices");
        assertError(s.post("/api/v1/analyze", t, "{\"topology_data\":" + "[".repeat(100) + "]".repeat(100) + "}"),
                400, "invalid_json", null);
        assertError(s.post("/api/v1/analyze", t, "{\"topology_data\":[[1,2]]} trailing"), 400, "invalid_json", null);
        assertError(s.post("/api/v1/analyze", t, "{\"topology_data\":[[1,2]], \"topology_data\":[[1,2]]}"), 400, "invalid_json", null);
        assertError(s.post("/api/v1/analyze", t, "{\"pad\":\"" + "x".repeat(100_001) + "\"}"), 413, "body_too_large", null);
    }

    @Test
    void authIsRequiredAndScopesAreEnforced() {
        TestServer.Response anon = s.post("/api/v1/analyze", null, SEED_ANALYZE);
        assertError(anon, 401, "unauthorized", null);
        assertThat(anon.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Bearer"));
        assertError(s.get("/api/v1/interventions", null), 401, "unauthorized", null);
        assertError(s.get("/api/v1/no-such-route", null), 401, "unauthorized", null);
        assertError(s.post("/api/v1/analyze", s.token("read"), SEED_ANALYZE), 403, "insufficient_scope", null);
        assertError(s.post("/api/v1/intervene", s.token("analyze"), SEED_INTERVENE), 403, "insufficient_scope", null);
        assertError(s.post("/api/v1/analyze", "not.a.jwt", SEED_ANALYZE), 401, "invalid_token", null);
        Tokens other = new Tokens("another-secret-0123456789-0123456789-012345", java.time.Clock.systemUTC());
        String forged = other.operator("mallory", java.util.Set.of("analyze"), java.time.Duration.ofMinutes(5));
        assertError(s.post("/api/v1/analyze", forged, SEED_ANALYZE), 401, "invalid_token", null);
        Tokens past = new Tokens(TestServer.SECRET, java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofHours(-2)));
        String expired = past.operator("old", java.util.Set.of("analyze"), java.time.Duration.ofMinutes(5));
        TestServer.Response exp = s.post("/api/v1/analyze", expired, SEED_ANALYZE);
        assertError(exp, 401, "invalid_token", null);
        assertThat(exp.json().path("message").asText()).contains("expired");
        // alg=none with the same claims
        String[] parts = s.token("analyze").split("\\.");
        String none = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "." + parts[1] + ".";
        assertError(s.post("/api/v1/analyze", none, SEED_ANALYZE), 401, "invalid_token", null);
    }

    @Test
    void seedInterveneExampleListGetRevoke() {
        String t = s.token("intervene", "read");
        TestServer.Response r = s.post("/api/v1/intervene", t, SEED_INTERVENE);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode iv = r.json();
        String id = iv.path("id").asText();
        assertThat(iv.path("state").asText()).isEqualTo("active");
        assertThat(iv.path("agents").toString()).isEqualTo("[\"agent_1\",\"agent_2\"]");
        assertThat(iv.at("/parameters/severity").asText()).isEqualTo("high");
        assertThat(iv.path("remaining_seconds").asDouble()).isBetween(290.0, 300.0);
        assertThat(r.raw().headers().firstValue("Location")).hasValue("/api/v1/interventions/" + id);

        assertThat(ids(s.get("/api/v1/interventions", t).json())).contains(id);
        TestServer.Response one = s.get("/api/v1/interventions/" + id, t);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().path("intervention_type").asText()).isEqualTo("circuit_breaker");

        TestServer.Response del = s.delete("/api/v1/interventions/" + id, t);
        assertThat(del.status()).as(del.body()).isEqualTo(200);
        assertThat(del.json().path("state").asText()).isEqualTo("revoked");
        assertThat(del.json().path("revoked_by").asText()).isEqualTo("tester");
        assertThat(ids(s.get("/api/v1/interventions", t).json())).doesNotContain(id);
        assertThat(ids(s.get("/api/v1/interventions?state=all", t).json())).contains(id);
        assertError(s.get("/api/v1/interventions/" + UUID.randomUUID(), t), 404, "not_found", "id");
        assertError(s.delete("/api/v1/interventions/nope", t), 404, "not_found", "id");
        assertError(s.get("/api/v1/interventions?state=x", t), 400, "invalid_request", "state");
    }

    @Test
    void interventionTypesAndLimits() {
        String t = s.token("intervene");
        TestServer.Response rl = s.post("/api/v1/intervene", t,
                "{\"agents\":[\"a\"],\"intervention_type\":\"rate_limit\",\"parameters\":{\"rate\":2.5,\"duration\":10}}");
        assertThat(rl.status()).as(rl.body()).isEqualTo(201);
        assertThat(rl.json().at("/parameters/rate").asDouble()).isEqualTo(2.5);
        TestServer.Response ls = s.post("/api/v1/intervene", t, "{\"agents\":[\"a\"],\"intervention_type\":\"load_shed\"}");
        assertThat(ls.json().at("/parameters/fraction").asDouble()).isEqualTo(0.5);
        assertThat(ls.json().at("/parameters/duration").asInt()).isEqualTo(300);
        TestServer.Response bad = s.post("/api/v1/intervene", t, "{\"agents\":[\"a\"],\"intervention_type\":\"reboot\"}");
        assertError(bad, 400, "invalid_request", "intervention_type");
        assertThat(bad.json().path("message").asText()).contains("circuit_breaker", "isolate", "rate_limit", "load_shed");
        assertError(s.post("/api/v1/intervene", t, "{\"agents\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"],\"intervention_type\":\"isolate\"}"),
                413, "too_many_agents", "agents");
        assertError(s.post("/api/v1/intervene", t, "{\"agents\":[],\"intervention_type\":\"isolate\"}"), 400, "invalid_request", "agents");
        assertError(s.post("/api/v1/intervene", t, "{\"agents\":[\"a b\"],\"intervention_type\":\"isolate\"}"), 400, "invalid_request", "agents[0]");
        // an agent named twice is a mistake in either endpoint, refused naming the repeat
        assertError(s.post("/api/v1/intervene", t, "{\"agents\":[\"a\",\"b\",\"a\"],\"intervention_type\":\"isolate\"}"), 400,
                "invalid_request", "agents[2]");
        assertError(s.post("/api/v1/predict", s.token("analyze"), "{\"agents\":[\"a\",\"a\"]}"), 400, "invalid_request", "agents[1]");
        assertError(s.post("/api/v1/intervene", t, "{\"agents\":[\"a\"],\"intervention_type\":\"isolate\",\"parameters\":{\"duration\":0}}"),
                400, "invalid_request", "parameters.duration");
        assertError(s.post("/api/v1/intervene", t, "{\"agents\":[\"a\"],\"intervention_type\":\"isolate\",\"parameters\":{\"rate\":1}}"),
                400, "invalid_request", "parameters.rate");
        assertError(s.post("/api/v1/intervene", t, "{\"agents\":[\"a\"],\"intervention_type\":\"circuit_breaker\",\"parameters\":{\"severity\":\"extreme\"}}"),
                400, "invalid_request", "parameters.severity");
    }

    @Test
    void healthMetricsOpenApi() {
        TestServer.Response h = s.get("/health", null);
        assertThat(h.status()).isEqualTo(200);
        assertThat(h.json().at("/checks/database/status").asText()).isEqualTo("UP");
        assertThat(s.get("/health/live", null).status()).isEqualTo(200);
        s.post("/api/v1/analyze", s.token("analyze"), "{\"topology_data\":[[0,0],[1,1],[2,0.5]]}");
        TestServer.Response m = s.get("/metrics", null);
        assertThat(m.status()).isEqualTo(200);
        assertThat(m.body()).contains("aura_tda_processing_duration_seconds_bucket", "aura_active_requests",
                "jvm_memory_used_bytes", "http_server_requests_seconds_count{method=\"POST\",status=\"200\",uri=\"/api/v1/analyze\"}");
        TestServer.Response o = s.get("/openapi.json", null);
        assertThat(o.status()).isEqualTo(200);
        assertThat(o.json().path("openapi").asText()).startsWith("3.");
        for (String route : java.util.List.of("/api/v1/analyze", "/api/v1/predict", "/api/v1/predictions/{id}", "/api/v1/intervene", "/api/v1/interventions",
                "/api/v1/interventions/{id}", "/api/v1/agents", "/api/v1/topology", "/a2a/auth/agent", "/mcp", "/health",
                "/health/live", "/health/ready", "/metrics", "/openapi.json")) {
            assertThat(o.json().path("paths").has(route)).as(route).isTrue();
        }
        assertError(s.get("/nope", null), 404, "not_found", null);
        // refusals keep their endpoint in the per-endpoint metrics: a 401 of the auth filter, an unknown id's 404
        s.post("/api/v1/predict", null, SEED_PREDICT);
        s.get("/api/v1/interventions/no-such-id", s.token("read"));
        assertThat(s.get("/metrics", null).body()).contains(
                "http_server_requests_seconds_count{method=\"POST\",status=\"401\",uri=\"/api/v1/predict\"}",
                "http_server_requests_seconds_count{method=\"GET\",status=\"404\",uri=\"/api/v1/interventions/{id}\"}",
                "http_server_requests_seconds_count{method=\"GET\",status=\"404\",uri=\"NOT_FOUND\"}");
    }

    @Test
    void activeInterventionsSurviveARestartWithTheirRemainingTime() throws InterruptedException {
        String t = s.token("intervene", "read");
        TestServer.Response r = s.post("/api/v1/intervene", t,
                "{\"agents\":[\"agent_9\"],\"intervention_type\":\"isolate\",\"parameters\":{\"duration\":120}}");
        String id = r.json().path("id").asText();
        TestServer.Response shortLived = s.post("/api/v1/intervene", t,
                "{\"agents\":[\"agent_8\"],\"intervention_type\":\"isolate\",\"parameters\":{\"duration\":1}}");
        String shortId = shortLived.json().path("id").asText();
        s.restart();
        Thread.sleep(1100);
        String t2 = s.token("read");
        TestServer.Response after = s.get("/api/v1/interventions/" + id, t2);
        assertThat(after.status()).as(after.body()).isEqualTo(200);
        assertThat(after.json().path("state").asText()).isEqualTo("active");
        assertThat(after.json().path("remaining_seconds").asDouble()).isBetween(100.0, 119.0);
        assertThat(s.get("/api/v1/interventions/" + shortId, t2).json().path("state").asText()).isEqualTo("expired");
        assertThat(ids(s.get("/api/v1/interventions", t2).json())).contains(id).doesNotContain(shortId);
    }

    static final String SEED_ENROL = """
            {
                "agent_id": "predictor_001",
                "agent_type": "predictor",
                "capabilities": ["tda", "prediction"],
                "permissions": ["read", "write"]
              }""";

    static final String SEED_A2A_MESSAGE = """
            {"to_agent": "controller_001", "type": "prediction", "payload": {"cascade_risk": 0.85, "confidence": 0.92}}""";

    String enrol(String agentId) {
        TestServer.Response r = s.post("/a2a/auth/agent", s.token("enrol"),
                SEED_ENROL.replace("predictor_001", agentId));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("token").asText();
    }

    java.net.URI ws(String path) {
        return java.net.URI.create("ws://127.0.0.1:" + s.server.port() + path);
    }

    @Test
    void seedEnrolExampleGrantsNoMoreThanAllowed() {
        TestServer.Response r = s.post("/a2a/auth/agent", s.token("enrol"), SEED_ENROL);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("agent_id").asText()).isEqualTo("predictor_001");
        assertThat(r.json().path("permissions").toString()).isEqualTo("[\"read\",\"write\"]");
        Tokens.Principal p = s.server.tokens().verify(r.json().path("token").asText());
        assertThat(p.agentId()).isEqualTo("predictor_001");
        assertThat(r.json().path("expires_in").asLong()).isEqualTo(3600);
        assertError(s.post("/a2a/auth/agent", null, SEED_ENROL), 401, "unauthorized", null);
        // a key sent to a server that has none: said so, with the way that works
        TestServer.Response keyed = s.send(java.net.http.HttpRequest.newBuilder(s.uri("/a2a/auth/agent")).header("X-Enrolment-Key", "abc")
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(SEED_ENROL)), null);
        assertError(keyed, 401, "unauthorized", null);
        assertThat(keyed.json().path("message").asText()).contains("this server has no AURA_ENROLMENT_KEY");
        assertError(s.post("/a2a/auth/agent", s.token("analyze"), SEED_ENROL), 403, "insufficient_scope", null);
        assertError(s.post("/a2a/auth/agent", s.token("enrol"), SEED_ENROL.replace("\"write\"", "\"admin\"")),
                403, "permission_denied", "permissions[1]");
        // an agent token cannot enrol others, nor call the operator API
        String agentToken = r.json().path("token").asText();
        assertError(s.post("/a2a/auth/agent", agentToken, SEED_ENROL), 403, "insufficient_scope", null);
        assertError(s.get("/api/v1/interventions", agentToken), 403, "forbidden", null);
        TestServer.Response list = s.get("/api/v1/agents", s.token("read"));
        assertThat(list.body()).contains("predictor_001");
    }

    @Test
    void agentTokensCannotSubscribeAndAnAgentWithoutReadReceivesNothing() throws Exception {
        String spy = enrol("spy_001");
        // the agent's 'read' permission is not the operator scope 'read': /ws stays closed to it
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new WsClient(ws("/ws"), spy)))
                .hasStackTraceContaining("status code 403");
        TestServer.Response w = s.post("/a2a/auth/agent", s.token("enrol"),
                "{\"agent_id\":\"writer_only\",\"permissions\":[\"write\"]}");
        assertThat(w.status()).as(w.body()).isEqualTo(200);
        String sender = enrol("sender_001");
        try (WsClient wo = new WsClient(ws("/ws/a2a/writer_only"), w.json().path("token").asText());
             WsClient snd = new WsClient(ws("/ws/a2a/sender_001"), sender)) {
            JsonNode hello = wo.next(); // the first frame of an agent socket: registered, reachable from now on
            assertThat(hello.path("type").asText()).isEqualTo("connected");
            assertThat(hello.path("agent_id").asText()).isEqualTo("writer_only");
            assertThat(java.time.Instant.parse(hello.path("expires_at").asText())).isAfter(java.time.Instant.now());
            assertThat(snd.nextOf("connected").path("agent_id").asText()).isEqualTo("sender_001");
            snd.send("{\"to_agent\":\"writer_only\",\"type\":\"x\",\"payload\":{\"secret\":1}}");
            JsonNode refused = snd.nextOf("error");
            assertThat(refused.path("error").asText()).isEqualTo("permission_denied");
            assertThat(refused.path("field").asText()).isEqualTo("to_agent");
            assertThat(wo.received.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void busPayloadsArriveAsWrittenAndBinaryFramesAreAnswered() throws Exception {
        String a = enrol("exact_sender");
        String b = enrol("exact_receiver");
        try (WsClient snd = new WsClient(ws("/ws/a2a/exact_sender"), a); WsClient rcv = new WsClient(ws("/ws/a2a/exact_receiver"), b)) {
            Thread.sleep(100);
            snd.send("{\"to_agent\":\"exact_receiver\",\"type\":\"p\",\"payload\":{\"a\":1.00000000000000000001,"
                    + "\"b\":123456789012345678901234567890.5,\"c\":1e400,\"d\":2.50,\"n\":12345678901234567890123}}");
            snd.nextOf("ack");
            String text = null;
            for (int i = 0; i < 20 && text == null; i++) {
                String t = rcv.received.poll(5, java.util.concurrent.TimeUnit.SECONDS);
                if (t != null && t.contains("\"message\"")) {
                    text = t;
                }
            }
            assertThat(text).contains("\"a\":1.00000000000000000001", "\"b\":123456789012345678901234567890.5",
                    "\"c\":1E+400", "\"d\":2.50", "\"n\":12345678901234567890123").doesNotContain("Infinity");
            snd.ws.sendBinary(java.nio.ByteBuffer.wrap("{\"to_agent\":\"exact_receiver\",\"type\":\"p\"}".getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)), true).join();
            assertThat(snd.nextOf("error").path("error").asText()).isEqualTo("invalid_frame");
        }
    }

    @Test
    void requestsJettyRefusesEarlyAndWrongMethodsGetJsonErrors() throws Exception {
        assertError(s.get("/api/v1/interventions/%ff", s.token("read")), 400, "bad_request", null);
        // Jetty writes its error page for GET, POST and HEAD only: the other methods get the JSON too
        assertError(s.delete("/api/v1/interventions/%ff", s.token("intervene")), 400, "bad_request", null);
        assertError(s.send(java.net.http.HttpRequest.newBuilder(s.uri("/api/v1/interventions/%ff"))
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.noBody()), s.token("intervene")), 400, "bad_request", null);
        // a method override is refused, not obeyed: a GET must not revoke an intervention
        String iv = s.post("/api/v1/intervene", s.token("intervene"), SEED_INTERVENE).json().path("id").asText();
        for (String m : List.of("DELETE", "BEFORE")) {
            assertError(s.send(java.net.http.HttpRequest.newBuilder(s.uri("/api/v1/interventions/" + iv)).GET()
                    .header("X-HTTP-Method-Override", m), s.token("read", "intervene")), 400, "bad_request", null);
        }
        assertThat(s.get("/api/v1/interventions/" + iv, s.token("read")).json().path("state").asText()).isEqualTo("active");
        s.delete("/api/v1/interventions/" + iv, s.token("intervene"));
        // enrolment checks its credential before reading the body: no credential is 401 whatever the body
        // (a raw socket: the request announces 10 MB and sends a few bytes; the 401 must come without the rest. An
        // HTTP client that sends a large body and gets the answer early may see the closed connection instead.)
        try (java.net.Socket sock = new java.net.Socket("127.0.0.1", s.server.port())) {
            sock.getOutputStream().write(("POST /a2a/auth/agent HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 10000000\r\n\r\n[0,0,").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            sock.getOutputStream().flush();
            sock.setSoTimeout(5000);
            String answer = new String(sock.getInputStream().readNBytes(1000), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 401").contains("\"error\":\"unauthorized\"");
        }
        TestServer.Response put = s.send(java.net.http.HttpRequest.newBuilder(s.uri("/api/v1/analyze"))
                .PUT(java.net.http.HttpRequest.BodyPublishers.noBody()), s.token("analyze"));
        assertError(put, 405, "method_not_allowed", null);
        assertError(s.get("/api/v1/interventions?limit=%D9%A3", s.token("read")), 400, "invalid_request", "limit");
        try (java.net.Socket sock = new java.net.Socket("127.0.0.1", s.server.port())) {
            sock.getOutputStream().write("GET /health HTTP/9.9\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            sock.setSoTimeout(5000);
            String answer = new String(sock.getInputStream().readNBytes(2000), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("application/json").contains("\"error\":\"bad_request\"");
        }
        // a refused WebSocket upgrade says why, in the same JSON
        assertThat(s.upgrade("/ws/a2a/nobody", null)).startsWith("HTTP/1.1 401").contains("WWW-Authenticate")
                .contains("\"error\":\"unauthorized\"");
    }

    @Test
    void misspeltFieldsAreRefusedInsteadOfDefaulted() {
        assertError(s.post("/a2a/auth/agent", s.token("enrol"), "{\"agent_id\":\"typo_1\",\"permisions\":[\"read\"]}"),
                400, "invalid_request", "permisions");
        assertError(s.post("/api/v1/intervene", s.token("intervene"),
                "{\"agents\":[\"typo_1\"],\"intervention_type\":\"isolate\",\"params\":{\"duration\":30}}"),
                400, "invalid_request", "params");
        assertError(s.post("/api/v1/analyze", s.token("analyze"),
                "{\"topology_data\":[[0,0],[1,0]],\"paramters\":{\"max_dimension\":0}}"), 400, "invalid_request", "paramters");
        assertError(s.post("/api/v1/analyze", s.token("analyze"), "{\"topology_data\":[[0,0],[1,0]],\"parameters\":{\"modulus\":4}}"),
                400, "invalid_request", "parameters.modulus");
        TestServer.Response anon = s.post("/a2a/auth/agent", null, "{\"agent_id\":\"typo_1\"}");
        assertError(anon, 401, "unauthorized", null);
        assertThat(anon.raw().headers().firstValue("WWW-Authenticate")).isPresent();
        // nothing was created by the refused requests
        assertThat(s.get("/api/v1/agents", s.token("read")).body()).doesNotContain("typo_1");
        assertThat(s.get("/api/v1/interventions", s.token("read")).body()).doesNotContain("typo_1");
    }

    @Test
    void predictRefusesRepeatedAgentsAndTakesObjectsAnywhereInTheList() {
        String t = s.token("analyze");
        assertError(s.post("/api/v1/predict", t, "{\"agents\":[\"a\",\"b\",\"a\"]}"), 400, "invalid_request", "agents[2]");
        TestServer.Response mixed = s.post("/api/v1/predict", t, "{\"agents\":[\"cache\",{\"id\":\"api\"}]}");
        assertThat(mixed.status()).as(mixed.body()).isEqualTo(200);
        assertThat(mixed.json().path("form").asText()).isEqualTo("graph");
    }

    @Test
    void aRateLimitNeverAsksToWaitPastItsOwnEnd() throws Exception {
        String a = enrol("slow_sender");
        String b = enrol("slow_receiver");
        String op = s.token("intervene");
        String rl = s.post("/api/v1/intervene", op, "{\"agents\":[\"slow_sender\"],\"intervention_type\":\"rate_limit\","
                + "\"parameters\":{\"rate\":0.001,\"duration\":60}}").json().path("id").asText();
        try (WsClient snd = new WsClient(ws("/ws/a2a/slow_sender"), a); WsClient rcv = new WsClient(ws("/ws/a2a/slow_receiver"), b)) {
            Thread.sleep(100);
            snd.send("{\"to_agent\":\"slow_receiver\",\"type\":\"x\"}");
            snd.nextOf("ack");
            rcv.nextOf("message");
            snd.send("{\"to_agent\":\"slow_receiver\",\"type\":\"x\"}");
            JsonNode limited = snd.nextOf("error");
            assertThat(limited.path("error").asText()).isEqualTo("rate_limited");
            assertThat(limited.path("retry_after_seconds").asDouble()).isBetween(50.0, 60.0);
        } finally {
            s.delete("/api/v1/interventions/" + rl, op);
        }
    }

    @Test
    void busRelaysSeedMessageAndEnforcesInterventions() throws Exception {
        String pTok = enrol("predictor_001");
        String cTok = enrol("controller_001");
        // another agent's token, or none, cannot connect
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new WsClient(ws("/ws/a2a/predictor_001"), cTok)))
                .hasStackTraceContaining("status code 403");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new WsClient(ws("/ws/a2a/predictor_001"), null)))
                .hasStackTraceContaining("status code 401");
        try (WsClient pred = new WsClient(ws("/ws/a2a/predictor_001"), pTok);
             WsClient ctrl = new WsClient(ws("/ws/a2a/controller_001?token=" + cTok), null)) {
            Thread.sleep(100);
            pred.send(SEED_A2A_MESSAGE);
            JsonNode got = ctrl.nextOf("message");
            assertThat(got.path("from_agent").asText()).isEqualTo("predictor_001");
            assertThat(got.path("message_type").asText()).isEqualTo("prediction");
            assertThat(got.at("/payload/cascade_risk").asDouble()).isEqualTo(0.85);
            assertThat(pred.nextOf("ack").path("id").asText()).isEqualTo(got.path("id").asText());

            String op = s.token("intervene", "read");
            String cb = s.post("/api/v1/intervene", op, "{\"agents\":[\"controller_001\"],\"intervention_type\":\"circuit_breaker\",\"parameters\":{\"duration\":60}}")
                    .json().path("id").asText();
            pred.send(SEED_A2A_MESSAGE);
            JsonNode refused = pred.nextOf("error");
            assertThat(refused.path("error").asText()).isEqualTo("circuit_open");
            assertThat(refused.path("intervention_id").asText()).isEqualTo(cb);
            assertThat(refused.path("retry_after_seconds").asDouble()).isBetween(50.0, 60.0);
            s.delete("/api/v1/interventions/" + cb, op);
            pred.send(SEED_A2A_MESSAGE);
            assertThat(pred.nextOf("ack").has("id")).isTrue();
            ctrl.nextOf("message");

            String iso = s.post("/api/v1/intervene", op, "{\"agents\":[\"predictor_001\"],\"intervention_type\":\"isolate\"}")
                    .json().path("id").asText();
            pred.send(SEED_A2A_MESSAGE);
            assertThat(pred.nextOf("error").path("error").asText()).isEqualTo("isolated");
            s.delete("/api/v1/interventions/" + iso, op);

            String rl = s.post("/api/v1/intervene", op, "{\"agents\":[\"predictor_001\"],\"intervention_type\":\"rate_limit\",\"parameters\":{\"rate\":0.5}}")
                    .json().path("id").asText();
            pred.send(SEED_A2A_MESSAGE);
            assertThat(pred.nextOf("ack").has("id")).isTrue();
            pred.send(SEED_A2A_MESSAGE);
            JsonNode limited = pred.nextOf("error");
            assertThat(limited.path("error").asText()).isEqualTo("rate_limited");
            assertThat(limited.path("retry_after_seconds").asDouble()).isBetween(1.0, 2.0);
            s.delete("/api/v1/interventions/" + rl, op);

            String ls = s.post("/api/v1/intervene", op, "{\"agents\":[\"controller_001\"],\"intervention_type\":\"load_shed\",\"parameters\":{\"fraction\":0.5}}")
                    .json().path("id").asText();
            int shed = 0;
            for (int i = 0; i < 10; i++) {
                pred.send(SEED_A2A_MESSAGE);
                JsonNode f = pred.next();
                if (f.path("type").asText().equals("error")) {
                    assertThat(f.path("error").asText()).isEqualTo("load_shed");
                    shed++;
                }
            }
            assertThat(shed).isEqualTo(5);
            s.delete("/api/v1/interventions/" + ls, op);

            pred.send("{\"to_agent\":\"nobody_here\",\"type\":\"x\"}");
            assertThat(pred.nextOf("error").path("error").asText()).isEqualTo("agent_offline");
            pred.send("{not json");
            assertThat(pred.nextOf("error").path("error").asText()).isEqualTo("invalid_json");
            pred.send("{\"type\":\"x\"}");
            assertThat(pred.nextOf("error").path("field").asText()).isEqualTo("to_agent");

            JsonNode topo = s.get("/api/v1/topology", op).json();
            JsonNode edge = null;
            for (JsonNode e : topo.path("edges")) {
                if (e.path("from").asText().equals("predictor_001") && e.path("to").asText().equals("controller_001")) {
                    edge = e;
                }
            }
            assertThat(edge).isNotNull();
            assertThat(edge.path("messages").asLong()).isEqualTo(8);
            assertThat(edge.path("refused").asLong()).isEqualTo(8);
            assertThat(edge.path("rate_per_second").asDouble()).isPositive();
            assertThat(s.get("/metrics", null).body()).contains("aura_agent_messages_total{outcome=\"circuit_open\"}");
        }
    }

    /**
     * An agent's report about its own load: acknowledged, not relayed, not a call; bad values are
     * answered with an error frame naming the field and the connection stays usable; the reported
     * CPU reaches the guard (max_util in the live predict form's model features).
     */
    @Test
    void agentTelemetryReachesThePredictorAndBadReportsNameTheField() throws Exception {
        String wTok = enrol("tel_worker");
        String cTok = enrol("tel_caller");
        try (WsClient wk = new WsClient(ws("/ws/a2a/tel_worker"), wTok);
             WsClient ca = new WsClient(ws("/ws/a2a/tel_caller"), cTok)) {
            Thread.sleep(100); // the connections are registered
            String report = "{\"type\": \"telemetry\", \"payload\": {\"cpu_utilisation\": 0.97, \"thread_utilisation\": 0.8,"
                    + " \"queue_length\": 42, \"in_flight\": 7, \"p50_latency_ms\": 12, \"p95_latency_ms\": 40,"
                    + " \"p99_latency_ms\": 85, \"healthy_instances\": 3}}";
            wk.send(report);
            JsonNode ack = wk.nextOf("ack");
            assertThat(ack.path("message_type").asText()).isEqualTo("telemetry");
            assertThat(ack.path("id").asText()).isNotBlank();
            assertThat(ack.has("to_agent")).isFalse();

            String[][] bad = {
                {"{\"type\": \"telemetry\", \"payload\": {\"cpu_utilisation\": 1.5}}", "payload.cpu_utilisation", "0..1"},
                {"{\"type\": \"telemetry\", \"payload\": {\"thread_utilisation\": -0.1}}", "payload.thread_utilisation", "0..1"},
                {"{\"type\": \"telemetry\", \"payload\": {\"queue_length\": -1}}", "payload.queue_length", "0..1000000000"},
                {"{\"type\": \"telemetry\", \"payload\": {\"in_flight\": 2.5}}", "payload.in_flight", "integer"},
                {"{\"type\": \"telemetry\", \"payload\": {\"healthy_instances\": \"3\"}}", "payload.healthy_instances", "integer"},
                {"{\"type\": \"telemetry\", \"payload\": {\"p99_latency_ms\": 1e400}}", "payload.p99_latency_ms", "finite"},
                {"{\"type\": \"telemetry\", \"payload\": {\"p50_latency_ms\": -3}}", "payload.p50_latency_ms", "0..1e9"},
                {"{\"type\": \"telemetry\", \"payload\": {\"cpu_utilization\": 0.5}}", "payload.cpu_utilization", "cpu_utilisation"},
                {"{\"type\": \"telemetry\", \"payload\": [0.5]}", "payload", "object"},
                {"{\"to_agent\": \"tel_caller\", \"type\": \"telemetry\", \"payload\": {}}", "to_agent", "without to_agent"},
            };
            for (String[] b : bad) {
                wk.send(b[0]);
                JsonNode err = wk.nextOf("error");
                assertThat(err.path("error").asText()).as(b[0]).isEqualTo("invalid_request");
                assertThat(err.path("field").asText()).as(b[0]).isEqualTo(b[1]);
                assertThat(err.path("message").asText()).as(b[0]).contains(b[2]);
            }
            // random reports: every one is answered with an ack or an invalid_request naming a payload field
            java.util.Random rnd = new java.util.Random(7);
            String[] values = {"0", "1", "0.5", "-1", "1.0000001", "2.5", "1e9", "1e10", "1e400", "-0.0", "\"x\"", "true",
                "null", "[]", "{}", "42"};
            int acks = 0;
            for (int i = 0; i < 200; i++) {
                StringBuilder p = new StringBuilder("{");
                for (int k = rnd.nextInt(4); k > 0; k--) {
                    String f = rnd.nextInt(10) == 0 ? "bogus_" + i : AgentReport.FIELDS.get(rnd.nextInt(AgentReport.FIELDS.size()));
                    p.append(p.length() > 1 ? "," : "").append('"').append(f).append("\":").append(values[rnd.nextInt(values.length)]);
                }
                String frame = "{\"type\": \"telemetry\", \"payload\": " + p.append('}') + "}";
                wk.send(frame);
                JsonNode r = wk.next();
                while (r.path("type").asText().equals("update")) {
                    r = wk.next();
                }
                if (r.path("type").asText().equals("ack")) {
                    acks++;
                } else {
                    assertThat(r.path("type").asText()).as(frame + " -> " + r).isEqualTo("error");
                    // a duplicate key is refused by the parser as invalid_json; everything else names the field
                    if (!r.path("error").asText().equals("invalid_json")) {
                        assertThat(r.path("error").asText()).as(frame + " -> " + r).isEqualTo("invalid_request");
                        assertThat(r.path("field").asText()).as(frame + " -> " + r).startsWith("payload.");
                    }
                }
            }
            assertThat(acks).as("some random reports are valid").isBetween(1, 199);
            // still connected and usable: a report and an ordinary message go through
            wk.send(report);
            assertThat(wk.nextOf("ack").path("message_type").asText()).isEqualTo("telemetry");
            ca.send("{\"to_agent\": \"tel_worker\", \"type\": \"request\"}");
            assertThat(wk.nextOf("message").path("from_agent").asText()).isEqualTo("tel_caller");
            assertThat(ca.nextOf("ack").path("to_agent").asText()).isEqualTo("tel_worker");
            for (String f : ca.received) {
                assertThat(f).as("a report is never relayed").doesNotContain("telemetry");
            }
            JsonNode topo = s.get("/api/v1/topology", s.token("read")).json();
            for (JsonNode e : topo.path("edges")) {
                assertThat(e.path("from").asText()).as("a report is not a call: " + e).isNotEqualTo("tel_worker");
            }
            assertThat(s.get("/metrics", null).body()).containsPattern("aura_agent_messages_total\\{outcome=\"telemetry\"\\} [2-9]");

            // the prediction loop sees the report: max_util is the worker's 0.97 (no other agent reports)
            JsonNode j = null;
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < deadline) {
                wk.send(report); // fresh (a report older than 5 s is missing)
                wk.nextOf("ack");
                Thread.sleep(300);
                TestServer.Response r = s.post("/api/v1/predict", s.token("analyze"), "{\"agents\": [\"tel_worker\", \"tel_caller\"]}");
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                j = r.json();
                if (j.at("/signals/live_telemetry/reporting_agents").asInt() == 1
                        && j.at("/signals/model_features/max_util").asDouble() >= 0.97 - 1e-9) {
                    break;
                }
            }
            assertThat(j.at("/signals/live_telemetry/status").asText()).isEqualTo("live");
            assertThat(j.at("/signals/live_telemetry/reporting_agents").asInt()).as(j.toString()).isEqualTo(1);
            assertThat(j.at("/signals/model_features/max_util").asDouble()).as(j.toString())
                    .isCloseTo(0.97, org.assertj.core.data.Offset.offset(1e-9));
            // leave the worker calm: the guard carries an agent's last values forward once its reports stop
            wk.send("{\"type\": \"telemetry\", \"payload\": {\"cpu_utilisation\": 0.05, \"thread_utilisation\": 0.05,"
                    + " \"queue_length\": 0, \"in_flight\": 0, \"p99_latency_ms\": 5}}");
            wk.nextOf("ack");
            Thread.sleep(1500);
        }
    }

    @Test
    void wsSubscribersGetInterventionUpdates() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new WsClient(ws("/ws"), null)))
                .hasStackTraceContaining("status code 401");
        try (WsClient sub = new WsClient(ws("/ws?token=" + s.token("read")), null)) {
            sub.send("{\"type\": \"subscribe\", \"channels\": [\"quantum_risk\", \"agent_status\"]}");
            JsonNode err = sub.nextOf("error");
            assertThat(err.path("error").asText()).isEqualTo("unknown_channel");
            assertThat(err.path("message").asText()).contains("cascade_risk");
            sub.send("{\"type\": \"subscribe\", \"channels\": [\"interventions\", \"agent_status\"]}");
            assertThat(sub.nextOf("subscribed").path("channels").toString()).isEqualTo("[\"agent_status\",\"interventions\"]");
            String id = s.post("/api/v1/intervene", s.token("intervene"), SEED_INTERVENE).json().path("id").asText();
            JsonNode u = sub.nextOf("update");
            assertThat(u.path("channel").asText()).isEqualTo("interventions");
            assertThat(u.at("/data/id").asText()).isEqualTo(id);
        }
    }

    // --- seed: POST /api/v1/predict, exactly as in the API reference
    static final String SEED_PREDICT = """
            {
                "agents": ["agent_1", "agent_2", "agent_3"],
                "topology": [[1.0, 2.0], [3.0, 4.0]],
                "enable_memory": true,
                "enable_neuromorphic": true
              }""";

    @Test
    void seedPredictExample() {
        // a stored signature of the same cloud with the same (default) parameters, for the memory to find
        assertThat(s.post("/api/v1/analyze", s.token("analyze"), "{\"topology_data\": [[1.0, 2.0], [3.0, 4.0]]}").status()).isEqualTo(200);
        TestServer.Response r = s.post("/api/v1/predict", s.token("analyze"), SEED_PREDICT);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.path("form").asText()).isEqualTo("seed");
        assertThat(j.path("cascade_risk").asDouble()).isBetween(0.0, 1.0);
        assertThat(j.path("horizon_seconds").asInt()).isEqualTo(60);
        assertThat(j.path("risk_by_horizon").has("30")).isTrue();
        assertThat(j.path("expected_cascade_size").isNumber()).isTrue();
        assertThat(j.path("critical_agents").isArray()).isTrue();
        assertThat(j.path("recommended_interventions").isArray()).isTrue();
        assertThat(j.at("/signals/live_telemetry/status").asText()).isEqualTo("none for these agents");
        assertThat(j.at("/signals/live_telemetry/unknown_agents").toString()).isEqualTo("[\"agent_1\",\"agent_2\",\"agent_3\"]");
        assertThat(j.at("/signals/basis").asText()).startsWith("model_prior");
        assertThat(j.at("/signals/topology/points").asInt()).isEqualTo(2);
        assertThat(j.at("/signals/topology/betti_numbers/values/0").asInt()).isEqualTo(1);
        assertThat(j.at("/memory/status").asText()).isEqualTo("ok");
        assertThat(j.at("/memory/nearest")).isNotEmpty();
        // the analysed cloud is the same: its signature is at distance 0
        assertThat(j.at("/memory/nearest/0/distance").asDouble()).isLessThan(1e-9);
        assertThat(j.path("neuromorphic").asText()).startsWith("accepted and ignored");
        String id = j.path("prediction_id").asText();
        TestServer.Response stored = s.get("/api/v1/predictions/" + id, s.token("read"));
        assertThat(stored.status()).as(stored.body()).isEqualTo(200);
        assertThat(stored.json().path("cascade_risk").asDouble()).isEqualTo(j.path("cascade_risk").asDouble());
        assertThat(stored.json().path("created_by").asText()).isEqualTo("tester");
        assertThat(s.get("/api/v1/predictions/" + UUID.randomUUID(), s.token("read")).status()).isEqualTo(404);
        assertError(s.post("/api/v1/predict", s.token("read"), SEED_PREDICT), 403, "insufficient_scope", null);
        assertError(s.post("/api/v1/predict", null, SEED_PREDICT), 401, "unauthorized", null);
    }

    @Test
    void predictGraphFormRanksTheFailingAgentFirst() {
        String body = """
                {"agents": [
                   {"id": "api", "metrics": {"arrivals": 200, "errors": 20, "p99_latency_ms": 900, "thread_utilisation": 0.7}},
                   {"id": "db", "metrics": {"arrivals": 190, "successes": 10, "errors": 180, "p99_latency_ms": 5000,
                                            "thread_utilisation": 1.0, "queue_length": 400, "healthy_instances": 1}},
                   "cache"],
                 "edges": [{"from": "api", "to": "db", "rate": 190, "failures": 180},
                           {"from": "api", "to": "cache", "rate": 50, "failures": 0}]}""";
        TestServer.Response r = s.post("/api/v1/predict", s.token("analyze"), body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.path("form").asText()).isEqualTo("graph");
        assertThat(j.path("cascade_risk").asDouble()).isBetween(0.0, 1.0);
        assertThat(j.at("/critical_agents/0/agent_id").asText()).isEqualTo("db");
        assertThat(j.at("/critical_agents/0/reason").asText()).contains("own stress").contains("queue 400");
        // api sent no queue_length: its reason says so rather than "queue 0"
        assertThat(j.at("/critical_agents/1/agent_id").asText()).isEqualTo("api");
        assertThat(j.at("/critical_agents/1/reason").asText()).contains("queue not reported").contains("utilisation 0.70");
        assertThat(j.at("/critical_agents/0/score").asDouble()).isPositive();
        assertThat(j.path("expected_cascade_size").asDouble()).isGreaterThan(1.0); // db ~1 plus api's propagated stress
        assertThat(j.at("/signals/model_features/mean_error_ratio").asDouble()).isPositive();
        assertThat(j.path("recommended_interventions").isArray()).isTrue();
        assertThat(j.path("memory").isNull()).isTrue();
    }

    @Test
    void predictIdsOnlyFormAndBadInput() {
        String tok = s.token("analyze");
        TestServer.Response r = s.post("/api/v1/predict", tok, "{\"agents\": [\"nobody_at_all\"], \"enable_memory\": true}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("form").asText()).isEqualTo("live");
        assertThat(r.json().at("/signals/live_telemetry/known_agents").asInt()).isZero();
        assertThat(r.json().at("/memory/status").asText()).isEqualTo("no_topology");
        // "edges": null is no edges, as "topology": null is no topology: ids with null edges are the
        // live form (they were the graph form, answering the no-telemetry prior instead of the bus)
        TestServer.Response nullEdges = s.post("/api/v1/predict", tok, "{\"agents\": [\"nobody_at_all\"], \"edges\": null}");
        assertThat(nullEdges.status()).as(nullEdges.body()).isEqualTo(200);
        assertThat(nullEdges.json().path("form").asText()).isEqualTo("live");
        TestServer.Response seed = s.post("/api/v1/predict", tok, "{\"agents\": [\"a\"], \"edges\": null, \"topology\": [[1, 2]]}");
        assertThat(seed.status()).as(seed.body()).isEqualTo(200);
        assertThat(seed.json().path("form").asText()).isEqualTo("seed");
        assertError(s.post("/api/v1/predict", tok, "{}"), 400, "invalid_request", "agents");
        assertError(s.post("/api/v1/predict", tok, "{\"agents\": []}"), 400, "invalid_request", "agents");
        assertError(s.post("/api/v1/predict", tok, "{\"agents\": \"a\"}"), 400, "invalid_request", "agents");
        assertError(s.post("/api/v1/predict", tok, "{\"agents\": [1]}"), 400, "invalid_request", "agents[0]");
        assertError(s.post("/api/v1/predict", tok, "{\"agents\": [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]}"), 413, "too_many_agents", "agents");
        assertError(s.post("/api/v1/predict", tok, "{\"agents\": [\"a\"], \"topology\": [[1, NaN]]}"), 400, "invalid_json", null);
        assertError(s.post("/api/v1/predict", tok, "{\"agents\": [\"a\"], \"topology\": [[1, 1e400]]}"), 400, "invalid_request", "topology[0][1]");
        assertError(s.post("/api/v1/predict", tok, "{\"agents\": [\"a\"], \"topology\": \"x\"}"), 400, "invalid_request", "topology");
        assertError(s.post("/api/v1/predict", tok, "{\"agents\": [\"a\"], \"topology\": [[1,2],[3]]}"), 400, "invalid_request", "topology[1]");
        assertError(s.post("/api/v1/predict", tok, "{\"agents\": [\"a\"], \"topology\": [[1,2,3,4,5,6,7,8,9,10,11]]}"), 413,
                "dimension_too_large", "topology[0]");
        assertError(s.post("/api/v1/predict", tok, "{\"agents\": [\"a\"], \"enable_memory\": \"yes\"}"), 400, "invalid_request", "enable_memory");
        assertError(s.post("/api/v1/predict", tok, "{\"agents\": [\"a\"], \"horizon\": 5}"), 400, "invalid_request", "horizon");
        assertError(s.post("/api/v1/predict", tok, "{\"agents\": [{\"id\": \"a\"}], \"edges\": [{\"from\": \"a\", \"to\": \"ghost\"}]}"),
                400, "invalid_request", "edges[0].to");
        assertError(s.post("/api/v1/predict", tok, "{\"agents\": [{\"id\": \"a\"}, \"b\"], \"edges\": [{\"from\": \"a\", \"to\": \"a\"}]}"),
                400, "invalid_request", "edges[0].to");
        assertError(s.post("/api/v1/predict", tok, "{\"agents\": [{\"id\": \"a\", \"metrics\": {\"arrivals\": -1}}]}"),
                400, "invalid_request", "agents[0].metrics.arrivals");
        assertError(s.post("/api/v1/predict", tok, "{\"agents\": [{\"id\": \"a\", \"metrics\": {\"cpu_utilisation\": 2}}]}"),
                400, "invalid_request", "agents[0].metrics.cpu_utilisation");
        assertError(s.post("/api/v1/predict", tok, "{\"agents\": [{\"id\": \"a\", \"metrics\": {\"arrivals\": \"many\"}}]}"),
                400, "invalid_request", "agents[0].metrics.arrivals");
        assertError(s.post("/api/v1/predict", tok, "{\"agents\": [{\"id\": \"a\", \"metrics\": {\"mood\": 1}}]}"),
                400, "invalid_request", "agents[0].metrics.mood");
        assertError(s.post("/api/v1/predict", tok, "{\"agents\": [{\"id\": \"a\"}, {\"id\": \"a\"}]}"), 400, "invalid_request", "agents[1].id");
        assertError(s.post("/api/v1/predict", tok, "{\"agents\": [{\"id\": \"a\"}], \"edges\": 3}"), 400, "invalid_request", "edges");
        assertError(s.post("/api/v1/predict", tok, "{\"agents\": [{\"id\": \"a\"}, \"b\"], \"edges\": [{\"from\": \"a\", \"to\": \"b\", \"rate\": 1, \"failures\": 2}]}"),
                400, "invalid_request", "edges[0].failures");
    }

    /**
     * The live form answers from the loop's newest assessment: an agent that joins the bus after an
     * earlier answer is known in a later one (the service keeps each assessment's names as a set).
     */
    @Test
    void liveFormKnowsAnAgentThatJoinedAfterAnEarlierAnswer() throws Exception {
        String first = enrol("names_first");
        String later = enrol("names_later");
        try (WsClient f = new WsClient(ws("/ws/a2a/names_first"), first)) {
            assertThat(knownWithin("names_first", "names_later", 1)).as("names_first known").isEqualTo(1);
            try (WsClient l = new WsClient(ws("/ws/a2a/names_later"), later)) {
                l.send("{\"to_agent\": \"names_first\", \"type\": \"request\", \"payload\": {\"n\": 1}}");
                assertThat(f.nextOf("message").path("from_agent").asText()).isEqualTo("names_later");
                assertThat(knownWithin("names_first", "names_later", 2)).as("names_later known too").isEqualTo(2);
            }
        }
    }

    /** Live-form known_agents of {a, b}, polled until it reaches {@code want} or 15 s pass; the last value. */
    private int knownWithin(String a, String b, int want) throws InterruptedException {
        int known = -1;
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            TestServer.Response r = s.post("/api/v1/predict", s.token("analyze"),
                    "{\"agents\": [\"" + a + "\", \"" + b + "\"]}");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            known = r.json().at("/signals/live_telemetry/known_agents").asInt();
            if (known == want) {
                break;
            }
            Thread.sleep(100);
        }
        return known;
    }

    /**
     * The prediction loop over real agents: callers send requests to a worker that first answers
     * them normally, then starts answering every one with an error message; a /ws subscriber of
     * cascade_risk must see no critical worker while it is healthy, then the worker ranked first.
     */
    @Test
    void predictionLoopNamesTheFailingAgentOnCascadeRisk() throws Exception {
        String a = enrol("loop_caller_a");
        String c = enrol("loop_caller_c");
        String w = enrol("loop_worker");
        try (WsClient sub = new WsClient(ws("/ws?token=" + s.token("read")), null);
             WsClient ca = new WsClient(ws("/ws/a2a/loop_caller_a"), a);
             WsClient cc = new WsClient(ws("/ws/a2a/loop_caller_c"), c);
             WsClient wk = new WsClient(ws("/ws/a2a/loop_worker"), w)) {
            sub.send("{\"type\": \"subscribe\", \"channels\": [\"cascade_risk\"]}");
            assertThat(sub.nextOf("subscribed").path("channels").toString()).isEqualTo("[\"cascade_risk\"]");
            Thread.sleep(200); // the agents' connections are registered
            int healthyUpdates = 0;
            long healthyUntil = System.nanoTime() + 2_500_000_000L;
            while (System.nanoTime() < healthyUntil) {
                for (int i = 0; i < 10; i++) {
                    ca.send("{\"to_agent\": \"loop_worker\", \"type\": \"request\", \"payload\": {\"n\": " + i + "}}");
                }
                for (int got = 0; got < 10; ) {
                    JsonNode m = wk.next();
                    if (m.path("type").asText().equals("message")) {
                        got++;
                        wk.send("{\"to_agent\": \"loop_caller_a\", \"type\": \"response\", \"payload\": {\"ok\": true}}");
                    }
                }
                Thread.sleep(100);
                String f;
                while ((f = sub.received.poll()) != null) {
                    JsonNode u = Json.MAPPER.readTree(f);
                    if (u.path("channel").asText().equals("cascade_risk")) {
                        healthyUpdates++;
                        for (JsonNode crit : u.at("/data/critical_agents")) {
                            assertThat(crit.path("agent_id").asText()).as("a healthy worker is not critical: " + u).isNotEqualTo("loop_worker");
                        }
                    }
                }
                ca.received.clear();
            }
            assertThat(healthyUpdates).as("cascade_risk updates while healthy").isPositive();
            JsonNode hit = null;
            long deadline = System.nanoTime() + 25_000_000_000L;
            while (hit == null && System.nanoTime() < deadline) {
                for (int i = 0; i < 10; i++) {
                    ca.send("{\"to_agent\": \"loop_worker\", \"type\": \"request\", \"payload\": {\"n\": " + i + "}}");
                    cc.send("{\"to_agent\": \"loop_worker\", \"type\": \"request\", \"payload\": {\"n\": " + i + "}}");
                }
                for (int got = 0; got < 20; ) {
                    JsonNode m = wk.next(); // requests, and acks of the worker's own answers
                    if (!m.path("type").asText().equals("message")) {
                        continue;
                    }
                    got++;
                    wk.send("{\"to_agent\": \"" + m.path("from_agent").asText() + "\", \"type\": \"error\", \"payload\": {\"error\": \"overloaded\"}}");
                }
                Thread.sleep(100);
                String f;
                while ((f = sub.received.poll()) != null) {
                    JsonNode u = Json.MAPPER.readTree(f);
                    if (u.path("channel").asText().equals("cascade_risk")
                            && u.at("/data/critical_agents/0/agent_id").asText().equals("loop_worker")) {
                        hit = u.path("data");
                    }
                }
                ca.received.clear();
                cc.received.clear();
            }
            assertThat(hit).as("a cascade_risk update naming loop_worker first").isNotNull();
            assertThat(hit.path("type").asText()).isEqualTo("cascade_risk");
            assertThat(hit.path("risk").asDouble()).isBetween(0.0, 1.0);
            assertThat(hit.path("horizon_seconds").asInt()).isEqualTo(60);
            assertThat(hit.at("/critical_agents/0/reason").asText()).contains("error ratio");
            assertThat(hit.path("ts").asText()).isNotBlank();
            // the ids-only form answers from the same live view
            TestServer.Response r = s.post("/api/v1/predict", s.token("analyze"), "{\"agents\": [\"loop_worker\", \"loop_caller_a\"]}");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode j = r.json();
            assertThat(j.at("/signals/live_telemetry/status").asText()).isEqualTo("live");
            assertThat(j.at("/signals/live_telemetry/known_agents").asInt()).isEqualTo(2);
            assertThat(j.at("/critical_agents/0/agent_id").asText()).isEqualTo("loop_worker");
            assertThat(j.at("/signals/model_features/mean_error_ratio").asDouble()).isPositive();
            JsonNode topo = s.get("/api/v1/topology", s.token("read")).json();
            boolean failures = false;
            for (JsonNode e : topo.path("edges")) {
                if (e.path("from").asText().equals("loop_caller_a") && e.path("to").asText().equals("loop_worker")) {
                    failures = e.path("calls").asLong() > 0 && e.path("failures").asLong() > 0;
                }
            }
            assertThat(failures).as("calls and failures on loop_caller_a -> loop_worker").isTrue();
            assertThat(s.get("/metrics", null).body()).containsPattern("(?m)^aura_cascade_risk [0-9.eE-]+$");
            // every tick went to the live history (the topological memory's outcomes), with the risk it published
            s.server.liveHistory().flush();
            List<double[]> ticks = s.server.db().query("SELECT agents, failed_fraction, cascade_risk FROM live_history WHERE at_ms >= ?",
                    rs -> new double[] {rs.getInt(1), rs.getDouble(2), rs.getDouble(3)}, java.time.Instant.parse(hit.path("ts").asText()).toEpochMilli());
            assertThat(ticks).isNotEmpty();
            double hitRisk = hit.path("risk").asDouble();
            assertThat(ticks).anySatisfy(t -> assertThat(t[2]).isEqualTo(hitRisk));
            for (double[] t : ticks) {
                assertThat(t[0]).isGreaterThanOrEqualTo(3);
                assertThat(t[1]).isBetween(0.0, 1.0);
                assertThat(t[2]).isBetween(0.0, 1.0);
            }
        }
    }

    /** A ring of n points of radius r in the plane, starting at angle phase, as JSON. */
    static String ring(int n, double r, double phase) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            double a = phase + 2 * Math.PI * i / n;
            b.append(i == 0 ? "" : ",").append('[').append(r * Math.cos(a)).append(',').append(r * Math.sin(a)).append(']');
        }
        return b.append(']').toString();
    }

    /**
     * enable_memory: the stored signatures nearest by persistence-landscape distance, each with what the
     * live system did in the minute after it (from live_history), and the share of cascades among them.
     */
    @Test
    void memoryFindsTheNearestLandscapesAndTheirOutcomes() throws Exception {
        String tok = s.token("analyze");
        String circle = ring(12, 1.0, 0.0);
        String bigCircle = ring(12, 3.0, 0.0);
        String line = "[[0,0],[1,0],[2,0],[3,0],[4,0],[5,0],[6,0],[7,0],[8,0],[9,0],[10,0],[11,0]]";
        JsonNode docCircle = s.post("/api/v1/analyze", tok, "{\"topology_data\": " + circle + "}").json();
        JsonNode docBig = s.post("/api/v1/analyze", tok, "{\"topology_data\": " + bigCircle + "}").json();
        JsonNode docLine = s.post("/api/v1/analyze", tok, "{\"topology_data\": " + line + "}").json();
        // two older situations with the circle's exact signature: one followed by a cascade on the bus, one by nothing recorded
        long now = System.currentTimeMillis();
        String cascaded = UUID.randomUUID().toString();
        String silent = UUID.randomUUID().toString();
        ObjectNode circleDoc = (ObjectNode) docCircle;
        s.server.db().update(AnalyzeService.INSERT_SIGNATURE, AnalyzeService.signatureRow(cascaded, now - 600_000, "tester", circleDoc));
        s.server.db().update(AnalyzeService.INSERT_SIGNATURE, AnalyzeService.signatureRow(silent, now - 900_000, "tester", circleDoc));
        for (int t = 1; t <= 60; t++) {
            s.server.db().update(LiveHistory.INSERT, now - 600_000 + t * 1000L, 40, t >= 30 ? 0.25 : 0.0, t >= 20 ? 0.8 : 0.1);
        }
        s.server.db().update(LiveHistory.INSERT, now - 600_000 + 61_000L, 40, 0.9, 0.9); // after the window: not counted

        // the same points in another order: the same diagrams
        String shuffled = circle.substring(1, circle.length() - 1);
        String[] pts = shuffled.split("(?<=\\]),");
        java.util.Collections.reverse(java.util.Arrays.asList(pts));
        String body = "{\"agents\": [\"mem_a\"], \"topology\": [" + String.join(",", pts) + "], \"enable_memory\": true}";
        TestServer.Response r = s.post("/api/v1/predict", tok, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode m = r.json().path("memory");
        assertThat(m.path("status").asText()).isEqualTo("ok");
        assertThat(m.path("method").asText()).contains("landscape");
        Map<String, JsonNode> byId = new HashMap<>();
        for (JsonNode n : m.path("nearest")) {
            byId.put(n.path("signature_id").asText(), n);
        }
        String sigCircle = docCircle.path("signature_id").asText();
        // the three circle signatures are at distance 0, nearest first; the 3x circle and the line further away
        assertThat(m.at("/nearest/0/distance").asDouble()).isZero();
        assertThat(byId.get(sigCircle).path("distance").asDouble()).isZero();
        assertThat(byId.get(cascaded).path("distance").asDouble()).isZero();
        assertThat(byId.get(silent).path("distance").asDouble()).isZero();
        SignatureMemory.Landscapes q = SignatureMemory.Landscapes.of(docCircle.path("diagrams"), docCircle.at("/filtration/threshold").asDouble());
        double dBig = q.distance(SignatureMemory.Landscapes.of(docBig.path("diagrams"), docBig.at("/filtration/threshold").asDouble()));
        double dLine = q.distance(SignatureMemory.Landscapes.of(docLine.path("diagrams"), docLine.at("/filtration/threshold").asDouble()));
        assertThat(dBig).isPositive();
        assertThat(dLine).isPositive();
        for (String other : List.of(docBig.path("signature_id").asText(), docLine.path("signature_id").asText())) {
            if (byId.containsKey(other)) { // other tests' signatures may be nearer
                double want = other.equals(docBig.path("signature_id").asText()) ? dBig : dLine;
                assertThat(byId.get(other).path("distance").asDouble()).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-12 * want));
            }
        }
        // outcomes: the fresh analyze's window is not over; the old ones are observed or unobserved
        assertThat(byId.get(sigCircle).at("/outcome/status").asText()).isEqualTo("pending");
        JsonNode oc = byId.get(cascaded).path("outcome");
        assertThat(oc.path("status").asText()).isEqualTo("observed");
        assertThat(oc.path("ticks").asInt()).isEqualTo(60);
        assertThat(oc.path("agents").asInt()).isEqualTo(40);
        assertThat(oc.path("max_failed_fraction").asDouble()).isEqualTo(0.25);
        assertThat(oc.path("max_cascade_risk").asDouble()).isEqualTo(0.8);
        assertThat(oc.path("cascade").asBoolean()).isTrue();
        assertThat(byId.get(silent).at("/outcome/status").asText()).isEqualTo("unobserved");
        assertThat(m.path("observed").asInt()).isGreaterThanOrEqualTo(1);
        if (m.path("observed").asInt() == 1) {
            assertThat(m.path("memory_risk").asDouble()).isEqualTo(1.0);
        }
        assertThat(m.path("used_by_risk_model").asBoolean()).isFalse();
    }

    /**
     * AURA_POLICY=auto: explicit guard actions (the real Action records) go through the mapping and
     * the policy's reconciliation into stored interventions that the bus enforces, and are reverted
     * when no longer recommended.
     */
    @Test
    void retentionDeletesOldPredictionsAndUnreferencedSignaturesOnly(@org.junit.jupiter.api.io.TempDir Path dir) {
        Map<String, String> env = new HashMap<>(dbEnv());
        env.put("AURA_RETENTION_DAYS", "2");
        try (TestServer t = new TestServer(env, dir.resolve("retention"))) {
            // a seed predict stores a prediction and the signature it references; analyze stores a lone signature
            TestServer.Response p = t.post("/api/v1/predict", t.token("analyze"), SEED_PREDICT);
            assertThat(p.status()).as(p.body()).isEqualTo(200);
            String id = p.json().path("prediction_id").asText();
            assertThat(t.post("/api/v1/analyze", t.token("analyze"), "{\"topology_data\": [[1.0, 2.0], [3.0, 5.0]]}").status())
                    .isEqualTo(200);
            long now = System.currentTimeMillis();
            t.server.db().update(LiveHistory.INSERT, now, 2, 0.0, 0.1); // a tick of now
            t.server.db().update(LiveHistory.INSERT, now + java.time.Duration.ofDays(2).toMillis(), 2, 0.0, 0.1); // and of 2 days later
            Retention.Result young = t.server.retention().purge(now + java.time.Duration.ofDays(1).toMillis());
            assertThat(young).as("younger than 2 days: kept").isEqualTo(new Retention.Result(0, 0));
            assertThat(t.get("/api/v1/predictions/" + id, t.token("read")).status()).isEqualTo(200);
            Retention.Result old = t.server.retention().purge(now + java.time.Duration.ofDays(3).toMillis());
            assertThat(old.predictions()).isEqualTo(1);
            assertThat(old.signatures()).as("both signatures: the predict's once its prediction is gone").isEqualTo(2);
            assertThat(t.server.db().query("SELECT at_ms FROM live_history", rs -> rs.getLong(1)))
                    .as("the old tick is purged with them, the younger one kept")
                    .containsExactly(now + java.time.Duration.ofDays(2).toMillis());
            assertThat(t.get("/api/v1/predictions/" + id, t.token("read")).status()).isEqualTo(404);
            assertThat(t.get("/metrics", null).body()).contains("aura_retention_deleted_total{table=\"predictions\"} 1.0")
                    .contains("aura_retention_deleted_total{table=\"signatures\"} 2.0");
        } finally {
            dropDatabase(env);
        }
        Map<String, String> keep = new HashMap<>(dbEnv());
        keep.put("AURA_RETENTION_DAYS", "0");
        try (TestServer t = new TestServer(keep, dir.resolve("keep"))) {
            assertThat(t.post("/api/v1/predict", t.token("analyze"), SEED_PREDICT).status()).isEqualTo(200);
            assertThat(t.server.retention().purge(System.currentTimeMillis() + java.time.Duration.ofDays(3650).toMillis()))
                    .as("0 keeps everything").isEqualTo(new Retention.Result(0, 0));
        } finally {
            dropDatabase(keep);
        }
    }

    @Test
    void autoPolicyCreatesEnforcedInterventionsAndRevertsThem(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Map<String, String> env = new HashMap<>(dbEnv());
        env.put("AURA_POLICY", "auto");
        env.put("AURA_ALERT_THRESHOLD", "0");
        try (TestServer t = new TestServer(env, dir.resolve("auto"));
             WsClient sub = new WsClient(java.net.URI.create("ws://127.0.0.1:" + t.server.port() + "/ws?token=" + t.token("read")), null)) {
            assertThat(t.server.predictionLoop().policy()).isEqualTo("auto");
            sub.send("{\"type\": \"subscribe\", \"channels\": [\"alerts\", \"interventions\"]}");
            sub.nextOf("subscribed");
            String ta = t.post("/a2a/auth/agent", t.token("enrol"), SEED_ENROL.replace("predictor_001", "pol_a")).json().path("token").asText();
            String tb = t.post("/a2a/auth/agent", t.token("enrol"), SEED_ENROL.replace("predictor_001", "pol_b")).json().path("token").asText();
            try (WsClient a = new WsClient(java.net.URI.create("ws://127.0.0.1:" + t.server.port() + "/ws/a2a/pol_a"), ta);
                 WsClient b = new WsClient(java.net.URI.create("ws://127.0.0.1:" + t.server.port() + "/ws/a2a/pol_b"), tb)) {
                Thread.sleep(200); // the agents' connections are registered
                a.send("{\"to_agent\": \"pol_b\", \"type\": \"request\"}");
                assertThat(b.nextOf("message").path("from_agent").asText()).isEqualTo("pol_a");
                io.aura.cascade.sim.StaticTopology topo = new io.aura.cascade.sim.StaticTopology(2, new int[] {0}, new int[] {1});
                ActionMapping.Result m = ActionMapping.map(java.util.List.of(
                        new io.aura.cascade.sim.Action.OpenBreaker(0, 1, false, 30_000)), java.util.List.of("pol_a", "pol_b"), topo, 0.9);
                assertThat(m.skipped()).isEmpty();
                // with threshold 0 the first prediction of the loop is an alert
                JsonNode alert = nextUpdate(sub, "alerts");
                assertThat(alert.at("/data/alert").asText()).isEqualTo("cascade_risk_high");
                assertThat(alert.at("/data/risk").asDouble()).isBetween(0.0, 1.0);
                assertThat(alert.at("/data/threshold").asDouble()).isZero();
                // from here on only this test's manual ticks may count towards a revert: a background tick of the
                // loop is a tick too, and on a starved machine enough of them fell between the manual ones to
                // revert the breaker early (seen once under full CPU load)
                t.server.predictionLoop().close();
                // suggest: published, not created
                t.server.predictionLoop().suggestBodies(m.interventions(), 0.9);
                JsonNode sug = nextUpdate(sub, "alerts");
                assertThat(sug.at("/data/alert").asText()).isEqualTo("intervention_suggested");
                assertThat(sug.at("/data/intervention/intervention_type").asText()).isEqualTo("circuit_breaker");
                assertThat(nextUpdate(sub, "interventions").at("/data/state").asText()).isEqualTo("suggested");
                assertThat(t.get("/api/v1/interventions", t.token("read")).json().path("interventions")).isEmpty();
                t.server.predictionLoop().applyBodies(m.interventions());
                JsonNode created = nextUpdate(sub, "interventions");
                assertThat(created.at("/data/created_by").asText()).isEqualTo("aura-policy");
                JsonNode list = t.get("/api/v1/interventions", t.token("read")).json().path("interventions");
                assertThat(list).hasSize(1);
                assertThat(list.get(0).path("intervention_type").asText()).isEqualTo("circuit_breaker");
                assertThat(list.get(0).path("agents").toString()).isEqualTo("[\"pol_b\"]");
                assertThat(list.get(0).path("created_by").asText()).isEqualTo("aura-policy");
                assertThat(list.get(0).path("remaining_seconds").asDouble()).isBetween(25.0, 30.0);
                a.send("{\"to_agent\": \"pol_b\", \"type\": \"request\"}");
                JsonNode refused = a.nextOf("error");
                assertThat(refused.path("error").asText()).isEqualTo("circuit_open");
                assertThat(refused.path("intervention_id").asText()).isEqualTo(list.get(0).path("id").asText());
                // recommended again (the guard re-issues an action every few seconds): nothing new; not recommended
                // for its duration (30 s = 30 ticks): reverted
                t.server.predictionLoop().applyBodies(m.interventions());
                assertThat(t.get("/api/v1/interventions", t.token("read")).json().path("interventions")).hasSize(1);
                for (int i = 0; i < 29; i++) {
                    t.server.predictionLoop().applyBodies(java.util.List.of());
                }
                assertThat(t.get("/api/v1/interventions", t.token("read")).json().path("interventions"))
                        .as("kept while within the action's duration of its last recommendation").hasSize(1);
                t.server.predictionLoop().applyBodies(java.util.List.of());
                assertThat(t.get("/api/v1/interventions", t.token("read")).json().path("interventions")).isEmpty();
                JsonNode all = t.get("/api/v1/interventions?state=all", t.token("read")).json().path("interventions");
                assertThat(all.get(0).path("state").asText()).isEqualTo("revoked");
                assertThat(all.get(0).path("revoked_by").asText()).isEqualTo("aura-policy");
                a.send("{\"to_agent\": \"pol_b\", \"type\": \"request\"}");
                assertThat(a.nextOf("ack").has("id")).isTrue();
                // re-issued in the second half of its life: replaced by a fresh one, so it does not lapse
                java.util.List<ObjectNode> shortLived = java.util.List.of((ObjectNode) Json.MAPPER.readTree(
                        "{\"agents\":[\"pol_b\"],\"intervention_type\":\"circuit_breaker\",\"parameters\":{\"duration\":2}}"));
                t.server.predictionLoop().applyBodies(shortLived);
                String first = t.get("/api/v1/interventions", t.token("read")).json().at("/interventions/0/id").asText();
                t.server.predictionLoop().applyBodies(shortLived);
                assertThat(t.get("/api/v1/interventions", t.token("read")).json().at("/interventions/0/id").asText())
                        .as("re-issued early in its life: kept").isEqualTo(first);
                Thread.sleep(1200);
                t.server.predictionLoop().applyBodies(shortLived);
                JsonNode active = t.get("/api/v1/interventions", t.token("read")).json().path("interventions");
                assertThat(active).hasSize(1);
                assertThat(active.at("/0/id").asText()).as("re-issued late in its life: a fresh one").isNotEqualTo(first);
                assertThat(active.at("/0/remaining_seconds").asDouble()).isGreaterThan(1.5);
                assertThat(t.get("/api/v1/interventions/" + first, t.token("read")).json().path("revoked_by").asText())
                        .isEqualTo("aura-policy");
            }
            // a restarted server's loop takes over what the policy created before it (the review's risk for a new
            // cluster leader): revoked once not recommended for its duration, instead of left to run out
            java.util.List<ObjectNode> onA = java.util.List.of((ObjectNode) Json.MAPPER.readTree(
                    "{\"agents\":[\"pol_a\"],\"intervention_type\":\"circuit_breaker\",\"parameters\":{\"duration\":30}}"));
            t.server.predictionLoop().applyBodies(onA);
            String before = t.get("/api/v1/interventions", t.token("read")).json().toString();
            assertThat(before).contains("pol_a");
            t.restart();
            t.server.predictionLoop().close(); // only the manual ticks below (a background one may have run: at most a few)
            for (int i = 0; i < 35; i++) {
                t.server.predictionLoop().applyBodies(java.util.List.of());
            }
            JsonNode after = t.get("/api/v1/interventions", t.token("read")).json().path("interventions");
            assertThat(after.toString()).as("the policy's breaker on pol_a, adopted and reverted").doesNotContain("pol_a");
        } finally {
            dropDatabase(env);
        }
    }

    /**
     * AURA_POLICY=auto end to end on reported load: a caller sends a steady stream of calls to a
     * worker that reports calm load, then reports CPU saturation with a long p99 while answering 3 in
     * 4 calls with an error; after the prevention policy's warm-up (300 snapshots, here 50-ms ticks:
     * 15 s) aura-policy creates the inbound rate limit of rule 1 (mapped to a rate_limit on the
     * worker's caller) and the bus enforces it.
     */
    @Test
    @org.junit.jupiter.api.Tag("slow")
    void autoPolicyRateLimitsTheCallersOfAnAgentThatReportsSaturation(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Map<String, String> env = new HashMap<>(dbEnv());
        env.put("AURA_POLICY", "auto");
        env.put("AURA_PREDICTION_INTERVAL_MS", "50");
        try (TestServer t = new TestServer(env, dir.resolve("auto-rl"));
             WsClient sub = new WsClient(java.net.URI.create("ws://127.0.0.1:" + t.server.port() + "/ws?token=" + t.token("read")), null)) {
            sub.send("{\"type\": \"subscribe\", \"channels\": [\"interventions\"]}");
            sub.nextOf("subscribed");
            String tc = t.post("/a2a/auth/agent", t.token("enrol"), SEED_ENROL.replace("predictor_001", "sat_caller")).json().path("token").asText();
            String tw = t.post("/a2a/auth/agent", t.token("enrol"), SEED_ENROL.replace("predictor_001", "sat_worker")).json().path("token").asText();
            try (WsClient c = new WsClient(java.net.URI.create("ws://127.0.0.1:" + t.server.port() + "/ws/a2a/sat_caller"), tc);
                 WsClient w = new WsClient(java.net.URI.create("ws://127.0.0.1:" + t.server.port() + "/ws/a2a/sat_worker"), tw)) {
                Thread.sleep(200); // the agents' connections are registered
                String calm = "{\"type\": \"telemetry\", \"payload\": {\"cpu_utilisation\": 0.4, \"queue_length\": 0,"
                        + " \"p99_latency_ms\": 30, \"healthy_instances\": 1}}";
                String saturated = "{\"type\": \"telemetry\", \"payload\": {\"cpu_utilisation\": 0.97, \"queue_length\": %d,"
                        + " \"p99_latency_ms\": 4000, \"healthy_instances\": 1}}";
                long start = System.nanoTime();
                long overloadAt = start + 20_000_000_000L; // after the 15-s warm-up, with margin
                long deadline = overloadAt + 20_000_000_000L;
                JsonNode rule1 = null; // the first inbound rate limit (rule 1) aura-policy created
                java.util.Set<String> policyIds = new java.util.HashSet<>();
                java.util.Set<String> refusedBy = new java.util.HashSet<>();
                int calls = 0;
                int queue = 0;
                int limited = 0;
                while (System.nanoTime() < deadline && (rule1 == null || limited < 5)) {
                    boolean overloaded = System.nanoTime() > overloadAt;
                    // once rule 1 acted, the caller sends 5 times as fast, well above the limit
                    for (int k = rule1 == null ? 1 : 5; k > 0; k--) {
                        c.send("{\"to_agent\": \"sat_worker\", \"type\": \"request\"}");
                        calls++;
                    }
                    if (calls % 5 == 0 || rule1 != null) {
                        w.send(overloaded ? String.format(java.util.Locale.ROOT, saturated, queue += 10) : calm);
                    }
                    String f;
                    while ((f = w.received.poll()) != null) {
                        JsonNode m = Json.MAPPER.readTree(f);
                        if (overloaded && m.path("type").asText().equals("message") && m.path("id").asText().hashCode() % 4 != 0) {
                            w.send("{\"to_agent\": \"sat_caller\", \"type\": \"error\", \"payload\": {\"error\": \"overloaded\"}}");
                        }
                    }
                    while ((f = c.received.poll()) != null) {
                        JsonNode m = Json.MAPPER.readTree(f);
                        if (m.path("type").asText().equals("error") && m.path("error").asText().equals("rate_limited")) {
                            refusedBy.add(m.path("intervention_id").asText());
                            limited++;
                        }
                    }
                    while ((f = sub.received.poll()) != null) {
                        JsonNode u = Json.MAPPER.readTree(f);
                        if (!u.path("channel").asText().equals("interventions") || !u.at("/data/state").asText().equals("active")) {
                            continue;
                        }
                        JsonNode iv = u.path("data");
                        assertThat(overloaded).as("no intervention while the worker reports calm load: " + u).isTrue();
                        assertThat(iv.path("created_by").asText()).isEqualTo("aura-policy");
                        assertThat(iv.path("intervention_type").asText()).as(iv.toString()).isEqualTo("rate_limit");
                        assertThat(iv.path("agents").toString()).as("enforced at the worker's caller").isEqualTo("[\"sat_caller\"]");
                        policyIds.add(iv.path("id").asText());
                        if (rule1 == null && iv.at("/parameters/reason").asText().contains("callee=-1")) {
                            rule1 = iv;
                        }
                    }
                    Thread.sleep(10);
                }
                assertThat(rule1).as("aura-policy created rule 1's inbound rate limit after the worker reported saturation"
                        + " (%d calls in %.1f s)", calls, (System.nanoTime() - start) / 1e9).isNotNull();
                assertThat(rule1.at("/parameters/rate").asDouble()).isPositive();
                assertThat(limited).as("the bus refuses the caller's calls above the limit").isGreaterThanOrEqualTo(5);
                assertThat(policyIds).as("refused by aura-policy's limits").containsAll(refusedBy);
            }
        } finally {
            dropDatabase(env);
        }
    }

    /** The next update frame of a channel (other frames skipped), within 5 s per frame. */
    static JsonNode nextUpdate(WsClient c, String channel) {
        for (int i = 0; i < 50; i++) {
            JsonNode n = c.next();
            if (n.path("type").asText().equals("update") && n.path("channel").asText().equals(channel)) {
                return n;
            }
        }
        throw new AssertionError("no update on " + channel);
    }

    private static java.util.List<String> ids(JsonNode list) {
        java.util.List<String> out = new java.util.ArrayList<>();
        list.path("interventions").forEach(n -> out.add(n.path("id").asText()));
        return out;
    }
}
