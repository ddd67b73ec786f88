package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link AgentIds#valid} against the regular expression it replaced, as the slow reference. */
class AgentIdsTest {

    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9_.:@-]{1,128}");
    private static final String ALPHABET = "aZ09_.:@-/ \t\u00e9\u0000{}\"\\+%*";

    @Test
    void agreesWithTheRegularExpressionOnRandomStrings() {
        SplittableRandom rng = new SplittableRandom(20261126L);
        int validSeen = 0;
        for (int k = 0; k < 200_000; k++) {
            int len = rng.nextInt(4) == 0 ? 120 + rng.nextInt(16) : rng.nextInt(12);
            StringBuilder sb = new StringBuilder(len);
            for (int i = 0; i < len; i++) {
                // mostly valid characters, so that both answers occur often
                sb.append(rng.nextInt(10) < 9 ? ALPHABET.charAt(rng.nextInt(9)) : ALPHABET.charAt(rng.nextInt(ALPHABET.length())));
            }
            String s = sb.toString();
            boolean expected = REFERENCE.matcher(s).matches();
            assertThat(AgentIds.valid(s)).as("'%s'", s).isEqualTo(expected);
            validSeen += expected ? 1 : 0;
        }
        assertThat(validSeen).isBetween(20_000, 180_000);
    }

    @Test
    void everySingleCharacterAgreesWithTheRegularExpression() {
        for (char c = 0; c < 0x3000; c++) {
            String s = "a" + c + "b";
            assertThat(AgentIds.valid(s)).as("U+%04X", (int) c).isEqualTo(REFERENCE.matcher(s).matches());
        }
    }

    @Test
    void edgeCases() {
        assertThat(AgentIds.valid(null)).isFalse();
        assertThat(AgentIds.valid("")).isFalse();
        assertThat(AgentIds.valid("a".repeat(128))).isTrue();
        assertThat(AgentIds.valid("a".repeat(129))).isFalse();
        assertThat(AgentIds.valid("agent-1@host:8080.v_2")).isTrue();
        assertThat(AgentIds.valid("agent 1")).isFalse();
        assertThat(AgentIds.valid("agent\u00e9")).isFalse();
        assertThat(AgentIds.valid("\u0661")).isFalse(); // an Arabic-Indic digit is not [0-9]
    }
}
