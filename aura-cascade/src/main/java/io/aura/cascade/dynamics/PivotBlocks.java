package io.aura.cascade.dynamics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Pivot-sampled dependency accumulation split into fixed blocks of {@value #BLOCK} consecutive
 * sources. Each block sums into its own array; the blocks are then added to the load in block
 * order. The block structure does not depend on the number of threads, so the result is bit-for-bit
 * the same on every machine; blocks run on up to {@code availableProcessors()} platform threads
 * (the work is CPU-bound). Used only for pivot sampling on large graphs.
 */
final class PivotBlocks {
    static final int BLOCK = 32;

    private PivotBlocks() {
    }

    /**
     * For v in {@code members[0..memberCount)} (every node when {@code members == null}) sets
     * {@code load[v] = Σ_blocks Σ_{s in block} scale·δ_s(v)} over {@code sources[0..count)}, on the
     * graph restricted to {@code alive} (all alive when null).
     */
    static void accumulate(int[] off, int[] adj, boolean[] alive, int[] sources, int count, double[] load,
            double scale, int[] members, int memberCount) {
        int n = off.length - 1;
        int blocks = (count + BLOCK - 1) / BLOCK;
        double[][] partial = new double[blocks][];
        int threads = Math.max(1, Math.min(blocks, Runtime.getRuntime().availableProcessors()));
        List<Callable<Void>> tasks = new ArrayList<>();
        int[] nextBlock = {0};
        for (int t = 0; t < threads; t++) {
            tasks.add(() -> {
                BrandesKernel k = new BrandesKernel(off, adj);
                if (alive != null) {
                    for (int v = 0; v < n; v++) {
                        if (!alive[v]) {
                            k.markDead(v);
                        }
                    }
                }
                while (true) {
                    int b;
                    synchronized (nextBlock) {
                        b = nextBlock[0]++;
                    }
                    if (b >= blocks) {
                        return null;
                    }
                    double[] p = new double[n];
                    for (int i = b * BLOCK, end = Math.min(count, (b + 1) * BLOCK); i < end; i++) {
                        k.accumulate(sources[i], p, scale);
                    }
                    partial[b] = p;
                }
            });
        }
        if (threads == 1) {
            try {
                tasks.get(0).call();
            } catch (Exception e) {
                throw new IllegalStateException("pivot accumulation failed", e);
            }
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (Future<Void> f : pool.invokeAll(tasks)) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during pivot accumulation", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("pivot accumulation failed", e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        if (members == null) {
            for (int v = 0; v < n; v++) {
                double s = 0.0;
                for (int b = 0; b < blocks; b++) {
                    s += partial[b][v];
                }
                load[v] = s;
            }
        } else {
            for (int i = 0; i < memberCount; i++) {
                int v = members[i];
                double s = 0.0;
                for (int b = 0; b < blocks; b++) {
                    s += partial[b][v];
                }
                load[v] = s;
            }
        }
    }
}
