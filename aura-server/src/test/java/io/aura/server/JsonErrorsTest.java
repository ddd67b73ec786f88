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
}
