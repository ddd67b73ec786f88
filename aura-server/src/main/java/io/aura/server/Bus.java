package io.aura.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.websocket.WsContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The agent bus: enrolment ({@code POST /a2a/auth/agent}), agent connections
 * ({@code /ws/a2a/{agent_id}}) relaying {@code {"to_agent","type","payload"}} with interventions
 * enforced and keeping each agent's newest {@code {"type":"telemetry"}} report about its own load
 * ({@link AgentReport}), the live topology those messages build, and the {@code /ws} subscriber channels.
 */
final class Bus {

    private static final Logger LOG = LoggerFactory.getLogger(Bus.class);

    /** Permissions an agent token may carry: write = send messages, read = receive them. */
    static final List<String> PERMISSIONS = List.of("read", "write");
    /** Channels of /ws. */
    static final List<String> CHANNELS = List.of("cascade_risk", "interventions", "agent_status", "alerts");
    /** The message type with which an agent reports a failed request to its caller (counted as an error). */
    static final String ERROR_TYPE = "error";

    private final Database db;
    private final Tokens tokens;
    private final Interventions interventions;
    private final Clock clock;
    private final String enrolmentKey;
    private final Duration agentTtl;
    private final MeterRegistry registry;
    private final Map<String, WsContext> agents = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> subscribers = new ConcurrentHashMap<>(); // session id -> channels
    private final Map<String, WsContext> subscriberContexts = new ConcurrentHashMap<>();
    /** The verified token of every open socket (agent or subscriber), by session id: checked at delivery and swept on expiry. */
    private final Map<String, Tokens.Principal> sessionPrincipals = new ConcurrentHashMap<>();
    private final Map<String, Edge> edges = new ConcurrentHashMap<>();
    /** Per-agent counters of the prediction loop's telemetry, for every agent that connected or was called. */
    private final Map<String, AgentCounters> agentCounters = new ConcurrentHashMap<>();
    private final Set<String> alerted = ConcurrentHashMap.newKeySet();
    private final RefusalAudit refusals;
    /** One counter per outcome, registered once (registering on every message cost CPU on the hot path). */
    private final Map<String, Counter> outcomeCounters = new ConcurrentHashMap<>();
    /** Message ids: a random per-process prefix and a sequence number (unique, and no SecureRandom per message). */
    private final String idPrefix = UUID.randomUUID().toString().substring(0, 8) + "-";
    private final java.util.concurrent.atomic.AtomicLong idSeq = new java.util.concurrent.atomic.AtomicLong();
    /** The relayed frames' sent_at of the latest millisecond (formatted once per millisecond). */
    private volatile SentAt sentAtCache = new SentAt(Long.MIN_VALUE, "");
    /** Most edges (and alert keys) kept, so that agents naming endless targets cannot exhaust memory. */
    static final int MAX_EDGES = 100_000;

    private volatile ClusterBus cluster;
    /** Set once the server shuts down: sockets that open from then on are told to go away at once. */
    private volatile boolean goingAway;

    Bus(Database db, Tokens tokens, Interventions interventions, Clock clock, String enrolmentKey, Duration agentTtl,
            MeterRegistry registry) {
        this.db = db;
        this.tokens = tokens;
        this.interventions = interventions;
        this.clock = clock;
        this.enrolmentKey = enrolmentKey;
        this.agentTtl = agentTtl;
        this.registry = registry;
        this.refusals = new RefusalAudit(db, clock);
    }

    /** Per-edge statistics: messages, refusals, an exponentially weighted rate and relay latency. */
    static final class Edge {
        final String from;
        final String to;
        final AgentCounters fromCounters;
        final AgentCounters toCounters;
        long messages;
        long refused;
        double ratePerSecond;
        double relayMicrosEwma;
        long lastNanos;
        /** Calls (messages whose type is not {@code "error"}) delivered, refused, or sent while the target was offline. */
        long calls;
        /** Failed calls: refused, target offline, or answered by the target with an {@code "error"} message. */
        long failures;

        Edge(String from, String to, AgentCounters fromCounters, AgentCounters toCounters) {
            this.from = from;
            this.to = to;
            this.fromCounters = fromCounters;
            this.toCounters = toCounters;
        }

        /** A failed call on this edge that was not relayed (target offline). */
        synchronized void failedCall() {
            calls++;
            failures++;
        }

        /** The target answered a call of this edge with an error message. */
        synchronized void errorReply() {
            failures++;
        }

        /** {calls, failures}, read together. */
        synchronized long[] callCounts() {
            return new long[] {calls, failures};
        }

        /**
         * Rate: EWMA of 1/gap with a 10-message memory (alpha = 0.1). A call (not an error answer) is
         * also counted in calls, and in failures when it was refused.
         */
        synchronized void record(boolean delivered, long nowNanos, double relayMicros, boolean call) {
            if (call) {
                calls++;
                if (!delivered) {
                    failures++;
                }
            }
            if (lastNanos != 0) {
                double gap = Math.max(1e-6, (nowNanos - lastNanos) * 1e-9);
                ratePerSecond = messages + refused == 1 ? 1 / gap : 0.9 * ratePerSecond + 0.1 / gap;
            }
            lastNanos = nowNanos;
            if (delivered) {
                messages++;
                relayMicrosEwma = messages == 1 ? relayMicros : 0.9 * relayMicrosEwma + 0.1 * relayMicros;
            } else {
                refused++;
            }
        }

        synchronized ObjectNode json() {
            ObjectNode o = Json.object();
            o.put("from", from);
            o.put("to", to);
            o.put("messages", messages);
            o.put("refused", refused);
            o.put("calls", calls);
            o.put("failures", failures);
            o.put("rate_per_second", ratePerSecond);
            o.put("mean_relay_latency_ms", relayMicrosEwma / 1000.0);
            return o;
        }
    }

