package io.aura.tda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Persistent cohomology of a Vietoris–Rips filtration, after Bauer's Ripser (J Appl Comput
 * Topology 5, 2021): dimension 0 by union–find over edges sorted by length; dimensions >= 1 by
 * reducing coboundary columns in reverse filtration order, with implicit coboundaries (never
 * stored), clearing (columns already paired as pivots are skipped), apparent pairs (never
 * reduced) and emergent pairs (paired without building the column). Only the reduction matrix V
 * is stored. Coefficients in Z/p.
 *
 * <p>The pairs and their order equal Ripser 1.2.1's. Single use; not thread-safe.
 */
final class RipsEngine {
    static final long NONE = -1L;
    static final int MAX_VERTICES = RipsOptions.MAX_DIMENSION + 3;

    private final Filtration filtration;
    private final int n;
    private final int dimMax;
    private final float threshold;
    private final float ratio;
    private final int modulus;
    private final boolean filterEdges;
    private final int threads;
    private final Binomials binomials;
    private final int[] inverse;
    private Parallel<Worker> parallel;
    /** The thread that runs the computation: once it is interrupted, every worker stops. */
    private Thread owner;
    /** The distinct edge lengths, ascending: every simplex diameter is one of them. */
    private float[] levels;
    private final List<DiagramBuilder> diagrams = new ArrayList<>();

    RipsEngine(Filtration filtration, int maxDimension, float threshold, float ratio, int modulus,
            boolean filterEdges, int threads) {
        this.filtration = filtration;
        this.n = filtration.n;
        this.dimMax = Math.min(maxDimension, n - 2);
        this.threshold = threshold;
        this.ratio = ratio;
        this.modulus = modulus;
        this.filterEdges = filterEdges;
        this.threads = threads;
        this.binomials = new Binomials(n, Math.max(dimMax, 0) + 2);
        this.inverse = multiplicativeInverses(modulus);
    }

    /** inverse[a] * a = 1 mod m, by m = a * (m / a) + m % a (Ripser's recurrence). */
    static int[] multiplicativeInverses(int m) {
        int[] inv = new int[m];
        inv[1] = 1;
        for (int a = 2; a < m; a++) {
            inv[a] = m - (inv[m % a] * (m / a)) % m;
        }
        return inv;
    }

    List<PersistenceDiagram> run() {
        owner = Thread.currentThread();
        checkCancelled();
        try (Parallel<Worker> pool = new Parallel<>(threads, this::newWorker)) {
            parallel = pool;
            return compute();
        } finally {
            parallel = null;
        }
    }

    /**
     * Stops the computation (every 256 columns or simplices, and at every parallel chunk) once the
     * thread that runs it is interrupted: a caller that gave up on it (a request timeout, a canceled
     * task) frees the CPU instead of leaving the work to run to its end. The interrupt flag stays set.
     */
    private void checkCancelled() {
        if (owner.isInterrupted() || (parallel != null && parallel.cancelled())) {
            throw new java.util.concurrent.CancellationException("persistent homology stopped: the thread computing it was interrupted");
        }
    }

    private List<PersistenceDiagram> compute() {
        SimplexList simplices = new SimplexList(1024);
        SimplexList columns = new SimplexList(1024);
        computeDim0Pairs(simplices, columns);
        for (int dim = 1; dim <= dimMax; dim++) {
            PivotMap pivots = new PivotMap(columns.size);
            computePairs(columns, pivots, dim);
            if (dim < dimMax) {
                assembleColumnsToReduce(simplices, columns, pivots, dim + 1);
            }
        }
        List<PersistenceDiagram> out = new ArrayList<>(diagrams.size());
        for (int d = 0; d < diagrams.size(); d++) {
            out.add(diagrams.get(d).build(d));
        }
        return out;
    }

