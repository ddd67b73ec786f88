package io.aura.cascade.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aura.cascade.CascadeInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RiskModelTest {
  static RiskModel tiny() {
    LogisticRegression.Fit f30 = new LogisticRegression.Fit(new double[] {0.1, 1.0 / 3}, new double[] {1, 2}, new double[] {-2, 0.5, 1e-17});
    LogisticRegression.Fit f60 = new LogisticRegression.Fit(new double[] {0, 0}, new double[] {1, 1}, new double[] {-1, 1, -1});
    return new RiskModel(List.of("a", "b"), 0.1, "test model", new int[] {30, 60}, List.of(f30, f60));
  }

  @Test
  void formatAndParseRoundTripExactly() {
    RiskModel m = tiny();
    String text = m.format();
    RiskModel back = RiskModel.parse(text);
    assertThat(back.format()).isEqualTo(text);
    assertThat(back.fit(0).mean()).containsExactly(0.1, 1.0 / 3);
    assertThat(back.primaryIndex()).isEqualTo(1);
    assertThat(back.provenance()).isEqualTo("test model");
  }

  @Test
  void malformedFilesGetAClearMessage() {
    assertThatThrownBy(() -> RiskModel.parse("hello")).isInstanceOf(CascadeInputException.class).hasMessageContaining("not a risk model");
    String broken = tiny().format().replace("weights -1.0", "weights x");
    assertThatThrownBy(() -> RiskModel.parse(broken)).isInstanceOf(CascadeInputException.class).hasMessageContaining("'x'");
    String truncated = tiny().format().lines().limit(6).reduce("", (a, b) -> a + b + "\n");
    assertThatThrownBy(() -> RiskModel.parse(truncated)).isInstanceOf(CascadeInputException.class).hasMessageContaining("end of the file");
  }

  @Test
  void theShippedModelLoadsAndMatchesTheFeatureSet() {
    RiskModel m = RiskModel.shipped();
    assertThat(m.features()).isEqualTo(FeatureExtractor.NAMES);
    assertThat(m.horizons()).containsExactly(PredictorTraining.HORIZONS);
    assertThat(m.provenance()).startsWith("aura train ");
  }
}
