package io.aura.server;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * JSON reading with limits (nesting depth, number length, duplicate keys refused) and typed field
 * access that answers a wrong type with a 400 naming the field.
 */
final class Json {

    static final int MAX_NESTING = 32;

    static final ObjectMapper MAPPER = new ObjectMapper(limitedFactory()
            // Jackson's bundled fast double parsing/printing: same values, a fraction of the CPU of
            // Double.parseDouble/toString on number-heavy bodies (the seed's predict payload is 500 doubles)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * For agent-bus frames, whose payload is relayed, not read: floats are kept as exact decimals, so
     * the target receives the number the sender wrote (1.00000000000000000001 stays itself, 1e400 is
     * relayed as 1E+400 instead of becoming "Infinity"). Same limits as {@link #MAPPER}.
     */
    static final ObjectMapper RELAY_MAPPER = new ObjectMapper(limitedFactory().build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private Json() {
    }

    /** The read limits every mapper here shares: nesting depth, number and string length, duplicate keys refused. */
    private static JsonFactoryBuilder limitedFactory() {
        return new JsonFactoryBuilder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING)
                        .maxNumberLength(400).maxStringLength(1 << 20).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    /** The API's error document {@code {error, message, field}} (field null when none). */
    static ObjectNode error(String error, String message, String field) {
        ObjectNode o = object();
        o.put("error", error);
        o.put("message", message);
        if (field == null) {
            o.putNull("field");
        } else {
            o.put("field", field);
        }
        return o;
    }

    /** Parses a WebSocket frame that must be a JSON object, numbers exact ({@link #RELAY_MAPPER}). */
    static ObjectNode parseFrame(byte[] frame) {
        return parseObject(frame, RELAY_MAPPER, "the frame");
    }

    /** Parses a request body that must be a JSON object. */
    static ObjectNode parseObject(byte[] body) {
        return parseObject(body, MAPPER, "the request body");
    }

    private static ObjectNode parseObject(byte[] body, ObjectMapper mapper, String what) {
        if (body.length == 0) {
            throw ApiException.invalid(null, what + " is empty; send a JSON object");
        }
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "invalid_json", what + " is not valid JSON" + describe(e), null);
        } catch (java.io.IOException e) {
            throw new ApiException(400, "invalid_json", what + " could not be read", null);
        } catch (NumberFormatException | ArithmeticException e) {
            // exact decimals (frames): a number whose exponent no BigDecimal holds, 1e-2147483648, is thrown
            // as a bare NumberFormatException; it was an internal_error with a stack trace logged per frame
            throw new ApiException(400, "invalid_json", what + " is not valid JSON: it has a number whose exponent is out of range"
                    + " (a decimal exponent must be within -2147483647..2147483647)", null);
        }
        if (node == null || !node.isObject()) {
            throw ApiException.invalid(null, what + " must be a JSON object");
        }
        if (maySpellASurrogate(body)) {
            refuseLoneSurrogates(node, "", what);
        }
        return (ObjectNode) node;
    }

    /**
     * Whether the bytes may hold a UTF-16 surrogate: an escape backslash-u D800..DFFF or a
     * surrogate encoded as UTF-8 (ED A0..BF ..). A cheap scan, so that the tree is walked only then.
     */
    static boolean maySpellASurrogate(byte[] b) {
        for (int i = 0; i + 3 < b.length; i++) {
            if (b[i] == '\\' && b[i + 1] == 'u' && (b[i + 2] | 0x20) == 'd') {
                int c = b[i + 3] | 0x20;
                if (c == '8' || c == '9' || (c >= 'a' && c <= 'f')) {
                    return true;
                }
            } else if (b[i] == (byte) 0xED && (b[i + 1] & 0xE0) == 0xA0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Refuses a string holding a lone UTF-16 surrogate (an escape backslash-u D800 without its pair), which
     * JSON's escapes can spell but which is not Unicode text: written out as UTF-8 it became {@code ?}, so a
     * relayed payload, a stored reason or a JSON-RPC id came back altered. (Jackson refuses one in a field name.)
     */
    private static void refuseLoneSurrogates(JsonNode n, String path, String what) {
        if (n.isTextual()) {
            if (loneSurrogate(n.textValue())) {
                throw new ApiException(400, "invalid_json", what + " is not Unicode text: " + path + " holds a lone UTF-16 surrogate"
                        + " (an escape \\uD800-\\uDFFF without its pair)", path);
            }
        } else if (n.isObject()) {
            for (var e : n.properties()) {
                refuseLoneSurrogates(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), what);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                refuseLoneSurrogates(n.get(i), path + "[" + i + "]", what);
            }
        }
    }

    private static boolean loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static final java.util.regex.Pattern START_MARKER =
            java.util.regex.Pattern.compile("\\s*\\(start marker at \\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)]\\)");
    private static final java.util.regex.Pattern LIMIT_SOURCE = java.util.regex.Pattern.compile(", from `[^`]*`");

    /**
     * Where and why a parse failed, in the user's terms: " at line 1, column 31: ..." without the
     * parser's internals (its source descriptions and the names of its limits' settings).
     */
    static String describe(JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        m = START_MARKER.matcher(m).replaceAll(" (opened at line $1, column $2)");
        m = LIMIT_SOURCE.matcher(m).replaceAll("");
        com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
        return (at != null && at.getLineNr() > 0 ? " at line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " : ": ") + m;
    }

    static String write(Object o) {
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + o.getClass(), e);
        }
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** An optional string field; null when absent or JSON null. */
    static String string(ObjectNode o, String name, String path) {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.invalid(path, path + " must be a string, got " + kind(n));
        }
        return n.textValue();
    }

    /** An optional finite number. */
    static Double number(ObjectNode o, String name, String path) {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        return finite(n, path);
    }

    static double finite(JsonNode n, String path) {
        if (!n.isNumber()) {
            throw ApiException.invalid(path, path + " must be a number, got " + kind(n));
        }
        double v = n.doubleValue();
        if (!Double.isFinite(v)) {
            throw ApiException.invalid(path, path + " must be a finite number, got " + n.asText().substring(0,
                    Math.min(40, n.asText().length())));
        }
        return v;
    }

    /** An optional integer in [min, max]. */
    static Integer integer(ObjectNode o, String name, String path, int min, int max) {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() && !(n.isNumber() && n.doubleValue() == Math.rint(n.doubleValue()))) {
            throw ApiException.invalid(path, path + " must be an integer in " + min + ".." + max + ", got " + kind(n));
        }
        double v = n.doubleValue();
        if (!(v >= min && v <= max)) {
            throw ApiException.invalid(path, path + " must be in " + min + ".." + max + ", got " + abbreviate(n));
        }
        return (int) v;
    }

