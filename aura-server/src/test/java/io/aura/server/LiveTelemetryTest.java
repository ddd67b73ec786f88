package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aura.cascade.sim.TelemetrySnapshot;
import io.aura.cascade.predict.AuraGuard;
import io.aura.cascade.predict.FeatureExtractor;
import io.aura.cascade.sim.Action;
import io.aura.cascade.sim.Prediction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bus's cumulative counters as the guard's per-second snapshot: ids, graph growth, rates. */
class LiveTelemetryTest {

    final List<Bus.AgentCounters> agents = new ArrayList<>();
    final List<Bus.Edge> edges = new ArrayList<>();
    /** The sampler's clock, ns (reports are stamped on it). */
    long now = 1_000_000_000L;
    final LiveTelemetry t = new LiveTelemetry(() -> agents, () -> edges, () -> now, LiveTelemetry.STALE_AFTER_MS);

    Bus.AgentCounters agent(String id) {
        Bus.AgentCounters c = new Bus.AgentCounters(id);
        agents.add(c);
        return c;
    }

    @Test
    void ratesIdsAndGrowth() {
        assertThat(t.sample(1)).as("no agent seen yet").isNull();
        Bus.AgentCounters caller = agent("caller");
        Bus.AgentCounters worker = agent("worker");
        Bus.Edge call = new Bus.Edge("caller", "worker", caller, worker);
        Bus.Edge answers = new Bus.Edge("worker", "caller", worker, caller); // error answers only: not a call edge
        edges.add(call);
        edges.add(answers);
        // 10 calls delivered to worker, 4 answered with error, 2 more refused by an intervention
        for (int i = 0; i < 10; i++) {
            call.record(true, 1, 1, true);
            worker.callsIn.increment();
        }
        for (int i = 0; i < 4; i++) {
            answers.record(true, 1, 1, false);
            worker.errorsOut.increment();
            call.errorReply();
        }
        for (int i = 0; i < 2; i++) {
            call.record(false, 1, 0, true);
            worker.rejectedIn.increment();
            caller.blockedOut.increment();
        }
        LiveTelemetry.Sample s = t.sample(1);
        assertThat(s.graphChanged()).isTrue();
        assertThat(s.names()).containsExactly("caller", "worker");
        assertThat(s.topology().agentCount()).isEqualTo(2);
        assertThat(s.topology().edgeCount()).as("only the edge that carried calls").isEqualTo(1);
        assertThat(s.topology().caller(0)).isZero();
        assertThat(s.topology().callee(0)).isEqualTo(1);
        TelemetrySnapshot x = s.snapshot();
        assertThat(x.arrivals()[1]).isEqualTo(12);
        assertThat(x.errors()[1]).isEqualTo(6);
        assertThat(x.rejected()[1]).isEqualTo(2);
        assertThat(x.successes()[1]).isEqualTo(6);
        assertThat(x.blocked()[0]).isEqualTo(2);
        assertThat(x.edgeAttempts()[0]).isEqualTo(12);
        assertThat(x.edgeFailures()[0]).isEqualTo(6);
        assertThat(x.p99LatencyMs()[1]).as("not observable on a bus: missing").isNaN();
        assertThat(x.queueLength()[1]).isEqualTo(-1);
        assertThat(x.edgeP99LatencyMs()[0]).as("not observable on a bus").isNaN();
        assertThat(x.edgeBreakerOpen()[0]).as("no source of interventions given: unknown").isNaN();
        assertThat(x.activeActions()).isEmpty();

        // next half second: 5 more calls, all fine -> 10 per second; same graph
        for (int i = 0; i < 5; i++) {
            call.record(true, 1, 1, true);
            worker.callsIn.increment();
        }
        s = t.sample(0.5);
        assertThat(s.graphChanged()).isFalse();
        assertThat(s.snapshot().arrivals()[1]).isEqualTo(10);
        assertThat(s.snapshot().errors()[1]).isZero();
        assertThat(s.snapshot().successes()[1]).isEqualTo(10);
        assertThat(s.snapshot().edgeAttempts()[0]).isEqualTo(10);
        assertThat(s.snapshot().timeSec()).isEqualTo(2);

        // a new agent and a new call edge: the graph grows, old ids stay
        Bus.AgentCounters db = agent("db");
        Bus.Edge toDb = new Bus.Edge("worker", "db", worker, db);
        edges.add(toDb);
        toDb.record(true, 1, 1, true);
        db.callsIn.increment();
        s = t.sample(1);
        assertThat(s.graphChanged()).isTrue();
        assertThat(s.names()).containsExactly("caller", "worker", "db");
        assertThat(s.topology().edgeCount()).isEqualTo(2);
        assertThat(s.snapshot().arrivals()[2]).isEqualTo(1);
        assertThat(s.snapshot().arrivals()[1]).as("no new calls to worker").isZero();
    }