    private void computeDim0Pairs(SimplexList edges, SimplexList columns) {
        DiagramBuilder out = new DiagramBuilder();
        diagrams.add(out);
        filtration.edges(edges, filterEdges, threshold);
        // diameter ascending, index descending: the reverse of the column order
        SimplexSort.sortColumnOrder(edges, threads);
        edges.reverse();
        levels = SimplexSort.distinctDiameters(edges);
        UnionFind sets = new UnionFind(n);
        for (int e = 0; e < edges.size; e++) {
            long index = edges.indices[e];
            float d = edges.diameters[e];
            int i = binomials.maxVertex(index, 2, n - 1);
            int j = (int) (index - binomials.get(i, 2));
            int u = sets.find(i);
            int v = sets.find(j);
            if (u != v) {
                if (d != 0) {
                    out.add(0, d);
                }
                sets.link(u, v);
            } else if (dimMax > 0 && hasNoApparentCofacet(d, index, i, j)) {
                columns.add(d, index);
            }
        }
        if (dimMax > 0) {
            columns.reverse();
        }
        for (int i = 0; i < n; i++) {
            if (sets.find(i) == i) {
                out.add(0, Float.POSITIVE_INFINITY);
            }
        }
    }

    private boolean hasNoApparentCofacet(float d, long index, int i, int j) {
        Worker w = parallel.state(0);
        int[] v = w.vEdge;
        v[0] = j;
        v[1] = i;
        return w.zeroApparentCofacet(d, index << 8, 1, v) == NONE;
    }

    private void computePairs(SimplexList columns, PivotMap pivots, int dim) {
        DiagramBuilder out = new DiagramBuilder();
        diagrams.add(out);
        // one word per heap entry when the coefficient is implicit (Z/2) and cofacet indices are narrow
        long maxIndex = Math.max(1, binomials.get(n, Math.min(dim + 2, n)) - 1);
        int indexBits = 64 - Long.numberOfLeadingZeros(maxIndex);
        int packedBits = modulus == 2 && indexBits <= EntryHeap.MAX_PACKED_INDEX_BITS ? indexBits : 0;
        for (int t = 0; t < parallel.threads(); t++) {
            parallel.state(t).reductionColumn.setPacked(packedBits);
            parallel.state(t).coboundary.setPacked(packedBits);
        }
        ReductionMatrix reduction = new ReductionMatrix(columns.size);
        if (parallel.threads() > 1 && columns.size >= 4 * PARALLEL_BATCH_MIN) {
            computePairsInBatches(columns, pivots, dim, reduction, out);
            return;
        }
        Worker w = parallel.state(0);
        for (int c = 0; c < columns.size; c++) {
            if ((c & 255) == 0) {
                checkCancelled();
            }
            reduction.appendColumn();
            long pivot = reduce(w, columns, c, pivots, reduction, dim);
            record(w, columns.diameters[c], pivot, c, pivots, reduction, out);
        }
    }

    /** Smallest batch of columns reduced in parallel. */
    private static final int PARALLEL_BATCH_MIN = 512;

    /**
     * Reduces the columns in batches: first every column of a batch in parallel against the
     * pivots of the earlier batches (read-only), then, in column order, each column whose pivot an
     * earlier column of the same batch took is reduced again sequentially. Adding earlier columns
     * in any order leads to the same pivots (the persistence pairing is unique), so the output is
     * the sequential one.
     */
    private void computePairsInBatches(SimplexList columns, PivotMap pivots, int dim, ReductionMatrix reduction,
            DiagramBuilder out) {
        int batch = PARALLEL_BATCH_MIN * parallel.threads();
        long[] pivotOf = new long[batch];
        float[] pivotDiameterOf = new float[batch];
        float[][] vDiameters = new float[batch][];
        long[][] vEntries = new long[batch][];
        final int chunk = 32;
        Worker main = parallel.state(0);
        for (int start = 0; start < columns.size; start += batch) {
            final int from = start;
            final int to = Math.min(columns.size, start + batch);
            int chunks = (to - from + chunk - 1) / chunk;
            checkCancelled();
            parallel.forEachChunk(chunks, (w, k) -> {
                checkCancelled();
                int hi = Math.min(to, from + (k + 1) * chunk);
                for (int c = from + k * chunk; c < hi; c++) {
                    long pivot = reduce(w, columns, c, pivots, reduction, dim);
                    int slot = c - from;
                    pivotOf[slot] = pivot;
                    pivotDiameterOf[slot] = w.pivotDiameter;
                    vDiameters[slot] = null;
                    vEntries[slot] = null;
                    if (pivot != NONE) {
                        w.drainReductionColumn();
                        if (w.vSize > 0) {
                            vDiameters[slot] = Arrays.copyOf(w.vD, w.vSize);
                            vEntries[slot] = Arrays.copyOf(w.vE, w.vSize);
                        }
                    }
                }
            });
            for (int c = from; c < to; c++) {
                int slot = c - from;
                reduction.appendColumn();
                long pivot = pivotOf[slot];
                if (pivot != NONE && pivots.contains(pivot >> 8)) {
                    // an earlier column of this batch has this pivot: continue sequentially
                    pivot = reduce(main, columns, c, pivots, reduction, dim);
                    record(main, columns.diameters[c], pivot, c, pivots, reduction, out);
                    continue;
                }
                if (pivot == NONE) {
                    out.add(columns.diameters[c], Float.POSITIVE_INFINITY);
                    continue;
                }
                float diameter = columns.diameters[c];
                float death = pivotDiameterOf[slot];
                if (death > diameter * ratio) {
                    out.add(diameter, death);
                }
                pivots.put(pivot >> 8, c, (int) (pivot & 0xff));
                if (vEntries[slot] != null) {
                    float[] vd = vDiameters[slot];
                    long[] ve = vEntries[slot];
                    for (int q = 0; q < ve.length; q++) {
                        reduction.add(vd[q], ve[q]);
                    }
                }
            }
        }
    }