    /**
     * Cumulative per-agent counters behind the prediction loop's telemetry (read as per-interval
     * deltas by {@link LiveTelemetry}); LongAdders so the relay path never contends on them.
     */
    static final class AgentCounters {
        final String id;
        /** Calls delivered to the agent. */
        final java.util.concurrent.atomic.LongAdder callsIn = new java.util.concurrent.atomic.LongAdder();
        /** Calls to the agent refused by an intervention or sent while it was offline. */
        final java.util.concurrent.atomic.LongAdder rejectedIn = new java.util.concurrent.atomic.LongAdder();
        /** {@code "error"} messages the agent sent (failed requests it reports). */
        final java.util.concurrent.atomic.LongAdder errorsOut = new java.util.concurrent.atomic.LongAdder();
        /** The agent's own calls refused by an intervention. */
        final java.util.concurrent.atomic.LongAdder blockedOut = new java.util.concurrent.atomic.LongAdder();
        /**
         * The newest telemetry report of the agent about itself, or null if it never sent one; written
         * by the agent's socket thread, read by the prediction loop (a single volatile write per report,
         * nothing on the relay path).
         */
        volatile AgentReport report;

        AgentCounters(String id) {
            this.id = id;
        }
    }

    /**
     * Whether the bus knows the agent: seen here (connected, calling or called) or, in a cluster,
     * connected to another replica.
     */
    private boolean known(String id) {
        if (agentCounters.containsKey(id) || agents.containsKey(id)) {
            return true;
        }
        ClusterBus c = cluster;
        return c != null && c.knows(id);
    }

    /**
     * Forgets which edges were alerted under interventions that are no longer active (keys end in NUL +
     * id): kept, the marks grew with every intervention, and at {@link #MAX_EDGES} no refusal would
     * have been alerted again. Called by the ticker after the enforcer was updated (a creation, a revocation,
     * an expiry or the periodic reload).
     */
    void forgetAlertsExcept(Set<String> activeInterventions) {
        alerted.removeIf(k -> !activeInterventions.contains(k.substring(k.lastIndexOf('\u0000') + 1)));
    }

    /** Edges marked as alerted under some intervention (tests). */
    int alertMarks() {
        return alerted.size();
    }

    /** Writes the refusals of the last second to the audit log (once a second, and at shutdown). */
    void auditRefusals() {
        refusals.flush();
    }

    /** The agent's counters (created on first sight); a detached one beyond MAX_EDGES agents. */
    private AgentCounters counters(String id) {
        AgentCounters c = agentCounters.get(id);
        if (c != null) {
            return c;
        }
        if (agentCounters.size() >= MAX_EDGES) {
            return new AgentCounters(id);
        }
        return agentCounters.computeIfAbsent(id, AgentCounters::new);
    }

    /** Every agent seen (connected, calling or called), in no order. */
    java.util.Collection<AgentCounters> agentCounters() {
        return agentCounters.values();
    }

    /** Every edge seen, in no order. */
    java.util.Collection<Edge> edges() {
        return edges.values();
    }

    // ---- enrolment

    /**
     * Enrols an agent. The credential is an operator principal with the enrol scope, or the
     * enrolment key; granted permissions are the requested ones (default read, write) that exist —
     * an unknown permission is refused, never silently granted.
     */
    static final List<String> ENROL_FIELDS = List.of("agent_id", "agent_type", "capabilities", "permissions");
    /** Reads of the stored enrolment one enrolment makes before it gives up on concurrent ones (409). */
    static final int ENROL_ATTEMPTS = 20;

    ObjectNode enrol(ObjectNode body, Tokens.Principal operator, String key) {
        return enrol(body, enrolmentActor(operator, key));
    }

    /**
     * Who enrols: the operator's subject or {@code enrolment-key}; a missing or wrong credential is a
     * 401 (403 for a token without the enrol scope), checked before the request's body is read.
     */
    String enrolmentActor(Tokens.Principal operator, String key) {
        String actor;
        if (operator != null) {
            if (operator.agentId() != null || !operator.has(Tokens.Scope.ENROL)) {
                throw new ApiException(403, "insufficient_scope", "enrolment needs an operator token with scope 'enrol'", null);
            }
            actor = operator.subject();
        } else if (key != null && enrolmentKey != null && MessageDigest.isEqual(
                key.getBytes(StandardCharsets.UTF_8), enrolmentKey.getBytes(StandardCharsets.UTF_8))) {
            actor = "enrolment-key";
        } else if (key != null) { // a key was sent: say why it does not count (without saying anything of the server's key)
            throw new ApiException(401, "unauthorized", enrolmentKey == null
                    ? "X-Enrolment-Key was sent but this server has no AURA_ENROLMENT_KEY; enrol with 'Authorization: Bearer"
                            + " <operator token with scope enrol>'"
                    : "the X-Enrolment-Key is not this server's AURA_ENROLMENT_KEY", null);
        } else {
            throw new ApiException(401, "unauthorized", "enrolment needs a credential: 'Authorization: Bearer <operator token"
                    + " with scope enrol>' or 'X-Enrolment-Key: <AURA_ENROLMENT_KEY>'", null);
        }
        return actor;
    }

