package io.aura.tda;

import java.util.Arrays;

/**
 * Binary heap of (diameter, entry) pairs whose top is the smallest diameter and, among equal
 * diameters, the largest simplex index: the pivot order of Ripser's working coboundary (its
 * {@code priority_queue} with {@code greater_diameter_or_smaller_index}). An entry packs a simplex
 * index and a coefficient as {@code index << 8 | coefficient}; the order looks at the index only.
 */
final class EntryHeap {
    private float[] d = new float[64];
    private long[] e = new long[64];
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
        return d[0];
    }

    long topEntry() {
        return e[0];
    }

    /** a goes above b. */
    private static boolean above(float da, long ea, float db, long eb) {
        return da < db || (da == db && (ea >> 8) > (eb >> 8));
    }

    void push(float diameter, long entry) {
        if (size == e.length) {
            d = Arrays.copyOf(d, size * 2);
            e = Arrays.copyOf(e, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!above(diameter, entry, d[parent], e[parent])) {
                break;
            }
            d[i] = d[parent];
            e[i] = e[parent];
            i = parent;
        }
        d[i] = diameter;
        e[i] = entry;
    }

    void pop() {
        int n = --size;
        if (n == 0) {
            return;
        }
        float lastD = d[n];
        long lastE = e[n];
        int i = 0;
        int half = n >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < n && above(d[right], e[right], d[child], e[child])) {
                child = right;
            }
            if (!above(d[child], e[child], lastD, lastE)) {
                break;
            }
            d[i] = d[child];
            e[i] = e[child];
            i = child;
        }
        d[i] = lastD;
        e[i] = lastE;
    }

    /** Replaces the content with the given pairs and restores the heap order in O(count). */
    void heapify(float[] diameters, long[] entries, int count) {
        if (count > e.length) {
            int cap = Math.max(count, e.length * 2);
            d = new float[cap];
            e = new long[cap];
        }
        System.arraycopy(diameters, 0, d, 0, count);
        System.arraycopy(entries, 0, e, 0, count);
        size = count;
        for (int i = (count >>> 1) - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    private void siftDown(int i) {
        int n = size;
        float xd = d[i];
        long xe = e[i];
        int half = n >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < n && above(d[right], e[right], d[child], e[child])) {
                child = right;
            }
            if (!above(d[child], e[child], xd, xe)) {
                break;
            }
            d[i] = d[child];
            e[i] = e[child];
            i = child;
        }
        d[i] = xd;
        e[i] = xe;
    }
}
