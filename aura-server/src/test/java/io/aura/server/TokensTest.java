package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokensTest {
    static final String SECRET = "tokens-test-secret-0123456789-0123456789-0123";

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-11-26T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aVerifiedTokenIsCachedUntilItExpiresAndThenRefused() {
        MovableClock clock = new MovableClock();
        Tokens tokens = new Tokens(SECRET, clock);
        String t = tokens.operator("ops", Set.of(Tokens.Scope.READ), Duration.ofMinutes(10));
        assertThat(tokens.verify(t).subject()).isEqualTo("ops");
        assertThat(tokens.cachedTokens()).isEqualTo(1);
        assertThat(tokens.verify(t).has(Tokens.Scope.READ)).isTrue(); // from the cache
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        assertThatThrownBy(() -> tokens.verify(t)).isInstanceOf(ApiException.class).hasMessageContaining("expired");
        assertThat(tokens.cachedTokens()).isZero();
        assertThatThrownBy(() -> tokens.verify(t)).hasMessageContaining("expired"); // and again, uncached
    }

    @Test
    void aTamperedCopyOfACachedTokenIsStillRefusedAndFailuresAreNotCached() {
        Tokens tokens = new Tokens(SECRET, Clock.systemUTC());
        String t = tokens.operator("ops", Set.of(Tokens.Scope.READ), Duration.ofMinutes(10));
        tokens.verify(t);
        String tampered = t.substring(0, t.length() - 2) + (t.endsWith("AA") ? "BB" : "AA");
        assertThatThrownBy(() -> tokens.verify(tampered)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> tokens.verify("not-a-jwt")).isInstanceOf(ApiException.class);
        Tokens other = new Tokens("another-secret-0123456789-0123456789-012345", Clock.systemUTC());
        assertThatThrownBy(() -> other.verify(t)).hasMessageContaining("signature");
        assertThat(tokens.cachedTokens()).isEqualTo(1);
    }

    @Test
    void theCacheStaysBounded() {
        Tokens tokens = new Tokens(SECRET, Clock.systemUTC());
        for (int i = 0; i <= Tokens.CACHE_LIMIT + 5; i++) {
            tokens.verify(tokens.operator("s" + i, Set.of(Tokens.Scope.READ), Duration.ofMinutes(10)));
        }
        assertThat(tokens.cachedTokens()).isLessThanOrEqualTo(Tokens.CACHE_LIMIT);
    }
}