    /** Reports column c's interval, records its pivot and stores its reduction column. */
    private void record(Worker w, float diameter, long pivot, int c, PivotMap pivots, ReductionMatrix reduction,
            DiagramBuilder out) {
        if (pivot == NONE) {
            out.add(diameter, Float.POSITIVE_INFINITY);
            return;
        }
        float death = w.pivotDiameter;
        if (death > diameter * ratio) {
            out.add(diameter, death);
        }
        pivots.put(pivot >> 8, c, (int) (pivot & 0xff));
        while (true) {
            long r = w.popPivot(w.reductionColumn);
            if (r == NONE) {
                break;
            }
            reduction.add(w.pivotDiameter, r);
        }
    }

    /**
     * Reduces column c of {@code columns} against the columns whose pivots are in {@code pivots}
     * and the apparent pairs. Returns the pivot entry (its diameter in {@code w.pivotDiameter}) or
     * NONE when the column reduces to zero (an essential class). The reduction column V is left in
     * {@code w.reductionColumn}. Reads {@code pivots} and {@code reduction} only.
     */
    private long reduce(Worker w, SimplexList columns, int c, PivotMap pivots, ReductionMatrix reduction, int dim) {
        final int p = modulus;
        EntryHeap reductionColumn = w.reductionColumn;
        EntryHeap coboundary = w.coboundary;
        reductionColumn.clear();
        coboundary.clear();
        long pivot = w.initCoboundaryAndGetPivot(columns.diameters[c], (columns.indices[c] << 8) | 1, coboundary,
                dim, pivots);
        float pivotDiameter = w.pivotDiameter;
        while (pivot != NONE) {
            long found = pivots.get(pivot >> 8);
            if (found != -1L) {
                int otherColumn = (int) (found >>> 8);
                int otherCoefficient = (int) (found & 0xff);
                int factor = p - (int) (pivot & 0xff) * inverse[otherCoefficient] % p;
                w.addCoboundary(reduction, columns, otherColumn, factor, dim, reductionColumn, coboundary);
            } else {
                long e = w.zeroApparentFacet(pivotDiameter, pivot, dim + 1);
                if (e == NONE) {
                    w.pivotDiameter = pivotDiameter;
                    return pivot;
                }
                e = (e & ~0xffL) | (p - (e & 0xff));
                w.addSimplexCoboundary(pivotDiameter, e, dim, reductionColumn, coboundary);
            }
            pivot = w.getPivot(coboundary);
            pivotDiameter = w.pivotDiameter;
        }
        return NONE;
    }

