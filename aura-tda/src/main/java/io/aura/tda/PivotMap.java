package io.aura.tda;

import java.util.Arrays;

/**
 * Open-addressing hash map from a simplex index (>= 0) to the column whose pivot it is and the
 * pivot's coefficient (Ripser's {@code pivot_column_index}). Linear probing, power-of-two table,
 * Fibonacci hashing. Not thread-safe for writes; concurrent reads are safe when no write happens.
 */
final class PivotMap {
    private static final long EMPTY = -1L;
    private long[] keys;
    private long[] values; // column << 8 | coefficient
    private int size;
    private int mask;
    private int shift;

    PivotMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, (int) Math.min(1 << 30, expected * 2L)) - 1) << 1;
        allocate(cap);
    }

    private void allocate(int cap) {
        keys = new long[cap];
        values = new long[cap];
        Arrays.fill(keys, EMPTY);
        mask = cap - 1;
        shift = 64 - Integer.numberOfTrailingZeros(cap);
        size = 0;
    }

    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    int size() {
        return size;
    }

    /** The value stored for {@code key}, or -1 when absent. */
    long get(long key) {
        int i = slot(key);
        while (true) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == EMPTY) {
                return -1L;
            }
            i = (i + 1) & mask;
        }
    }

    boolean contains(long key) {
        return get(key) != -1L;
    }

    void put(long key, int column, int coefficient) {
        if (2 * (size + 1) > keys.length) {
            rehash();
        }
        int i = slot(key);
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (keys[i] == EMPTY) {
            size++;
        }
        keys[i] = key;
        values[i] = ((long) column << 8) | coefficient;
    }

    private void rehash() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        allocate(oldKeys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int s = slot(oldKeys[i]);
                while (keys[s] != EMPTY) {
                    s = (s + 1) & mask;
                }
                keys[s] = oldKeys[i];
                values[s] = oldValues[i];
                size++;
            }
        }
    }
}
