package io.aura.tda;

import java.util.Arrays;

/**
 * A distance matrix given by its finite entries only: an undirected weighted edge list, kept as
 * compressed sparse rows (per vertex, its neighbours sorted by index ascending, then by distance).
 * A missing entry means "no edge" (infinite distance).
 *
 * <p>Immutable. Build one with {@link #builder(int)} or {@link #fromDense(DistanceMatrix, float)}.
 */
public final class SparseDistanceMatrix {
    private final int size;
    private final int[] offsets; // size + 1
    private final int[] neighbors;
    private final float[] distances;
    private final long edgeCount; // undirected entries i != j (Ripser's E)
    private final long mergedDuplicates;
    private final int[] firstDuplicate;

    private SparseDistanceMatrix(int size, int[] offsets, int[] neighbors, float[] distances, long edgeCount) {
        this(size, offsets, neighbors, distances, edgeCount, 0, null);
    }

    private SparseDistanceMatrix(int size, int[] offsets, int[] neighbors, float[] distances, long edgeCount,
            long mergedDuplicates, int[] firstDuplicate) {
        this.size = size;
        this.offsets = offsets;
        this.neighbors = neighbors;
        this.distances = distances;
        this.edgeCount = edgeCount;
        this.mergedDuplicates = mergedDuplicates;
        this.firstDuplicate = firstDuplicate;
    }

    /**
     * How many entries the builder dropped because their pair had been added before (in either
     * order): a pair keeps its smallest distance. Zero for a matrix built otherwise.
     */
    public long mergedDuplicates() {
        return mergedDuplicates;
    }

    /** The pair {i, j} (i &lt; j) of the first such duplicate, or null when there was none. */
    public int[] firstDuplicate() {
        return firstDuplicate == null ? null : firstDuplicate.clone();
    }

    /** Number of points. */
    public int size() {
        return size;
    }

    /** Number of undirected entries (distinct pairs i != j). */
    public long edgeCount() {
        return edgeCount;
    }

    /** Number of stored neighbours of vertex {@code v}. */
    public int degree(int v) {
        return offsets[v + 1] - offsets[v];
    }

    /** The distance d(i, j), or +Infinity when the pair has no entry; zero when i = j. */
    public float get(int i, int j) {
        if (i == j) {
            return 0f;
        }
        int lo = offsets[i];
        int hi = offsets[i + 1];
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (neighbors[mid] < j) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo < offsets[i + 1] && neighbors[lo] == j ? distances[lo] : Float.POSITIVE_INFINITY;
    }

    int[] offsets() {
        return offsets;
    }

    int[] neighbors() {
        return neighbors;
    }

    float[] distances() {
        return distances;
    }

    /**
     * The entries of {@code dense} that are {@code <= threshold} (float32 comparison), as Ripser's
     * sparse path builds them.
     */
    public static SparseDistanceMatrix fromDense(DistanceMatrix dense, float threshold) {
        return thresholded(dense.size(), dense::get, threshold);
    }

    /**
     * The pairs of {@code points} at float32 Euclidean distance {@code <= threshold}, without
     * materialising the dense matrix: O(n^2 D) time, memory for the kept pairs only.
     */
    public static SparseDistanceMatrix fromPoints(PointCloud points, float threshold) {
        return thresholded(points.size(), points::distance, threshold);
    }

    private interface PairDistance {
        float distance(int i, int j);
    }

