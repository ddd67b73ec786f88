package io.aura.tda;

/**
 * A symmetric matrix of pairwise distances with zero diagonal, stored as the compressed strict
 * lower triangle {@code d(1,0), d(2,0), d(2,1), d(3,0), ...} in float32 (Ripser's layout).
 *
 * <p>Immutable. Entries are finite or {@code +Infinity} and never negative or NaN.
 */
public final class DistanceMatrix {
    /** Largest supported number of points: the lower triangle must fit one Java array. */
    public static final int MAX_POINTS = 65_536;

    private final float[] lower;
    private final int size;
    /** Memoised {@link #enclosingRadius()} (NaN until computed; a benign race recomputes it). */
    private float enclosingRadius = Float.NaN;

    private DistanceMatrix(float[] lower, int size) {
        this.lower = lower;
        this.size = size;
    }

    static DistanceMatrix wrapLower(float[] lower, int size) {
        return new DistanceMatrix(lower, size);
    }

    /**
     * A matrix from its strict lower triangle in row order. The length must be n(n-1)/2 for some
     * n >= 1 (an empty array is the one-point matrix).
     *
     * @throws TdaInputException on a length that is not triangular, a negative or NaN entry
     */
    public static DistanceMatrix ofLowerTriangle(float[] lowerTriangle) {
        int n = sizeForLowerLength(lowerTriangle.length);
        if ((long) n * (n - 1) / 2 != lowerTriangle.length) {
            throw new TdaInputException(lowerTriangle.length + " values are not the lower triangle of a square matrix"
                    + " (n(n-1)/2 values for n points: 0, 1, 3, 6, 10, ...)");
        }
        float[] copy = lowerTriangle.clone();
        validate(copy, n);
        return new DistanceMatrix(copy, n);
    }

    /**
     * A matrix from a full square array; only the strict lower triangle is read, as Ripser's
     * {@code distance} format does.
     */
    public static DistanceMatrix ofFull(double[][] full) {
        int n = full.length;
        if (n == 0) {
            throw new TdaInputException("a distance matrix needs at least one row");
        }
        if (n > MAX_POINTS) {
            throw new TdaInputException(n + " points are too many for a dense distance matrix (at most " + MAX_POINTS + ")");
        }
        float[] lower = new float[(int) ((long) n * (n - 1) / 2)];
        int p = 0;
        for (int i = 1; i < n; i++) {
            if (full[i].length < i) {
                throw new TdaInputException("row " + i + " of the distance matrix has " + full[i].length
                        + " values; it needs at least " + i);
            }
            for (int j = 0; j < i; j++) {
                lower[p++] = (float) full[i][j];
            }
        }
        validate(lower, n);
        return new DistanceMatrix(lower, n);
    }

    /** The number of points n for a lower triangle of m values, n = floor((1 + sqrt(1 + 8m)) / 2). */
    public static int sizeForLowerLength(long m) {
        long n = (long) ((1 + Math.sqrt(1 + 8.0 * m)) / 2);
        // correct for floating-point error in the square root
        while (n * (n - 1) / 2 > m) {
            n--;
        }
        while ((n + 1) * n / 2 <= m) {
            n++;
        }
        if (n > MAX_POINTS) {
            throw new TdaInputException(m + " distances describe " + n + " points, more than the dense maximum of " + MAX_POINTS);
        }
        return (int) n;
    }

    private static void validate(float[] lower, int n) {
        int p = 0;
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < i; j++, p++) {
                float d = lower[p];
                if (Float.isNaN(d)) {
                    throw new TdaInputException("distance d(" + i + "," + j + ") is NaN; distances must be numbers");
                }
                if (d < 0) {
                    throw new TdaInputException("distance d(" + i + "," + j + ") = " + d + " is negative; distances must be >= 0");
                }
                lower[p] = d + 0f; // -0.0 becomes +0.0: the engine orders diameters by their bits
            }
        }
    }

    /** Number of points. */
    public int size() {
        return size;
    }

    /** d(i, j); zero on the diagonal. */
    public float get(int i, int j) {
        if (i == j) {
            return 0f;
        }
        return i > j ? lower[(int) ((long) i * (i - 1) / 2) + j] : lower[(int) ((long) j * (j - 1) / 2) + i];
    }

    /** A copy of the strict lower triangle. */
    public float[] lowerTriangle() {
        return lower.clone();
    }

    float[] lowerTriangleNoCopy() {
        return lower;
    }

    /**
     * The enclosing radius R = min_i max_j d(i, j): above R the Rips complex is a cone, so no
     * homology is born or dies later (Ripser's default threshold). Computed in float32.
     */
    public float enclosingRadius() {
        float cached = enclosingRadius;
        if (!Float.isNaN(cached)) {
            return cached;
        }
        // comparisons as C++'s std::max / std::min, as Ripser computes it
        float enclosing = Float.POSITIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            float r = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < size; j++) {
                float d = get(i, j);
                if (r < d) {
                    r = d;
                }
            }
            if (r < enclosing) {
                enclosing = r;
            }
        }
        enclosingRadius = enclosing;
        return enclosing;
    }

    /** Number of lower-triangle entries {@code <= threshold} (float32 comparison). */
    public long countAtMost(float threshold) {
        long c = 0;
        for (float d : lower) {
            if (d <= threshold) {
                c++;
            }
        }
        return c;
    }
}
