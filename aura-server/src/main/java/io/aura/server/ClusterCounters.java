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

    private final Supplier<byte[]> local;
    private final Supplier<byte[]> fromLeader;
    private final Supplier<List<byte[]>> peers;
    /** The merged counters of this replica's newest gathering, for the others; null when it did not gather. */
    private volatile byte[] merged;
    private final LongSupplier nanoTime;
    private final int maxAgents;
    private final Map<String, Bus.AgentCounters> agents = new HashMap<>();
    private final Map<String, Bus.Edge> edges = new HashMap<>();

    /**
     * @param local this replica's {@link #snapshot}
     * @param fromLeader the leader's {@link #merged} counters; null when this replica is the leader, or
     *     the leader has none or does not answer
     * @param peers the other replicas' {@link #snapshot}s, asked for in a {@link #refresh} without the leader's
     * @param nanoTime the clock the snapshots' report ages are turned back into times on
     * @param maxAgents most agents and most edges kept (the bus's own bound)
     */
    ClusterCounters(Supplier<byte[]> local, Supplier<byte[]> fromLeader, Supplier<List<byte[]>> peers, LongSupplier nanoTime,
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
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
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

    /** Sets the merged counters to this replica's plus the other replicas' current totals. */
    void refresh() {
        long now = nanoTime.getAsLong();
        Map<String, long[]> agentSums = new HashMap<>();
        Map<String, AgentReport> reports = new HashMap<>();
        Map<String, long[]> edgeSums = new HashMap<>();
        byte[] leaders = fromLeader.get();
        if (leaders != null) {
            add(leaders, now, agentSums, reports, edgeSums);
        } else {
            add(local.get(), now, agentSums, reports, edgeSums);
            for (byte[] peer : peers.get()) {
                add(peer, now, agentSums, reports, edgeSums);
            }
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
        merged = leaders != null ? null : snapshot(agents.values(), edges.values(), nanoTime.getAsLong());
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

    private static void add(byte[] snapshot, long now, Map<String, long[]> agentSums, Map<String, AgentReport> reports,
            Map<String, long[]> edgeSums) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String id = in.readUTF();
                long[] s = agentSums.computeIfAbsent(id, k -> new long[4]);
                for (int j = 0; j < 4; j++) {
                    s[j] += in.readLong();
                }
                if (in.readBoolean()) {
                    long age = in.readLong();
                    AgentReport r = new AgentReport(now - age, in.readDouble(), in.readDouble(), in.readInt(), in.readInt(),
                            in.readDouble(), in.readDouble(), in.readDouble(), in.readInt());
                    AgentReport had = reports.get(id);
                    if (had == null || r.receivedNanos() - had.receivedNanos() > 0) { // the newest wins
                        reports.put(id, r);
                    }
                }
            }
            int m = in.readInt();
            for (int i = 0; i < m; i++) {
                String key = in.readUTF() + "\u0000" + in.readUTF();
                long[] s = edgeSums.computeIfAbsent(key, k -> new long[2]);
                s[0] += in.readLong();
                s[1] += in.readLong();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a replica's counters are malformed", e);
        }
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
