package io.aura.cascade.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class RetrainDeterminismTest {
  @Test
  void retrainingOnTheSameSeedsGivesTheSameModelFile() {
    PredictorTraining.Setup setup = new PredictorTraining.Setup(0.2, 0.9, 900);
    List<String> fam = List.of("dsb-sn", "ali-100");
    List<PredictorTraining.EpisodeSamples> first = PredictorTraining.collect(fam, setup, 1, 2, l -> {});
    List<PredictorTraining.EpisodeSamples> second = PredictorTraining.collect(fam, setup, 1, 2, l -> {});
    String a = PredictorTraining.train(first, "test").format();
    String b = PredictorTraining.train(second, "test").format();
    assertThat(b).isEqualTo(a);
    assertThat(a).contains("horizon 60");
    // baseline (v): the same bytes too, a logistic regression on the four baseline columns at 60 s
    String va = PredictorTraining.baselineModel(first, "test").format();
    assertThat(PredictorTraining.baselineModel(second, "test").format()).isEqualTo(va);
    RiskModel v = RiskModel.parse(va);
    assertThat(v.features()).containsExactly("max_util", "max_queue_growth", "csd_trend", "branching");
    assertThat(v.horizons()).containsExactly(60);
    assertThat(v.fit(0)).isInstanceOf(LogisticRegression.Fit.class);
  }

  /** The shipped baseline (v) was fitted on the shipped model's training rows: same provenance, four features. */
  @Test
  void theShippedBaselineVGoesWithTheShippedModel() {
    RiskModel v = RiskModel.shippedBaselineV();
    assertThat(v.provenance()).isEqualTo(RiskModel.shipped().provenance());
    assertThat(v.features()).containsExactly("max_util", "max_queue_growth", "csd_trend", "branching");
    assertThat(v.fit(v.primaryIndex()).probability(new double[] {0.5, 0.0, 0.0, Double.NaN})).isBetween(0.0, 1.0);
  }

  /** Retrains with the shipped model's own provenance line and compares the bytes (minutes of CPU). */
  @Test
  @Tag("slow")
  void theShippedModelIsReproducedByItsTrainingCommand() throws IOException {
    String shipped;
    try (InputStream in = RiskModel.class.getResourceAsStream(RiskModel.RESOURCE)) {
      shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    RiskModel m = RiskModel.parse(shipped);
    String[] w = m.provenance().split(" ");
    String family = arg(w, "--family");
    String[] seeds = arg(w, "--seeds").split("-");
    PredictorTraining.Setup setup = new PredictorTraining.Setup(Double.parseDouble(arg(w, "--alpha")),
        Double.parseDouble(arg(w, "--load")), Long.parseLong(arg(w, "--duration")));
    List<PredictorTraining.FamilySeeds> sets = PredictorTraining.parseFamilies(family,
        new long[] {Long.parseLong(seeds[0]), Long.parseLong(seeds[1])});
    List<PredictorTraining.EpisodeSamples> data = PredictorTraining.collect(sets, setup,
        Runtime.getRuntime().availableProcessors(), l -> {});
    RiskModel again = PredictorTraining.train(data, m.provenance());
    assertThat(again.format()).isEqualTo(shipped);
    String shippedV;
    try (InputStream in = RiskModel.class.getResourceAsStream(RiskModel.BASELINE_V_RESOURCE)) {
      shippedV = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(PredictorTraining.baselineModel(data, m.provenance()).format()).isEqualTo(shippedV);
  }

  private static String arg(String[] w, String key) {
    for (int i = 0; i + 1 < w.length; i++) {
      if (w[i].equals(key)) {
        return w[i + 1];
      }
    }
    throw new AssertionError("provenance lacks " + key);
  }
}
