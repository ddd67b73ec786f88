package io.aura.cascade.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.aura.cascade.random.SplitMix64;
import org.junit.jupiter.api.Test;

/** The FAILED rule's chance under Poisson traffic, against a brute-force sum and a simulation. */
class WindowFailureTest {

  /** Σ_N Pois(N; m) Σ_{k > N/2} Binom(k; N, f) for N ≥ 10, by direct products (no recursion). */
  private static double bruteForce(double m, double f) {
    double sum = 0;
    double pois = Math.exp(-m);
    for (int n = 0; n <= 400; n++) {
      if (n > 0) {
        pois *= m / n;
      }
      if (n < 10) {
        continue;
      }
      double tail = 0;
      for (int k = n / 2 + 1; k <= n; k++) {
        double c = 1;
        for (int j = 0; j < k; j++) {
          c *= (double) (n - j) / (k - j);
        }
        tail += c * Math.pow(f, k) * Math.pow(1 - f, n - k);
      }
      sum += pois * tail;
    }
    return sum;
  }

  @Test
  void matchesTheBruteForceSumBelowTheNormalRange() {
    for (double m : new double[] {3, 8, 10, 15, 30, 59}) {
      for (double f : new double[] {0.1, 0.3, 0.45, 0.5, 0.6, 0.9, 1.0}) {
        assertThat(WindowFailure.probability(m, f)).as("m=%f f=%f", m, f).isCloseTo(bruteForce(m, f), within(1e-9));
      }
    }
  }

  @Test
  void theNormalApproximationAgreesWithASimulationAboveIt() {
    SplitMix64 rng = new SplitMix64(11);
    for (double[] c : new double[][] {{80, 0.45}, {80, 0.5}, {200, 0.47}, {200, 0.55}}) {
      double m = c[0];
      double f = c[1];
      int hits = 0;
      int trials = 40_000;
      for (int i = 0; i < trials; i++) {
        int n = poisson(rng, m);
        int fails = 0;
        for (int j = 0; j < n; j++) {
          fails += rng.nextDouble() < f ? 1 : 0;
        }
        hits += n >= 10 && fails * 2 > n ? 1 : 0;
      }
      assertThat(WindowFailure.probability(m, f)).as("m=%f f=%f", m, f).isCloseTo(hits / (double) trials, within(0.03));
    }
  }

  private static int poisson(SplitMix64 rng, double m) {
    double l = Math.exp(-m / 2);
    int k = 0;
    // sum of two Poisson(m/2) draws keeps Knuth's method away from underflow
    for (int half = 0; half < 2; half++) {
      double p = 1;
      while (true) {
        p *= rng.nextDouble();
        if (p < l) {
          break;
        }
        k++;
      }
    }
    return k;
  }

  @Test
  void edges() {
    assertThat(WindowFailure.probability(0, 0.9)).isZero();
    assertThat(WindowFailure.probability(50, 0)).isZero();
    assertThat(WindowFailure.probability(500, 0.01)).isLessThan(1e-12);
    assertThat(WindowFailure.probability(30, 0.001)).isZero(); // below the Chernoff bound: skipped
    assertThat(WindowFailure.probability(500, 1)).isCloseTo(1, within(1e-9));
    assertThat(WindowFailure.probability(2, 1)).isLessThan(1e-4); // rarely 10 requests in the window
    assertThat(WindowFailure.probability(Double.NaN, 0.5)).isZero();
    assertThat(WindowFailure.normalCdf(0)).isCloseTo(0.5, within(1e-7));
    assertThat(WindowFailure.normalCdf(1.959963984540054)).isCloseTo(0.975, within(1e-6));
    assertThat(WindowFailure.normalCdf(-3)).isCloseTo(0.0013498980316301, within(1e-7));
  }
}
