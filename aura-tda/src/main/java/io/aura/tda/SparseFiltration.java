package io.aura.tda;

/** Filtration over a sparse neighbour graph: only the stored pairs are edges. */
final class SparseFiltration extends Filtration {
    private final int[] offsets;
    private final int[] nbr;
    private final float[] dist;
    /** Lower triangle of all distances (+Infinity off the graph) when it is small; else null. */
    private final float[] table;
    private final int[] rowStart;

    /** A lookup table is kept when it has at most this many entries or twice the stored ones. */
    private static final long TABLE_MAX_ENTRIES = 1L << 22;
    /**
     * The n x n square and the small-table lookup are built only when the graph stores at least
     * n / this many entries per point on average: a very sparse graph (a few edges per point, e.g.
     * the failing calls of a service graph) would spend O(n²) memory and time on a matrix that is
     * almost all +Infinity, while its sorted neighbour lists answer each lookup in O(log degree).
     */
    static final int DENSE_DIVISOR = 32;

    /**
     * Whether coboundaries may intersect neighbourhoods through {@link #square}: it needs the
     * square matrix, no duplicate pairs (whose distance Ripser's list walk picks in its own way)
     * and no infinite entries (which the square uses to mean "no edge").
     */
    private final boolean squareWalk;

    SparseFiltration(SparseDistanceMatrix matrix) {
        super(matrix.size(), denseEnough(matrix));
        this.offsets = matrix.offsets();
        this.nbr = matrix.neighbors();
        this.dist = matrix.distances();
        boolean simple = square != null;
        for (int i = 0; i < n && simple; i++) {
            for (int p = offsets[i]; p < offsets[i + 1]; p++) {
                if ((p > offsets[i] && nbr[p] == nbr[p - 1]) || dist[p] == Float.POSITIVE_INFINITY) {
                    simple = false;
                    break;
                }
            }
        }
        this.squareWalk = simple;
        long entries = (long) n * (n - 1) / 2;
        if (square != null) {
            java.util.Arrays.fill(square, Float.POSITIVE_INFINITY);
            for (int i = 0; i < n; i++) {
                square[i * n + i] = 0f;
            }
            // the first entry of a pair wins, as the binary search below finds it
            for (int i = n - 1; i >= 0; i--) {
                for (int p = offsets[i + 1] - 1; p >= offsets[i]; p--) {
                    int j = nbr[p];
                    if (j < i) {
                        square[i * n + j] = dist[p];
                        square[j * n + i] = dist[p];
                    }
                }
            }
            table = null;
            rowStart = null;
        } else if (entries <= 2L * nbr.length || (entries <= TABLE_MAX_ENTRIES && denseEnough(matrix))) {
            rowStart = new int[n];
            for (int i = 1; i < n; i++) {
                rowStart[i] = (int) ((long) i * (i - 1) / 2);
            }
            table = new float[(int) entries];
            java.util.Arrays.fill(table, Float.POSITIVE_INFINITY);
            // the first entry of a pair wins, as the binary search below finds it
            for (int i = n - 1; i >= 0; i--) {
                for (int p = offsets[i + 1] - 1; p >= offsets[i]; p--) {
                    int j = nbr[p];
                    if (j < i) {
                        table[rowStart[i] + j] = dist[p];
                    }
                }
            }
        } else {
            table = null;
            rowStart = null;
        }
    }

    /** Whether the graph stores at least n / {@value #DENSE_DIVISOR} entries per point (see there). */
    static boolean denseEnough(SparseDistanceMatrix matrix) {
        long n = matrix.size();
        return n * n <= (long) DENSE_DIVISOR * matrix.neighbors().length;
    }

    @Override
    float distance(int i, int j) {
        if (square != null) {
            return square[i * n + j];
        }
        if (i == j) {
            return 0f;
        }
        if (table != null) {
            return i > j ? table[rowStart[i] + j] : table[rowStart[j] + i];
        }
        return search(i, j);
    }

    private float search(int i, int j) {
        int lo = offsets[i];
        int end = offsets[i + 1];
        int hi = end;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (nbr[mid] < j) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo < end && nbr[lo] == j ? dist[lo] : Float.POSITIVE_INFINITY;
    }

    @Override
    void edges(SimplexList out, boolean filter, float threshold) {
        for (int i = 0; i < n; i++) {
            long base = (long) i * (i - 1) / 2;
            for (int p = offsets[i]; p < offsets[i + 1]; p++) {
                int j = nbr[p];
                if (i > j && (!filter || dist[p] <= threshold)) {
                    out.add(dist[p], base + j);
                }
            }
        }
    }

