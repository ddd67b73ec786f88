package io.aura.tda;

import java.util.List;

/**
 * Vietoris–Rips persistence barcodes in dimensions 0..k, computed exactly as Ripser 1.2.1 computes
 * them (Bauer, "Ripser: efficient computation of Vietoris–Rips persistence barcodes", J Appl
 * Comput Topology 5, 2021).
 *
 * <p>The Vietoris–Rips complex of a finite metric space at scale t has a simplex for every set of
 * points with pairwise distances <= t; a simplex enters the filtration at its diameter. Dimension
 * 0 is computed with union–find over the edges sorted by length; dimensions >= 1 by persistent
 * cohomology with clearing, apparent and emergent pairs, over the prime field Z/p.
 *
 * <p>Three inputs:
 * <ul>
 *   <li>a {@link DistanceMatrix}: without a threshold, the filtration is cut at the enclosing
 *       radius (min over points of the max distance, above which the complex is a cone); with one,
 *       the entries <= t become a sparse neighbour graph;
 *   <li>a {@link PointCloud}: as its float32 Euclidean distance matrix; with a threshold, the
 *       neighbour graph is built directly (O(n^2 D) time, memory only for the kept pairs);
 *   <li>a {@link SparseDistanceMatrix}: missing entries are infinite.
 * </ul>
 *
 * <p>Complexity: exponential in the dimension in the worst case (the number of k-simplices is
 * C(n, k+1)); in practice dominated by the columns that the apparent-pair and clearing shortcuts
 * do not remove. Memory: the distance matrix (n(n-1)/2 floats when dense), the simplices of the
 * next dimension and the reduction matrix.
 *
 * <p>Thread-safe: every call works on its own state. Interruptible: when the calling thread is
 * interrupted, the computation stops within a few hundred columns and throws
 * {@link java.util.concurrent.CancellationException} (the interrupt flag stays set).
 */
public final class VietorisRips {
    private VietorisRips() {
    }

    /** Barcodes of a dense distance matrix. */
    public static PersistenceResult compute(DistanceMatrix matrix, RipsOptions options) {
        if (!options.hasThreshold()) {
            float radius = matrix.enclosingRadius();
            return run(new DenseFiltration(matrix), options, radius, true);
        }
        return run(new SparseFiltration(SparseDistanceMatrix.fromDense(matrix, options.threshold())), options,
                options.threshold(), true);
    }

    /** Barcodes of a point cloud under the float32 Euclidean distance. */
    public static PersistenceResult compute(PointCloud points, RipsOptions options) {
        if (!options.hasThreshold()) {
            return compute(points.distanceMatrix(), options);
        }
        return run(new SparseFiltration(SparseDistanceMatrix.fromPoints(points, options.threshold())), options,
                options.threshold(), true);
    }

    /** Barcodes of a sparse distance matrix (the threshold, when given, filters its entries). */
    public static PersistenceResult compute(SparseDistanceMatrix matrix, RipsOptions options) {
        return run(new SparseFiltration(matrix), options, options.threshold(), options.thresholdFiltersSparseEdges());
    }

    private static PersistenceResult run(Filtration filtration, RipsOptions options, float threshold, boolean filterEdges) {
        if (filtration.n == 0) {
            throw new TdaInputException("the input has no points");
        }
        RipsEngine engine = new RipsEngine(filtration, options.maxDimension(), threshold, options.ratio(),
                options.modulus(), filterEdges, options.threads());
        List<PersistenceDiagram> diagrams = engine.run();
        return new PersistenceResult(diagrams, filtration.n, threshold, options.modulus());
    }
}
