package io.aura.tda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The input, option and diagram classes: validation, layout and the float32 numerics. */
class InputClassesTest {

    // ---- DistanceMatrix ----

    @Test
    void lowerTriangleIsReadRowByRowAndIsSymmetric() {
        // d(1,0)=1, d(2,0)=2, d(2,1)=3, d(3,0)=4, d(3,1)=5, d(3,2)=6
        DistanceMatrix m = DistanceMatrix.ofLowerTriangle(new float[] {1, 2, 3, 4, 5, 6});
        assertThat(m.size()).isEqualTo(4);
        assertThat(m.get(1, 0)).isEqualTo(1f);
        assertThat(m.get(2, 0)).isEqualTo(2f);
        assertThat(m.get(2, 1)).isEqualTo(3f);
        assertThat(m.get(3, 0)).isEqualTo(4f);
        assertThat(m.get(3, 1)).isEqualTo(5f);
        assertThat(m.get(3, 2)).isEqualTo(6f);
        for (int i = 0; i < 4; i++) {
            assertThat(m.get(i, i)).isZero();
            for (int j = 0; j < 4; j++) {
                assertThat(m.get(i, j)).isEqualTo(m.get(j, i));
            }
        }
    }

    @Test
    void emptyLowerTriangleIsOnePoint() {
        DistanceMatrix m = DistanceMatrix.ofLowerTriangle(new float[0]);
        assertThat(m.size()).isEqualTo(1);
        assertThat(m.enclosingRadius()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 5, 7, 8, 9, 11})
    void nonTriangularLengthsAreRejected(int length) {
        assertThatThrownBy(() -> DistanceMatrix.ofLowerTriangle(new float[length]))
                .isInstanceOf(TdaInputException.class)
                .hasMessageContaining(length + " values");
    }

    @Test
    void negativeAndNaNDistancesAreRejectedWithTheirPosition() {
        assertThatThrownBy(() -> DistanceMatrix.ofLowerTriangle(new float[] {1, -2, 3}))
                .isInstanceOf(TdaInputException.class).hasMessageContaining("d(2,0)").hasMessageContaining("negative");
        assertThatThrownBy(() -> DistanceMatrix.ofLowerTriangle(new float[] {1, 2, Float.NaN}))
                .isInstanceOf(TdaInputException.class).hasMessageContaining("d(2,1)").hasMessageContaining("NaN");
        assertThat(DistanceMatrix.ofLowerTriangle(new float[] {1, Float.POSITIVE_INFINITY, 0}).get(0, 2))
                .isEqualTo(Float.POSITIVE_INFINITY);
    }

    @Test
    void ofLowerTriangleCopiesItsInputAndLowerTriangleReturnsACopy() {
        float[] lower = {1, 2, 3};
        DistanceMatrix m = DistanceMatrix.ofLowerTriangle(lower);
        lower[0] = 9;
        assertThat(m.get(1, 0)).isEqualTo(1f);
        float[] out = m.lowerTriangle();
        out[0] = 9;
        assertThat(m.get(1, 0)).isEqualTo(1f);
        assertThat(m.lowerTriangle()).containsExactly(1, 2, 3);
    }

    @Test
    void sizeForLowerLengthIsTheFloorFormulaForSmallLengths() {
        // n = floor((1 + sqrt(1 + 8m)) / 2): 0->1, 1->2, 2->2, 3->3, 5->3, 6->4, 9->4, 10->5
        long[][] cases = {{0, 1}, {1, 2}, {2, 2}, {3, 3}, {4, 3}, {5, 3}, {6, 4}, {9, 4}, {10, 5}, {14, 5}, {15, 6}};
        for (long[] c : cases) {
            assertThat(DistanceMatrix.sizeForLowerLength(c[0])).as("m = %d", c[0]).isEqualTo((int) c[1]);
        }
    }

