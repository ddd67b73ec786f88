package io.aura.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The whole cluster's bus counters, for the prediction loop of every replica: the sum of each
 * replica's cumulative counters per agent and per call edge, and each agent's newest report.
 *
 * <p>Exact, not estimated: a replica counts only what its own agents send (the caller's replica
 * counts a call, its refusal, the callee's arrival and the edge, also when it hands the message to
 * the callee's replica), so every event is counted on exactly one replica and the sums are the
 * cluster's totals. An agent's report arrives on its own connection, so one replica holds it; it
 * travels with its age, since the replicas' {@link System#nanoTime()} clocks are unrelated. A
 * replica that does not answer within the timeout is left out of that tick; when a replica leaves,
 * its counts leave the sums, and the loop's rates for that one tick clamp at zero.
 *
 * <p>Traffic linear in the replica count: only the leader (the oldest member) gathers every other
 * replica's counters; each other replica asks the leader for its newest merged counters
 * ({@link #merged}), one tick old at most, and gathers from everyone itself only when the leader has
 * none to give or does not answer (while leadership moves).
 *
 * <p>Used by the prediction loop's single thread, except {@link #merged} and {@link #snapshot}, which
 * run on any thread.
 */
final class ClusterCounters {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClusterCounters.class);

    private final Supplier<byte[]> local;
    private final Supplier<byte[]> fromLeader;
    private final Supplier<Map<String, byte[]>> peers;
    /** The merged counters of this replica's newest gathering, for the others; null when it did not gather. */
    private volatile byte[] merged;
    /** Numbers this replica's merged snapshots. */
    private long sequence;
    /** The sequence of the leader's merged counters used last (-1: none). */
    private long lastLeaderSequence = -1;
    /** Each other replica's last snapshot that decoded, by member id. */
    private Map<String, Received> lastPeer = new HashMap<>();
    private final LongSupplier nanoTime;
    private final int maxAgents;
    private final Map<String, Bus.AgentCounters> agents = new HashMap<>();
    private final Map<String, Bus.Edge> edges = new HashMap<>();

    /**
     * @param local this replica's {@link #snapshot}
     * @param fromLeader the leader's {@link #merged} counters; null when this replica is the leader, or
     *     the leader has none or does not answer
     * @param peers every other replica's {@link #snapshot} by member id (null for one that did not answer), asked for
     *     in a {@link #refresh} without the leader's
     * @param nanoTime the clock the snapshots' report ages are turned back into times on
     * @param maxAgents most agents and most edges kept (the bus's own bound)
     */
    ClusterCounters(Supplier<byte[]> local, Supplier<byte[]> fromLeader, Supplier<Map<String, byte[]>> peers, LongSupplier nanoTime,
            int maxAgents) {
        this.local = local;
        this.fromLeader = fromLeader;
        this.peers = peers;
        this.nanoTime = nanoTime;
        this.maxAgents = maxAgents;
    }

    /**
     * A replica's counters: every agent's four counters and report (with its age), every edge that
     * carried a call; nothing for a null bus (a member still starting).
     */
    static byte[] snapshot(Bus bus, long nowNanos) {
        return bus == null ? snapshot(List.of(), List.of(), nowNanos) : snapshot(bus.agentCounters(), bus.edges(), nowNanos);
    }

    /** {@link #snapshot(Bus, long)} of given counters. */
    static byte[] snapshot(Collection<Bus.AgentCounters> agentCounters, Collection<Bus.Edge> edgeCounters, long nowNanos) {
        return snapshot(agentCounters, edgeCounters, nowNanos, 0);
    }

    /** Starts every snapshot, so that a replica of another version is skipped, not misread. */
    static final int MAGIC = 0x41555243; // "AURC"
    static final int VERSION = 1;

    /** A snapshot numbered {@code sequence} (the leader's merged counters: its refresh count; 0 otherwise). */
    static byte[] snapshot(Collection<Bus.AgentCounters> agentCounters, Collection<Bus.Edge> edgeCounters, long nowNanos, long sequence) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(sequence);
            List<Bus.AgentCounters> list = List.copyOf(agentCounters);
            out.writeInt(list.size());
            for (Bus.AgentCounters c : list) {
                out.writeUTF(c.id);
                out.writeLong(c.callsIn.sum());
                out.writeLong(c.rejectedIn.sum());
                out.writeLong(c.errorsOut.sum());
                out.writeLong(c.blockedOut.sum());
                AgentReport r = c.report;
                out.writeBoolean(r != null);
                if (r != null) {
                    out.writeLong(Math.max(0, nowNanos - r.receivedNanos()));
                    out.writeDouble(r.cpuUtilisation());
                    out.writeDouble(r.threadUtilisation());
                    out.writeInt(r.queueLength());
                    out.writeInt(r.inFlight());
                    out.writeDouble(r.p50LatencyMs());
                    out.writeDouble(r.p95LatencyMs());
                    out.writeDouble(r.p99LatencyMs());
                    out.writeInt(r.healthyInstances());
                }
            }
            List<Bus.Edge> es = List.copyOf(edgeCounters);
            int carried = 0;
            long[][] counts = new long[es.size()][];
            for (int i = 0; i < es.size(); i++) {
                counts[i] = es.get(i).callCounts();
                if (counts[i][0] > 0) {
                    carried++;
                }
            }
            out.writeInt(carried);
            for (int i = 0; i < es.size(); i++) {
                if (counts[i][0] > 0) {
                    out.writeUTF(es.get(i).from);
                    out.writeUTF(es.get(i).to);
                    out.writeLong(counts[i][0]);
                    out.writeLong(counts[i][1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** A decoded snapshot. */
    private record Parsed(long sequence, Map<String, long[]> agents, Map<String, AgentReport> reports, Map<String, long[]> edges) {
    }

    /** Another replica's newest snapshot that decoded, and when it arrived. */
    private record Received(Parsed parsed, long atNanos) {
    }

    /**
     * Sets the merged counters to the cluster's current totals: the leader's merged counters, or this
     * replica's own plus every other replica's. A replica that misses the deadline or sends a snapshot
     * that does not decode counts with its last good one (so its counts hold still, rather than leave
     * the sums and come back as one tick's burst); one that left the cluster is forgotten.
     *
     * @return false when the leader's merged counters are the ones of the previous refresh (the leader
     *     has not ticked since): nothing new, and the caller should not sample
     */
    boolean refresh() {
        long now = nanoTime.getAsLong();
        Map<String, long[]> agentSums = new HashMap<>();
        Map<String, AgentReport> reports = new HashMap<>();
        Map<String, long[]> edgeSums = new HashMap<>();
        byte[] leaders = fromLeader.get();
        Parsed fromLeaderParsed = leaders == null ? null : parse(leaders, now, "the leader");
        if (fromLeaderParsed != null) {
            if (fromLeaderParsed.sequence() == lastLeaderSequence) {
                return false;
            }
            lastLeaderSequence = fromLeaderParsed.sequence();
            merge(fromLeaderParsed, agentSums, reports, edgeSums);
        } else {
            lastLeaderSequence = -1;
            Parsed own = parse(local.get(), now, "this replica");
            if (own != null) {
                merge(own, agentSums, reports, edgeSums);
            }
            Map<String, Received> next = new HashMap<>();
            for (Map.Entry<String, byte[]> e : peers.get().entrySet()) {
                Parsed p = e.getValue() == null ? null : parse(e.getValue(), now, "member " + e.getKey());
                Received r = p != null ? new Received(p, now) : lastPeer.get(e.getKey());
                if (r != null) {
                    next.put(e.getKey(), r);
                    merge(r.atNanos() == now ? r.parsed() : aged(r.parsed(), now - r.atNanos()), agentSums, reports, edgeSums);
                }
            }
            lastPeer = next;
        }
        for (Map.Entry<String, long[]> e : agentSums.entrySet()) {
            Bus.AgentCounters c = counters(e.getKey());
            if (c == null) {
                continue;
            }
            long[] v = e.getValue();
            set(c.callsIn, v[0]);
            set(c.rejectedIn, v[1]);
            set(c.errorsOut, v[2]);
            set(c.blockedOut, v[3]);
            c.report = reports.get(e.getKey());
        }
        for (Map.Entry<String, long[]> e : edgeSums.entrySet()) {
            Bus.Edge edge = edges.get(e.getKey());
            if (edge == null) {
                if (edges.size() >= maxAgents) {
                    continue;
                }
                int cut = e.getKey().indexOf('\u0000');
                String from = e.getKey().substring(0, cut);
                String to = e.getKey().substring(cut + 1);
                Bus.AgentCounters f = counters(from);
                Bus.AgentCounters t = counters(to);
                if (f == null || t == null) {
                    continue;
                }
                edge = new Bus.Edge(from, to, f, t);
                edges.put(e.getKey(), edge);
            }
            synchronized (edge) {
                edge.calls = e.getValue()[0];
                edge.failures = e.getValue()[1];
            }
        }
        merged = fromLeaderParsed != null ? null : snapshot(agents.values(), edges.values(), nanoTime.getAsLong(), ++sequence);
        return true;
    }

    /** The merged counters of this replica's newest gathering (what the other replicas ask the leader for), or null. */
    byte[] merged() {
        return merged;
    }

    private Bus.AgentCounters counters(String id) {
        Bus.AgentCounters c = agents.get(id);
        if (c == null && agents.size() < maxAgents) {
            c = new Bus.AgentCounters(id);
            agents.put(id, c);
        }
        return c;
    }

    private static void set(java.util.concurrent.atomic.LongAdder a, long v) {
        a.reset();
        a.add(v);
    }

    /** The snapshot decoded (reports dated on this replica's clock), or null, with a warning, when it does not decode. */
    private static Parsed parse(byte[] snapshot, long now, String from) {
        Map<String, long[]> agentSums = new HashMap<>();
        Map<String, AgentReport> reports = new HashMap<>();
        Map<String, long[]> edgeSums = new HashMap<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException("not a version-" + VERSION + " counters snapshot (a replica of another AURA version?)");
            }
            long sequence = in.readLong();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String id = in.readUTF();
                long[] s = agentSums.computeIfAbsent(id, k -> new long[4]);
                for (int j = 0; j < 4; j++) {
                    s[j] += in.readLong();
                }
                if (in.readBoolean()) {
                    long age = in.readLong();
                    reports.put(id, new AgentReport(now - age, in.readDouble(), in.readDouble(), in.readInt(), in.readInt(),
                            in.readDouble(), in.readDouble(), in.readDouble(), in.readInt()));
                }
            }
            int m = in.readInt();
            for (int i = 0; i < m; i++) {
                String key = in.readUTF() + "\u0000" + in.readUTF();
                long[] s = edgeSums.computeIfAbsent(key, k -> new long[2]);
                s[0] += in.readLong();
                s[1] += in.readLong();
            }
            if (in.read() != -1) {
                throw new IOException("bytes after the last edge");
            }
            return new Parsed(sequence, agentSums, reports, edgeSums);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cluster: the counters of {} are malformed and were skipped: {}", from, e.toString());
            return null;
        }
    }

    /** The same counts with every report older by {@code nanos} (a snapshot kept from an earlier tick). */
    private static Parsed aged(Parsed p, long nanos) {
        Map<String, AgentReport> older = new HashMap<>();
        p.reports().forEach((id, r) -> older.put(id, new AgentReport(r.receivedNanos() - nanos, r.cpuUtilisation(), r.threadUtilisation(),
                r.queueLength(), r.inFlight(), r.p50LatencyMs(), r.p95LatencyMs(), r.p99LatencyMs(), r.healthyInstances())));
        return new Parsed(p.sequence(), p.agents(), older, p.edges());
    }

    private static void merge(Parsed p, Map<String, long[]> agentSums, Map<String, AgentReport> reports, Map<String, long[]> edgeSums) {
        p.agents().forEach((id, v) -> {
            long[] s = agentSums.computeIfAbsent(id, k -> new long[4]);
            for (int j = 0; j < 4; j++) {
                s[j] += v[j];
            }
        });
        p.reports().forEach((id, r) -> {
            AgentReport had = reports.get(id);
            if (had == null || r.receivedNanos() - had.receivedNanos() > 0) { // the newest wins
                reports.put(id, r);
            }
        });
        p.edges().forEach((key, v) -> {
            long[] s = edgeSums.computeIfAbsent(key, k -> new long[2]);
            s[0] += v[0];
            s[1] += v[1];
        });
    }

    /** Every agent of the cluster (counters as of the last refresh). */
    Collection<Bus.AgentCounters> agents() {
        return agents.values();
    }

    /** Every call edge of the cluster (counts as of the last refresh). */
    Collection<Bus.Edge> edges() {
        return edges.values();
    }
}
