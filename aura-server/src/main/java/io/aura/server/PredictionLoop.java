package io.aura.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aura.cascade.predict.AuraGuard;
import io.aura.cascade.sim.Prediction;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prediction loop: every {@code AURA_PREDICTION_INTERVAL_MS} on its own thread (never the
 * bus's), samples the bus ({@link LiveTelemetry}), runs the cascade guard, publishes
 * {@code cascade_risk} on /ws, sets the {@code aura_cascade_risk} gauge, raises {@code alerts}
 * when the risk crosses {@code AURA_ALERT_THRESHOLD} (both ways), and applies {@code AURA_POLICY}.
 *
 * <p>Graph changes: one guard over the whole bus; when the bus shows a new agent or a new call
 * edge the guard is re-initialised on the grown graph (its ring buffers, hence its trend features,
 * start again — a stable set of agents keeps its history). A long-running bus stops growing once
 * its agents and call edges are known.
 *
 * <p>Policy: {@code off} computes the guard's actions but does nothing with them (they appear in
 * {@code POST /api/v1/predict} answers); {@code suggest} publishes each new set of them on
 * {@code alerts} ({@code intervention_suggested}) and {@code interventions} (state
 * {@code suggested}, no id); {@code auto} creates them through {@link Interventions} (stored,
 * audited, enforced on the bus; {@code created_by} {@value #ACTOR}). The guard's prevention policy
 * issues an action once with a duration and re-issues it only every few seconds while its condition
 * holds (or at once when its rate or fraction moves), so auto keeps what it created while the guard
 * keeps re-issuing it: an intervention is revoked when the guard has not recommended it for its
 * duration (counted in loop ticks, the guard's seconds), or at once when the guard recommends the
 * same type on the same agents with another rate or fraction (the new one supersedes it). A
 * re-issue in the second half of an intervention's life replaces it with a fresh one (so a limit
 * the guard keeps renewing never lapses between its expiry and the next renewal); one that expires
 * is created again when recommended again.
 */
final class PredictionLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PredictionLoop.class);
    static final String ACTOR = "aura-policy";
    /**
     * How long auto leaves alone a target (type and agents) whose policy-made intervention someone else
     * revoked: an operator's DELETE is a decision, which the guard's next re-issue (every 5 s) used to undo.
     */
    static final long OPERATOR_HOLD_MS = 600_000;

    private final Bus bus;
    private final Interventions interventions;
    private final Clock clock;
    private final String policy;
    private final double threshold;
    private final int intervalMs;
    private final LiveTelemetry telemetry;
    private final ScheduledExecutorService thread;
    /** Where each tick's failed fraction and risk go, for the topological memory's outcomes. */
    private final LiveHistory liveHistory;
    private static final int FAILED_FRACTION = io.aura.cascade.predict.FeatureExtractor.NAMES.indexOf("failed_fraction");
    private AuraGuard guard;
    private long history;
    private long lastNanos;
    private boolean above;
    private Set<String> lastSuggested = Set.of();
    private List<String> lastSkipped = List.of();
    /** auto: target (type and agents) → the intervention this loop created for it. */
    private final Map<String, Applied> applied = new HashMap<>();
    /** Ids of operator-revoked interventions whose hold was logged (once each). */
    private final Set<String> heldLogged = new HashSet<>();
    /** auto: calls of {@link #applyBodies} so far (one per tick). */
    private long applyTicks;

    /** An intervention auto created: its id, key (with the parameter), the tick it was last recommended and its duration in ticks. */
    private record Applied(String id, String key, long lastWantedTick, long holdTicks) {
    }
    private volatile Assessment latest;
    /** The agents whose own telemetry report went into the newest assessment (written before {@link #latest}). */
    private volatile Set<String> reporting = Set.of();

    /** In a cluster: the whole cluster's counters, refreshed before each sample (null: this bus alone). */
    private final ClusterCounters clusterCounters;
    /** In a cluster: whether this replica is the one that applies interventions under auto (null: alone, always). */
    private final java.util.function.BooleanSupplier leader;
    private boolean wasLeader = true;
    /** Whether auto has taken over the policy's active interventions (after a start, or on becoming the leader). */
    private boolean adopted;
    /** In a cluster: whether a first sample has set the rates' baseline. */
    private boolean primed;

    PredictionLoop(Bus bus, Interventions interventions, Clock clock, ServerConfig config, LiveHistory liveHistory) {
        this(bus, interventions, clock, config, liveHistory, null);
    }

    /**
     * A loop over this bus, or with a cluster over every replica's bus: each replica's loop samples
     * the cluster's summed counters ({@link ClusterCounters}), so every replica publishes the whole
     * system's risk, and under auto only the oldest member applies interventions (the others would
     * create the same ones again).
     */
    PredictionLoop(Bus bus, Interventions interventions, Clock clock, ServerConfig config, LiveHistory liveHistory, ClusterBus cluster) {
        this.bus = bus;
        this.liveHistory = liveHistory;
        this.interventions = interventions;
        this.clock = clock;
        this.policy = config.policy();
        this.threshold = config.alertThreshold();
        this.intervalMs = config.predictionIntervalMs();
        java.util.function.BiPredicate<String, String> refused =
                (caller, callee) -> interventions.enforcement().refusesEveryCall(caller, callee, clock.millis());
        if (cluster == null) {
            this.clusterCounters = null;
            this.leader = null;
            this.telemetry = new LiveTelemetry(bus, refused);
        } else {
            this.clusterCounters = new ClusterCounters(() -> ClusterCounters.snapshot(bus, System.nanoTime()), cluster::leaderCounters,
                    cluster::peerCounters, System::nanoTime, Bus.MAX_EDGES);
            cluster.bindCounters(clusterCounters);
            this.leader = cluster::leader;
            this.telemetry = new LiveTelemetry(clusterCounters::agents, clusterCounters::edges, System::nanoTime,
                    LiveTelemetry.STALE_AFTER_MS);
            telemetry.refusedEdge(refused);
        }
        this.thread = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("aura-predictor").daemon(true).factory());
    }

    /** Starts the loop (its thread is created here). */
    void start() {
        lastNanos = System.nanoTime();
        thread.scheduleAtFixedRate(this::tick, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    /** The newest assessment of the live bus, or null before the first one (no agent seen yet). */
    Assessment latest() {
        return latest;
    }

    /** The agents whose own telemetry report (fresh, see {@link LiveTelemetry#STALE_AFTER_MS}) went into the newest assessment. */
    Set<String> reportingAgents() {
        return reporting;
    }

    /** The newest risk, NaN before the first prediction (the gauge's value). */
    double risk() {
        Assessment a = latest;
        return a == null ? Double.NaN : a.risk();
    }

    String policy() {
        return policy;
    }

    private void tick() {
        try {
            if (clusterCounters != null && !clusterCounters.refresh()) {
                return; // the leader has not ticked since: its counters again would read as a tick without calls
            }
            long now = System.nanoTime();
            double elapsed = (now - lastNanos) / 1e9;
            lastNanos = now;
            LiveTelemetry.Sample s = telemetry.sample(elapsed);
            if (clusterCounters != null && !primed) {
                // a replica joining a running cluster: the others' counts so far are history, not this tick's
                primed = s != null;
                return;
            }
            if (s == null) {
                return;
            }
            if (s.graphChanged() || guard == null) {
                guard = Assessment.newGuard(s.topology());
                history = 0;
            }
            Prediction p = guard.predict(s.snapshot());
            history++;
            Assessment a = Assessment.decideAndAssess(clock.millis(), guard, s.snapshot(), p, s.names(), s.topology(), history);
            if (!a.skippedActions().isEmpty() && !a.skippedActions().equals(lastSkipped)) {
                LOG.warn("prediction loop: guard actions not applied: {}", a.skippedActions());
            }
            lastSkipped = a.skippedActions();
            reporting = Set.copyOf(s.reportingAgents());
            latest = a;
            // before the side effects, which may fail (e.g. auto's interventions while the database is down):
            // record only appends to a buffer and cannot fail or wait
            double[] x = a.features();
            liveHistory.record(a.atMs(), a.names().size(), x.length > FAILED_FRACTION ? x[FAILED_FRACTION] : Double.NaN, a.risk());
            publish(a);
            alert(a);
            switch (policy) {
                case "suggest" -> suggest(a);
                case "auto" -> apply(a);
                default -> { }
            }
        } catch (RuntimeException e) {
            LOG.warn("prediction loop tick failed: {}", e.toString());
        }
    }

    private void publish(Assessment a) {
        ObjectNode o = Json.object();
        o.put("type", "cascade_risk");
        o.put("risk", a.risk());
        o.put("horizon_seconds", a.horizonSeconds());
        o.set("risk_by_horizon", Assessment.horizonsJson(a.riskByHorizon()));
        o.put("expected_cascade_size", a.expectedCascadeSize());
        o.set("critical_agents", a.criticalJson(null));
        o.put("agents", a.names().size());
        o.put("history_seconds", a.historySeconds());
        o.put("ts", Instant.ofEpochMilli(a.atMs()).toString());
        bus.publish("cascade_risk", o);
    }

    private void alert(Assessment a) {
        boolean now = a.risk() >= threshold;
        if (now == above) {
            return;
        }
        above = now;
        ObjectNode o = Json.object();
        o.put("alert", now ? "cascade_risk_high" : "cascade_risk_normal");
        o.put("risk", a.risk());
        o.put("threshold", threshold);
        o.put("horizon_seconds", a.horizonSeconds());
        o.set("critical_agents", a.criticalJson(null));
        o.put("ts", Instant.ofEpochMilli(a.atMs()).toString());
        bus.publish("alerts", o);
    }

    private void suggest(Assessment a) {
        suggestBodies(a.interventions(), a.risk());
    }

    /** AURA_POLICY=suggest for a list of intervention bodies: publishes those not suggested last time (package-private for tests). */
    synchronized void suggestBodies(List<ObjectNode> bodies, double risk) {
        Set<String> keys = new HashSet<>();
        for (ObjectNode body : bodies) {
            String k = key(body);
            keys.add(k);
            if (!lastSuggested.contains(k)) {
                ObjectNode al = Json.object();
                al.put("alert", "intervention_suggested");
                al.put("risk", risk);
                al.set("intervention", body.deepCopy());
                bus.publish("alerts", al);
                ObjectNode iv = body.deepCopy();
                iv.put("state", "suggested");
                iv.put("suggested_by", ACTOR);
                bus.publish("interventions", iv);
            }
        }
        lastSuggested = Set.copyOf(keys);
    }

    /** AURA_POLICY=auto: make the active set of policy interventions equal the guard's current actions. */
    void apply(Assessment a) {
        boolean lead = leader == null || leader.getAsBoolean();
        if (lead != wasLeader) {
            synchronized (this) {
                adopted = false; // a new leader takes over what the previous one created
            }
            LOG.info("prediction loop: {}", lead ? "this replica now applies the policy's interventions (the cluster's oldest member)"
                    : "another replica (the cluster's oldest member) applies the policy's interventions");
            wasLeader = lead;
        }
        if (lead) {
            applyBodies(a.interventions());
        }
    }

    /**
     * Takes over the active interventions {@value #ACTOR} created before this loop ran them (this server
     * restarted, or another replica led): each counts as recommended now for its own duration, so it
     * is kept while the guard recommends it and revoked once the guard has not for that long, instead
     * of being created again beside itself and left to run out.
     */
    private void adopt() {
        int n = 0;
        try {
            for (Interventions.Intervention iv : interventions.list(true, 10_000)) {
                if (!ACTOR.equals(iv.createdBy()) || !iv.state(interventions.now()).equals("active")) {
                    continue;
                }
                ObjectNode body = Json.object();
                body.put("intervention_type", iv.type());
                iv.agents().forEach(body.putArray("agents")::add);
                body.set("parameters", iv.parameters());
                String target = target(body);
                if (applied.containsKey(target)) {
                    target = target + "|" + key(body);
                }
                applied.putIfAbsent(target, new Applied(iv.id(), key(body), applyTicks, Math.max(1, (iv.expiresAt() - iv.createdAt()) / 1000)));
                n++;
            }
        } catch (RuntimeException e) {
            LOG.warn("policy auto: taking over the active interventions failed (they run out at their expiry): {}", e.toString());
        }
        if (n > 0) {
            LOG.info("policy auto: took over {} active interventions of {}", n, ACTOR);
        }
    }

    /** The auto policy's reconciliation for a list of intervention bodies, once per tick (package-private for tests). */
    synchronized void applyBodies(List<ObjectNode> bodies) {
        if (!adopted) {
            adopt();
            adopted = true;
        }
        long tick = ++applyTicks;
        Set<String> wanted = new HashSet<>();
        for (ObjectNode body : bodies) {
            String k = key(body);
            String target = target(body);
            if (!wanted.add(target)) { // two actions of this tick on the same target (e.g. rules 1 and 3 on one caller): keep both
                target = target + "|" + k;
                wanted.add(target);
            }
            long hold = Math.max(1, body.path("parameters").path("duration").asLong(1));
            Applied cur = applied.get(target);
            Interventions.Intervention iv = cur == null ? null : interventions.get(cur.id());
            if (iv != null && iv.revokedAt() != null && !ACTOR.equals(iv.revokedBy())
                    && interventions.now() < iv.revokedAt() + OPERATOR_HOLD_MS) {
                if (heldLogged.add(iv.id())) {
                    LOG.info("policy auto: {} on {} was revoked by {}; not re-created for {} s after that", iv.type(), iv.agents(),
                            iv.revokedBy(), OPERATOR_HOLD_MS / 1000);
                }
                applied.put(target, new Applied(cur.id(), cur.key(), tick, hold)); // still wanted: remembered, not re-created
                continue;
            }
            boolean active = iv != null && iv.state(interventions.now()).equals("active");
            if (active && cur.key().equals(k) && iv.expiresAt() - interventions.now() >= (iv.expiresAt() - iv.createdAt()) / 2) {
                applied.put(target, new Applied(cur.id(), k, tick, hold)); // re-issued: keep it
                continue;
            } // else new, changed, expired, or re-issued in the second half of its life: a fresh one (revoking the old)
            try {
                Interventions.Intervention created = interventions.create(body.deepCopy(), ACTOR);
                applied.put(target, new Applied(created.id(), k, tick, hold));
                bus.publish("interventions", created.json(interventions.now()));
                LOG.info("policy auto: created {} {} on {}", created.type(), created.id(), created.agents());
            } catch (ApiException e) {
                LOG.warn("policy auto: the guard's action {} was refused: {}", Json.write(body), e.getMessage());
                continue;
            }
            if (active) { // superseded by the new rate or fraction
                revoke(cur.id());
            }
        }
        for (var it = applied.entrySet().iterator(); it.hasNext(); ) {
            Applied ap = it.next().getValue();
            if (tick - ap.lastWantedTick() < ap.holdTicks()) {
                continue; // recommended within its duration: the guard still wants it
            }
            revoke(ap.id()); // throws while the database is away: kept, so that the next tick tries again
            it.remove();
        }
    }

    private void revoke(String id) {
        Interventions.Intervention iv = interventions.get(id);
        if (iv == null || !iv.state(interventions.now()).equals("active")) {
            return; // expired (or revoked by an operator) already
        }
        iv = interventions.revoke(id, ACTOR);
        if (iv != null) {
            bus.publish("interventions", iv.json(interventions.now()));
            LOG.info("policy auto: reverted {} ({})", iv.id(), iv.state(interventions.now()));
        }
    }

    /** What an intervention body acts on: its type and agents. */
    static String target(ObjectNode body) {
        return body.path("intervention_type").asText() + "|" + body.path("agents");
    }

    /** Identity of an intervention body for the policy: type, agents and the type's parameter. */
    static String key(ObjectNode body) {
        com.fasterxml.jackson.databind.JsonNode p = body.path("parameters");
        return body.path("intervention_type").asText() + "|" + body.path("agents") + "|" + p.path("rate").asDouble(0) + "|"
                + p.path("fraction").asDouble(0);
    }

    @Override
    public void close() {
        // let a running tick finish: interrupting it mid-write closes H2's file channel (ClosedByInterruptException)
        thread.shutdown();
        try {
            if (!thread.awaitTermination(2, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
