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
    }

    @Override
    float distance(int i, int j) {
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

        DenseCoboundary(Binomials binomials, int modulus) {
            super(binomials, modulus);
        }

        @Override
        void set(float simplexDiameter, long simplexEntry, int dim) {
            this.simplexDiameter = simplexDiameter;
            this.coefficient = (int) (simplexEntry & 0xff);
            idxBelow = simplexEntry >> 8;
            idxAbove = 0;
            j = n - 1;
            k = dim + 1;
            vertexCount = dim + 1;
            binomials.vertices(idxBelow, dim, n, vertices);
        }

        @Override
        void set(float simplexDiameter, long simplexEntry, int dim, int[] simplexVertices) {
            this.simplexDiameter = simplexDiameter;
            this.coefficient = (int) (simplexEntry & 0xff);
            idxBelow = simplexEntry >> 8;
            idxAbove = 0;
            j = n - 1;
            k = dim + 1;
            vertexCount = dim + 1;
            System.arraycopy(simplexVertices, 0, vertices, 0, dim + 1);
        }

        @Override
        boolean hasNext(boolean all) {
            return j >= k && (all || binomials.get(j, k) > idxBelow);
        }

        private void skipVertices() {
            long b;
            while ((b = binomials.get(j, k)) <= idxBelow) {
                idxBelow -= b;
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
            final int base = rowStart[jj];
            for (int t = 0; t < vertexCount; t++) {
                int v = vertices[t];
                float x = v < jj ? lower[base + v] : lower[rowStart[v] + jj];
                if (m < x) {
                    m = x;
                }
            }
            long index = idxAbove + binomials.get(jj, k + 1) + idxBelow;
            j = jj - 1;
            lastVertex = jj;
            diameter = m;
            entry = (index << 8) | cofacetCoefficient();
        }

        @Override
        long nextZeroCofacet() {
            final float d = simplexDiameter;
            while (j >= k) {
                skipVertices();
                final int jj = j;
                final int base = rowStart[jj];
                boolean zero = true;
                for (int t = 0; t < vertexCount; t++) {
                    int v = vertices[t];
                    float x = v < jj ? lower[base + v] : lower[rowStart[v] + jj];
                    if (x > d) {
                        zero = false;
                        break;
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
