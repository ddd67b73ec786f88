package io.aura.tda;

import java.util.Arrays;

/**
 * Sorts (diameter, index) pairs into column order: diameter descending, then index ascending
 * (Ripser's {@code greater_diameter_or_smaller_index}). Diameters are never negative, so each
 * pair packs into one sortable {@code long} when the index fits beside either the float bits or
 * the diameter's rank; otherwise a merge sort on the two arrays is used.
 */
final class SimplexSort {
    private SimplexSort() {
    }

    static void sortColumnOrder(SimplexList list, int threads) {
        sortColumnOrder(list, threads, null);
    }

    /** The distinct values of an ascending list's diameters, ascending; their count is the length. */
    static float[] distinctDiameters(SimplexList ascending) {
        float[] out = new float[Math.max(ascending.size, 1)];
        int distinct = 0;
        for (int i = 0; i < ascending.size; i++) {
            float d = ascending.diameters[i];
            if (distinct == 0 || out[distinct - 1] != d) {
                out[distinct++] = d;
            }
        }
        return java.util.Arrays.copyOf(out, distinct);
    }

    /**
     * Sorts into column order. {@code knownLevels}, when not null, holds every diameter that can
     * occur (ascending, distinct), so no copy of the diameters is needed to rank them.
     */
    static void sortColumnOrder(SimplexList list, int threads, float[] knownLevels) {
        int size = list.size;
        if (size < 2) {
            return;
        }
        float[] d = list.diameters;
        long[] idx = list.indices;
        long maxIndex = 0;
        for (int i = 0; i < size; i++) {
            maxIndex = Math.max(maxIndex, idx[i]);
        }
        long[] keys = new long[size];
        if (maxIndex < (1L << 32)) {
            for (int i = 0; i < size; i++) {
                keys[i] = ((0x7fffffffL - (Float.floatToIntBits(d[i] + 0f))) << 32) | idx[i];
            }
            sort(keys, threads);
            for (int i = 0; i < size; i++) {
                d[i] = Float.intBitsToFloat((int) (0x7fffffffL - (keys[i] >>> 32)));
                idx[i] = keys[i] & 0xffffffffL;
            }
            return;
        }
        // rank the distinct diameters
        float[] levels;
        int distinct;
        if (knownLevels != null) {
            levels = knownLevels;
            distinct = knownLevels.length;
        } else {
            levels = Arrays.copyOf(d, size);
            Arrays.sort(levels);
            distinct = 0;
            for (int i = 0; i < size; i++) {
                if (distinct == 0 || levels[distinct - 1] != levels[i]) {
                    levels[distinct++] = levels[i];
                }
            }
        }
        int indexBits = 64 - Long.numberOfLeadingZeros(maxIndex);
        int rankBits = 64 - Long.numberOfLeadingZeros(distinct);
        if (indexBits + rankBits <= 63) {
            for (int i = 0; i < size; i++) {
                int rank = Arrays.binarySearch(levels, 0, distinct, d[i]);
                if (rank < 0) {
                    throw new IllegalStateException("diameter " + d[i] + " is not an edge length");
                }
                keys[i] = ((long) (distinct - 1 - rank) << indexBits) | idx[i];
            }
            sort(keys, threads);
            long mask = (1L << indexBits) - 1;
            for (int i = 0; i < size; i++) {
                d[i] = levels[distinct - 1 - (int) (keys[i] >>> indexBits)];
                idx[i] = keys[i] & mask;
            }
            return;
        }
        mergeSort(d, idx, size);
    }

    private static void sort(long[] keys, int threads) {
        if (threads > 1 && keys.length > 1 << 16) {
            Arrays.parallelSort(keys);
        } else {
            Arrays.sort(keys);
        }
    }

    private static boolean before(float da, long ia, float db, long ib) {
        return da > db || (da == db && ia < ib);
    }

    private static void mergeSort(float[] d, long[] idx, int size) {
        float[] td = new float[size];
        long[] ti = new long[size];
        for (int width = 1; width < size; width *= 2) {
            for (int lo = 0; lo < size; lo += 2 * width) {
                int mid = Math.min(lo + width, size);
                int hi = Math.min(lo + 2 * width, size);
                int a = lo;
                int b = mid;
                int o = lo;
                while (a < mid && b < hi) {
                    if (before(d[b], idx[b], d[a], idx[a])) {
                        td[o] = d[b];
                        ti[o++] = idx[b++];
                    } else {
                        td[o] = d[a];
                        ti[o++] = idx[a++];
                    }
                }
                while (a < mid) {
                    td[o] = d[a];
                    ti[o++] = idx[a++];
                }
                while (b < hi) {
                    td[o] = d[b];
                    ti[o++] = idx[b++];
                }
            }
            System.arraycopy(td, 0, d, 0, size);
            System.arraycopy(ti, 0, idx, 0, size);
        }
    }
}
