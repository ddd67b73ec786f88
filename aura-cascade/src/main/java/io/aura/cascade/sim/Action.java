package io.aura.cascade.sim;

/**
 * A prevention action (spec 1.3). Durations are in milliseconds and clipped by the harness to the
 * maximum action duration (600 s); they start when the action takes effect (after δ_act).
 */
public sealed interface Action permits Action.OpenBreaker, Action.Isolate, Action.Shed, Action.RateLimit {
  long durationMs();

  /**
   * Opens a breaker: with {@code incoming == false}, calls from {@code caller} to {@code callee}
   * ({@code callee == -1}: to all its callees) fail immediately at the caller; with
   * {@code incoming == true}, all calls into agent {@code caller} fail immediately at their callers
   * ({@code callee} is then ignored). Rejected calls are still retried by the caller's Retry.
   */
  record OpenBreaker(int caller, int callee, boolean incoming, long durationMs) implements Action {
    public OpenBreaker {
      check(caller, durationMs);
      if (callee < -1) {
        throw new IllegalArgumentException("callee must be >= -1: " + callee);
      }
    }
  }

  /** All calls into and out of {@code agent}, and its entry traffic, are rejected. */
  record Isolate(int agent, long durationMs) implements Action {
    public Isolate {
      check(agent, durationMs);
    }
  }

  /** A fraction of inbound requests (calls and entry traffic) of {@code agent} is rejected. */
  record Shed(int agent, double fraction, long durationMs) implements Action {
    public Shed {
      check(agent, durationMs);
      if (!(fraction >= 0 && fraction <= 1)) {
        throw new IllegalArgumentException("fraction must be in [0,1]: " + fraction);
      }
    }
  }

  /**
   * Token bucket (burst = max(1, rps) tokens): on inbound requests of {@code agent} if
   * {@code callee == -1}, otherwise on calls from {@code agent} to {@code callee}.
   */
  record RateLimit(int agent, int callee, double rps, long durationMs) implements Action {
    public RateLimit {
      check(agent, durationMs);
      if (callee < -1 || !(rps >= 0) || Double.isInfinite(rps)) {
        throw new IllegalArgumentException("bad RateLimit: callee=" + callee + " rps=" + rps);
      }
    }
  }

  private static void check(int agent, long durationMs) {
    if (agent < 0) {
      throw new IllegalArgumentException("agent must be >= 0: " + agent);
    }
    if (durationMs <= 0) {
      throw new IllegalArgumentException("durationMs must be > 0: " + durationMs);
    }
  }
}
