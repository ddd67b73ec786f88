package io.aura.tda;

import java.util.Arrays;

/**
 * Open-addressing hash map from a simplex index (0 <= index < 2^55) to the column whose pivot it
 * is and the pivot's coefficient (Ripser's {@code pivot_column_index}). Linear probing, Fibonacci
 * hashing, a power-of-two table at most 3/4 full. A slot is 12 bytes: the index with the
 * coefficient in its top 8 bits, and the column. Not thread-safe for writes; concurrent reads are
 * safe while nothing writes.
 */
final class PivotMap {
    private static final long EMPTY = -1L;
    private static final long INDEX_MASK = (1L << 56) - 1;
    private long[] keys; // index | coefficient << 56
    private int[] columns;
    private int size;
    private int mask;
    private int shift;

    PivotMap(int expected) {
        long want = Math.max(16, (long) Math.ceil(expected / 0.75));
        allocate((int) Math.min(1 << 30, Long.highestOneBit(want - 1) << 1));
    }

    private void allocate(int cap) {
        keys = new long[cap];
        columns = new int[cap];
        Arrays.fill(keys, EMPTY);
        mask = cap - 1;
        shift = 64 - Integer.numberOfTrailingZeros(cap);
        size = 0;
    }

    private int slot(long index) {
        return (int) ((index * 0x9E3779B97F4A7C15L) >>> shift);
    }


    /** {@code column << 8 | coefficient} for {@code index}, or -1 when absent. */
    long get(long index) {
        int i = slot(index);
        while (true) {
            long k = keys[i];
            if (k == EMPTY) {
                return -1L;
            }
            if ((k & INDEX_MASK) == index) {
                return ((long) columns[i] << 8) | (k >>> 56);
            }
            i = (i + 1) & mask;
        }
    }

    boolean contains(long index) {
        return get(index) != -1L;
    }

    void put(long index, int column, int coefficient) {
        if (4L * (size + 1) > 3L * keys.length) {
            rehash();
        }
        int i = slot(index);
        while (keys[i] != EMPTY && (keys[i] & INDEX_MASK) != index) {
            i = (i + 1) & mask;
        }
        if (keys[i] == EMPTY) {
            size++;
        }
        keys[i] = index | ((long) coefficient << 56);
        columns[i] = column;
    }

    private void rehash() {
        long[] oldKeys = keys;
        int[] oldColumns = columns;
        allocate(oldKeys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int s = slot(oldKeys[i] & INDEX_MASK);
                while (keys[s] != EMPTY) {
                    s = (s + 1) & mask;
                }
                keys[s] = oldKeys[i];
                columns[s] = oldColumns[i];
                size++;
            }
        }
    }
}
