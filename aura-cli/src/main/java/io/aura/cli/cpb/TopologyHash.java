package io.aura.cli.cpb;

import io.aura.cascade.sim.SimTopology;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a provisioned {@link SimTopology} as its public accessors expose it: agent count,
 * per agent (instances, cores per instance, threads, queue capacity, CPU demand, intrinsic error,
 * entry rate), per edge (caller, callee, π, multiplicity, timeout, max attempts, retry wait), all
 * big-endian in id order. Two runs that simulate the same topology record the same hash.
 */
final class TopologyHash {
    private TopologyHash() {
    }

    static String of(SimTopology t) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        ByteBuffer b = ByteBuffer.allocate(64);
        b.putInt(t.agentCount()).putInt(t.edgeCount());
        flush(sha, b);
        for (int i = 0; i < t.agentCount(); i++) {
            b.putInt(t.instances(i)).putDouble(t.coresPerInstance(i)).putInt(t.threadsPerInstance(i))
                    .putInt(t.queueCapacity(i)).putLong(t.cpuDemandNs(i)).putDouble(t.intrinsicError(i))
                    .putDouble(t.entryRatePerSec(i));
            flush(sha, b);
        }
        for (int e = 0; e < t.edgeCount(); e++) {
            b.putInt(t.caller(e)).putInt(t.callee(e)).putDouble(t.invokeProbability(e)).putInt(t.multiplicity(e))
                    .putLong(t.timeoutNs(e)).putInt(t.maxAttempts(e)).putLong(t.retryWaitNs(e));
            flush(sha, b);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void flush(MessageDigest sha, ByteBuffer b) {
        sha.update(b.array(), 0, b.position());
        b.clear();
    }
}