    /** An optional boolean. */
    static Boolean bool(ObjectNode o, String name, String path) {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw ApiException.invalid(path, path + " must be true or false, got " + kind(n));
        }
        return n.booleanValue();
    }

    /** {@code s} for a message: at most {@code max} characters (the rest as "..."), anything but printable ASCII as '?'. */
    static String clip(String s, int max) {
        String t = s.length() <= max ? s : s.substring(0, max - 3) + "...";
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /**
     * Refuses a field the endpoint does not know, so that a misspelt one ("permisions", "params")
     * is an error instead of a silent default.
     *
     * @param prefix the path of {@code o} in the request ("" at the top, "parameters." inside)
     * @throws ApiException 400 naming the first unknown field and listing the known ones
     */
    static void onlyFields(ObjectNode o, List<String> known, String prefix) {
        for (var it = o.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                String shown = clip(f, 40);
                throw ApiException.invalid(prefix + shown, "unknown field '" + prefix + shown + "'; "
                        + (known.isEmpty() ? "there are no fields here" : "fields are " + String.join(", ", known)));
            }
        }
    }

    /** An optional object. */
    static ObjectNode obj(ObjectNode o, String name, String path) {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw ApiException.invalid(path, path + " must be an object, got " + kind(n));
        }
        return (ObjectNode) n;
    }

    /** The named agents in request order; refuses an agent named twice with a 400 naming the repeat. */
    static java.util.Set<String> distinct(List<String> agents, String name) {
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        for (int i = 0; i < agents.size(); i++) {
            if (!seen.add(agents.get(i))) {
                throw ApiException.invalid(name + "[" + i + "]", name + "[" + i + "] repeats agent " + agents.get(i)
                        + "; name each agent once");
            }
        }
        return seen;
    }

    /** A required, non-empty array of strings of at most max elements, each matching the agent id pattern. */
    static List<String> agentIds(ObjectNode o, String name, int max) {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) {
            throw ApiException.invalid(name, name + " is required: a non-empty array of agent ids");
        }
        if (!n.isArray()) {
            throw ApiException.invalid(name, name + " must be an array of agent ids, got " + kind(n));
        }
        if (n.isEmpty()) {
            throw ApiException.invalid(name, name + " must name at least one agent");
        }
        if (n.size() > max) {
            throw new ApiException(413, "too_many_agents", name + " has " + n.size()
                    + " agents; at most " + max + " per request (MAX_AGENTS_PER_REQUEST)", name);
        }
        List<String> ids = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isTextual()) {
                String p = name + "[" + i + "]";
                throw ApiException.invalid(p, p + " must be a string, got " + kind(e));
            }
            String id = e.textValue();
            if (!AgentIds.valid(id)) {
                throw AgentIds.invalid(name + "[" + i + "]"); // the field's name is built only for an error
            }
            ids.add(id);
        }
        return ids;
    }

    static String kind(JsonNode n) {
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "the number " + abbreviate(n);
            case BOOLEAN -> n.asText();
            case NULL, MISSING -> "null";
            case BINARY -> "binary data";
        };
    }

    private static String abbreviate(JsonNode n) {
        String s = n.asText();
        return s.length() <= 40 ? s : s.substring(0, 37).toLowerCase(Locale.ROOT) + "...";
    }
}