    @Override
    Coboundary coboundary(Binomials binomials, int modulus) {
        return new SparseCoboundary(binomials, modulus);
    }

    /**
     * Intersects the neighbour lists of the simplex's vertices, walking each from its largest
     * neighbour down (Ripser's sparse {@code simplex_coboundary_enumerator}).
     */
    final class SparseCoboundary extends Coboundary {
        private final int[] it = new int[RipsOptions.MAX_DIMENSION + 3];
        private final int[] end = new int[RipsOptions.MAX_DIMENSION + 3];
        private int neighbor;
        private float neighborDiameter;

        SparseCoboundary(Binomials binomials, int modulus) {
            super(binomials, modulus, n);
        }

        @Override
        void started() {
            initIterators(vertexCount - 1);
        }

        private void initIterators(int dim) {
            for (int t = 0; t <= dim; t++) {
                int v = vertices[t];
                it[t] = offsets[v + 1] - 1;
                end[t] = offsets[v] - 1;
            }
            if (squareWalk) {
                // walk the shortest neighbour list; every list yields the common neighbours in
                // the same (descending) order
                int best = 0;
                for (int t = 1; t <= dim; t++) {
                    if (it[t] - end[t] < it[best] - end[best]) {
                        best = t;
                    }
                    rowOf[t] = vertices[t] * n;
                }
                rowOf[0] = vertices[0] * n;
                walked = best;
            }
        }

        private final int[] rowOf = new int[RipsOptions.MAX_DIMENSION + 3];
        private int walked;

        /**
         * Takes common neighbour nb as the next cofacet's vertex: moves the simplex's vertices
         * above nb to the part of the index above it. With {@code all == false} only a neighbour
         * above every vertex is taken.
         */
        private boolean accept(int nb, float nd, boolean all) {
            while (k > 0 && vertices[k - 1] > nb) {
                if (!all) {
                    return false;
                }
                idxBelow -= binomials.get(vertices[k - 1], k);
                idxAbove += binomials.get(vertices[k - 1], k + 1);
                --k;
            }
            neighbor = nb;
            neighborDiameter = nd;
            return true;
        }

        /** {@link #hasNext} through the square matrix: candidates from one list, the rest by lookup. */
        private boolean hasNextBySquare(boolean all) {
            final float[] sq = square;
            final int w = walked;
            final int stop = end[w];
            final int count = vertexCount;
            for (int pos = it[w]; pos != stop; pos--) {
                int nb = nbr[pos];
                float nd = dist[pos];
                boolean common = true;
                for (int t = 0; t < count; t++) {
                    if (t != w) {
                        float x = sq[rowOf[t] + nb];
                        if (x == Float.POSITIVE_INFINITY || nb == vertices[t]) {
                            common = false;
                            break;
                        }
                        if (nd < x) {
                            nd = x;
                        }
                    }
                }
                if (!common) {
                    continue;
                }
                it[w] = pos;
                return accept(nb, nd, all);
            }
            it[w] = stop;
            return false;
        }

        @Override
        boolean hasNext(boolean all) {
            if (squareWalk) {
                return hasNextBySquare(all);
            }
            final int end0 = end[0];
            outer:
            for (; it[0] != end0; it[0]--) {
                int nb = nbr[it[0]];
                float nd = dist[it[0]];
                for (int x = 1; x < vertexCount; x++) {
                    int pos = it[x];
                    final int e = end[x];
                    while (nbr[pos] > nb) {
                        if (--pos == e) {
                            it[x] = pos;
                            return false;
                        }
                    }
                    it[x] = pos;
                    if (nbr[pos] != nb) {
                        continue outer;
                    }
                    if (nd < dist[pos]) {
                        nd = dist[pos];
                    }
                }
                return accept(nb, nd, all);
            }
            return false;
        }

        @Override
        void next() {
            it[squareWalk ? walked : 0]--;
            float m = simplexDiameter < neighborDiameter ? neighborDiameter : simplexDiameter;
            long index = idxAbove + binomials.get(neighbor, k + 1) + idxBelow;
            lastVertex = neighbor;
            diameter = m;
            entry = (index << 8) | cofacetCoefficient();
        }

        @Override
        long nextZeroCofacet() {
            while (hasNext(true)) {
                if (!(simplexDiameter < neighborDiameter)) {
                    next();
                    return entry;
                }
                it[squareWalk ? walked : 0]--;
            }
            return NONE;
        }
    }
}
