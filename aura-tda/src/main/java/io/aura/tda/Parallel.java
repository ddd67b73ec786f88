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
        // per helper: 0 queued, 1 running, 2 given up by the caller before it started (see below)
        java.util.concurrent.atomic.AtomicIntegerArray phase = new java.util.concurrent.atomic.AtomicIntegerArray(helpers);
        for (int i = 0; i < helpers; i++) {
            W w = states.get(i + 1);
            int h = i;
            futures[i] = pool.submit(() -> {
                if (!phase.compareAndSet(h, 0, 1)) {
                    return;
                }
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
        for (int i = 0; i < helpers; i++) {
            Future<?> f = futures[i];
            // every chunk is claimed by now: a helper's task that has not started would find none, so it is
            // given up rather than waited for (a pool whose thread died, e.g. of an OutOfMemoryError before it
            // took the task, never runs it, and the wait hung for ever); one that started is waited for
            if (phase.compareAndSet(i, 0, 2)) {
                continue;
            }
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
