package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prediction loop's tick history, on the real embedded H2, including a database that refuses writes. */
class LiveHistoryTest {

    private static Database db(Path dir) {
        return new Database(ServerConfig.fromEnv(Map.of("AURA_JWT_SECRET", TestServer.SECRET), 0, dir, null));
    }

    private static List<Long> times(Database db) {
        return db.query("SELECT at_ms FROM live_history ORDER BY at_ms", rs -> rs.getLong(1));
    }

    @Test
    void ticksAreStoredOnceAndKeptWhileTheDatabaseRefusesThem(@TempDir Path dir) {
        try (Database db = db(dir)) {
            LiveHistory h = new LiveHistory(db); // not started: the test flushes
            h.record(1_000, 3, 0.0, 0.1);
            h.record(2_000, 3, 0.5, 0.9);
            h.record(3_000, 3, Double.NaN, 0.2); // not finite: not a tick
            h.flush();
            assertThat(times(db)).containsExactly(1_000L, 2_000L);
            h.flush(); // nothing new: nothing written twice
            assertThat(times(db)).containsExactly(1_000L, 2_000L);
            assertThat(db.query("SELECT agents, failed_fraction, cascade_risk FROM live_history WHERE at_ms = 2000",
                    rs -> new double[] {rs.getInt(1), rs.getDouble(2), rs.getDouble(3)}).get(0)).containsExactly(3, 0.5, 0.9);

            db.update("ALTER TABLE live_history RENAME TO live_history_away");
            h.record(4_000, 4, 0.0, 0.3);
            h.record(5_000, 4, 0.0, 0.4);
            h.flush(); // fails: kept
            db.update("ALTER TABLE live_history_away RENAME TO live_history");
            h.record(6_000, 4, 0.2, 0.5);
            h.flush();
            assertThat(times(db)).containsExactly(1_000L, 2_000L, 4_000L, 5_000L, 6_000L);
        }
    }

    @Test
    void atMostAnHourOfTicksWaitsAndTheOldestGoFirst(@TempDir Path dir) {
        try (Database db = db(dir)) {
            LiveHistory h = new LiveHistory(db);
            for (int i = 0; i < LiveHistory.MAX_PENDING + 10; i++) {
                h.record(i, 1, 0.0, 0.0);
            }
            h.flush();
            List<Long> t = times(db);
            assertThat(t).hasSize(LiveHistory.MAX_PENDING);
            assertThat(t.get(0)).isEqualTo(10L);
            assertThat(t.get(t.size() - 1)).isEqualTo(LiveHistory.MAX_PENDING + 9L);
        }
    }
}
