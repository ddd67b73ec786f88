package io.aura.cascade.sim;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Outcome of one episode (spec section 6).
 *
 * @param faultApplied the concrete fault (F_STD resolved to one of its members)
 * @param faultTimeSec t_f (seconds, fractional); for NONE the start of the metric window, drawn the same way
 * @param faultedAgents F0, the directly faulted agents (empty for F4, F8 and NONE)
 * @param cascadeSize S = S_cum(T): fraction of agents ∉ F0 FAILED at some 1-s tick in [t_f, T]
 * @param cascadePeak S_peak: maximum instantaneous FAILED fraction of agents ∉ F0 after t_f
 * @param failedFractionSeconds U: the time-integrated FAILED fraction of agents ∉ F0 over [t_f, T], the
 *     instantaneous fraction summed over the 1-s ticks (fraction × seconds; divide by T − t_f for the mean)
 * @param availability successful / offered entry requests arriving in [t_f, T] (in flight at T counts as unsuccessful)
 * @param onset5Sec t_on(5%), absent if never reached
 * @param onset10Sec t_on(10%)
 * @param onset25Sec t_on(25%)
 * @param entryOffered entry requests offered in [t_f, T]
 * @param entrySucceeded those of them that succeeded
 * @param meanEntryLatencyMs mean latency of successful entry requests after warm-up
 * @param events events processed by the DES
 * @param requests requests (per-agent visits) created
 * @param crashes instance crashes by the crash rule
 * @param actionsApplied the guard's actions that took effect, in the order they did, each with the
 *     simulated time it took effect (after δ_act); ids are the guard's (visible) ids
 * @param traceSha256 SHA-256 (hex) over the per-step snapshot values
 */
public record EpisodeResult(FaultKind faultApplied, double faultTimeSec, int[] faultedAgents, double cascadeSize,
    double cascadePeak, double failedFractionSeconds, double availability, OptionalDouble onset5Sec, OptionalDouble onset10Sec,
    OptionalDouble onset25Sec, long entryOffered, long entrySucceeded, double meanEntryLatencyMs, long events,
    long requests, long crashes, List<AppliedAction> actionsApplied, String traceSha256) {
  public EpisodeResult {
    faultedAgents = faultedAgents.clone();
    actionsApplied = List.copyOf(actionsApplied);
  }

  /**
   * Number of guard actions that took effect.
   *
   * @return {@code actionsApplied().size()}
   */
  public int actionCount() {
    return actionsApplied.size();
  }

  /**
   * One guard action as it took effect.
   *
   * @param timeNs simulated time (ns) at which it took effect
   * @param action the action as the guard returned it (duration unclipped)
   */
  public record AppliedAction(long timeNs, Action action) {
    public AppliedAction {
      Objects.requireNonNull(action, "action");
      if (timeNs < 0) {
        throw new IllegalArgumentException("timeNs must be >= 0: " + timeNs);
      }
    }
  }

  @Override
  public int[] faultedAgents() {
    return faultedAgents.clone();
  }
}