    /** Enrols an agent for {@code actor} (from {@link #enrolmentActor}). */
    ObjectNode enrol(ObjectNode body, String actor) {
        Json.onlyFields(body, ENROL_FIELDS, "");
        String agentId = Json.string(body, "agent_id", "agent_id");
        if (agentId == null) {
            throw ApiException.invalid("agent_id", "agent_id is required");
        }
        AgentIds.check(agentId, "agent_id");
        String type = Json.string(body, "agent_type", "agent_type");
        if (type != null && !type.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw ApiException.invalid("agent_type", "agent_type must be 1 to 64 characters from A-Z a-z 0-9 _ . -");
        }
        List<String> caps = strings(body, "capabilities", 64);
        List<String> perms = body.has("permissions") && !body.get("permissions").isNull()
                ? strings(body, "permissions", 8) : PERMISSIONS;
        for (int i = 0; i < perms.size(); i++) {
            if (!PERMISSIONS.contains(perms.get(i))) {
                throw new ApiException(403, "permission_denied", "permission '" + perms.get(i)
                        + "' cannot be granted; agents may have " + String.join(", ", PERMISSIONS), "permissions[" + i + "]");
            }
        }
        Set<String> granted = new java.util.TreeSet<>(perms);
        ArrayNode capsJson = Json.MAPPER.createArrayNode();
        caps.forEach(capsJson::add);
        ArrayNode permsJson = Json.MAPPER.createArrayNode();
        granted.forEach(permsJson::add);
        // taking permissions away starts a new token generation: the earlier tokens stop connecting, and
        // stay stopped when a later enrolment widens the permissions again. The stored row is replaced only
        // if it is still the one read (compare and set): a concurrent enrolment of the same agent (a
        // renewal with the old permissions) written after a narrowing one put the old generation back,
        // and the tokens the narrowing had revoked connected again. A changed row is read again.
        String token;
        long now;
        long exp;
        int generation;
        for (int attempt = 1; ; attempt++) {
            Enrolled before = enrolment(agentId);
            generation = before == null ? 0 : before.generation() + (granted.containsAll(before.permissions()) ? 0 : 1);
            token = tokens.agent(agentId, granted, agentTtl, generation);
            now = clock.millis();
            exp = now + agentTtl.toMillis();
            if (before == null) {
                try {
                    db.update("INSERT INTO enrolments (agent_id, agent_type, capabilities, permissions, enrolled_by, enrolled_at,"
                            + " token_expires_at, token_generation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", agentId, type, Json.write(capsJson),
                            Json.write(permsJson), actor, now, exp, generation);
                    break;
                } catch (Database.StoreException e) { // a concurrent enrolment of the same new agent inserted first
                    if (attempt >= ENROL_ATTEMPTS || enrolment(agentId) == null) {
                        throw e;
                    }
                    continue;
                }
            }
            if (db.update("UPDATE enrolments SET agent_type = ?, capabilities = ?, permissions = ?, enrolled_by = ?, enrolled_at = ?,"
                    + " token_expires_at = ?, token_generation = ? WHERE agent_id = ? AND token_generation = ? AND permissions = ?",
                    type, Json.write(capsJson), Json.write(permsJson), actor, now, exp, generation, agentId, before.generation(),
                    before.stored()) > 0) {
                break;
            }
            if (attempt >= ENROL_ATTEMPTS) { // every read lost to another enrolment of this agent
                throw new ApiException(409, "conflict", "agent " + agentId + " is being enrolled by other requests at the same"
                        + " time; retry", "agent_id");
            }
        }
        db.audit(now, actor, "agent.enrol", agentId, Json.write(permsJson));
        closeRevoked(agentId, new Enrolled(granted, generation));
        ClusterBus c = cluster;
        if (c != null) {
            c.enrolmentChanged(agentId);
        }
        ObjectNode out = Json.object();
        out.put("agent_id", agentId);
        out.put("token", token);
        out.put("token_type", "Bearer");
        out.put("expires_in", agentTtl.toSeconds());
        out.put("expires_at", Instant.ofEpochMilli(exp).toString());
        out.set("permissions", permsJson);
        out.set("capabilities", capsJson);
        return out;
    }

