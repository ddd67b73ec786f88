package io.aura.cascade.sim;

import io.aura.cascade.random.SplitMix64;

import java.util.Arrays;

/**
 * The fault draws of spec section 4 that both simulators make ({@link Des} and {@link Fluid}): the
 * F-std member, the entry of a one-entry surge and the target agent. Each takes the episode's
 * {@code fault} stream, so two simulators that call these in the same order on the same seed draw
 * the same fault (kind, t_f, target): the pairing of spec 3 D3's DES-versus-fluid cross-validation.
 */
final class FaultDraw {
  private FaultDraw() {}

  /** The concrete fault: {@code f} itself, or for F-std a member drawn with F2 35%, F3 25%, F4 25%, F5 15%. */
  static FaultKind resolve(FaultKind f, SplitMix64 rng) {
    if (f != FaultKind.F_STD) {
      return f;
    }
    double u = rng.nextDouble();
    if (u < 0.35) {
      return FaultKind.F2_SLOW;
    } else if (u < 0.60) {
      return FaultKind.F3_CAPACITY;
    } else if (u < 0.85) {
      return FaultKind.F4_SURGE;
    }
    return FaultKind.F5_ERRORS;
  }

  /** The entry of a one-entry surge, uniformly among the agents with external traffic; −1 if none has any. */
  static int surgeEntry(SimTopology t, SplitMix64 rng) {
    int entries = 0;
    for (int i = 0; i < t.n; i++) {
      entries += t.entryRatePerSec[i] > 0 ? 1 : 0;
    }
    int k = entries <= 1 ? 0 : rng.nextInt(entries);
    for (int i = 0; i < t.n; i++) {
      if (t.entryRatePerSec[i] > 0 && k-- == 0) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The target agent of a single-target fault: F2 a random non-entry with in-degree ≥ 2 (any
   * non-entry if none), F3 the top decile of CPU load, F5 the top decile of load among leaves, F1 the
   * top-load agent under attack or any agent; one uniform draw among the candidates.
   */
  static int pickTarget(SimTopology t, FaultKind applied, FaultMagnitudes mag, SplitMix64 rng) {
    int n = t.n;
    int[] cand = new int[n];
    int c = 0;
    switch (applied) {
      case F2_SLOW -> {
        int[] indeg = new int[n];
        for (int e = 0; e < t.callee.length; e++) {
          indeg[t.callee[e]]++;
        }
        for (int i = 0; i < n; i++) {
          if (t.entryRatePerSec[i] == 0 && indeg[i] >= 2) {
            cand[c++] = i;
          }
        }
        if (c == 0) {
          for (int i = 0; i < n; i++) {
            if (t.entryRatePerSec[i] == 0) {
              cand[c++] = i;
            }
          }
        }
      }
      case F3_CAPACITY -> c = topDecile(t, cand, false);
      case F1_AGENT, F1_INSTANCE -> {
        if (mag.attack()) {
          int best = 0;
          for (int i = 1; i < n; i++) {
            if (t.designArrivalRatePerSec[i] * t.cpuDemandNs[i] > t.designArrivalRatePerSec[best] * t.cpuDemandNs[best]) {
              best = i;
            }
          }
          cand[c++] = best;
        } else {
          for (int i = 0; i < n; i++) {
            cand[c++] = i;
          }
        }
      }
      case F5_ERRORS -> c = topDecile(t, cand, true);
      default -> {
        for (int i = 0; i < n; i++) {
          cand[c++] = i;
        }
      }
    }
    if (c == 0) {
      for (int i = 0; i < n; i++) {
        cand[c++] = i;
      }
    }
    return cand[rng.nextInt(c)];
  }

  /** Agents in the top decile of design load (CPU load λ^d d, or λ^d among leaves); stable order. */
  private static int topDecile(SimTopology t, int[] out, boolean leavesOnly) {
    int n = t.n;
    int m = 0;
    Integer[] idx = new Integer[n];
    double[] load = new double[n];
    for (int i = 0; i < n; i++) {
      boolean leaf = t.edgeStart[i] == t.edgeStart[i + 1];
      if (!leavesOnly || leaf) {
        idx[m++] = i;
        load[i] = leavesOnly ? t.designArrivalRatePerSec[i] : t.designArrivalRatePerSec[i] * t.cpuDemandNs[i];
      }
    }
    Integer[] sorted = Arrays.copyOf(idx, m);
    Arrays.sort(sorted, (x, y) -> load[x] != load[y] ? Double.compare(load[y], load[x]) : Integer.compare(x, y));
    int k = Math.max(1, (int) Math.ceil(m / 10.0));
    for (int j = 0; j < Math.min(k, m); j++) {
      out[j] = sorted[j];
    }
    return Math.min(k, m);
  }
}
