package io.aura.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aura.cascade.predict.AuraGuard;
import io.aura.cascade.sim.Prediction;
import io.aura.cascade.sim.StaticTopology;
import io.aura.cascade.sim.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/v1/predict} in three forms (docs/api.md):
 * <ul>
 *   <li><b>seed</b> {@code {"agents":[ids], "topology":[[..]..], "enable_memory", "enable_neuromorphic"}}:
 *       the point cloud's persistent homology ({@link AnalyzeService}, stored as a signature) for the
 *       topological signals, and the live assessment of the bus for the risk;</li>
 *   <li><b>graph</b> {@code {"agents":[{"id","metrics":{..}}..], "edges":[{"from","to","rate","failures"}..]}}:
 *       a fresh guard over the given graph and one snapshot of the given metrics;</li>
 *   <li><b>live</b> {@code {"agents":[ids]}}: the prediction loop's newest assessment of the bus,
 *       its critical agents restricted to the named ones.</li>
 * </ul>
 * When the bus has not seen any of the named agents, the risk is the model's answer for a system
 * with no observed telemetry (computed once at start-up by running the guard on an all-missing
 * snapshot) and the answer says so in {@code signals.basis}.
 */
final class PredictService {

    static final List<String> FIELDS = List.of("agents", "topology", "edges", "enable_memory", "enable_neuromorphic");
    static final List<String> METRICS = List.of("arrivals", "successes", "errors", "rejected", "timeouts", "blocked",
            "downstream", "p50_latency_ms", "p95_latency_ms", "p99_latency_ms", "in_flight", "queue_length",
            "thread_utilisation", "cpu_utilisation", "healthy_instances");

    private final ServerConfig config;
    private final Database db;
    private final AnalyzeService analyze;
    private final PredictionLoop loop;
    private final PredictionWriter writer;
    private final Assessment prior;
    private final SignatureMemory signatureMemory;
    private final java.time.Clock clock;

    PredictService(ServerConfig config, Database db, AnalyzeService analyze, PredictionLoop loop, PredictionWriter writer,
            java.time.Clock clock) {
        this.config = config;
        this.clock = clock;
        this.signatureMemory = new SignatureMemory(db, Assessment.MODEL.cascadeFraction(),
                LiveHistory.FLUSH_MS + 2L * config.predictionIntervalMs());
        this.db = db;
        this.analyze = analyze;
        this.loop = loop;
        this.writer = writer;
        this.prior = priorAssessment();
    }

    /** The guard on one agent, no edges, and a snapshot in which every metric is missing. */
    private static Assessment priorAssessment() {
        StaticTopology t = new StaticTopology(1, new int[0], new int[0]);
        AuraGuard g = Assessment.newGuard(t);
        int[] mi = {-1};
        double[] md = {Double.NaN};
        TelemetrySnapshot s = new TelemetrySnapshot(1, mi, mi, mi, mi, mi, mi, mi, md, md, md, mi, mi, md, md, mi,
                new int[0], new int[0]);
        Prediction p = g.predict(s);
        return Assessment.of(0, g, p, List.of(), List.of("none"), t, 0);
    }

