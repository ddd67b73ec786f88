package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.Transaction;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

/**
 * The knowledge graph in a real Neo4j (2025.10, in-process through neo4j-harness, Bolt only): what
 * the server writes there, that requests never depend on it, and that rows written while it was
 * unreachable reach it from SQL afterwards.
 */
class KnowledgeGraphTest {

    static Neo4j neo4j;
    static Driver driver;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startNeo4j() {
        neo4j = Neo4jBuilders.newInProcessBuilder().withDisabledServer().build();
        driver = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
    }

    @AfterAll
    static void stopNeo4j() {
        driver.close();
        neo4j.close();
    }

    @BeforeEach
    void emptyGraph() {
        driver.executableQuery("MATCH (n) DETACH DELETE n").execute();
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("AURA_NEO4J_URI", neo4j.boltURI().toString());
        env.put("AURA_NEO4J_INTERVAL_MS", "100");
        return env;
    }

    static List<Record> cypher(String q, Map<String, Object> params) {
        return driver.executableQuery(q).withParameters(params).execute().records();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not within 15 s: " + what);
    }

    @Test
    void configurationNamesTheKeyAndKeepsThePasswordOutOfTheLog() {
        List<String> w = new ArrayList<>();
        assertThat(ServerConfig.neo4j(Map.of(), w)).isNull();
        ServerConfig.neo4j(Map.of("AURA_NEO4J_INTERVAL_MS", "500"), w);
        assertThat(w).singleElement().asString().contains("AURA_NEO4J_INTERVAL_MS").contains("no effect");
        ServerConfig.Neo4j n = ServerConfig.neo4j(Map.of("NEO4J_URI", "neo4j+s://graph.example:7687", "NEO4J_PASSWORD", "pw-secret"), w);
        assertThat(n.user()).isEqualTo("neo4j");
        assertThat(n.password()).isEqualTo("pw-secret");
        assertThat(n.intervalMs()).isEqualTo(1_000);
        assertThat(n.toString()).doesNotContain("pw-secret").contains("neo4j+s://graph.example:7687");
        assertThatThrownBy(() -> ServerConfig.neo4j(Map.of("AURA_NEO4J_URI", "http://127.0.0.1:7474"), w))
                .hasMessageContaining("bolt:// or neo4j://").hasMessageContaining("e.g. AURA_NEO4J_URI=");
        assertThatThrownBy(() -> ServerConfig.neo4j(Map.of("AURA_NEO4J_URI", "bolt://neo4j:pw@db:7687"), w))
                .hasMessageContaining("NEO4J_PASSWORD").hasMessageNotContaining("pw@");
        assertThatThrownBy(() -> ServerConfig.neo4j(Map.of("AURA_NEO4J_URI", "bolt:///x"), w)).hasMessageContaining("no host");
        assertThatThrownBy(() -> ServerConfig.neo4j(Map.of("AURA_NEO4J_URI", "bolt://db", "AURA_NEO4J_DATABASE", "x y"), w))
                .hasMessageContaining("AURA_NEO4J_DATABASE");
    }

    @Test
    void aPredictionDocumentGivesItsCriticalAgentsInRankOrder() {
        KnowledgeGraph.Row r = KnowledgeGraph.predictionRow("p1", 5L, "me", null, 0.25, """
                {"form": "graph", "critical_agents": [{"agent_id": "db", "score": 2.5, "reason": "own stress"},
                 {"agent_id": "api", "score": 1.0, "reason": "propagated"}, {"score": 3}]}""");
        assertThat(r.params()).containsEntry("form", "graph").containsEntry("cascade_risk", 0.25).containsEntry("timestamp", 5L);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> critical = (List<Map<String, Object>>) r.params().get("critical");
        assertThat(critical).extracting(m -> m.get("agent_id")).containsExactly("db", "api");
        assertThat(critical).extracting(m -> m.get("rank")).containsExactly(1, 2);
        KnowledgeGraph.Row broken = KnowledgeGraph.predictionRow("p2", 6L, "me", null, 0.5, "not json");
        assertThat(broken.params()).containsEntry("id", "p2").containsEntry("form", null);
        assertThat((List<?>) broken.params().get("critical")).isEmpty();
    }

