package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The enforcer's rules on explicit clocks (no server). */
class EnforcementTest {

    static Interventions.Intervention iv(String id, String type, List<String> agents, long expiresAt, String param, double v) {
        ObjectNode p = Json.object();
        if (param != null) {
            p.put(param, v);
        }
        return new Interventions.Intervention(id, type, agents, p, "t", 0, expiresAt, null, null);
    }

    @Test
    void breakerIsolationAndExpiry() {
        Enforcement e = new Enforcement();
        e.update(List.of(iv("cb", "circuit_breaker", List.of("b"), 10_000, null, 0), iv("iso", "isolate", List.of("c"), 5_000, null, 0)));
        assertThat(e.check("a", "b", 1_000, 0).code()).isEqualTo("circuit_open");
        assertThat(e.check("a", "b", 1_000, 0).retryAfterSeconds()).isEqualTo(9.0);
        assertThat(e.check("b", "a", 1_000, 0).passed()).isTrue(); // a breaker guards calls to b, not from it
        assertThat(e.check("c", "a", 1_000, 0).code()).isEqualTo("isolated");
        assertThat(e.check("a", "c", 1_000, 0).code()).isEqualTo("isolated");
        assertThat(e.check("a", "c", 5_000, 0).passed()).isTrue(); // expired
        assertThat(e.check("a", "b", 10_000, 0).passed()).isTrue();
    }

    @Test
    void rateLimitIsATokenBucket() {
        Enforcement e = new Enforcement();
        e.update(List.of(iv("rl", "rate_limit", List.of("a"), Long.MAX_VALUE, "rate", 4)));
        long s = 1_000_000_000L;
        int passed = 0;
        for (int i = 0; i < 10; i++) { // burst of 4 at t = 0
            passed += e.check("a", "x", 0, 0).passed() ? 1 : 0;
        }
        assertThat(passed).isEqualTo(4);
        Enforcement.Decision d = e.check("a", "x", 0, 0);
        assertThat(d.code()).isEqualTo("rate_limited");
        assertThat(d.retryAfterSeconds()).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(e.check("a", "x", 0, s / 4).passed()).isTrue(); // one token after 1/4 s
        passed = 0;
        for (int i = 1; i <= 40; i++) { // 10 s at 4 per second, offered 4 per 1/4 s
            for (int k = 0; k < 4; k++) {
                passed += e.check("a", "x", 0, s / 4 + i * s / 4).passed() ? 1 : 0;
            }
        }
        assertThat(passed).isEqualTo(40);
        assertThat(e.check("b", "x", 0, 0).passed()).isTrue();
    }

    @Test
    void loadShedDropsExactlyTheFraction() {
        Enforcement e = new Enforcement();
        e.update(List.of(iv("ls", "load_shed", List.of("t"), Long.MAX_VALUE, "fraction", 0.3)));
        int dropped = 0;
        for (int i = 0; i < 1000; i++) {
            dropped += e.check("s" + (i % 7), "t", 0, 0).passed() ? 0 : 1;
        }
        assertThat(dropped).isEqualTo(300);
    }

    @Test
    void loadShedRetryAfterIsHonest() {
        Enforcement e = new Enforcement();
        e.update(List.of(iv("all", "load_shed", List.of("t"), 121_000, "fraction", 1.0),
                iv("half", "load_shed", List.of("u"), 1_400, "fraction", 0.5)));
        for (int i = 0; i < 5; i++) { // every message is shed until the intervention ends: that is the wait, not 1 s
            Enforcement.Decision d = e.check("s", "t", 1_000 + i * 1_000, 0);
            assertThat(d.code()).isEqualTo("load_shed");
            assertThat(d.retryAfterSeconds()).isEqualTo(120.0 - i);
        }
        assertThat(e.check("s", "t", 121_000, 0).passed()).isTrue();
        Enforcement.Decision half = e.check("s", "u", 1_000, 0); // the first of two is dropped
        assertThat(half.code()).isEqualTo("load_shed");
        assertThat(half.retryAfterSeconds()).as("never past the intervention's end").isEqualTo(0.4);
    }

    @Test
    void everyRuleEndsAtItsExpiryInstant() {
        // expiresAt is exclusive for each kind of rule, on whichever side of the message it sits
        Enforcement e = new Enforcement();
        e.update(List.of(iv("iso", "isolate", List.of("c"), 5_000, null, 0),
                iv("rl", "rate_limit", List.of("r"), 5_000, "rate", 0.001)));
        assertThat(e.check("c", "a", 4_999, 0).code()).isEqualTo("isolated"); // sender isolated
        assertThat(e.check("c", "a", 5_000, 0).passed()).isTrue();
        assertThat(e.check("r", "a", 1_000, 0).passed()).isTrue(); // the burst of one
        assertThat(e.check("r", "a", 4_999, 0).code()).isEqualTo("rate_limited");
        assertThat(e.check("r", "a", 5_000, 0).passed()).isTrue();
    }

