package io.aura.tda;

import java.util.Arrays;

/**
 * Heap of (diameter, entry) pairs whose top is the smallest diameter and, among equal diameters,
 * the largest simplex index: the pivot order of Ripser's working coboundary (its
 * {@code priority_queue} with {@code greater_diameter_or_smaller_index}). An entry packs a simplex
 * index and a coefficient as {@code index << 8 | coefficient}; the order looks at the index only.
 *
 * <p>A 4-ary heap with each pair stored as two adjacent longs (the diameter's float bits, then
 * the entry), so that the four children of a node share one 64-byte cache line. Diameters are
 * never negative (nor -0.0), so their float bits order as integers.
 */
final class EntryHeap {
    private long[] h = new long[256];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    float topDiameter() {
        return Float.intBitsToFloat((int) h[0]);
    }

    long topEntry() {
        return h[1];
    }

    /** (da, ea) goes above (db, eb). */
    private static boolean above(long da, long ea, long db, long eb) {
        return da < db || (da == db && (ea >> 8) > (eb >> 8));
    }

    void push(float diameter, long entry) {
        if (2 * size + 2 > h.length) {
            h = Arrays.copyOf(h, h.length * 2);
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

    void pop() {
        int n = --size;
        if (n == 0) {
            return;
        }
        siftDown(0, h[2 * n], h[2 * n + 1]);
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
        if (2 * count > h.length) {
            h = new long[Math.max(2 * count, 2 * h.length)];
        }
        long[] a = h;
        for (int i = 0; i < count; i++) {
            a[2 * i] = Float.floatToRawIntBits(diameters[i]);
            a[2 * i + 1] = entries[i];
        }
        size = count;
        for (int i = (count - 2) >>> 2; i >= 0 && count > 1; i--) {
            siftDown(i, a[2 * i], a[2 * i + 1]);
        }
    }
}
