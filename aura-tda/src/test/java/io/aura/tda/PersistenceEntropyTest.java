package io.aura.tda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class PersistenceEntropyTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void knownValues() {
        assertThat(PersistenceEntropy.ofFinite(RandomDiagrams.of())).isZero();
        assertThat(PersistenceEntropy.ofFinite(RandomDiagrams.of(0, 3))).isZero();
        assertThat(PersistenceEntropy.ofFinite(RandomDiagrams.of(0, 1, 5, 6))).isCloseTo(Math.log(2), within(1e-15));
        assertThat(PersistenceEntropy.ofFinite(RandomDiagrams.of(0, 2, 0, 2, 1, 3, 4, 6)))
                .isCloseTo(Math.log(4), within(1e-15));
        // p = (1/4, 3/4)
        double expected = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75));
        assertThat(PersistenceEntropy.ofFinite(RandomDiagrams.of(0, 1, 0, 3))).isCloseTo(expected, within(1e-15));
    }

    @Test
    void zeroLengthIntervalsDoNotChangeEntropy() {
        assertThat(PersistenceEntropy.ofFinite(RandomDiagrams.of(0, 1, 5, 6, 2, 2, 7, 7)))
                .isCloseTo(Math.log(2), within(1e-15));
        assertThat(PersistenceEntropy.ofFinite(RandomDiagrams.of(2, 2, 7, 7))).isZero();
    }

    @Test
    void essentialIntervalsExcludedOrClipped() {
        PersistenceDiagram d = RandomDiagrams.of(0, 1, 0, INF, 9, INF);
        assertThat(PersistenceEntropy.ofFinite(d)).isZero();
        // [0,inf) -> [0,1); [9,inf) born after maxScale -> length 0
        assertThat(PersistenceEntropy.of(d, 1)).isCloseTo(Math.log(2), within(1e-15));
        // [0,inf) -> [0,3); [9,inf) -> length 0: p = (1/4, 3/4)
        double expected = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75));
        assertThat(PersistenceEntropy.of(d, 3)).isCloseTo(expected, within(1e-15));
        assertThat(PersistenceEntropy.of(RandomDiagrams.of(), 3)).isZero();
    }

    @Test
    void rejectsNonFiniteMaxScale() {
        PersistenceDiagram d = RandomDiagrams.of(0, 1);
        assertThatThrownBy(() -> PersistenceEntropy.of(d, INF)).isInstanceOf(TdaInputException.class)
                .hasMessageContaining("maxScale").hasMessageContaining("Infinity");
        assertThatThrownBy(() -> PersistenceEntropy.of(d, Double.NaN)).isInstanceOf(TdaInputException.class)
                .hasMessageContaining("NaN");
    }

    @Property(tries = 300, seed = "424242")
    void boundedScaleInvariantAndOrderFree(@ForAll long seed) {
        PersistenceDiagram d = RandomDiagrams.random(seed, 30, 0);
        double e = PersistenceEntropy.ofFinite(d);
        int positive = 0;
        for (int i = 0; i < d.size(); i++) {
            if (d.persistence(i) > 0) {
                positive++;
            }
        }
        assertThat(e).isGreaterThanOrEqualTo(0);
        assertThat(e).isLessThanOrEqualTo(positive == 0 ? 0 : Math.log(positive) + 1e-12);
        double[] b = d.births();
        double[] dd = d.deaths();
        double c = 3.75;
        for (int i = 0; i < b.length; i++) {
            b[i] *= c;
            dd[i] *= c;
        }
        assertThat(PersistenceEntropy.ofFinite(new PersistenceDiagram(1, b, dd))).isCloseTo(e, within(1e-12));
        // reversing the order of the intervals
        Random rnd = new Random(seed);
        int n = b.length;
        double[] rb = new double[n];
        double[] rd = new double[n];
        for (int i = 0; i < n; i++) {
            rb[i] = d.birth(n - 1 - i);
            rd[i] = d.death(n - 1 - i);
        }
        assertThat(PersistenceEntropy.ofFinite(new PersistenceDiagram(1, rb, rd))).isCloseTo(e, within(1e-12));
        // clipping at a scale above every death changes nothing for a diagram without essentials
        assertThat(PersistenceEntropy.of(d, 100 + rnd.nextDouble())).isEqualTo(e);
    }
}
