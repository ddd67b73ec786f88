package io.aura.tda;

import java.util.SplittableRandom;

/**
 * Seeded samples of spaces whose homology is known, for tests, benchmarks and demonstrations.
 *
 * <p>Every generator is a pure function of its arguments: the same arguments (including the
 * {@code seed}, which drives one {@link SplittableRandom}) give the same points on every JVM.
 * Coordinates are computed in {@code double} and rounded once to float32 by {@link PointCloud}.
 * Gaussian variates come from the Box–Muller transform, so no platform-specific generator state
 * enters the output.
 *
 * <p>Expected persistent homology of a dense enough sample (field coefficients Z/p):
 * <ul>
 *   <li>circle S^1: one long H1 bar;
 *   <li>sphere S^2: one long H2 bar, no long H1 bar;
 *   <li>torus T^2 (in R^3 or the flat Clifford torus in R^4): two long H1 bars and one long H2 bar;
 *   <li>real projective plane RP^2: with Z/2 one long H1 and one long H2 bar; with Z/p, p odd,
 *       neither (H1(RP^2; Z) = Z/2 is torsion);
 *   <li>integer grid: contractible at every scale with many equal distances (a tie-breaking test).
 * </ul>
 */
public final class SyntheticShapes {
    private SyntheticShapes() {
    }

