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
    String a = PredictorTraining.train(PredictorTraining.collect(fam, setup, 1, 2, l -> {}), "test").format();
    String b = PredictorTraining.train(PredictorTraining.collect(fam, setup, 1, 2, l -> {}), "test").format();
    assertThat(b).isEqualTo(a);
    assertThat(a).contains("horizon 60");
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
    RiskModel again = PredictorTraining.train(PredictorTraining.collect(sets, setup,
        Runtime.getRuntime().availableProcessors(), l -> {}), m.provenance());
    assertThat(again.format()).isEqualTo(shipped);
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
