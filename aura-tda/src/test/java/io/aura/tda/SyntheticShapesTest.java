package io.aura.tda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generators put their points where their Javadoc says, and are reproducible. */
class SyntheticShapesTest {
    private static final double EPS = 1e-5; // float32 rounding of unit-scale coordinates

    @Test
    void sameSeedSamePointsOtherSeedOtherPoints() {
        List<java.util.function.LongFunction<PointCloud>> makers = List.of(
                s -> SyntheticShapes.noisyCircle(20, 1, 0.1, s),
                s -> SyntheticShapes.sphere(20, 0.0, s),
                s -> SyntheticShapes.torus(20, 2, 1, s),
                s -> SyntheticShapes.cliffordTorus(20, s),
                s -> SyntheticShapes.projectivePlane(20, s));
        for (var make : makers) {
            PointCloud a = make.apply(42);
            PointCloud b = make.apply(42);
            PointCloud c = make.apply(43);
            assertThat(a.distanceMatrix().lowerTriangle()).containsExactly(b.distanceMatrix().lowerTriangle());
            assertThat(a.distanceMatrix().lowerTriangle()).isNotEqualTo(c.distanceMatrix().lowerTriangle());
        }
        assertThat(SyntheticShapes.randomDistanceMatrix(9, 1).lowerTriangle())
                .containsExactly(SyntheticShapes.randomDistanceMatrix(9, 1).lowerTriangle());
    }

    @Test
    void circleWithoutNoiseLiesOnTheCircleAndNoiseMovesPointsOff() {
        PointCloud p = SyntheticShapes.noisyCircle(200, 3, 0, 1);
        assertThat(p.dimension()).isEqualTo(2);
        for (int i = 0; i < p.size(); i++) {
            assertThat(Math.hypot(p.coordinate(i, 0), p.coordinate(i, 1))).isCloseTo(3, within(3 * EPS));
        }
        PointCloud noisy = SyntheticShapes.noisyCircle(2000, 3, 0.1, 1);
        double sumSq = 0;
        for (int i = 0; i < noisy.size(); i++) {
            double dr = Math.hypot(noisy.coordinate(i, 0), noisy.coordinate(i, 1)) - 3;
            sumSq += dr * dr;
        }
        // radial displacement of isotropic noise has standard deviation about 0.1
        assertThat(Math.sqrt(sumSq / noisy.size())).isBetween(0.08, 0.12);
    }

    @Test
    void sphereIsUnitAndCoversEveryOctant() {
        PointCloud p = SyntheticShapes.sphere(400, 0, 3);
        Set<Integer> octants = new HashSet<>();
        double[] mean = new double[3];
        for (int i = 0; i < p.size(); i++) {
            double x = p.coordinate(i, 0);
            double y = p.coordinate(i, 1);
            double z = p.coordinate(i, 2);
            assertThat(Math.sqrt(x * x + y * y + z * z)).isCloseTo(1, within(EPS));
            octants.add((x > 0 ? 1 : 0) + (y > 0 ? 2 : 0) + (z > 0 ? 4 : 0));
            mean[0] += x / p.size();
            mean[1] += y / p.size();
            mean[2] += z / p.size();
        }
        assertThat(octants).hasSize(8);
        for (double m : mean) {
            assertThat(Math.abs(m)).isLessThan(0.15); // uniform on the sphere: mean near the centre
        }
    }

    @Test
    void torusSatisfiesItsImplicitEquation() {
        PointCloud p = SyntheticShapes.torus(300, 2.5, 0.75, 4);
        for (int i = 0; i < p.size(); i++) {
            double x = p.coordinate(i, 0);
            double y = p.coordinate(i, 1);
            double z = p.coordinate(i, 2);
            double ring = Math.hypot(x, y) - 2.5;
            assertThat(ring * ring + z * z).isCloseTo(0.75 * 0.75, within(1e-4));
        }
        assertThatThrownBy(() -> SyntheticShapes.torus(10, 1, 1, 0)).isInstanceOf(TdaInputException.class);
    }

    @Test
    void cliffordTorusIsAProductOfUnitCircles() {
        PointCloud p = SyntheticShapes.cliffordTorus(300, 5);
        assertThat(p.dimension()).isEqualTo(4);
        for (int i = 0; i < p.size(); i++) {
            assertThat(Math.hypot(p.coordinate(i, 0), p.coordinate(i, 1))).isCloseTo(1, within(EPS));
            assertThat(Math.hypot(p.coordinate(i, 2), p.coordinate(i, 3))).isCloseTo(1, within(EPS));
        }
    }

