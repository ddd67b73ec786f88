package io.aura.tda;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link VietorisRips} on samples of spaces with known homology ({@link SyntheticShapes}). The
 * margins are relative to the data: a "long" bar must be a fixed factor longer than every other
 * bar of its dimension (or than all noise), never a hard-coded number.
 */
class VietorisRipsShapesTest {

    private static RipsOptions dim(int maxDimension) {
        return RipsOptions.builder().maxDimension(maxDimension).build();
    }

    /** The k-th longest bar (k = 0: longest) must be at least {@code factor} times the next one. */
    private static void assertGap(PersistenceDiagram d, int k, double factor, String what) {
        double kth = Barcodes.kthLongest(d, k);
        double next = Barcodes.kthLongest(d, k + 1);
        assertThat(kth).as("%s: bar %d = %s vs bar %d = %s in %s", what, k, kth, k + 1, next, d).isGreaterThanOrEqualTo(factor * next);
        assertThat(kth).as("%s: bar %d must exist", what, k).isPositive();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void noisyCircleHasOneLongLoop(long seed) {
        PointCloud circle = SyntheticShapes.noisyCircle(100, 1, 0.05, seed);
        PersistenceResult r = VietorisRips.compute(circle, dim(1));
        assertThat(r.diagrams()).hasSize(2);
        assertThat(r.diagram(0).essentialCount()).isEqualTo(1);
        assertThat(r.diagram(1).essentialCount()).isZero(); // the enclosing radius kills everything
        assertGap(r.diagram(1), 0, 3, "circle H1");
        // the loop lives from about the sample spacing to about sqrt3 * radius
        assertThat(Barcodes.kthLongest(r.diagram(1), 0)).isGreaterThan(0.5 * Math.sqrt(3));
    }

    /**
     * Below the death of the loop the thresholded circle has one essential H1 class, and all
     * finite H1 bars are short compared with how long that class is alive.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void thresholdedCircleHasOneEssentialLoop(long seed) {
        PointCloud circle = SyntheticShapes.noisyCircle(100, 1, 0.05, seed);
        float t = 1.0f;
        PersistenceResult r = VietorisRips.compute(circle, dim(1).toBuilder().threshold(t).build());
        PersistenceDiagram h1 = r.diagram(1);
        assertThat(h1.essentialCount()).isEqualTo(1);
        double essentialBirth = 0;
        double longestFinite = 0;
        for (int i = 0; i < h1.size(); i++) {
            if (h1.isEssential(i)) {
                essentialBirth = h1.birth(i);
            } else {
                longestFinite = Math.max(longestFinite, h1.persistence(i));
            }
        }
        assertThat(t - essentialBirth).as("%s", h1).isGreaterThanOrEqualTo(3 * longestFinite);
    }

    @ParameterizedTest
    @ValueSource(longs = {2})
    void sphereHasOneLongVoid(long seed) {
        PointCloud sphere = SyntheticShapes.sphere(150, 0.0, seed);
        PersistenceResult r = VietorisRips.compute(sphere, dim(2));
        assertThat(r.diagrams()).hasSize(3);
        assertGap(r.diagram(2), 0, 3, "sphere H2");
        // no loop of S^2 comes close to the void
        assertThat(Barcodes.kthLongest(r.diagram(2), 0)).isGreaterThanOrEqualTo(2 * Barcodes.kthLongest(r.diagram(1), 0));
    }

    /**
     * The flat torus S^1 x S^1 in R^4: two long loops of about equal length and one long void.
     * With 400 points the longest sampling-noise loops reach about 40% of the two real ones
     * (measured over seeds 3 and 10..14: ratios 2.5 to 3.2), so the loop margin is 2x.
     */
    @ParameterizedTest
    @ValueSource(longs = {3})
    void cliffordTorusHasTwoLongLoopsAndOneLongVoid(long seed) {
        PointCloud torus = SyntheticShapes.cliffordTorus(400, seed);
        PersistenceResult r = VietorisRips.compute(torus, dim(2));
        PersistenceDiagram h1 = r.diagram(1);
        assertGap(h1, 1, 2, "torus H1 (second loop vs noise)");
        assertThat(Barcodes.kthLongest(h1, 1)).isGreaterThanOrEqualTo(0.8 * Barcodes.kthLongest(h1, 0));
        assertGap(r.diagram(2), 0, 3, "torus H2");
    }

    /**
     * The torus of revolution cut at a scale where both loops and the void are alive and the
     * sampling noise is dead: exactly two essential H1 classes and one essential H2 class.
     */
    @ParameterizedTest
    @CsvSource({"800, 3, 1.2", "600, 4, 1.3"})
    void thresholdedTorusHasBettiNumbers121(int n, long seed, float t) {
        PointCloud torus = SyntheticShapes.torus(n, 2, 1, seed);
        PersistenceResult r = VietorisRips.compute(torus, dim(2).toBuilder().threshold(t).build());
        assertThat(r.threshold()).isEqualTo(t);
        assertThat(r.diagram(0).essentialCount()).as("components").isEqualTo(1);
        assertThat(r.diagram(1).essentialCount()).as("loops alive at %s: %s", t, r.diagram(1)).isEqualTo(2);
        assertThat(r.diagram(2).essentialCount()).as("voids alive at %s: %s", t, r.diagram(2)).isEqualTo(1);
    }

    /**
     * RP^2 has H1 = H2 = Z/2 with Z/2 coefficients and no homology with Z/3: the Z/2 barcode has
     * one long H1 and one long H2 bar, the Z/3 barcode only bars that are short next to them.
     */
    @ParameterizedTest
    @CsvSource({"300, 4"})
    void projectivePlaneIsSeenOnlyWithZ2(int n, long seed) {
        PointCloud rp2 = SyntheticShapes.projectivePlane(n, seed);
        RipsOptions z2 = dim(2).toBuilder().threshold(1.3f).build(); // every bar of this sample dies below 1.3
        PersistenceResult mod2 = VietorisRips.compute(rp2, z2);
        PersistenceResult mod3 = VietorisRips.compute(rp2, z2.toBuilder().modulus(3).build());
        assertThat(mod2.modulus()).isEqualTo(2);
        assertThat(mod3.modulus()).isEqualTo(3);
        assertGap(mod2.diagram(1), 0, 2.5, "RP^2 H1 mod 2");
        assertGap(mod2.diagram(2), 0, 3, "RP^2 H2 mod 2");
        double longH1 = Barcodes.kthLongest(mod2.diagram(1), 0);
        double longH2 = Barcodes.kthLongest(mod2.diagram(2), 0);
        // sampling holes give Z/3 loops up to 0.4x the Z/2 class (seed 11, 500 points: 0.418 vs 1.04,
        // the same as Ripser 1.2.1 prints), so the Z/3 margin is 2x
        assertThat(Barcodes.kthLongest(mod3.diagram(1), 0)).as("%s", mod3.diagram(1)).isLessThanOrEqualTo(longH1 / 2);
        assertThat(Barcodes.kthLongest(mod3.diagram(2), 0)).as("%s", mod3.diagram(2)).isLessThanOrEqualTo(longH2 / 3);
        // the torsion-free dimension 0 does not see the field
        assertThat(Barcodes.canonical(mod3.diagram(0))).isEqualTo(Barcodes.canonical(mod2.diagram(0)));
    }

    /** Integer grids: massive ties in every dimension; the engine must match the reference. */
    @ParameterizedTest
    @CsvSource({
        "2, 4, 2, 3.4028235E38, 2", "2, 4, 2, 3.4028235E38, 3", "2, 5, 2, 1.5, 2", "2, 5, 3, 1.5, 3",
        "3, 2, 3, 3.4028235E38, 2", "3, 2, 3, 3.4028235E38, 5", "3, 3, 2, 1.5, 2", "3, 3, 3, 1.5, 3",
        "4, 2, 3, 1.0, 2", "4, 2, 3, 1.5, 3", "1, 12, 3, 3.4028235E38, 2"
    })
    void integerGridsAgreeWithTheReference(int gridDimension, int side, int maxDimension, float threshold, int modulus) {
        PointCloud grid = SyntheticShapes.integerGrid(gridDimension, side);
        RipsOptions o = RipsOptions.builder().maxDimension(maxDimension).threshold(threshold).modulus(modulus).build();
        assertThat(Barcodes.canonical(VietorisRips.compute(grid, o)))
                .as("grid %d^%d, %s", side, gridDimension, o)
                .isEqualTo(Barcodes.canonical(ReferencePersistence.of(grid, o)));
        DistanceMatrix m = grid.distanceMatrix();
        assertThat(Barcodes.canonical(VietorisRips.compute(m, o)))
                .isEqualTo(Barcodes.canonical(ReferencePersistence.of(m, o)));
    }

    // ---- more seeds of every shape, with the same margins (slow) ----
    // The thresholded torus of revolution is not repeated: at t = 1.2 with 800 points some seeds
    // have not yet closed a loop or the void (sampling gaps on the outer side), which says nothing
    // about the engine; the Clifford torus carries the torus check on more seeds.

    @Tag("slow")
    @ParameterizedTest
    @ValueSource(longs = {10, 11, 12, 13, 14})
    void circlesOnMoreSeeds(long seed) {
        noisyCircleHasOneLongLoop(seed);
        thresholdedCircleHasOneEssentialLoop(seed);
    }

    @Tag("slow")
    @ParameterizedTest
    @ValueSource(longs = {10, 11, 12, 13, 14})
    void spheresOnMoreSeeds(long seed) {
        sphereHasOneLongVoid(seed);
    }

    @Tag("slow")
    @ParameterizedTest
    @ValueSource(longs = {10, 11, 12, 13, 14})
    void toriOnMoreSeeds(long seed) {
        cliffordTorusHasTwoLongLoopsAndOneLongVoid(seed);
    }

    @Tag("slow")
    @ParameterizedTest
    @ValueSource(longs = {10, 11, 12, 13, 14})
    void projectivePlanesOnMoreSeeds(long seed) {
        // 300 points leave sampling holes whose Z/3 loops reach half the Z/2 class on some seeds
        projectivePlaneIsSeenOnlyWithZ2(500, seed);
    }
}
