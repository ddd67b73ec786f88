package io.aura.cascade.sim;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The SUT's actions in force, newest per target (a later action with the same {@link #key} replaces
 * the earlier one's effect), as the snapshots report them ({@link TelemetrySnapshot#activeActions()}).
 * Shared by the DES and D3-fluid; times are simulated nanoseconds.
 */
final class ActiveActions {
  private final LinkedHashMap<String, Until> active = new LinkedHashMap<>();

  /** An applied action and the simulated time its effect ends. */
  private record Until(Action action, long untilNs) {
  }

  /** Records {@code act}, in force until {@code untilNs}. */
  void put(Action act, long untilNs) {
    active.put(key(act), new Until(act, untilNs));
  }

  /** The actions still in force at {@code nowNs}, each with the milliseconds it has left (rounded up); drops the lapsed ones. */
  List<TelemetrySnapshot.ActiveAction> at(long nowNs) {
    if (active.isEmpty()) {
      return List.of();
    }
    List<TelemetrySnapshot.ActiveAction> out = new ArrayList<>(active.size());
    for (Iterator<Until> it = active.values().iterator(); it.hasNext(); ) {
      Until u = it.next();
      long left = u.untilNs() - nowNs;
      if (left <= 0) {
        it.remove();
      } else {
        out.add(new TelemetrySnapshot.ActiveAction(u.action(), (left + 999_999) / 1_000_000));
      }
    }
    return out;
  }

  /** The target an action acts on. */
  static String key(Action act) {
    return switch (act) {
      case Action.OpenBreaker ob -> ob.incoming() ? "breaker-in/" + ob.caller() : "breaker/" + ob.caller() + "/" + ob.callee();
      case Action.Isolate iso -> "isolate/" + iso.agent();
      case Action.Shed sh -> "shed/" + sh.agent();
      case Action.RateLimit rl -> "rate-limit/" + rl.agent() + "/" + rl.callee();
    };
  }
}
