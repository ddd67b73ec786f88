package io.aura.tda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class BettiNumbersTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void countsHalfOpenIntervals() {
        PersistenceDiagram d = RandomDiagrams.of(0, 1, 0.5, 2, 1, INF, 3, 3);
        assertThat(BettiNumbers.at(d, -1)).isZero();
        assertThat(BettiNumbers.at(d, 0)).isEqualTo(1); // birth is included
        assertThat(BettiNumbers.at(d, 0.5)).isEqualTo(2);
        assertThat(BettiNumbers.at(d, 1)).isEqualTo(2); // [0,1) has died, [1,inf) is born
        assertThat(BettiNumbers.at(d, 2)).isEqualTo(1); // death is excluded
        assertThat(BettiNumbers.at(d, 3)).isEqualTo(1); // the zero-length [3,3) never counts
        assertThat(BettiNumbers.at(d, 1e300)).isEqualTo(1); // the essential class
    }

    @Test
    void bettiNumbersOfAResultPerDimension() {
        PersistenceDiagram h0 = RandomDiagrams.ofDimension(0, 0, 1, 0, 2, 0, INF);
        PersistenceDiagram h1 = RandomDiagrams.ofDimension(1, 1.5, 3);
        PersistenceResult result = new PersistenceResult(List.of(h0, h1), 3, 4f, 2);
        assertThat(BettiNumbers.at(result, 0.5)).containsExactly(3, 0);
        assertThat(BettiNumbers.at(result, 1.5)).containsExactly(2, 1);
        assertThat(BettiNumbers.at(result, 3)).containsExactly(1, 0);
    }

    @Test
    void curveOnAGrid() {
        PersistenceDiagram d = RandomDiagrams.of(0, 1, 0.5, 2, 1, INF);
        // grid 0, 0.5, 1, 1.5, 2, 2.5
        assertThat(BettiNumbers.curve(d, 0, 2.5, 6)).containsExactly(1, 2, 2, 2, 1, 1);
        assertThat(BettiNumbers.curve(d, 0.5, 0.5, 1)).containsExactly(2);
        assertThat(BettiNumbers.curve(RandomDiagrams.of(), 0, 1, 3)).containsExactly(0, 0, 0);
    }

    @Test
    void rejectsBadInput() {
        PersistenceDiagram d = RandomDiagrams.of(0, 1);
        assertThatThrownBy(() -> BettiNumbers.at(d, Double.NaN)).isInstanceOf(TdaInputException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> BettiNumbers.curve(d, 0, 1, 0)).isInstanceOf(TdaInputException.class)
                .hasMessageContaining("got 0");
        assertThatThrownBy(() -> BettiNumbers.curve(d, 2, 1, 5)).isInstanceOf(TdaInputException.class)
                .hasMessageContaining("tMax = 1.0");
        assertThatThrownBy(() -> BettiNumbers.curve(d, 0, INF, 5)).isInstanceOf(TdaInputException.class)
                .hasMessageContaining("Infinity");
        assertThatThrownBy(() -> new UniformGrid(-1e308, 1e308, 3)).isInstanceOf(TdaInputException.class)
                .hasMessageContaining("overflows");
    }

    @Test
    void gridPointsAreUniformAndEndExactly() {
        UniformGrid grid = new UniformGrid(-1, 1, 5);
        assertThat(grid.points()).containsExactly(-1, -0.5, 0, 0.5, 1);
        assertThat(grid.at(4)).isEqualTo(1.0);
        assertThat(new UniformGrid(0.1, 0.7, 7).at(6)).isEqualTo(0.7);
        assertThatThrownBy(() -> grid.at(5)).isInstanceOf(TdaInputException.class).hasMessageContaining("5");
    }

    @Property(tries = 300, seed = "20240601")
    void curveEqualsPointwiseDefinition(@ForAll long seed) {
        PersistenceDiagram d = RandomDiagrams.random(seed, 40, 0.2);
        // integer and half-integer grid points hit the (coarse) interval ends exactly
        UniformGrid grid = new UniformGrid(-2, 14, 33);
        int[] curve = BettiNumbers.curve(d, grid);
        for (int j = 0; j < grid.samples(); j++) {
            double t = grid.at(j);
            int brute = 0;
            for (int i = 0; i < d.size(); i++) {
                if (d.birth(i) <= t && t < d.death(i)) {
                    brute++;
                }
            }
            assertThat(curve[j]).as("t = %s", t).isEqualTo(brute).isEqualTo(BettiNumbers.at(d, t));
        }
    }

    @Property(tries = 200, seed = "7")
    void gridIsNonDecreasing(@ForAll long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        double a = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(10) - 5);
        double b = a + Math.abs(rnd.nextGaussian()) * Math.pow(10, rnd.nextInt(10) - 5);
        UniformGrid grid = new UniformGrid(a, b, 2 + rnd.nextInt(1000));
        double[] t = grid.points();
        assertThat(t[0]).isEqualTo(a);
        assertThat(t[t.length - 1]).isEqualTo(b);
        for (int j = 1; j < t.length; j++) {
            assertThat(t[j]).isGreaterThanOrEqualTo(t[j - 1]);
        }
    }
}
