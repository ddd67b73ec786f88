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
 * audited, enforced on the bus; {@code created_by} {@value #ACTOR}) and revokes each one as soon as
 * the guard stops recommending it; one that expires is created again if still recommended.
 */
final class PredictionLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PredictionLoop.class);
    static final String ACTOR = "aura-policy";

    private final Bus bus;
    private final Interventions interventions;
    private final Clock clock;
    private final String policy;
    private final double threshold;
    private final int intervalMs;
    private final LiveTelemetry telemetry;
    private final ScheduledExecutorService thread;
    private AuraGuard guard;
    private long history;
    private long lastNanos;
    private boolean above;
    private Set<String> lastSuggested = Set.of();
    private List<String> lastSkipped = List.of();
    /** auto: intervention key → id of the intervention this loop created for it. */
    private final Map<String, String> applied = new HashMap<>();
    private volatile Assessment latest;
    /** The agents whose own telemetry report went into the newest assessment (written before {@link #latest}). */
    private volatile Set<String> reporting = Set.of();

    PredictionLoop(Bus bus, Interventions interventions, Clock clock, ServerConfig config) {
        this.bus = bus;
        this.interventions = interventions;
        this.clock = clock;
        this.policy = config.policy();
        this.threshold = config.alertThreshold();
        this.intervalMs = config.predictionIntervalMs();
        this.telemetry = new LiveTelemetry(bus);
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
            long now = System.nanoTime();
            double elapsed = (now - lastNanos) / 1e9;
            lastNanos = now;
            LiveTelemetry.Sample s = telemetry.sample(elapsed);
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
        applyBodies(a.interventions());
    }

    /** The auto policy's reconciliation for a list of intervention bodies (package-private for tests). */
    synchronized void applyBodies(List<ObjectNode> bodies) {
        Set<String> wanted = new HashSet<>();
        for (ObjectNode body : bodies) {
            String k = key(body);
            wanted.add(k);
            String id = applied.get(k);
            Interventions.Intervention cur = id == null ? null : interventions.get(id);
            if (cur != null && cur.state(interventions.now()).equals("active")) {
                continue;
            }
            try {
                Interventions.Intervention iv = interventions.create(body.deepCopy(), ACTOR);
                applied.put(k, iv.id());
                bus.publish("interventions", iv.json(interventions.now()));
                LOG.info("policy auto: created {} {} on {}", iv.type(), iv.id(), iv.agents());
            } catch (ApiException e) {
                LOG.warn("policy auto: the guard's action {} was refused: {}", Json.write(body), e.getMessage());
            }
        }
        for (var it = applied.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (wanted.contains(e.getKey())) {
                continue;
            }
            Interventions.Intervention iv = interventions.revoke(e.getValue(), ACTOR);
            it.remove();
            if (iv != null) {
                bus.publish("interventions", iv.json(interventions.now()));
                LOG.info("policy auto: reverted {} ({})", iv.id(), iv.state(interventions.now()));
            }
        }
    }

    /** Identity of an intervention body for the policy: type, agents and the type's parameter. */
    static String key(ObjectNode body) {
        com.fasterxml.jackson.databind.JsonNode p = body.path("parameters");
        return body.path("intervention_type").asText() + "|" + body.path("agents") + "|" + p.path("rate").asDouble(0) + "|"
                + p.path("fraction").asDouble(0);
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
