package io.aura.cascade.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aura.cascade.random.SplitMix64;
import io.aura.cascade.sim.Action;
import io.aura.cascade.sim.CascadeGuard;
import io.aura.cascade.sim.Episode;
import io.aura.cascade.sim.EpisodeParams;
import io.aura.cascade.sim.Families;
import io.aura.cascade.sim.GuardConfig;
import io.aura.cascade.sim.Prediction;
import io.aura.cascade.sim.StaticTopology;
import io.aura.cascade.sim.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The topological memory inside {@link AuraGuard} ({@code enable_memory}). */
class AuraGuardMemoryTest {
  static final TopologicalMemory EMPTY = new TopologicalMemory(1).freeze();

  @Test
  void withTheShippedModelEnablingTheMemoryChangesNoPredictionAndNoAction() {
    SplitMix64 rng = new SplitMix64(42);
    StaticTopology t = AuraGuardTest.randomDag(12, rng);
    List<TelemetrySnapshot> snaps = AuraGuardTest.stream(12, t.edgeCount(), 150, rng);
    AuraGuard off = new AuraGuard();
    AuraGuard on = new AuraGuard(RiskModel.shipped(), PreventionPolicy.Config.defaults(), EMPTY);
    off.init(t, AuraGuardTest.CFG);
    on.init(t, AuraGuardTest.CFG);
    assertThat(off.memoryEnabled()).isFalse();
    assertThat(on.memoryEnabled()).isTrue();
    for (TelemetrySnapshot s : snaps) {
      Prediction a = off.predict(s);
      Prediction b = on.predict(s);
      assertThat(b.risk()).isEqualTo(a.risk());
      assertThat(b.riskByHorizonSec()).isEqualTo(a.riskByHorizonSec());
      assertThat(b.criticalAgents()).isEqualTo(a.criticalAgents());
      assertThat(b.criticalScores()).isEqualTo(a.criticalScores());
      assertThat(on.decide(s, b)).isEqualTo(off.decide(s, a));
      assertThat(on.memoryRisk()).isBetween(0.0, 1.0);
      if (s.timeSec() < 60) {
        assertThat(on.nearest(5)).isEmpty(); // nothing is labelled before 60 s
        assertThat(on.memoryRisk()).isZero();
      }
    }
    // ticks 5, 10, ..., 90 are labelled by 150 s (the estimate decides their outcomes)
    assertThat(on.memory().ownSize()).isEqualTo(18);
    List<TopologicalMemory.Neighbour> n = on.nearest(4);
    assertThat(n).hasSize(4);
    for (int k = 1; k < n.size(); k++) {
      assertThat(n.get(k).distance()).isGreaterThanOrEqualTo(n.get(k - 1).distance());
    }
    assertThat(off.nearest(4)).isEmpty();
    assertThat(off.memoryRisk()).isZero();
    // init starts a fresh memory: nothing carries over except the seed
    on.init(t, AuraGuardTest.CFG);
    assertThat(on.memory().size()).isZero();
  }

  /** A model over NAMES_WITH_MEMORY whose only non-zero weight is on memory_risk. */
  static RiskModel memoryOnlyModel() {
    int d = FeatureExtractor.NAMES_WITH_MEMORY.size();
    double[] mean = new double[d];
    double[] scale = new double[d];
    Arrays.fill(scale, 1);
    double[] w = new double[d + 1];
    w[0] = -2;
    w[1 + FeatureExtractor.MEMORY_COLUMN] = 4;
    LogisticRegression.Fit f = new LogisticRegression.Fit(mean, scale, w);
    return new RiskModel(FeatureExtractor.NAMES_WITH_MEMORY, 0.1, "test", new int[] {60}, List.of(f));
  }

