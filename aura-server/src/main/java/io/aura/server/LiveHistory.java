package io.aura.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live system's state at every prediction-loop tick (time, agents on the bus, the guard's failed
 * fraction, the cascade risk), stored in {@code live_history}: the outcomes of the topological memory
 * ({@link SignatureMemory}) are read from it. The loop only appends to a bounded buffer; a thread of
 * its own writes what is buffered every {@value #FLUSH_MS} ms in one transaction, so a slow or absent
 * database never delays a tick. While the database refuses writes, at most {@value #MAX_PENDING}
 * ticks are kept (an hour at the default 1-s prediction interval; the oldest are dropped and counted
 * in the log).
 */
final class LiveHistory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveHistory.class);
    static final long FLUSH_MS = 5_000;
    static final int MAX_PENDING = 3_600;
    static final String INSERT = "INSERT INTO live_history (at_ms, agents, failed_fraction, cascade_risk) VALUES (?, ?, ?, ?)";

    private final Database db;
    private final ArrayDeque<Object[]> pending = new ArrayDeque<>();
    private final ScheduledExecutorService thread;
    private long dropped;
    private boolean failing;
    /** The ticks a flush is writing: dropping one of them loses nothing. */
    private java.util.Set<Object[]> inFlight = java.util.Set.of();

    LiveHistory(Database db) {
        this.db = db;
        this.thread = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("aura-live-history").daemon(true).factory());
    }

    void start() {
        thread.scheduleWithFixedDelay(this::flush, FLUSH_MS, FLUSH_MS, TimeUnit.MILLISECONDS);
    }

    /** Buffers one tick; non-finite values are not recorded. */
    void record(long atMs, int agents, double failedFraction, double risk) {
        if (!Double.isFinite(failedFraction) || !Double.isFinite(risk)) {
            return;
        }
        synchronized (pending) {
            if (pending.size() == MAX_PENDING && !inFlight.contains(pending.removeFirst())) {
                dropped++;
            }
            pending.addLast(new Object[] {atMs, agents, failedFraction, risk});
        }
    }

    /**
     * Writes what is buffered (package-private for tests); on failure keeps it for the next flush.
     * Synchronized: two flushes at once (the writer thread and a caller) would write a batch twice.
     */
    synchronized void flush() {
        List<Object[]> batch;
        synchronized (pending) {
            if (pending.isEmpty()) {
                return;
            }
            batch = new ArrayList<>(pending);
            java.util.Set<Object[]> ids = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            ids.addAll(batch);
            inFlight = ids;
        }
        List<Database.Statement> st = new ArrayList<>(batch.size());
        for (Object[] row : batch) {
            st.add(new Database.Statement(INSERT, row));
        }
        try {
            db.updateAll(st);
            long lost;
            synchronized (pending) {
                // ticks recorded meanwhile are behind the written ones, and drops only remove from the
                // front, so what is left of the batch is the front
                while (!pending.isEmpty() && inFlight.contains(pending.peekFirst())) {
                    pending.removeFirst();
                }
                inFlight = java.util.Set.of();
                lost = dropped;
                dropped = 0;
            }
            if (failing || lost > 0) {
                LOG.info("live history: stored again{}", lost > 0 ? " (" + lost + " ticks were dropped while the database was unavailable)" : "");
            }
            failing = false;
        } catch (RuntimeException e) {
            synchronized (pending) {
                inFlight = java.util.Set.of(); // not written: a drop of these is a loss again
            }
            if (!failing) {
                LOG.warn("live history: storing {} ticks failed, keeping them for the next attempt: {}", batch.size(), e.toString());
            }
            failing = true;
        }
    }

    @Override
    public void close() {
        // let a running flush finish: interrupting it mid-write closes H2's file channel
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
                thread.shutdownNow();
                return;
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
            return;
        }
        flush();
    }
}
