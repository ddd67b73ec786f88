package io.aura.cascade.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.random.SplitMix64;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {
  /** y ~ Bernoulli(σ(−1 + 2 x0)), x1 pure noise. */
  static Object[] data(int rows, long seed) {
    SplitMix64 rng = new SplitMix64(seed);
    double[][] x = new double[rows][];
    boolean[] y = new boolean[rows];
    for (int r = 0; r < rows; r++) {
      x[r] = new double[] {rng.nextGaussian(), rng.nextGaussian()};
      y[r] = rng.nextDouble() < LogisticRegression.sigmoid(-1 + 2 * x[r][0]);
    }
    return new Object[] {x, y};
  }

  @Test
  void recoversTheGeneratingCoefficientsApproximately() {
    Object[] d = data(4000, 3);
    LogisticRegression.Fit f = LogisticRegression.fit((double[][]) d[0], (boolean[]) d[1], 0.0);
    double slope = f.weights()[1] / f.scale()[0];
    assertThat(slope).isBetween(1.7, 2.3);
    assertThat(Math.abs(f.weights()[2])).isLessThan(0.15);
    double intercept = f.weights()[0] - f.weights()[1] * f.mean()[0] / f.scale()[0] - f.weights()[2] * f.mean()[1] / f.scale()[1];
    assertThat(intercept).isBetween(-1.25, -0.75);
  }

  @Test
  void isDeterministicAndStaysFiniteOnSeparableData() {
    double[][] x = {{0}, {1}, {2}, {3}, {4}, {5}};
    boolean[] y = {false, false, false, true, true, true};
    LogisticRegression.Fit a = LogisticRegression.fit(x, y, 1.0);
    LogisticRegression.Fit b = LogisticRegression.fit(x, y, 1.0);
    assertThat(a.weights()).containsExactly(b.weights());
    for (double w : a.weights()) {
      assertThat(w).isFinite();
    }
    assertThat(a.probability(new double[] {5})).isGreaterThan(0.5);
    assertThat(a.probability(new double[] {0})).isLessThan(0.5);
    assertThat(a.probability(new double[] {Double.NaN})).isBetween(0.0, 1.0);
  }

  @Test
  void badInputIsRejectedWithAMessage() {
    assertThatThrownBy(() -> LogisticRegression.fit(new double[][] {{1}, {2}}, new boolean[] {true, true}, 1))
        .isInstanceOf(CascadeInputException.class).hasMessageContaining("both classes");
    assertThatThrownBy(() -> LogisticRegression.fit(new double[][] {{1}, {Double.NaN}}, new boolean[] {true, false}, 1))
        .isInstanceOf(CascadeInputException.class).hasMessageContaining("not finite");
    assertThatThrownBy(() -> LogisticRegression.fit(new double[][] {{1}, {2, 3}}, new boolean[] {true, false}, 1))
        .isInstanceOf(CascadeInputException.class).hasMessageContaining("row 1");
  }
}