    private void assembleColumnsToReduce(SimplexList simplices, SimplexList columns, PivotMap pivots, int dim) {
        columns.clear();
        boolean keepSimplices = dim < dimMax;
        int total = simplices.size;
        int chunks = threads == 1 ? 1 : Math.min(Math.max(1, total / 256), threads * 32);
        SimplexList[] chunkColumns = new SimplexList[chunks];
        SimplexList[] chunkSimplices = new SimplexList[chunks];
        parallel.forEachChunk(chunks, (w, c) -> {
            int from = (int) ((long) total * c / chunks);
            int to = (int) ((long) total * (c + 1) / chunks);
            SimplexList cols = chunks == 1 ? columns : new SimplexList((to - from) / 2);
            SimplexList next = keepSimplices ? new SimplexList(to - from) : null;
            assemble(w, simplices, from, to, cols, next, pivots, dim);
            chunkColumns[c] = cols;
            chunkSimplices[c] = next;
        });
        if (chunks > 1) {
            concat(chunkColumns, columns);
        }
        if (keepSimplices) {
            if (chunks > 1) {
                simplices.clear();
                simplices.trim();
                concat(chunkSimplices, simplices);
            } else {
                SimplexList next = chunkSimplices[0];
                next.trim();
                simplices.diameters = next.diameters;
                simplices.indices = next.indices;
                simplices.size = next.size;
            }
        }
        SimplexSort.sortColumnOrder(columns, threads, levels);
    }

    private static void concat(SimplexList[] parts, SimplexList out) {
        long total = out.size;
        for (SimplexList p : parts) {
            total += p.size;
        }
        out.ensureCapacity(total);
        for (int i = 0; i < parts.length; i++) {
            out.addAll(parts[i]);
            parts[i] = null;
        }
    }

    /** The cofacets of simplices[from, to) whose new vertex is the largest: next simplices and columns. */
    private void assemble(Worker w, SimplexList simplices, int from, int to, SimplexList columns, SimplexList next,
            PivotMap pivots, int dim) {
        Filtration.Coboundary cofacets = w.cobAssemble;
        final float t = threshold;
        for (int s = from; s < to; s++) {
            if (((s - from) & 255) == 0) {
                checkCancelled();
            }
            cofacets.set(simplices.diameters[s], (simplices.indices[s] << 8) | 1, dim - 1);
            while (cofacets.hasNext(false)) {
                cofacets.next();
                float d = cofacets.diameter;
                if (d <= t) {
                    long e = cofacets.entry;
                    if (next != null) {
                        next.add(d, e >> 8);
                    }
                    cofacets.cofacetVertices(w.vAssemble);
                    // apparent pairs first: most cofacets are in one, and the test reads memory
                    // near the simplex, while the pivot lookup is a cache miss
                    if (!w.isInZeroApparentPair(d, e, dim, w.vAssemble) && !pivots.contains(e >> 8)) {
                        columns.add(d, e >> 8);
                    }
                }
            }
        }
    }

    private Worker newWorker() {
        return new Worker();
    }

    /** Scratch state and the apparent-pair tests; one per thread. */
    final class Worker {
        final Filtration.Coboundary cobInit = filtration.coboundary(binomials, modulus);
        final Filtration.Coboundary cobAdd = filtration.coboundary(binomials, modulus);
        final Filtration.Coboundary cobZero = filtration.coboundary(binomials, modulus);
        final Filtration.Coboundary cobAssemble = filtration.coboundary(binomials, modulus);
        private final float[] pair = new float[(RipsOptions.MAX_DIMENSION + 3) * (RipsOptions.MAX_DIMENSION + 3)];
        private float[] bufD = new float[256];
        private long[] bufE = new long[256];
        /** Diameter of the entry returned by the last pivot-returning call. */
        float pivotDiameter;
        final EntryHeap reductionColumn = new EntryHeap();
        final EntryHeap coboundary = new EntryHeap();
        float[] vD = new float[64];
        long[] vE = new long[64];
        int vSize;

        /** Pops the reduction column's entries (equal indices summed) into vD/vE. */
        void drainReductionColumn() {
            vSize = 0;
            while (true) {
                long r = popPivot(reductionColumn);
                if (r == NONE) {
                    return;
                }
                if (vSize == vE.length) {
                    vE = Arrays.copyOf(vE, vSize * 2);
                    vD = Arrays.copyOf(vD, vSize * 2);
                }
                vD[vSize] = pivotDiameter;
                vE[vSize++] = r;
            }
        }

        private final int[] vFacet = new int[MAX_VERTICES];
        private final int[] vCofacet = new int[MAX_VERTICES];
        private final int[] vDecode = new int[MAX_VERTICES];
        private final int[] vInit = new int[MAX_VERTICES];
        final int[] vAssemble = new int[MAX_VERTICES];
        final int[] vEdge = new int[MAX_VERTICES];