    /** The answer document as JSON text, already stored (the same text is stored and sent: one serialisation). */
    String predict(ObjectNode body, String actor) {
        long t0 = System.nanoTime();
        Json.onlyFields(body, FIELDS, "");
        Boolean memory = Json.bool(body, "enable_memory", "enable_memory");
        Boolean neuro = Json.bool(body, "enable_neuromorphic", "enable_neuromorphic");
        JsonNode agentsNode = body.get("agents");
        // null is absent, as for topology: clients that serialise unset fields as null mean no edges
        boolean graph = (body.has("edges") && !body.get("edges").isNull()) || hasObject(agentsNode);
        ObjectNode out = Json.object();
        String id = Ids.timeOrdered();
        out.put("prediction_id", id);
        String signatureId = null;
        ObjectNode topoDoc = null;
        long tdaNanos = 0;
        boolean cacheHit = false;
        if (graph) {
            if (body.has("topology") && !body.get("topology").isNull()) {
                throw ApiException.invalid("topology", "topology (a point cloud) belongs to the seed form; the graph form takes agents with metrics and edges");
            }
            out.put("form", "graph");
            graphForm(body, out);
        } else {
            List<String> agents = Json.agentIds(body, "agents", config.maxAgentsPerRequest());
            Set<String> named = Json.distinct(agents, "agents"); // before the seed form's persistent homology, not after it
            JsonNode topo = body.get("topology");
            if (topo != null && !topo.isNull()) {
                ObjectNode req = Json.object();
                req.set("topology_data", topo);
                req.put("algorithm", "persistent_homology");
                AnalyzeService.Result r;
                try {
                    r = analyze.run(analyze.parse(req));
                } catch (ApiException e) {
                    throw renamed(e);
                }
                topoDoc = r.document();
                tdaNanos = r.computeNanos();
                cacheHit = r.cacheHit();
                signatureId = Ids.timeOrdered();
                out.put("form", "seed");
            } else {
                out.put("form", "live");
            }
            liveForm(named, out);
        }
        ObjectNode signals = (ObjectNode) out.get("signals");
        if (topoDoc != null) {
            ObjectNode ts = signals.putObject("topology");
            ts.put("signature_id", signatureId);
            ts.put("points", topoDoc.at("/input/points").asInt());
            ts.put("ambient_dimension", topoDoc.at("/input/ambient_dimension").asInt());
            ts.put("filtration_threshold", topoDoc.at("/filtration/threshold").asDouble());
            ts.set("betti_numbers", topoDoc.get("betti_numbers"));
            ts.set("summaries", topoDoc.get("summaries"));
            ts.put("cache_hit", cacheHit);
            ts.put("used_by_risk_model", false);
            ts.put("note", "the persistent homology of the request's point cloud is reported and stored as a signature;"
                    + " the shipped risk model's inputs are the bus's telemetry, so it does not change cascade_risk");
        }
        if (memory == null) {
            out.putNull("memory");
        } else if (!memory) {
            out.put("memory", "disabled");
        } else if (topoDoc == null) {
            ObjectNode m = out.putObject("memory");
            m.put("status", "no_topology");
            m.put("message", "the topological memory compares point-cloud signatures; this request has no topology");
        } else {
            out.set("memory", signatureMemory.query(topoDoc, clock.millis()));
        }
        if (neuro == null) {
            out.putNull("neuromorphic");
        } else {
            out.put("neuromorphic", "accepted and ignored: AURA has no neuromorphic model");
        }
        ObjectNode timing = out.putObject("timing_ms");
        timing.put("topology", tdaNanos / 1e6);
        timing.put("total", (System.nanoTime() - t0) / 1e6);
        String text = Json.write(out);
        writer.store(id, clock.millis(), actor, signatureId, topoDoc, out.path("cascade_risk").asDouble(), text);
        return text;
    }

