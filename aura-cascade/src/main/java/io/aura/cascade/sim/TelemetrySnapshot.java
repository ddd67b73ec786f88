package io.aura.cascade.sim;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

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
 * @param edgeP99LatencyMs p99 latency, as the caller sees it, of the attempts on the edge that ended
 *     in the window (answered, rejected, timed out or failed to connect; attempts refused at the caller
 *     by a breaker, isolation or rate limit are not counted), 0 if none ended; NaN if unknown
 * @param edgeBreakerOpen breaker state of the edge at the end of the window, in [0, 1]: 1 when an
 *     action of the SUT refuses every call on the edge (an open breaker on the edge, on all the
 *     caller's calls or all the callee's inbound calls, or isolation of either end), otherwise the
 *     fraction of the caller's per-instance client breakers (baseline B1) that are open or forced
 *     open, 0 without breakers; NaN if unknown
 * @param activeActions the SUT's own actions in force at the end of the window (the newest per
 *     target: a later action on the same agent, edge and type replaces an earlier one), in the
 *     SUT's ids, each with the milliseconds it has left
 */
public record TelemetrySnapshot(long timeSec, int[] arrivals, int[] successes, int[] errors, int[] rejected,
    int[] timeouts, int[] blocked, int[] downstream, double[] p50LatencyMs, double[] p95LatencyMs,
    double[] p99LatencyMs, int[] inFlight, int[] queueLength, double[] threadUtilisation, double[] cpuUtilisation,
    int[] healthyInstances, int[] edgeAttempts, int[] edgeFailures, double[] edgeP99LatencyMs,
    double[] edgeBreakerOpen, List<ActiveAction> activeActions) {

  /**
   * Checks the shapes the guards rely on: the per-edge arrays have one entry per edge of
   * {@code edgeAttempts}; {@code activeActions} is copied.
   */
  public TelemetrySnapshot {
    Objects.requireNonNull(edgeAttempts, "edgeAttempts");
    Objects.requireNonNull(edgeP99LatencyMs, "edgeP99LatencyMs");
    Objects.requireNonNull(edgeBreakerOpen, "edgeBreakerOpen");
    if (edgeP99LatencyMs.length != edgeAttempts.length || edgeBreakerOpen.length != edgeAttempts.length) {
      throw new IllegalArgumentException("per-edge arrays differ in length: attempts " + edgeAttempts.length
          + ", p99 latency " + edgeP99LatencyMs.length + ", breaker state " + edgeBreakerOpen.length);
    }
    activeActions = List.copyOf(activeActions);
  }

  /**
   * A snapshot without per-edge latency or breaker state (both NaN: unknown) and without active
   * actions, as a source that does not observe them (an API request's telemetry) reports it.
   */
  public TelemetrySnapshot(long timeSec, int[] arrivals, int[] successes, int[] errors, int[] rejected,
      int[] timeouts, int[] blocked, int[] downstream, double[] p50LatencyMs, double[] p95LatencyMs,
      double[] p99LatencyMs, int[] inFlight, int[] queueLength, double[] threadUtilisation, double[] cpuUtilisation,
      int[] healthyInstances, int[] edgeAttempts, int[] edgeFailures) {
    this(timeSec, arrivals, successes, errors, rejected, timeouts, blocked, downstream, p50LatencyMs, p95LatencyMs,
        p99LatencyMs, inFlight, queueLength, threadUtilisation, cpuUtilisation, healthyInstances, edgeAttempts,
        edgeFailures, unknown(edgeAttempts.length), unknown(edgeAttempts.length), List.of());
  }

  private static double[] unknown(int m) {
    double[] a = new double[m];
    Arrays.fill(a, Double.NaN);
    return a;
  }

  /**
   * One of the SUT's actions in force.
   *
   * @param action the action as the SUT issued it (its ids)
   * @param remainingMs milliseconds until it lapses (> 0)
   */
  public record ActiveAction(Action action, long remainingMs) {
    public ActiveAction {
      Objects.requireNonNull(action, "action");
      if (remainingMs <= 0) {
        throw new IllegalArgumentException("remainingMs must be > 0: " + remainingMs);
      }
    }
  }
}
