package io.aura.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aura.cascade.sim.Action;
import io.aura.cascade.sim.StaticTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Maps the cascade guard's {@link Action}s (int agent ids, milliseconds) to bodies of
 * {@code POST /api/v1/intervene} (agent names, seconds), the shape {@link Interventions#create}
 * accepts. The bus enforces interventions per agent, not per edge, so edge-level actions become
 * the nearest per-agent intervention that contains them (documented in docs/api.md):
 * <ul>
 *   <li>{@code OpenBreaker(caller, incoming = true)} → {@code circuit_breaker} on caller;
 *       {@code OpenBreaker(caller, callee ≥ 0)} → {@code circuit_breaker} on callee (every caller of
 *       it, not only this one); {@code callee = −1} → {@code circuit_breaker} on all of caller's callees;</li>
 *   <li>{@code Isolate(agent)} → {@code isolate} on agent;</li>
 *   <li>{@code Shed(agent, f)} → {@code load_shed} on agent with fraction f (f = 0 is no action);</li>
 *   <li>{@code RateLimit(agent, callee ≥ 0, r)} → {@code rate_limit} on agent at r/s (all its sends,
 *       not only those to callee); {@code RateLimit(agent, −1, r)} (its inbound requests) →
 *       {@code rate_limit} on each of its callers at r/k per second, k callers.</li>
 * </ul>
 * Durations are rounded up to whole seconds, 1..604800. An action that names an agent outside the
 * topology or maps to nobody is reported as skipped, never dropped silently.
 */
final class ActionMapping {

    /** The mapped bodies (same order as the actions that produced them) and the skipped actions with why. */
    record Result(List<ObjectNode> interventions, List<String> skipped) {
    }

    private ActionMapping() {
    }

    static Result map(List<Action> actions, List<String> names, StaticTopology topology, double risk) {
        List<ObjectNode> out = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        String severity = risk >= 0.8 ? "critical" : risk >= 0.5 ? "high" : "medium";
        for (Action a : actions) {
            List<String> agents = new ArrayList<>();
            String type;
            double rate = 0;
            double fraction = 0;
            switch (a) {
                case Action.OpenBreaker b -> {
                    type = "circuit_breaker";
                    if (b.incoming()) {
                        add(agents, names, b.caller());
                    } else if (b.callee() >= 0) {
                        add(agents, names, b.callee());
                    } else {
                        for (int e = 0; e < topology.edgeCount(); e++) {
                            if (topology.caller(e) == b.caller()) {
                                add(agents, names, topology.callee(e));
                            }
                        }
                    }
                }
                case Action.Isolate i -> {
                    type = "isolate";
                    add(agents, names, i.agent());
                }
                case Action.Shed s -> {
                    type = "load_shed";
                    fraction = s.fraction();
                    add(agents, names, s.agent());
                    if (fraction <= 0) {
                        skipped.add(describe(a) + ": shedding a fraction of 0 is no action");
                        continue;
                    }
                }
                case Action.RateLimit r -> {
                    type = "rate_limit";
                    if (r.callee() >= 0) {
                        add(agents, names, r.agent());
                        rate = r.rps();
                    } else {
                        for (int e = 0; e < topology.edgeCount(); e++) {
                            if (topology.callee(e) == r.agent()) {
                                add(agents, names, topology.caller(e));
                            }
                        }
                        rate = agents.isEmpty() ? 0 : r.rps() / agents.size();
                    }
                    if (!(rate > 0)) {
                        skipped.add(describe(a) + ": the bus's rate limit needs a positive rate for at least one sender");
                        continue;
                    }
                }
            }
            agents.removeIf(x -> x == null);
            if (agents.isEmpty()) {
                skipped.add(describe(a) + ": names no agent of this topology");
                continue;
            }
            ObjectNode body = Json.object();
            ArrayNode list = body.putArray("agents");
            new TreeSet<>(agents).forEach(list::add);
            body.put("intervention_type", type);
            ObjectNode p = body.putObject("parameters");
            p.put("duration", (int) Math.max(1, Math.min(604_800, (a.durationMs() + 999) / 1000)));
            p.put("severity", severity);
            if (type.equals("rate_limit")) {
                p.put("rate", Math.min(1e6, rate));
            }
            if (type.equals("load_shed")) {
                p.put("fraction", Math.min(1, fraction));
            }
            p.put("reason", String.format(Locale.ROOT, "aura-policy: cascade risk %.2f; guard action %s", risk, describe(a)));
            out.add(body);
        }
        return new Result(List.copyOf(out), List.copyOf(skipped));
    }

    private static void add(List<String> agents, List<String> names, int id) {
        agents.add(id >= 0 && id < names.size() ? names.get(id) : null);
    }

    private static String describe(Action a) {
        String s = a.toString();
        return s.length() <= 200 ? s : s.substring(0, 197) + "...";
    }
}
