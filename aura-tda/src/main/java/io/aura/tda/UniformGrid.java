package io.aura.tda;

/**
 * A uniform grid of {@code samples} scale values on the closed interval [tMin, tMax], on which the
 * Betti curve and the persistence landscapes are sampled.
 *
 * <p>Definition: for m = {@code samples} >= 2 the points are t_j = tMin + j * h with
 * h = (tMax - tMin) / (m - 1), j = 0..m-1, except that the last point is exactly tMax; for m = 1
 * the only point is tMin. The points are non-decreasing in j (floating-point addition and
 * multiplication are monotone), which the samplers rely on.
 *
 * <p>Numeric caveat: t_j carries one rounding of h and one of the product and sum, so interior
 * points may differ from the real-number grid in the last bits; {@link #at(int)} is the single
 * definition every sampler uses, so sampled values always refer to exactly these doubles.
 *
 * @param tMin first grid point, finite
 * @param tMax last grid point, finite, {@code >= tMin}; tMax - tMin must not overflow
 * @param samples number of points m, {@code >= 1}
 */
public record UniformGrid(double tMin, double tMax, int samples) {
    public UniformGrid {
        if (!Double.isFinite(tMin)) {
            throw new TdaInputException("grid start tMin must be a finite number, got " + tMin);
        }
        if (!Double.isFinite(tMax)) {
            throw new TdaInputException("grid end tMax must be a finite number, got " + tMax);
        }
        if (tMax < tMin) {
            throw new TdaInputException("grid end tMax = " + tMax + " is below grid start tMin = " + tMin);
        }
        if (!Double.isFinite(tMax - tMin)) {
            throw new TdaInputException("grid width tMax - tMin = " + tMax + " - " + tMin + " overflows a double");
        }
        if (samples < 1) {
            throw new TdaInputException("a grid needs at least 1 sample, got " + samples);
        }
    }

    /** The grid point t_j, 0 <= j < samples (see the class definition). */
    public double at(int j) {
        if (j < 0 || j >= samples) {
            throw new TdaInputException("grid index " + j + " is outside 0.." + (samples - 1));
        }
        return point(j);
    }

    /** All grid points t_0..t_{m-1} in a new array. */
    public double[] points() {
        double[] t = new double[samples];
        for (int j = 0; j < samples; j++) {
            t[j] = point(j);
        }
        return t;
    }

    private double point(int j) {
        if (j == samples - 1) {
            return samples == 1 ? tMin : tMax;
        }
        return tMin + j * ((tMax - tMin) / (samples - 1));
    }
}
