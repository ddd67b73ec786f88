package io.aura.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bus's refusals in the audit log, written once a second: one row per sender, target, refusal
 * code and intervention with the number of refusals that second (detail {@code {"intervention_id",
 * "refusals"}}), instead of a row per refused message written on the sender's socket thread. A
 * sender flooding refused messages costs a map increment each, not a database write.
 *
 * <p>Targets the bus does not know (ids a sender may make up) are counted under target {@code *}.
 * Beyond {@value #MAX_ROWS} distinct rows a second, refusals are counted in one row per code and
 * intervention with sender and target {@code *} (actor {@code agent:*}), so a second writes at most
 * {@value #MAX_ROWS} rows plus one per refusal code and intervention. The rows of the last second are lost by a kill -9; the
 * refusals themselves were answered, and counted in {@code aura_agent_messages_total}.
 */
final class RefusalAudit {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RefusalAudit.class);
    static final int MAX_ROWS = 100;
    static final String ANY = "*";

    private record Key(String from, String to, String code, String interventionId) {
    }

    /** Refusals of a key this second and when the first came. */
    private static final class Count {
        final long firstMs;
        long n;

        Count(long firstMs) {
            this.firstMs = firstMs;
        }
    }

    private final Database db;
    private final java.time.Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private Map<Key, Count> pending = new HashMap<>();

    RefusalAudit(Database db, java.time.Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** One refused message from {@code from} to {@code to} (null: a target the bus does not know). */
    void note(String from, String to, String code, String interventionId) {
        Key k = new Key(from, to == null ? ANY : to, code, interventionId);
        lock.lock();
        try {
            Count c = pending.get(k);
            if (c == null) {
                if (pending.size() >= MAX_ROWS) { // beyond: one row per refusal code and intervention, whoever sent
                    k = new Key(ANY, ANY, code, interventionId);
                    c = pending.get(k);
                }
                if (c == null) {
                    c = new Count(clock.millis());
                    pending.put(k, c);
                }
            }
            c.n++;
        } finally {
            lock.unlock();
        }
    }

    /** Writes the refusals counted since the last flush, in one transaction; a failure is logged and the rows are dropped. */
    void flush() {
        Map<Key, Count> taken;
        lock.lock();
        try {
            if (pending.isEmpty()) {
                return;
            }
            taken = pending;
            pending = new HashMap<>();
        } finally {
            lock.unlock();
        }
        List<Database.Statement> rows = new ArrayList<>(taken.size());
        long refusals = 0;
        for (Map.Entry<Key, Count> e : taken.entrySet()) {
            Key k = e.getKey();
            ObjectNode detail = Json.object();
            detail.put("intervention_id", k.interventionId());
            detail.put("refusals", e.getValue().n);
            refusals += e.getValue().n;
            rows.add(new Database.Statement("INSERT INTO audit (at_ms, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                    new Object[] {e.getValue().firstMs, "agent:" + k.from(), "bus.refuse." + k.code(), k.to(), Json.write(detail)}));
        }
        try {
            db.updateAll(rows);
        } catch (RuntimeException ex) { // the refusals stand and were answered; only their audit rows are missing
            LOG.warn("bus: the audit of {} refusals ({} rows) failed: {}", refusals, rows.size(), ex.toString());
        }
    }
}