    @Test
    void agentsCallsSignaturesAndPredictionsReachTheGraphWithTheSeedsIndexes() throws Exception {
        try (TestServer s = new TestServer(env(), tmp.resolve("a"))) {
            ServerSuiteAccess bus = new ServerSuiteAccess(s);
            String a = bus.enrol("kg_sender");
            String b = bus.enrol("kg_receiver");
            try (WsClient snd = new WsClient(bus.ws("/ws/a2a/kg_sender"), a); WsClient rcv = new WsClient(bus.ws("/ws/a2a/kg_receiver"), b)) {
                Thread.sleep(100);
                snd.send("{\"to_agent\":\"kg_receiver\",\"type\":\"task\",\"payload\":{}}");
                snd.nextOf("ack");
                assertThat(rcv.received.poll(5, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
                await("a CALLS edge with one message", () -> cypher("MATCH (:Agent {id: 'kg_sender'})-[c:CALLS]->(:Agent {id: 'kg_receiver'})"
                        + " WHERE c.messages = 1 RETURN c", Map.of()).size() == 1);
                List<Record> agents = cypher("MATCH (a:Agent) WHERE a.id STARTS WITH 'kg_' RETURN a.id AS id, a.type AS type,"
                        + " a.status AS status ORDER BY id", Map.of());
                assertThat(agents).extracting(r -> r.get("id").asString()).containsExactly("kg_receiver", "kg_sender");
                assertThat(agents).extracting(r -> r.get("type").asString()).containsOnly("predictor");
                assertThat(agents).extracting(r -> r.get("status").asString()).containsOnly("online");
            }

            String token = s.token("analyze");
            JsonNode analyzed = s.post("/api/v1/analyze", token, RedisCacheTest.CLOUD).json();
            String signatureId = analyzed.get("signature_id").asText();
            JsonNode seed = s.post("/api/v1/predict", token,
                    "{\"agents\": [\"kg_sender\"], \"topology\": [[0, 0], [1, 0], [0, 1], [1, 1], [9, 9]]}").json();
            JsonNode graphForm = s.post("/api/v1/predict", token, """
                    {"agents": [
                       {"id": "api", "metrics": {"arrivals": 200, "errors": 20, "p99_latency_ms": 900, "thread_utilisation": 0.7}},
                       {"id": "db", "metrics": {"arrivals": 190, "successes": 10, "errors": 180, "p99_latency_ms": 5000,
                                                "thread_utilisation": 1.0, "queue_length": 400, "healthy_instances": 1}}],
                     "edges": [{"from": "api", "to": "db", "rate": 190, "failures": 180}]}""").json();

            await("the analyze signature", () -> cypher("MATCH (t:TopologySignature {id: $id}) RETURN t", Map.of("id", signatureId)).size() == 1);
            Record t = cypher("MATCH (t:TopologySignature {id: $id}) RETURN t.points AS points, t.betti AS betti, t.algorithm AS algorithm,"
                    + " t.timestamp AS ts", Map.of("id", signatureId)).get(0);
            assertThat(t.get("points").asInt()).isEqualTo(6);
            assertThat(t.get("betti").asList(v -> v.asInt())).isEqualTo(Json.MAPPER.convertValue(analyzed.at("/betti_numbers/values"), List.class));
            assertThat(t.get("algorithm").asString()).isEqualTo("persistent_homology");
            assertThat(t.get("ts").asLong()).isPositive();

            String seedId = seed.get("prediction_id").asText();
            await("the seed-form prediction and its signature", () -> cypher("MATCH (p:Prediction {id: $id})-[:HAS_SIGNATURE]->"
                    + "(t:TopologySignature {id: $sig}) WHERE t.points = 5 RETURN p", Map.of("id", seedId,
                    "sig", seed.at("/signals/topology/signature_id").asText())).size() == 1);
            String graphId = graphForm.get("prediction_id").asText();
            await("the graph-form prediction", () -> cypher("MATCH (p:Prediction {id: $id}) RETURN p", Map.of("id", graphId)).size() == 1);
            Record p = cypher("MATCH (p:Prediction {id: $id}) RETURN p.cascade_risk AS risk, p.form AS form", Map.of("id", graphId)).get(0);
            assertThat(p.get("risk").asDouble()).isEqualTo(graphForm.get("cascade_risk").asDouble());
            assertThat(p.get("form").asString()).isEqualTo("graph");
            List<Record> critical = cypher("MATCH (:Prediction {id: $id})-[k:CRITICAL]->(a:Agent) RETURN a.id AS agent, k.rank AS rank,"
                    + " k.reason AS reason ORDER BY rank", Map.of("id", graphId));
            assertThat(critical).isNotEmpty();
            assertThat(critical.get(0).get("agent").asString()).isEqualTo(graphForm.at("/critical_agents/0/agent_id").asText()).isEqualTo("db");
            assertThat(critical.get(0).get("reason").asString()).isEqualTo(graphForm.at("/critical_agents/0/reason").asText());

            List<String> indexes = cypher("SHOW INDEXES YIELD name RETURN name", Map.of()).stream().map(r -> r.get("name").asString()).toList();
            assertThat(indexes).contains("agent_id_index", "topology_timestamp", "cascade_risk", "agent_type_status");
            JsonNode h = s.get("/health", null).json();
            assertThat(h.at("/checks/knowledge_graph/status").asText()).isEqualTo("UP");
            assertThat(h.at("/checks/knowledge_graph/kind").asText()).isEqualTo("neo4j");
            assertThat(s.get("/metrics", null).body()).containsPattern("aura_neo4j_exported_total\\{kind=\"prediction\"\\} [2-9]");
            DeployAssets.assertExported(s, "aura_neo4j_"); // what the dashboard and the alert rules query
        }
    }

    @Test
    void rowsStoredWhileNeo4jWasUnreachableReachItFromSqlAfterwards() throws Exception {
        int closed;
        try (ServerSocket sock = new ServerSocket(0)) {
            closed = sock.getLocalPort();
        }
        Path dir = tmp.resolve("offline");
        List<String> ids = new ArrayList<>();
        Map<String, String> offline = env();
        offline.put("AURA_NEO4J_URI", "bolt://127.0.0.1:" + closed);
        try (TestServer s = new TestServer(offline, dir)) {
            String token = s.token("analyze");
            for (int i = 0; i < 5; i++) {
                TestServer.Response r = s.post("/api/v1/predict", token, "{\"agents\": [\"x\"], \"topology\": [[0, 0], [1, " + i + "], [2, 2]]}");
                assertThat(r.status()).as(r.body()).isEqualTo(200); // never held up by the graph
                ids.add(r.json().get("prediction_id").asText());
            }
            await("health says the graph is down", () -> s.get("/health", null).json().at("/checks/knowledge_graph/status").asText().equals("DOWN"));
            assertThat(s.get("/health", null).status()).isEqualTo(200);
        }
        assertThat(cypher("MATCH (p:Prediction) RETURN p", Map.of())).isEmpty();
        try (TestServer s = new TestServer(env(), dir)) { // the same database, now with a reachable Neo4j
            assertThat(s.get("/health", null).status()).isEqualTo(200);
            await("the five predictions and their signatures", () -> cypher("MATCH (p:Prediction)-[:HAS_SIGNATURE]->(:TopologySignature)"
                    + " WHERE p.id IN $ids RETURN p", Map.of("ids", ids)).size() == 5);
        }
    }

    @Test
    void aResyncOwedByAPreviousRunIsResumedFromSql() throws Exception {
        Path dir = tmp.resolve("owed");
        String first;
        try (TestServer s = new TestServer(env(), dir)) {
            first = s.post("/api/v1/predict", s.token("analyze"), "{\"agents\": [\"x\"]}").json().get("prediction_id").asText();
            await("the first prediction", () -> cypher("MATCH (p:Prediction {id: $id}) RETURN p", Map.of("id", first)).size() == 1);
        }
        long newest = cypher("MATCH (p:Prediction) RETURN max(p.timestamp) AS m", Map.of()).get(0).get("m").asLong();
        // as if an overflow had left rows of ten minutes ago unwritten when the server stopped: the row,
        // and where the resync stood (eleven minutes ago); an older row that was never owed stays out
        try (var c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("aura").toAbsolutePath(), "aura", "");
             var st = c.createStatement()) {
            st.execute("INSERT INTO predictions (id, created_at, created_by, signature_id, cascade_risk, document) VALUES"
                    + " ('owed-1', " + (newest - 600_000) + ", 'test', NULL, 0.5, '{\"form\":\"live\",\"critical_agents\":[]}'),"
                    + " ('never-owed', " + (newest - 1_200_000) + ", 'test', NULL, 0.5, '{}')");
            st.execute("INSERT INTO graph_export (table_name, exporter, resync_from) VALUES ('predictions', 'an-earlier-run', " + (newest - 660_000) + ")");
        }
        try (TestServer s = new TestServer(env(), dir)) {
            assertThat(s.get("/health", null).status()).isEqualTo(200);
            await("the owed row", () -> cypher("MATCH (p:Prediction {id: 'owed-1'}) RETURN p", Map.of()).size() == 1);
            assertThat(cypher("MATCH (p:Prediction {id: 'never-owed'}) RETURN p", Map.of())).isEmpty();
            await("the resync finished and forgotten", () -> s.server.db().query("SELECT table_name FROM graph_export",
                    rs -> rs.getString(1)).isEmpty());
        }
    }

    static Database.Statement prediction(String id, long ts) {
        return new Database.Statement(PredictionWriter.INSERT_PREDICTION, new Object[] {id, ts, "t", null, 0.1, "{}"});
    }

    private ServerConfig exporterConfig() {
        return ServerConfig.fromEnv(Map.of("AURA_JWT_SECRET", TestServer.SECRET, "AURA_NEO4J_URI", neo4j.boltURI().toString(),
                "AURA_NEO4J_INTERVAL_MS", "100"), 0, tmp, null);
    }

    /** An exporter with an empty bus. */
    private static KnowledgeGraph exporter(ServerConfig cfg, Database db) {
        return new KnowledgeGraph(cfg.neo4j(), db, Clock.systemUTC(), 0, Json::object, Json::object, new SimpleMeterRegistry());
    }

    /** The graph's schema and a prediction 'lockme' in both SQL and the graph; its timestamp. */
    private static long lockmeInBoth(Database db) {
        for (String s : KnowledgeGraph.SCHEMA) {
            driver.executableQuery(s).execute();
        }
        long ts = System.currentTimeMillis();
        driver.executableQuery("CREATE (:Prediction {id: 'lockme', timestamp: $ts})").withParameters(Map.of("ts", ts)).execute();
        Database.Statement lockme = prediction("lockme", ts);
        db.update(lockme.sql(), lockme.args());
        return ts;
    }

    static int countPredictions(Driver d, String id) {
        return d.executableQuery("MATCH (p:Prediction {id: $id}) RETURN p").withParameters(Map.of("id", id)).execute().records().size();
    }

    /** A row dropped on overflow while a resync page is being written still reaches the graph (a review's reproduction). */
    @Test
    void aRowDroppedWhileAResyncPageIsWrittenStillReachesTheGraph() throws Exception {
        ServerConfig cfg = exporterConfig();
        try (Database db = new Database(cfg)) {
            long ts = lockmeInBoth(db);
            Session session = driver.session();
            Transaction tx = session.beginTransaction();
            tx.run("MATCH (p:Prediction {id: 'lockme'}) SET p.locked = true").consume(); // the page's MERGE waits for this lock
            KnowledgeGraph kg = exporter(cfg, db);
            try {
                Thread.sleep(3_000); // the exporter is now blocked in resyncPage(PREDICTIONS), after its SELECT
                for (int i = 0; i < KnowledgeGraph.QUEUE; i++) {
                    kg.committed(prediction("fill-" + i, ts + 5));
                }
                Database.Statement r = prediction("R", ts + 10);
                db.update(r.sql(), r.args()); // committed after the page's SELECT
                kg.committed(r);              // the queue is full: dropped, left to the resync
                tx.rollback();
                tx.close();
                session.close();
                for (int i = 0; i < 600 && !kg.backlog().equals("0 queued"); i++) {
                    Thread.sleep(100);
                }
                Thread.sleep(2_000);
                assertThat(countPredictions(driver, "R")).as("R reached Neo4j").isEqualTo(1);
            } finally {
                kg.close();
            }
        }
    }

    /**
     * Rows still queued when a replica stops are recorded in graph_export and written after its
     * restart, although another replica moved the graph's newest row on meanwhile (a review's reproduction).
     */
    @Test
    void rowsQueuedAtShutdownReachTheGraphAfterARestartThoughTheGraphMovedOn() throws Exception {
        ServerConfig cfg = exporterConfig();
        try (Database db = new Database(cfg)) {
            long ts = lockmeInBoth(db);
            KnowledgeGraph kg = exporter(cfg, db);
            Thread.sleep(2_000); // caught up
            Session session = driver.session();
            Transaction tx = session.beginTransaction();
            tx.run("MATCH (p:Prediction {id: 'lockme'}) SET p.locked = true").consume();
            kg.committed(prediction("lockme", ts)); // the exporter's next write waits on the lock (a slow Neo4j)
            Database.Statement q = prediction("Q", ts + 1);
            db.update(q.sql(), q.args());
            kg.committed(q); // queued behind it
            Thread.sleep(500);
            kg.close(); // a rolling restart
            tx.rollback();
            tx.close();
            session.close();
            // another replica writes newer predictions meanwhile
            driver.executableQuery("CREATE (:Prediction {id: 'other-replica', timestamp: $ts})")
                    .withParameters(Map.of("ts", ts + 300_000)).execute();
            KnowledgeGraph again = exporter(cfg, db);
            try {
                Thread.sleep(4_000);
                assertThat(countPredictions(driver, "Q")).as("Q reached Neo4j").isEqualTo(1);
            } finally {
                again.close();
            }
        }
    }

    /** Enrolment and WebSocket addresses on one server, as in ServerSuite. */
    private record ServerSuiteAccess(TestServer s) {
        String enrol(String agentId) {
            TestServer.Response r = s.post("/a2a/auth/agent", s.token("enrol"), ServerSuite.SEED_ENROL.replace("predictor_001", agentId));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            return r.json().path("token").asText();
        }

        java.net.URI ws(String path) {
            return java.net.URI.create("ws://127.0.0.1:" + s.server.port() + path);
        }
    }
}
