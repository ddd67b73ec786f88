/**
 * The benchmark's single PRNG (SplitMix64) and its named, independent streams (CPB spec 1.1).
 * Everything random in the cascade engine draws from a {@link io.aura.cascade.random.SplitMix64}
 * handed out by {@link io.aura.cascade.random.Streams}, so runs replay bit for bit.
 */
package io.aura.cascade.random;
