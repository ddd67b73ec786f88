package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit with a commit delay, on the real embedded H2. */
class PredictionWriterTest {

    private static Database db(Path dir) {
        return new Database(ServerConfig.fromEnv(Map.of("AURA_JWT_SECRET", TestServer.SECRET), 0, dir, null));
    }

    private static int rows(Database db) {
        return db.query("SELECT COUNT(*) FROM predictions", rs -> rs.getInt(1)).get(0);
    }

    @Test
    void concurrentPredictionsShareCommitsAndAllAreStored(@TempDir Path dir) throws Exception {
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        try (Database db = db(dir); PredictionWriter w = new PredictionWriter(db, 30, 200_000, reg)) {
            int n = 40;
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> ts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = Ids.timeOrdered();
                ts.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    w.store(id, System.currentTimeMillis(), "test", null, null, 0.25, "{\"prediction_id\":\"" + id + "\"}");
                }));
            }
            go.countDown();
            for (Thread t : ts) {
                assertThat(t.join(Duration.ofSeconds(20))).isTrue();
            }
            DistributionSummary s = reg.get("aura.prediction.commit.rows").summary();
            assertThat(s.totalAmount()).isEqualTo(n);
            // 40 requests within a 200-ms delay: far fewer commits than requests (without the delay
            // the first commit takes one or a few and the rest come in small batches)
            assertThat(s.count()).isLessThanOrEqualTo(4);
            assertThat(rows(db)).isEqualTo(n);
        }
    }

    @Test
    void aLoneRequestIsNotHeldForTheDelay(@TempDir Path dir) {
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        // a 100-s delay would time the test out if a request arriving alone waited for it
        try (Database db = db(dir); PredictionWriter w = new PredictionWriter(db, 30, 100_000, reg)) {
            Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                for (int i = 0; i < 3; i++) {
                    w.store(Ids.timeOrdered(), System.currentTimeMillis(), "test", null, null, 0.5, "{}");
                }
            });
            assertThat(reg.get("aura.prediction.commit.rows").summary().count()).isEqualTo(3);
            assertThat(rows(db)).isEqualTo(3);
        }
    }

    @Test
    void aNegativeDelayIsRefused(@TempDir Path dir) {
        try (Database db = db(dir)) {
            assertThatThrownBy(() -> new PredictionWriter(db, 30, -1, new SimpleMeterRegistry()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("commitDelayMicros");
        }
    }

    @Test
    void theDelayIsConfiguredAndBounded() {
        Path d = Path.of("unused");
        assertThat(ServerConfig.fromEnv(Map.of("AURA_JWT_SECRET", TestServer.SECRET), 0, d, null).commitDelayMicros())
                .isEqualTo(ServerConfig.DEFAULT_COMMIT_DELAY_US);
        assertThat(ServerConfig.fromEnv(Map.of("AURA_JWT_SECRET", TestServer.SECRET, "AURA_COMMIT_DELAY_US", "0"), 0, d, null)
                .commitDelayMicros()).isZero();
        assertThatThrownBy(() -> ServerConfig.fromEnv(Map.of("AURA_JWT_SECRET", TestServer.SECRET, "AURA_COMMIT_DELAY_US", "-5"),
                0, d, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AURA_COMMIT_DELAY_US");
    }
}
