package io.aura.tda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link VietorisRips} against {@link ReferencePersistence} on seeded random inputs: point clouds,
 * dense and sparse matrices, integer grids and integer-valued matrices (massive ties), duplicate
 * points (zero distances), missing sparse entries, thresholds (including the sparse-edge quirk),
 * Z/2, Z/3 and Z/5, the ratio rule, and 1..4 threads. Agreement is exact: per dimension, the same multiset of
 * float32 intervals. A failure names the seed, the case and a shrunk input.
 *
 * <p>Default run: {@value #DEFAULT_CASES} cases with 5..14 points; with {@code -Pslow} another
 * {@value #SLOW_CASES} with 5..18 points.
 */
class VietorisRipsDifferentialTest {
    static final int DEFAULT_CASES = 1500;
    static final int SLOW_CASES = 20_000;

    static LongStream defaultSeeds() {
        return LongStream.range(0, DEFAULT_CASES);
    }

    static LongStream slowSeeds() {
        return LongStream.range(1_000_000, 1_000_000 + SLOW_CASES);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("defaultSeeds")
    void agreesWithTheReference(long seed) {
        check(DifferentialCase.random(seed, 5, 14));
    }

    @Tag("slow")
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("slowSeeds")
    void agreesWithTheReferenceOnManyMoreCases(long seed) {
        check(DifferentialCase.random(seed, 5, 18));
    }

    private static void check(DifferentialCase c) {
        Optional<String> mismatch = c.mismatch();
        if (mismatch.isPresent()) {
            throw new AssertionError(c.report(mismatch.get()));
        }
    }

    /** Every kind of input with 1..4 points, where the effective dimension is cut to n - 2. */
    @Test
    void tinyInputsAgreeAndHaveMinDimNMinus2PlusOneDiagrams() {
        SplittableRandom rnd = new SplittableRandom(99);
        for (int trial = 0; trial < 200; trial++) {
            long seed = rnd.nextLong();
            DifferentialCase c = DifferentialCase.random(seed, 1, 4);
            Optional<String> mismatch = c.mismatch();
            assertThat(mismatch).as("%s", mismatch.map(c::report).orElse("")).isEmpty();
            int n = c.input().size();
            int diagrams = c.input().engine(c.options()).diagrams().size();
            assertThat(diagrams).as("seed %d, %d points", seed, n)
                    .isEqualTo(Math.max(0, Math.min(c.options().maxDimension(), n - 2)) + 1);
        }
    }

    /** All points equal: one component, nothing else, at every dimension and modulus. */
    @Test
    void identicalPointsGiveOneComponentAndNoHigherHomology() {
        for (int n = 1; n <= 9; n++) {
            for (int p : new int[] {2, 3, 5}) {
                float[][] pts = new float[n][2];
                for (float[] x : pts) {
                    x[0] = 0.5f;
                    x[1] = -2f;
                }
                RipsOptions o = RipsOptions.builder().maxDimension(3).modulus(p).build();
                PersistenceResult r = VietorisRips.compute(PointCloud.of(pts), o);
                assertThat(Barcodes.canonical(r.diagram(0))).as("n %d p %d", n, p).containsExactly("[0.0,inf)");
                for (int q = 1; q <= r.maxDimension(); q++) {
                    assertThat(r.diagram(q).size()).as("n %d p %d dim %d", n, p, q).isZero();
                }
                assertThat(Barcodes.canonical(r))
                        .isEqualTo(Barcodes.canonical(ReferencePersistence.of(PointCloud.of(pts), o)));
            }
        }
    }

    /**
     * Very sparse graphs (a few edges per point: the failing-call graphs of the cascade engine) skip the
     * n x n square and the lookup table and answer distances from the neighbour lists; the barcodes
     * still match the slow reference, with cycles, chords, triangles, duplicate pairs and ties.
     */
    @Test
    void verySparseGraphsWithoutTheSquareMatchTheReference() {
        SplittableRandom rnd = new SplittableRandom(13);
        for (int trial = 0; trial < 60; trial++) {
            boolean small = trial % 2 == 0; // the reference handles <= 64 points; larger ones go against the dense path
            int n = small ? 48 + rnd.nextInt(17) : 100 + rnd.nextInt(200);
            int edges = small ? n / 4 + rnd.nextInt(n / 4) : n / 2 + rnd.nextInt(n);
            SparseDistanceMatrix.Builder b = SparseDistanceMatrix.builder(n);
            float[] lower = new float[n * (n - 1) / 2];
            java.util.Arrays.fill(lower, 100f);
            for (int e = 0; e < edges; e++) {
                int i = rnd.nextInt(n);
                int j = rnd.nextInt(3) > 0 ? (i + 1 + rnd.nextInt(4)) % n : rnd.nextInt(n); // local: cycles, triangles
                if (i == j) {
                    continue;
                }
                float d = rnd.nextBoolean() ? 0.25f * (1 + rnd.nextInt(4)) : (float) rnd.nextDouble(); // with ties
                int hi = Math.max(i, j);
                int lo = Math.min(i, j);
                if (lower[hi * (hi - 1) / 2 + lo] != 100f) {
                    continue; // one distance per pair, so that the dense copy is the same metric
                }
                lower[hi * (hi - 1) / 2 + lo] = d;
                b.add(i, j, d);
            }
            SparseDistanceMatrix m = b.build();
            assertThat(SparseFiltration.denseEnough(m)).as("trial %d", trial).isFalse();
            RipsOptions o = RipsOptions.builder().maxDimension(1).build();
            List<List<String>> got = Barcodes.canonical(VietorisRips.compute(m, o));
            if (small) {
                assertThat(got).as("trial %d", trial).isEqualTo(Barcodes.canonical(ReferencePersistence.of(m, o)));
            } else {
                // the same graph as a dense matrix whose missing pairs lie beyond the threshold
                RipsOptions cut = o.toBuilder().threshold(10f).build();
                assertThat(got).as("trial %d", trial)
                        .isEqualTo(Barcodes.canonical(VietorisRips.compute(DistanceMatrix.ofLowerTriangle(lower), cut)));
            }
        }
    }

    /** The three input paths give the same barcode for the same metric. */
    @Test
    void pointCloudDenseAndSparseInputsOfOneMetricAgree() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int trial = 0; trial < 60; trial++) {
            int n = 5 + rnd.nextInt(10);
            PointCloud p = SyntheticShapes.noisyCircle(n, 1, 0.2, rnd.nextLong());
            DistanceMatrix m = p.distanceMatrix();
            float t = m.get(1 + rnd.nextInt(n - 1), 0);
            RipsOptions o = RipsOptions.builder().maxDimension(2).threshold(t).modulus(rnd.nextBoolean() ? 2 : 3).build();
            List<List<String>> viaCloud = Barcodes.canonical(VietorisRips.compute(p, o));
            assertThat(Barcodes.canonical(VietorisRips.compute(m, o))).as("trial %d", trial).isEqualTo(viaCloud);
            assertThat(Barcodes.canonical(VietorisRips.compute(SparseDistanceMatrix.fromDense(m, t), o)))
                    .as("trial %d", trial).isEqualTo(viaCloud);
            RipsOptions dense = o.toBuilder().threshold(RipsOptions.NO_THRESHOLD).build();
            assertThat(Barcodes.canonical(VietorisRips.compute(p, dense)))
                    .isEqualTo(Barcodes.canonical(VietorisRips.compute(m, dense)));
        }
    }

    /**
     * Ripser 1.2.1's {@code --format sparse --threshold 2} quirk, with the outputs of the real
     * binary (commit 01add51, run side by side): edges above the threshold merge components; a
     * non-forest edge above it is an essential dimension-1 class unless it is in a zero-apparent
     * pair with a triangle of the same diameter (which is above the threshold, so never enters).
     */
    @Test
    void sparseQuirkMatchesRipserOutputs() {
        RipsOptions quirk = RipsOptions.builder().threshold(2f).thresholdFiltersSparseEdges(false).build();
        // 0 1 1 / 1 2 5: the contract's example
        SparseDistanceMatrix path = SparseDistanceMatrix.builder(3).add(0, 1, 1f).add(1, 2, 5f).build();
        assertThat(Barcodes.canonical(VietorisRips.compute(path, quirk)))
                .containsExactly(List.of("[0.0,1.0)", "[0.0,5.0)", "[0.0,inf)"), List.of());
        // square 0-1-2-3 with sides 1 and the closing side 3-0 at 5: Ripser prints [5, ) in dim 1
        SparseDistanceMatrix square = SparseDistanceMatrix.builder(4).add(1, 0, 1f).add(2, 1, 1f).add(3, 2, 1f)
                .add(3, 0, 5f).build();
        assertThat(Barcodes.canonical(VietorisRips.compute(square, quirk)))
                .containsExactly(List.of("[0.0,1.0)", "[0.0,1.0)", "[0.0,1.0)", "[0.0,inf)"), List.of("[5.0,inf)"));
        // plus the chord 0-2 at 5: two non-forest edges above t, but Ripser prints only one [5, )
        SparseDistanceMatrix chord = SparseDistanceMatrix.builder(4).add(1, 0, 1f).add(2, 1, 1f).add(3, 2, 1f)
                .add(3, 0, 5f).add(0, 2, 5f).build();
        assertThat(Barcodes.canonical(VietorisRips.compute(chord, quirk)).get(1)).containsExactly("[5.0,inf)");
        // triangle 1-0 at 0.9421516 above t = 0.9238347: zero-apparent with the triangle, Ripser prints nothing
        SparseDistanceMatrix triangle = SparseDistanceMatrix.builder(3).add(1, 0, 0.9421516f).add(2, 0, 0.35743082f)
                .add(2, 1, 0.26015335f).build();
        RipsOptions t = quirk.toBuilder().threshold(0.9238347f).build();
        assertThat(Barcodes.canonical(VietorisRips.compute(triangle, t)))
                .containsExactly(List.of("[0.0,0.26015335)", "[0.0,0.35743082)", "[0.0,inf)"), List.of());
        // the default (filtering) mode drops the long edge everywhere
        assertThat(Barcodes.canonical(VietorisRips.compute(square, quirk.toBuilder().thresholdFiltersSparseEdges(true).build())))
                .containsExactly(List.of("[0.0,1.0)", "[0.0,1.0)", "[0.0,1.0)", "[0.0,inf)"), List.of());
    }

    /**
     * A ratio below 1 (accepted, as by Ripser) may add zero-length pairs, which depend on the
     * algorithm; every interval of positive length must still be exactly the reference's.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("ratioBelowOneSeeds")
    void ratioBelowOneKeepsThePositiveLengthIntervals(long seed) {
        DifferentialCase c = DifferentialCase.random(seed, 5, 12);
        RipsOptions o = c.options().toBuilder().ratio(0.5f).thresholdFiltersSparseEdges(true).build();
        List<List<String>> engine = Barcodes.canonical(c.input().engine(o));
        List<List<String>> reference = Barcodes.canonical(c.input().reference(o));
        for (List<String> dim : engine) {
            dim.removeIf(interval -> {
                String[] bd = interval.substring(1, interval.length() - 1).split(",");
                return bd[0].equals(bd[1]);
            });
        }
        assertThat(engine).as("seed %d (%s, %s): %s", seed, c.kind(), o, c.input().describe()).isEqualTo(reference);
    }

    static LongStream ratioBelowOneSeeds() {
        return LongStream.range(50_000, 50_200);
    }
}
