package io.aura.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes stored predictions, topology signatures and prediction-loop ticks ({@code live_history}, the
 * topological memory's outcomes) older than {@code AURA_RETENTION_DAYS}: once a
 * minute after start-up and then hourly, on a thread of its own (a large delete never delays the
 * bus or the 1-s ticker). A signature that a kept prediction still references is kept. Interventions,
 * enrolments and the audit log are records of what was done and are never purged; every purge that
 * deletes something is itself audited ({@code retention.purge}).
 */
final class Retention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    static final String ACTOR = "aura-retention";
    private static final long DAY_MS = 86_400_000L;

    /** Rows deleted by one purge. */
    record Result(int predictions, int signatures) {
    }

    private final Database db;
    private final int days;
    private final java.time.Clock clock;
    private final Counter predictions;
    private final Counter signatures;
    private final ScheduledExecutorService thread;

    Retention(Database db, int days, java.time.Clock clock, MeterRegistry registry) {
        this.db = db;
        this.days = days;
        this.clock = clock;
        this.predictions = Counter.builder("aura_retention_deleted_total").tag("table", "predictions")
                .description("rows deleted by AURA_RETENTION_DAYS").register(registry);
        this.signatures = Counter.builder("aura_retention_deleted_total").tag("table", "signatures")
                .description("rows deleted by AURA_RETENTION_DAYS").register(registry);
        if (days > 0) {
            thread = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("aura-retention").daemon(true).factory());
            thread.scheduleWithFixedDelay(this::scheduled, 60, 3_600, TimeUnit.SECONDS);
        } else {
            thread = null;
        }
    }

    private void scheduled() {
        try {
            purge(clock.millis());
        } catch (RuntimeException e) {
            LOG.warn("retention: purge failed, will retry in an hour: {}", e.toString());
        }
    }

    /**
     * Deletes what is older than the retention period at {@code nowMs} (nothing when the period is 0).
     *
     * @return the rows deleted
     */
    Result purge(long nowMs) {
        if (days <= 0) {
            return new Result(0, 0);
        }
        long cutoff = nowMs - days * DAY_MS;
        int p = db.update("DELETE FROM predictions WHERE created_at < ?", cutoff);
        int s = db.update("DELETE FROM signatures WHERE created_at < ? AND id NOT IN "
                + "(SELECT signature_id FROM predictions WHERE signature_id IS NOT NULL)", cutoff);
        // the memory's outcomes of the signatures deleted above; a kept signature's window is after the cutoff
        db.update("DELETE FROM live_history WHERE at_ms < ?", cutoff);
        predictions.increment(p);
        signatures.increment(s);
        if (p + s > 0) {
            db.audit(nowMs, ACTOR, "retention.purge", null,
                    "{\"retention_days\":" + days + ",\"cutoff_ms\":" + cutoff + ",\"predictions\":" + p + ",\"signatures\":" + s + "}");
            LOG.info("retention: deleted {} predictions and {} signatures older than {} days", p, s, days);
        }
        return new Result(p, s);
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
