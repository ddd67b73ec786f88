package io.aura.tda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class DiagramSummaryTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void summarisesFiniteIntervalsAndTheFirstLandscape() {
        PersistenceDiagram d = RandomDiagrams.ofDimension(1, 0, 2, 1, 4, 3, INF);
        DiagramSummary s = DiagramSummary.of(d, 5);
        assertThat(s.dimension()).isEqualTo(1);
        assertThat(s.count()).isEqualTo(3);
        assertThat(s.essentialCount()).isEqualTo(1);
        assertThat(s.totalPersistence()).isEqualTo(5);
        assertThat(s.maxPersistence()).isEqualTo(3);
        assertThat(s.meanBirth()).isEqualTo(0.5);
        assertThat(s.meanDeath()).isEqualTo(3);
        double expectedEntropy = -(0.4 * Math.log(0.4) + 0.6 * Math.log(0.6));
        assertThat(s.entropy()).isCloseTo(expectedEntropy, within(1e-15));
        PersistenceLandscape l = PersistenceLandscape.of(d, 5); // [3,inf) cut to [3,5)
        assertThat(s.landscapeL1()).isEqualTo(l.levelNorm(1, PersistenceLandscape.Norm.L1));
        assertThat(s.landscapeL2()).isEqualTo(l.levelNorm(1, PersistenceLandscape.Norm.L2));
        // lambda_1: peaks (1,1), (2.5,1.5), (4,1); crossings (1.5,0.5) and (3.5,0.5); piecewise
        // integrals [0,1] 0.5, [1,1.5] 0.375, [1.5,2.5] 1, [2.5,3.5] 1, [3.5,4] 0.375, [4,5] 0.5
        assertThat(s.landscapeL1()).isCloseTo(3.75, within(1e-12));
    }

    @Test
    void emptyDiagram() {
        DiagramSummary s = DiagramSummary.of(RandomDiagrams.ofDimension(0), 1);
        assertThat(s).isEqualTo(new DiagramSummary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThatThrownBy(() -> DiagramSummary.of(RandomDiagrams.of(), INF)).isInstanceOf(TdaInputException.class)
                .hasMessageContaining("Infinity");
    }

    @Property(tries = 200, seed = "606")
    void consistentWithTheParts(@ForAll long seed) {
        PersistenceDiagram d = RandomDiagrams.random(seed, 30, 0.2);
        DiagramSummary s = DiagramSummary.of(d, 6);
        int finite = d.size() - d.essentialCount();
        assertThat(s.count()).isEqualTo(d.size());
        assertThat(s.essentialCount()).isEqualTo(d.essentialCount());
        assertThat(s.maxPersistence()).isLessThanOrEqualTo(s.totalPersistence() + 1e-12);
        assertThat(s.totalPersistence()).isLessThanOrEqualTo(finite * s.maxPersistence() + 1e-9);
        assertThat(s.meanDeath() - s.meanBirth()).isCloseTo(finite == 0 ? 0 : s.totalPersistence() / finite,
                within(1e-9));
        assertThat(s.entropy()).isEqualTo(PersistenceEntropy.ofFinite(d));
        // ||lambda_1||_2^2 <= ||lambda_1||_inf * ||lambda_1||_1
        PersistenceLandscape l = PersistenceLandscape.of(d, 6);
        assertThat(s.landscapeL2() * s.landscapeL2())
                .isLessThanOrEqualTo(l.levelNorm(1, PersistenceLandscape.Norm.LINF) * s.landscapeL1() + 1e-9);
    }
}
