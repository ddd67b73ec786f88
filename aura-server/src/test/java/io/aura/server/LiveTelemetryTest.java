package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.aura.cascade.sim.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bus's cumulative counters as the guard's per-second snapshot: ids, graph growth, rates. */
class LiveTelemetryTest {

    final List<Bus.AgentCounters> agents = new ArrayList<>();
    final List<Bus.Edge> edges = new ArrayList<>();
    final LiveTelemetry t = new LiveTelemetry(() -> agents, () -> edges);

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
}
