package io.aura.cascade.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.graph.ServiceGraph;
import io.aura.cascade.graph.TopologySpec;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FamiliesTest {
  private static final long MS = 1_000_000L;

  /** Short benign episode with the true (unpermuted, noiseless) telemetry. */
  private static EpisodeParams shortRun(long sec) {
    return EpisodeParams.defaults().withFault(FaultKind.NONE).withDuration(sec, 0).withRealisticView(false)
        .withSinusoidAmplitude(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dsb-sn", "ali-100", "meta-100", "b1-hier", "b2-pipe", "b3-debate", "b4-macnet-16",
      "ba-200-2", "ws-200-4-0.1"})
  void everyFamilyRunsDeterministically(String name) {
    SimTopology t = Families.build(name, Families.defaultEntryRate(name) / 4, 0.2, 7);
    assertThat(t.agentCount()).isGreaterThan(2);
    EpisodeParams p = shortRun(60);
    EpisodeResult a = Episode.run(t, p, CascadeGuard.none(), 7);
    EpisodeResult b = Episode.run(Families.build(name, Families.defaultEntryRate(name) / 4, 0.2, 7), p,
        CascadeGuard.none(), 7);
    assertThat(a.requests()).isGreaterThan(10);
    assertThat(a.traceSha256()).isEqualTo(b.traceSha256());
    EpisodeResult c = Episode.run(t, p, CascadeGuard.none(), 8);
    assertThat(c.traceSha256()).isNotEqualTo(a.traceSha256());
  }

  @Test
  void aSeedWhoseAliGraphDivergesIsRedrawnAndEveryOtherSeedKeepsItsGraph() {
    // ALI-100 seed 512's first graph has async calls whose expected fan-out diverges: no design load exists
    assertThat(Families.redraws("ali-100", 512)).isEqualTo(1);
    SimTopology t = Families.build("ali-100", 0.2, 512);
    assertThat(t.agentCount()).isEqualTo(100);
    ServiceGraph g = Families.graph("ali-100", 512);
    assertThat(g.nodeCount()).isEqualTo(t.agentCount());
    EpisodeResult r = Episode.run(t, shortRun(60), CascadeGuard.none(), 512);
    assertThat(r.requests()).isGreaterThan(10);
    // a seed that provisions keeps the graph of stream "graph": redraw 0, same run as before the rule
    assertThat(Families.redraws("ali-100", 7)).isZero();
    assertThat(Episode.run(Families.build("ali-100", 0.2, 7), shortRun(60), CascadeGuard.none(), 7).traceSha256())
        .isEqualTo(Episode.run(Families.build("ali-100", 0.2, 7), shortRun(60), CascadeGuard.none(), 7).traceSha256());
  }

  @Test
  void dsbRoutesFollowTheMixedWorkload() {
    SimTopology t = Families.build("dsb-sn", 200, 0.5, 3);
    ServiceGraph g = Families.graph("dsb-sn", 3);
    RecordingGuard rec = new RecordingGuard();
    Episode.run(t, shortRun(60), rec, 3);
    long home = 0;
    long user = 0;
    long compose = 0;
    long text = 0;
    long mention = 0;
    for (TelemetrySnapshot s : rec.snapshots) {
      home += s.arrivals()[g.nodeId("home-timeline").orElseThrow()];
      user += s.arrivals()[g.nodeId("user-timeline").orElseThrow()];
      compose += s.arrivals()[g.nodeId("compose-post").orElseThrow()];
      text += s.arrivals()[g.nodeId("text").orElseThrow()];
      mention += s.arrivals()[g.nodeId("user-mention").orElseThrow()];
    }
    // compose-post also calls home-timeline and user-timeline once per compose
    double entries = (home - compose) + (user - compose) + compose;
    assertThat((home - compose) / entries).isCloseTo(0.6, within(0.02));
    assertThat((user - compose) / entries).isCloseTo(0.3, within(0.02));
    assertThat(compose / entries).isCloseTo(0.1, within(0.01));
    // user mentions U{0..5}: mean 2.5 per text call
    assertThat(mention / (double) text).isCloseTo(2.5, within(0.15));
    // social-graph gets nothing from nginx (π = 0 routes dropped), only from home-timeline
    assertThat(t.designArrivalRatePerSec(g.nodeId("social-graph").orElseThrow()))
        .isCloseTo(t.designArrivalRatePerSec(g.nodeId("home-timeline").orElseThrow()), within(1e-9));
  }

  @Test
  void multiplicityRangeIsUniform() {
    // 0 -> 1 with m ~ U{2..4}: 3 calls per request on average; agent 1 sees m per request
    ServiceGraph.Builder b = ServiceGraph.builder("m");
    int a = b.addNode("a", ServiceGraph.Role.ENTRY, 0, MS);
    int c = b.addNode("c", ServiceGraph.Role.LEAF_STATELESS, 1, MS / 10);
    b.entryShare(a, 1);
    b.addEdge(a, c, ServiceGraph.EdgeType.RPC, 1.0, 2, 4);
    SimTopology t = Families.fromServiceGraph(b.build(), 50, 1.0, 1);
    assertThat(t.designArrivalRatePerSec(1)).isCloseTo(150, within(1e-9));
    RecordingGuard rec = new RecordingGuard();
    Episode.run(t, shortRun(120), rec, 1);
    long in = 0;
    long out = 0;
    for (TelemetrySnapshot s : rec.snapshots) {
      in += s.arrivals()[0];
      out += s.arrivals()[1];
    }
    assertThat(out / (double) in).isCloseTo(3.0, within(0.06));
  }

  @Test
  void asyncCallsDoNotHoldTheCallersThread() {
    // a -> slow (d = 2 s): synchronous, a's latency includes 2 s; async, it does not (a's own time is
    // d/k = 1 ms / 0.0075 cores = 133 ms: the exact CPU quota at 5 req/s)
    for (boolean async : new boolean[] {false, true}) {
      ServiceGraph.Builder b = ServiceGraph.builder("async");
      int a = b.addNode("a", ServiceGraph.Role.ENTRY, 0, MS);
      int s = b.addNode("slow", ServiceGraph.Role.LEAF_STATELESS, 1, 2000 * MS);
      b.entryShare(a, 1);
      b.addEdge(a, s, async ? ServiceGraph.EdgeType.ASYNC : ServiceGraph.EdgeType.RPC, 1.0, 1, 1);
      SimTopology t = Families.fromServiceGraph(b.build(), 5, 0.5, 2);
      assertThat(t.isAsync(0)).isEqualTo(async);
      RecordingGuard rec = new RecordingGuard();
      Episode.run(t, shortRun(120), rec, 2);
      double p50 = rec.snapshots.get(100).p50LatencyMs()[0];
      if (async) {
        assertThat(p50).isLessThan(400);
        assertThat(t.designResponseNs(0)).isLessThan(400 * MS);
      } else {
        assertThat(p50).isGreaterThan(800); // Exp(2 s) service: median 1.39 s
      }
      long slowArrivals = rec.snapshots.stream().mapToLong(x -> x.arrivals()[1]).sum();
      assertThat(slowArrivals).isGreaterThan(400); // delivered either way
    }
  }

  @Test
  void llmProviderIsLatencyBoundWithSdkRetries() {
    SimTopology t = Families.build("b1-hier", 1.0, 0.2, 1);
    ServiceGraph g = Families.graph("b1-hier", 1);
    int p = -1;
    for (int i = 0; i < g.nodeCount(); i++) {
      if (g.role(i) == ServiceGraph.Role.LLM_PROVIDER) {
        p = i;
      }
    }
    assertThat(t.isLatencyBound(p)).isTrue();
    assertThat(t.serviceLogSigma(p)).isEqualTo(0.5);
    assertThat(t.tokenRatePerSec(p)).isGreaterThan(t.designArrivalRatePerSec(p));
    int toProvider = 0;
    for (int e = 0; e < t.edgeCount(); e++) {
      if (t.callee(e) == p) {
        toProvider++;
        assertThat(t.timeoutNs(e)).isEqualTo(Families.LLM_TIMEOUT_NS);
        assertThat(t.maxAttempts(e)).isEqualTo(3);
        assertThat(t.backoffMultiplier(e)).isEqualTo(2.0);
        // provider calls come first in each agent's plan
        assertThat(e).isEqualTo(t.edgeStart(t.caller(e)));
      }
    }
    assertThat(toProvider).isEqualTo(13); // HIER(3,3): 13 LLM agents
    // a provider with too little RPM rejects (429): squeeze the bucket and see rejections
    EpisodeResult r = Episode.run(t, shortRun(300).withLoadFactor(3.0), CascadeGuard.none(), 1);
    assertThat(r.requests()).isGreaterThan(100);
  }

  @Test
  void macnetActorsRunOncePerTaskAndToolTimeoutsFollowTheLogNormalQuantile() {
    SimTopology t = Families.build("b4-macnet-64-mesh", 1.0, 0.2, 1);
    ServiceGraph g = Families.graph("b4-macnet-64-mesh", 1);
    int[] agentIn = new int[t.agentCount()];
    for (int e = 0; e < t.edgeCount(); e++) {
      ServiceGraph.Role r = g.role(t.callee(e));
      if (r == ServiceGraph.Role.MIDDLE || r == ServiceGraph.Role.ENTRY) {
        agentIn[t.callee(e)]++;
      }
      if (r == ServiceGraph.Role.TOOL) {
        double ratio = Math.exp(3.090232306167813 - 0.5);
        assertThat((double) t.timeoutNs(e)).isCloseTo(ratio * t.designResponseNs(t.callee(e)), within(2.0));
      }
    }
    for (int i = 1; i < 64; i++) {
      assertThat(agentIn[i]).as("hand-offs into actor %d", i).isEqualTo(1);
    }
    assertThat(agentIn[0]).isZero();
  }

  @Test
  void userTopologySpecsAreBridged() {
    TopologySpec spec = TopologySpec.builder("mine")
        .agent("gw", "entry").agent("api", "middle", 3 * MS, 0.01).agent("db", "db", MS)
        .edge("gw", "api", 1.0, 1).edge("api", "db", 0.5, 1, 3, "db", -1).entry("gw", 1).build();
    SimTopology t = Families.fromSpec(spec, 40, 0.2, 5);
    assertThat(t.agentCount()).isEqualTo(3);
    assertThat(t.intrinsicError(1)).isEqualTo(0.01);
    assertThat(t.multiplicityMax(1)).isEqualTo(3);
    assertThat(t.designArrivalRatePerSec(2)).isCloseTo(40 * 0.5 * 2, within(1e-9));
    EpisodeResult r = Episode.run(t, shortRun(60), CascadeGuard.none(), 5);
    assertThat(r.requests()).isGreaterThan(1000);
  }

  @Test
  void badNamesAndInputsGiveClearErrors() {
    for (String bad : List.of("nope", "ali-", "ali-x", "b4-macnet-16-blob", "ws-100-4-2.0", "ba-1e20-2", "")) {
      assertThatThrownBy(() -> Families.build(bad, 0.2, 1)).isInstanceOf(CascadeInputException.class)
          .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("accepted", "shape", "beta", "count", "blank"));
    }
    assertThatThrownBy(() -> Families.build("nope", 0.2, 1)).hasMessageContaining("dsb-sn")
        .hasMessageContaining("ws-<N>-<k>-<beta>");
    assertThatThrownBy(() -> Families.build("ali-2", 0.2, 1)).isInstanceOf(CascadeInputException.class)
        .hasMessageContaining(">= 3");
    assertThatThrownBy(() -> Families.build("dsb-sn", -1.0, 0.2, 1)).hasMessageContaining("entry rate");
    assertThatThrownBy(() -> Families.build("dsb-sn", 0.2 * 0 - 1, 1)).hasMessageContaining("alpha");
    assertThat(Families.names()).contains("dsb-sn", "ali-1000", "b4-macnet-<N>");
    // a cycle whose expected calls diverge, with re-entry (b2-pipe style) is reported, not hung
    TopologySpec loop = TopologySpec.builder("loop").agent("a", "entry").agent("b", "middle")
        .edge("a", "b", 1.0, 2).edge("b", "a", 1.0, 1).build();
    assertThat(Families.fromSpec(loop, 10, 0.2, 1).designArrivalRatePerSec(1)).isCloseTo(20, within(1e-9));
  }

  @Test
  void surgeAtOneEntryOnly() {
    SimTopology t = Families.build("ali-100", 20, 0.5, 4);
    EpisodeParams p = EpisodeParams.defaults().withFault(FaultKind.F4_SURGE_ONE).withDuration(900, 0)
        .withRealisticView(false).withMagnitudes(FaultMagnitudes.standard());
    EpisodeResult r = Episode.run(t, p, CascadeGuard.none(), 4);
    assertThat(r.faultApplied()).isEqualTo(FaultKind.F4_SURGE_ONE);
    EpisodeResult all = Episode.run(t, p.withFault(FaultKind.F4_SURGE), CascadeGuard.none(), 4);
    // one entry surges: fewer extra requests than when all entries surge
    EpisodeResult none = Episode.run(t, p.withFault(FaultKind.NONE), CascadeGuard.none(), 4);
    assertThat(r.entryOffered()).isGreaterThan(none.entryOffered());
    assertThat(all.entryOffered()).isGreaterThan(r.entryOffered());
  }
}
