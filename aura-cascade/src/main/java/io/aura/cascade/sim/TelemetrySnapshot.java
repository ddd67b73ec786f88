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
 * @param errors requests that failed, all classes (per s)
 * @param rejected errors: rejected at admission (queue full, action, no instance or connect failure)
 * @param timeouts the agent's outgoing call attempts that timed out (including connect timeouts)
 * @param blocked the agent's outgoing call attempts failed at once by a breaker, isolation or rate limit
 * @param downstream errors: a call exhausted its attempts (the rest are rejections, intrinsic errors
 *     ε and requests lost in a crash)
 * @param p50LatencyMs median latency of the requests completed in the window (0 if none)
 * @param p95LatencyMs p95 latency
 * @param p99LatencyMs p99 latency
 * @param inFlight requests at the agent at the end of the window (queued or holding a thread)
 * @param queueLength queued requests at the end of the window (all instances)
 * @param threadUtilisation busy threads / threads of healthy instances, at the end of the window
 * @param cpuUtilisation busy cores / cores of healthy instances, averaged over the window
 * @param healthyInstances instances up
 * @param edgeAttempts call attempts on the edge (per s)
 * @param edgeFailures failed attempts on the edge: timeouts, errors, rejections (per s)
 */
public record TelemetrySnapshot(long timeSec, int[] arrivals, int[] successes, int[] errors, int[] rejected,
    int[] timeouts, int[] blocked, int[] downstream, double[] p50LatencyMs, double[] p95LatencyMs,
    double[] p99LatencyMs, int[] inFlight, int[] queueLength, double[] threadUtilisation, double[] cpuUtilisation,
    int[] healthyInstances, int[] edgeAttempts, int[] edgeFailures) {}