    /**
     * The Veronese image lies on the unit sphere of R^6 inside the hyperplane x1 + x2 + x3 = 1
     * (first three coordinates), and the squared distance is 2 - 2 cos^2 of the angle between the
     * lines, which for unit vectors is recovered from the image as V(x).V(y) = (x.y)^2 in [0, 1].
     */
    @Test
    void projectivePlaneIsTheVeroneseImage() {
        PointCloud p = SyntheticShapes.projectivePlane(200, 6);
        assertThat(p.dimension()).isEqualTo(6);
        for (int i = 0; i < p.size(); i++) {
            double norm2 = 0;
            for (int k = 0; k < 6; k++) {
                norm2 += (double) p.coordinate(i, k) * p.coordinate(i, k);
            }
            assertThat(norm2).isCloseTo(1, within(1e-5));
            assertThat((double) p.coordinate(i, 0) + p.coordinate(i, 1) + p.coordinate(i, 2)).isCloseTo(1, within(1e-5));
            for (int k = 0; k < 3; k++) {
                assertThat(p.coordinate(i, k)).isGreaterThanOrEqualTo(0f);
            }
            for (int j = 0; j < i; j++) {
                double dot = 0;
                for (int k = 0; k < 6; k++) {
                    dot += (double) p.coordinate(i, k) * p.coordinate(j, k);
                }
                assertThat(dot).isBetween(-1e-5, 1 + 1e-5);
                double d = p.distance(i, j);
                assertThat(d * d).isCloseTo(2 - 2 * dot, within(1e-4));
            }
        }
    }

    @Test
    void integerGridEnumeratesEveryPointOnce() {
        PointCloud p = SyntheticShapes.integerGrid(3, 4);
        assertThat(p.size()).isEqualTo(64);
        Set<List<Float>> seen = new HashSet<>();
        for (int i = 0; i < p.size(); i++) {
            float[] x = p.point(i);
            for (float c : x) {
                assertThat(c).isIn(0f, 1f, 2f, 3f);
            }
            seen.add(List.of(x[0], x[1], x[2]));
        }
        assertThat(seen).hasSize(64);
        assertThat(p.point(1)).containsExactly(0f, 0f, 1f);
        assertThat(SyntheticShapes.integerGrid(1, 1).size()).isEqualTo(1);
        assertThatThrownBy(() -> SyntheticShapes.integerGrid(0, 3)).isInstanceOf(TdaInputException.class);
        assertThatThrownBy(() -> SyntheticShapes.integerGrid(30, 2)).isInstanceOf(TdaInputException.class);
    }

    @Test
    void randomMatricesHaveTheDocumentedRanges() {
        DistanceMatrix u = SyntheticShapes.randomDistanceMatrix(50, 8);
        assertThat(u.size()).isEqualTo(50);
        Set<Float> distinct = new HashSet<>();
        for (float d : u.lowerTriangle()) {
            assertThat(d).isBetween(0f, 1f).isLessThan(1f);
            distinct.add(d);
        }
        assertThat(distinct.size()).isGreaterThan(1200); // 1225 entries, continuous values
        DistanceMatrix k = SyntheticShapes.randomIntegerDistanceMatrix(50, 3, 8);
        Set<Float> values = new HashSet<>();
        for (float d : k.lowerTriangle()) {
            values.add(d);
        }
        assertThat(values).containsExactlyInAnyOrder(1f, 2f, 3f);
        assertThat(SyntheticShapes.randomDistanceMatrix(1, 0).size()).isEqualTo(1);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> SyntheticShapes.noisyCircle(0, 1, 0, 0)).isInstanceOf(TdaInputException.class);
        assertThatThrownBy(() -> SyntheticShapes.noisyCircle(5, -1, 0, 0)).isInstanceOf(TdaInputException.class);
        assertThatThrownBy(() -> SyntheticShapes.noisyCircle(5, 1, Double.NaN, 0)).isInstanceOf(TdaInputException.class);
        assertThatThrownBy(() -> SyntheticShapes.sphere(5, -0.1, 0)).isInstanceOf(TdaInputException.class);
        assertThatThrownBy(() -> SyntheticShapes.randomIntegerDistanceMatrix(5, 0, 0)).isInstanceOf(TdaInputException.class);
        assertThatThrownBy(() -> SyntheticShapes.randomDistanceMatrix(0, 0)).isInstanceOf(TdaInputException.class);
    }
}
