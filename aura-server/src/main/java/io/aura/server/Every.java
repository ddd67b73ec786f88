package io.aura.server;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * At most one of something per period, e.g. one warning a minute while a dependency is down (the
 * Redis cache, the knowledge graph's Neo4j, the interventions' database reload). Thread-safe.
 */
final class Every {

    private final long periodMillis;
    private final LongSupplier millis;
    private final AtomicLong last = new AtomicLong(Long.MIN_VALUE / 2);

    /** @param millis the clock, in milliseconds (tests give their own) */
    Every(long periodMillis, LongSupplier millis) {
        this.periodMillis = periodMillis;
        this.millis = millis;
    }

    /** True once per period: the first call, then the first call a period after the last true. */
    boolean due() {
        long now = millis.getAsLong();
        long l = last.get();
        return now - l >= periodMillis && last.compareAndSet(l, now);
    }
}