  @Test
  void aModelTrainedWithTheMemoryReadsTheMemoryRisk() {
    RiskModel model = memoryOnlyModel();
    // a seed that remembers one cascade after an empty (all-zero) signature: the first three ticks
    // have fewer than four snapshots, so their state cloud is empty and matches it exactly
    TopologicalMemory seed = new TopologicalMemory(4);
    seed.add(new float[TopologicalMemory.DIM], true, 0, 700);
    seed.freeze();
    AuraGuard g = new AuraGuard(model, PreventionPolicy.Config.defaults(), seed);
    StaticTopology t = new StaticTopology(3, new int[] {0, 1}, new int[] {1, 2});
    g.init(t, AuraGuardTest.CFG);
    Snapshots s = new Snapshots(3, 2);
    Prediction p = g.predict(s.next());
    assertThat(g.memoryRisk()).isEqualTo(1.0);
    assertThat(p.risk()).isCloseTo(1 / (1 + Math.exp(-2)), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(g.nearest(1)).singleElement().satisfies(n -> {
      assertThat(n.distance()).isZero();
      assertThat(n.cascaded()).isTrue();
      assertThat(n.timeSec()).isEqualTo(700);
    });
    // with an empty memory the feature is 0 (no remembered cascade)
    AuraGuard e = new AuraGuard(model, PreventionPolicy.Config.defaults(), EMPTY);
    e.init(t, AuraGuardTest.CFG);
    Prediction q = e.predict(new Snapshots(3, 2).next());
    assertThat(q.risk()).isCloseTo(1 / (1 + Math.exp(2)), org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void misconfiguredMemoryIsRejected() {
    assertThatThrownBy(() -> new AuraGuard(memoryOnlyModel())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("memory_risk");
    assertThatThrownBy(() -> new AuraGuard(RiskModel.shipped(), PreventionPolicy.Config.defaults(), new TopologicalMemory(2)))
        .hasMessageContaining("frozen");
    assertThat(FeatureExtractor.MEMORY_COLUMN).isEqualTo(FeatureExtractor.NAMES.size());
    assertThat(FeatureExtractor.NAMES_WITH_MEMORY.get(FeatureExtractor.MEMORY_COLUMN)).isEqualTo(FeatureExtractor.MEMORY_RISK);
    assertThat(FeatureExtractor.NAMES.get(FeatureExtractor.EVER_FAILED)).isEqualTo("ever_failed_fraction");
  }

  /** Records the guard's memory risk each second. */
  private static final class Tap implements CascadeGuard {
    final AuraGuard g;
    final double[] riskBySec;

    Tap(AuraGuard g, int seconds) {
      this.g = g;
      riskBySec = new double[seconds];
      Arrays.fill(riskBySec, Double.NaN);
    }

    @Override
    public void init(StaticTopology staticTopology, GuardConfig cfg) {
      g.init(staticTopology, cfg);
    }

    @Override
    public Prediction predict(TelemetrySnapshot s) {
      Prediction p = g.predict(s);
      if (s.timeSec() >= 0 && s.timeSec() < riskBySec.length) {
        riskBySec[(int) s.timeSec()] = g.memoryRisk();
      }
      return p;
    }

    @Override
    public List<Action> decide(TelemetrySnapshot s, Prediction p) {
      return g.decide(s, p);
    }
  }

  /**
   * The evaluation's offline replay ({@link PredictorTraining#memoryRisks}) gives, at every sample,
   * exactly the memory risk the guard computes online in the same (predict-only) episode.
   */
  @Test
  void theTrainingReplayMatchesTheGuardInARealEpisode() {
    PredictorTraining.Setup setup = new PredictorTraining.Setup(0.2, 0.9, 1200);
    PredictorTraining.EpisodeSamples seedEp = PredictorTraining.episode("dsb-sn", setup, 4);
    PredictorTraining.EpisodeSamples e = PredictorTraining.episode("dsb-sn", setup, 5);
    TopologicalMemory seed = PredictorTraining.seedMemory(List.of(seedEp));
    assertThat(seed.size()).isGreaterThan(100);
    double[] replay = PredictorTraining.memoryRisks(e, seed);
    assertThat(replay).hasSizeGreaterThan(20);
    assertThat(seed.cascadingCount()).isPositive(); // seed 4 cascades: some remembered outcomes are cascades
    assertThat(Arrays.stream(replay).max().orElseThrow()).isPositive();

    Tap tap = new Tap(new AuraGuard(RiskModel.shipped(), PreventionPolicy.Config.defaults(), seed), 1202);
    EpisodeParams params = EpisodeParams.defaults().withPredictOnly(true).withLoadFactor(0.9)
        .withDuration(1200, Math.min(EpisodeParams.DEFAULT_WARMUP_SEC, 1199));
    Episode.run(Families.build("dsb-sn", 0.2, 5), params, tap, 5);
    List<Double> online = new ArrayList<>();
    for (int sec : e.sampleSec()) {
      online.add(tap.riskBySec[sec]);
    }
    assertThat(online).containsExactly(Arrays.stream(replay).boxed().toArray(Double[]::new));
    System.out.printf("replay check: %d seed entries (%d cascading), %d samples, memory risk %s%n", seed.size(),
        seed.cascadingCount(), replay.length, Arrays.toString(replay));
  }
}
