package io.aura.tda;

import java.util.Arrays;

/**
 * Heap of (diameter, entry) pairs whose top is the smallest diameter and, among equal diameters,
 * the largest simplex index: the pivot order of Ripser's working coboundary (its
 * {@code priority_queue} with {@code greater_diameter_or_smaller_index}). An entry packs a simplex
 * index and a coefficient as {@code index << 8 | coefficient}; the order looks at the index only.
 *
 * <p>A 4-ary heap (the four children of a node share a cache line). Two layouts:
 * <ul>
 *   <li>packed (Z/2 and simplex indices of at most 33 bits, so that 31 float bits fit beside
 *       them): one {@code long} per pair, {@code (floatBits << b | (2^b - 1 - index)) ^ 2^63}, so
 *       that the heap order is plain signed {@code long} order; the coefficient is always 1;
 *   <li>general: two adjacent longs per pair, the diameter's float bits and the entry.
 * </ul>
 * Diameters are never negative (nor -0.0), so their float bits order as integers.
 */
final class EntryHeap {
    /** Widest index a packed entry holds: 64 bits less the 31 bits of a non-negative float. */
    static final int MAX_PACKED_INDEX_BITS = 33;
    private long[] h = new long[256];
    private int size;
    private boolean packed;
    private int indexBits;
    private long low;

    /** Packed layout for indices of {@code indexBits} bits (0 = general layout); empties the heap. */
    void setPacked(int indexBits) {
        this.packed = indexBits > 0;
        this.indexBits = indexBits;
        this.low = packed ? (1L << indexBits) - 1 : 0;
        size = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }


    void clear() {
        size = 0;
    }

    float topDiameter() {
        return packed ? Float.intBitsToFloat((int) ((h[0] ^ Long.MIN_VALUE) >>> indexBits)) : Float.intBitsToFloat((int) h[0]);
    }

    long topEntry() {
        return packed ? ((low - (h[0] & low)) << 8) | 1 : h[1];
    }

    private long key(float diameter, long entry) {
        return (((long) Float.floatToRawIntBits(diameter) << indexBits) | (low - (entry >> 8))) ^ Long.MIN_VALUE;
    }

    /** (da, ea) goes above (db, eb). */
    private static boolean above(long da, long ea, long db, long eb) {
        return da < db || (da == db && (ea >> 8) > (eb >> 8));
    }

    void push(float diameter, long entry) {
        if (packed) {
            pushPacked(key(diameter, entry));
            return;
        }
        if (2 * size + 2 > h.length) {
            h = Arrays.copyOf(h, grown(h.length) & ~1);
        }
        long d = Float.floatToRawIntBits(diameter);
        int i = size++;
        long[] a = h;
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            long pd = a[2 * parent];
            long pe = a[2 * parent + 1];
            if (!above(d, entry, pd, pe)) {
                break;
            }
            a[2 * i] = pd;
            a[2 * i + 1] = pe;
            i = parent;
        }
        a[2 * i] = d;
        a[2 * i + 1] = entry;
    }

    private static int grown(int length) {
        // 2x while small, 1.5x when large: less overshoot, and less memory held during the copy
        return length < (1 << 22) ? length * 2 : length + (length >> 1);
    }

    private void pushPacked(long key) {
        if (size == h.length) {
            h = Arrays.copyOf(h, grown(h.length));
        }
        long[] a = h;
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            long p = a[parent];
            if (p <= key) {
                break;
            }
            a[i] = p;
            i = parent;
        }
        a[i] = key;
    }

    void pop() {
        int n = --size;
        if (n == 0) {
            return;
        }
        if (packed) {
            siftDownPacked(0, h[n]);
        } else {
            siftDown(0, h[2 * n], h[2 * n + 1]);
        }
    }

    private void siftDownPacked(int i, long x) {
        long[] a = h;
        int n = size;
        while (true) {
            int first = 4 * i + 1;
            if (first >= n) {
                break;
            }
            int best = first;
            long b = a[first];
            int last = Math.min(first + 4, n);
            for (int c = first + 1; c < last; c++) {
                long v = a[c];
                if (v < b) {
                    best = c;
                    b = v;
                }
            }
            if (b >= x) {
                break;
            }
            a[i] = b;
            i = best;
        }
        a[i] = x;
    }

    private void siftDown(int i, long xd, long xe) {
        long[] a = h;
        int n = size;
        while (true) {
            int first = 4 * i + 1;
            if (first >= n) {
                break;
            }
            int best = first;
            long bd = a[2 * first];
            long be = a[2 * first + 1];
            int last = Math.min(first + 4, n);
            for (int c = first + 1; c < last; c++) {
                long cd = a[2 * c];
                long ce = a[2 * c + 1];
                if (above(cd, ce, bd, be)) {
                    best = c;
                    bd = cd;
                    be = ce;
                }
            }
            if (!above(bd, be, xd, xe)) {
                break;
            }
            a[2 * i] = bd;
            a[2 * i + 1] = be;
            i = best;
        }
        a[2 * i] = xd;
        a[2 * i + 1] = xe;
    }

    /** Replaces the content with the given pairs and restores the heap order in O(count). */
    void heapify(float[] diameters, long[] entries, int count) {
        int words = packed ? count : 2 * count;
        if (words > h.length) {
            h = new long[Math.max(words, 2 * h.length)];
        }
        long[] a = h;
        size = count;
        if (packed) {
            for (int i = 0; i < count; i++) {
                a[i] = key(diameters[i], entries[i]);
            }
            for (int i = (count - 2) >>> 2; i >= 0 && count > 1; i--) {
                siftDownPacked(i, a[i]);
            }
            return;
        }
        for (int i = 0; i < count; i++) {
            a[2 * i] = Float.floatToRawIntBits(diameters[i]);
            a[2 * i + 1] = entries[i];
        }
        for (int i = (count - 2) >>> 2; i >= 0 && count > 1; i--) {
            siftDown(i, a[2 * i], a[2 * i + 1]);
        }
    }
}
