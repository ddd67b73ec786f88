package io.aura.tda;

import java.util.Arrays;

/**
 * A finite set of points in R^D, stored row-major as {@code float} (the engine computes in
 * float32, exactly as Ripser does).
 *
 * <p>Immutable. Distances are Euclidean and computed in float32 without fused multiply-add:
 * {@code acc = acc + (x_k - y_k) * (x_k - y_k)} for k = 0..D-1 starting from {@code 0f}, then
 * {@code (float) Math.sqrt(acc)}, which is bit-identical to C's {@code sqrtf} of the same sum.
 */
public final class PointCloud {
    private final float[] coordinates;
    private final int size;
    private final int dimension;

    private PointCloud(float[] coordinates, int size, int dimension) {
        this.coordinates = coordinates;
        this.size = size;
        this.dimension = dimension;
    }

    /**
     * A point cloud from rows of coordinates.
     *
     * @throws TdaInputException if there are no points, the rows differ in length, a row is empty
     *     or a coordinate is NaN or infinite
     */
    public static PointCloud of(float[][] points) {
        if (points.length == 0) {
            throw new TdaInputException("a point cloud needs at least one point");
        }
        int d = points[0].length;
        if (d == 0) {
            throw new TdaInputException("point 0 has no coordinates");
        }
        float[] flat = new float[Math.multiplyExact(points.length, d)];
        for (int i = 0; i < points.length; i++) {
            if (points[i].length != d) {
                throw new TdaInputException("point " + i + " has " + points[i].length
                        + " coordinates but point 0 has " + d + "; all points need the same dimension");
            }
            for (int k = 0; k < d; k++) {
                float x = points[i][k];
                if (!Float.isFinite(x)) {
                    throw new TdaInputException("coordinate " + k + " of point " + i + " is " + x
                            + "; coordinates must be finite numbers");
                }
                flat[i * d + k] = x;
            }
        }
        return new PointCloud(flat, points.length, d);
    }

    /** A point cloud from rows of {@code double} coordinates, each rounded to the nearest float. */
    public static PointCloud of(double[][] points) {
        float[][] f = new float[points.length][];
        for (int i = 0; i < points.length; i++) {
            f[i] = new float[points[i].length];
            for (int k = 0; k < points[i].length; k++) {
                double x = points[i][k];
                if (!Double.isFinite(x)) {
                    throw new TdaInputException("coordinate " + k + " of point " + i + " is " + x
                            + "; coordinates must be finite numbers");
                }
                f[i][k] = (float) x;
                if (Float.isInfinite(f[i][k])) {
                    throw new TdaInputException("coordinate " + k + " of point " + i + " is " + x
                            + ", outside the float32 range the engine computes in");
                }
            }
        }
        return of(f);
    }

    /** Number of points. */
    public int size() {
        return size;
    }

    /** Dimension D of the ambient space. */
    public int dimension() {
        return dimension;
    }

    /** Coordinate {@code k} of point {@code i}. */
    public float coordinate(int i, int k) {
        return coordinates[i * dimension + k];
    }

    /** A copy of point {@code i}. */
    public float[] point(int i) {
        return Arrays.copyOfRange(coordinates, i * dimension, (i + 1) * dimension);
    }

    /** The float32 Euclidean distance between points {@code i} and {@code j} (see class doc). */
    public float distance(int i, int j) {
        int a = i * dimension;
        int b = j * dimension;
        float acc = 0f;
        for (int k = 0; k < dimension; k++) {
            float diff = coordinates[a + k] - coordinates[b + k];
            acc = acc + diff * diff;
        }
        return (float) Math.sqrt(acc);
    }

    /** The full pairwise distance matrix, O(n^2 D) time and n(n-1)/2 floats of memory. */
    public DistanceMatrix distanceMatrix() {
        if (size > DistanceMatrix.MAX_POINTS) {
            throw new TdaInputException(size + " points are too many for a dense distance matrix (at most "
                    + DistanceMatrix.MAX_POINTS + "); use a threshold so that the sparse path is taken");
        }
        float[] lower = new float[(int) ((long) size * (size - 1) / 2)];
        int p = 0;
        for (int i = 1; i < size; i++) {
            for (int j = 0; j < i; j++) {
                lower[p++] = distance(i, j);
            }
        }
        return DistanceMatrix.wrapLower(lower, size);
    }
}