    /**
     * The pairs i != j with d(i, j) <= threshold, each distance evaluated for i > j only (float32
     * distances are symmetric bit for bit). A count pass sizes the rows; the fill pass visits
     * i = 1..n-1 and j = 0..i-1 in order and appends j to row i and i to row j, which leaves every
     * row sorted (row v first gets its smaller neighbours at i = v, then the larger ones in order).
     */
    private static SparseDistanceMatrix thresholded(int n, PairDistance d, float threshold) {
        int[] offsets = new int[n + 1];
        long count = 0;
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (d.distance(i, j) <= threshold) {
                    offsets[i + 1]++;
                    offsets[j + 1]++;
                    count++;
                }
            }
        }
        if (2 * count > Integer.MAX_VALUE - 8) {
            throw new TdaInputException("threshold " + threshold + " keeps " + count + " edges, too many for the sparse path");
        }
        for (int i = 0; i < n; i++) {
            offsets[i + 1] += offsets[i];
        }
        int[] fill = Arrays.copyOf(offsets, n);
        int[] nbr = new int[(int) (2 * count)];
        float[] dist = new float[(int) (2 * count)];
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < i; j++) {
                float x = d.distance(i, j);
                if (x <= threshold) {
                    nbr[fill[i]] = j;
                    dist[fill[i]++] = x;
                    nbr[fill[j]] = i;
                    dist[fill[j]++] = x;
                }
            }
        }
        return new SparseDistanceMatrix(n, offsets, nbr, dist, count);
    }

    /** A builder for a matrix on {@code size} points (more points are added as indices need). */
    public static Builder builder(int size) {
        return new Builder(size);
    }

    /** Collects undirected entries; not thread-safe. */
    public static final class Builder {
        private int size;
        private int count;
        private int[] is = new int[16];
        private int[] js = new int[16];
        private float[] ds = new float[16];

        private Builder(int size) {
            if (size < 0) {
                throw new TdaInputException("size must be >= 0, got " + size);
            }
            this.size = size;
        }

        /**
         * Adds the entry d(i, j) = d(j, i) = distance. Entries with i = j are ignored (the diagonal is
         * zero). A pair added more than once, in either order (an edge list that names each edge
         * from both ends), keeps its smallest distance; {@link SparseDistanceMatrix#mergedDuplicates()}
         * says how many were merged. (Ripser's own sparse reader takes such a list as a multigraph,
         * which gives wrong diagrams or does not terminate.)
         *
         * @throws TdaInputException on a negative index, or a negative or NaN distance
         */
        public Builder add(int i, int j, float distance) {
            if (i < 0 || j < 0) {
                throw new TdaInputException("vertex indices must be >= 0, got (" + i + ", " + j + ")");
            }
            if (Float.isNaN(distance) || distance < 0) {
                throw new TdaInputException("distance d(" + i + "," + j + ") = " + distance + " must be a number >= 0");
            }
            if (i == j) {
                return this;
            }
            if (count == is.length) {
                int cap = Math.multiplyExact(count, 2);
                is = Arrays.copyOf(is, cap);
                js = Arrays.copyOf(js, cap);
                ds = Arrays.copyOf(ds, cap);
            }
            is[count] = i;
            js[count] = j;
            ds[count] = distance + 0f; // -0.0 becomes +0.0
            count++;
            size = Math.max(size, Math.max(i, j) + 1);
            return this;
        }

        /** The matrix; the builder may be reused afterwards. */
        public SparseDistanceMatrix build() {
            int n = size;
            int[] offsets = new int[n + 1];
            for (int e = 0; e < count; e++) {
                offsets[is[e] + 1]++;
                offsets[js[e] + 1]++;
            }
            for (int v = 0; v < n; v++) {
                offsets[v + 1] += offsets[v];
            }
            int[] fill = Arrays.copyOf(offsets, n);
            long[] keyed = new long[2 * count];
            int[] nbr = new int[2 * count];
            float[] dist = new float[2 * count];
            for (int e = 0; e < count; e++) {
                nbr[fill[is[e]]] = js[e];
                dist[fill[is[e]]++] = ds[e];
                nbr[fill[js[e]]] = is[e];
                dist[fill[js[e]]++] = ds[e];
            }
            // sort each row by (neighbour, distance); distances are >= 0 so their bits order as ints
            for (int v = 0; v < n; v++) {
                int lo = offsets[v];
                int hi = offsets[v + 1];
                for (int p = lo; p < hi; p++) {
                    keyed[p] = ((long) nbr[p] << 32) | (Float.floatToIntBits(dist[p] + 0f) & 0xffffffffL);
                }
                Arrays.sort(keyed, lo, hi);
                for (int p = lo; p < hi; p++) {
                    nbr[p] = (int) (keyed[p] >>> 32);
                    dist[p] = Float.intBitsToFloat((int) keyed[p]);
                }
            }
            // a repeated pair: adjacent in its row after the sort, the smallest distance first; keep that one
            int dropped = 0;
            int[] first = null;
            int[] compact = new int[n + 1];
            int w = 0;
            for (int v = 0; v < n; v++) {
                int lo = offsets[v];
                int hi = offsets[v + 1];
                compact[v] = w;
                for (int p = lo; p < hi; p++) {
                    if (p > lo && nbr[p] == nbr[p - 1]) {
                        dropped++;
                        if (first == null || Math.min(v, nbr[p]) < first[0]
                                || (Math.min(v, nbr[p]) == first[0] && Math.max(v, nbr[p]) < first[1])) {
                            first = new int[] {Math.min(v, nbr[p]), Math.max(v, nbr[p])};
                        }
                        continue;
                    }
                    nbr[w] = nbr[p];
                    dist[w++] = dist[p];
                }
            }
            if (dropped == 0) {
                return new SparseDistanceMatrix(n, offsets, nbr, dist, count);
            }
            compact[n] = w;
            return new SparseDistanceMatrix(n, compact, Arrays.copyOf(nbr, w), Arrays.copyOf(dist, w), w / 2,
                    dropped / 2, first);
        }
    }
}
