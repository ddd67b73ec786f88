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

  /** P(the moving 10-sum of i.i.d. normals, sampled at {@code ticks} ticks, is ever above u √10). */
  private static double everAbove(SplitMix64 rng, int trials, int ticks, double u) {
    int hits = 0;
    double level = u * Math.sqrt(10);
    double[] ring = new double[10];
    for (int i = 0; i < trials; i++) {
      double sum = 0;
      for (int k = 0; k < 10; k++) {
        ring[k] = rng.nextGaussian();
        sum += ring[k];
      }
      boolean hit = sum > level;
      for (int t = 1; t < ticks && !hit; t++) {
        double x = rng.nextGaussian();
        sum += x - ring[t % 10];
        ring[t % 10] = x;
        hit = sum > level;
      }
      hits += hit ? 1 : 0;
    }
    return hits / (double) trials;
  }

  @Test
  void theTickWeightsAreTheOneMinuteWeightsAsSimulatedAgain() {
    for (int j : new int[] {2, 6, 10}) {
      double u = WindowFailure.THETA_STEP * j;
      double p = 1 - WindowFailure.normalCdf(u);
      double ever = everAbove(new SplitMix64(0x7e7a + j), 100_000, 60, u);
      double theta = Math.log1p(-ever) / (60 * Math.log1p(-p));
      assertThat(theta).as("u = %.2f", u).isCloseTo(WindowFailure.THETA[j], within(0.02));
    }
  }

  @Test
  void tickWeightsGiveTheChanceOfBeingFailedAtSomeTickOfFiveMinutes() {
    // what Fluid uses them for, over longer stretches than the table's minute
    for (double u : new double[] {2.0, 2.6, 3.0}) {
      double p = 1 - WindowFailure.normalCdf(u);
      double simulated = everAbove(new SplitMix64(0x5eed + (long) (10 * u)), 20_000, 300, u);
      double model = -Math.expm1(300 * WindowFailure.tickWeight(p) * Math.log1p(-p));
      double oneTenth = -Math.expm1(300 * 0.1 * Math.log1p(-p));
      assertThat(model).as("u = %.1f", u).isCloseTo(simulated, within(0.06 * simulated + 0.01));
      assertThat(Math.abs(oneTenth - simulated)).as("the former 0.1 per tick, u = %.1f", u).isGreaterThan(0.2 * simulated);
    }
  }

  @Test
  void tickWeightsInterpolateTheTableAndClampOutsideIt() {
    for (int j = 0; j < WindowFailure.THETA.length; j++) {
      double p = 1 - WindowFailure.normalCdf(WindowFailure.THETA_STEP * j);
      assertThat(WindowFailure.tickWeight(p)).isCloseTo(WindowFailure.THETA[j], within(1e-9));
    }
    assertThat(WindowFailure.tickWeight(0.9)).isEqualTo(WindowFailure.THETA[0]);
    assertThat(WindowFailure.tickWeight(1e-12)).isEqualTo(WindowFailure.THETA[WindowFailure.THETA.length - 1]);
    double last = 0;
    for (double lp = -0.01; lp > -14; lp -= 0.05) {
      double w = WindowFailure.tickWeight(Math.exp(lp));
      assertThat(w).isGreaterThanOrEqualTo(last);
      last = w;
    }
  }
}