    /** A stored prediction document with who made it and when, or null. */
    ObjectNode stored(String id) {
        List<ObjectNode> rows = db.query("SELECT created_at, created_by, signature_id, document FROM predictions WHERE id = ?", rs -> {
            ObjectNode o;
            try {
                o = (ObjectNode) Json.MAPPER.readTree(rs.getString(4));
            } catch (java.io.IOException e) {
                throw new java.sql.SQLException("unreadable prediction document", e);
            }
            o.put("created_at", java.time.Instant.ofEpochMilli(rs.getLong(1)).toString());
            o.put("created_by", rs.getString(2));
            return o;
        }, id);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** analyze's error about topology_data, reworded for predict's field name topology. */
    private static ApiException renamed(ApiException e) {
        String f = e.field() == null ? null : e.field().replace("topology_data", "topology");
        String msg = e.getMessage().replace("topology_data", "topology");
        return new ApiException(e.status(), e.error(), msg, f);
    }

    // ---- live (ids-only and seed forms)

    /** 0..n-1 sorted by {@code cmp}. */
    private static Integer[] order(int n, java.util.Comparator<Integer> cmp) {
        Integer[] o = new Integer[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        Arrays.sort(o, cmp);
        return o;
    }

    /** {@code a} in the order {@code order} (element r is a[order[r]]). */
    private static int[] reorder(int[] a, Integer[] order) {
        int[] out = new int[a.length];
        for (int r = 0; r < a.length; r++) {
            out[r] = a[order[r]];
        }
        return out;
    }

    private static double[] reorder(double[] a, Integer[] order) {
        double[] out = new double[a.length];
        for (int r = 0; r < a.length; r++) {
            out[r] = a[order[r]];
        }
        return out;
    }

    /** Whether any element of agents is an object: the graph form takes objects and bare ids in any order. */
    private static boolean hasObject(JsonNode agents) {
        if (agents == null || !agents.isArray()) {
            return false;
        }
        for (JsonNode e : agents) {
            if (e.isObject()) {
                return true;
            }
        }
        return false;
    }


    /** An assessment's agent names as a set, made once per assessment, not per request. */
    private record BusNames(Assessment of, Set<String> names) {
    }

    /** The newest assessment's {@link BusNames}; requests that race on a new one may each build it, harmlessly. */
    private volatile BusNames busNames;

    private Set<String> busNames(Assessment a) {
        BusNames b = busNames;
        if (b == null || b.of() != a) {
            b = new BusNames(a, Set.copyOf(a.names())); // O(bus agents): once a second, not per request
            busNames = b;
        }
        return b.names();
    }

    private void liveForm(Set<String> named, ObjectNode out) {
        Assessment a = loop.latest();
        Set<String> known = new HashSet<>();
        if (a != null) {
            Set<String> bus = busNames(a);
            for (String x : named) {
                if (bus.contains(x)) {
                    known.add(x);
                }
            }
        }
        ObjectNode signals = Json.object();
        ObjectNode live = signals.putObject("live_telemetry");
        live.put("named_agents", named.size());
        live.put("known_agents", known.size());
        ArrayNode unknown = live.putArray("unknown_agents");
        int shown = 0;
        for (String x : named) {
            if (!known.contains(x) && shown++ < 20) {
                unknown.add(x);
            }
        }
        live.put("unknown_agents_total", named.size() - known.size());
        if (known.isEmpty()) {
            live.put("status", "none for these agents");
            signals.put("basis", "model_prior: the bus has no telemetry for any named agent, so cascade_risk is the shipped"
                    + " model's risk for a system with no observed telemetry (every metric missing)");
            fill(out, prior, List.of(), null);
            out.put("expected_cascade_size", 0.0);
            out.put("cascade_threshold_agents", (int) Math.floor(Assessment.MODEL.cascadeFraction() * named.size()) + 1);
        } else {
            live.put("status", "live");
            live.put("bus_agents", a.names().size());
            live.put("bus_call_edges", a.topology().edgeCount());
            live.put("history_seconds", a.historySeconds());
            Set<String> reporting = loop.reportingAgents();
            live.put("reporting_agents", (int) known.stream().filter(reporting::contains).count());
            live.put("assessed_at", java.time.Instant.ofEpochMilli(a.atMs()).toString());
            signals.put("basis", "live: the prediction loop's newest assessment of the whole bus (the risk model is"
                    + " system-wide); critical agents and interventions restricted to the named agents");
            List<ObjectNode> ivs = new ArrayList<>();
            for (ObjectNode iv : a.interventions()) {
                for (JsonNode ag : iv.path("agents")) {
                    if (named.contains(ag.asText())) {
                        ivs.add(iv);
                        break;
                    }
                }
            }
            fill(out, a, ivs, named);
            if (!a.skippedActions().isEmpty()) {
                ArrayNode sk = signals.putArray("skipped_actions");
                a.skippedActions().forEach(sk::add);
            }
        }
        signals.set("model_features", (known.isEmpty() ? prior : a).featuresJson());
        out.set("signals", signals);
    }

    private static void fill(ObjectNode out, Assessment a, List<ObjectNode> ivs, Set<String> only) {
        out.put("cascade_risk", a.risk());
        out.put("horizon_seconds", a.horizonSeconds());
        out.set("risk_by_horizon", Assessment.horizonsJson(a.riskByHorizon()));
        out.put("expected_cascade_size", a.expectedCascadeSize());
        out.put("cascade_threshold_agents", a.cascadeThresholdAgents());
        out.set("critical_agents", a.criticalJson(only));
        ArrayNode rec = out.putArray("recommended_interventions");
        ivs.forEach(iv -> rec.add(iv.deepCopy()));
    }

    // ---- graph form

    private void graphForm(ObjectNode body, ObjectNode out) {
        JsonNode an = body.get("agents");
        if (an == null || an.isNull()) {
            throw ApiException.invalid("agents", "agents is required: an array of {\"id\": ..., \"metrics\": {...}}");
        }
        if (!an.isArray()) {
            throw ApiException.invalid("agents", "agents must be an array, got " + Json.kind(an));
        }
        if (an.isEmpty()) {
            throw ApiException.invalid("agents", "agents must name at least one agent");
        }
        int max = config.maxAgentsPerRequest();
        if (an.size() > max) {
            throw new ApiException(413, "too_many_agents", "agents has " + an.size() + " agents; at most " + max
                    + " per request (MAX_AGENTS_PER_REQUEST)", "agents");
        }
        int n = an.size();
        List<String> names = new ArrayList<>(n);
        Map<String, Integer> ids = new HashMap<>();
        int[][] ints = new int[11][n];
        double[][] dbl = new double[6][n];
        for (int[] a : ints) {
            Arrays.fill(a, -1);
        }
        for (double[] a : dbl) {
            Arrays.fill(a, Double.NaN);
        }
        for (int i = 0; i < n; i++) {
            JsonNode e = an.get(i);
            String p = "agents[" + i + "]";
            String name;
            ObjectNode metrics = null;
            if (e.isTextual()) {
                name = AgentIds.check(e.textValue(), p);
            } else if (e.isObject()) {
                ObjectNode o = (ObjectNode) e;
                for (var it = o.fieldNames(); it.hasNext(); ) {
                    String f = it.next();
                    if (!f.equals("id") && !f.equals("metrics")) {
                        throw ApiException.invalid(p + "." + clip(f), "unknown field '" + clip(f) + "'; an agent has id and metrics");
                    }
                }
                name = Json.string(o, "id", p + ".id");
                if (name == null) {
                    throw ApiException.invalid(p + ".id", p + ".id is required");
                }
                AgentIds.check(name, p + ".id");
                metrics = Json.obj(o, "metrics", p + ".metrics");
            } else {
                throw ApiException.invalid(p, p + " must be an object {\"id\", \"metrics\"} or an agent id, got " + Json.kind(e));
            }
            if (ids.putIfAbsent(name, i) != null) {
                throw ApiException.invalid(p + ".id", "agent '" + name + "' is listed twice");
            }
            names.add(name);
            if (metrics != null) {
                metrics(metrics, p + ".metrics", i, ints, dbl);
            }
        }
        JsonNode en = body.get("edges");
        int m = en == null || en.isNull() ? 0 : en.size();
        if (en != null && !en.isNull() && !en.isArray()) {
            throw ApiException.invalid("edges", "edges must be an array of {\"from\", \"to\", \"rate\", \"failures\"}, got " + Json.kind(en));
        }
        long maxEdges = Math.min(1_000_000L, 16L * max);
        if (m > maxEdges) {
            throw new ApiException(413, "too_many_edges", "edges has " + m + " edges; at most " + maxEdges
                    + " (16 x MAX_AGENTS_PER_REQUEST)", "edges");
        }
        int[] callers = new int[m];
        int[] callees = new int[m];
        int[] attempts = new int[m];
        int[] failures = new int[m];
        Set<Long> seen = new HashSet<>();
        for (int k = 0; k < m; k++) {
            JsonNode e = en.get(k);
            String p = "edges[" + k + "]";
            if (!e.isObject()) {
                throw ApiException.invalid(p, p + " must be an object {\"from\", \"to\", \"rate\", \"failures\"}, got " + Json.kind(e));
            }
            ObjectNode o = (ObjectNode) e;
            for (var it = o.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!List.of("from", "to", "rate", "failures").contains(f)) {
                    throw ApiException.invalid(p + "." + clip(f), "unknown field '" + clip(f) + "'; an edge has from, to, rate, failures");
                }
            }
            int a = endpoint(o, "from", p, ids);
            int b = endpoint(o, "to", p, ids);
            if (a == b) {
                throw ApiException.invalid(p + ".to", p + " is a self-loop; an agent does not call itself");
            }
            if (!seen.add(((long) a << 32) | b)) {
                throw ApiException.invalid(p, p + " repeats the edge " + names.get(a) + " -> " + names.get(b));
            }
            callers[k] = a;
            callees[k] = b;
            Double rate = Json.number(o, "rate", p + ".rate");
            Double fail = Json.number(o, "failures", p + ".failures");
            if (rate != null && !(rate >= 0 && rate <= 1e9)) {
                throw ApiException.invalid(p + ".rate", p + ".rate (calls per second) must be in 0..1e9, got " + rate);
            }
            if (fail != null && !(fail >= 0 && fail <= 1e9)) {
                throw ApiException.invalid(p + ".failures", p + ".failures (failed calls per second) must be in 0..1e9, got " + fail);
            }
            if (rate != null && fail != null && fail > rate) {
                throw ApiException.invalid(p + ".failures", p + ".failures (" + fail + ") exceeds " + p + ".rate (" + rate + ")");
            }
            attempts[k] = rate == null ? -1 : (int) Math.round(rate);
            failures[k] = fail == null ? -1 : (int) Math.round(fail);
        }
        // The guard numbers agents by position and breaks ties between equal critical scores by the
        // lower number, and sums over agents in that order: agents sorted by id and edges by their
        // ends make the answer independent of the order of the request's lists.
        Integer[] byId = order(n, (x, y) -> names.get(x).compareTo(names.get(y)));
        int[] rank = new int[n];
        List<String> sorted = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            rank[byId[r]] = r;
            sorted.add(names.get(byId[r]));
        }
        for (int c = 0; c < ints.length; c++) {
            ints[c] = reorder(ints[c], byId);
        }
        for (int c = 0; c < dbl.length; c++) {
            dbl[c] = reorder(dbl[c], byId);
        }
        Integer[] edgeOrder = order(m, java.util.Comparator.comparingLong(k -> ((long) rank[callers[k]] << 32) | rank[callees[k]]));
        int[] sCallers = new int[m];
        int[] sCallees = new int[m];
        for (int k = 0; k < m; k++) {
            sCallers[k] = rank[callers[edgeOrder[k]]];
            sCallees[k] = rank[callees[edgeOrder[k]]];
        }
        int[] sAttempts = reorder(attempts, edgeOrder);
        int[] sFailures = reorder(failures, edgeOrder);
        StaticTopology topo = new StaticTopology(n, sCallers, sCallees);
        TelemetrySnapshot s = new TelemetrySnapshot(1, ints[0], ints[1], ints[2], ints[3], ints[4], ints[5], ints[6],
                dbl[0], dbl[1], dbl[2], ints[7], ints[8], dbl[3], dbl[4], ints[9], sAttempts, sFailures);
        // the guard's history buffers take ~8 kB per agent: run on the bounded analysis pool
        Assessment a = analyze.runBounded(() -> {
            AuraGuard g = Assessment.newGuard(topo);
            Prediction pr = g.predict(s);
            return Assessment.decideAndAssess(System.currentTimeMillis(), g, s, pr, sorted, topo, 1);
        });
        fill(out, a, a.interventions(), null);
        ObjectNode signals = Json.object();
        signals.put("basis", "graph: the shipped model on the request's graph and metrics, one snapshot (trend features"
                + " need a history and are 0 here)");
        signals.put("agents", n);
        signals.put("edges", m);
        signals.set("model_features", a.featuresJson());
        if (!a.skippedActions().isEmpty()) {
            ArrayNode sk = signals.putArray("skipped_actions");
            a.skippedActions().forEach(sk::add);
        }
        out.set("signals", signals);
    }