    @Test
    void sizeForLowerLengthIsExactAtEveryTriangularNumberUpToTheMaximum() {
        for (long n = 1; n <= DistanceMatrix.MAX_POINTS; n++) {
            long m = n * (n - 1) / 2;
            assertThat(DistanceMatrix.sizeForLowerLength(m)).isEqualTo((int) n);
            if (n >= 2) {
                assertThat(DistanceMatrix.sizeForLowerLength(m - 1)).isEqualTo((int) n - 1);
            }
        }
        long beyond = (long) (DistanceMatrix.MAX_POINTS + 1) * DistanceMatrix.MAX_POINTS / 2;
        assertThat(DistanceMatrix.sizeForLowerLength(beyond - 1)).isEqualTo(DistanceMatrix.MAX_POINTS);
        assertThatThrownBy(() -> DistanceMatrix.sizeForLowerLength(beyond)).isInstanceOf(TdaInputException.class)
                .hasMessageContaining(String.valueOf(DistanceMatrix.MAX_POINTS + 1));
    }

    @Test
    void enclosingRadiusOfAPathIsItsCentreEccentricity() {
        // points 0, 1, 3 on a line: eccentricities 3, 2, 3
        DistanceMatrix m = DistanceMatrix.ofLowerTriangle(new float[] {1, 3, 2});
        assertThat(m.enclosingRadius()).isEqualTo(2f);
    }

