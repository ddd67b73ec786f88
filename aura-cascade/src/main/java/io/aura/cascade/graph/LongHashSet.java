package io.aura.cascade.graph;

/**
 * Open-addressing set of non-negative {@code long} keys (linear probing, tombstones); used for edge
 * membership during rewiring. Never iterated, so its layout cannot leak into results.
 */
final class LongHashSet {
    private static final long EMPTY = -1L;
    private static final long DELETED = -2L;
    private long[] table;
    private int used;

    LongHashSet(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        table = new long[cap];
        java.util.Arrays.fill(table, EMPTY);
    }

    private static int mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        return (int) k;
    }

    boolean contains(long key) {
        int mask = table.length - 1;
        for (int i = mix(key) & mask;; i = (i + 1) & mask) {
            long t = table[i];
            if (t == key) {
                return true;
            }
            if (t == EMPTY) {
                return false;
            }
        }
    }

    boolean add(long key) {
        if (contains(key)) {
            return false;
        }
        if (2 * (used + 1) > table.length) {
            rehash();
        }
        int mask = table.length - 1;
        for (int i = mix(key) & mask;; i = (i + 1) & mask) {
            long t = table[i];
            if (t == EMPTY || t == DELETED) {
                if (t == EMPTY) {
                    used++;
                }
                table[i] = key;
                return true;
            }
        }
    }

    boolean remove(long key) {
        int mask = table.length - 1;
        for (int i = mix(key) & mask;; i = (i + 1) & mask) {
            long t = table[i];
            if (t == key) {
                table[i] = DELETED;
                return true;
            }
            if (t == EMPTY) {
                return false;
            }
        }
    }

    private void rehash() {
        long[] old = table;
        table = new long[old.length * 2];
        java.util.Arrays.fill(table, EMPTY);
        used = 0;
        for (long k : old) {
            if (k >= 0) {
                add(k);
            }
        }
    }
}
