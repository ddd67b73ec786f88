package io.aura.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What an agent reports about its own load on the bus ({@code {"type": "telemetry", "payload":
 * {...}}}, no {@code to_agent}): the metrics a message bus cannot observe. Immutable; the bus keeps
 * the newest one per agent in a volatile field ({@link Bus.AgentCounters#report}) and
 * {@link LiveTelemetry} puts it into the guard's snapshot while it is fresh.
 *
 * <p>Every field is optional; one left out (or JSON null) is missing: {@code -1} for the counts,
 * NaN for the rest. A report replaces the previous one whole, so a field is missing again as soon
 * as a report leaves it out.
 *
 * @param receivedNanos {@link System#nanoTime()} when the bus accepted the report
 * @param cpuUtilisation busy cores / cores of the agent's healthy instances, in [0, 1]
 * @param threadUtilisation busy threads / threads, in [0, 1]
 * @param queueLength queued requests (all instances)
 * @param inFlight requests at the agent (queued or holding a thread)
 * @param p50LatencyMs median latency of the agent's recent requests, ms
 * @param p95LatencyMs p95 latency, ms
 * @param p99LatencyMs p99 latency, ms
 * @param healthyInstances instances up
 */
record AgentReport(long receivedNanos, double cpuUtilisation, double threadUtilisation, int queueLength, int inFlight,
        double p50LatencyMs, double p95LatencyMs, double p99LatencyMs, int healthyInstances) {

    /** The message type of a report. */
    static final String TYPE = "telemetry";
    /** The payload's fields, in the order docs/api.md lists them. */
    static final List<String> FIELDS = List.of("cpu_utilisation", "thread_utilisation", "queue_length", "in_flight",
            "p50_latency_ms", "p95_latency_ms", "p99_latency_ms", "healthy_instances");
    /** Largest latency accepted, ms (11.6 days: beyond it a value is a unit mistake, not a latency). */
    static final double MAX_LATENCY_MS = 1e9;
    /** Largest count accepted (queue length, in-flight requests, instances). */
    static final int MAX_COUNT = 1_000_000_000;

    /**
     * Validates a report's payload.
     *
     * @param payload the message's {@code payload} (null or JSON null: an empty report)
     * @param receivedNanos when it arrived
     * @throws ApiException {@code invalid_request} naming the field ({@code payload.<name>}) for an
     *     unknown field, a value of the wrong type, a non-finite number or one out of range
     */
    static AgentReport parse(JsonNode payload, long receivedNanos) {
        if (payload == null || payload.isNull()) {
            payload = Json.object();
        }
        if (!payload.isObject()) {
            throw ApiException.invalid("payload", "a telemetry payload must be an object with any of "
                    + String.join(", ", FIELDS) + "; got " + Json.kind(payload));
        }
        ObjectNode p = (ObjectNode) payload;
        for (var it = p.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                String shown = clip(f);
                throw ApiException.invalid("payload." + shown, "unknown telemetry field '" + shown + "'; fields are "
                        + String.join(", ", FIELDS));
            }
        }
        return new AgentReport(receivedNanos, fraction(p, "cpu_utilisation"), fraction(p, "thread_utilisation"),
                count(p, "queue_length"), count(p, "in_flight"), latency(p, "p50_latency_ms"), latency(p, "p95_latency_ms"),
                latency(p, "p99_latency_ms"), count(p, "healthy_instances"));
    }

    private static double fraction(ObjectNode p, String name) {
        Double v = Json.number(p, name, "payload." + name);
        if (v == null) {
            return Double.NaN;
        }
        if (!(v >= 0 && v <= 1)) {
            throw ApiException.invalid("payload." + name, "payload." + name + " must be a fraction in 0..1, got " + v);
        }
        return v;
    }

    private static double latency(ObjectNode p, String name) {
        Double v = Json.number(p, name, "payload." + name);
        if (v == null) {
            return Double.NaN;
        }
        if (!(v >= 0 && v <= MAX_LATENCY_MS)) {
            throw ApiException.invalid("payload." + name, "payload." + name + " must be in 0..1e9 ms, got " + v);
        }
        return v;
    }

    private static int count(ObjectNode p, String name) {
        Integer v = Json.integer(p, name, "payload." + name, 0, MAX_COUNT);
        return v == null ? -1 : v;
    }

    private static String clip(String s) {
        return Json.clip(s, 40);
    }
}
