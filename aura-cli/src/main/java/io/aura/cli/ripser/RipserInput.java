package io.aura.cli.ripser;

import io.aura.tda.DistanceMatrix;
import io.aura.tda.PointCloud;
import io.aura.tda.SparseDistanceMatrix;

/** What a Ripser input file contains, ready for the engine. */
public sealed interface RipserInput {

    /**
     * A dense distance matrix.
     *
     * @param matrix the matrix on n = floor((1 + sqrt(1 + 8m)) / 2) points, from the first
     *     n(n-1)/2 values
     * @param rangeValues the values Ripser scans for the {@code value range} line and the entry
     *     count: all m values read for the lower-triangular formats (a count that is not triangular
     *     leaves a tail that only shows there; binary input has an extra 0 that Ripser's reader
     *     appends at the end of the file), the matrix entries otherwise
     * @param rangeCount how many of {@code rangeValues} are used
     */
    record Dense(DistanceMatrix matrix, float[] rangeValues, int rangeCount) implements RipserInput {
    }

    /** A point cloud ({@code --format point-cloud}). */
    record Points(PointCloud cloud) implements RipserInput {
    }

    /** A sparse triplet matrix ({@code --format sparse}). */
    record Sparse(SparseDistanceMatrix matrix) implements RipserInput {
    }
}
