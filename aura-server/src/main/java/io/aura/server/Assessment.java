package io.aura.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aura.cascade.predict.AuraGuard;
import io.aura.cascade.predict.FeatureExtractor;
import io.aura.cascade.predict.RiskModel;
import io.aura.cascade.sim.Action;
import io.aura.cascade.sim.GuardConfig;
import io.aura.cascade.sim.Prediction;
import io.aura.cascade.sim.StaticTopology;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One run of the cascade guard turned into names and numbers the API reports: the risk per
 * horizon, the critical agents (score &gt; 0) with reasons, the model's features, the expected
 * cascade size and the guard's actions as intervention bodies ({@link ActionMapping}).
 *
 * <p>{@code expectedCascadeSize} = Σ_i q_i, the sum over agents of the guard's propagated stress
 * q_i ∈ [0, 1] (the feature {@code propagated_risk} is its mean): the expected number of agents
 * in trouble if each q_i is read as that agent's probability of failing. It is a reading of the
 * current state, not a forecast at a horizon; {@code cascadeThresholdAgents} is the size the risk
 * is about (P(more than that many agents FAILED within the horizon)).
 */
record Assessment(long atMs, double risk, int horizonSeconds, Map<Integer, Double> riskByHorizon,
        List<Critical> critical, double expectedCascadeSize, int cascadeThresholdAgents, double[] features,
        List<ObjectNode> interventions, List<String> skippedActions, List<String> names, StaticTopology topology,
        long historySeconds) {

    /** The shipped risk model, parsed once (immutable). */
    static final RiskModel MODEL = RiskModel.shipped();
    /** What the guard is told: Δc = 1 s, the default actuation delay, full mode (decide is called). */
    static final GuardConfig GUARD_CONFIG = new GuardConfig(1000, GuardConfig.DEFAULT_ACTUATION_DELAY_MS,
            GuardConfig.MAX_ACTION_DURATION_MS, false);

    /** A critical agent: its name, the guard's score q·ln(1+D) and the guard's reason. */
    record Critical(String agentId, double score, String reason) {
    }

    /** A guard using the shipped model. */
    static AuraGuard newGuard(StaticTopology topology) {
        AuraGuard g = new AuraGuard(MODEL);
        g.init(topology, GUARD_CONFIG);
        return g;
    }

    /**
     * The guard's actions for a prediction; a failing {@code decide()} (the policy is under active
     * development) yields no actions and the failure as a skipped-action note, so predictions still
     * flow.
     */
    static Assessment decideAndAssess(long atMs, AuraGuard guard, io.aura.cascade.sim.TelemetrySnapshot s, Prediction p,
            List<String> names, StaticTopology topology, long historySeconds) {
        List<Action> actions;
        String failure = null;
        try {
            actions = guard.decide(s, p);
        } catch (RuntimeException e) {
            actions = List.of();
            failure = "the guard's decide() failed: " + e;
        }
        Assessment a = of(atMs, guard, p, actions, names, topology, historySeconds);
        if (failure == null) {
            return a;
        }
        List<String> skipped = new ArrayList<>(a.skippedActions());
        skipped.add(failure.length() <= 300 ? failure : failure.substring(0, 297) + "...");
        return new Assessment(a.atMs(), a.risk(), a.horizonSeconds(), a.riskByHorizon(), a.critical(), a.expectedCascadeSize(),
                a.cascadeThresholdAgents(), a.features(), a.interventions(), List.copyOf(skipped), a.names(), a.topology(),
                a.historySeconds());
    }

    /** Builds the assessment of the guard's newest prediction; actions are those decide() returned for it. */
    static Assessment of(long atMs, AuraGuard guard, Prediction p, List<Action> actions, List<String> names,
            StaticTopology topology, long historySeconds) {
        int[] top = p.criticalAgents();
        double[] scores = p.criticalScores();
        List<String> reasons = guard.reasons();
        List<Critical> critical = new ArrayList<>();
        for (int k = 0; k < top.length; k++) {
            if (!(scores[k] > 0)) {
                continue;
            }
            String r = k < reasons.size() ? reasons.get(k) : "";
            int colon = r.indexOf(": ");
            critical.add(new Critical(names.get(top[k]), scores[k], colon >= 0 && r.startsWith("agent ") ? r.substring(colon + 2) : r));
        }
        double[] x = guard.features();
        int q = FeatureExtractor.NAMES.indexOf("propagated_risk");
        int n = names.size();
        double expected = x.length > q ? x[q] * n : 0;
        ActionMapping.Result mapped = ActionMapping.map(actions, names, topology, p.risk());
        return new Assessment(atMs, p.risk(), RiskModel.PRIMARY_HORIZON_SEC, new TreeMap<>(p.riskByHorizonSec()),
                List.copyOf(critical), expected, (int) Math.floor(MODEL.cascadeFraction() * n) + 1, x,
                mapped.interventions(), mapped.skipped(), names, topology, historySeconds);
    }

    /** The model's features by name. */
    ObjectNode featuresJson() {
        ObjectNode o = Json.object();
        for (int i = 0; i < features.length && i < FeatureExtractor.NAMES.size(); i++) {
            if (Double.isFinite(features[i])) {
                o.put(FeatureExtractor.NAMES.get(i), features[i]);
            } else {
                o.putNull(FeatureExtractor.NAMES.get(i)); // e.g. branching = ln(0) before any failure
            }
        }
        return o;
    }

    static ObjectNode horizonsJson(Map<Integer, Double> byH) {
        ObjectNode o = Json.object();
        byH.forEach((h, r) -> o.put(Integer.toString(h), r));
        return o;
    }

    /** Critical agents as JSON, restricted to {@code only} when it is non-null. */
    ArrayNode criticalJson(Collection<String> only) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (Critical c : critical) {
            if (only == null || only.contains(c.agentId())) {
                ObjectNode o = a.addObject();
                o.put("agent_id", c.agentId());
                o.put("score", c.score());
                o.put("reason", c.reason());
            }
        }
        return a;
    }
}
