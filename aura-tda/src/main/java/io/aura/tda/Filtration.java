package io.aura.tda;

/**
 * The Vietoris–Rips filtration of a finite metric space, as the reduction sees it: point count,
 * pairwise distances and an enumerator of the cofacets of a simplex. Two implementations: a dense
 * compressed lower-triangular matrix and a sparse neighbour graph.
 */
abstract class Filtration {
    /** Largest n for which the full n x n matrix is kept (64 MiB of floats). */
    static final int SQUARE_MAX_POINTS = 4096;

    final int n;
    /**
     * The full n x n matrix, row-major, zero diagonal (+Infinity for missing sparse entries), when
     * n <= {@link #SQUARE_MAX_POINTS}; else null. Rows are contiguous, so scanning the candidate
     * vertices of a coboundary reads memory sequentially.
     */
    final float[] square;

    Filtration(int n) {
        this(n, true);
    }

    /**
     * @param wantSquare whether the square matrix is worth its O(n²) memory and fill (a sparse graph
     *     with few edges per point answers from its neighbour lists instead)
     */
    Filtration(int n, boolean wantSquare) {
        this.n = n;
        this.square = wantSquare && n <= SQUARE_MAX_POINTS ? new float[n * n] : null;
    }

    /** d(i, j); +Infinity when the sparse graph has no edge. */
    abstract float distance(int i, int j);

    /** All edges {i > j} with their lengths as (length, C(i,2) + j); filtered when asked. */
    abstract void edges(SimplexList out, boolean filter, float threshold);

    abstract Coboundary coboundary(Binomials binomials, int modulus);

    /**
     * Enumerates the cofacets of one simplex in Ripser's order (the added vertex descending).
     * After {@link #next()}, the cofacet is in {@link #diameter} and {@link #entry}.
     */
    abstract static class Coboundary {
        static final long NONE = -1L;
        final Binomials binomials;
        final int modulus;
        final int[] vertices = new int[RipsOptions.MAX_DIMENSION + 3];
        int vertexCount;
        float simplexDiameter;
        int coefficient;
        long idxBelow;
        long idxAbove;
        int k;
        float diameter;
        long entry;

        final int pointCount;

        Coboundary(Binomials binomials, int modulus, int pointCount) {
            this.binomials = binomials;
            this.modulus = modulus;
            this.pointCount = pointCount;
        }

        /** Starts enumerating the cofacets of a {@code dim}-simplex. */
        final void set(float simplexDiameter, long simplexEntry, int dim) {
            begin(simplexDiameter, simplexEntry, dim);
            binomials.vertices(idxBelow, dim, pointCount, vertices);
            started();
        }

        /** Like {@link #set} with the simplex's vertices (ascending) already known. */
        final void set(float simplexDiameter, long simplexEntry, int dim, int[] simplexVertices) {
            begin(simplexDiameter, simplexEntry, dim);
            System.arraycopy(simplexVertices, 0, vertices, 0, dim + 1);
            started();
        }

        private void begin(float simplexDiameter, long simplexEntry, int dim) {
            this.simplexDiameter = simplexDiameter;
            this.coefficient = (int) (simplexEntry & 0xff);
            idxBelow = simplexEntry >> 8;
            idxAbove = 0;
            k = dim + 1;
            vertexCount = dim + 1;
        }

        /** Implementation state for a new simplex, once its vertices are in place. */
        abstract void started();

        /** The vertex the last cofacet added. */
        int lastVertex;

        /** Writes the last cofacet's vertices, ascending, into {@code out[0..dim+1]}. */
        final void cofacetVertices(int[] out) {
            int kk = k;
            System.arraycopy(vertices, 0, out, 0, kk);
            out[kk] = lastVertex;
            System.arraycopy(vertices, kk, out, kk + 1, vertexCount - kk);
        }

        /** Whether another cofacet exists; with {@code all == false} only those whose new vertex is the largest. */
        abstract boolean hasNext(boolean all);

        abstract void next();

        /**
         * Pushes every remaining cofacet of diameter {@code <= threshold} onto {@code heap}, in
         * enumeration order (the hot loop of adding a column's coboundary).
         */
        void pushAll(EntryHeap heap, float threshold) {
            while (hasNext(true)) {
                next();
                if (diameter <= threshold) {
                    heap.push(diameter, entry);
                }
            }
        }

        /** The first remaining cofacet of the same diameter as the simplex (entry), or NONE. */
        abstract long nextZeroCofacet();

        final int cofacetCoefficient() {
            return (k & 1) != 0 ? (modulus - 1) * coefficient % modulus : coefficient;
        }
    }
}
