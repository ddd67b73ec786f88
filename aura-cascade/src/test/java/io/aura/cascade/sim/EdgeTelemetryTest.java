package io.aura.cascade.sim;

import static io.aura.cascade.sim.BaselineArmsTest.quiet;
import static io.aura.cascade.sim.BaselineInDesTest.pair;
import static io.aura.cascade.sim.TestTopologies.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-edge half of the spec 1.3 snapshot the DES hands the SUT: p99 latency of each edge's
 * attempts as the caller sees them, breaker state (the SUT's own and baseline B1's) and the SUT's
 * active actions.
 */
class EdgeTelemetryTest {
  private static final long SEC = 1_000_000_000L;

  private static int edge(SimTopology t, int caller, int callee) {
    for (int e = 0; e < t.edgeCount(); e++) {
      if (t.edgeCaller[e] == caller && t.callee[e] == callee) {
        return e;
      }
    }
    throw new AssertionError("no edge " + caller + "->" + callee);
  }

  @Test
  void edgeLatencyOfASoleCallerIsTheCalleesOwnLatencySecondBySecond() {
    // no network delay and no rejection: every attempt on 0->1 ends when agent 1 finishes the
    // request, so the edge's p99 and the callee's p99 come from the same latencies
    SimTopology t = pair(30, 5 * MS, 0.0, 3);
    RecordingGuard g = new RecordingGuard();
    Episode.run(t, quiet(200, Baseline.B0), g, 3);
    int withTraffic = 0;
    for (TelemetrySnapshot s : g.snapshots) {
      assertThat(s.edgeP99LatencyMs()).hasSize(1);
      if (s.edgeAttempts()[0] == 0) {
        assertThat(s.edgeP99LatencyMs()[0]).isZero();
        continue;
      }
      withTraffic++;
      assertThat(s.edgeP99LatencyMs()[0]).as("second %d", s.timeSec()).isEqualTo(s.p99LatencyMs()[1]).isPositive();
      assertThat(s.edgeBreakerOpen()[0]).isZero();
      assertThat(s.activeActions()).isEmpty();
    }
    assertThat(withTraffic).isGreaterThan(190);
  }

  @Test
  void timedOutAttemptsReportTheTimeoutNotTheCalleesLatency() {
    // the callee needs 300 ms per request: every attempt times out after 100 ms at the caller
    SimTopology t = pair(5, 300 * MS, 0.0, 1);
    RecordingGuard g = new RecordingGuard();
    Episode.run(t, quiet(120, Baseline.B0), g, 5);
    int seen = 0;
    int calleeSlower = 0;
    for (TelemetrySnapshot s : g.snapshots) {
      if (s.timeSec() > 10 && s.edgeFailures()[0] > 0) {
        seen++;
        // bucket midpoints of 4 buckets per octave: within ±20% of 100 ms
        assertThat(s.edgeP99LatencyMs()[0]).isBetween(80.0, 120.0);
        calleeSlower += s.p99LatencyMs()[1] > 120.0 ? 1 : 0;
      }
    }
    assertThat(seen).isGreaterThan(90);
    assertThat(calleeSlower).isGreaterThan(seen * 3 / 4);
  }

  @Test
  void theSutsBreakerShowsOnItsEdgeWithTheActionAndItsRemainingTime() {
    SimTopology t = TestTopologies.diamond(50);
    Action open = new Action.OpenBreaker(0, 2, false, 60_000);
    RecordingGuard g = new RecordingGuard(s -> s.timeSec() == 100 ? List.of(open) : List.of());
    Episode.run(t, quiet(300, Baseline.B0), g, 4);
    int e02 = edge(t, 0, 2);
    for (TelemetrySnapshot s : g.snapshots) {
      long sec = s.timeSec();
      for (int e = 0; e < t.edgeCount(); e++) {
        // applied at 101 s (δ_act 1 s, before that second's snapshot) until 161 s
        double expected = e == e02 && sec >= 101 && sec <= 160 ? 1.0 : 0.0;
        assertThat(s.edgeBreakerOpen()[e]).as("edge %d at %d s", e, sec).isEqualTo(expected);
      }
      if (sec >= 101 && sec <= 160) {
        assertThat(s.activeActions()).singleElement().satisfies(a -> {
          assertThat(a.action()).isEqualTo(open);
          assertThat(a.remainingMs()).isEqualTo((161 - sec) * 1000);
        });
      }
      if (sec >= 102 && sec <= 160) { // the whole window under the breaker
        // every attempt on 0->2 is refused at the caller, and only those
        assertThat(s.blocked()[0]).isEqualTo(s.edgeAttempts()[e02]).isEqualTo(s.edgeFailures()[e02]);
        assertThat(s.edgeP99LatencyMs()[e02]).as("refused at the caller: no latency").isZero();
      } else if (sec > 161) {
        assertThat(s.activeActions()).isEmpty();
      }
    }
  }

