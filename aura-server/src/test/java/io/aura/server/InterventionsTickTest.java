package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's 1-s tick keeps the active interventions without reading the database each second:
 * expiry is applied in memory, a change made elsewhere (another server on the same database whose
 * announcement was lost) is picked up by the reload every {@link Interventions#RELOAD_MS}.
 */
class InterventionsTickTest {

    private static ObjectNode body(String agent, int seconds) {
        ObjectNode b = Json.object();
        b.putArray("agents").add(agent);
        b.put("intervention_type", "circuit_breaker");
        b.putObject("parameters").put("duration", seconds);
        return b;
    }

    @Test
    void expiryIsAppliedInMemoryAndOtherWritersAreSeenByTheBackstopReload(@TempDir Path dir) {
        ServerConfig cfg = ServerConfig.fromEnv(Map.of("AURA_JWT_SECRET", TestServer.SECRET), 0, dir, null);
        MovingClock clock = new MovingClock(Instant.parse("2026-11-29T06:00:00Z"));
        try (Database db = new Database(cfg)) {
            Interventions here = new Interventions(db, clock, 100);
            Interventions.Intervention shortOne = here.create(body("a", 5), "test");
            Interventions.Intervention longOne = here.create(body("b", 600), "test");
            assertThat(here.activeIds()).containsExactlyInAnyOrder(shortOne.id(), longOne.id());
            long t0 = clock.millis();
            assertThat(here.enforcement().check("x", "a", t0, 0).passed()).isFalse();

            // another writer on the same database (its announcement lost): not seen until the reload
            Interventions elsewhere = new Interventions(db, clock, 100);
            Interventions.Intervention theirs = elsewhere.create(body("c", 600), "other");
            clock.now = clock.now.plusSeconds(6);
            here.tick();
            assertThat(here.activeIds()).as("the 5-s breaker expired, in memory").containsExactly(longOne.id());
            assertThat(here.enforcement().check("x", "a", clock.millis(), 0).passed()).isTrue();
            assertThat(here.enforcement().check("x", "c", clock.millis(), 0).passed()).as("not reloaded yet").isTrue();

            clock.now = clock.now.plusMillis(Interventions.RELOAD_MS);
            here.tick();
            assertThat(here.activeIds()).containsExactlyInAnyOrder(longOne.id(), theirs.id());
            assertThat(here.enforcement().check("x", "c", clock.millis(), 0).passed()).isFalse();

            // a revocation here is applied at once
            here.revoke(longOne.id(), "test");
            assertThat(here.activeIds()).containsExactly(theirs.id());
        }
    }
}
