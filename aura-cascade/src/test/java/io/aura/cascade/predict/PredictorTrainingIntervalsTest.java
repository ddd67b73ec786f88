package io.aura.cascade.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.aura.cascade.random.SplitMix64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The evaluation's paired-bootstrap differences from the full model, on constructed samples (no simulator). */
class PredictorTrainingIntervalsTest {

  /** Episodes of 40 samples: every column noise, except that the state family's columns carry the label. */
  static List<PredictorTraining.EpisodeSamples> episodes(int count, SplitMix64 rng) {
    return PredictorTrainingMemoryTest.episodes(count, rng, FeatureExtractor.STATE, 0.7);
  }

  @Test
  void droppingTheInformativeFamilyIsSignificantlyWorseAndTheDifferencesMatchTheTable() {
    SplitMix64 rng = new SplitMix64(9);
    List<PredictorTraining.EpisodeSamples> train = episodes(20, rng);
    List<PredictorTraining.EpisodeSamples> test = episodes(20, rng);
    PredictorTraining.MemoryData md = new PredictorTraining.MemoryData(train, test, 0, 0);
    PredictorTraining.Evaluation ev = PredictorTraining.evaluateWithIntervals(train, test, md, 300, 1);
    Map<String, PredictorTraining.Row> rows = ev.rows().stream().collect(Collectors.toMap(PredictorTraining.Row::name, Function.identity()));
    Map<String, PredictorTraining.Delta> d = ev.vsFull().stream().collect(Collectors.toMap(PredictorTraining.Delta::name, Function.identity()));
    double full = rows.get("AURA full model").auroc();
    assertThat(full).isGreaterThan(0.9);
    // every row but the full model and the memory rows, each point equal to the table's difference
    assertThat(d).doesNotContainKey("AURA full model").doesNotContainKey("AURA full + memory").containsKey("(iv) branching ratio");
    assertThat(d).hasSize(ev.rows().size() - 1 - 5);
    for (PredictorTraining.Delta x : ev.vsFull()) {
      assertThat(x.dAuroc()).as(x.name()).isCloseTo(rows.get(x.name()).auroc() - full, within(1e-12));
      assertThat(x.dAuprc()).as(x.name()).isCloseTo(rows.get(x.name()).auprc() - rows.get("AURA full model").auprc(), within(1e-12));
      assertThat(x.aurocLow()).as(x.name()).isLessThanOrEqualTo(x.aurocHigh());
      assertThat(x.auprcLow()).as(x.name()).isLessThanOrEqualTo(x.auprcHigh());
    }
    // without the state family the model is left with noise: significantly worse
    assertThat(d.get("AURA without state").aurocHigh()).isNegative();
    assertThat(d.get("state alone").aurocLow()).isGreaterThan(-0.1);
    // noise alone: far below the full model
    assertThat(d.get("topological alone").aurocHigh()).isLessThan(-0.2);
    assertThat(ev.replicates()).isBetween(290, 300);
    // deterministic
    assertThat(PredictorTraining.evaluateWithIntervals(train, test, md, 300, 1).vsFull()).isEqualTo(ev.vsFull());
    assertThat(PredictorTraining.deltaTable(ev)).contains("AURA without state").contains("[");
    assertThatThrownBy(() -> PredictorTraining.evaluateWithIntervals(train, test, md, 0, 1)).hasMessageContaining("replicates");
  }
}
