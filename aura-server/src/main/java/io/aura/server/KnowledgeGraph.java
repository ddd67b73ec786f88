package io.aura.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.QueryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the knowledge graph to Neo4j ({@code AURA_NEO4J_URI}; PRODUCT.md: "Neo4j receives the
 * knowledge graph (agents, dependencies, signatures, predictions)"):
 * <pre>
 * (:Agent {id, type, status, enrolled_at, updated_at})
 * (:Agent)-[:CALLS {messages, calls, failures, refused, rate_per_second, mean_relay_latency_ms, updated_at}]->(:Agent)
 * (:TopologySignature {id, timestamp, algorithm, input_format, points, max_dimension, cut, betti, created_by})
 * (:Prediction {id, timestamp, cascade_risk, form, created_by})
 * (:Prediction)-[:CRITICAL {rank, score, reason}]->(:Agent)
 * (:Prediction)-[:HAS_SIGNATURE]->(:TopologySignature)
 * </pre>
 * with the seed's indexes ({@code agent_id_index}, {@code topology_timestamp}, {@code cascade_risk},
 * {@code agent_type_status}) and one on each id. Timestamps are epoch milliseconds.
 *
 * <p>The SQL database stays the system of record; the graph is derived from it and never delays
 * or fails a request. Rows the SQL store committed are handed over without waiting (a bounded
 * queue of {@value #QUEUE} rows) and written by one thread in batches of at most {@value #BATCH}
 * (idempotent MERGEs). Nothing is lost when Neo4j is down or the queue overflows: the rows are
 * then read again from SQL ("resync") from the oldest one not written, once Neo4j answers; where
 * the resync stands is kept in SQL ({@code graph_export}), so a restart resumes it. At start the
 * exporter also resyncs from a minute before the newest prediction and signature the graph already
 * holds (everything, for an empty graph). The bus's agents and calls are merged every
 * {@code AURA_NEO4J_INTERVAL_MS}. Nodes older than {@code AURA_RETENTION_DAYS} are deleted hourly,
 * as in SQL.
 */
final class KnowledgeGraph implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KnowledgeGraph.class);

    static final int QUEUE = 50_000;
    static final int BATCH = 1_000;
    /** Rows read from SQL per table and cycle while resyncing. */
    static final int RESYNC_PAGE = 5_000;
    /** How far before the graph's newest row a start-up resync begins (rows commit after their created_at). */
    static final long RESYNC_OVERLAP_MS = 60_000;
    /** Pause after a failed write. */
    static final long BACKOFF_MS = 5_000;
    private static final long WARN_EVERY_MS = 60_000;

    static final List<String> SCHEMA = List.of(
            "CREATE INDEX agent_id_index IF NOT EXISTS FOR (a:Agent) ON (a.id)",
            "CREATE INDEX topology_timestamp IF NOT EXISTS FOR (t:TopologySignature) ON (t.timestamp)",
            "CREATE INDEX cascade_risk IF NOT EXISTS FOR (p:Prediction) ON (p.cascade_risk)",
            "CREATE INDEX agent_type_status IF NOT EXISTS FOR (a:Agent) ON (a.type, a.status)",
            "CREATE INDEX prediction_id IF NOT EXISTS FOR (p:Prediction) ON (p.id)",
            "CREATE INDEX topology_signature_id IF NOT EXISTS FOR (t:TopologySignature) ON (t.id)",
            "CREATE INDEX prediction_timestamp IF NOT EXISTS FOR (p:Prediction) ON (p.timestamp)");

    static final String MERGE_SIGNATURES = """
            UNWIND $rows AS r
            MERGE (t:TopologySignature {id: r.id})
            SET t.timestamp = r.timestamp, t.algorithm = r.algorithm, t.input_format = r.input_format, t.points = r.points,
                t.max_dimension = r.max_dimension, t.cut = r.cut, t.betti = r.betti, t.created_by = r.created_by""";

    static final String MERGE_PREDICTIONS = """
            UNWIND $rows AS r
            MERGE (p:Prediction {id: r.id})
            SET p.timestamp = r.timestamp, p.cascade_risk = r.cascade_risk, p.form = r.form, p.created_by = r.created_by
            FOREACH (c IN r.critical |
                MERGE (a:Agent {id: c.agent_id})
                MERGE (p)-[k:CRITICAL]->(a)
                SET k.rank = c.rank, k.score = c.score, k.reason = c.reason)
            FOREACH (s IN CASE WHEN r.signature_id IS NULL THEN [] ELSE [r.signature_id] END |
                MERGE (t:TopologySignature {id: s})
                MERGE (p)-[:HAS_SIGNATURE]->(t))""";

    static final String MERGE_AGENTS = """
            UNWIND $rows AS r
            MERGE (a:Agent {id: r.id})
            SET a.type = r.type, a.status = r.status, a.enrolled_at = r.enrolled_at, a.updated_at = $now""";

    static final String MERGE_CALLS = """
            UNWIND $rows AS r
            MERGE (a:Agent {id: r.from})
            MERGE (b:Agent {id: r.to})
            MERGE (a)-[c:CALLS]->(b)
            SET c.messages = r.messages, c.calls = r.calls, c.failures = r.failures, c.refused = r.refused,
                c.rate_per_second = r.rate_per_second, c.mean_relay_latency_ms = r.mean_relay_latency_ms, c.updated_at = $now""";

    /**
     * A row of one of the two SQL tables the graph follows, as its INSERT's arguments (id and
     * created_at first); its Cypher parameters are built on the exporter thread, not on the thread
     * that committed it (the prediction writer's, whose time every predict request waits for).
     */
    record Row(Table table, Object[] args) {
        String id() {
            return (String) args[0];
        }

        long createdAt() {
            return (Long) args[1];
        }

        Map<String, Object> params() {
            return table == Table.SIGNATURES ? signatureParams(args) : predictionParams(args);
        }
    }

    /** The SQL tables the graph follows, with their Cypher. */
    enum Table {
        SIGNATURES("signatures", "TopologySignature", MERGE_SIGNATURES,
                "id, created_at, created_by, algorithm, input_format, points, max_dimension, cut, betti"),
        PREDICTIONS("predictions", "Prediction", MERGE_PREDICTIONS, "id, created_at, created_by, signature_id, cascade_risk, document");

        final String sql;
        final String label;
        final String cypher;
        final String columns;

        Table(String sql, String label, String cypher, String columns) {
            this.sql = sql;
            this.label = label;
            this.cypher = cypher;
            this.columns = columns;
        }
    }

    /** Where a table's resync stands: rows after (createdAt, id) are still to be read from SQL; null: none. */
    private record Cursor(long createdAt, String id) {
    }

    private final ServerConfig.Neo4j config;
    private final Database db;
    private final Clock clock;
    private final int retentionDays;
    private final Supplier<ObjectNode> agents;
    private final Supplier<ObjectNode> topology;
    private final Driver driver;
    private final QueryConfig queryConfig;
    private final BlockingQueue<Row> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Map<Table, Cursor> resync = new HashMap<>(); // guarded by this
    private boolean resyncChanged; // guarded by this: resync differs from what graph_export holds
    /** This process's key in graph_export. */
    private final String exporterId = java.util.UUID.randomUUID().toString();
    /** What earlier runs owed, read at start: deleted from graph_export once this exporter has caught up. */
    private final Map<Table, List<Object[]>> inherited;
    private final Thread thread;
    private volatile boolean closed;
    private final Object sleeper = new Object();
    /** The batch being written (the exporter thread's; read by close after the thread ended). */
    private final List<Row> inFlight = new ArrayList<>(BATCH);
    private volatile boolean schemaReady;
    private volatile String lastError = "not connected yet";
    private volatile long lastSuccessMs;
    private final Every warnings;
    private long lastPurgeMs = Long.MIN_VALUE / 2;
    private final Counter exportedPredictions;
    private final Counter exportedSignatures;
    private final Counter dropped;
    private final Counter failures;

    /**
     * @param agents the bus's agents document ({@code GET /api/v1/agents})
     * @param topology the bus's topology document ({@code GET /api/v1/topology})
     */
    KnowledgeGraph(ServerConfig.Neo4j config, Database db, Clock clock, int retentionDays, Supplier<ObjectNode> agents,
            Supplier<ObjectNode> topology, MeterRegistry registry) {
        this.config = config;
        this.db = db;
        this.clock = clock;
        this.warnings = new Every(WARN_EVERY_MS, clock::millis);
        this.retentionDays = retentionDays;
        this.agents = agents;
        this.topology = topology;
        this.driver = GraphDatabase.driver(config.uri(), config.password() == null ? AuthTokens.none()
                : AuthTokens.basic(config.user(), config.password()), Config.builder()
                .withConnectionTimeout(10, TimeUnit.SECONDS)
                .withConnectionAcquisitionTimeout(30, TimeUnit.SECONDS)
                .withMaxTransactionRetryTime(5, TimeUnit.SECONDS)
                .build());
        QueryConfig.Builder qc = QueryConfig.builder();
        if (config.database() != null) {
            qc.withDatabase(config.database());
        }
        this.queryConfig = qc.build();
        this.exportedPredictions = Counter.builder("aura.neo4j.exported").tag("kind", "prediction")
                .description("Rows written to the knowledge graph").register(registry);
        this.exportedSignatures = Counter.builder("aura.neo4j.exported").tag("kind", "signature")
                .description("Rows written to the knowledge graph").register(registry);
        this.dropped = Counter.builder("aura.neo4j.overflow").description("Rows not queued for the knowledge graph"
                + " because the queue was full (they are read again from SQL)").register(registry);
        this.failures = Counter.builder("aura.neo4j.failures").description("Failed writes to the knowledge graph (retried)")
                .register(registry);
        Gauge.builder("aura.neo4j.queue", queue, BlockingQueue::size).description("Rows waiting for the knowledge graph")
                .register(registry);
        this.inherited = persistedResync(); // before anything is written under this exporter's id
        for (var e : inherited.entrySet()) { // overflows or failed writes of earlier runs, not yet made good
            for (Object[] r : e.getValue()) {
                resyncFrom(e.getKey(), (Long) r[1]);
            }
        }
        this.thread = Thread.ofPlatform().name("aura-neo4j").daemon(true).start(this::run);
    }

    /**
     * Hands over a statement the SQL store committed; signatures and predictions are queued, the
     * rest ignored. Never blocks: on a full queue the row is left for the resync.
     */
    void committed(Database.Statement s) {
        Row row;
        if (s.sql().equals(AnalyzeService.INSERT_SIGNATURE)) {
            row = new Row(Table.SIGNATURES, s.args());
        } else if (s.sql().equals(PredictionWriter.INSERT_PREDICTION)) {
            row = new Row(Table.PREDICTIONS, s.args());
        } else {
            return;
        }
        if (!queue.offer(row)) {
            dropped.increment();
            resyncFrom(row.table(), row.createdAt() - 1);
        }
    }

    /**
     * Rows of t after afterMs are owed. Always a new cursor object, even when the position does not
     * move back: a page being written when this happens must not then be taken as the end of the
     * resync (its SELECT may have run before the row committed).
     */
    private synchronized void resyncFrom(Table t, long afterMs) {
        Cursor c = resync.get(t);
        resync.put(t, c == null || afterMs < c.createdAt() ? new Cursor(afterMs, "") : new Cursor(c.createdAt(), c.id()));
        resyncChanged = true;
    }

    /**
     * Writes where each table's resync stands to SQL ({@code graph_export}) when it changed, so a
     * restart resumes it; on the exporter thread, before anything that needs Neo4j.
     */
    private void persistResync() {
        Map<Table, Cursor> now;
        synchronized (this) {
            if (!resyncChanged) {
                return;
            }
            resyncChanged = false;
            now = new HashMap<>(resync);
        }
        List<Database.Statement> st = new ArrayList<>();
        for (Table t : Table.values()) {
            st.add(new Database.Statement("DELETE FROM graph_export WHERE table_name = ? AND exporter = ?", new Object[] {t.sql, exporterId}));
            Cursor c = now.get(t);
            if (c != null) {
                st.add(new Database.Statement("INSERT INTO graph_export (table_name, exporter, resync_from) VALUES (?, ?, ?)",
                        new Object[] {t.sql, exporterId, c.createdAt()}));
            } else { // caught up: what earlier runs owed (read at start) is made good; rows changed since are left alone
                for (Object[] r : inherited.getOrDefault(t, List.of())) {
                    st.add(new Database.Statement("DELETE FROM graph_export WHERE table_name = ? AND exporter = ? AND resync_from = ?",
                            new Object[] {t.sql, r[0], r[1]}));
                }
            }
        }
        try {
            db.updateAll(st);
        } catch (RuntimeException e) {
            synchronized (this) {
                resyncChanged = true; // next round
            }
            throw e;
        }
    }

    /** The resync positions earlier runs (of any replica) left in SQL, per table: {exporter, resync_from}. */
    private Map<Table, List<Object[]>> persistedResync() {
        Map<Table, List<Object[]>> out = new HashMap<>();
        for (Object[] r : db.query("SELECT table_name, exporter, resync_from FROM graph_export",
                rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getLong(3)})) {
            for (Table t : Table.values()) {
                if (t.sql.equals(r[0])) {
                    out.computeIfAbsent(t, k -> new ArrayList<>()).add(new Object[] {r[1], r[2]});
                }
            }
        }
        return out;
    }

    /** {@link AnalyzeService#INSERT_SIGNATURE}'s arguments: id, created_at, created_by, algorithm, input_format, points, max_dimension, cut, betti, ... */
    private static Map<String, Object> signatureParams(Object[] a) {
        Map<String, Object> p = new HashMap<>();
        p.put("id", a[0]);
        p.put("timestamp", a[1]);
        p.put("created_by", a[2]);
        p.put("algorithm", a[3]);
        p.put("input_format", a[4]);
        p.put("points", a[5]);
        p.put("max_dimension", a[6]);
        p.put("cut", a[7]);
        List<Long> b = new ArrayList<>();
        try {
            for (JsonNode n : Json.MAPPER.readTree((String) a[8])) {
                b.add(n.asLong());
            }
        } catch (java.io.IOException | RuntimeException e) {
            // stored by this server: always an array of integers; an unreadable one is left out
        }
        p.put("betti", b);
        return p;
    }

    /** A prediction's row (tests; the SQL paths build {@link Row}s from the INSERT's arguments). */
    static Row predictionRow(String id, long createdAt, String by, String signatureId, double risk, String document) {
        return new Row(Table.PREDICTIONS, new Object[] {id, createdAt, by, signatureId, risk, document});
    }

    /** {@link PredictionWriter#INSERT_PREDICTION}'s arguments: id, created_at, created_by, signature_id, cascade_risk, document. */
    private static Map<String, Object> predictionParams(Object[] a) {
        Map<String, Object> p = new HashMap<>();
        p.put("id", a[0]);
        p.put("timestamp", a[1]);
        p.put("created_by", a[2]);
        p.put("signature_id", a[3]);
        p.put("cascade_risk", a[4]);
        List<Map<String, Object>> critical = new ArrayList<>();
        String form = null;
        try {
            JsonNode doc = Json.MAPPER.readTree((String) a[5]);
            form = doc.path("form").isTextual() ? doc.get("form").asText() : null;
            int rank = 0;
            for (JsonNode c : doc.path("critical_agents")) {
                if (c.path("agent_id").isTextual()) {
                    Map<String, Object> m = new HashMap<>();
                    m.put("agent_id", c.get("agent_id").asText());
                    m.put("rank", ++rank);
                    m.put("score", c.path("score").isNumber() ? c.get("score").asDouble() : null);
                    m.put("reason", c.path("reason").isTextual() ? c.get("reason").asText() : null);
                    critical.add(m);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // the document is this server's JSON; an unreadable one still gives the prediction's node
        }
        p.put("form", form);
        p.put("critical", critical);
        return p;
    }

    private void run() {
        while (!closed) {
            long cycleStart = System.nanoTime();
            try {
                cycle();
                lastSuccessMs = clock.millis();
                lastError = null;
            } catch (RuntimeException e) {
                failures.increment();
                lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage()));
                warn("knowledge graph: writing to Neo4j at " + ServerConfig.redactUrl(config.uri()) + " failed (" + lastError
                        + "); requests are not affected; retrying in " + BACKOFF_MS / 1000 + " s");
                if (!sleepMs(BACKOFF_MS)) {
                    return;
                }
                continue;
            }
            long left = config.intervalMs() - (System.nanoTime() - cycleStart) / 1_000_000;
            if (queue.size() < BATCH && !resyncPending() && left > 0 && !sleepMs(left)) {
                return;
            }
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Waits, woken early only by close (an interrupt would abort a query mid-transaction); false once closed. */
    private boolean sleepMs(long ms) {
        long end = System.nanoTime() + ms * 1_000_000;
        synchronized (sleeper) {
            long left;
            while (!closed && (left = end - System.nanoTime()) > 0) {
                try {
                    sleeper.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    return false;
                }
            }
        }
        return !closed;
    }

    private synchronized boolean resyncPending() {
        return !resync.isEmpty();
    }

    /** One round: schema (once), the queue, one resync page per table, the bus's agents and calls, the hourly purge. */
    void cycle() {
        persistResync();
        if (!schemaReady) {
            for (String s : SCHEMA) {
                driver.executableQuery(s).withConfig(queryConfig).execute();
            }
            for (Table t : Table.values()) { // the graph's newest row, less the overlap; nothing: from the start
                var r = driver.executableQuery("MATCH (n:" + t.label + ") RETURN max(n.timestamp) AS m").withConfig(queryConfig).execute();
                var m = r.records().get(0).get("m");
                resyncFrom(t, m.isNull() ? Long.MIN_VALUE : m.asLong() - RESYNC_OVERLAP_MS);
            }
            schemaReady = true;
            LOG.info("knowledge graph: writing to Neo4j at {}", ServerConfig.redactUrl(config.uri()));
        }
        drainQueue();
        for (Table t : Table.values()) {
            resyncPage(t);
        }
        mergeBus();
        long now = clock.millis();
        if (retentionDays > 0 && now - lastPurgeMs >= 3_600_000L) {
            long cut = now - retentionDays * 86_400_000L;
            for (Table t : Table.values()) {
                driver.executableQuery("MATCH (n:" + t.label + ") WHERE n.timestamp < $cut WITH n LIMIT 100000 DETACH DELETE n")
                        .withParameters(Map.of("cut", cut)).withConfig(queryConfig).execute();
            }
            lastPurgeMs = now;
        }
    }

    /** At most a queue's worth of rows per round, so the rest of the round (saving the resync, the bus, the purge) is never starved. */
    private void drainQueue() {
        int left = QUEUE;
        while (left > 0 && !closed) {
            inFlight.clear();
            if (queue.drainTo(inFlight, Math.min(BATCH, left)) == 0) {
                break;
            }
            left -= inFlight.size();
            try {
                write(inFlight);
            } catch (RuntimeException e) {
                for (Row r : inFlight) { // they are in SQL: read them again once Neo4j answers
                    resyncFrom(r.table(), r.createdAt() - 1);
                }
                throw e;
            } finally {
                inFlight.clear();
            }
            persistResync(); // a drop meanwhile is on record before the next batch
        }
    }

    private void write(List<Row> rows) {
        Map<Table, List<Map<String, Object>>> byTable = new HashMap<>();
        for (Row r : rows) {
            byTable.computeIfAbsent(r.table(), k -> new ArrayList<>()).add(r.params());
        }
        for (Table t : Table.values()) { // signatures first: a prediction's HAS_SIGNATURE finds its node filled
            List<Map<String, Object>> list = byTable.get(t);
            if (list != null) {
                driver.executableQuery(t.cypher).withParameters(Map.of("rows", list)).withConfig(queryConfig).execute();
                (t == Table.PREDICTIONS ? exportedPredictions : exportedSignatures).increment(list.size());
            }
        }
    }

    private void resyncPage(Table t) {
        Cursor c;
        synchronized (this) {
            c = resync.get(t);
        }
        if (c == null) {
            return;
        }
        List<Row> rows = db.query("SELECT " + t.columns + " FROM " + t.sql + " WHERE created_at > ? OR (created_at = ? AND id > ?)"
                + " ORDER BY created_at, id LIMIT " + RESYNC_PAGE, rs -> new Row(t, t == Table.SIGNATURES
                        ? new Object[] {rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6),
                                rs.getInt(7), rs.getDouble(8), rs.getString(9)}
                        : new Object[] {rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getDouble(5), rs.getString(6)}),
                c.createdAt(), c.createdAt(), c.id());
        for (List<Row> b : batches(rows)) {
            write(b);
        }
        synchronized (this) {
            if (resync.get(t) != c) {
                return; // moved back meanwhile (an overflow or a failed write): start from there next time
            }
            if (rows.size() < RESYNC_PAGE) {
                resync.remove(t); // caught up: newer rows arrive through the queue
            } else {
                Row last = rows.get(rows.size() - 1);
                resync.put(t, new Cursor(last.createdAt(), last.id()));
            }
            resyncChanged = true;
        }
    }

    private void mergeBus() {
        long now = clock.millis();
        ObjectNode a = agents.get();
        ObjectNode topo = topology.get();
        List<Map<String, Object>> agentRows = new ArrayList<>();
        for (JsonNode n : a.path("agents")) {
            Map<String, Object> m = new HashMap<>();
            m.put("id", n.path("agent_id").asText());
            m.put("type", n.path("agent_type").isTextual() ? n.get("agent_type").asText() : null);
            m.put("status", n.path("online").asBoolean() ? "online" : "offline");
            m.put("enrolled_at", n.path("enrolled_at").isTextual() ? java.time.Instant.parse(n.get("enrolled_at").asText()).toEpochMilli() : null);
            agentRows.add(m);
        }
        List<Map<String, Object>> calls = new ArrayList<>();
        for (JsonNode e : topo.path("edges")) {
            Map<String, Object> m = new HashMap<>();
            for (String f : List.of("from", "to")) {
                m.put(f, e.path(f).asText());
            }
            for (String f : List.of("messages", "calls", "failures", "refused")) {
                m.put(f, e.path(f).asLong());
            }
            for (String f : List.of("rate_per_second", "mean_relay_latency_ms")) {
                m.put(f, e.path(f).asDouble());
            }
            calls.add(m);
        }
        for (List<Map<String, Object>> b : batches(agentRows)) {
            driver.executableQuery(MERGE_AGENTS).withParameters(Map.of("rows", b, "now", now)).withConfig(queryConfig).execute();
        }
        for (List<Map<String, Object>> b : batches(calls)) {
            driver.executableQuery(MERGE_CALLS).withParameters(Map.of("rows", b, "now", now)).withConfig(queryConfig).execute();
        }
    }

    /** Consecutive slices of at most {@value #BATCH} elements. */
    private static <T> List<List<T>> batches(List<T> all) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += BATCH) {
            out.add(all.subList(i, Math.min(all.size(), i + BATCH)));
        }
        return out;
    }

    private void warn(String message) {
        if (warnings.due()) {
            LOG.warn(message);
        }
    }

    /** For /health: null when the last round succeeded, else why not. */
    String problem() {
        return lastError;
    }

    /** Rows waiting in the queue, and whether a resync is under way. */
    String backlog() {
        return queue.size() + (resyncPending() ? " queued, resyncing from SQL" : " queued");
    }

    /** Epoch ms of the last successful round; 0: none yet. */
    long lastSuccessMs() {
        return lastSuccessMs;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (sleeper) {
            sleeper.notifyAll();
        }
        try {
            thread.join(2_000); // a round in progress may finish; one stuck in retries is interrupted
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(2_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // what is queued or was being written is in SQL: note where it starts, for the next run
        List<Row> unwritten = new ArrayList<>();
        queue.drainTo(unwritten);
        if (!thread.isAlive()) {
            unwritten.addAll(inFlight);
        }
        for (Row r : unwritten) {
            resyncFrom(r.table(), r.createdAt() - 1);
        }
        try {
            persistResync();
        } catch (RuntimeException e) {
            LOG.warn("knowledge graph: recording the rows still owed to Neo4j failed: {}", e.toString());
        }
        driver.close();
    }
}
