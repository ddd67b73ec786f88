package io.aura.tda;

/**
 * Table of binomial coefficients C(i, k) for 0 <= i <= n, 0 <= k <= maxK, stored k-major so that
 * the coefficients of one k are contiguous; and the combinatorial number system on top of it:
 * a k-simplex with vertices v_k > ... > v_0 has index sum_i C(v_i, i + 1).
 */
final class Binomials {
    /** Largest simplex index: indices are packed with an 8-bit coefficient into a long. */
    static final long MAX_SIMPLEX_INDEX = (1L << 55) - 1;

    private final long[] table;
    private final int stride;

    Binomials(int n, int maxK) {
        stride = n + 1;
        table = new long[(maxK + 1) * stride];
        for (int i = 0; i <= n; i++) {
            table[i] = 1;
            for (int j = 1; j < Math.min(i, maxK + 1); j++) {
                table[j * stride + i] = table[(j - 1) * stride + i - 1] + table[j * stride + i - 1];
            }
            if (i <= maxK) {
                table[i * stride + i] = 1;
            }
            long middle = table[Math.min(i >> 1, maxK) * stride + i];
            if (middle > MAX_SIMPLEX_INDEX || middle < 0) {
                throw new TdaInputException("simplex indices overflow: " + n + " points in dimension up to "
                        + (maxK - 1) + " need indices above " + MAX_SIMPLEX_INDEX
                        + "; lower the dimension or the number of points");
            }
        }
    }

    long get(int i, int k) {
        return table[k * stride + i];
    }

    /**
     * The largest vertex w in [k - 1, top] with C(w, k) <= index (binary search; Ripser's
     * {@code get_max_vertex}).
     */
    int maxVertex(long index, int k, int top) {
        int base = k * stride;
        if (table[base + top] > index) {
            int bottom = k - 1;
            int count = top - bottom;
            while (count > 0) {
                int step = count >> 1;
                int mid = top - step;
                if (table[base + mid] > index) {
                    top = mid - 1;
                    count -= step + 1;
                } else {
                    count = step;
                }
            }
        }
        return top;
    }

    /**
     * Writes the vertices of the {@code dim}-simplex {@code index} among {@code n} points into
     * {@code out[0..dim]}, ascending (out[dim] is the largest vertex).
     */
    void vertices(long index, int dim, int n, int[] out) {
        int top = n - 1;
        for (int k = dim + 1; k > 1; k--) {
            top = maxVertex(index, k, top);
            out[k - 1] = top;
            index -= get(top, k);
        }
        out[0] = (int) index;
    }
}
