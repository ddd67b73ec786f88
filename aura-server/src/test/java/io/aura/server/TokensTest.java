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
    void aSecretOfExactlyTheMinimumLengthIsAccepted() {
        String min = "s".repeat(ServerConfig.MIN_SECRET_BYTES);
        Tokens t = new Tokens(min, Clock.systemUTC());
        assertThat(t.verify(t.operator("ops", Set.of(Tokens.Scope.READ), Duration.ofMinutes(1))).subject()).isEqualTo("ops");
        assertThatThrownBy(() -> new Tokens(min.substring(1), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least " + ServerConfig.MIN_SECRET_BYTES + " bytes");
    }

    @Test
    void mintingLimitsIncludeTheirBounds() {
        // documented: a subject of 1 to 200 characters, a lifetime of 1 s to 366 days, both ends legal
        Tokens t = new Tokens(SECRET, Clock.systemUTC());
        String s200 = "o".repeat(200);
        assertThat(t.verify(t.operator(s200, Set.of(), Duration.ofMinutes(1))).subject()).isEqualTo(s200);
        assertThatThrownBy(() -> t.operator(s200 + "o", Set.of(), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 200 characters");
        assertThatThrownBy(() -> t.operator(" ", Set.of(), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 200 characters");
        assertThat(t.verify(t.operator("ops", Set.of(), Duration.ofSeconds(1))).subject()).isEqualTo("ops");
        assertThat(t.verify(t.operator("ops", Set.of(), Tokens.MAX_TTL)).subject()).isEqualTo("ops");
        assertThatThrownBy(() -> t.operator("ops", Set.of(), Duration.ofMillis(999)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 second and 366 days");
        assertThatThrownBy(() -> t.operator("ops", Set.of(), Tokens.MAX_TTL.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 second and 366 days");
        assertThatThrownBy(() -> t.operator("ops", Set.of("admin"), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown scope 'admin'");
    }

    @Test
    void agentTokensCarryTheAgentAndItsEnrolmentGeneration() {
        // the generation is what revokes an agent's earlier tokens (AgentTokenRevocationTest); it must
        // survive the round trip, up to the largest int, and be 0 for operators and generation-0 agents
        Tokens t = new Tokens(SECRET, Clock.systemUTC());
        Tokens.Principal p = t.verify(t.agent("worker-7", Set.of("read", "write"), Duration.ofMinutes(5), 3));
        assertThat(p.agentId()).isEqualTo("worker-7");
        assertThat(p.subject()).isEqualTo("agent:worker-7");
        assertThat(p.scopes()).containsExactlyInAnyOrder("read", "write");
        assertThat(p.generation()).isEqualTo(3);
        assertThat(t.verify(t.agent("w", Set.of("read"), Duration.ofMinutes(5), Integer.MAX_VALUE)).generation())
                .isEqualTo(Integer.MAX_VALUE);
        assertThat(t.verify(t.agent("w", Set.of("read"), Duration.ofMinutes(5))).generation()).isZero();
        Tokens.Principal op = t.verify(t.operator("ops", Set.of(Tokens.Scope.READ), Duration.ofMinutes(5)));
        assertThat(op.agentId()).isNull();
        assertThat(op.generation()).isZero();
        // no scope at all is an empty set, not a set holding ""
        assertThat(t.verify(t.operator("none", Set.of(), Duration.ofMinutes(5))).scopes()).isEmpty();
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
