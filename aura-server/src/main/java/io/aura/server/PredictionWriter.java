package io.aura.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores what {@code POST /api/v1/predict} computed — the point cloud's topology signature (seed
 * form) and the prediction document — with <b>group commit</b>: requests hand their rows to one
 * writer thread, which stores everything waiting in a single transaction (one commit instead of
 * one or two per request) and then releases the requests. A request is answered only after its
 * rows are committed, so every acknowledged prediction is in the database (the same guarantee as a
 * synchronous insert); a failed or timed-out commit answers 503 and no prediction id is returned.
 * Waiting requests are bounded by {@value #CAPACITY}; beyond that the request is answered 503 busy.
 *
 * <p><b>Commit delay.</b> A commit of the embedded H2 has a fixed cost (about 125 us of CPU: the
 * store writes a new chunk with the changed pages and its metadata) beside about 7 us per
 * prediction row, so rows per commit decide the writer's cost. When more than one request was
 * waiting at a commit (requests are concurrent), the writer holds the batch open until
 * {@code commitDelayMicros} after its first request arrived, or until {@value #TARGET_BATCH} rows
 * wait, before committing. A request arriving alone is committed at once. The delay bounds the
 * extra latency of every request; 0 turns it off.
 */
final class PredictionWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PredictionWriter.class);
    static final int CAPACITY = 4096;
    static final int MAX_BATCH = 512;
    /** Rows per commit beyond which waiting saves little (measured: ~9 us per row at 64, 8 at 128). */
    static final int TARGET_BATCH = 64;
    static final String INSERT_PREDICTION = "INSERT INTO predictions (id, created_at, created_by, signature_id, cascade_risk, document)"
            + " VALUES (?, ?, ?, ?, ?, ?)";

    private record Job(List<Database.Statement> statements, CompletableFuture<Void> done, long arrivedNanos) {
    }

    private final Database db;
    private final int timeoutSeconds;
    private final long commitDelayNanos;
    private final DistributionSummary rowsPerCommit;
    private final BlockingQueue<Job> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread thread;
    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;
    private volatile java.util.function.Consumer<Database.Statement> committed = s -> { };

    /**
     * @param commitDelayMicros how long a batch may be held open for more requests when requests
     *        are concurrent (see the class comment); 0 commits at once
     * @param registry where {@code aura_prediction_commit_rows} (predictions per commit) is published
     */
    PredictionWriter(Database db, int timeoutSeconds, int commitDelayMicros, MeterRegistry registry) {
        if (commitDelayMicros < 0) {
            throw new IllegalArgumentException("commitDelayMicros must be >= 0, got " + commitDelayMicros);
        }
        this.db = db;
        this.timeoutSeconds = timeoutSeconds;
        this.commitDelayNanos = commitDelayMicros * 1_000L;
        this.rowsPerCommit = DistributionSummary.builder("aura.prediction.commit.rows")
                .description("Predictions stored per database commit (group commit)").baseUnit("rows")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512).register(registry);
        this.thread = Thread.ofPlatform().name("aura-prediction-writer").daemon(true).unstarted(this::run);
    }

    /** Whom to hand every committed statement to (on the writer thread, after the commit; it must not block). */
    void onCommitted(java.util.function.Consumer<Database.Statement> listener) {
        this.committed = listener;
    }

    /**
     * Stores a prediction (and the signature of its topology, if any) and returns once committed.
     *
     * @param signature the topology document whose signature to store under signatureId, or null
     * @throws ApiException 503 when the store fails, is too slow or too many requests wait
     */
    void store(String id, long nowMs, String actor, String signatureId, ObjectNode signature, double risk, String document) {
        List<Database.Statement> st = new ArrayList<>(2);
        if (signature != null) {
            st.add(new Database.Statement(AnalyzeService.INSERT_SIGNATURE, AnalyzeService.signatureRow(signatureId, nowMs, actor, signature)));
        }
        st.add(new Database.Statement(INSERT_PREDICTION, new Object[] {id, nowMs, actor, signatureId, risk, document}));
        Job job = new Job(st, new CompletableFuture<>(), System.nanoTime());
        if (!started.get() && started.compareAndSet(false, true)) {
            thread.start(); // on first use, so that a server failing to start leaves no thread behind
        }
        if (closed || !queue.offer(job)) {
            throw new ApiException(503, "busy", closed ? "the server is shutting down"
                    : CAPACITY + " predictions are waiting to be stored; retry shortly", null);
        }
        try {
            job.done().get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new ApiException(503, "timeout", "the prediction was not stored within REQUEST_TIMEOUT_SECONDS=" + timeoutSeconds
                    + " s; it may still be stored", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted", "the server is shutting down", null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Database.StoreException se) {
                throw se;
            }
            throw new ApiException(503, "store_unavailable", "the prediction could not be stored; retry shortly", null);
        }
    }

    private void run() {
        List<Job> batch = new ArrayList<>(MAX_BATCH);
        List<Database.Statement> st = new ArrayList<>(2 * MAX_BATCH);
        while (!closed) {
            try {
                Job first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                if (commitDelayNanos > 0 && batch.size() > 1 && batch.size() < TARGET_BATCH) {
                    // concurrent requests: sleep (not woken by each arrival) until the first one's
                    // delay is up, then take what came meanwhile
                    long left = first.arrivedNanos() + commitDelayNanos - System.nanoTime();
                    if (left > 0) {
                        LockSupport.parkNanos(left);
                    }
                    queue.drainTo(batch, MAX_BATCH - batch.size());
                }
                for (Job j : batch) {
                    st.addAll(j.statements());
                }
                try {
                    db.updateAll(st);
                    rowsPerCommit.record(batch.size());
                    batch.forEach(j -> j.done().complete(null));
                    try {
                        st.forEach(committed);
                    } catch (RuntimeException e) {
                        LOG.error("handing over committed predictions failed: {}", e.toString());
                    }
                } catch (RuntimeException e) {
                    LOG.error("storing {} predictions failed: {}", batch.size(), e.toString());
                    batch.forEach(j -> j.done().completeExceptionally(e));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
                st.clear();
            }
        }
        Job j;
        while ((j = queue.poll()) != null) {
            j.done().completeExceptionally(new IllegalStateException("the server is shutting down"));
        }
    }

    @Override
    public void close() {
        closed = true;
        if (!started.compareAndSet(false, true)) {
            thread.interrupt();
        } else {
            return; // never started
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
