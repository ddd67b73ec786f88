package io.aura.tda;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A few platform threads, each with its own state object, that run chunks of work handed out
 * dynamically. The calling thread takes part with state 0. Calls must not overlap.
 */
final class Parallel<W> implements AutoCloseable {
    interface ChunkTask<W> {
        void run(W state, int chunk);
    }

    private final int threads;
    private final List<W> states = new ArrayList<>();
    private final ExecutorService pool;
    /** Set when the calling thread was interrupted while it waited for the helpers: the chunks stop. */
    private volatile boolean cancelled;

    Parallel(int threads, Supplier<W> state) {
        this.threads = threads;
        for (int i = 0; i < threads; i++) {
            states.add(state.get());
        }
        pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "aura-tda-worker");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    int threads() {
        return threads;
    }

    W state(int i) {
        return states.get(i);
    }

    /** Whether the calling thread was interrupted while it waited for the helpers (its flag is set again once they stopped). */
    boolean cancelled() {
        return cancelled;
    }

    /** Runs {@code task} for chunks 0..chunks-1; exceptions propagate to the caller. */
    void forEachChunk(int chunks, ChunkTask<W> task) {
        int helpers = Math.min(threads, chunks) - 1;
        if (helpers <= 0) {
            W w = states.get(0);
            for (int c = 0; c < chunks; c++) {
                task.run(w, c);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Future<?>[] futures = new Future<?>[helpers];
        for (int i = 0; i < helpers; i++) {
            W w = states.get(i + 1);
            futures[i] = pool.submit(() -> {
                for (int c; (c = next.getAndIncrement()) < chunks;) {
                    task.run(w, c);
                }
            });
        }
        W w0 = states.get(0);
        Throwable failure = null; // the first of the chunks' failures, rethrown as it is (an OutOfMemoryError stays one)
        try {
            for (int c; (c = next.getAndIncrement()) < chunks;) {
                task.run(w0, c);
            }
        } catch (RuntimeException | Error e) { // no more chunks for anyone; the helpers finish theirs
            next.set(chunks);
            failure = e;
        }
        boolean interrupted = false;
        for (Future<?> f : futures) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) { // no more chunks; the helpers' tasks see cancelled() and stop
                    interrupted = true;
                    cancelled = true;
                    next.set(chunks);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (failure == null) {
                        failure = cause instanceof RuntimeException || cause instanceof Error ? cause : new IllegalStateException(cause);
                    }
                    break;
                }
            }
        }
        if (interrupted) { // the helpers have stopped: the caller's interrupt stands
            Thread.currentThread().interrupt();
            if (failure == null || !(failure instanceof java.util.concurrent.CancellationException)) {
                failure = new java.util.concurrent.CancellationException("persistent homology stopped: the thread computing it was interrupted");
            }
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw (RuntimeException) failure;
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
