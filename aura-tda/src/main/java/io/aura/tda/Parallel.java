package io.aura.tda;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Runs chunks of work on a few platform threads, each with its own per-thread state. */
final class Parallel {
    private Parallel() {
    }

    interface ChunkTask<W> {
        void run(W state, int chunk);
    }

    /**
     * Runs {@code task} for chunks 0..chunks-1 on {@code threads} threads (the caller is one of
     * them); chunks are handed out dynamically for balance. Exceptions propagate to the caller.
     */
    static <W> void forEachChunk(int threads, int chunks, Supplier<W> state, ChunkTask<W> task) {
        if (threads <= 1 || chunks <= 1) {
            W w = state.get();
            for (int c = 0; c < chunks; c++) {
                task.run(w, c);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable loop = () -> {
            W w = state.get();
            for (int c; (c = next.getAndIncrement()) < chunks;) {
                task.run(w, c);
            }
        };
        int helpers = Math.min(threads, chunks) - 1;
        ExecutorService pool = Executors.newFixedThreadPool(helpers, r -> {
            Thread t = new Thread(r, "aura-tda-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<?>[] futures = new Future<?>[helpers];
            for (int i = 0; i < helpers; i++) {
                futures[i] = pool.submit(loop);
            }
            loop.run();
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while computing persistence", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
    }
}