    @Test
    void freshReportsReachTheSnapshotAndStaleOnesAreMissing() {
        Bus.AgentCounters caller = agent("caller");
        Bus.AgentCounters worker = agent("worker");
        worker.report = new AgentReport(now, 0.93, 0.8, 42, 7, 12, 40, 85, 3);
        caller.report = new AgentReport(now, Double.NaN, 0.25, -1, -1, Double.NaN, Double.NaN, 9, -1); // a partial report
        LiveTelemetry.Sample s = t.sample(1);
        assertThat(s.reportingAgents()).containsExactly("caller", "worker");
        TelemetrySnapshot x = s.snapshot();
        assertThat(x.cpuUtilisation()[1]).isEqualTo(0.93);
        assertThat(x.threadUtilisation()[1]).isEqualTo(0.8);
        assertThat(x.queueLength()[1]).isEqualTo(42);
        assertThat(x.inFlight()[1]).isEqualTo(7);
        assertThat(x.p50LatencyMs()[1]).isEqualTo(12);
        assertThat(x.p95LatencyMs()[1]).isEqualTo(40);
        assertThat(x.p99LatencyMs()[1]).isEqualTo(85);
        assertThat(x.healthyInstances()[1]).isEqualTo(3);
        assertThat(x.threadUtilisation()[0]).isEqualTo(0.25);
        assertThat(x.p99LatencyMs()[0]).isEqualTo(9);
        assertThat(x.cpuUtilisation()[0]).as("a field the report leaves out").isNaN();
        assertThat(x.queueLength()[0]).isEqualTo(-1);
        assertThat(x.timeouts()[1]).as("neither observable nor reported").isEqualTo(-1);
        assertThat(x.downstream()[1]).isEqualTo(-1);

        now += LiveTelemetry.STALE_AFTER_MS * 1_000_000L; // exactly at the limit: still used
        assertThat(t.sample(1).snapshot().cpuUtilisation()[1]).isEqualTo(0.93);
        now += 1_000_000L; // 1 ms past it: missing again
        s = t.sample(1);
        assertThat(s.reportingAgents()).isEmpty();
        assertThat(s.snapshot().cpuUtilisation()[1]).isNaN();
        assertThat(s.snapshot().queueLength()[1]).isEqualTo(-1);
        assertThat(s.snapshot().healthyInstances()[1]).isEqualTo(-1);
        assertThat(s.snapshot().p99LatencyMs()[0]).isNaN();

        worker.report = new AgentReport(now, 0.5, Double.NaN, 0, -1, Double.NaN, Double.NaN, Double.NaN, -1); // a new report replaces the old whole
        s = t.sample(1);
        assertThat(s.reportingAgents()).containsExactly("worker");
        assertThat(s.snapshot().cpuUtilisation()[1]).isEqualTo(0.5);
        assertThat(s.snapshot().queueLength()[1]).isZero();
        assertThat(s.snapshot().threadUtilisation()[1]).isNaN();
    }

    /**
     * Reported load through the real guard: the utilisation feature follows a report, and the
     * prevention policy's rule 1 (inbound rate limit at a CPU-saturated root that does harm) fires on
     * the bus's telemetry once the warm-up (300 snapshots) is over; the same traffic without reports
     * never gets it (the policy skips agents whose CPU, queue or p99 is missing). Seconds are
     * simulated: the sampler is called with elapsed = 1 s and its clock is advanced by hand.
     */
    @Test
    void reportedSaturationDrivesTheGuardToARateLimit() {
        Run with = overload(true);
        assertThat(with.calmMaxUtil).as("calm: the worker's reported 0.4").isEqualTo(0.4);
        assertThat(with.firstActions).as("an action once the worker reports saturation").isNotEmpty();
        assertThat(with.firstActionAt).as("first action, s (overload starts at 331)").isBetween(331L, 345L);
        // the first action may be rule 4's throttle on the caller's edge (3 in 4 calls fail); the
        // saturation the worker reports is what brings rule 1's inbound limit on the worker itself
        assertThat(with.firstInboundAt).as("first inbound rate limit on the worker, s").isBetween(331L, 345L);
        assertThat(with.firstInbound).isNotNull();
        assertThat(with.firstInbound.rps()).isPositive();
    }

    @Test
    void withoutReportsTheSameOverloadGetsNoRateLimit() {
        Run without = new LiveTelemetryTest().overload(false);
        assertThat(without.calmMaxUtil).as("nothing reported: utilisation stays 0").isZero();
        assertThat(without.rateLimitsOnWorker).as("no inbound rate limit without reported CPU").isZero();
    }

    record Run(int workerId, double calmMaxUtil, List<Action> firstActions, long firstActionAt, int rateLimitsOnWorker,
            Action.RateLimit firstInbound, long firstInboundAt) {
    }

