package io.aura.tda;

import java.util.List;

/**
 * The barcodes of a Vietoris–Rips filtration.
 *
 * @param diagrams one diagram per dimension 0..maxDimension (index = dimension)
 * @param pointCount number of points (vertices)
 * @param threshold the diameter threshold the filtration was cut at (the enclosing radius when
 *     none was given for dense input; {@link RipsOptions#NO_THRESHOLD} for sparse input without one)
 * @param modulus the prime coefficient field used
 */
public record PersistenceResult(List<PersistenceDiagram> diagrams, int pointCount, float threshold, int modulus) {
    public PersistenceResult {
        diagrams = List.copyOf(diagrams);
    }

    /** Highest dimension computed. */
    public int maxDimension() {
        return diagrams.size() - 1;
    }

    /** The diagram of {@code dimension}. */
    public PersistenceDiagram diagram(int dimension) {
        if (dimension < 0 || dimension >= diagrams.size()) {
            throw new TdaInputException("dimension " + dimension + " was not computed (0.." + maxDimension() + ")");
        }
        return diagrams.get(dimension);
    }
}
