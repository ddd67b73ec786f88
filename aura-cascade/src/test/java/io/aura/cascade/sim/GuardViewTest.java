package io.aura.cascade.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GuardViewTest {

  @Test
  void theQuantisedNoiseIsLogNormalWithSigmaFivePercent() {
    assertThat(GuardView.inverseNormal(0.975)).isCloseTo(1.959964, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(GuardView.inverseNormal(0.001)).isCloseTo(-3.090232, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(GuardView.inverseNormal(0.5)).isZero();
    double[] f = GuardView.LOGNORMAL_QUANTILES;
    double sum = 0;
    double sumLog = 0;
    double sumLog2 = 0;
    for (int k = 0; k < f.length; k++) {
      if (k > 0) {
        assertThat(f[k]).isGreaterThan(f[k - 1]);
      }
      sum += f[k];
      double l = Math.log(f[k]);
      sumLog += l;
      sumLog2 += l * l;
    }
    assertThat(sum / f.length).isCloseTo(Math.exp(0.05 * 0.05 / 2), org.assertj.core.api.Assertions.within(1e-5));
    assertThat(sumLog / f.length).isCloseTo(0, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(Math.sqrt(sumLog2 / f.length)).isCloseTo(0.05, org.assertj.core.api.Assertions.within(2e-4));
  }
  private static boolean realEdge(SimTopology t, int a, int b) {
    for (int e = t.edgeStart(a); e < t.edgeStart(a + 1); e++) {
      if (t.callee(e) == b) {
        return true;
      }
    }
    return false;
  }

  @Test
  void staticViewIsPermutedAndPerturbed() {
    SimTopology t = TestTopologies.randomDag(2000, 10, 20, 0.2, 4);
    GuardView v = new GuardView(t, true, 99);
    StaticTopology s = v.staticTopology();
    Action probe = new Action.Isolate(0, 1);
    int kept = 0;
    int spurious = 0;
    for (int e = 0; e < s.edgeCount(); e++) {
      int a = v.realAgent(s.caller(e), probe);
      int b = v.realAgent(s.callee(e), probe);
      if (realEdge(t, a, b)) {
        kept++;
      } else {
        spurious++;
      }
    }
    int m = t.edgeCount();
    assertThat(spurious).isEqualTo((int) Math.round(0.02 * m));
    assertThat(kept / (double) m).isBetween(0.92, 0.98);
    int fixed = 0;
    boolean[] seen = new boolean[t.agentCount()];
    for (int i = 0; i < t.agentCount(); i++) {
      int r = v.realAgent(i, probe);
      assertThat(seen[r]).isFalse();
      seen[r] = true;
      if (r == i) {
        fixed++;
      }
    }
    assertThat(fixed).isLessThan(10);
    assertThatThrownBy(() -> v.realAgent(t.agentCount(), probe)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void snapshotsAreNoisyWithMissingRowsAndIdentityWhenOff() {
    SimTopology t = TestTopologies.randomDag(500, 5, 20, 0.2, 4);
    int n = t.agentCount();
    int m = t.edgeCount();
    int[] arr = new int[n];
    java.util.Arrays.fill(arr, 1000);
    TelemetrySnapshot truth = new TelemetrySnapshot(5, arr, arr.clone(), new int[n], new int[n], new int[n],
        new int[n], new int[n], new double[n], new double[n], new double[n], new int[n], new int[n], new double[n],
        new double[n], new int[n], new int[m], new int[m]);
    GuardView off = new GuardView(t, false, 1);
    assertThat(off.view(truth)).isSameAs(truth);
    GuardView v = new GuardView(t, true, 1);
    int missing = 0;
    for (int k = 0; k < 20; k++) {
      TelemetrySnapshot seen = v.view(truth);
      for (int i = 0; i < n; i++) {
        if (seen.arrivals()[i] < 0) {
          missing++;
          assertThat(seen.p99LatencyMs()[i]).isNaN();
        } else {
          assertThat(seen.arrivals()[i]).isBetween(700, 1400);
        }
      }
    }
    assertThat(missing / (20.0 * n)).isBetween(0.005, 0.02);
  }

  @Test
  void actionsAreMappedBackToRealAgents() {
    SimTopology t = TestTopologies.diamond(50);
    EpisodeParams p = EpisodeParams.defaults().withFault(FaultKind.NONE).withDuration(300, 60).withCrashRestart(false);
    GuardView v = new GuardView(t, true, 4); // same seed as the episode: the view the guard gets
    int visibleOfLeaf = -1;
    for (int i = 0; i < 4; i++) {
      if (v.realAgent(i, new Action.Isolate(0, 1)) == 3) {
        visibleOfLeaf = i;
      }
    }
    int target = visibleOfLeaf;
    RecordingGuard g = new RecordingGuard(s -> s.timeSec() == 100 ? List.of(new Action.Isolate(target, 50_000)) : List.of());
    EpisodeResult r = Episode.run(t, p, g, 4);
    assertThat(r.actionCount()).isEqualTo(1);
    long leafOk = 0;
    for (TelemetrySnapshot s : g.snapshots) {
      if (s.timeSec() > 102 && s.timeSec() <= 150 && s.successes()[target] > 0) {
        leafOk += s.successes()[target];
      }
    }
    assertThat(leafOk).isZero();
    assertThat(g.topology.edgeCount()).isBetween(2, 5);
  }
}