    @Test
    void enclosingRadiusIsMinOfRowMaximaOnRandomMatrices() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rnd.nextInt(20);
            DistanceMatrix m = SyntheticShapes.randomDistanceMatrix(n, rnd.nextLong());
            float expected = Float.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                float rowMax = 0;
                for (int j = 0; j < n; j++) {
                    if (m.get(i, j) > rowMax) {
                        rowMax = m.get(i, j);
                    }
                }
                if (rowMax < expected) {
                    expected = rowMax;
                }
            }
            assertThat(m.enclosingRadius()).as("trial %d", trial).isEqualTo(expected);
        }
    }

    @Test
    void countAtMostIsAClosedComparison() {
        DistanceMatrix m = DistanceMatrix.ofLowerTriangle(new float[] {1, 2, 3, 2, 2, 5});
        assertThat(m.countAtMost(2f)).isEqualTo(4);
        assertThat(m.countAtMost(Math.nextDown(2f))).isEqualTo(1);
        assertThat(m.countAtMost(0f)).isZero();
        assertThat(m.countAtMost(Float.MAX_VALUE)).isEqualTo(6);
    }

    @Test
    void ofFullReadsOnlyTheStrictLowerTriangle() {
        double[][] full = {{7}, {1, 9}, {2, 3, 8, 100}};
        DistanceMatrix m = DistanceMatrix.ofFull(full);
        assertThat(m.lowerTriangle()).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> DistanceMatrix.ofFull(new double[][] {{0}, {}})).isInstanceOf(TdaInputException.class)
                .hasMessageContaining("row 1");
        assertThatThrownBy(() -> DistanceMatrix.ofFull(new double[0][])).isInstanceOf(TdaInputException.class);
        assertThat(DistanceMatrix.ofFull(new double[][] {{0}, {0.1}}).get(0, 1)).isEqualTo((float) 0.1);
    }

    // ---- SparseDistanceMatrix ----

    @Test
    void builderSortsNeighboursAndFindsEveryEntry() {
        SparseDistanceMatrix s = SparseDistanceMatrix.builder(3)
                .add(4, 1, 0.5f).add(0, 4, 2f).add(2, 4, 1f).add(1, 0, 3f).add(3, 3, 7f)
                .build();
        assertThat(s.size()).isEqualTo(5);
        assertThat(s.edgeCount()).isEqualTo(4);
        assertThat(s.get(4, 1)).isEqualTo(0.5f);
        assertThat(s.get(1, 4)).isEqualTo(0.5f);
        assertThat(s.get(0, 4)).isEqualTo(2f);
        assertThat(s.get(4, 2)).isEqualTo(1f);
        assertThat(s.get(0, 1)).isEqualTo(3f);
        assertThat(s.get(3, 3)).isZero();
        assertThat(s.get(2, 3)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(s.get(0, 2)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(s.degree(4)).isEqualTo(3);
        assertThat(s.degree(3)).isZero();
        int[] off = s.offsets();
        int[] nbr = s.neighbors();
        for (int v = 0; v < s.size(); v++) {
            for (int p = off[v] + 1; p < off[v + 1]; p++) {
                assertThat(nbr[p]).as("row %d sorted", v).isGreaterThan(nbr[p - 1]);
            }
        }
    }

    @Test
    void builderAgreesWithAMapOnRandomEdgeLists() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int trial = 0; trial < 100; trial++) {
            int n = 1 + rnd.nextInt(30);
            float[][] expected = new float[n][n];
            SparseDistanceMatrix.Builder b = SparseDistanceMatrix.builder(n);
            int edges = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    expected[i][j] = i == j ? 0f : Float.POSITIVE_INFINITY;
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    if (rnd.nextInt(3) == 0) {
                        float d = rnd.nextInt(4) == 0 ? 0f : (float) rnd.nextDouble();
                        expected[i][j] = d;
                        expected[j][i] = d;
                        if (rnd.nextBoolean()) {
                            b.add(i, j, d);
                        } else {
                            b.add(j, i, d);
                        }
                        edges++;
                    }
                }
            }
            SparseDistanceMatrix s = b.build();
            assertThat(s.edgeCount()).isEqualTo(edges);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    assertThat(s.get(i, j)).as("trial %d (%d,%d)", trial, i, j).isEqualTo(expected[i][j]);
                }
            }
        }
    }

    /** An edge list that names each edge from both ends, or repeats one, is one graph: each pair keeps its smallest distance. */
    @Test
    void repeatedPairsAreMergedKeepingTheSmallestDistance() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int trial = 0; trial < 100; trial++) {
            int n = 2 + rnd.nextInt(25);
            float[][] expected = new float[n][n];
            for (float[] row : expected) {
                java.util.Arrays.fill(row, Float.POSITIVE_INFINITY);
            }
            SparseDistanceMatrix.Builder b = SparseDistanceMatrix.builder(n);
            long adds = 0;
            long pairs = 0;
            for (int k = rnd.nextInt(4 * n); k > 0; k--) {
                int i = rnd.nextInt(n);
                int j = rnd.nextInt(n);
                if (i == j) {
                    continue;
                }
                float d = rnd.nextInt(5) == 0 ? 0f : (float) rnd.nextDouble();
                if (expected[i][j] == Float.POSITIVE_INFINITY) {
                    pairs++;
                }
                expected[i][j] = Math.min(expected[i][j], d);
                expected[j][i] = expected[i][j];
                b.add(i, j, d);
                adds++;
            }
            SparseDistanceMatrix s = b.build();
            assertThat(s.edgeCount()).isEqualTo(pairs);
            assertThat(s.mergedDuplicates()).isEqualTo(adds - pairs);
            assertThat(s.firstDuplicate() == null).isEqualTo(adds == pairs);
            int[] off = s.offsets();
            int[] nbr = s.neighbors();
            for (int i = 0; i < n; i++) {
                for (int p = off[i] + 1; p < off[i + 1]; p++) {
                    assertThat(nbr[p]).as("row %d strictly sorted", i).isGreaterThan(nbr[p - 1]);
                }
                for (int j = 0; j < n; j++) {
                    assertThat(s.get(i, j)).as("trial %d (%d,%d)", trial, i, j).isEqualTo(i == j ? 0f : expected[i][j]);
                }
            }
        }
    }

    /** A path written from both ends has no loop; a triangle with a repeated side ends (it did not, as a multigraph). */
    @Test
    void repeatedPairsGiveTheHomologyOfTheGraph() {
        SparseDistanceMatrix path = SparseDistanceMatrix.builder(4).add(0, 1, 1).add(1, 0, 1).add(1, 2, 1).add(2, 1, 1)
                .add(2, 3, 1).add(3, 2, 1).build();
        assertThat(path.mergedDuplicates()).isEqualTo(3);
        assertThat(path.firstDuplicate()).containsExactly(0, 1);
        PersistenceResult r = VietorisRips.compute(path, RipsOptions.builder().maxDimension(1).build());
        assertThat(BettiNumbers.at(r, 1.0)).containsExactly(1, 0);
        SparseDistanceMatrix triangle = SparseDistanceMatrix.builder(3).add(0, 1, 1).add(1, 2, 2).add(0, 2, 3).add(0, 1, 0.5f).build();
        PersistenceResult t = VietorisRips.compute(triangle, RipsOptions.builder().maxDimension(2).build());
        assertThat(triangle.get(0, 1)).isEqualTo(0.5f);
        assertThat(BettiNumbers.at(t, 3.0)).startsWith(1, 0);
        assertThat(t.diagram(1).size()).isZero();
    }

    @Test
    void builderRejectsBadEntries() {
        assertThatThrownBy(() -> SparseDistanceMatrix.builder(-1)).isInstanceOf(TdaInputException.class);
        assertThatThrownBy(() -> SparseDistanceMatrix.builder(2).add(-1, 0, 1f)).isInstanceOf(TdaInputException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> SparseDistanceMatrix.builder(2).add(0, 1, -1f)).isInstanceOf(TdaInputException.class);
        assertThatThrownBy(() -> SparseDistanceMatrix.builder(2).add(0, 1, Float.NaN)).isInstanceOf(TdaInputException.class);
    }

    @Test
    void fromDenseKeepsExactlyTheEntriesAtMostTheThreshold() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + rnd.nextInt(25);
            DistanceMatrix m = SyntheticShapes.randomIntegerDistanceMatrix(n, 5, rnd.nextLong());
            float t = 1 + rnd.nextInt(5);
            SparseDistanceMatrix s = SparseDistanceMatrix.fromDense(m, t);
            assertThat(s.edgeCount()).isEqualTo(m.countAtMost(t));
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    float expected = i == j ? 0f : m.get(i, j) <= t ? m.get(i, j) : Float.POSITIVE_INFINITY;
                    assertThat(s.get(i, j)).isEqualTo(expected);
                }
            }
        }
    }

    // ---- PointCloud ----

    @Test
    void distanceIsEuclidean() {
        PointCloud p = PointCloud.of(new float[][] {{0, 0, 0}, {3, 4, 0}, {1, 2, 2}});
        assertThat(p.distance(0, 1)).isEqualTo(5f);
        assertThat(p.distance(0, 2)).isEqualTo(3f);
        assertThat(p.distance(1, 1)).isZero();
        assertThat(p.size()).isEqualTo(3);
        assertThat(p.dimension()).isEqualTo(3);
    }

    /**
     * The contract's rule: acc = acc + (x - y) * (x - y) in float, then (float) Math.sqrt(acc).
     * On a 400-point torus the double-precision distance rounded once differs for many pairs, so
     * this test also shows that the rule is observable.
     */
    @Test
    void distanceFollowsTheFloat32AccumulationRule() {
        PointCloud p = SyntheticShapes.torus(400, 2, 1, 2024);
        DistanceMatrix m = p.distanceMatrix();
        long differFromDouble = 0;
        long pairs = 0;
        for (int i = 0; i < p.size(); i++) {
            for (int j = 0; j < i; j++) {
                float acc = 0f;
                double accDouble = 0;
                for (int k = 0; k < p.dimension(); k++) {
                    float diff = p.coordinate(i, k) - p.coordinate(j, k);
                    acc = acc + diff * diff;
                    double diffDouble = (double) p.coordinate(i, k) - p.coordinate(j, k);
                    accDouble += diffDouble * diffDouble;
                }
                float expected = (float) Math.sqrt(acc);
                assertThat(p.distance(i, j)).isEqualTo(expected);
                assertThat(p.distance(j, i)).isEqualTo(expected);
                assertThat(m.get(i, j)).isEqualTo(expected);
                pairs++;
                if ((float) Math.sqrt(accDouble) != expected) {
                    differFromDouble++;
                }
            }
        }
        assertThat(differFromDouble).as("pairs where double precision gives another float").isGreaterThan(pairs / 10);
    }

    @Test
    void doubleCoordinatesAreRoundedToFloat() {
        PointCloud p = PointCloud.of(new double[][] {{0.1, 1e-50}, {Math.PI, 2}});
        assertThat(p.coordinate(0, 0)).isEqualTo(0.1f);
        assertThat(p.coordinate(0, 1)).isZero();
        assertThat(p.point(1)).containsExactly((float) Math.PI, 2f);
        assertThatThrownBy(() -> PointCloud.of(new double[][] {{1e300}})).isInstanceOf(TdaInputException.class);
    }

    @Test
    void badPointCloudsAreRejected() {
        assertThatThrownBy(() -> PointCloud.of(new float[0][])).isInstanceOf(TdaInputException.class);
        assertThatThrownBy(() -> PointCloud.of(new float[][] {{}})).isInstanceOf(TdaInputException.class);
        assertThatThrownBy(() -> PointCloud.of(new float[][] {{1, 2}, {3}})).isInstanceOf(TdaInputException.class)
                .hasMessageContaining("point 1");
        assertThatThrownBy(() -> PointCloud.of(new float[][] {{1, Float.NaN}})).isInstanceOf(TdaInputException.class);
        assertThatThrownBy(() -> PointCloud.of(new double[][] {{Double.POSITIVE_INFINITY}}))
                .isInstanceOf(TdaInputException.class);
    }

    // ---- RipsOptions ----

    @Test
    void optionsDefaultToRipsersAndValidate() {
        RipsOptions d = RipsOptions.defaults();
        assertThat(d.maxDimension()).isEqualTo(1);
        assertThat(d.hasThreshold()).isFalse();
        assertThat(d.ratio()).isEqualTo(1f);
        assertThat(d.modulus()).isEqualTo(2);
        assertThat(d.thresholdFiltersSparseEdges()).isTrue();
        assertThat(d.toBuilder().build()).isEqualTo(d);
        assertThat(RipsOptions.builder().modulus(251).build().modulus()).isEqualTo(251);
        assertThatThrownBy(() -> RipsOptions.builder().modulus(4).build()).isInstanceOf(TdaInputException.class);
        assertThatThrownBy(() -> RipsOptions.builder().modulus(257).build()).isInstanceOf(TdaInputException.class);
        assertThatThrownBy(() -> RipsOptions.builder().maxDimension(-1).build()).isInstanceOf(TdaInputException.class);
        assertThatThrownBy(() -> RipsOptions.builder().threshold(Float.NaN).build()).isInstanceOf(TdaInputException.class);
        assertThatThrownBy(() -> RipsOptions.builder().threshold(-1f).build()).isInstanceOf(TdaInputException.class);
        assertThatThrownBy(() -> RipsOptions.builder().ratio(Float.NaN).build()).isInstanceOf(TdaInputException.class);
        assertThat(RipsOptions.builder().ratio(0.5f).build().ratio()).isEqualTo(0.5f); // Ripser accepts ratio < 1
    }

    @Test
    void isPrimeIsTrialDivision() {
        int count = 0;
        for (int n = -5; n <= 251; n++) {
            boolean prime = n >= 2;
            for (int k = 2; k < n; k++) {
                prime &= n % k != 0;
            }
            assertThat(RipsOptions.isPrime(n)).as("%d", n).isEqualTo(prime);
            count += prime ? 1 : 0;
        }
        assertThat(count).isEqualTo(54);
    }

    // ---- PersistenceDiagram ----

    @Test
    void diagramValidatesIntervals() {
        PersistenceDiagram d = new PersistenceDiagram(1, new double[] {1, 2}, new double[] {3, Double.POSITIVE_INFINITY});
        assertThat(d.size()).isEqualTo(2);
        assertThat(d.essentialCount()).isEqualTo(1);
        assertThat(d.persistence(0)).isEqualTo(2);
        assertThat(d.isEssential(1)).isTrue();
        assertThatThrownBy(() -> new PersistenceDiagram(0, new double[] {2}, new double[] {1}))
                .isInstanceOf(TdaInputException.class);
        assertThatThrownBy(() -> new PersistenceDiagram(0, new double[] {1}, new double[0]))
                .isInstanceOf(TdaInputException.class);
        assertThatThrownBy(() -> new PersistenceDiagram(0, new double[] {Double.POSITIVE_INFINITY},
                new double[] {Double.POSITIVE_INFINITY})).isInstanceOf(TdaInputException.class);
    }
}