    @Test
    void rateLimitRetryAfterIsTheTimeToTheNextTokenCappedAtTheEnd() {
        Enforcement e = new Enforcement();
        long s = 1_000_000_000L;
        e.update(List.of(iv("rl", "rate_limit", List.of("a"), 10_000, "rate", 4),
                iv("slow", "rate_limit", List.of("b"), 3_000, "rate", 0.1)));
        for (int i = 0; i < 4; i++) {
            assertThat(e.check("a", "x", 1_000, 0).passed()).isTrue();
        }
        // 0.1 s later 0.4 of a token has come back: the next one is 0.6 / 4 = 0.15 s away
        Enforcement.Decision d = e.check("a", "x", 1_000, s / 10);
        assertThat(d.code()).isEqualTo("rate_limited");
        assertThat(d.retryAfterSeconds()).isCloseTo(0.15, org.assertj.core.data.Offset.offset(1e-9));
        // at 0.1 per second the next token is 10 s away, but the limit itself ends in 2 s
        assertThat(e.check("b", "x", 1_000, 0).passed()).isTrue();
        Enforcement.Decision capped = e.check("b", "x", 1_000, 0);
        assertThat(capped.code()).isEqualTo("rate_limited");
        assertThat(capped.retryAfterSeconds()).isEqualTo(2.0);
    }

    @Test
    void anUpdateKeepsTheStateOfInterventionsThatStayActive() {
        // interventions change often (another agent's breaker opens): the rate limits and load sheds
        // still in force must not start over, or every change would hand out a fresh burst
        Enforcement e = new Enforcement();
        Interventions.Intervention rl = iv("rl", "rate_limit", List.of("a"), Long.MAX_VALUE, "rate", 1);
        Interventions.Intervention ls = iv("ls", "load_shed", List.of("t"), Long.MAX_VALUE, "fraction", 0.5);
        e.update(List.of(rl, ls));
        assertThat(e.check("a", "x", 0, 0).passed()).isTrue(); // the one token
        assertThat(e.check("s", "t", 0, 0).code()).isEqualTo("load_shed"); // message 0 of two is dropped
        e.update(List.of(rl, ls, iv("cb", "circuit_breaker", List.of("z"), Long.MAX_VALUE, null, 0)));
        assertThat(e.check("a", "x", 0, 0).code()).as("the bucket is still empty").isEqualTo("rate_limited");
        assertThat(e.check("s", "t", 0, 0).passed()).as("message 1 passes").isTrue();
        assertThat(e.entries()).isEqualTo(2);
        e.update(List.of(ls)); // the rate limit ended: its bucket goes, the shed counter stays
        assertThat(e.entries()).isEqualTo(1);
        assertThat(e.check("s", "t", 0, 0).code()).isEqualTo("load_shed"); // message 2
    }

    @Test
    void refusesEveryCallOnlyForIsolationAndOpenBreakers() {
        Enforcement e = new Enforcement();
        assertThat(e.updates()).isZero();
        e.update(List.of(iv("iso", "isolate", List.of("i"), 5_000, null, 0),
                iv("cb", "circuit_breaker", List.of("b"), 5_000, null, 0),
                iv("rl", "rate_limit", List.of("r"), 5_000, "rate", 0.001),
                iv("ls", "load_shed", List.of("l"), 5_000, "fraction", 1.0)));
        assertThat(e.updates()).isEqualTo(1);
        assertThat(e.refusesEveryCall("i", "x", 1_000)).isTrue();
        assertThat(e.refusesEveryCall("x", "i", 1_000)).isTrue();
        assertThat(e.refusesEveryCall("x", "b", 1_000)).isTrue();
        assertThat(e.refusesEveryCall("b", "x", 1_000)).isFalse();
        assertThat(e.refusesEveryCall("r", "x", 1_000)).isFalse(); // some get through
        assertThat(e.refusesEveryCall("x", "l", 1_000)).isFalse();
        assertThat(e.refusesEveryCall("x", "y", 1_000)).isFalse();
        assertThat(e.refusesEveryCall("i", "x", 5_000)).isFalse(); // ended
        e.update(List.of());
        assertThat(e.updates()).isEqualTo(2);
        assertThat(e.refusesEveryCall("x", "b", 1_000)).isFalse();
    }

    @Test
    void checkWithoutInterventionsIsCheap() {
        Enforcement e = new Enforcement();
        e.update(List.of(iv("cb", "circuit_breaker", List.of("b"), Long.MAX_VALUE, null, 0)));
        int n = 2_000_000;
        int passed = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            passed += e.check("a", (i & 1) == 0 ? "x" : "b", 1, i).passed() ? 1 : 0;
        }
        double ns = (System.nanoTime() - t0) / (double) n;
        System.err.printf(java.util.Locale.ROOT, "Enforcement.check: %.0f ns per message (mixed pass/refuse)%n", ns);
        assertThat(passed).isEqualTo(n / 2);
    }
}
