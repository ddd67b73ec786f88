package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bus builds its relayed frame by hand (the relay path is its hot path); it must be the same
 * text as Jackson's serialisation of the object it replaced, for every type and payload an agent
 * can send.
 */
class RelayFrameTest {

    /** The frame as it was built before: a tree written by {@link Json#write}. */
    private static String viaTree(String id, String from, String type, JsonNode payload, String sentAt) {
        ObjectNode out = Json.object();
        out.put("type", "message");
        out.put("id", id);
        out.put("from_agent", from);
        out.put("message_type", type);
        out.set("payload", payload == null ? Json.MAPPER.nullNode() : payload);
        out.put("sent_at", sentAt);
        return Json.write(out);
    }

    @Test
    void theHandBuiltFrameIsJacksonsTextForEveryKindOfTypeAndPayload() {
        List<String> types = List.of("request", "error", "a", "with space", "quote\"inside", "back\\slash", "tab\there",
                "newline\n", "nul\u0000", "del\u007f", "é-accent", "日本語", "emoji \uD83D\uDE00", "lone \uD800 surrogate",
                "</script>", "x".repeat(64));
        List<String> payloads = List.of("{}", "[]", "null", "1", "1E+400", "0.10", "-0", "\"text\"",
                "{\"nested\":{\"deep\":[1,2.50,{\"k\":\"v\\u0001\"}]},\"big\":123456789012345678901234567890}",
                "{\"unicode\":\"日本\",\"escaped\":\"a\\\"b\\\\c\\n\"}");
        int checked = 0;
        for (String type : types) {
            for (String p : payloads) {
                JsonNode payload = Json.parseFrame(("{\"to_agent\":\"b\",\"type\":\"t\",\"payload\":" + p + "}")
                        .getBytes(StandardCharsets.UTF_8)).get("payload");
                String expected = viaTree("0a1b2c3d-1f", "agent_a.x:y@z-1", type, payload, "2026-11-27T13:20:00.123Z");
                assertThat(Bus.relayFrame("0a1b2c3d-1f", "agent_a.x:y@z-1", type, payload, "2026-11-27T13:20:00.123Z"))
                        .as("type %s, payload %s", type, p).isEqualTo(expected);
                checked++;
            }
            assertThat(Bus.relayFrame("i", "a", type, null, "s")).isEqualTo(viaTree("i", "a", type, null, "s"));
        }
        assertThat(checked).isEqualTo(types.size() * payloads.size());
    }
}
