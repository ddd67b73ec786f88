package io.aura.cascade.sim;

/**
 * One 1-s telemetry aggregate (spec 1.3), indexed by agent {@code i} and edge {@code e} (edge order
 * of the {@link StaticTopology} the guard was given). Arrays are owned by the snapshot; accessors do
 * not copy, so a SUT must not modify them (the harness hands out a fresh snapshot every second).
 *
 * <p>With the realism knobs on ({@link EpisodeParams#realisticView()}), ids are the guard's permuted
 * ids, rates and latencies carry LogNormal(0, 0.05) noise, 1% of agent rows are missing (int fields
 * −1, double fields NaN), and spurious edges of the static topology report 0.
 *
 * @param timeSec end of the 1-s window, in simulated seconds
 * @param arrivals requests that arrived at the agent in the window (per s), including rejected ones
 * @param successes requests that completed successfully (per s)
 * @param errors requests that failed: rejected, errors, downstream failures (per s)
 * @param rejected subset of errors rejected at admission (queue full, action, no instance) (per s)
 * @param p99LatencyMs p99 of the completed requests' latency in the window (0 if none)
 * @param inFlight requests at the agent at the end of the window (queued or holding a thread)
 * @param queueLength queued requests at the end of the window (all instances)
 * @param threadUtilisation busy threads / threads of healthy instances, at the end of the window
 * @param healthyInstances instances up
 * @param edgeAttempts call attempts on the edge (per s)
 * @param edgeFailures failed attempts on the edge: timeouts, errors, rejections (per s)
 */
public record TelemetrySnapshot(long timeSec, int[] arrivals, int[] successes, int[] errors, int[] rejected,
    double[] p99LatencyMs, int[] inFlight, int[] queueLength, double[] threadUtilisation, int[] healthyInstances,
    int[] edgeAttempts, int[] edgeFailures) {}
