package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Prediction ids: RFC 9562 version-7 UUIDs, unique, ordered by their millisecond; request ids: version 4. */
class TimeOrderedIdTest {

    @Test
    void versionVariantUniquenessAndOrder() throws InterruptedException {
        Set<String> seen = new HashSet<>();
        String prev = null;
        for (int i = 0; i < 20_000; i++) {
            String id = Ids.timeOrdered();
            UUID u = UUID.fromString(id);
            assertThat(u.version()).isEqualTo(7);
            assertThat(u.variant()).isEqualTo(2);
            assertThat(seen.add(id)).as("unique").isTrue();
            if (i % 5_000 == 0) {
                if (prev != null) {
                    assertThat(id).as("a later millisecond sorts later").isGreaterThan(prev);
                }
                prev = id;
                Thread.sleep(2);
            }
        }
        long ms = UUID.fromString(Ids.timeOrdered()).getMostSignificantBits() >>> 16;
        assertThat(Math.abs(ms - System.currentTimeMillis())).isLessThan(1_000);
    }

    @Test
    void requestIdsAreVersion4AndUnique() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            String id = Ids.random();
            UUID u = UUID.fromString(id);
            assertThat(u.version()).isEqualTo(4);
            assertThat(u.variant()).isEqualTo(2);
            assertThat(id).matches("[0-9a-f-]{36}");
            assertThat(seen.add(id)).as("unique").isTrue();
        }
    }
}