        /**
         * The first facet (removing the largest vertex first) with the simplex's diameter, or NONE
         * (Ripser's {@code get_zero_pivot_facet}). {@code v} holds the simplex's vertices ascending;
         * the facet's vertices are written to {@code out} when it is not null.
         */
        long zeroPivotFacet(float d, long e, int dim, int[] v, int[] out) {
            int coefficient = (int) (e & 0xff);
            int m = dim + 1;
            float[] pr = pair;
            final float[] sq = filtration.square;
            if (sq != null) {
                for (int a = 0; a < m; a++) {
                    int row = v[a] * n;
                    for (int b = a + 1; b < m; b++) {
                        pr[a * m + b] = sq[row + v[b]];
                    }
                }
            } else {
                for (int a = 0; a < m; a++) {
                    for (int b = a + 1; b < m; b++) {
                        pr[a * m + b] = filtration.distance(v[a], v[b]);
                    }
                }
            }
            for (int t = dim; t >= 0; t--) {
                float diam = Float.NEGATIVE_INFINITY;
                for (int a = 0; a < m; a++) {
                    if (a == t) {
                        continue;
                    }
                    for (int b = a + 1; b < m; b++) {
                        if (b != t) {
                            float x = pr[a * m + b];
                            if (diam < x) {
                                diam = x;
                            }
                        }
                    }
                }
                if (diam == d) {
                    long facet = 0;
                    for (int i = 0; i < t; i++) {
                        facet += binomials.get(v[i], i + 1);
                    }
                    for (int i = t + 1; i < m; i++) {
                        facet += binomials.get(v[i], i);
                    }
                    if (out != null) {
                        System.arraycopy(v, 0, out, 0, t);
                        System.arraycopy(v, t + 1, out, t, m - 1 - t);
                    }
                    int c = (t & 1) != 0 ? (modulus - 1) * coefficient % modulus : coefficient;
                    return (facet << 8) | c;
                }
            }
            return NONE;
        }

        long zeroPivotCofacet(float d, long e, int dim, int[] v, int[] out) {
            Filtration.Coboundary cob = cobZero;
            cob.set(d, e, dim, v);
            long c = cob.nextZeroCofacet();
            if (c != NONE && out != null) {
                cob.cofacetVertices(out);
            }
            return c;
        }

        long zeroApparentFacet(float d, long e, int dim, int[] v) {
            long facet = zeroPivotFacet(d, e, dim, v, vFacet);
            if (facet != NONE && (zeroPivotCofacet(d, facet, dim - 1, vFacet, null) >> 8) == (e >> 8)) {
                return facet;
            }
            return NONE;
        }

        long zeroApparentCofacet(float d, long e, int dim, int[] v) {
            long cofacet = zeroPivotCofacet(d, e, dim, v, vCofacet);
            if (cofacet != NONE && (zeroPivotFacet(d, cofacet, dim + 1, vCofacet, null) >> 8) == (e >> 8)) {
                return cofacet;
            }
            return NONE;
        }

        /** The apparent facet of a simplex given by index only (vertices decoded). */
        long zeroApparentFacet(float d, long e, int dim) {
            binomials.vertices(e >> 8, dim, n, vDecode);
            return zeroApparentFacet(d, e, dim, vDecode);
        }

        /**
         * Whether the simplex (diameter d, vertices v ascending) is in a zero apparent pair, as the
         * facet or as the cofacet (Ripser's {@code is_in_zero_apparent_pair}).
         */
        boolean isInZeroApparentPair(float d, long e, int dim, int[] v) {
            long cofacet = zeroPivotCofacet(d, e, dim, v, null);
            if (cofacet != NONE && firstZeroFacetRemoves(d, v, dim, cobZero.lastVertex)) {
                return true;
            }
            return zeroApparentFacet(d, e, dim, v) != NONE;
        }

        private final float[] toJ = new float[MAX_VERTICES];

