package io.aura.cascade.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PredictorTrainingCalmTest {
  @Test
  void calmRowsComeBeforeTheFaultByMoreThanTheLongestHorizonAndAreTrainingOnly() {
    PredictorTraining.Setup setup = new PredictorTraining.Setup(0.2, 0.9, 1200);
    PredictorTraining.EpisodeSamples e = PredictorTraining.episode("dsb-sn", setup, 1);
    int maxH = PredictorTraining.HORIZONS[PredictorTraining.HORIZONS.length - 1];
    // t = 300, 330, ... while t + 300 < t_f (every second of a DSB-SN episode has a snapshot)
    int expected = 0;
    for (int t = 300; t + maxH < e.faultTimeSec(); t += PredictorTraining.CALM_STEP_SEC) {
      expected++;
    }
    assertThat(e.faultTimeSec()).isGreaterThan(600);
    assertThat(e.calm()).hasNumberOfRows(expected);
    List<PredictorTraining.EpisodeSamples> one = List.of(e);
    int[] cols = PredictorTraining.allColumns();
    double[][] post = PredictorTraining.matrix(one, cols);
    double[][] train = PredictorTraining.trainingMatrix(one, cols);
    assertThat(post).hasNumberOfRows(e.x().length);
    assertThat(train).hasNumberOfRows(e.x().length + expected);
    for (int h = 0; h < PredictorTraining.HORIZONS.length; h++) {
      boolean[] y = PredictorTraining.trainingLabels(one, h);
      assertThat(y).hasSize(train.length);
      for (int i = post.length; i < y.length; i++) {
        assertThat(y[i]).isFalse();
      }
      assertThat(PredictorTraining.labels(one, h)).hasSize(post.length);
    }
    assertThat(train[post.length]).containsExactly(e.calm()[0]);
    // a column appended for the memory ablation drops the calm rows (the column exists at sample seconds only)
    assertThat(e.withColumn(new double[e.x().length]).calm()).isEmpty();
  }
}
