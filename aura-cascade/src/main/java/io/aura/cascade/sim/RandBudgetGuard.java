package io.aura.cascade.sim;

import io.aura.cascade.random.SplitMix64;
import io.aura.cascade.random.Streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The RAND-budget control arm (CPB spec 1.2 and 5): the same number of actions, of the same types
 * and durations (and the same shed fraction or rate limit), as a SUT applied in its episode, but on
 * uniformly random agents or edges at uniformly random times in [t_f − 60 s, t_f + 300 s]. It
 * separates "targeting" from "intervening a lot".
 *
 * <p>Targets are drawn from the {@link StaticTopology} the guard is given (the guard's ids, with the
 * realistic view's perturbed edge list): an agent uniformly in [0, n) for {@link Action.Isolate},
 * {@link Action.Shed}, inbound {@link Action.RateLimit} and agent-wide {@link Action.OpenBreaker}
 * (incoming, or callee −1); an edge uniformly among the static edges for per-edge breakers and rate
 * limits (with no edges, an agent-wide outgoing breaker or an inbound rate limit on a random agent).
 *
 * <p>Times: for each action in order, a take-effect time T ~ U[t_f − 60 s, t_f + 300 s] is drawn,
 * then its target. The action is returned by {@link #decide} at the first control tick s (whole
 * seconds, s ≥ 1) with s + δ_act ≥ T, so it takes effect within one control period after T. All
 * draws come from the named stream {@code rand-budget} of the episode seed, so the arm's other
 * streams stay common with every other arm. {@link #predict} returns risk 0.
 */
public final class RandBudgetGuard implements CascadeGuard {
  /** Start of the window relative to t_f, seconds. */
  public static final double WINDOW_BEFORE_SEC = 60;
  /** End of the window relative to t_f, seconds. */
  public static final double WINDOW_AFTER_SEC = 300;

  private final List<Action> budget;
  private final double faultTimeSec;
  private final long seed;
  private long[] tickSec = new long[0];
  private Action[] planned = new Action[0];
  private int next;

  /**
   * Creates the control for one episode.
   *
   * @param sutActions the actions the SUT applied in its episode (their order, types, durations
   *     and parameters are kept; their times and targets are not)
   * @param faultTimeSec t_f of the episode, in seconds
   * @param seed the episode seed (the arm's master seed)
   */
  public RandBudgetGuard(List<EpisodeResult.AppliedAction> sutActions, double faultTimeSec, long seed) {
    Objects.requireNonNull(sutActions, "sutActions");
    if (!Double.isFinite(faultTimeSec) || faultTimeSec < 0) {
      throw new IllegalArgumentException("faultTimeSec must be finite and >= 0: " + faultTimeSec);
    }
    List<Action> acts = new ArrayList<>(sutActions.size());
    for (EpisodeResult.AppliedAction a : sutActions) {
      acts.add(Objects.requireNonNull(a, "sutActions contains null").action());
    }
    this.budget = List.copyOf(acts);
    this.faultTimeSec = faultTimeSec;
    this.seed = seed;
  }

  /**
   * The control for the SUT episode {@code sut} run on the same seed.
   *
   * @param sut the SUT's episode result (its applied actions and t_f)
   * @param seed the episode seed
   * @return the guard
   */
  public static RandBudgetGuard of(EpisodeResult sut, long seed) {
    return new RandBudgetGuard(sut.actionsApplied(), sut.faultTimeSec(), seed);
  }

  @Override
  public void init(StaticTopology staticTopology, GuardConfig cfg) {
    Objects.requireNonNull(staticTopology, "staticTopology");
    SplitMix64 rng = Streams.stream(seed, "rand-budget");
    int m = budget.size();
    double[] effect = new double[m];
    Action[] acts = new Action[m];
    for (int i = 0; i < m; i++) {
      effect[i] = rng.uniform(faultTimeSec - WINDOW_BEFORE_SEC, faultTimeSec + WINDOW_AFTER_SEC);
      acts[i] = retarget(budget.get(i), staticTopology, rng);
    }
    // stable sort by tick: actions due at the same tick keep the SUT's order
    Integer[] order = new Integer[m];
    long[] ticks = new long[m];
    double delaySec = cfg.actuationDelayMs() / 1000.0;
    for (int i = 0; i < m; i++) {
      order[i] = i;
      ticks[i] = Math.max(1, (long) Math.ceil(effect[i] - delaySec - 1e-9));
    }
    java.util.Arrays.sort(order, (x, y) -> ticks[x] != ticks[y] ? Long.compare(ticks[x], ticks[y]) : Integer.compare(x, y));
    tickSec = new long[m];
    planned = new Action[m];
    for (int j = 0; j < m; j++) {
      tickSec[j] = ticks[order[j]];
      planned[j] = acts[order[j]];
    }
    next = 0;
  }

  private static Action retarget(Action a, StaticTopology st, SplitMix64 rng) {
    int n = st.agentCount();
    int edges = st.edgeCount();
    return switch (a) {
      case Action.Isolate iso -> new Action.Isolate(rng.nextInt(n), iso.durationMs());
      case Action.Shed sh -> new Action.Shed(rng.nextInt(n), sh.fraction(), sh.durationMs());
      case Action.OpenBreaker ob -> {
        if (ob.incoming()) {
          yield new Action.OpenBreaker(rng.nextInt(n), -1, true, ob.durationMs());
        } else if (ob.callee() < 0 || edges == 0) {
          yield new Action.OpenBreaker(rng.nextInt(n), -1, false, ob.durationMs());
        }
        int e = rng.nextInt(edges);
        yield new Action.OpenBreaker(st.caller(e), st.callee(e), false, ob.durationMs());
      }
      case Action.RateLimit rl -> {
        if (rl.callee() < 0 || edges == 0) {
          yield new Action.RateLimit(rng.nextInt(n), -1, rl.rps(), rl.durationMs());
        }
        int e = rng.nextInt(edges);
        yield new Action.RateLimit(st.caller(e), st.callee(e), rl.rps(), rl.durationMs());
      }
    };
  }

  @Override
  public Prediction predict(TelemetrySnapshot s) {
    return Prediction.of(0.0);
  }

  @Override
  public List<Action> decide(TelemetrySnapshot s, Prediction p) {
    if (next >= planned.length || tickSec[next] > s.timeSec()) {
      return List.of();
    }
    List<Action> out = new ArrayList<>();
    while (next < planned.length && tickSec[next] <= s.timeSec()) {
      out.add(planned[next++]);
    }
    return out;
  }

  /**
   * The planned actions with the control tick (s) at which each is returned, in tick order; valid
   * after {@link #init}.
   *
   * @return (tick in ns, action) pairs; the action takes effect δ_act later
   */
  public List<EpisodeResult.AppliedAction> plan() {
    List<EpisodeResult.AppliedAction> out = new ArrayList<>(planned.length);
    for (int j = 0; j < planned.length; j++) {
      out.add(new EpisodeResult.AppliedAction(tickSec[j] * 1_000_000_000L, planned[j]));
    }
    return out;
  }
}
