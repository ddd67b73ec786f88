package io.aura.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Interventions: created by {@code POST /api/v1/intervene}, stored before they are acknowledged,
 * listed, read and revoked. An intervention is {@code active} until {@code expires_at} (creation
 * time + duration), {@code expired} after it, {@code revoked} once deleted; the state is computed
 * from the stored times, so after a restart active ones are back with their remaining time.
 */
final class Interventions {

    /** Supported types. */
    static final List<String> TYPES = List.of("circuit_breaker", "isolate", "rate_limit", "load_shed");
    static final List<String> SEVERITIES = List.of("low", "medium", "high", "critical");
    static final int DEFAULT_DURATION = 300;
    static final int MAX_DURATION = 7 * 24 * 3600;

    private final Database db;
    private final Clock clock;
    private final int maxAgents;

    private final Enforcement enforcement = new Enforcement();
    private volatile Runnable onChange = () -> { };

    Interventions(Database db, Clock clock, int maxAgents) {
        this.db = db;
        this.clock = clock;
        this.maxAgents = maxAgents;
        refresh();
    }

    /** What to run after this server created or revoked an intervention (telling the other replicas). */
    void onChange(Runnable r) {
        this.onChange = r;
    }

    /** The enforcer over the active interventions. */
    Enforcement enforcement() {
        return enforcement;
    }

    /**
     * How often {@link #tick} reloads from the database even without a change announced: a backstop for
     * an announcement another replica could not send. Between reloads the active set changes only by
     * this server's own creations and revocations, other replicas' announced ones, and expiry.
     */
    static final long RELOAD_MS = 10_000;

    /** The active interventions as last loaded, less those that expired since. */
    private volatile List<Intervention> active = List.of();
    private volatile long loadedAtMs = Long.MIN_VALUE / 2;

    /** Reloads the active interventions into the enforcer (after a change here or announced by another replica). */
    synchronized void refresh() {
        // the read and the install under one lock: an older read (the ticker's, a replica's announcement)
        // must not install itself over a newer one (a revocation's), which would hold until the next reload
        long now = clock.millis();
        List<Intervention> l = db.query("SELECT * FROM interventions WHERE revoked_at IS NULL AND expires_at > ?",
                Interventions::row, now);
        active = List.copyOf(l);
        loadedAtMs = now;
        enforcement.update(active);
    }

    /**
     * Once a second: drops the interventions that expired, without reading the database (the enforcer
     * already refuses nothing past an expiry; this keeps its index small), and reloads every
     * {@link #RELOAD_MS}. Many active interventions with many agents cost nothing per second.
     */
    void tick() {
        long now = clock.millis();
        if (now - loadedAtMs >= RELOAD_MS) {
            refresh();
            return;
        }
        synchronized (this) {
            List<Intervention> cur = active;
            if (cur.stream().anyMatch(iv -> iv.expiresAt() <= now)) {
                active = cur.stream().filter(iv -> iv.expiresAt() > now).toList();
                enforcement.update(active);
            }
        }
    }

