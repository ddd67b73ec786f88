package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Malformed JSON is explained in the user's terms: where, and why, without the parser's internals. */
class JsonErrorsTest {

    static String body(String text) {
        return catchThrowableOfType(ApiException.class, () -> Json.parseObject(text.getBytes(StandardCharsets.UTF_8))).getMessage();
    }

    static String frame(String text) {
        return catchThrowableOfType(ApiException.class, () -> Json.parseFrame(text.getBytes(StandardCharsets.UTF_8))).getMessage();
    }

    @Test
    void parseErrorsSayWhereAndWhyWithoutTheParsersInternals() {
        String unclosed = body("{\"topology_data\": [[1.0, 2.0]");
        assertThat(unclosed).startsWith("the request body is not valid JSON at line 1, column ")
                .contains("expected close marker for Array (opened at line 1, column 19)");
        String deep = body("{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}");
        assertThat(deep).startsWith("the request body is not valid JSON: ").contains("nesting depth").contains("exceeds the maximum allowed (");
        String notJson = frame("not json");
        assertThat(notJson).startsWith("the frame is not valid JSON at line 1, column ").contains("Unrecognized token 'not'");
        assertThat(frame("")).isEqualTo("the frame is empty; send a JSON object");
        assertThat(frame("[1]")).isEqualTo("the frame must be a JSON object");
        for (String m : new String[] {unclosed, deep, notJson}) {
            assertThat(m).doesNotContain("Source:").doesNotContain("REDACTED").doesNotContain("StreamReadConstraints")
                    .doesNotContain("StreamReadFeature").doesNotContain("`");
        }
    }

    /**
     * JSON's escapes can spell a lone UTF-16 surrogate (backslash-u D800), which is not Unicode text: the bus
     * relayed such a payload as "?", an intervention's reason "x" + D800 + "y" was stored and answered as "x?y"
     * and such a JSON-RPC id came back as "?". Refused now, naming where; a pair (an emoji) is kept.
     */
    @Test
    void aLoneSurrogateIsRefusedNamingWhereItIs() {
        ApiException relay = catchThrowableOfType(ApiException.class,
                () -> Json.parseFrame("{\"to_agent\":\"b\",\"type\":\"t\",\"payload\":{\"x\":[1,\"a\\ud800\"]}}".getBytes(StandardCharsets.UTF_8)));
        assertThat(relay.status()).isEqualTo(400);
        assertThat(relay.error()).isEqualTo("invalid_json");
        assertThat(relay.field()).isEqualTo("payload.x[1]");
        assertThat(relay.getMessage()).isEqualTo("the frame is not Unicode text: payload.x[1] holds a lone UTF-16 surrogate"
                + " (an escape \\uD800-\\uDFFF without its pair)");
        ApiException reason = catchThrowableOfType(ApiException.class,
                () -> Json.parseObject("{\"parameters\":{\"reason\":\"x\\uDC00y\"}}".getBytes(StandardCharsets.UTF_8)));
        assertThat(reason.field()).isEqualTo("parameters.reason");
        ApiException name = catchThrowableOfType(ApiException.class,
                () -> Json.parseObject("{\"a\":{\"\\uD83D\":1}}".getBytes(StandardCharsets.UTF_8)));
        assertThat(name.status()).as("Jackson itself refuses one in a field name").isEqualTo(400);
        // a surrogate written as UTF-8 bytes (CESU-8 style) is no better
        byte[] cesu = {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};
        assertThat(Json.maySpellASurrogate(cesu)).isTrue();
        // kept: a pair as escapes and as UTF-8, and a backslash followed by "ud800" as text
        assertThat(Json.parseFrame("{\"payload\":\"\\uD83D\\uDE00 \uD83D\uDE00 \\\\ud800\"}".getBytes(StandardCharsets.UTF_8))
                .get("payload").textValue()).isEqualTo("\uD83D\uDE00 \uD83D\uDE00 \\ud800");
    }
}
