package io.aura.cascade.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aura.cascade.random.SplitMix64;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The memory ablation's arithmetic on constructed samples (no simulator). */
class PredictorTrainingMemoryTest {
  /**
   * Episodes of 40 samples with 18 columns: the 17 features are noise, the memory column is
   * {@code informative ? label + noise : noise}.
   */
  static List<PredictorTraining.EpisodeSamples> episodes(int count, boolean informative, SplitMix64 rng) {
    return episodes(count, rng, informative ? new int[] {FeatureExtractor.MEMORY_COLUMN} : new int[0], 0.8);
  }

  /**
   * Episodes of 40 samples over every feature and the memory column, all noise in [0, 1), except that
   * the columns {@code informative} get {@code shift} added on positive samples (prevalence 0.2).
   */
  static List<PredictorTraining.EpisodeSamples> episodes(int count, SplitMix64 rng, int[] informative, double shift) {
    List<PredictorTraining.EpisodeSamples> out = new ArrayList<>();
    for (int e = 0; e < count; e++) {
      double[][] x = new double[40][FeatureExtractor.NAMES_WITH_MEMORY.size()];
      boolean[][] y = new boolean[PredictorTraining.HORIZONS.length][40];
      for (int i = 0; i < 40; i++) {
        boolean pos = rng.nextDouble() < 0.2;
        for (int h = 0; h < y.length; h++) {
          y[h][i] = pos;
        }
        for (int c = 0; c < x[i].length; c++) {
          x[i][c] = rng.nextDouble();
        }
        if (pos) {
          for (int c : informative) {
            x[i][c] += shift;
          }
        }
      }
      out.add(new PredictorTraining.EpisodeSamples("test", e, 600, Double.NaN, x, y, new int[40], new float[0][], new double[0]));
    }
    return out;
  }

  @Test
  void anInformativeMemoryColumnShowsAsAPositiveDifferenceAndANoiseColumnDoesNot() {
    SplitMix64 rng = new SplitMix64(5);
    PredictorTraining.MemoryData good = new PredictorTraining.MemoryData(episodes(20, true, rng), episodes(20, true, rng), 0, 0);
    double[] d = PredictorTraining.memoryDifference(good, 300, 1);
    assertThat(d[0]).isGreaterThan(0.2);
    assertThat(d[1]).isPositive().isLessThanOrEqualTo(d[0]);
    assertThat(d[2]).isGreaterThanOrEqualTo(d[0]);
    assertThat(d[3]).isPositive();
    PredictorTraining.MemoryData noise = new PredictorTraining.MemoryData(episodes(20, false, rng), episodes(20, false, rng), 0, 0);
    double[] z = PredictorTraining.memoryDifference(noise, 300, 1);
    assertThat(z[1]).isNegative(); // the interval covers 0
    assertThat(z[2]).isPositive();
    assertThat(PredictorTraining.memoryDifference(noise, 300, 1)).containsExactly(z); // deterministic
    assertThatThrownBy(() -> PredictorTraining.memoryDifference(noise, 0, 1)).hasMessageContaining("replicates must be >= 1");
  }

  @Test
  void withColumnAppendsOneValuePerSample() {
    PredictorTraining.EpisodeSamples e = episodes(1, false, new SplitMix64(1)).get(0);
    double[] col = new double[40];
    col[3] = 0.25;
    PredictorTraining.EpisodeSamples f = e.withColumn(col);
    assertThat(f.x()[3]).hasSize(e.x()[3].length + 1).endsWith(0.25);
    assertThat(f.y()).isSameAs(e.y());
    assertThatThrownBy(() -> e.withColumn(new double[3])).hasMessageContaining("3 values for 40 samples");
  }
}
