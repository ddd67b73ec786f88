package io.aura.tda;

/** Filtration over a compressed lower-triangular distance matrix (every pair is an edge). */
final class DenseFiltration extends Filtration {
    private final float[] lower;
    private final int[] rowStart;

    DenseFiltration(DistanceMatrix matrix) {
        super(matrix.size());
        this.lower = matrix.lowerTriangleNoCopy();
        this.rowStart = new int[n];
        for (int i = 1; i < n; i++) {
            rowStart[i] = (int) ((long) i * (i - 1) / 2);
        }
        if (square != null) {
            for (int i = 1; i < n; i++) {
                int base = rowStart[i];
                for (int j = 0; j < i; j++) {
                    float d = lower[base + j];
                    square[i * n + j] = d;
                    square[j * n + i] = d;
                }
            }
        }
    }

    @Override
    float distance(int i, int j) {
        if (square != null) {
            return square[i * n + j];
        }
        if (i == j) {
            return 0f;
        }
        return i > j ? lower[rowStart[i] + j] : lower[rowStart[j] + i];
    }

    @Override
    void edges(SimplexList out, boolean filter, float threshold) {
        for (int i = n - 1; i >= 1; i--) {
            int base = rowStart[i];
            for (int j = i - 1; j >= 0; j--) {
                float d = lower[base + j];
                if (d <= threshold) {
                    out.add(d, base + j);
                }
            }
        }
    }

    @Override
    Coboundary coboundary(Binomials binomials, int modulus) {
        return new DenseCoboundary(binomials, modulus);
    }

    final class DenseCoboundary extends Coboundary {
        private int j;
        /** Offsets of the simplex's vertices' rows in {@link #square}. */
        private final int[] rowOf = new int[RipsOptions.MAX_DIMENSION + 3];

        private void rows() {
            for (int t = 0; t < vertexCount; t++) {
                rowOf[t] = vertices[t] * n;
            }
        }

        DenseCoboundary(Binomials binomials, int modulus) {
            super(binomials, modulus, n);
        }

        @Override
        void started() {
            j = n - 1;
            rows();
        }

        @Override
        boolean hasNext(boolean all) {
            return j >= k && (all || binomials.get(j, k) > idxBelow);
        }

        /**
         * Steps over the simplex's own vertices. Ripser tests C(j, k) <= idxBelow, which (by the
         * combinatorial number system, scanning j downwards) first holds exactly at j = v_{k-1};
         * comparing with the vertex is the same test without a table lookup per candidate.
         */
        private void skipVertices() {
            while (k > 0 && j == vertices[k - 1]) {
                idxBelow -= binomials.get(j, k);
                idxAbove += binomials.get(j, k + 1);
                --j;
                --k;
            }
        }

        @Override
        void next() {
            skipVertices();
            float m = simplexDiameter;
            final int jj = j;
            final float[] sq = square;
            if (sq != null) {
                for (int t = 0; t < vertexCount; t++) {
                    float x = sq[rowOf[t] + jj];
                    if (m < x) {
                        m = x;
                    }
                }
            } else {
                final int base = rowStart[jj];
                for (int t = 0; t < vertexCount; t++) {
                    int v = vertices[t];
                    float x = v < jj ? lower[base + v] : lower[rowStart[v] + jj];
                    if (m < x) {
                        m = x;
                    }
                }
            }
            long index = idxAbove + binomials.get(jj, k + 1) + idxBelow;
            j = jj - 1;
            lastVertex = jj;
            diameter = m;
            entry = (index << 8) | cofacetCoefficient();
        }

        /**
         * {@link #next} in one loop with the loop state in locals (the CLI runs on C1, which does
         * not hoist field loads out of loops).
         */
        @Override
        void pushAll(EntryHeap heap, float threshold) {
            final float[] sq = square;
            if (sq == null || vertexCount > 4) {
                super.pushAll(heap, threshold);
                return;
            }
            final int count = vertexCount;
            final int r0 = rowOf[0];
            final int r1 = count > 1 ? rowOf[1] : r0;
            final int r2 = count > 2 ? rowOf[2] : r0;
            final int r3 = count > 3 ? rowOf[3] : r0;
            final float base = simplexDiameter;
            final int[] vs = vertices;
            final Binomials b = binomials;
            int jj = j;
            int kk = k;
            long below = idxBelow;
            long above = idxAbove;
            int coef = cofacetCoefficient();
            int next = kk > 0 ? vs[kk - 1] : -1;
            while (jj >= kk) {
                while (jj == next) {
                    below -= b.get(jj, kk);
                    above += b.get(jj, kk + 1);
                    --jj;
                    --kk;
                    next = kk > 0 ? vs[kk - 1] : -1;
                    k = kk;
                    coef = cofacetCoefficient();
                }
                if (jj < kk) {
                    break;
                }
                float m = base;
                float x = sq[r0 + jj];
                if (m < x) {
                    m = x;
                }
                x = sq[r1 + jj];
                if (m < x) {
                    m = x;
                }
                x = sq[r2 + jj];
                if (m < x) {
                    m = x;
                }
                x = sq[r3 + jj];
                if (m < x) {
                    m = x;
                }
                if (m <= threshold) {
                    heap.push(m, ((above + b.get(jj, kk + 1) + below) << 8) | coef);
                }
                --jj;
            }
            j = jj;
            k = kk;
            idxBelow = below;
            idxAbove = above;
        }

        @Override
        long nextZeroCofacet() {
            final float d = simplexDiameter;
            final float[] sq = square;
            final int[] rows = rowOf;
            final int count = vertexCount;
            while (j >= k) {
                skipVertices();
                final int jj = j;
                boolean zero = true;
                if (sq != null) {
                    for (int t = 0; t < count; t++) {
                        if (sq[rows[t] + jj] > d) {
                            zero = false;
                            break;
                        }
                    }
                } else {
                    final int base = rowStart[jj];
                    for (int t = 0; t < count; t++) {
                        int v = vertices[t];
                        float x = v < jj ? lower[base + v] : lower[rowStart[v] + jj];
                        if (x > d) {
                            zero = false;
                            break;
                        }
                    }
                }
                if (zero) {
                    long index = idxAbove + binomials.get(jj, k + 1) + idxBelow;
                    j = jj - 1;
                    lastVertex = jj;
                    diameter = d;
                    entry = (index << 8) | cofacetCoefficient();
                    return entry;
                }
                j = jj - 1;
            }
            return NONE;
        }
    }
}
