package io.aura.cascade.random;

import java.nio.charset.StandardCharsets;

/**
 * SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA
 * 2014), the single PRNG of the Cascade-Prevention Benchmark (spec section 1.1).
 *
 * <p>{@code next()}: {@code x += 0x9E3779B97F4A7C15; z = x; z = (z ^ (z >>> 30)) *
 * 0xBF58476D1CE4E5B9; z = (z ^ (z >>> 27)) * 0x94D049BB133111EB; return z ^ (z >>> 31)}.
 * {@link #nextDouble()} is {@code (next() >>> 11) * 2^-53} in [0, 1) and {@link #nextInt(int)} is
 * {@code (int) (nextDouble() * n)}, exactly as the Python reference of section 9 computes them, so
 * integer results agree across languages.
 *
 * <p>Not thread-safe: one instance per stream and thread.
 */
public final class SplitMix64 {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final long FNV64_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV64_PRIME = 0x100000001b3L;

    private long state;

    /** A generator whose state is the seed itself (no derivation). */
    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** The next 64 pseudo-random bits. */
    public long next() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1): {@code (next() >>> 11) * 0x1.0p-53}. */
    public double nextDouble() {
        return (next() >>> 11) * 0x1.0p-53;
    }

    /**
     * Uniform index in [0, n): {@code (int) (nextDouble() * n)}.
     *
     * @throws io.aura.cascade.CascadeInputException if {@code n <= 0}
     */
    public int nextInt(int n) {
        if (n <= 0) {
            throw new io.aura.cascade.CascadeInputException("nextInt bound must be positive, got " + n);
        }
        return (int) (nextDouble() * n);
    }

    /**
     * Standard normal draw by Box–Muller (uses two uniforms; the cosine branch only). StrictMath,
     * so that a seed replays bit for bit on any JVM and CPU.
     */
    public double nextGaussian() {
        double u1 = nextDouble();
        double u2 = nextDouble();
        // 1 - u1 is in (0, 1], so the logarithm is finite
        return StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    /** Uniform in [lo, hi): {@code lo + (hi - lo) * nextDouble()}. */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /** Exponential with the given mean: {@code -mean * ln(1 - U)} (StrictMath). */
    public double exponential(double mean) {
        return -mean * StrictMath.log1p(-nextDouble());
    }

    /**
     * 64-bit FNV-1a over the UTF-8 bytes of {@code s}: offset basis 0xcbf29ce484222325, prime
     * 0x100000001b3, {@code h = (h ^ byte) * prime} per byte (Fowler, Noll, Vo).
     */
    public static long fnv1a64(String s) {
        long h = FNV64_OFFSET_BASIS;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= FNV64_PRIME;
        }
        return h;
    }
}
