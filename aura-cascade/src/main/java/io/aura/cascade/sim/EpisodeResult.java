package io.aura.cascade.sim;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Outcome of one episode (spec section 6).
 *
 * @param faultApplied the concrete fault (F_STD resolved to one of its members)
 * @param faultTimeSec t_f (seconds, fractional); for NONE the start of the metric window, drawn the same way
 * @param faultedAgents F0, the directly faulted agents (empty for F4, F8 and NONE, and when the
 *     fault's only target was the immune agent of {@link Episode#runImmune})
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
 * @param riskBySecond the guard's {@code risk} (primary horizon) returned by each {@code predict} call,
 *     one per 1-s control tick: index k is the call at simulated second k + 1 (the first tick is at
 *     1 s), length T. Empty when not recorded (see {@link #withoutGuardTrace()})
 * @param predictNanos wall time (ns, {@code System.nanoTime}) of each {@code predict} call, in call
 *     order. A harness-side measurement: not part of {@code traceSha256}, differs between runs
 * @param entryLostToProtection of {@code entryOffered}, the entry requests that did not succeed and in
 *     whose call tree the arm's protection refused a call (the guard's actions; a baseline's breaker,
 *     bulkhead, admission, throttle or retry budget): the loss charged directly to the protection
 *     (spec T4). It counts a request whose refused call was retried with success and that was lost for
 *     another reason later, and it does not count the requests a refusal loses indirectly (callers'
 *     threads held through the refused calls' retry waits, so that later requests find the queue
 *     full); the net effect against no protection is ΔA. −1 where not tracked (D3-fluid). Not part of
 *     {@code traceSha256}
 */
public record EpisodeResult(FaultKind faultApplied, double faultTimeSec, int[] faultedAgents, double cascadeSize,
    double cascadePeak, double failedFractionSeconds, double availability, OptionalDouble onset5Sec, OptionalDouble onset10Sec,
    OptionalDouble onset25Sec, long entryOffered, long entrySucceeded, double meanEntryLatencyMs, long events,
    long requests, long crashes, List<AppliedAction> actionsApplied, String traceSha256, double[] riskBySecond,
    long[] predictNanos, long entryLostToProtection) {
  public EpisodeResult {
    faultedAgents = faultedAgents.clone();
    actionsApplied = List.copyOf(actionsApplied);
    riskBySecond = riskBySecond.clone();
    predictNanos = predictNanos.clone();
  }

  /**
   * This result without the per-second risk and predict timings (for arms whose guard is not a SUT,
   * e.g. B0's {@link CascadeGuard#none()}, so that long runs do not keep them in memory).
   *
   * @return a copy with empty {@code riskBySecond} and {@code predictNanos}
   */
  public EpisodeResult withoutGuardTrace() {
    return new EpisodeResult(faultApplied, faultTimeSec, faultedAgents, cascadeSize, cascadePeak, failedFractionSeconds,
        availability, onset5Sec, onset10Sec, onset25Sec, entryOffered, entrySucceeded, meanEntryLatencyMs, events,
        requests, crashes, actionsApplied, traceSha256, new double[0], new long[0], entryLostToProtection);
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

  @Override
  public double[] riskBySecond() {
    return riskBySecond.clone();
  }

  @Override
  public long[] predictNanos() {
    return predictNanos.clone();
  }
}
