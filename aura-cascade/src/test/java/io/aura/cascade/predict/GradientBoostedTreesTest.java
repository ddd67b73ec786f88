package io.aura.cascade.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.metrics.PredictionQuality;
import io.aura.cascade.random.SplitMix64;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class GradientBoostedTreesTest {
  /** y = 1 when exactly one of x0 > 0.5, x1 > 0.5 (XOR, no linear signal), with 5% label noise; x2 is noise. */
  static Object[] xor(long seed, int n) {
    SplitMix64 r = new SplitMix64(seed);
    double[][] x = new double[n][3];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < 3; k++) {
        x[i][k] = r.nextDouble();
      }
      boolean v = (x[i][0] > 0.5) != (x[i][1] > 0.5);
      y[i] = r.nextDouble() < 0.05 ? !v : v;
    }
    return new Object[] {x, y};
  }

  static double auroc(RiskFit f, double[][] x, boolean[] y) {
    double[] p = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      p[i] = f.probability(x[i]);
    }
    return PredictionQuality.auroc(p, y);
  }

  @Test
  void learnsAnInteractionALinearModelCannot() {
    Object[] tr = xor(1, 2000);
    Object[] te = xor(2, 2000);
    RiskFit gb = GradientBoostedTrees.fit((double[][]) tr[0], (boolean[]) tr[1], GradientBoostedTrees.DEFAULTS);
    RiskFit lr = LogisticRegression.fit((double[][]) tr[0], (boolean[]) tr[1], 1.0);
    double aGb = auroc(gb, (double[][]) te[0], (boolean[]) te[1]);
    double aLr = auroc(lr, (double[][]) te[0], (boolean[]) te[1]);
    assertThat(aGb).isGreaterThan(0.9);
    assertThat(aLr).isLessThan(0.6);
  }

  @Test
  void aPureSplitIsFoundAtTheRightThreshold() {
    // y = x0 >= 0.3 on a grid of 1000; with 10 bins the candidates of x0 are 0.1, ..., 0.9: the first root splits x0 at 0.3
    int n = 1000;
    double[][] x = new double[n][2];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      x[i][0] = i / (double) n;
      x[i][1] = (i * 7919 % n) / (double) n;
      y[i] = x[i][0] >= 0.3;
    }
    GradientBoostedTrees.Model m = GradientBoostedTrees.fit(x, y, new GradientBoostedTrees.Params(50, 1, 10, 0.3, 1.0, 10));
    assertThat(m.treeText(0)).startsWith("0:0.3");
    for (int i = 0; i < n; i++) {
      assertThat(m.probability(x[i]) > 0.5).isEqualTo(y[i]);
    }
  }

  @Test
  void leavesRespectTheMinimumSizeAndTheDepth() {
    Object[] tr = xor(3, 500);
    double[][] x = (double[][]) tr[0];
    GradientBoostedTrees.Params p = new GradientBoostedTrees.Params(20, 3, 60, 0.1, 1.0, 16);
    GradientBoostedTrees.Model m = GradientBoostedTrees.fit(x, (boolean[]) tr[1], p);
    for (int t = 0; t < m.trees(); t++) {
      String[] tokens = m.treeText(t).split(" ");
      int leaves = 0;
      for (String tok : tokens) {
        leaves += tok.startsWith("=") ? 1 : 0;
      }
      assertThat(leaves).isBetween(1, 8);
      assertThat(leaves).isLessThanOrEqualTo(x.length / p.minLeaf());
    }
  }

  @Property(tries = 20)
  void theFitIsAFunctionOfTheDataAndProbabilitiesAreInRange(@ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
    Object[] tr = xor(seed, 300);
    GradientBoostedTrees.Params p = new GradientBoostedTrees.Params(15, 3, 10, 0.1, 1.0, 16);
    GradientBoostedTrees.Model a = GradientBoostedTrees.fit((double[][]) tr[0], (boolean[]) tr[1], p);
    GradientBoostedTrees.Model b = GradientBoostedTrees.fit((double[][]) xor(seed, 300)[0], (boolean[]) xor(seed, 300)[1], p);
    for (int t = 0; t < a.trees(); t++) {
      assertThat(a.treeText(t)).isEqualTo(b.treeText(t));
    }
    SplitMix64 r = new SplitMix64(seed ^ 0x5eed);
    for (int i = 0; i < 50; i++) {
      double[] x = {r.nextDouble() * 4 - 2, i % 7 == 0 ? Double.NaN : r.nextDouble(), i % 11 == 0 ? Double.POSITIVE_INFINITY : 0.5};
      assertThat(a.probability(x)).isBetween(0.0, 1.0);
    }
  }

  @Test
  void constantFeaturesGiveALeafOnlyModelAtTheBaseRate() {
    double[][] x = new double[100][1];
    boolean[] y = new boolean[100];
    for (int i = 0; i < 25; i++) {
      y[i] = true;
    }
    GradientBoostedTrees.Model m = GradientBoostedTrees.fit(x, y, GradientBoostedTrees.DEFAULTS);
    assertThat(m.treeText(0)).startsWith("=");
    assertThat(m.base()).isCloseTo(Math.log(25.0 / 75), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(m.probability(new double[] {0})).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void badInputGetsAClearError() {
    assertThatThrownBy(() -> GradientBoostedTrees.fit(new double[0][], new boolean[0], GradientBoostedTrees.DEFAULTS))
        .isInstanceOf(CascadeInputException.class).hasMessageContaining("at least one");
    assertThatThrownBy(() -> GradientBoostedTrees.fit(new double[][] {{1}, {2}}, new boolean[] {true, true}, GradientBoostedTrees.DEFAULTS))
        .isInstanceOf(CascadeInputException.class).hasMessageContaining("both classes");
    assertThatThrownBy(() -> GradientBoostedTrees.fit(new double[][] {{1}, {Double.NaN}}, new boolean[] {true, false},
        GradientBoostedTrees.DEFAULTS)).isInstanceOf(CascadeInputException.class).hasMessageContaining("not finite");
    assertThatThrownBy(() -> new GradientBoostedTrees.Params(0, 4, 40, 0.05, 1, 32)).isInstanceOf(CascadeInputException.class);
    assertThatThrownBy(() -> new GradientBoostedTrees.Params(10, 4, 40, 0, 1, 32)).isInstanceOf(CascadeInputException.class);
    assertThatThrownBy(() -> new GradientBoostedTrees.Params(10, 4, 40, 0.1, 0, 32)).isInstanceOf(CascadeInputException.class)
        .hasMessageContaining("lambda > 0");
    assertThatThrownBy(() -> GradientBoostedTrees.Model.parse(2, 0, List.of())).isInstanceOf(CascadeInputException.class)
        .hasMessageContaining("at least one tree");
  }

  @Test
  void thresholdsAreQuantilesWithoutDuplicatesOrTheMinimum() {
    double[] col = {5, 1, 1, 1, 2, 3, 4, 4};
    assertThat(GradientBoostedTrees.thresholds(col, 4)).containsExactly(3.0, 4.0);
    assertThat(GradientBoostedTrees.binOf(new double[] {2, 4}, 1.9)).isZero();
    assertThat(GradientBoostedTrees.binOf(new double[] {2, 4}, 2)).isEqualTo(1);
    assertThat(GradientBoostedTrees.binOf(new double[] {2, 4}, 9)).isEqualTo(2);
  }
}