    private static List<String> strings(ObjectNode body, String name, int max) {
        JsonNode n = body.get(name);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray() || n.size() > max) {
            throw ApiException.invalid(name, name + " must be an array of at most " + max + " strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isTextual() || e.textValue().isEmpty() || e.textValue().length() > 64) {
                throw ApiException.invalid(name + "[" + i + "]", name + "[" + i + "] must be a string of 1 to 64 characters");
            }
            out.add(e.textValue());
        }
        return out;
    }

    // ---- agent connections

    /** Verifies an agent connection's token (header or ?token=) against the path's agent id. */
    Tokens.Principal authorizeAgent(String pathAgentId, String bearer) {
        Tokens.Principal p = agentToken(pathAgentId, bearer);
        Enrolled now = enrolment(pathAgentId);
        if (now != null && now.revokes(p)) {
            throw new ApiException(401, "token_revoked", revokedMessage(pathAgentId, now), null);
        }
        return p;
    }

    /**
     * The agent token's holder, checked as a token of {@code pathAgentId}, without the enrolment check
     * of {@link #authorizeAgent}: for a connection the upgrade authorized, which {@link #connected}
     * checks against the enrolment again once it is registered.
     */
    Tokens.Principal agentToken(String pathAgentId, String bearer) {
        if (bearer == null) {
            throw new ApiException(401, "unauthorized", "an agent connection needs the agent's token:"
                    + " 'Authorization: Bearer <token>' or ?token=<token>", null);
        }
        Tokens.Principal p = tokens.verify(bearer);
        // a valid id too: frames carry it unescaped (relayFrame), and only enrol mints agent tokens, but a
        // token signed elsewhere with the secret could name any id
        if (p.agentId() == null || !p.agentId().equals(pathAgentId) || !AgentIds.valid(pathAgentId)) {
            throw new ApiException(403, "forbidden", "this token is not agent " + (AgentIds.valid(pathAgentId) ? pathAgentId : "?")
                    + "'s token", null);
        }
        return p;
    }

    /** An agent's latest enrolment: its permissions, token generation and the stored permissions' text (for a compare and set). */
    record Enrolled(Set<String> permissions, int generation, String stored) {
        Enrolled(Set<String> permissions, int generation) {
            this(permissions, generation, null);
        }

        /** Whether a token of this agent no longer counts: permissions taken away since it was issued. */
        boolean revokes(Tokens.Principal p) {
            return p.generation() < generation || !permissions.containsAll(p.scopes());
        }
    }

    /** The agent's latest enrolment (every replica's, from the database), or null if none is stored. */
    private Enrolled enrolment(String agentId) {
        List<Enrolled> rows = db.query("SELECT permissions, token_generation FROM enrolments WHERE agent_id = ?", rs -> {
            Set<String> perms = new java.util.TreeSet<>();
            try {
                Json.MAPPER.readTree(rs.getString(1)).forEach(n -> perms.add(n.asText()));
            } catch (java.io.IOException e) {
                throw new java.sql.SQLException("unreadable permissions of enrolment " + agentId, e);
            }
            return new Enrolled(perms, rs.getInt(2), rs.getString(1));
        }, agentId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static String revokedMessage(String agentId, Enrolled now) {
        return "agent " + agentId + " was enrolled again with fewer permissions after this token was issued (now "
                + now.permissions() + "): use the token of the latest enrolment";
    }

    /**
     * An enrolment that took permissions away revokes the agent's earlier tokens: a connection here
     * that holds one is closed (4003), and {@link #authorizeAgent} refuses them from then on.
     * Re-enrolling with the same or more permissions (a session renewing its token) closes nothing.
     */
    private void closeRevoked(String agentId, Enrolled now) {
        WsContext c = agents.get(agentId);
        Tokens.Principal p = c == null ? null : sessionPrincipals.get(c.sessionId());
        if (p != null && now.revokes(p)) {
            LOG.info("agent {}: enrolled again with {}; closing its connection, whose token had {}", agentId, now.permissions(),
                    p.scopes());
            sessionPrincipals.remove(c.sessionId()); // no frame of it passes from now on
            c.closeSession(4003, "token revoked: enrolled again with fewer permissions");
        }
    }

    /** Another replica enrolled the agent again: its connection here is checked against the stored permissions. */
    void enrolmentChanged(String agentId) {
        if (!agents.containsKey(agentId)) {
            return;
        }
        try {
            Enrolled now = enrolment(agentId);
            if (now != null) {
                closeRevoked(agentId, now);
            }
        } catch (RuntimeException e) {
            LOG.warn("agent {}: checking its connection after another replica's enrolment failed: {}", agentId, e.toString());
        }
    }

    void connected(String agentId, WsContext ctx, Tokens.Principal p) {
        if (goingAway) {
            ctx.closeSession(1001, SHUTTING_DOWN);
            return;
        }
        sessionPrincipals.put(ctx.sessionId(), p);
        queuedChars.put(ctx.sessionId(), new java.util.concurrent.atomic.AtomicLong());
        counters(agentId);
        WsContext old = agents.put(agentId, ctx);
        if (old != null && !old.sessionId().equals(ctx.sessionId())) {
            old.closeSession(4000, "replaced by a newer connection of " + agentId);
        }
        if (cluster != null) {
            cluster.connected(agentId);
        }
        // an enrolment that took permissions away between this token's check and the line above found no
        // connection to close: check again now that it is registered
        try {
            Enrolled now = enrolment(agentId);
            if (now != null && now.revokes(p)) {
                closeRevoked(agentId, now);
                return;
            }
        } catch (RuntimeException e) {
            LOG.warn("agent {}: checking its token against its enrolment failed: {}", agentId, e.toString());
        }
        publish("agent_status", status(agentId, "online"));
        // the agent now receives: a client that waits for this frame knows others can reach it
        ObjectNode hello = Json.object();
        hello.put("type", "connected");
        hello.put("agent_id", agentId);
        if (p.expiresAt() != null) {
            hello.put("expires_at", p.expiresAt().toString());
        }
        send(ctx, Json.write(hello));
    }

    /**
     * The agent connected to another replica after its connection here: this one is closed (4000) as
     * a newer connection here would close it. Not when the directory names this replica again (a
     * connection here newer than that one: the other replica is told to close its own).
     */
    void replacedElsewhere(String agentId) {
        WsContext c = agents.get(agentId);
        ClusterBus cl = cluster;
        if (c == null || cl == null || cl.holds(agentId)) {
            return;
        }
        LOG.info("agent {}: connected to another replica; closing its older connection here", agentId);
        c.closeSession(4000, "replaced by a newer connection of " + agentId + " on another replica");
    }

    void disconnected(String agentId, WsContext ctx) {
        sessionPrincipals.remove(ctx.sessionId());
        queuedChars.remove(ctx.sessionId());
        if (agents.remove(agentId, ctx)) {
            if (cluster != null) {
                cluster.disconnected(agentId);
            }
            publish("agent_status", status(agentId, "offline"));
        }
    }

    private ObjectNode status(String agentId, String state) {
        ObjectNode o = Json.object();
        o.put("agent_id", agentId);
        o.put("status", state);
        o.put("at", Instant.ofEpochMilli(clock.millis()).toString());
        return o;
    }

    /** Handles one frame from an agent: validate, enforce, relay; answers the sender with an ack or an error frame. */
    void message(String from, WsContext ctx, String text) {
        long t0 = System.nanoTime();
        MDC.put("agent_id", from);
        Tokens.Principal p = sessionPrincipals.get(ctx.sessionId()); // put at connect, before any frame
        try {
            ObjectNode m;
            String to;
            String type;
            try {
                if (p == null) { // closed by a later enrolment that took permissions away
                    throw new ApiException(401, "token_revoked", "this connection's token was revoked by a later enrolment of "
                            + from + "; connect with the token of the latest enrolment", null);
                }
                if (!p.has("write")) {
                    throw new ApiException(403, "permission_denied", "this agent's token lacks the 'write' permission", null);
                }
                if (expired(p)) {
                    throw new ApiException(401, "token_expired", "the agent token has expired; enrol again", null);
                }
                m = Json.parseFrame(text.getBytes(StandardCharsets.UTF_8));
                to = Json.string(m, "to_agent", "to_agent");
                type = Json.string(m, "type", "type");
                if (to == null) {
                    if (AgentReport.TYPE.equals(type)) { // a report about the sender itself, for the bus
                        telemetry(from, m, ctx);
                        return;
                    }
                    throw ApiException.invalid("to_agent", "to_agent is required (a message with no to_agent must be"
                            + " \"type\": \"telemetry\", a report about this agent)");
                }
                AgentIds.check(to, "to_agent");
                if (type == null || type.isEmpty() || type.length() > 64) {
                    throw ApiException.invalid("type", "type is required: a string of 1 to 64 characters");
                }
                if (AgentReport.TYPE.equals(type)) {
                    throw ApiException.invalid("to_agent", "type 'telemetry' is reserved for an agent's report about itself"
                            + " to the bus: send it without to_agent (it is never relayed)");
                }
            } catch (ApiException e) {
                count("invalid");
                send(ctx, errorFrame(e.error(), e.getMessage(), e.field(), null, null, 0));
                return;
            }
            boolean isError = ERROR_TYPE.equals(type);
            Enforcement.Decision d = interventions.enforcement().check(from, to, clock.millis(), t0);
            if (!d.passed()) {
                count(d.code());
                // a refused call to an agent the bus has never seen is not an edge of the topology: ids
                // made up by a throttled sender must not grow the live model (as for offline unknown targets)
                boolean known = known(to);
                if (known) {
                    Edge e = edge(from, to);
                    e.record(false, t0, 0, !isError);
                    if (!isError) {
                        e.toCounters.rejectedIn.increment();
                        e.fromCounters.blockedOut.increment();
                    }
                } else if (!isError) {
                    counters(from).blockedOut.increment();
                }
                refusals.note(from, known ? to : null, d.code(), d.interventionId());
                if (alerted.size() < MAX_EDGES && alerted.add(from + "\u0000" + (known ? to : "") + "\u0000" + d.interventionId())) {
                    // first refusal of this edge under this intervention
                    ObjectNode alert = Json.object();
                    alert.put("alert", "traffic_blocked");
                    alert.put("reason", d.code());
                    alert.put("from_agent", from);
                    alert.put("to_agent", to);
                    alert.put("intervention_id", d.interventionId());
                    publish("alerts", alert);
                }
                send(ctx, errorFrame(d.code(), refusalMessage(d.code(), to), null, to, d.interventionId(), d.retryAfterSeconds()));
                return;
            }
            WsContext target = agents.get(to);
            Tokens.Principal targetToken = target == null ? null : sessionPrincipals.get(target.sessionId());
            if (target != null && (targetToken == null || expired(targetToken))) { // its token ran out while connected
                closeExpired(target);
                target = null;
            }
            if (target != null && !targetToken.has("read")) {
                count("permission_denied");
                send(ctx, errorFrame("permission_denied", "agent " + to + "'s token lacks the 'read' permission: it cannot receive messages",
                        "to_agent", to, null, 0));
                return;
            }
            if (target == null && cluster != null) { // perhaps on another replica
                String id = idPrefix + Long.toHexString(idSeq.incrementAndGet());
                String outcome = cluster.forward(to, relayFrame(id, from, type, m.get("payload"), sentAt(clock.millis())));
                if ("delivered".equals(outcome)) {
                    count("forwarded");
                    recordDelivery(from, to, isError, t0);
                    send(ctx, "{\"type\":\"ack\",\"id\":\"" + id + "\",\"to_agent\":\"" + to + "\"}");
                    return;
                }
                if ("agent_busy".equals(outcome)) {
                    count("agent_busy");
                    send(ctx, busyFrame(to));
                    return;
                }
                if ("permission_denied".equals(outcome)) {
                    count("permission_denied");
                    send(ctx, errorFrame("permission_denied", "agent " + to + "'s token lacks the 'read' permission: it cannot receive messages",
                            "to_agent", to, null, 0));
                    return;
                }
            }
            if (target == null) {
                count("agent_offline");
                if (!isError && agentCounters.containsKey(to)) { // a known agent that is down: a failed call
                    Edge e = edge(from, to);
                    e.failedCall();
                    e.toCounters.rejectedIn.increment();
                } // an unknown target is not an edge of the topology: it may not exist at all
                send(ctx, errorFrame("agent_offline", "agent " + to + " is not connected", "to_agent", to, null, 0));
                return;
            }
            String id = idPrefix + Long.toHexString(idSeq.incrementAndGet());
            if (!relay(target, relayFrame(id, from, type, m.get("payload"), sentAt(clock.millis())))) {
                count("agent_busy");
                send(ctx, busyFrame(to));
                return;
            }
            count("delivered");
            recordDelivery(from, to, isError, t0);
            // ids and agent ids need no escaping (AgentIds: letters, digits and _.:@-); the same text as Json.write of the object
            send(ctx, "{\"type\":\"ack\",\"id\":\"" + id + "\",\"to_agent\":\"" + to + "\"}");
        } catch (RuntimeException e) { // every frame is answered, in order (clients match answers to sends by position)
            LOG.error("bus: a frame of agent {} failed", from, e);
            send(ctx, errorFrame("internal_error", "the server failed on this frame; see its log", null, null, null, 0));
        } finally {
            MDC.remove("agent_id");
        }
    }

    /** A delivered message on its edge's statistics. */
    private void recordDelivery(String from, String to, boolean isError, long t0) {
        Edge e = edge(from, to);
        e.record(true, t0, (System.nanoTime() - t0) / 1e3, !isError);
        if (isError) { // the sender reports a failed request of the target's call
            e.fromCounters.errorsOut.increment();
            Edge call = edges.get(to + "\u0000" + from);
            if (call != null) {
                call.errorReply();
            }
        } else {
            e.toCounters.callsIn.increment();
        }
    }

    /**
     * Delivers a frame another replica relayed (enforced there) to an agent connected here.
     *
     * @return {@code delivered}, {@code permission_denied}, {@code agent_busy} or {@code agent_offline}
     */
    String deliverFromPeer(String to, String frame) {
        WsContext target = agents.get(to);
        Tokens.Principal targetToken = target == null ? null : sessionPrincipals.get(target.sessionId());
        if (target != null && (targetToken == null || expired(targetToken))) {
            closeExpired(target);
            target = null;
        }
        if (target == null) {
            return "agent_offline";
        }
        if (!targetToken.has("read")) {
            return "permission_denied";
        }
        if (!relay(target, frame)) {
            count("agent_busy");
            return "agent_busy";
        }
        count("delivered_from_peer");
        return "delivered";
    }

    /** Once a second in a cluster: the directory names this replica for exactly the agents connected here. */
    void reassertCluster() {
        ClusterBus c = cluster;
        if (c != null) {
            c.reassert(new java.util.HashSet<>(agents.keySet()));
        }
    }

    /** Joins this bus to the other replicas' (AURA_CLUSTER_MEMBERS or AURA_CLUSTER_DNS). */
    void joinCluster(ClusterBus c) {
        this.cluster = c;
    }

    /**
     * The relayed frame {@code {"type":"message","id","from_agent","message_type","payload","sent_at"}},
     * the same text as {@link Json#write} of that object (a test checks it), built without the tree:
     * the relay path is the bus's hot path. Only the type and the payload can need escaping; the
     * payload goes through the same mapper.
     */
    static String relayFrame(String id, String from, String type, JsonNode payload, String sentAt) {
        StringBuilder b = new StringBuilder(96 + type.length());
        b.append("{\"type\":\"message\",\"id\":\"").append(id).append("\",\"from_agent\":\"").append(from)
                .append("\",\"message_type\":");
        if (plain(type)) {
            b.append('"').append(type).append('"');
        } else {
            b.append(Json.write(type));
        }
        b.append(",\"payload\":").append(payload == null ? "null" : Json.write(payload))
                .append(",\"sent_at\":\"").append(sentAt).append("\"}");
        return b.toString();
    }

    /** Whether s can be written between JSON quotes as it is: printable ASCII without a quote or backslash. */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** The ISO-8601 text of this millisecond, formatted once per millisecond (Instant.toString per message was ~5% of the relay path). */
    private String sentAt(long millis) {
        SentAt c = sentAtCache;
        if (c.millis() != millis) {
            c = new SentAt(millis, Instant.ofEpochMilli(millis).toString());
            sentAtCache = c;
        }
        return c.text();
    }

    /** A millisecond and its ISO-8601 text (see {@link #sentAt}). */
    private record SentAt(long millis, String text) {
    }

    /**
     * A telemetry report of the sender about itself: validated, kept as the agent's newest report,
     * acknowledged; never relayed, never counted as a call, never refused by an intervention (an
     * agent under a rate limit must still be able to say how loaded it is). A bad payload throws an
     * {@link ApiException} naming the field, answered with an error frame by the caller.
     */
    private void telemetry(String from, ObjectNode m, WsContext ctx) {
        AgentReport r = AgentReport.parse(m.get("payload"), System.nanoTime());
        counters(from).report = r;
        count("telemetry");
        ObjectNode ack = Json.object();
        ack.put("type", "ack");
        ack.put("id", idPrefix + Long.toHexString(idSeq.incrementAndGet()));
        ack.put("message_type", AgentReport.TYPE);
        send(ctx, Json.write(ack));
    }

    /** The edge's statistics; a detached (unrecorded) one once MAX_EDGES edges exist. */
    private Edge edge(String from, String to) {
        String key = from + "\u0000" + to;
        Edge e = edges.get(key);
        if (e != null) {
            return e;
        }
        if (edges.size() >= MAX_EDGES) {
            return new Edge(from, to, counters(from), counters(to));
        }
        return edges.computeIfAbsent(key, k -> new Edge(from, to, counters(from), counters(to)));
    }

    private static String refusalMessage(String code, String to) {
        return switch (code) {
            case "isolated" -> "an isolate intervention blocks this traffic";
            case "circuit_open" -> "the circuit breaker of " + to + " is open";
            case "rate_limited" -> "this agent is over its rate limit";
            case "load_shed" -> "messages to " + to + " are being shed";
            default -> code;
        };
    }

    private void count(String outcome) {
        Counter c = outcomeCounters.get(outcome); // get first: computeIfAbsent's capturing lambda is an allocation per message
        if (c == null) {
            c = outcomeCounters.computeIfAbsent(outcome, o -> Counter.builder("aura.agent.messages")
                    .description("Agent-bus messages by outcome").tag("outcome", o).register(registry));
        }
        c.increment();
    }

    /** Answers a binary frame: the bus speaks JSON text frames only (nothing of a binary frame is read or relayed). */
    void binary(WsContext ctx) {
        count("invalid");
        send(ctx, errorFrame("invalid_frame", "binary frames are not accepted; send the message as a JSON text frame", null, null, null, 0));
    }

    private static String errorFrame(String error, String message, String field, String to, String interventionId, double retryAfter) {
        ObjectNode o = Json.object();
        o.put("type", "error");
        o.put("error", error);
        o.put("message", message);
        if (field != null) {
            o.put("field", field);
        }
        if (to != null) {
            o.put("to_agent", to);
        }
        if (interventionId != null) {
            o.put("intervention_id", interventionId);
        }
        if (retryAfter > 0) {
            o.put("retry_after_seconds", Math.ceil(retryAfter * 1000) / 1000);
        }
        return Json.write(o);
    }

    /** Most frames waiting to go out on one socket (Jetty's outgoing queue): a reader that falls this far behind gets no more relayed. */
    static final int MAX_OUTGOING_FRAMES = 1_024;
    /**
     * Most characters of relayed messages waiting to be written to one agent (about 4 MiB): with
     * frames of up to 64 KiB the frame bound alone would let an agent that does not read hold 64 MiB
     * of this server's heap. A first message is relayed whatever its size.
     */
    static final long MAX_OUTGOING_CHARS = 4L << 20;

    /** Per agent socket (session id): characters of relayed messages not yet written. */
    private final Map<String, java.util.concurrent.atomic.AtomicLong> queuedChars = new ConcurrentHashMap<>();

    /** The sender's refusal of a message to an agent that does not read (its outgoing queue is full). */
    private static String busyFrame(String to) {
        return errorFrame("agent_busy", "agent " + to + " is not reading its messages: as many as the server holds for one agent"
                + " (" + MAX_OUTGOING_FRAMES + " frames or " + (MAX_OUTGOING_CHARS >> 20) + " MiB) wait for it already; retry later",
                "to_agent", to, null, 1);
    }

    /**
     * A relayed message's send: gives its characters back to the target's count once written or
     * failed, and notes a refusal by Jetty's send while it runs (a full outgoing queue fails it at once).
     */
    private static final class Relayed implements org.eclipse.jetty.websocket.api.Callback {
        final java.util.concurrent.atomic.AtomicLong queued;
        final long chars;
        boolean full;

        Relayed(java.util.concurrent.atomic.AtomicLong queued, long chars) {
            this.queued = queued;
            this.chars = chars;
        }

        @Override
        public void succeed() {
            queued.addAndGet(-chars);
        }

        @Override
        public void fail(Throwable x) {
            queued.addAndGet(-chars);
            if (x instanceof java.nio.channels.WritePendingException) {
                full = true;
            }
        }
    }

    /**
     * Sends a relayed message; false when the target's outgoing queue is full ({@link #MAX_OUTGOING_FRAMES}
     * frames or {@link #MAX_OUTGOING_CHARS} characters: it does not read), so the sender is refused
     * instead of acknowledged for a message that would wait in this server's memory without bound.
     */
    private boolean relay(WsContext ctx, String text) {
        java.util.concurrent.atomic.AtomicLong q = queuedChars.get(ctx.sessionId());
        if (q == null) { // closed meanwhile: the send fails, nothing waits
            q = new java.util.concurrent.atomic.AtomicLong();
        }
        long n = text.length();
        long now = q.addAndGet(n);
        if (now > MAX_OUTGOING_CHARS && now != n) {
            q.addAndGet(-n);
            return false;
        }
        Relayed r = new Relayed(q, n);
        send(ctx, text, r);
        return !r.full;
    }

    private static void send(WsContext ctx, String text) {
        send(ctx, text, org.eclipse.jetty.websocket.api.Callback.NOOP);
    }

    private static void send(WsContext ctx, String text, org.eclipse.jetty.websocket.api.Callback callback) {
        synchronized (ctx) {
            try {
                ctx.session.sendText(text, callback);
            } catch (RuntimeException e) {
                LOG.debug("send to session {} failed: {}", ctx.sessionId(), e.toString());
            }
        }
    }

    // ---- /ws subscribers

    /**
     * Most {@code /ws} connections of one token subject on a server: a dashboard needs a few; without a
     * bound one token could hold every file descriptor of the process.
     */
    static final int MAX_SUBSCRIBERS_PER_SUBJECT = 64;

    /** Open {@code /ws} connections per token subject. */
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> subscribersOf = new ConcurrentHashMap<>();

    /** Refuses (429) a {@code /ws} upgrade of a subject that holds {@link #MAX_SUBSCRIBERS_PER_SUBJECT} connections already. */
    void checkSubscriberRoom(Tokens.Principal p) {
        java.util.concurrent.atomic.AtomicInteger n = subscribersOf.get(p.subject());
        if (n != null && n.get() >= MAX_SUBSCRIBERS_PER_SUBJECT) {
            throw new ApiException(429, "too_many_connections", "token subject " + p.subject() + " has " + n.get()
                    + " /ws connections to this server already, the most it may hold; close one first", null);
        }
    }

    void subscriberConnected(WsContext ctx, Tokens.Principal p) {
        if (goingAway) {
            ctx.closeSession(1001, SHUTTING_DOWN);
            return;
        }
        java.util.concurrent.atomic.AtomicInteger n = subscribersOf.computeIfAbsent(p.subject(),
                k -> new java.util.concurrent.atomic.AtomicInteger());
        if (n.incrementAndGet() > MAX_SUBSCRIBERS_PER_SUBJECT) { // upgrades that passed the check together
            n.decrementAndGet();
            ctx.closeSession(1008, "too many /ws connections of this token subject");
            return;
        }
        sessionPrincipals.put(ctx.sessionId(), p);
        queuedChars.put(ctx.sessionId(), new java.util.concurrent.atomic.AtomicLong());
        subscriberContexts.put(ctx.sessionId(), ctx);
        subscribers.put(ctx.sessionId(), Set.of());
    }

    void subscriberClosed(WsContext ctx) {
        Tokens.Principal p = sessionPrincipals.remove(ctx.sessionId()); // null the second time (close after an error)
        if (p != null) {
            java.util.concurrent.atomic.AtomicInteger n = subscribersOf.get(p.subject());
            if (n != null) {
                n.decrementAndGet();
            }
        }
        subscriberContexts.remove(ctx.sessionId());
        subscribers.remove(ctx.sessionId());
        queuedChars.remove(ctx.sessionId());
    }

    /** {@code {"type":"subscribe","channels":[...]}}; answers {@code subscribed} or an error frame. */
    void subscriberMessage(WsContext ctx, String text) {
        try {
            ObjectNode m = Json.parseFrame(text.getBytes(StandardCharsets.UTF_8));
            String type = Json.string(m, "type", "type");
            if (!"subscribe".equals(type) && !"unsubscribe".equals(type)) {
                throw ApiException.invalid("type", "type must be 'subscribe' or 'unsubscribe'");
            }
            JsonNode ch = m.get("channels");
            if (ch == null || !ch.isArray() || ch.isEmpty() || ch.size() > 16) {
                throw ApiException.invalid("channels", "channels must be a non-empty array of channel names: " + String.join(", ", CHANNELS));
            }
            Set<String> now = new java.util.TreeSet<>(subscribers.getOrDefault(ctx.sessionId(), Set.of()));
            for (int i = 0; i < ch.size(); i++) {
                String c = ch.get(i).asText();
                if (!CHANNELS.contains(c)) {
                    throw new ApiException(400, "unknown_channel", "unknown channel '" + (c.length() > 40 ? c.substring(0, 40) : c)
                            + "'; channels are " + String.join(", ", CHANNELS), "channels[" + i + "]");
                }
                if (type.equals("subscribe")) {
                    now.add(c);
                } else {
                    now.remove(c);
                }
            }
            subscribers.put(ctx.sessionId(), Set.copyOf(now));
            ObjectNode ack = Json.object();
            ack.put("type", "subscribed");
            ArrayNode a = ack.putArray("channels");
            now.forEach(a::add);
            send(ctx, Json.write(ack));
        } catch (ApiException e) {
            send(ctx, errorFrame(e.error(), e.getMessage(), e.field(), null, null, 0));
        }
    }

    private boolean expired(Tokens.Principal p) {
        // in milliseconds, without an Instant per message: expiry times are whole seconds, so this equals
        // !clock.instant().isBefore(expiresAt + skew)
        // (the skew subtracted from now, not added to an expiry near Long.MAX_VALUE, where it would overflow)
        return p.expiresAt() != null && clock.millis() - Tokens.CLOCK_SKEW.toMillis() >= p.expiresAt().toEpochMilli();
    }

    static final String SHUTTING_DOWN = "server shutting down";

    /**
     * The server shuts down: every agent and subscriber socket is closed with 1001 ("going away",
     * a close frame, so clients know to reconnect, to this server when it is back or to another
     * replica) instead of being dropped with the listener (1006). Waits up to {@code within} for
     * the clients' answering close frames; sockets that open meanwhile are closed the same way.
     *
     * @return the sockets still open when the wait ended
     */
    int goAway(Duration within) {
        goingAway = true;
        for (WsContext c : agents.values()) {
            c.closeSession(1001, SHUTTING_DOWN);
        }
        for (WsContext c : subscriberContexts.values()) {
            c.closeSession(1001, SHUTTING_DOWN);
        }
        long end = System.nanoTime() + within.toNanos();
        while (!(agents.isEmpty() && subscriberContexts.isEmpty()) && System.nanoTime() < end) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return agents.size() + subscriberContexts.size();
    }

    /** Tells the socket its token expired and closes it (4001); the close handlers forget it. */
    private void closeExpired(WsContext c) {
        send(c, errorFrame("token_expired", "this connection's token has expired; get a new one and reconnect", null, null, null, 0));
        c.closeSession(4001, "token expired");
    }

    /**
     * Closes every agent and subscriber socket whose token has expired (with the clock skew allowed at
     * verification), so that an open connection does not outlive its token. Called every second.
     *
     * @return how many sockets were closed
     */
    int sweepExpired() {
        int closed = 0;
        for (Collection<WsContext> sockets : List.of(agents.values(), subscriberContexts.values())) {
            for (WsContext c : sockets) {
                Tokens.Principal p = sessionPrincipals.get(c.sessionId());
                if (p != null && expired(p)) {
                    closeExpired(c);
                    closed++;
                }
            }
        }
        return closed;
    }

    /** Sends {@code {"type":"update","channel","data"}} to every subscriber of the channel. */
    void publish(String channel, ObjectNode data) {
        ObjectNode o = Json.object();
        o.put("type", "update");
        o.put("channel", channel);
        o.set("data", data);
        String text = Json.write(o);
        subscribers.forEach((sid, chans) -> {
            if (chans.contains(channel)) {
                WsContext c = subscriberContexts.get(sid);
                Tokens.Principal p = sessionPrincipals.get(sid);
                if (c != null && p != null && !expired(p)) {
                    update(sid, c, text);
                }
            }
        });
    }

    /** Close code and reason of a subscriber that does not read its updates (1013: try again later). */
    static final int TOO_SLOW = 1013;
    static final String TOO_SLOW_REASON = "too slow: updates were not read, some are lost; reconnect and re-read the state";

    /**
     * One update to one subscriber. Its outgoing queue is bounded like an agent's ({@link #MAX_OUTGOING_FRAMES}
     * frames, {@link #MAX_OUTGOING_CHARS} characters); a subscriber that lets it fill has missed an update, so it
     * gets no more and is closed ({@value #TOO_SLOW}): left open, it would look current while updates (an
     * intervention's revocation, an alert) were silently dropped.
     */
    private void update(String sid, WsContext c, String text) {
        java.util.concurrent.atomic.AtomicLong q = queuedChars.get(sid);
        if (q == null) { // closed meanwhile
            return;
        }
        if (!relay(c, text) && subscribers.remove(sid) != null) { // once: no more updates for it
            LOG.warn("/ws subscriber {} does not read its updates ({} characters wait): closing it", sid, q.get());
            c.closeSession(TOO_SLOW, TOO_SLOW_REASON);
        }
    }

    // ---- read endpoints

    /** Enrolled agents with their connection state. */
    ObjectNode agentsJson() {
        ClusterBus c = cluster;
        java.util.Set<String> elsewhere = c == null ? java.util.Set.of() : c.onlineAgents(); // connected to any replica
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("agents");
        for (ObjectNode a : db.query("SELECT * FROM enrolments ORDER BY agent_id LIMIT 10000", rs -> {
            ObjectNode o = Json.object();
            o.put("agent_id", rs.getString("agent_id"));
            o.put("agent_type", rs.getString("agent_type"));
            o.put("enrolled_at", Instant.ofEpochMilli(rs.getLong("enrolled_at")).toString());
            o.put("token_expires_at", Instant.ofEpochMilli(rs.getLong("token_expires_at")).toString());
            return o;
        })) {
            String id = a.path("agent_id").asText();
            a.put("online", agents.containsKey(id) || elsewhere.contains(id));
            list.add(a);
        }
        return out;
    }

    /**
     * The live topology: connected agents and per-edge statistics, sorted; in a cluster, every
     * replica's (an edge is kept by its sender's replica; the same edge on two replicas, after its
     * sender moved, is summed).
     */
    ObjectNode topologyJson() {
        ObjectNode local = localTopologyJson();
        ClusterBus c = cluster;
        if (c == null) {
            return local;
        }
        java.util.TreeSet<String> online = new java.util.TreeSet<>();
        TreeMap<String, ObjectNode> merged = new TreeMap<>();
        List<ObjectNode> all = new ArrayList<>();
        all.add(local);
        for (String peer : c.peerTopologies()) {
            all.add(Json.parseObject(peer.getBytes(StandardCharsets.UTF_8)));
        }
        for (ObjectNode t : all) {
            t.path("online_agents").forEach(n -> online.add(n.asText()));
            for (JsonNode e : t.path("edges")) {
                String key = e.path("from").asText() + "\u0000" + e.path("to").asText();
                ObjectNode m = merged.get(key);
                if (m == null) {
                    merged.put(key, ((ObjectNode) e).deepCopy());
                    continue;
                }
                long before = m.path("messages").asLong();
                long more = e.path("messages").asLong();
                double latency = before + more == 0 ? 0 : (m.path("mean_relay_latency_ms").asDouble() * before
                        + e.path("mean_relay_latency_ms").asDouble() * more) / (before + more);
                for (String f : List.of("messages", "refused", "calls", "failures")) {
                    m.put(f, m.path(f).asLong() + e.path(f).asLong());
                }
                m.put("rate_per_second", m.path("rate_per_second").asDouble() + e.path("rate_per_second").asDouble());
                m.put("mean_relay_latency_ms", latency);
            }
        }
        ObjectNode out = Json.object();
        ArrayNode o = out.putArray("online_agents");
        online.forEach(o::add);
        ArrayNode list = out.putArray("edges");
        merged.values().forEach(list::add);
        return out;
    }

    /** This replica's agents and edges only. */
    ObjectNode localTopologyJson() {
        ObjectNode out = Json.object();
        ArrayNode online = out.putArray("online_agents");
        new java.util.TreeSet<>(agents.keySet()).forEach(online::add);
        ArrayNode list = out.putArray("edges");
        new TreeMap<>(edges).values().forEach(e -> list.add(e.json()));
        return out;
    }

    boolean online(String agentId) {
        return agents.containsKey(agentId);
    }

    int onlineCount() {
        return agents.size();
    }
}
