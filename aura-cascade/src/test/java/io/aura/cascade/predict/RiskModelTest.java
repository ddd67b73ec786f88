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
    assertThat(((LogisticRegression.Fit) back.fit(0)).mean()).containsExactly(0.1, 1.0 / 3);
    assertThat(back.primaryIndex()).isEqualTo(1);
    assertThat(back.provenance()).isEqualTo("test model");
  }

  static RiskModel trees() {
    GradientBoostedTrees.Model m = GradientBoostedTrees.Model.parse(2, -2.5,
        List.of("0:0.5 =-0.1 1:1.0E-17 =0.2 =0.30000000000000004", "=0.01"));
    return new RiskModel(List.of("a", "b"), 0.1, "tree model", new int[] {60}, List.of(m));
  }

  @Test
  void treeModelsRoundTripExactlyAndPredictTheSame() {
    RiskModel m = trees();
    String text = m.format();
    assertThat(text).startsWith("aura-risk-model 2\n").contains("gbdt -2.5 2\n", "tree 0:0.5 =-0.1 1:1.0E-17 =0.2 =0.30000000000000004\n");
    RiskModel back = RiskModel.parse(text);
    assertThat(back.format()).isEqualTo(text);
    double[][] xs = {{0, 0}, {0.6, 0}, {0.6, 1}, {Double.NaN, -1}};
    for (double[] x : xs) {
      assertThat(back.fit(0).probability(x)).isEqualTo(m.fit(0).probability(x));
    }
    // x_a < 0.5 -> -0.1; else x_b < 1e-17 -> 0.2 else 0.3 (NaN goes right)
    assertThat(((GradientBoostedTrees.Model) back.fit(0)).logOdds(new double[] {0, 5})).isEqualTo(-2.5 - 0.1 + 0.01);
    assertThat(((GradientBoostedTrees.Model) back.fit(0)).logOdds(new double[] {Double.NaN, Double.NaN}))
        .isEqualTo(-2.5 + 0.30000000000000004 + 0.01);
  }

  @Test
  void versionOneFilesStillLoad() {
    String v1 = tiny().format().replace("aura-risk-model 2", "aura-risk-model 1").replace("logistic\n", "");
    assertThat(RiskModel.parse(v1).format()).isEqualTo(tiny().format());
  }

  @Test
  void malformedTreesGetAClearMessage() {
    String text = trees().format();
    refused(text.replace("0:0.5", "7:0.5"), "feature 7");
    refused(text.replace(" =0.30000000000000004", ""), "two children");
    refused(text.replace("tree =0.01", "tree =0.01 =1"), "after the tree is complete");
    refused(text.replace("=-0.1", "=NaN"), "'=NaN'");
    refused(text.replace("gbdt -2.5 2", "gbdt -2.5 3"), "'tree' line");
    refused(text.replace("gbdt -2.5 2", "forest"), "'logistic' or 'gbdt BASE TREES'");
  }

  /** Parsing text fails with a CascadeInputException whose message contains the fragment. */
  private static void refused(String text, String fragment) {
    assertThatThrownBy(() -> RiskModel.parse(text)).isInstanceOf(CascadeInputException.class).hasMessageContaining(fragment);
  }

  @Test
  void malformedFilesGetAClearMessage() {
    refused("hello", "not a risk model");
    refused(tiny().format().replace("weights -1.0", "weights x"), "'x'");
    refused(tiny().format().lines().limit(6).reduce("", (a, b) -> a + b + "\n"), "end of the file");
  }

  @Test
  void theShippedModelLoadsAndMatchesTheFeatureSet() {
    RiskModel m = RiskModel.shipped();
    assertThat(m.features()).isEqualTo(FeatureExtractor.NAMES);
    assertThat(m.horizons()).containsExactly(PredictorTraining.HORIZONS);
    assertThat(m.provenance()).startsWith("aura train ");
    for (int h = 0; h < m.horizons().length; h++) {
      assertThat(m.fit(h)).isInstanceOf(GradientBoostedTrees.Model.class);
    }
  }
}