  @Test
  void aLaterActionOnTheSameTargetReplacesTheEarlierOne() {
    SimTopology t = TestTopologies.diamond(50);
    RecordingGuard g = new RecordingGuard(s -> s.timeSec() == 100 ? List.of(new Action.Shed(3, 0.5, 100_000))
        : s.timeSec() == 120 ? List.of(new Action.Shed(3, 0.2, 10_000), new Action.Isolate(1, 5_000)) : List.of());
    Episode.run(t, quiet(300, Baseline.B0), g, 4);
    for (TelemetrySnapshot s : g.snapshots) {
      long sec = s.timeSec();
      if (sec == 110) {
        assertThat(s.activeActions()).extracting(TelemetrySnapshot.ActiveAction::action)
            .containsExactly(new Action.Shed(3, 0.5, 100_000));
      } else if (sec == 125) {
        assertThat(s.activeActions()).extracting(TelemetrySnapshot.ActiveAction::action)
            .containsExactlyInAnyOrder(new Action.Shed(3, 0.2, 10_000), new Action.Isolate(1, 5_000));
        // isolating agent 1 refuses both of its edges, 0->1 and 1->3
        assertThat(s.edgeBreakerOpen()[edge(t, 0, 1)]).isEqualTo(1.0);
        assertThat(s.edgeBreakerOpen()[edge(t, 1, 3)]).isEqualTo(1.0);
        assertThat(s.edgeBreakerOpen()[edge(t, 0, 2)]).isZero();
      } else if (sec == 140) {
        assertThat(s.activeActions()).isEmpty(); // the 10-s shed replaced the 100-s one
      }
    }
  }

  @Test
  void r4jBreakerStateIsReportedOnItsEdgeWhileOpen() {
    // always-failing callee: R4J opens within seconds and stays OPEN 60 s at a time
    SimTopology t = pair(20, MS, 1.0, 3);
    RecordingGuard g = new RecordingGuard();
    Des d = new Des(t, quiet(400, Baseline.B1_R4J), g, 7);
    d.run();
    long openFrom = d.baselineFirstTripNs() / SEC + 2;
    for (TelemetrySnapshot s : g.snapshots) {
      if (s.timeSec() >= openFrom && s.timeSec() < openFrom + 55) {
        assertThat(s.edgeBreakerOpen()[0]).as("second %d", s.timeSec()).isEqualTo(1.0);
        assertThat(s.activeActions()).isEmpty(); // a baseline's breaker is not an action of the SUT
      }
      if (s.timeSec() < openFrom - 3) {
        assertThat(s.edgeBreakerOpen()[0]).isZero();
      }
    }
  }

  @Test
  void theRealisticViewNoisesEdgeLatencyAndPassesBreakerStateThrough() {
    SimTopology t = TestTopologies.randomDag(300, 5, 20, 0.2, 4);
    int n = t.agentCount();
    int m = t.edgeCount();
    double[] lat = new double[m];
    double[] br = new double[m];
    java.util.Arrays.fill(lat, 40.0);
    java.util.Arrays.fill(br, 0.5);
    List<TelemetrySnapshot.ActiveAction> acts = List.of(new TelemetrySnapshot.ActiveAction(new Action.Isolate(7, 1000), 500));
    TelemetrySnapshot truth = new TelemetrySnapshot(5, new int[n], new int[n], new int[n], new int[n], new int[n],
        new int[n], new int[n], new double[n], new double[n], new double[n], new int[n], new int[n], new double[n],
        new double[n], new int[n], new int[m], new int[m], lat, br, acts);
    GuardView v = new GuardView(t, true, 9);
    TelemetrySnapshot seen = v.view(truth);
    int k = seen.edgeAttempts().length;
    assertThat(seen.edgeP99LatencyMs()).hasSize(k);
    assertThat(seen.edgeBreakerOpen()).hasSize(k);
    assertThat(seen.activeActions()).isEqualTo(acts);
    int real = 0;
    int noisy = 0;
    for (int j = 0; j < k; j++) {
      if (seen.edgeBreakerOpen()[j] == 0.5) {
        real++;
        assertThat(seen.edgeP99LatencyMs()[j]).isBetween(40 * Math.exp(-0.3), 40 * Math.exp(0.3));
        noisy += seen.edgeP99LatencyMs()[j] != 40.0 ? 1 : 0;
      } else {
        // a spurious edge of the static view reports nothing
        assertThat(seen.edgeBreakerOpen()[j]).isZero();
        assertThat(seen.edgeP99LatencyMs()[j]).isZero();
      }
    }
    assertThat(real).isBetween((int) (0.9 * m), m);
    assertThat(noisy).isEqualTo(real);
  }

  @Test
  void snapshotShapesAreChecked() {
    assertThatThrownBy(() -> new TelemetrySnapshot(1, new int[1], new int[1], new int[1], new int[1], new int[1],
        new int[1], new int[1], new double[1], new double[1], new double[1], new int[1], new int[1], new double[1],
        new double[1], new int[1], new int[2], new int[2], new double[1], new double[2], List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("per-edge arrays differ in length");
    TelemetrySnapshot unknown = new TelemetrySnapshot(1, new int[1], new int[1], new int[1], new int[1], new int[1],
        new int[1], new int[1], new double[1], new double[1], new double[1], new int[1], new int[1], new double[1],
        new double[1], new int[1], new int[3], new int[3]);
    assertThat(unknown.edgeP99LatencyMs()).hasSize(3).containsOnly(Double.NaN);
    assertThat(unknown.edgeBreakerOpen()).hasSize(3).containsOnly(Double.NaN);
    assertThat(unknown.activeActions()).isEmpty();
  }
}