    /** 300 calm seconds then 90 overloaded ones (3 in 4 calls answered with an error, queue +15/s), through a real guard. */
    Run overload(boolean report) {
        Bus.AgentCounters caller = agent("caller");
        Bus.AgentCounters worker = agent("worker");
        Bus.Edge call = new Bus.Edge("caller", "worker", caller, worker);
        Bus.Edge answers = new Bus.Edge("worker", "caller", worker, caller);
        edges.add(call);
        edges.add(answers);
        AuraGuard guard = null;
        int workerId = -1;
        double calmMaxUtil = -1;
        List<Action> firstActions = List.of();
        long firstActionAt = -1;
        int rateLimits = 0;
        Action.RateLimit firstInbound = null;
        long firstInboundAt = -1;
        int queue = 0;
        for (int sec = 1; sec <= 420; sec++) {
            boolean overloaded = sec > 330;
            for (int k = 0; k < 20; k++) { // 20 calls a second to the worker
                call.record(true, 1, 1, true);
                worker.callsIn.increment();
                if (overloaded && k % 4 != 0) { // three in four answered with an error
                    answers.record(true, 1, 1, false);
                    worker.errorsOut.increment();
                    call.errorReply();
                }
            }
            if (overloaded) {
                queue += 15;
            }
            if (report) {
                worker.report = overloaded
                        ? new AgentReport(now, 0.97, 1.0, queue, queue + 8, 900, 2500, 4000, 1)
                        : new AgentReport(now, 0.4, 0.3, 0, 3, 10, 20, 30, 1);
                caller.report = new AgentReport(now, 0.2, 0.2, 0, 1, 5, 8, 10, 1);
            }
            LiveTelemetry.Sample s = t.sample(1);
            if (s.graphChanged() || guard == null) {
                guard = Assessment.newGuard(s.topology());
                workerId = s.names().indexOf("worker");
            }
            Prediction p = guard.predict(s.snapshot());
            List<Action> actions = guard.decide(s.snapshot(), p);
            if (sec == 300) {
                calmMaxUtil = guard.features()[FeatureExtractor.NAMES.indexOf("max_util")];
            }
            assertThat(!overloaded && !actions.isEmpty()).as("no action while calm (second " + sec + "): " + actions).isFalse();
            if (overloaded && !actions.isEmpty() && firstActions.isEmpty()) {
                firstActions = actions;
                firstActionAt = sec;
            }
            for (Action a : actions) {
                if (a instanceof Action.RateLimit rl && rl.agent() == workerId && rl.callee() == -1) {
                    rateLimits++;
                    if (firstInbound == null) {
                        firstInbound = rl;
                        firstInboundAt = sec;
                    }
                }
            }
            now += 1_000_000_000L;
        }
        return new Run(workerId, calmMaxUtil, firstActions, firstActionAt, rateLimits, firstInbound, firstInboundAt);
    }

    @Test
    void edgeBreakerStateFollowsTheInterventionsThatRefuseEveryCall() {
        Bus.AgentCounters a = agent("a");
        Bus.AgentCounters b = agent("b");
        Bus.AgentCounters c = agent("c");
        Bus.Edge ab = new Bus.Edge("a", "b", a, b);
        Bus.Edge bc = new Bus.Edge("b", "c", b, c);
        edges.add(ab);
        edges.add(bc);
        ab.record(true, 1, 1, true);
        bc.record(true, 1, 1, true);
        Enforcement enf = new Enforcement();
        long nowMs = 1_000_000L;
        t.refusedEdge((x, y) -> enf.refusesEveryCall(x, y, nowMs));
        TelemetrySnapshot s = t.sample(1).snapshot();
        assertThat(s.edgeBreakerOpen()).containsExactly(0.0, 0.0);
        enf.update(List.of(EnforcementTest.iv("iv1", "circuit_breaker", List.of("c"), nowMs + 60_000, null, 0)));
        s = t.sample(1).snapshot();
        assertThat(s.edgeBreakerOpen()).as("a breaker on c refuses b -> c only").containsExactly(0.0, 1.0);
        enf.update(List.of(EnforcementTest.iv("iv2", "isolate", List.of("b"), nowMs + 60_000, null, 0)));
        s = t.sample(1).snapshot();
        assertThat(s.edgeBreakerOpen()).as("isolating b refuses both of its edges").containsExactly(1.0, 1.0);
        enf.update(List.of(EnforcementTest.iv("iv3", "rate_limit", List.of("a"), nowMs + 60_000, "rate", 1),
                EnforcementTest.iv("iv4", "isolate", List.of("b"), nowMs - 1, null, 0)));
        s = t.sample(1).snapshot();
        assertThat(s.edgeBreakerOpen()).as("a rate limit lets calls through; an expired isolation is over").containsExactly(0.0, 0.0);
    }
}
