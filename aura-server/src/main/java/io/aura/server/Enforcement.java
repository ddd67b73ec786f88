package io.aura.server;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether one agent-bus message may pass, given the active interventions (an immutable
 * index by agent replaced whenever interventions change). Rules, checked in this order:
 * <ul>
 *   <li>{@code isolate} on the sender or the target: refused, {@code isolated};</li>
 *   <li>{@code circuit_breaker} on the target: refused, {@code circuit_open};</li>
 *   <li>{@code rate_limit} (rate r) on the sender: a token bucket of r tokens/s and burst max(1, r)
 *       per sender; empty: refused, {@code rate_limited}, retry after the time to the next token;</li>
 *   <li>{@code load_shed} (fraction f) on the target: of the messages to the target, message n
 *       (n = 0, 1, ...) passes iff floor((n+1)(1-f)) &gt; floor(n(1-f)), so exactly a share f is
 *       dropped, evenly spread; refused, {@code load_shed}, retry after 1 s (f = 1: the intervention's
 *       remaining time, since every message is dropped until then).</li>
 * </ul>
 * Refusals carry the intervention id and a retry-after (the intervention's remaining time, or
 * the token wait for rate limits), never past the intervention's end.
 */
final class Enforcement {

    /** A decision: null code = pass. */
    record Decision(String code, String interventionId, double retryAfterSeconds) {
        static final Decision PASS = new Decision(null, null, 0);

        boolean passed() {
            return code == null;
        }
    }

    /** An active intervention as the enforcer needs it. */
    record Rule(String id, String type, long expiresAtMs, double rate, double fraction) {
    }

    private volatile Map<String, List<Rule>> byAgent = Map.of();
    private volatile long updates;
    private final Map<String, double[]> buckets = new ConcurrentHashMap<>(); // sender -> {tokens, lastNanos}
    private final Map<String, long[]> shedCounters = new ConcurrentHashMap<>(); // target -> {n}

    /** Replaces the active rules. */
    void update(List<Interventions.Intervention> active) {
        Map<String, List<Rule>> m = new HashMap<>();
        for (Interventions.Intervention iv : active) {
            Rule r = new Rule(iv.id(), iv.type(), iv.expiresAt(), iv.parameters().path("rate").asDouble(0),
                    iv.parameters().path("fraction").asDouble(0));
            for (String a : iv.agents()) {
                m.computeIfAbsent(a, k -> new java.util.ArrayList<>()).add(r);
            }
        }
        m.replaceAll((k, v) -> List.copyOf(v));
        byAgent = Map.copyOf(m);
        // the buckets and counters of interventions no longer active go with them (keys end in "|" + id;
        // agent ids have no '|'): kept, they grew with every rate limit and load shed the server ever saw
        java.util.Set<String> ids = new java.util.HashSet<>();
        active.forEach(iv -> ids.add(iv.id()));
        buckets.keySet().removeIf(k -> !ids.contains(k.substring(k.lastIndexOf('|') + 1)));
        shedCounters.keySet().removeIf(k -> !ids.contains(k.substring(k.lastIndexOf('|') + 1)));
        updates++; // one writer at a time: Interventions calls this under its lock
    }

    /** How many times {@link #update} ran: the active set may have changed when this has. */
    long updates() {
        return updates;
    }

    /** Token buckets and shed counters held (tests). */
    int entries() {
        return buckets.size() + shedCounters.size();
    }

    /**
     * The decision for a message from sender to target at the given times.
     *
     * @param nowMs wall-clock milliseconds (intervention expiry)
     * @param nowNanos monotonic nanoseconds (token buckets)
     */
    Decision check(String sender, String target, long nowMs, long nowNanos) {
        Map<String, List<Rule>> idx = byAgent;
        List<Rule> from = idx.getOrDefault(sender, List.of());
        List<Rule> to = idx.getOrDefault(target, List.of());
        if (from.isEmpty() && to.isEmpty()) {
            return Decision.PASS;
        }
        Rule hard = refusingAll(from, to, nowMs);
        if (hard != null) {
            return new Decision(hard.type().equals("isolate") ? "isolated" : "circuit_open", hard.id(),
                    (hard.expiresAtMs() - nowMs) / 1000.0);
        }
        for (Rule r : from) {
            if (r.type().equals("rate_limit") && nowMs < r.expiresAtMs()) {
                double wait = take(sender + "|" + r.id(), r.rate(), nowNanos);
                if (wait > 0) { // never past the limit's own end, when everything passes again
                    return new Decision("rate_limited", r.id(), Math.min(wait, (r.expiresAtMs() - nowMs) / 1000.0));
                }
            }
        }
        for (Rule r : to) {
            if (r.type().equals("load_shed") && nowMs < r.expiresAtMs()) {
                long[] c = shedCounters.computeIfAbsent(target + "|" + r.id(), k -> new long[1]);
                long n;
                synchronized (c) {
                    n = c[0]++;
                }
                double keep = 1 - r.fraction();
                if (Math.floor((n + 1) * keep) <= Math.floor(n * keep)) {
                    // a fraction of 1 sheds every message until the intervention ends: that is the wait (a
                    // sender told 1 s would retry in vain for the rest of it); otherwise 1 s, never past the end
                    double remaining = (r.expiresAtMs() - nowMs) / 1000.0;
                    return new Decision("load_shed", r.id(), keep <= 0 ? remaining : Math.min(1.0, remaining));
                }
            }
        }
        return Decision.PASS;
    }

    /**
     * Whether an active intervention refuses every message from sender to target: isolation of
     * either, or a circuit breaker on the target (rate limits and load shedding let some through).
     */
    boolean refusesEveryCall(String sender, String target, long nowMs) {
        Map<String, List<Rule>> idx = byAgent;
        return refusingAll(idx.getOrDefault(sender, List.of()), idx.getOrDefault(target, List.of()), nowMs) != null;
    }

    /**
     * The first active rule that refuses every message from a sender with rules {@code from} to a
     * target with rules {@code to}: an isolation of the sender, then an isolation of or a circuit
     * breaker on the target; null if none.
     */
    private static Rule refusingAll(List<Rule> from, List<Rule> to, long nowMs) {
        for (Rule r : from) {
            if (r.type().equals("isolate") && nowMs < r.expiresAtMs()) {
                return r;
            }
        }
        for (Rule r : to) {
            if ((r.type().equals("isolate") || r.type().equals("circuit_breaker")) && nowMs < r.expiresAtMs()) {
                return r;
            }
        }
        return null;
    }

    /** Takes a token; returns 0 on success or the seconds until the next token. */
    private double take(String key, double rate, long nowNanos) {
        double burst = Math.max(1, rate);
        double[] b = buckets.computeIfAbsent(key, k -> new double[] {burst, nowNanos});
        synchronized (b) {
            double tokens = Math.min(burst, b[0] + (nowNanos - b[1]) * 1e-9 * rate);
            b[1] = nowNanos;
            if (tokens >= 1) {
                b[0] = tokens - 1;
                return 0;
            }
            b[0] = tokens;
            return (1 - tokens) / rate;
        }
    }
}
