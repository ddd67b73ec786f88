package io.aura.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aura.tda.PersistenceDiagram;
import io.aura.tda.PersistenceLandscape;
import io.aura.tda.TdaInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's topological memory ({@code "enable_memory": true} in a seed-form predict): the stored
 * topology signatures (of analyze and predict requests) nearest to a new point cloud's, by
 * <b>persistence-landscape distance</b>, each with its <b>outcome</b>: what the live system (the agent
 * bus, as the prediction loop saw it) did in the {@value #OUTCOME_WINDOW_MS} ms after that signature
 * was stored.
 *
 * <p><b>Distance.</b> For each homology dimension the exact L2 distance of the two persistence
 * landscapes ({@link PersistenceLandscape#distance}, all levels, integrated between breakpoints,
 * essential intervals cut at each signature's own filtration threshold); a dimension missing on one
 * side counts as an empty landscape. The signature distance is the root of the sum of squares over
 * the dimensions, i.e. the L2 distance of the stacked landscapes. It is 0 for the same diagrams.
 *
 * <p><b>Search.</b> The {@value #SCAN} newest signatures stored with diagrams. Exact: candidates are
 * taken in the order of the lower bound sqrt(sum_{d,k} (||λ_dk|| − ||μ_dk||)²) (the triangle inequality
 * level by level), the scan stops once that bound exceeds the k-th best exact distance, and a
 * candidate's levels are summed only until its partial sum passes the k-th best. Landscapes
 * are built once per signature and kept by id (signatures are never changed), at most
 * {@value #CACHE} of them holding at most {@value #CACHE_INTERVALS} intervals in all (the least
 * recently used go first; a signature with more than a quarter of that is not cached).
 *
 * <p><b>Outcome.</b> The prediction loop records the bus's failed fraction and cascade risk at every
 * tick ({@link LiveHistory}). A neighbour's outcome is over the ticks in (stored, stored + 60 s]: the
 * largest failed fraction, the largest risk, and {@code cascade} when more than the risk model's
 * cascade fraction of the agents (10%) were failed at a tick, as {@code cascade_threshold_agents}
 * counts. {@code pending} while that window is not over (plus the history's flush period); {@code unobserved} when no tick was recorded in it (no agent on
 * the bus, or the server was down). {@code memory_risk} is the share of cascades among the observed
 * neighbours. It is reported, not blended into {@code cascade_risk}: the engine's own memory of this
 * kind did not improve the risk model on held-out seeds (docs/predictor.md, "Topological memory").
 */
final class SignatureMemory {

    static final int SCAN = 1000;
    static final int K = 5;
    static final int CACHE = 2048;
    static final long CACHE_INTERVALS = 1_000_000;
    static final long OUTCOME_WINDOW_MS = 60_000;
    private static final int IN_CHUNK = 100;

    /**
     * A signature's landscapes by homology dimension (null where the diagram is absent) and the L2
     * norm of each level, [dimension][level - 1].
     */
    record Landscapes(PersistenceLandscape[] byDim, double[][] levelNorms, int intervals) {

        /**
         * From an analyze document's {@code diagrams} array ({@code [{dimension, intervals: [[b, d|null]..]}..]}),
         * essential intervals cut at {@code cut}; values are read as float32, as the document prints them.
         *
         * @throws IllegalArgumentException if the array is not of that shape
         */
        static Landscapes of(JsonNode diagrams, double cut) {
            if (diagrams == null || !diagrams.isArray()) {
                throw new IllegalArgumentException("diagrams is not an array");
            }
            int maxDim = -1;
            for (JsonNode d : diagrams) {
                maxDim = Math.max(maxDim, d.path("dimension").asInt(-1));
            }
            if (maxDim > 16) {
                throw new IllegalArgumentException("dimension " + maxDim + " out of range");
            }
            PersistenceLandscape[] by = new PersistenceLandscape[maxDim + 1];
            double[][] norms = new double[maxDim + 1][0];
            int count = 0;
            for (JsonNode d : diagrams) {
                int dim = d.path("dimension").asInt(-1);
                JsonNode iv = d.path("intervals");
                if (dim < 0 || !iv.isArray()) {
                    throw new IllegalArgumentException("a diagram without dimension or intervals");
                }
                double[] b = new double[iv.size()];
                double[] e = new double[iv.size()];
                count += iv.size();
                for (int i = 0; i < iv.size(); i++) {
                    JsonNode p = iv.get(i);
                    // the document's values are float32 (printed in their shortest form): read back as the same floats
                    b[i] = (float) p.path(0).asDouble(Double.NaN);
                    e[i] = p.path(1).isNull() ? Double.POSITIVE_INFINITY : (float) p.path(1).asDouble(Double.NaN);
                }
                try {
                    by[dim] = PersistenceLandscape.of(new PersistenceDiagram(dim, b, e), (float) cut);
                } catch (TdaInputException ex) {
                    throw new IllegalArgumentException(ex.getMessage(), ex);
                }
                norms[dim] = new double[by[dim].depth()];
                for (int k = 1; k <= norms[dim].length; k++) {
                    norms[dim][k - 1] = by[dim].levelNorm(k, PersistenceLandscape.Norm.L2);
                }
            }
            return new Landscapes(by, norms, count);
        }

        /** The L2 distance of the stacked landscapes (see the class comment). */
        double distance(Landscapes o) {
            return Math.sqrt(squaredDistanceUpTo(o, Double.POSITIVE_INFINITY));
        }

        /**
         * The squared distance when it is at most {@code limit}; otherwise some value above
         * {@code limit} (the levels are summed until the limit is passed).
         */
        double squaredDistanceUpTo(Landscapes o, double limit) {
            int n = Math.max(byDim.length, o.byDim.length);
            double s = 0;
            for (int d = 0; d < n; d++) {
                PersistenceLandscape a = d < byDim.length ? byDim[d] : null;
                PersistenceLandscape b = d < o.byDim.length ? o.byDim[d] : null;
                if (a != null && b != null) {
                    int levels = Math.max(a.depth(), b.depth());
                    for (int k = 1; k <= levels; k++) {
                        double x = a.levelDistance(b, k, PersistenceLandscape.Norm.L2);
                        s += x * x;
                        if (s > limit) {
                            return s;
                        }
                    }
                } else {
                    for (double x : a != null ? levelNorms[d] : b != null ? o.levelNorms[d] : new double[0]) {
                        s += x * x;
                    }
                }
            }
            return s;
        }

        /** The L2 norm of the stacked landscapes: the distance to an empty signature. */
        double norm() {
            double s = 0;
            for (double[] dim : levelNorms) {
                for (double x : dim) {
                    s += x * x;
                }
            }
            return Math.sqrt(s);
        }

        /**
         * A lower bound of {@link #distance}: the root of the sum over dimensions and levels of
         * (||λ_dk|| − ||μ_dk||)², the triangle inequality level by level.
         */
        double lowerBound(Landscapes o) {
            int n = Math.max(levelNorms.length, o.levelNorms.length);
            double s = 0;
            for (int d = 0; d < n; d++) {
                double[] x = d < levelNorms.length ? levelNorms[d] : new double[0];
                double[] y = d < o.levelNorms.length ? o.levelNorms[d] : new double[0];
                for (int k = 0; k < Math.max(x.length, y.length); k++) {
                    double v = (k < x.length ? x[k] : 0) - (k < y.length ? y[k] : 0);
                    s += v * v;
                }
            }
            return Math.sqrt(s);
        }
    }

    /** A neighbour: its index among the candidates and its exact distance. */
    record Near(int index, double distance) {
    }

    /**
     * The k candidates nearest to {@code q}, nearest first (ties by index), exactly, pruned by
     * {@link Landscapes#lowerBound}; also returns how many exact distances were computed.
     */
    static List<Near> nearest(Landscapes q, List<Landscapes> candidates, int k, int[] exactCount) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        int n = candidates.size();
        double qNorm = q.norm();
        double[] lb = new double[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            lb[i] = q.lowerBound(candidates.get(i));
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> lb[x] != lb[y] ? Double.compare(lb[x], lb[y]) : Integer.compare(x, y));
        List<Near> best = new ArrayList<>(k + 1);
        int exact = 0;
        for (int r = 0; r < n; r++) {
            int i = order[r];
            if (best.size() == k && lb[i] > best.get(k - 1).distance() + 1e-9 * (best.get(k - 1).distance() + qNorm)) {
                // every later candidate's bound is at least this one's (the slack keeps rounding in
                // the two integrals from cutting off an exact tie)
                break;
            }
            double d;
            if (best.size() == k) {
                // only a distance below the k-th best matters: stop summing levels once it is passed
                double limit = best.get(k - 1).distance() + 1e-9 * (best.get(k - 1).distance() + qNorm);
                double sq = q.squaredDistanceUpTo(candidates.get(i), limit * limit);
                if (sq > limit * limit) {
                    exact++;
                    continue;
                }
                d = Math.sqrt(sq);
            } else {
                d = q.distance(candidates.get(i));
            }
            exact++;
            Near c = new Near(i, d);
            int pos = best.size();
            while (pos > 0 && before(c, best.get(pos - 1))) {
                pos--;
            }
            if (pos < k) {
                best.add(pos, c);
                if (best.size() > k) {
                    best.remove(k);
                }
            }
        }
        if (exactCount != null) {
            exactCount[0] = exact;
        }
        return best;
    }

    private static boolean before(Near a, Near b) {
        return a.distance() < b.distance() || (a.distance() == b.distance() && a.index() < b.index());
    }

    private record Row(String id, long createdAt, double cut) {
    }

    private final Database db;
    private final double cascadeFraction;
    private final long flushGraceMs;
    private final int maxCached;
    private final long maxCachedIntervals;
    /** Intervals behind the cached landscapes, at most {@value #CACHE_INTERVALS} (a landscape's size grows with them). */
    private long cachedIntervals;
    /** Landscapes by signature id, least recently used first. */
    private final Map<String, Landscapes> cache = new LinkedHashMap<>(256, 0.75f, true);

    /**
     * @param cascadeFraction the failed fraction at which an outcome counts as a cascade
     * @param flushGraceMs how long after a window's end its ticks may still be on their way to the database
     */
    SignatureMemory(Database db, double cascadeFraction, long flushGraceMs) {
        this(db, cascadeFraction, flushGraceMs, CACHE, CACHE_INTERVALS);
    }

    /** With other cache bounds (tests). */
    SignatureMemory(Database db, double cascadeFraction, long flushGraceMs, int maxCached, long maxCachedIntervals) {
        this.db = db;
        this.cascadeFraction = cascadeFraction;
        this.flushGraceMs = flushGraceMs;
        this.maxCached = maxCached;
        this.maxCachedIntervals = maxCachedIntervals;
    }

    /** Cached landscapes and the intervals behind them (tests). */
    long[] cacheUse() {
        synchronized (cache) {
            return new long[] {cache.size(), cachedIntervals};
        }
    }

    /** The memory's answer for an analyze document (not yet stored), at {@code nowMs}. */
    ObjectNode query(ObjectNode doc, long nowMs) {
        Landscapes q;
        try {
            q = Landscapes.of(doc.get("diagrams"), doc.at("/filtration/threshold").asDouble());
        } catch (IllegalArgumentException e) {
            ObjectNode m = Json.object();
            m.put("status", "unavailable");
            m.put("message", "this cloud's diagrams have no landscape: " + e.getMessage());
            return m;
        }
        List<Row> rows = db.query("SELECT id, created_at, cut FROM signatures WHERE diagrams IS NOT NULL"
                + " ORDER BY created_at DESC LIMIT " + SCAN,
                rs -> new Row(rs.getString(1), rs.getLong(2), rs.getDouble(3)));
        Map<String, Landscapes> have = landscapes(rows);
        List<Row> usable = new ArrayList<>(rows.size());
        List<Landscapes> cands = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Landscapes l = have.get(r.id());
            if (l != null) {
                usable.add(r);
                cands.add(l);
            }
        }
        int[] exact = new int[1];
        List<Near> near = nearest(q, cands, K, exact);
        ObjectNode m = Json.object();
        m.put("status", "ok");
        m.put("method", "exact L2 distance of the persistence landscapes (all levels, every homology dimension)"
                + " over the " + SCAN + " newest stored signatures");
        m.put("searched", usable.size());
        m.put("compared", exact[0]);
        ArrayNode out = m.putArray("nearest");
        int observed = 0;
        int cascades = 0;
        Map<String, String> betti = new HashMap<>();
        if (!near.isEmpty()) {
            Object[] ids = near.stream().map(n -> usable.get(n.index()).id()).toArray();
            String marks = String.join(",", java.util.Collections.nCopies(ids.length, "?"));
            for (String[] r : db.query("SELECT id, betti FROM signatures WHERE id IN (" + marks + ")",
                    rs -> new String[] {rs.getString(1), rs.getString(2)}, ids)) {
                betti.put(r[0], r[1]);
            }
        }
        for (Near n : near) {
            Row row = usable.get(n.index());
            ObjectNode o = out.addObject();
            o.put("signature_id", row.id());
            o.put("distance", n.distance());
            o.put("created_at", java.time.Instant.ofEpochMilli(row.createdAt()).toString());
            try {
                String b = betti.get(row.id());
                o.set("betti_numbers", b == null ? null : Json.MAPPER.readTree(b));
            } catch (java.io.IOException e) {
                o.putNull("betti_numbers");
            }
            ObjectNode oc = outcome(row.createdAt(), nowMs);
            o.set("outcome", oc);
            if ("observed".equals(oc.path("status").asText())) {
                observed++;
                if (oc.path("cascade").asBoolean()) {
                    cascades++;
                }
            }
        }
        m.put("observed", observed);
        if (observed > 0) {
            m.put("memory_risk", (double) cascades / observed);
        } else {
            m.putNull("memory_risk");
        }
        m.put("used_by_risk_model", false);
        m.put("note", "memory_risk is the share of cascades (failed fraction > " + cascadeFraction
                + " within " + OUTCOME_WINDOW_MS / 1000 + " s) after the observed nearest signatures; it is reported"
                + " beside cascade_risk, not blended into it");
        return m;
    }

    /** What the bus did in the window after {@code createdAt}, as recorded by the prediction loop. */
    ObjectNode outcome(long createdAt, long nowMs) {
        ObjectNode o = Json.object();
        o.put("window_seconds", OUTCOME_WINDOW_MS / 1000);
        long end = createdAt + OUTCOME_WINDOW_MS;
        if (nowMs < end + flushGraceMs) {
            o.put("status", "pending");
            o.put("message", "the window after this signature is not over yet");
            return o;
        }
        List<double[]> r = db.query("SELECT COUNT(*), MAX(failed_fraction), MAX(cascade_risk), MAX(agents) FROM live_history"
                + " WHERE at_ms > ? AND at_ms <= ?",
                rs -> new double[] {rs.getLong(1), rs.getDouble(2), rs.getDouble(3), rs.getInt(4)}, createdAt, end);
        double[] v = r.get(0);
        if (v[0] == 0) {
            o.put("status", "unobserved");
            o.put("message", "no prediction-loop tick is stored for that window (no agent on the bus, the server was down,"
                    + " or the database did not take the ticks)");
            return o;
        }
        o.put("status", "observed");
        o.put("ticks", (long) v[0]);
        o.put("agents", (int) v[3]);
        o.put("max_failed_fraction", v[1]);
        o.put("max_cascade_risk", v[2]);
        o.put("cascade", v[1] > cascadeFraction); // "more than 10% of the agents", as cascade_threshold_agents
        return o;
    }

    /** The landscapes of these rows, from the cache or built from their stored diagrams; unreadable rows are left out. */
    private Map<String, Landscapes> landscapes(List<Row> rows) {
        Map<String, Landscapes> have = new HashMap<>();
        List<Row> missing = new ArrayList<>();
        synchronized (cache) {
            for (Row r : rows) {
                Landscapes l = cache.get(r.id());
                if (l != null) {
                    have.put(r.id(), l);
                } else {
                    missing.add(r);
                }
            }
        }
        for (int from = 0; from < missing.size(); from += IN_CHUNK) {
            List<Row> chunk = missing.subList(from, Math.min(missing.size(), from + IN_CHUNK));
            Map<String, Double> cut = new HashMap<>();
            for (Row r : chunk) {
                cut.put(r.id(), r.cut());
            }
            String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
            List<String[]> got = db.query("SELECT id, diagrams FROM signatures WHERE id IN (" + marks + ")",
                    rs -> new String[] {rs.getString(1), rs.getString(2)}, chunk.stream().map(Row::id).toArray());
            for (String[] g : got) {
                try {
                    Landscapes l = Landscapes.of(Json.MAPPER.readTree(g[1]), cut.get(g[0]));
                    have.put(g[0], l);
                    if (l.intervals() > maxCachedIntervals / 4) {
                        continue; // one large signature would push out most of the cache: rebuilt per query instead
                    }
                    synchronized (cache) {
                        Landscapes was = cache.put(g[0], l);
                        cachedIntervals += l.intervals() - (was == null ? 0 : was.intervals());
                        var it = cache.values().iterator();
                        while ((cache.size() > maxCached || cachedIntervals > maxCachedIntervals) && it.hasNext()) {
                            cachedIntervals -= it.next().intervals();
                            it.remove();
                        }
                    }
                } catch (java.io.IOException | IllegalArgumentException e) {
                    // a row this version cannot read is not a neighbour
                }
            }
        }
        return have;
    }
}
