package io.aura.cascade.dynamics;

/** Primitive sorts of node ids by a double key (no boxing). */
final class IdSort {
    private IdSort() {
    }

    /** Sorts {@code ids} ascending by ({@code key[id]}, id); a stable bottom-up merge sort. */
    static void byKeyThenId(int[] ids, double[] key) {
        int n = ids.length;
        int[] a = ids;
        int[] b = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int o = lo;
                while (i < mid && j < hi) {
                    int x = a[i];
                    int y = a[j];
                    int c = Double.compare(key[x], key[y]);
                    if (c < 0 || (c == 0 && x <= y)) {
                        b[o++] = x;
                        i++;
                    } else {
                        b[o++] = y;
                        j++;
                    }
                }
                while (i < mid) {
                    b[o++] = a[i++];
                }
                while (j < hi) {
                    b[o++] = a[j++];
                }
            }
            int[] t = a;
            a = b;
            b = t;
        }
        if (a != ids) {
            System.arraycopy(a, 0, ids, 0, n);
        }
    }
}