    /**
     * n points on the circle of the given radius in R^2, at uniformly random angles, each
     * coordinate displaced by independent Gaussian noise of standard deviation {@code noise}:
     * {@code (radius cos a + noise g1, radius sin a + noise g2)}, a ~ U[0, 2 pi).
     *
     * @throws TdaInputException if n < 1, radius is not positive and finite, or noise is negative
     *     or not finite
     */
    public static PointCloud noisyCircle(int n, double radius, double noise, long seed) {
        requireCount(n);
        requirePositive("radius", radius);
        requireNoise(noise);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * rnd.nextDouble();
            p[i] = new double[] {radius * Math.cos(a) + noise * gaussian(rnd), radius * Math.sin(a) + noise * gaussian(rnd)};
        }
        return PointCloud.of(p);
    }

    /**
     * n points uniformly distributed on the unit sphere S^2 in R^3: a standard Gaussian vector of
     * R^3 divided by its norm (the Gaussian is rotation invariant, so its direction is uniform).
     * Then each coordinate gets independent Gaussian noise of standard deviation {@code noise}.
     *
     * @throws TdaInputException if n < 1 or noise is negative or not finite
     */
    public static PointCloud sphere(int n, double noise, long seed) {
        requireCount(n);
        requireNoise(noise);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] x = unitVector(rnd, 3);
            for (int k = 0; k < 3; k++) {
                x[k] += noise * gaussian(rnd);
            }
            p[i] = x;
        }
        return PointCloud.of(p);
    }

    /**
     * n points on the torus of revolution in R^3 with tube centre radius {@code majorRadius} (R)
     * and tube radius {@code minorRadius} (r), at independent uniform angles u, v ~ U[0, 2 pi):
     * {@code ((R + r cos v) cos u, (R + r cos v) sin u, r sin v)}. The angles, not the surface
     * area, are uniform, so the inner side of the tube is sampled more densely.
     *
     * @throws TdaInputException if n < 1, a radius is not positive and finite, or r >= R (the
     *     surface would intersect itself)
     */
    public static PointCloud torus(int n, double majorRadius, double minorRadius, long seed) {
        requireCount(n);
        requirePositive("majorRadius", majorRadius);
        requirePositive("minorRadius", minorRadius);
        if (minorRadius >= majorRadius) {
            throw new TdaInputException("minorRadius " + minorRadius + " must be smaller than majorRadius " + majorRadius
                    + " for an embedded torus");
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            double u = 2 * Math.PI * rnd.nextDouble();
            double v = 2 * Math.PI * rnd.nextDouble();
            double ring = majorRadius + minorRadius * Math.cos(v);
            p[i] = new double[] {ring * Math.cos(u), ring * Math.sin(u), minorRadius * Math.sin(v)};
        }
        return PointCloud.of(p);
    }

    /**
     * n points on the flat (Clifford) torus S^1 x S^1 in R^4, at independent uniform angles u, v:
     * {@code (cos u, sin u, cos v, sin v)}. It is the product of two unit circles, so its metric is
     * flat and the uniform angles give the uniform area measure.
     *
     * @throws TdaInputException if n < 1
     */
    public static PointCloud cliffordTorus(int n, long seed) {
        requireCount(n);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            double u = 2 * Math.PI * rnd.nextDouble();
            double v = 2 * Math.PI * rnd.nextDouble();
            p[i] = new double[] {Math.cos(u), Math.sin(u), Math.cos(v), Math.sin(v)};
        }
        return PointCloud.of(p);
    }

    /**
     * n points on the real projective plane RP^2 = S^2 / (x ~ -x), embedded in R^6 by the Veronese
     * map of a uniformly random unit vector x of R^3 (drawn as in {@link #sphere}):
     * {@code x -> (x1^2, x2^2, x3^2, sqrt2 x1 x2, sqrt2 x1 x3, sqrt2 x2 x3)}.
     *
     * <p>The map is even (x and -x have the same image) and injective on RP^2; it sends x to the
     * symmetric matrix x x^T written in an orthonormal basis of the symmetric matrices, so
     * |V(x) - V(y)|^2 = 2 - 2 (x.y)^2: the embedded distance depends only on the angle between
     * the lines. The image lies on a sphere of radius 1 in the hyperplane x1^2 + x2^2 + x3^2 = 1.
     *
     * @throws TdaInputException if n < 1
     */
    public static PointCloud projectivePlane(int n, long seed) {
        requireCount(n);
        SplittableRandom rnd = new SplittableRandom(seed);
        double sqrt2 = Math.sqrt(2);
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] x = unitVector(rnd, 3);
            p[i] = new double[] {x[0] * x[0], x[1] * x[1], x[2] * x[2], sqrt2 * x[0] * x[1], sqrt2 * x[0] * x[2],
                sqrt2 * x[1] * x[2]};
        }
        return PointCloud.of(p);
    }

    /**
     * All {@code side^dimension} points of the integer grid {0, ..., side-1}^dimension, in
     * lexicographic order with the last coordinate varying fastest. Deterministic. Distances
     * take few distinct values (square roots of integers), so almost every simplex diameter is
     * shared with many others: a test of tie-breaking.
     *
     * @throws TdaInputException if dimension < 1, side < 1 or the grid has more than 2^24 points
     */
    public static PointCloud integerGrid(int dimension, int side) {
        if (dimension < 1) {
            throw new TdaInputException("grid dimension must be >= 1, got " + dimension);
        }
        if (side < 1) {
            throw new TdaInputException("grid side must be >= 1, got " + side);
        }
        double count = Math.pow(side, dimension);
        if (count > (1 << 24)) {
            throw new TdaInputException("a grid of side " + side + " in dimension " + dimension + " has " + (long) count
                    + " points, more than 2^24");
        }
        int n = (int) count;
        float[][] p = new float[n][dimension];
        for (int i = 0; i < n; i++) {
            int rest = i;
            for (int k = dimension - 1; k >= 0; k--) {
                p[i][k] = rest % side;
                rest /= side;
            }
        }
        return PointCloud.of(p);
    }

    /**
     * A random symmetric n x n distance matrix with zero diagonal whose lower-triangle entries are
     * independent and uniform in [0, 1), rounded to float32. It need not satisfy the triangle
     * inequality (Vietoris–Rips persistence does not require it).
     *
     * @throws TdaInputException if n < 1 or n > {@link DistanceMatrix#MAX_POINTS}
     */
    public static DistanceMatrix randomDistanceMatrix(int n, long seed) {
        requireMatrixSize(n);
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] lower = new float[(int) ((long) n * (n - 1) / 2)];
        for (int p = 0; p < lower.length; p++) {
            lower[p] = (float) rnd.nextDouble();
        }
        return DistanceMatrix.ofLowerTriangle(lower);
    }

    /**
     * A random symmetric n x n distance matrix whose lower-triangle entries are independent and
     * uniform on the integers {1, ..., maxValue}: with a small {@code maxValue} most diameters tie.
     *
     * @throws TdaInputException if n < 1, n > {@link DistanceMatrix#MAX_POINTS} or maxValue < 1
     */
    public static DistanceMatrix randomIntegerDistanceMatrix(int n, int maxValue, long seed) {
        requireMatrixSize(n);
        if (maxValue < 1) {
            throw new TdaInputException("maxValue must be >= 1, got " + maxValue);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] lower = new float[(int) ((long) n * (n - 1) / 2)];
        for (int p = 0; p < lower.length; p++) {
            lower[p] = 1 + rnd.nextInt(maxValue);
        }
        return DistanceMatrix.ofLowerTriangle(lower);
    }

    /** A standard normal variate by the Box–Muller transform (one of the pair is used). */
    private static double gaussian(SplittableRandom rnd) {
        double u = 1.0 - rnd.nextDouble(); // in (0, 1], so the logarithm is finite
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** A uniformly random unit vector of R^d: a normalised standard Gaussian vector. */
    private static double[] unitVector(SplittableRandom rnd, int d) {
        while (true) {
            double[] x = new double[d];
            double norm2 = 0;
            for (int k = 0; k < d; k++) {
                x[k] = gaussian(rnd);
                norm2 += x[k] * x[k];
            }
            if (norm2 > 1e-12) { // reject the (practically impossible) near-zero vector
                double norm = Math.sqrt(norm2);
                for (int k = 0; k < d; k++) {
                    x[k] /= norm;
                }
                return x;
            }
        }
    }

    private static void requireCount(int n) {
        if (n < 1) {
            throw new TdaInputException("the number of points must be >= 1, got " + n);
        }
    }

    private static void requireMatrixSize(int n) {
        if (n < 1 || n > DistanceMatrix.MAX_POINTS) {
            throw new TdaInputException("the number of points must be in 1.." + DistanceMatrix.MAX_POINTS + ", got " + n);
        }
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new TdaInputException(name + " must be positive and finite, got " + value);
        }
    }

    private static void requireNoise(double noise) {
        if (!(noise >= 0) || !Double.isFinite(noise)) {
            throw new TdaInputException("noise must be a finite standard deviation >= 0, got " + noise);
        }
    }
}
