package io.aura.cascade.sim;

/**
 * SplitMix64 (Steele, Lea and Flood, OOPSLA 2014), the one PRNG of CPB (spec section 1.1).
 *
 * <p>{@code next()}: {@code x += 0x9E3779B97F4A7C15; z = x; z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9;
 * z = (z ^ (z >>> 27)) * 0x94D049BB133111EB; return z ^ (z >>> 31)}. Uniform doubles are
 * {@code (next() >>> 11) * 0x1.0p-53}. Named streams: {@code streamSeed(master, name) =
 * SplitMix64(master ^ fnv1a64(name)).next()}.
 *
 * <p>Package-private copy for the DES; the lead will unify it with {@code io.aura.cascade.random}.
 * Not thread-safe: one instance per stream per episode.
 */
final class SplitMix64 {
  private long x;

  SplitMix64(long seed) {
    this.x = seed;
  }

  /** Generator for the named stream {@code name} of episode seed {@code master}. */
  static SplitMix64 stream(long master, String name) {
    return new SplitMix64(streamSeed(master, name));
  }

  static long streamSeed(long master, String name) {
    return new SplitMix64(master ^ fnv1a64(name)).next();
  }

  /** FNV-1a 64-bit over the UTF-8 bytes of {@code s}. */
  static long fnv1a64(String s) {
    long h = 0xcbf29ce484222325L;
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (byte v : b) {
      h ^= (v & 0xff);
      h *= 0x100000001b3L;
    }
    return h;
  }

  long next() {
    x += 0x9E3779B97F4A7C15L;
    long z = x;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in [0, 1). */
  double nextDouble() {
    return (next() >>> 11) * 0x1.0p-53;
  }

  /** Uniform index in [0, n). */
  int nextInt(int n) {
    return (int) (nextDouble() * n);
  }

  /** Uniform in [lo, hi). */
  double uniform(double lo, double hi) {
    return lo + (hi - lo) * nextDouble();
  }

  /** Exponential with the given mean: {@code -mean * ln(1 - U)}. */
  double exponential(double mean) {
    return -mean * StrictMath.log1p(-nextDouble());
  }

  /** Standard normal by Box–Muller (one value per two uniforms; no cached spare, for simplicity of replay). */
  double normal() {
    double u1 = 1.0 - nextDouble();
    double u2 = nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
  }
}
