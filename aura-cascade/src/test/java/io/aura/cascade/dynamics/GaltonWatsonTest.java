package io.aura.cascade.dynamics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.random.SplitMix64;
import org.junit.jupiter.api.Test;

class GaltonWatsonTest {
    @Test
    void pmfSumsToOneAndHasTheClosedFormMean() {
        for (double[] p : new double[][] {{1.0, 0.5}, {2.0, 0.3}, {0.5, 0.8}}) {
            double sum = 0;
            double mean = 0;
            for (int r = 0; r < 5000; r++) {
                double q = GaltonWatson.generalizedPoissonPmf(r, p[0], p[1]);
                sum += q;
                mean += r * q;
            }
            assertThat(sum).isCloseTo(1.0, within(1e-6));
            assertThat(mean).isCloseTo(GaltonWatson.mean(p[0], p[1]), within(1e-3));
        }
        // P(Y = 0) = e^{-θ}
        assertThat(GaltonWatson.generalizedPoissonPmf(0, 2.0, 0.4)).isCloseTo(Math.exp(-2.0), within(1e-15));
    }

    @Test
    void simulatedTotalsMatchMeanAndPmf() {
        SplitMix64 rng = new SplitMix64(11);
        double theta = 1.5;
        double lambda = 0.6;
        int runs = 200_000;
        long sum = 0;
        int[] hist = new int[6];
        for (int i = 0; i < runs; i++) {
            long y = GaltonWatson.simulateTotal(theta, lambda, 1_000_000, rng);
            sum += y;
            if (y < hist.length) {
                hist[(int) y]++;
            }
        }
        double mean = (double) sum / runs;
        // mean 3.75, variance θ/(1-λ)^3 = 23.4: standard error ≈ 0.011
        assertThat(mean).isCloseTo(theta / (1 - lambda), within(0.06));
        for (int r = 0; r < hist.length; r++) {
            assertThat(hist[r] / (double) runs).as("P(Y=%d)", r)
                    .isCloseTo(GaltonWatson.generalizedPoissonPmf(r, theta, lambda), within(0.005));
        }
    }

    @Test
    void branchingRatioEstimate() {
        assertThat(GaltonWatson.estimateBranchingRatio(new long[] {10, 5, 2})).isCloseTo(7.0 / 15.0, within(1e-12));
        assertThat(GaltonWatson.estimateBranchingRatio(new long[] {3})).isNaN();
    }

    @Test
    void badParametersNameTheValue() {
        assertThatThrownBy(() -> GaltonWatson.generalizedPoissonPmf(1, 1, 1.5))
                .isInstanceOf(CascadeInputException.class).hasMessageContaining("1.5");
        assertThatThrownBy(() -> GaltonWatson.mean(-2, 0.5))
                .isInstanceOf(CascadeInputException.class).hasMessageContaining("-2");
    }
}
