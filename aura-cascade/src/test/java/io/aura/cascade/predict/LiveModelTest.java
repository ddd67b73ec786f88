package io.aura.cascade.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.sim.StaticTopology;
import io.aura.cascade.sim.TelemetrySnapshot;
import org.junit.jupiter.api.Test;

class LiveModelTest {
  // 0 -> 1, 0 -> 2, 1 -> 3, 2 -> 3, plus an invalid edge 3 -> 7 and a self-loop 2 -> 2
  static final StaticTopology DIAMOND = new StaticTopology(4, new int[] {0, 0, 1, 2, 3, 2}, new int[] {1, 2, 3, 3, 7, 2});

  @Test
  void csrHoldsValidEdgesAndDropsInvalidOnes() {
    LiveModel m = new LiveModel(DIAMOND);
    assertThat(m.edgeCount()).isEqualTo(4);
    assertThat(m.droppedEdges()).isEqualTo(2);
    assertThat(m.outStart(1) - m.outStart(0)).isEqualTo(2);
    assertThat(m.inStart(4) - m.inStart(3)).isEqualTo(2);
    for (int k = m.inStart(3); k < m.inStart(4); k++) {
      assertThat(m.callee(m.inEdge(k))).isEqualTo(3);
    }
    assertThat(java.util.stream.IntStream.range(0, m.edgeCount()).map(m::inCaller).sorted().toArray())
        .as("the in-slots' callers").containsExactly(0, 0, 1, 2);
    for (int k = 0; k < m.edgeCount(); k++) {
      assertThat(m.inCaller(k)).as("slot %d", k).isEqualTo(m.caller(m.inEdge(k)));
      assertThat(m.outCallee(k)).as("out-slot %d", k).isEqualTo(m.callee(m.outEdge(k)));
    }
    assertThat(java.util.stream.IntStream.range(m.outStart(0), m.outStart(1)).map(m::outCallee).sorted().toArray())
        .as("agent 0's callees").containsExactly(1, 2);
    assertThat(m.topologyEdge(3)).isEqualTo(3);
  }

  @Test
  void emptyTopologyIsRejectedWithAMessage() {
    assertThatThrownBy(() -> new LiveModel(new StaticTopology(0, new int[0], new int[0])))
        .isInstanceOf(CascadeInputException.class).hasMessageContaining("at least one agent");
  }

  @Test
  void missingRowsAndNanCarryTheLastValueForward() {
    LiveModel m = new LiveModel(DIAMOND);
    Snapshots s = new Snapshots(4, 6);
    s.util[2] = 0.7;
    s.queue[2] = 9;
    m.update(s.next());
    m.update(s.nextMissing(2));
    assertThat(m.util(2)).isEqualTo(0.7);
    assertThat(m.queue(2, 0)).isEqualTo(9);
    assertThat(m.missingRows()).isEqualTo(1);
    TelemetrySnapshot t = s.next();
    t.p99LatencyMs()[1] = Double.NaN;
    m.update(t);
    assertThat(m.p99(1)).isEqualTo(20);
  }

  @Test
  void shortArraysAreReadAsMissingWithoutExceptions() {
    LiveModel m = new LiveModel(DIAMOND);
    int[] one = {5};
    double[] d = {0.9};
    m.update(new TelemetrySnapshot(1, one, one, one, one, one, one, one, d, d, d, one, one, d, d, one, new int[0], new int[0]));
    assertThat(m.util(0)).isEqualTo(0.9);
    assertThat(m.util(3)).isZero();
    assertThat(m.missingRows()).isEqualTo(3);
  }

  @Test
  void failedEstimateFollowsTheTrailingSuccessRatio() {
    LiveModel m = new LiveModel(DIAMOND);
    Snapshots s = new Snapshots(4, 6);
    m.update(s.next());
    assertThat(m.failedCount()).isZero();
    s.successes[1] = 10;
    s.errors[1] = 90;
    for (int k = 0; k < LiveModel.FAIL_WINDOW; k++) {
      m.update(s.next());
    }
    assertThat(m.failed(1)).isTrue();
    assertThat(m.failedCount()).isEqualTo(1);
    s.successes[1] = 100;
    s.errors[1] = 0;
    for (int k = 0; k < LiveModel.FAIL_WINDOW; k++) {
      m.update(s.next());
    }
    assertThat(m.failed(1)).isFalse();
    assertThat(m.everFailed(1)).isTrue();
  }

  @Test
  void edgeFailureRatioIsAnEwma() {
    LiveModel m = new LiveModel(DIAMOND);
    Snapshots s = new Snapshots(4, 6);
    s.edgeFailures[2] = 50; // edge 1 -> 3 fails every attempt
    m.update(s.next());
    assertThat(m.edgeFailureRatio(2)).isEqualTo(1.0);
    s.edgeFailures[2] = 0;
    m.update(s.next());
    assertThat(m.edgeFailureRatio(2)).isCloseTo(1 - LiveModel.EDGE_EWMA, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void historiesReachAsFarBackAsTheSignalsRead() {
    LiveModel m = new LiveModel(DIAMOND);
    Snapshots s = new Snapshots(4, 6);
    for (int t = 0; t < LiveModel.HISTORY + 5; t++) {
      s.queue[0] = t;
      s.p99[0] = t;
      m.update(s.next());
    }
    int last = LiveModel.HISTORY + 4;
    assertThat(m.queue(0, LiveModel.SHORT_HISTORY - 1)).isEqualTo(last - (LiveModel.SHORT_HISTORY - 1));
    assertThat(m.logP99(0, LiveModel.HISTORY - 1)).isCloseTo(Math.log1p(last - (LiveModel.HISTORY - 1)),
        org.assertj.core.data.Offset.offset(1e-6));
    assertThat(m.lnP99(0)).isEqualTo(Math.log1p(last));
    assertThatThrownBy(() -> m.queue(0, LiveModel.SHORT_HISTORY)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lag must be in [0, " + (LiveModel.SHORT_HISTORY - 1) + "]");
    assertThatThrownBy(() -> m.logP99(0, LiveModel.HISTORY)).isInstanceOf(IllegalArgumentException.class);
  }
}
