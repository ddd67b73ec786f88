package io.aura.server;

import io.aura.cascade.sim.StaticTopology;
import io.aura.cascade.sim.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the bus's cumulative counters into the cascade guard's input, once per prediction
 * interval: a {@link StaticTopology} over int ids and a {@link TelemetrySnapshot} of per-second
 * rates (deltas since the previous sample divided by the elapsed seconds).
 *
 * <p>Ids: every agent the bus has seen (connected, or at either end of a call) gets the next int
 * id the first time a sample sees it; ids are never reused or removed, so the graph only grows.
 * An edge caller→callee enters the graph once it carried a call (a message whose type is not
 * {@code error}). When agents or edges are added the sample says so and the guard is re-initialised
 * (see {@link PredictionLoop}).
 *
 * <p>What the bus can observe, per agent: arrivals = calls delivered to it + calls to it refused by
 * an intervention or sent while it was offline; errors = {@code error} messages it sent (the
 * failures it reports to callers) + those refused/offline calls; rejected = the refused/offline
 * calls; successes = max(0, arrivals − errors); blocked = its own calls refused by an intervention.
 * Per edge: attempts = calls, failures = refused/offline calls + {@code error} answers of the callee.
 *
 * <p>What agents report about themselves ({@link AgentReport}, a {@code telemetry} message): CPU and
 * thread utilisation, queue length, in-flight requests, p50/p95/p99 latency and healthy instances.
 * Each sample uses the agent's newest report if it is at most {@link #STALE_AFTER_MS} old; a field
 * the report leaves out, an older report, or no report at all is sent as missing (−1 / NaN, which
 * the guard carries forward), exactly as for an agent that never reports. Timeouts and
 * exhausted-retry errors are neither observable nor reported: always missing.
 *
 * <p>Used by the prediction loop's single thread only.
 */
final class LiveTelemetry {

    /** A report older than this (ms since the bus accepted it) counts as missing. */
    static final long STALE_AFTER_MS = 5_000;

    /**
     * One sample: the graph (possibly grown), the agent names by int id, the snapshot, and the agents
     * whose own report was fresh enough to be used.
     */
    record Sample(StaticTopology topology, boolean graphChanged, List<String> names, TelemetrySnapshot snapshot,
            List<String> reportingAgents) {
    }

    private final java.util.function.Supplier<java.util.Collection<Bus.AgentCounters>> agentSource;
    private final java.util.function.Supplier<java.util.Collection<Bus.Edge>> edgeSource;
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private final List<Bus.AgentCounters> agents = new ArrayList<>();
    private final Map<String, Integer> edgeIds = new HashMap<>();
    private final List<Bus.Edge> edges = new ArrayList<>();
    private final List<int[]> edgeEnds = new ArrayList<>();
    private long[] prevAgent = new long[0]; // 4 per agent: callsIn, rejectedIn, errorsOut, blockedOut
    private long[] prevEdge = new long[0]; // 2 per edge: calls, failures
    private final java.util.function.LongSupplier nanoTime;
    private final long staleNanos;
    private StaticTopology topology;
    private long seconds;
    /** Whether an active intervention refuses every call from the first agent to the second (null: unknown). */
    private java.util.function.BiPredicate<String, String> refusedEdge;

    /**
     * The bus's sampler; an edge's breaker state is 1 while {@code refusedEdge} says an active
     * intervention (a circuit breaker on the callee, isolation of either end) refuses all its calls.
     */
    LiveTelemetry(Bus bus, java.util.function.BiPredicate<String, String> refusedEdge) {
        this(bus::agentCounters, bus::edges, System::nanoTime, STALE_AFTER_MS);
        this.refusedEdge = refusedEdge;
    }

    /** Sets the source of per-edge breaker state (tests; null: reported as unknown, NaN). */
    void refusedEdge(java.util.function.BiPredicate<String, String> refused) {
        this.refusedEdge = refused;
    }

    /**
     * A sampler of given counters (the bus's, or a test's).
     *
     * @param nanoTime the clock reports' {@link AgentReport#receivedNanos} are on
     * @param staleAfterMs age at which a report counts as missing
     */
    LiveTelemetry(java.util.function.Supplier<java.util.Collection<Bus.AgentCounters>> agents,
            java.util.function.Supplier<java.util.Collection<Bus.Edge>> edges, java.util.function.LongSupplier nanoTime,
            long staleAfterMs) {
        this.agentSource = agents;
        this.edgeSource = edges;
        this.nanoTime = nanoTime;
        this.staleNanos = staleAfterMs * 1_000_000L;
    }

