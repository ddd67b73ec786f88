package io.aura.cascade.random;

import java.util.Objects;

/**
 * Independent named random streams derived from one master seed (spec section 1.1):
 * {@code streamSeed(master, name) = SplitMix64(master ^ fnv1a64(name)).next()}. One stream per
 * concern ({@link #GRAPH}, {@code traffic/<entry>}, {@code service/<agent>}, {@link #FAULT}, ...)
 * gives common random numbers across the arms of an episode.
 *
 * <p>Immutable and thread-safe; each call to {@link #stream(String)} returns a fresh generator
 * positioned at the start of that stream.
 */
public final class Streams {
    /** The stream every graph generator draws from. */
    public static final String GRAPH = "graph";
    /** The fault-schedule stream. */
    public static final String FAULT = "fault";
    /** The telemetry-noise stream. */
    public static final String TELEMETRY_NOISE = "telemetry-noise";

    private final long masterSeed;

    /** Streams for one master seed. */
    public Streams(long masterSeed) {
        this.masterSeed = masterSeed;
    }

    /** The master seed. */
    public long masterSeed() {
        return masterSeed;
    }

    /** The seed of stream {@code name}: {@code new SplitMix64(master ^ fnv1a64(name)).next()}. */
    public static long streamSeed(long masterSeed, String name) {
        Objects.requireNonNull(name, "name");
        return new SplitMix64(masterSeed ^ SplitMix64.fnv1a64(name)).next();
    }

    /** The generator of stream {@code name} of {@code masterSeed}: SplitMix64(streamSeed(master, name)). */
    public static SplitMix64 stream(long masterSeed, String name) {
        return new SplitMix64(streamSeed(masterSeed, name));
    }

    /** A fresh generator for stream {@code name}, seeded with {@link #streamSeed(long, String)}. */
    public SplitMix64 stream(String name) {
        return new SplitMix64(streamSeed(masterSeed, name));
    }

    /** The {@value #GRAPH} stream. */
    public SplitMix64 graph() {
        return stream(GRAPH);
    }

    /** The {@code traffic/<entry>} stream. */
    public SplitMix64 traffic(String entry) {
        return stream("traffic/" + entry);
    }

    /** The {@code service/<agent>} stream. */
    public SplitMix64 service(String agent) {
        return stream("service/" + agent);
    }

    /** The {@code lb/<agent>} stream. */
    public SplitMix64 loadBalancer(String agent) {
        return stream("lb/" + agent);
    }

    /** The {@code retry-jitter/<agent>} stream. */
    public SplitMix64 retryJitter(String agent) {
        return stream("retry-jitter/" + agent);
    }
}
