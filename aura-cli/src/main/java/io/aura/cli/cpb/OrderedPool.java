package io.aura.cli.cpb;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * Runs independent episode tasks on a fixed pool of daemon threads, as {@link CpbRunner} does, and
 * returns their results in task order whatever the thread count, so outputs are deterministic.
 */
final class OrderedPool {
    private OrderedPool() {
    }

    /**
     * Runs every task and returns the results in the order given.
     *
     * @param tasks the tasks (each independent of the others)
     * @param threads worker threads ≥ 1
     * @param listener progress, called from the workers after each task
     * @param events simulator events of a result, for the progress line
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalArgumentException if a task rejected its input
     */
    static <T> List<T> run(List<Callable<T>> tasks, int threads, CpbRunner.Listener listener, ToLongFunction<T> events)
            throws InterruptedException {
        int total = tasks.size();
        AtomicInteger done = new AtomicInteger();
        AtomicLong ev = new AtomicLong();
        List<FutureTask<T>> futures = new ArrayList<>(total);
        for (Callable<T> c : tasks) {
            futures.add(new FutureTask<>(() -> {
                T r = c.call();
                listener.episodeDone(done.incrementAndGet(), total, ev.addAndGet(events.applyAsLong(r)));
                return r;
            }));
        }
        List<T> out = new ArrayList<>(total);
        execute(futures, threads, "critical-episode", out::add);
        return out;
    }

    /**
     * Runs prepared tasks on {@code threads} daemon threads and hands their results to {@code sink} in
     * task order, on the calling thread; the pool is shut down however it ends.
     */
    static <T> void execute(List<FutureTask<T>> tasks, int threads, String threadName, java.util.function.Consumer<T> sink)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread th = new Thread(r, threadName);
            th.setDaemon(true);
            return th;
        });
        try {
            for (FutureTask<T> f : tasks) {
                pool.execute(f);
            }
            for (FutureTask<T> f : tasks) {
                sink.accept(get(f));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits for a task and unwraps its failure: input errors stay IllegalArgumentException. */
    static <T> T get(FutureTask<T> task) throws InterruptedException {
        try {
            return task.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }
}
