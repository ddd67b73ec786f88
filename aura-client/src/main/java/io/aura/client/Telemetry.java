package io.aura.client;

/**
 * An agent's report about its own load, what the bus cannot see (docs/api.md, "Telemetry
 * reports"). Every field is optional: null leaves it out, and the server then treats it as missing.
 * The server validates the values and answers a bad one with {@code invalid_request} naming the
 * field. Report about once a second; a report older than 5 s is missing for the prediction loop.
 *
 * @param cpuUtilisation busy cores / cores of the agent's healthy instances, 0..1
 * @param threadUtilisation busy worker threads / threads, 0..1
 * @param queueLength requests queued, all instances
 * @param inFlight requests at the agent, queued or being served
 * @param p50LatencyMs latency percentile of recent requests, ms
 * @param p95LatencyMs latency percentile of recent requests, ms
 * @param p99LatencyMs latency percentile of recent requests, ms
 * @param healthyInstances instances up
 */
public record Telemetry(Double cpuUtilisation, Double threadUtilisation, Long queueLength, Long inFlight,
                        Double p50LatencyMs, Double p95LatencyMs, Double p99LatencyMs, Long healthyInstances) {

    /** A report with no field (every value missing). */
    public static final Telemetry EMPTY = new Telemetry(null, null, null, null, null, null, null, null);

    public Telemetry withCpuUtilisation(double v) {
        return new Telemetry(v, threadUtilisation, queueLength, inFlight, p50LatencyMs, p95LatencyMs, p99LatencyMs, healthyInstances);
    }

    public Telemetry withThreadUtilisation(double v) {
        return new Telemetry(cpuUtilisation, v, queueLength, inFlight, p50LatencyMs, p95LatencyMs, p99LatencyMs, healthyInstances);
    }

    public Telemetry withQueueLength(long v) {
        return new Telemetry(cpuUtilisation, threadUtilisation, v, inFlight, p50LatencyMs, p95LatencyMs, p99LatencyMs, healthyInstances);
    }

    public Telemetry withInFlight(long v) {
        return new Telemetry(cpuUtilisation, threadUtilisation, queueLength, v, p50LatencyMs, p95LatencyMs, p99LatencyMs, healthyInstances);
    }

    /** The three latency percentiles, ms. */
    public Telemetry withLatencyMs(double p50, double p95, double p99) {
        return new Telemetry(cpuUtilisation, threadUtilisation, queueLength, inFlight, p50, p95, p99, healthyInstances);
    }

    public Telemetry withHealthyInstances(long v) {
        return new Telemetry(cpuUtilisation, threadUtilisation, queueLength, inFlight, p50LatencyMs, p95LatencyMs, p99LatencyMs, v);
    }
}