        /**
         * For a cofacet c = v + {j} of diameter d (every edge of c at most d): whether the first
         * facet of c with diameter d, in Ripser's order (removing the largest vertex first), is
         * the one removing j. A facet removing u has diameter d iff an edge of length d avoids u.
         */
        private boolean firstZeroFacetRemoves(float d, int[] v, int dim, int j) {
            int m = dim + 1;
            if (v[m - 1] < j) {
                return true; // j is the largest vertex: its facet comes first
            }
            float[] pr = pair;
            final float[] sq = filtration.square;
            for (int a = 0; a < m; a++) {
                toJ[a] = sq != null ? sq[j * n + v[a]] : filtration.distance(j, v[a]);
                for (int b = a + 1; b < m; b++) {
                    pr[a * m + b] = sq != null ? sq[v[a] * n + v[b]] : filtration.distance(v[a], v[b]);
                }
            }
            for (int t = m - 1; t >= 0 && v[t] > j; t--) {
                // does an edge of length d avoid v[t]?
                for (int a = 0; a < m; a++) {
                    if (a != t && toJ[a] == d) {
                        return false;
                    }
                    for (int b = a + 1; b < m; b++) {
                        if (a != t && b != t && pr[a * m + b] == d) {
                            return false;
                        }
                    }
                }
            }
            return true;
        }

        /** Pops the pivot (summing equal indices) of a column; NONE when the column is zero. */
        long popPivot(EntryHeap column) {
            if (modulus == 2) {
                while (!column.isEmpty()) {
                    long pivot = column.topEntry();
                    float pd = column.topDiameter();
                    column.pop();
                    if (column.isEmpty() || (column.topEntry() >> 8) != (pivot >> 8)) {
                        pivotDiameter = pd;
                        return pivot;
                    }
                    column.pop();
                }
                return NONE;
            }
            long pivotIndex = -1;
            int pivotCoefficient = 0;
            float pd = 0;
            while (!column.isEmpty()) {
                long top = column.topEntry();
                if (pivotCoefficient == 0) {
                    pivotIndex = top >> 8;
                    pivotCoefficient = (int) (top & 0xff);
                    pd = column.topDiameter();
                } else if ((top >> 8) != pivotIndex) {
                    pivotDiameter = pd;
                    return (pivotIndex << 8) | pivotCoefficient;
                } else {
                    pivotCoefficient = (pivotCoefficient + (int) (top & 0xff)) % modulus;
                }
                column.pop();
            }
            if (pivotCoefficient == 0) {
                return NONE;
            }
            pivotDiameter = pd;
            return (pivotIndex << 8) | pivotCoefficient;
        }

        long getPivot(EntryHeap column) {
            long result = popPivot(column);
            if (result != NONE) {
                column.push(pivotDiameter, result);
            }
            return result;
        }

        long initCoboundaryAndGetPivot(float diameter, long simplex, EntryHeap coboundary, int dim, PivotMap pivots) {
            Filtration.Coboundary cofacets = cobInit;
            boolean checkEmergent = true;
            int count = 0;
            cofacets.set(diameter, simplex, dim);
            while (cofacets.hasNext(true)) {
                cofacets.next();
                float d = cofacets.diameter;
                if (d <= threshold) {
                    long e = cofacets.entry;
                    if (count == bufE.length) {
                        bufE = Arrays.copyOf(bufE, count * 2);
                        bufD = Arrays.copyOf(bufD, count * 2);
                    }
                    bufD[count] = d;
                    bufE[count++] = e;
                    if (checkEmergent && diameter == d) {
                        cofacets.cofacetVertices(vInit);
                        if (!pivots.contains(e >> 8) && zeroApparentFacet(d, e, dim + 1, vInit) == NONE) {
                            pivotDiameter = d;
                            return e;
                        }
                        checkEmergent = false;
                    }
                }
            }
            coboundary.heapify(bufD, bufE, count);
            return getPivot(coboundary);
        }

        void addSimplexCoboundary(float d, long simplex, int dim, EntryHeap reductionColumn, EntryHeap coboundary) {
            reductionColumn.push(d, simplex);
            Filtration.Coboundary cofacets = cobAdd;
            cofacets.set(d, simplex, dim);
            cofacets.pushAll(coboundary, threshold);
        }