    /** The ids of the active interventions (as of the last load, less those expired since). */
    java.util.Set<String> activeIds() {
        long now = clock.millis();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Intervention iv : active) {
            if (iv.expiresAt() > now) {
                ids.add(iv.id());
            }
        }
        return ids;
    }

    /** A stored intervention. */
    record Intervention(String id, String type, List<String> agents, ObjectNode parameters, String createdBy,
            long createdAt, long expiresAt, Long revokedAt, String revokedBy) {

        String state(long nowMs) {
            if (revokedAt != null) {
                return "revoked";
            }
            return nowMs < expiresAt ? "active" : "expired";
        }

        ObjectNode json(long nowMs) {
            ObjectNode o = Json.object();
            o.put("id", id);
            o.put("intervention_type", type);
            ArrayNode a = o.putArray("agents");
            agents.forEach(a::add);
            o.set("parameters", parameters.deepCopy());
            String state = state(nowMs);
            o.put("state", state);
            o.put("created_by", createdBy);
            o.put("created_at", Instant.ofEpochMilli(createdAt).toString());
            o.put("expires_at", Instant.ofEpochMilli(expiresAt).toString());
            o.put("remaining_seconds", state.equals("active") ? (expiresAt - nowMs) / 1000.0 : 0.0);
            if (revokedAt != null) {
                o.put("revoked_at", Instant.ofEpochMilli(revokedAt).toString());
                o.put("revoked_by", revokedBy);
            }
            return o;
        }
    }

    /** Validates a request and stores the intervention (and an audit record) before returning it. */
    Intervention create(ObjectNode body, String actor) {
        Json.onlyFields(body, List.of("agents", "intervention_type", "parameters"), "");
        List<String> agents = Json.agentIds(body, "agents", maxAgents);
        Json.distinct(agents, "agents"); // as predict: a repeat is a mistake, not a second intervention
        String type = Json.string(body, "intervention_type", "intervention_type");
        if (type == null) {
            throw ApiException.invalid("intervention_type", "intervention_type is required; one of " + String.join(", ", TYPES));
        }
        if (!TYPES.contains(type)) {
            throw ApiException.invalid("intervention_type", "unknown intervention_type; supported: " + String.join(", ", TYPES));
        }
        ObjectNode in = Json.obj(body, "parameters", "parameters");
        if (in == null) {
            in = Json.object();
        }
        List<String> allowed = new ArrayList<>(List.of("duration", "severity", "reason"));
        if (type.equals("rate_limit")) {
            allowed.add("rate");
        }
        if (type.equals("load_shed")) {
            allowed.add("fraction");
        }
        for (var it = in.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                String shown = f.length() > 40 ? f.substring(0, 37) + "..." : f;
                throw ApiException.invalid("parameters." + shown, "unknown parameter '" + shown + "' for " + type
                        + "; parameters are " + String.join(", ", allowed));
            }
        }
        ObjectNode p = Json.object();
        Integer duration = Json.integer(in, "duration", "parameters.duration", 1, MAX_DURATION);
        p.put("duration", duration == null ? DEFAULT_DURATION : duration);
        String severity = Json.string(in, "severity", "parameters.severity");
        if (severity != null && !SEVERITIES.contains(severity.toLowerCase(Locale.ROOT))) {
            throw ApiException.invalid("parameters.severity", "parameters.severity must be one of " + String.join(", ", SEVERITIES));
        }
        p.put("severity", severity == null ? "medium" : severity.toLowerCase(Locale.ROOT));
        String reason = Json.string(in, "reason", "parameters.reason");
        if (reason != null) {
            if (reason.length() > 500) {
                throw ApiException.invalid("parameters.reason", "parameters.reason must be at most 500 characters");
            }
            p.put("reason", reason);
        }
        if (type.equals("rate_limit")) {
            Double rate = Json.number(in, "rate", "parameters.rate");
            if (rate != null && !(rate > 0 && rate <= 1e6)) {
                throw ApiException.invalid("parameters.rate", "parameters.rate (messages per second per agent) must be in (0, 1e6], got " + rate);
            }
            p.put("rate", rate == null ? 10.0 : rate);
        }
        if (type.equals("load_shed")) {
            Double fraction = Json.number(in, "fraction", "parameters.fraction");
            if (fraction != null && !(fraction > 0 && fraction <= 1)) {
                throw ApiException.invalid("parameters.fraction", "parameters.fraction (share of messages dropped) must be in (0, 1], got " + fraction);
            }
            p.put("fraction", fraction == null ? 0.5 : fraction);
        }
        long now = clock.millis();
        Intervention iv = new Intervention(UUID.randomUUID().toString(), type, List.copyOf(agents), p, actor, now,
                now + 1000L * p.get("duration").asInt(), null, null);
        ArrayNode agentsJson = Json.MAPPER.createArrayNode();
        agents.forEach(agentsJson::add);
        db.update("INSERT INTO interventions (id, intervention_type, agents, parameters, created_by, created_at, expires_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                iv.id(), type, Json.write(agentsJson), Json.write(p), actor, now, iv.expiresAt());
        db.audit(now, actor, "intervention.create", iv.id(), type + " " + Json.write(agentsJson));
        refresh();
        changed();
        return iv;
    }

    /** All interventions (newest first), or only the active ones. */
    List<Intervention> list(boolean activeOnly, int limit) {
        if (activeOnly) {
            return db.query("SELECT * FROM interventions WHERE revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC, id LIMIT ?",
                    Interventions::row, clock.millis(), limit);
        }
        return db.query("SELECT * FROM interventions ORDER BY created_at DESC, id LIMIT ?", Interventions::row, limit);
    }

    /** One intervention, or null. */
    Intervention get(String id) {
        List<Intervention> l = db.query("SELECT * FROM interventions WHERE id = ?", Interventions::row, id);
        return l.isEmpty() ? null : l.get(0);
    }

    /**
     * Revokes an intervention (idempotent for one already revoked or expired: it stays as it is).
     *
     * @return the intervention after the change, or null when unknown
     */
    Intervention revoke(String id, String actor) {
        long now = clock.millis();
        int n = db.update("UPDATE interventions SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL AND expires_at > ?",
                now, actor, id, now);
        if (n > 0) {
            db.audit(now, actor, "intervention.revoke", id, null);
            refresh();
            changed();
        }
        return get(id);
    }

    private void changed() {
        try {
            onChange.run();
        } catch (RuntimeException e) { // stored and enforced here; the others reload within RELOAD_MS
            org.slf4j.LoggerFactory.getLogger(Interventions.class).warn("announcing an intervention change failed: {}", e.toString());
        }
    }

    long now() {
        return clock.millis();
    }

    private static Intervention row(java.sql.ResultSet rs) throws java.sql.SQLException {
        try {
            JsonNode agents = Json.MAPPER.readTree(rs.getString("agents"));
            List<String> ids = new ArrayList<>();
            agents.forEach(a -> ids.add(a.asText()));
            long revoked = rs.getLong("revoked_at");
            Long revokedAt = rs.wasNull() ? null : revoked;
            return new Intervention(rs.getString("id"), rs.getString("intervention_type"), List.copyOf(ids),
                    (ObjectNode) Json.MAPPER.readTree(rs.getString("parameters")), rs.getString("created_by"),
                    rs.getLong("created_at"), rs.getLong("expires_at"), revokedAt, rs.getString("revoked_by"));
        } catch (JsonProcessingException e) {
            throw new java.sql.SQLException("corrupt intervention row " + rs.getString("id"), e);
        }
    }
}
