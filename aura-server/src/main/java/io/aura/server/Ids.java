package io.aura.server;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The server's UUIDs (RFC 9562), from ThreadLocalRandom: they name records and correlate log lines
 * and are no secret, so they need not pay for {@link UUID#randomUUID()}'s SecureRandom on every request.
 */
final class Ids {

    private Ids() {
    }

    /**
     * Version 7: 48 bits of Unix milliseconds, then 74 random bits. Ids that grow with time append to
     * the end of the primary-key index instead of landing on random pages, which is what each group
     * commit would otherwise rewrite (embedded H2's copy-on-write pages).
     */
    static String timeOrdered() {
        long msb = (System.currentTimeMillis() << 16) | 0x7000L | (ThreadLocalRandom.current().nextLong() & 0x0fffL);
        return withRandomLowBits(msb);
    }

    /** Version 4: 122 random bits (a request that brought no usable X-Request-Id). */
    static String random() {
        long msb = (ThreadLocalRandom.current().nextLong() & ~0xf000L) | 0x4000L;
        return withRandomLowBits(msb);
    }

    /** The UUID of these high 64 bits and 62 random low bits under the RFC variant (binary 10). */
    private static String withRandomLowBits(long msb) {
        long lsb = (ThreadLocalRandom.current().nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
