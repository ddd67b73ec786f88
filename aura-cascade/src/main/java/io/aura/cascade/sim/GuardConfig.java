package io.aura.cascade.sim;

/**
 * Harness configuration a SUT is told about.
 *
 * @param controlPeriodMs Δc, 1000 ms
 * @param actuationDelayMs δ_act, 1000 ms by default (sweep 100–5000 ms)
 * @param maxActionDurationMs 600 000 ms
 * @param predictOnly true in the SUT-predict-only arm: {@code decide} is not called
 */
public record GuardConfig(long controlPeriodMs, long actuationDelayMs, long maxActionDurationMs, boolean predictOnly) {
  public static final long DEFAULT_ACTUATION_DELAY_MS = 1000;
  public static final long MAX_ACTION_DURATION_MS = 600_000;

  public GuardConfig {
    if (controlPeriodMs != 1000) {
      throw new IllegalArgumentException("controlPeriodMs must be 1000 (Δc = 1 s): " + controlPeriodMs);
    }
    if (actuationDelayMs < 0 || maxActionDurationMs <= 0) {
      throw new IllegalArgumentException("bad delays: actuationDelayMs=" + actuationDelayMs + " maxActionDurationMs=" + maxActionDurationMs);
    }
  }
}
