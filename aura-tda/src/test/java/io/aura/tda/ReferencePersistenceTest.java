package io.aura.tda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks of the reference itself, independent of the engine: hand-computed barcodes, an
 * independent Kruskal for dimension 0, Euler characteristics, invariance under relabelling.
 */
class ReferencePersistenceTest {
    private static final float SQRT2 = (float) Math.sqrt(2);

    static LongStream seeds() {
        return LongStream.range(0, 60);
    }

    private static RipsOptions options(int dim, int modulus) {
        return RipsOptions.builder().maxDimension(dim).modulus(modulus).build();
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5})
    void unitSquareHasOneLoopFromSideToDiagonal(int modulus) {
        PointCloud square = PointCloud.of(new float[][] {{0, 0}, {1, 0}, {1, 1}, {0, 1}});
        List<List<String>> bars = Barcodes.canonical(ReferencePersistence.of(square, options(2, modulus)));
        assertThat(bars).containsExactly(
                List.of("[0.0,1.0)", "[0.0,1.0)", "[0.0,1.0)", "[0.0,inf)"),
                List.of("[1.0," + SQRT2 + ")"),
                List.of());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 7})
    void octahedronHasOneVoidFromRootTwoToTwo(int modulus) {
        float[][] p = new float[6][3];
        for (int k = 0; k < 3; k++) {
            p[2 * k][k] = 1;
            p[2 * k + 1][k] = -1;
        }
        List<List<String>> bars = Barcodes.canonical(ReferencePersistence.of(PointCloud.of(p), options(3, modulus)));
        assertThat(bars.get(0)).hasSize(6).contains("[0.0,inf)").filteredOn(s -> s.equals("[0.0," + SQRT2 + ")")).hasSize(5);
        assertThat(bars.get(1)).isEmpty();
        assertThat(bars.get(2)).containsExactly("[" + SQRT2 + ",2.0)");
        assertThat(bars.get(3)).isEmpty();
    }

    @Test
    void threeCollinearPointsWithThresholdKeepTwoComponents() {
        DistanceMatrix m = DistanceMatrix.ofLowerTriangle(new float[] {1f, 3f, 2f});
        RipsOptions o = RipsOptions.builder().maxDimension(1).threshold(1.5f).build();
        assertThat(Barcodes.canonical(ReferencePersistence.of(m, o)))
                .containsExactly(List.of("[0.0,1.0)", "[0.0,inf)", "[0.0,inf)"), List.of());
    }

    @Test
    void sparseQuirkLetsLongEdgesMergeComponentsAndOpenEssentialLoops() {
        // the contract's example: 0-1 at 1, 1-2 at 5, threshold 2
        SparseDistanceMatrix s = SparseDistanceMatrix.builder(3).add(0, 1, 1f).add(1, 2, 5f).build();
        RipsOptions filtered = RipsOptions.builder().threshold(2f).build();
        RipsOptions quirk = filtered.toBuilder().thresholdFiltersSparseEdges(false).build();
        assertThat(Barcodes.canonical(ReferencePersistence.of(s, filtered)).get(0))
                .containsExactly("[0.0,1.0)", "[0.0,inf)", "[0.0,inf)");
        assertThat(Barcodes.canonical(ReferencePersistence.of(s, quirk)).get(0))
                .containsExactly("[0.0,1.0)", "[0.0,5.0)", "[0.0,inf)");
        // a triangle with one edge above the threshold: the edge exists but no triangle fills the loop
        SparseDistanceMatrix t = SparseDistanceMatrix.builder(3).add(0, 1, 1f).add(1, 2, 1f).add(0, 2, 5f).build();
        assertThat(Barcodes.canonical(ReferencePersistence.of(t, quirk)).get(1)).containsExactly("[5.0,inf)");
        assertThat(Barcodes.canonical(ReferencePersistence.of(t, filtered)).get(1)).isEmpty();
    }

    @Test
    void ratioDropsShortPairsInDimensionOneOnly() {
        PointCloud square = PointCloud.of(new float[][] {{0, 0}, {1, 0}, {1, 1}, {0, 1}});
        // sqrt2 > 1 * 1.4 but not > 1 * 1.5
        assertThat(Barcodes.canonical(ReferencePersistence.of(square, RipsOptions.builder().ratio(1.4f).build())).get(1))
                .hasSize(1);
        List<List<String>> bars = Barcodes.canonical(ReferencePersistence.of(square, RipsOptions.builder().ratio(1.5f).build()));
        assertThat(bars.get(1)).isEmpty();
        assertThat(bars.get(0)).hasSize(4);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void dimensionZeroIsKruskal(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 2 + rnd.nextInt(13);
        DistanceMatrix m = rnd.nextBoolean() ? SyntheticShapes.randomDistanceMatrix(n, seed)
                : SyntheticShapes.randomIntegerDistanceMatrix(n, 1 + rnd.nextInt(3), seed);
        float t = rnd.nextBoolean() ? RipsOptions.NO_THRESHOLD : m.get(rnd.nextInt(n), 0);
        RipsOptions o = RipsOptions.builder().maxDimension(0).threshold(t).modulus(rnd.nextBoolean() ? 2 : 3).build();
        assertThat(Barcodes.canonical(ReferencePersistence.of(m, o).get(0)))
                .as("seed %d", seed)
                .isEqualTo(kruskal(n, m, o.hasThreshold() ? t : m.enclosingRadius()));
    }

    /** Independent dimension 0: Kruskal with union-find, non-zero merge lengths plus components. */
    private static List<String> kruskal(int n, DistanceMatrix m, float t) {
        List<float[]> edges = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (m.get(i, j) <= t) {
                    edges.add(new float[] {m.get(i, j), i, j});
                }
            }
        }
        edges.sort((a, b) -> Float.compare(a[0], b[0]));
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        List<String> bars = new ArrayList<>();
        int components = n;
        for (float[] e : edges) {
            int a = find(parent, (int) e[1]);
            int b = find(parent, (int) e[2]);
            if (a != b) {
                parent[a] = b;
                components--;
                if (e[0] > 0) {
                    bars.add("[0.0," + e[0] + ")");
                }
            }
        }
        for (int c = 0; c < components; c++) {
            bars.add("[0.0,inf)");
        }
        return bars;
    }

    private static int find(int[] parent, int x) {
        while (parent[x] != x) {
            x = parent[x];
        }
        return x;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void fullSimplexHasOnlyOneEssentialClass(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 2 + rnd.nextInt(7);
        DistanceMatrix m = SyntheticShapes.randomIntegerDistanceMatrix(n, 1 + rnd.nextInt(4), seed);
        List<PersistenceDiagram> d = ReferencePersistence.compute(n, m::get, Float.POSITIVE_INFINITY,
                Float.POSITIVE_INFINITY, n - 2, 2 + rnd.nextInt(2), 1f);
        assertThat(d).hasSize(Math.max(1, n - 1));
        assertThat(d.get(0).essentialCount()).as("seed %d", seed).isEqualTo(1);
        for (int q = 1; q < d.size(); q++) {
            assertThat(d.get(q).essentialCount()).as("seed %d dim %d", seed, q).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void cuttingAtTheEnclosingRadiusChangesNothing(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 3 + rnd.nextInt(8);
        DistanceMatrix m = rnd.nextBoolean() ? SyntheticShapes.randomDistanceMatrix(n, seed)
                : SyntheticShapes.randomIntegerDistanceMatrix(n, 3, seed);
        int dim = 1 + rnd.nextInt(3);
        int p = rnd.nextBoolean() ? 2 : 3;
        List<PersistenceDiagram> atRadius = ReferencePersistence.of(m, options(dim, p));
        List<PersistenceDiagram> unbounded = ReferencePersistence.compute(n, m::get, Float.POSITIVE_INFINITY,
                Float.POSITIVE_INFINITY, dim, p, 1f);
        assertThat(Barcodes.canonical(atRadius)).as("seed %d", seed).isEqualTo(Barcodes.canonical(unbounded));
    }

    /**
     * With maxDimension n - 2 the complex holds simplices up to dimension n - 1, whose homology is
     * zero, so the Euler characteristic of the final complex (a subset count) equals the alternating
     * sum of the essential classes: a check of the ranks the reduction finds.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void essentialClassesGiveTheEulerCharacteristic(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 3 + rnd.nextInt(7);
        DistanceMatrix m = rnd.nextBoolean() ? SyntheticShapes.randomDistanceMatrix(n, seed)
                : SyntheticShapes.randomIntegerDistanceMatrix(n, 4, seed);
        float t = m.get(1 + rnd.nextInt(n - 1), 0);
        int p = rnd.nextBoolean() ? 2 : 3;
        List<PersistenceDiagram> d = ReferencePersistence.of(m, RipsOptions.builder().maxDimension(n - 2).threshold(t)
                .modulus(p).build());
        long euler = 0;
        for (int subset = 1; subset < (1 << n); subset++) {
            int[] v = vertices(subset);
            boolean in = true;
            for (int a = 0; a < v.length; a++) {
                for (int b = 0; b < a; b++) {
                    in &= m.get(v[a], v[b]) <= t;
                }
            }
            if (in) {
                euler += v.length % 2 == 1 ? 1 : -1;
            }
        }
        long alternating = 0;
        for (PersistenceDiagram diagram : d) {
            alternating += (diagram.dimension() % 2 == 0 ? 1 : -1) * diagram.essentialCount();
        }
        assertThat(alternating).as("seed %d", seed).isEqualTo(euler);
    }

    private static int[] vertices(int subset) {
        return java.util.stream.IntStream.range(0, 32).filter(i -> (subset >> i & 1) == 1).toArray();
    }

    /** The barcode is a property of the metric space: relabelling the points must not change it. */
    @ParameterizedTest
    @MethodSource("seeds")
    void relabellingPointsChangesNothing(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 4 + rnd.nextInt(7);
        DistanceMatrix m = SyntheticShapes.randomIntegerDistanceMatrix(n, 1 + rnd.nextInt(3), seed);
        int[] perm = permutation(n, rnd);
        float[] lower = new float[n * (n - 1) / 2];
        for (int i = 1, k = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                lower[k++] = m.get(perm[i], perm[j]);
            }
        }
        RipsOptions o = options(1 + rnd.nextInt(3), rnd.nextBoolean() ? 2 : 3);
        assertThat(Barcodes.canonical(ReferencePersistence.of(DistanceMatrix.ofLowerTriangle(lower), o)))
                .as("seed %d permutation %s", seed, Arrays.toString(perm))
                .isEqualTo(Barcodes.canonical(ReferencePersistence.of(m, o)));
    }

    static int[] permutation(int n, SplittableRandom rnd) {
        int[] perm = java.util.stream.IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int x = perm[i];
            perm[i] = perm[j];
            perm[j] = x;
        }
        return perm;
    }

    @Test
    void pointCloudDistancesAreFloat32() {
        PointCloud p = SyntheticShapes.torus(12, 2, 1, 7);
        List<PersistenceDiagram> viaCloud = ReferencePersistence.of(p, options(2, 2));
        List<PersistenceDiagram> viaMatrix = ReferencePersistence.of(p.distanceMatrix(), options(2, 2));
        assertThat(Barcodes.canonical(viaCloud)).isEqualTo(Barcodes.canonical(viaMatrix));
    }
}
