package io.aura.cascade.graph;

/** Fenwick (binary indexed) tree of {@code long} weights for dynamic weighted sampling. */
final class Fenwick {
    private final long[] tree;
    private final int n;

    Fenwick(int n) {
        this.n = n;
        this.tree = new long[n + 1];
    }

    void add(int i, long delta) {
        for (int x = i + 1; x <= n; x += x & -x) {
            tree[x] += delta;
        }
    }

    /** Sum of weights [0, i). */
    long prefix(int i) {
        long s = 0;
        for (int x = i; x > 0; x -= x & -x) {
            s += tree[x];
        }
        return s;
    }

    /** The smallest index i with prefix(i + 1) &gt; target (0 ≤ target &lt; total). */
    int find(long target) {
        int pos = 0;
        long rem = target;
        for (int step = Integer.highestOneBit(Math.max(1, n)); step > 0; step >>= 1) {
            int next = pos + step;
            if (next <= n && tree[next] <= rem) {
                pos = next;
                rem -= tree[next];
            }
        }
        return pos;
    }
}
