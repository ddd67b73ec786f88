package io.aura.cascade.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.aura.cascade.random.SplitMix64;
import org.junit.jupiter.api.Test;

/** P(a, x) against closed forms: integer shapes (Poisson tail), a = 1/2 (erf), and ln Γ at known points. */
class IncompleteGammaTest {

  /** For integer a: P(a, x) = 1 − e^{−x} Σ_{k<a} x^k / k!. */
  private static double integerShape(int a, double x) {
    double term = 1;
    double sum = 0;
    for (int k = 0; k < a; k++) {
      if (k > 0) {
        term *= x / k;
      }
      sum += term;
    }
    return 1 - Math.exp(-x) * sum;
  }

  /** erf by its Taylor series (|x| ≤ 3 here; converges fast enough in double). */
  private static double erf(double x) {
    double sum = 0;
    double term = x;
    for (int n = 0; n < 200; n++) {
      sum += term / (2 * n + 1);
      term *= -x * x / (n + 1);
    }
    return 2 / Math.sqrt(Math.PI) * sum;
  }

  @Test
  void integerShapesMatchThePoissonTail() {
    SplitMix64 rng = new SplitMix64(7);
    for (int i = 0; i < 2000; i++) {
      int a = 1 + rng.nextInt(40);
      double x = rng.nextDouble() * 3 * a;
      assertThat(IncompleteGamma.regularizedP(a, x)).as("a=%d x=%f", a, x).isCloseTo(integerShape(a, x), within(1e-10));
    }
  }

  @Test
  void halfShapeIsTheErrorFunction() {
    for (double x = 0.01; x < 9; x += 0.37) {
      assertThat(IncompleteGamma.regularizedP(0.5, x)).isCloseTo(erf(Math.sqrt(x)), within(1e-10));
    }
  }

  @Test
  void logGammaAtKnownPoints() {
    assertThat(IncompleteGamma.logGamma(1)).isCloseTo(0, within(1e-12));
    assertThat(IncompleteGamma.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-12));
    assertThat(IncompleteGamma.logGamma(11)).isCloseTo(Math.log(3628800), within(1e-10));
    assertThat(IncompleteGamma.logGamma(0.1)).isCloseTo(2.252712651734206, within(1e-10));
  }

  @Test
  void edgesAndBadArguments() {
    assertThat(IncompleteGamma.regularizedP(3, 0)).isZero();
    assertThat(IncompleteGamma.regularizedP(3, Double.POSITIVE_INFINITY)).isEqualTo(1);
    assertThat(IncompleteGamma.regularizedP(500, 1000)).isCloseTo(1, within(1e-12));
    assertThat(IncompleteGamma.regularizedP(500, 100)).isCloseTo(0, within(1e-12));
    assertThatThrownBy(() -> IncompleteGamma.regularizedP(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IncompleteGamma.regularizedP(1, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IncompleteGamma.regularizedP(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