    /**
     * Samples the bus.
     *
     * @param elapsedSeconds time since the previous sample (the rates' denominator)
     * @return the sample, or null while the bus has seen no agent
     */
    Sample sample(double elapsedSeconds) {
        boolean changed = false;
        List<Bus.AgentCounters> fresh = new ArrayList<>();
        for (Bus.AgentCounters c : agentSource.get()) {
            if (!ids.containsKey(c.id)) {
                fresh.add(c);
            }
        }
        fresh.sort((a, b) -> a.id.compareTo(b.id));
        for (Bus.AgentCounters c : fresh) {
            add(c);
            changed = true;
        }
        List<Bus.Edge> newEdges = new ArrayList<>();
        for (Bus.Edge e : edgeSource.get()) {
            String key = e.from + "\u0000" + e.to;
            if (!edgeIds.containsKey(key) && e.callCounts()[0] > 0) {
                newEdges.add(e);
            }
        }
        newEdges.sort((a, b) -> a.from.equals(b.from) ? a.to.compareTo(b.to) : a.from.compareTo(b.from));
        for (Bus.Edge e : newEdges) {
            int from = idOf(e.fromCounters);
            int to = idOf(e.toCounters);
            edgeIds.put(e.from + "\u0000" + e.to, edges.size());
            edges.add(e);
            edgeEnds.add(new int[] {from, to});
            changed = true;
        }
        int n = names.size();
        if (n == 0) {
            return null;
        }
        if (changed || topology == null) {
            int[] callers = new int[edges.size()];
            int[] callees = new int[edges.size()];
            for (int e = 0; e < edges.size(); e++) {
                callers[e] = edgeEnds.get(e)[0];
                callees[e] = edgeEnds.get(e)[1];
            }
            topology = new StaticTopology(n, callers, callees);
            prevAgent = Arrays.copyOf(prevAgent, 4 * n);
            prevEdge = Arrays.copyOf(prevEdge, 2 * edges.size());
            changed = true;
        }
        double per = 1 / Math.max(1e-3, elapsedSeconds);
        int[] arrivals = new int[n];
        int[] successes = new int[n];
        int[] errors = new int[n];
        int[] rejected = new int[n];
        int[] blocked = new int[n];
        int[] queue = filled(n, -1);
        int[] inFlight = filled(n, -1);
        int[] healthy = filled(n, -1);
        double[] p50 = nans(n);
        double[] p95 = nans(n);
        double[] p99 = nans(n);
        double[] threadUtil = nans(n);
        double[] cpuUtil = nans(n);
        long now = nanoTime.getAsLong();
        List<String> reporting = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            AgentReport r = agents.get(i).report;
            if (r == null || now - r.receivedNanos() > staleNanos) {
                continue; // never reported, or too long ago: missing
            }
            reporting.add(names.get(i));
            queue[i] = r.queueLength();
            inFlight[i] = r.inFlight();
            healthy[i] = r.healthyInstances();
            p50[i] = r.p50LatencyMs();
            p95[i] = r.p95LatencyMs();
            p99[i] = r.p99LatencyMs();
            threadUtil[i] = r.threadUtilisation();
            cpuUtil[i] = r.cpuUtilisation();
        }
        for (int i = 0; i < n; i++) {
            Bus.AgentCounters c = agents.get(i);
            long callsIn = c.callsIn.sum();
            long rejectedIn = c.rejectedIn.sum();
            long errorsOut = c.errorsOut.sum();
            long blockedOut = c.blockedOut.sum();
            int a = rate(callsIn - prevAgent[4 * i] + rejectedIn - prevAgent[4 * i + 1], per);
            int rj = rate(rejectedIn - prevAgent[4 * i + 1], per);
            int er = rate(errorsOut - prevAgent[4 * i + 2] + rejectedIn - prevAgent[4 * i + 1], per);
            arrivals[i] = a;
            errors[i] = er;
            rejected[i] = rj;
            successes[i] = Math.max(0, a - er);
            blocked[i] = rate(blockedOut - prevAgent[4 * i + 3], per);
            prevAgent[4 * i] = callsIn;
            prevAgent[4 * i + 1] = rejectedIn;
            prevAgent[4 * i + 2] = errorsOut;
            prevAgent[4 * i + 3] = blockedOut;
        }
        int m = edges.size();
        int[] attempts = new int[m];
        int[] failures = new int[m];
        for (int e = 0; e < m; e++) {
            long[] cf = edges.get(e).callCounts();
            attempts[e] = rate(cf[0] - prevEdge[2 * e], per);
            failures[e] = Math.min(attempts[e], rate(cf[1] - prevEdge[2 * e + 1], per));
            prevEdge[2 * e] = cf[0];
            prevEdge[2 * e + 1] = cf[1];
        }
        seconds++;
        // per-edge latency is not observed on the bus (NaN); breaker state from the active interventions
        double[] breaker = nans(m);
        if (refusedEdge != null) {
            for (int e = 0; e < m; e++) {
                breaker[e] = refusedEdge.test(names.get(edgeEnds.get(e)[0]), names.get(edgeEnds.get(e)[1])) ? 1.0 : 0.0;
            }
        }
        TelemetrySnapshot s = new TelemetrySnapshot(seconds, arrivals, successes, errors, rejected, filled(n, -1),
                blocked, filled(n, -1), p50, p95, p99, inFlight, queue, threadUtil, cpuUtil, healthy, attempts, failures,
                nans(m), breaker, List.of());
        return new Sample(topology, changed, List.copyOf(names), s, List.copyOf(reporting));
    }

    private int idOf(Bus.AgentCounters c) {
        Integer id = ids.get(c.id);
        return id != null ? id : add(c);
    }

    private int add(Bus.AgentCounters c) {
        int id = names.size();
        ids.put(c.id, id);
        names.add(c.id);
        agents.add(c);
        return id;
    }

    private static int rate(long delta, double per) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, Math.round(delta * per)));
    }

    private static double[] nans(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    private static int[] filled(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }
}
