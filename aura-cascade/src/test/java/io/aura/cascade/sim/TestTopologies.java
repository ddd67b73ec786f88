package io.aura.cascade.sim;

import io.aura.cascade.random.SplitMix64;

/** Topologies for DES tests and the speed benchmark. */
final class TestTopologies {
  static final long MS = 1_000_000L;

  private TestTopologies() {}

  /**
   * Random tree-like DAG: agents {@code 0..entries-1} are entries (rate {@code entryRate} each); every
   * other agent j gets a caller uniform in [0, j) (a random recursive tree) and, with probability
   * 0.2, a second caller. π ~ U(0.3, 1), m = 1. CPU demand is set from the design rate so that an
   * agent needs U(0.8, 3) cores: {@code d_i = clamp(cores/λ^d_i, 0.5 ms, 50 ms)} (agents with very
   * little traffic get the 50 ms cap and run far below nominal ρ). Provisioned with α.
   */
  static SimTopology randomDag(int n, int entries, double entryRate, double alpha, long seed) {
    SplitMix64 rng = io.aura.cascade.random.Streams.stream(seed, "graph");
    SimTopology.Builder b = SimTopology.builder(n);
    for (int j = 0; j < n; j++) {
      long d = Math.max(100_000L, Math.round(2 * MS * Math.exp(0.5 * rng.nextGaussian())));
      b.agent(j, d, 0.0, j < entries ? entryRate : 0.0);
    }
    for (int j = entries; j < n; j++) {
      int p1 = rng.nextInt(j);
      b.call(p1, j, rng.uniform(0.3, 1.0), 1);
      if (rng.nextDouble() < 0.2) {
        int p2 = rng.nextInt(j);
        if (p2 != p1) {
          b.call(p2, j, rng.uniform(0.3, 1.0), 1);
        }
      }
    }
    SimTopology first = b.buildProvisioned(alpha, seed);
    for (int j = 0; j < n; j++) {
      double cores = rng.uniform(0.8, 3.0);
      double dNs = cores / Math.max(1e-9, first.designArrivalRatePerSec(j)) * 1e9;
      long d = Math.round(Math.min(50 * MS, Math.max(MS / 2, dNs)));
      b.agent(j, d, 0.0, j < entries ? entryRate : 0.0);
    }
    return b.buildProvisioned(alpha, seed);
  }

  /** Three tiers: entry 0 -> {1, 2}, 1 -> 3, 2 -> 3 (a shared leaf), provisioned with α = 0.2. */
  static SimTopology diamond(double entryRate) {
    return SimTopology.builder(4)
        .agent(0, 2 * MS, 0.0, entryRate).agent(1, 3 * MS, 0.0, 0).agent(2, 3 * MS, 0.0, 0).agent(3, 4 * MS, 0.001, 0)
        .call(0, 1, 1.0, 1).call(0, 2, 0.8, 1).call(1, 3, 1.0, 1).call(2, 3, 1.0, 2)
        .buildProvisioned(0.2, 11);
  }
}