    private static int endpoint(ObjectNode o, String f, String p, Map<String, Integer> ids) {
        String v = Json.string(o, f, p + "." + f);
        if (v == null) {
            throw ApiException.invalid(p + "." + f, p + "." + f + " is required");
        }
        Integer id = ids.get(v);
        if (id == null) {
            throw ApiException.invalid(p + "." + f, p + "." + f + " names '" + (AgentIds.valid(v) ? v : "?")
                    + "', which is not in agents");
        }
        return id;
    }

    /** Reads one agent's metrics into the snapshot columns (ints: 0..6 counters, 7 in_flight, 8 queue, 9 healthy; dbl: 0..2 latencies, 3..4 utilisation). */
    private static void metrics(ObjectNode m, String p, int i, int[][] ints, double[][] dbl) {
        for (var it = m.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!METRICS.contains(f)) {
                throw ApiException.invalid(p + "." + clip(f), "unknown metric '" + clip(f) + "'; metrics are " + String.join(", ", METRICS));
            }
        }
        String[] counters = {"arrivals", "successes", "errors", "rejected", "timeouts", "blocked", "downstream"};
        for (int k = 0; k < counters.length; k++) {
            Double v = Json.number(m, counters[k], p + "." + counters[k]);
            if (v != null) {
                if (!(v >= 0 && v <= 1e9)) {
                    throw ApiException.invalid(p + "." + counters[k], p + "." + counters[k] + " (per second) must be in 0..1e9, got " + v);
                }
                ints[k][i] = (int) Math.round(v);
            }
        }
        if (ints[1][i] < 0 && ints[0][i] >= 0 && ints[2][i] >= 0) {
            ints[1][i] = Math.max(0, ints[0][i] - ints[2][i]); // successes = arrivals - errors when not given
        }
        String[] lat = {"p50_latency_ms", "p95_latency_ms", "p99_latency_ms"};
        for (int k = 0; k < 3; k++) {
            Double v = Json.number(m, lat[k], p + "." + lat[k]);
            if (v != null) {
                if (!(v >= 0 && v <= 1e9)) {
                    throw ApiException.invalid(p + "." + lat[k], p + "." + lat[k] + " must be in 0..1e9 ms, got " + v);
                }
                dbl[k][i] = v;
            }
        }
        String[] util = {"thread_utilisation", "cpu_utilisation"};
        for (int k = 0; k < 2; k++) {
            Double v = Json.number(m, util[k], p + "." + util[k]);
            if (v != null) {
                if (!(v >= 0 && v <= 1)) {
                    throw ApiException.invalid(p + "." + util[k], p + "." + util[k] + " must be a fraction in 0..1, got " + v);
                }
                dbl[3 + k][i] = v;
            }
        }
        String[] gauges = {"in_flight", "queue_length", "healthy_instances"};
        for (int k = 0; k < 3; k++) {
            Integer v = Json.integer(m, gauges[k], p + "." + gauges[k], 0, 1_000_000_000);
            if (v != null) {
                ints[7 + k][i] = v;
            }
        }
    }

    private static String clip(String s) {
        return Json.clip(s, 40);
    }
}
