package io.aura.cascade.graph;

import java.util.Arrays;

/** Growable primitive arrays for builders (no boxing on million-edge graphs). */
final class GrowableArrays {
    private GrowableArrays() {
    }

    /** A growable {@code int[]}. */
    static final class Ints {
        private int[] a = new int[16];
        private int size;

        void add(int x) {
            if (size == a.length) {
                a = Arrays.copyOf(a, 2 * a.length);
            }
            a[size++] = x;
        }

        int get(int i) {
            return a[i];
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }

    /** A growable {@code long[]}. */
    static final class Longs {
        private long[] a = new long[16];
        private int size;

        void add(long x) {
            if (size == a.length) {
                a = Arrays.copyOf(a, 2 * a.length);
            }
            a[size++] = x;
        }

        long[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }

    /** A growable {@code double[]}. */
    static final class Doubles {
        private double[] a = new double[16];
        private int size;

        void add(double x) {
            if (size == a.length) {
                a = Arrays.copyOf(a, 2 * a.length);
            }
            a[size++] = x;
        }

        double get(int i) {
            return a[i];
        }

        double[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }
}
