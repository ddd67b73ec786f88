package io.aura.tda;

import java.util.Arrays;

/** A growable list of (diameter, simplex index) pairs on two primitive arrays. Not thread-safe. */
final class SimplexList {
    float[] diameters;
    long[] indices;
    int size;

    SimplexList(int capacity) {
        diameters = new float[Math.max(capacity, 4)];
        indices = new long[Math.max(capacity, 4)];
    }

    void add(float diameter, long index) {
        if (size == indices.length) {
            grow(size + 1);
        }
        diameters[size] = diameter;
        indices[size++] = index;
    }

    void addAll(SimplexList other) {
        if (size + other.size > indices.length) {
            grow(size + other.size);
        }
        System.arraycopy(other.diameters, 0, diameters, size, other.size);
        System.arraycopy(other.indices, 0, indices, size, other.size);
        size += other.size;
    }

    void ensureCapacity(long min) {
        if (min > indices.length) {
            if (min > Integer.MAX_VALUE - 16) {
                throw new TdaInputException("more than " + (Integer.MAX_VALUE - 16)
                        + " simplices in one dimension; lower the threshold or the dimension");
            }
            diameters = Arrays.copyOf(diameters, (int) min);
            indices = Arrays.copyOf(indices, (int) min);
        }
    }

    private void grow(int min) {
        long cap = Math.max((long) min, (long) indices.length + (indices.length >> 1) + 16);
        if (cap > Integer.MAX_VALUE - 16) {
            if (min > Integer.MAX_VALUE - 16) {
                throw new TdaInputException("more than " + (Integer.MAX_VALUE - 16)
                        + " simplices in one dimension; lower the threshold or the dimension");
            }
            cap = Integer.MAX_VALUE - 16;
        }
        diameters = Arrays.copyOf(diameters, (int) cap);
        indices = Arrays.copyOf(indices, (int) cap);
    }

    void clear() {
        size = 0;
    }

    void reverse() {
        for (int i = 0, j = size - 1; i < j; i++, j--) {
            float d = diameters[i];
            diameters[i] = diameters[j];
            diameters[j] = d;
            long x = indices[i];
            indices[i] = indices[j];
            indices[j] = x;
        }
    }

    /** Releases unused capacity (long-lived lists). */
    void trim() {
        if (indices.length - size > 1024 || size == 0) {
            diameters = Arrays.copyOf(diameters, size);
            indices = Arrays.copyOf(indices, size);
        }
    }
}
