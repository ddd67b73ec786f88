package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Token verification, including the cache of verified tokens: time still counts, tampering still fails. */
class TokensTest {

    private static final String SECRET = "tokens-test-secret-0123456789-0123456789";

    @Test
    void aVerifiedTokenStillExpiresOnTheClock() {
        MovingClock clock = new MovingClock(Instant.parse("2026-11-26T12:00:00Z"));
        Tokens t = new Tokens(SECRET, clock);
        String token = t.operator("ops", Set.of(Tokens.Scope.READ), Duration.ofSeconds(60));
        Tokens.Principal first = t.verify(token);
        assertThat(first.subject()).isEqualTo("ops");
        assertThat(first.scopes()).containsExactly(Tokens.Scope.READ);
        assertThat(t.verify(token)).isEqualTo(first); // the second time from the cache
        clock.now = clock.now.plusSeconds(60 + Tokens.CLOCK_SKEW.toSeconds() - 1);
        assertThat(t.verify(token)).isEqualTo(first);
        clock.now = clock.now.plusSeconds(2);
        assertThatThrownBy(() -> t.verify(token)).isInstanceOf(ApiException.class).hasMessageContaining("expired");
        assertThatThrownBy(() -> t.verify(token)).isInstanceOf(ApiException.class).hasMessageContaining("expired");
    }

    @Test
    void aTamperedCopyOfAVerifiedTokenIsRefused() {
        Tokens t = new Tokens(SECRET, Clock.systemUTC());
        String token = t.operator("ops", Set.of(Tokens.Scope.READ), Duration.ofMinutes(5));
        t.verify(token);
        int dot = token.lastIndexOf('.');
        char c = token.charAt(dot + 5);
        String tampered = token.substring(0, dot + 5) + (c == 'A' ? 'B' : 'A') + token.substring(dot + 6);
        assertThatThrownBy(() -> t.verify(tampered)).isInstanceOf(ApiException.class).hasMessageContaining("signature");
        String forged = new Tokens("another-secret-0123456789-0123456789-012", Clock.systemUTC())
                .operator("ops", Set.of(Tokens.Scope.READ, Tokens.Scope.INTERVENE), Duration.ofMinutes(5));
        assertThatThrownBy(() -> t.verify(forged)).isInstanceOf(ApiException.class).hasMessageContaining("signature");
        assertThat(t.verify(token).subject()).isEqualTo("ops");
    }

    @Test
    void manyDistinctTokensStayBoundedAndVerifiable() {
        Tokens t = new Tokens(SECRET, Clock.systemUTC());
        String keep = t.operator("first", Set.of(Tokens.Scope.READ), Duration.ofMinutes(5));
        t.verify(keep);
        for (int i = 0; i < Tokens.VERIFIED_CACHE_SIZE + 100; i++) {
            assertThat(t.verify(t.operator("s" + i, Set.of(Tokens.Scope.READ), Duration.ofMinutes(5))).subject()).isEqualTo("s" + i);
        }
        assertThat(t.verify(keep).subject()).isEqualTo("first");
    }
}