        void addCoboundary(ReductionMatrix reduction, SimplexList columns, int column, int factor, int dim,
                EntryHeap reductionColumn, EntryHeap coboundary) {
            addSimplexCoboundary(columns.diameters[column], (columns.indices[column] << 8) | factor, dim,
                    reductionColumn, coboundary);
            long from = reduction.start(column);
            long to = reduction.end(column);
            for (long q = from; q < to; q++) {
                long e = reduction.entry(q);
                int c = (int) (e & 0xff) * factor % modulus;
                addSimplexCoboundary(reduction.diameter(q), (e & ~0xffL) | c, dim, reductionColumn, coboundary);
            }
        }
    }

    /**
     * The reduction matrix V as compressed columns (Ripser's {@code compressed_sparse_matrix}),
     * stored in fixed blocks of 2^16 entries so that growing never copies (a copy at 1 GB would
     * need 3 GB for a moment). Entry positions are longs; a column's range is [start, end).
     */
    static final class ReductionMatrix {
        static final int BLOCK_BITS = 16;
        static final int BLOCK = 1 << BLOCK_BITS;
        static final int BLOCK_MASK = BLOCK - 1;
        long[] bounds;
        int columns;
        float[][] diameterBlocks = new float[16][];
        long[][] entryBlocks = new long[16][];
        long size;

        ReductionMatrix(int expectedColumns) {
            bounds = new long[Math.max(expectedColumns, 1)];
        }

        void appendColumn() {
            if (columns == bounds.length) {
                bounds = Arrays.copyOf(bounds, columns * 2);
            }
            bounds[columns++] = size;
        }

        void add(float d, long e) {
            int block = (int) (size >>> BLOCK_BITS);
            int offset = (int) (size & BLOCK_MASK);
            if (block == entryBlocks.length) {
                entryBlocks = Arrays.copyOf(entryBlocks, block * 2);
                diameterBlocks = Arrays.copyOf(diameterBlocks, block * 2);
            }
            long[] eb = entryBlocks[block];
            if (eb == null) {
                // the first block starts small (small inputs), later ones are full
                eb = new long[block == 0 ? 256 : BLOCK];
                entryBlocks[block] = eb;
                diameterBlocks[block] = new float[eb.length];
            } else if (offset == eb.length) {
                int length = Math.min(BLOCK, eb.length * 2);
                eb = Arrays.copyOf(eb, length);
                entryBlocks[block] = eb;
                diameterBlocks[block] = Arrays.copyOf(diameterBlocks[block], length);
            }
            diameterBlocks[block][offset] = d;
            eb[offset] = e;
            size++;
            bounds[columns - 1] = size;
        }

        long start(int column) {
            return column == 0 ? 0 : bounds[column - 1];
        }

        long end(int column) {
            return bounds[column];
        }

        float diameter(long q) {
            return diameterBlocks[(int) (q >>> BLOCK_BITS)][(int) (q & BLOCK_MASK)];
        }

        long entry(long q) {
            return entryBlocks[(int) (q >>> BLOCK_BITS)][(int) (q & BLOCK_MASK)];
        }
    }

    /** Union–find with path compression and union by rank (Ripser's {@code union_find}). */
    static final class UnionFind {
        private final int[] parent;
        private final byte[] rank;

        UnionFind(int n) {
            parent = new int[n];
            rank = new byte[n];
            for (int i = 0; i < n; i++) {
                parent[i] = i;
            }
        }

        int find(int x) {
            int y = x;
            int z;
            while ((z = parent[y]) != y) {
                y = z;
            }
            while ((z = parent[x]) != y) {
                parent[x] = y;
                x = z;
            }
            return y;
        }

        void link(int x, int y) {
            x = find(x);
            y = find(y);
            if (x == y) {
                return;
            }
            if (rank[x] > rank[y]) {
                parent[y] = x;
            } else {
                parent[x] = y;
                if (rank[x] == rank[y]) {
                    ++rank[y];
                }
            }
        }
    }

    /** Collects intervals of one dimension in report order. */
    static final class DiagramBuilder {
        private double[] births = new double[16];
        private double[] deaths = new double[16];
        private int size;

        void add(float birth, float death) {
            if (size == births.length) {
                births = Arrays.copyOf(births, size * 2);
                deaths = Arrays.copyOf(deaths, size * 2);
            }
            births[size] = birth;
            deaths[size++] = death;
        }

        PersistenceDiagram build(int dimension) {
            return PersistenceDiagram.wrap(dimension, Arrays.copyOf(births, size), Arrays.copyOf(deaths, size));
        }
    }
}
