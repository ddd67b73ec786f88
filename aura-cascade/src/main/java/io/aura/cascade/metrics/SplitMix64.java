package io.aura.cascade.metrics;

/**
 * SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014),
 * exactly as in CPB spec 1.1. Private to the metrics package (bootstrap resampling); the shared
 * generator lives elsewhere and the two will be unified.
 */
final class SplitMix64 {
  private long x;

  SplitMix64(long seed) {
    this.x = seed;
  }

  long next() {
    x += 0x9E3779B97F4A7C15L;
    long z = x;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform double in [0, 1): {@code (next() >>> 11) * 2^-53}. */
  double nextDouble() {
    return (next() >>> 11) * 0x1.0p-53;
  }

  /** Index in [0, n): {@code (int) (u * n)}, as in the spec. */
  int nextIndex(int n) {
    return (int) (nextDouble() * n);
  }
}
