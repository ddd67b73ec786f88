package io.aura.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The wire shapes of A2A protocol 1.0 (ProtoJSON of {@code a2a.proto}: camelCase fields, enums by
 * name, a part's content as one of {@code text}, {@code raw}, {@code url} or {@code data}), translated
 * to and from the v0.3 shapes that {@link A2aEndpoint} runs and keeps. A task is kept once, in v0.3
 * form, and reads in either version: one made with {@code message/send} is found by {@code GetTask}.
 *
 * <p>Only the translation lives here; what the methods do is {@link A2aEndpoint}'s.
 */
final class A2aV1 {

    private A2aV1() {
    }

    static final String VERSION = "1.0";

    /** The JSON-RPC methods of A2A 1.0 (specification section 9.4). */
    static final Set<String> METHODS = Set.of("SendMessage", "SendStreamingMessage", "GetTask", "ListTasks", "CancelTask",
            "SubscribeToTask", "CreateTaskPushNotificationConfig", "GetTaskPushNotificationConfig",
            "ListTaskPushNotificationConfigs", "DeleteTaskPushNotificationConfig", "GetExtendedAgentCard");

    /** The v0.3 method each 1.0 method replaces, for the hint when a request mixes the two. */
    static final Map<String, String> LEGACY_NAMES = Map.of("message/send", "SendMessage", "message/stream", "SendStreamingMessage",
            "tasks/get", "GetTask", "tasks/cancel", "CancelTask", "tasks/resubscribe", "SubscribeToTask");

    static final int VERSION_NOT_SUPPORTED = -32009;

    /** The request's {@code A2A-Version}: the header, else the query parameter of that name; null for neither. */
    static String asked(io.javalin.http.Context ctx) {
        String h = ctx.header("A2A-Version");
        return h != null ? h : ctx.queryParam("A2A-Version");
    }

    /** Whether a {@code historyLength} is absent or a whole number >= 0 (of any size: -2^64 must not pass for 0). */
    static boolean countOrAbsent(JsonNode n) {
        return n.isMissingNode() || n.isNull() || n.isIntegralNumber() && n.bigIntegerValue().signum() >= 0;
    }

    /** A request that is valid JSON-RPC but not a valid 1.0 request: the message says which field and why. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The protocol version a request asks for: the {@code A2A-Version} header (or query parameter),
     * {@code Major.Minor} with any patch ignored; without one, 1.0 for a 1.0 method name (no 0.3 method
     * has one) and 0.3 otherwise, as the specification reads an empty version. Null when it names a
     * version this agent does not speak.
     */
    static String version(String asked, String method) {
        if (asked == null || asked.isBlank()) {
            return METHODS.contains(method) ? VERSION : "0.3";
        }
        java.util.regex.Matcher v = VERSION_SYNTAX.matcher(asked.strip());
        if (!v.matches()) { // ".", "1.", "1.x": no version at all (a bare "." once split to nothing and failed with a 500)
            return null;
        }
        String mm = v.group(1) + "." + (v.group(2) == null ? "0" : v.group(2));
        return mm.equals("1.0") || mm.equals("0.3") ? mm : null;
    }

    /** {@code Major}, {@code Major.Minor} or {@code Major.Minor.Patch}, each a number. */
    private static final java.util.regex.Pattern VERSION_SYNTAX = java.util.regex.Pattern.compile("(\\d{1,9})(?:\\.(\\d{1,9})(?:\\.\\d{1,9})?)?");

    /**
     * Whether a card request's {@code A2A-Version} asks for the 1.0 card: any version from 1 on (a
     * later one gets the latest card this agent has); none, or 0.x, gets the 0.3 card.
     */
    static boolean wantsV1Card(String asked) {
        return asked != null && !asked.isBlank() && !asked.strip().startsWith("0");
    }

    /** The integer fields of the requests this agent reads, and where they are. */
    private static final List<String> INT_FIELDS = List.of("/pageSize", "/historyLength", "/configuration/historyLength");

    /**
     * The request's params with what ProtoJSON parsers also accept written as this agent reads it: an
     * integer field as a string ({@code "pageSize": "5"}) as the number, an enum as its number
     * ({@code "status": 3}, {@code "role": 1}) as its name. Anything else is left for the checks to refuse.
     */
    static JsonNode protoJson(JsonNode params) {
        if (!params.isObject()) {
            return params;
        }
        // shallow copies of the objects that change only: a message may be megabytes the copy need not repeat
        ObjectNode p = Json.object().setAll((ObjectNode) params);
        for (String at : INT_FIELDS) {
            JsonNode v = p.at(at);
            if (v.isTextual() && v.asText().matches("-?[0-9]{1,10}")) {
                String parent = at.substring(0, at.lastIndexOf('/'));
                ObjectNode holder = parent.isEmpty() ? p : copied(p, parent.substring(1));
                holder.put(at.substring(at.lastIndexOf('/') + 1), new java.math.BigInteger(v.asText()));
            }
        }
        JsonNode status = p.path("status");
        if (status.isIntegralNumber() && status.canConvertToInt() && status.asInt() >= 0 && status.asInt() < STATES.size()) {
            p.put("status", STATES.get(status.asInt()));
        }
        JsonNode role = p.at("/message/role");
        if (role.isIntegralNumber()) {
            copied(p, "message").put("role", role.asInt() == 1 ? "ROLE_USER" : role.asInt() == 2 ? "ROLE_AGENT" : role.toString());
        }
        return p;
    }

    /** {@code p}'s object field {@code name}, replaced in {@code p} by a shallow copy that may be changed. */
    private static ObjectNode copied(ObjectNode p, String name) {
        ObjectNode c = Json.object().setAll((ObjectNode) p.get(name));
        p.set(name, c);
        return c;
    }

    /** TaskState's names by number (a2a.proto). */
    private static final List<String> STATES = List.of("TASK_STATE_UNSPECIFIED", "TASK_STATE_SUBMITTED", "TASK_STATE_WORKING",
            "TASK_STATE_COMPLETED", "TASK_STATE_FAILED", "TASK_STATE_CANCELED", "TASK_STATE_INPUT_REQUIRED", "TASK_STATE_REJECTED",
            "TASK_STATE_AUTH_REQUIRED");

    // --- requests: 1.0 in, v0.3 out ---

    /** SendMessageRequest → v0.3 MessageSendParams. */
    static ObjectNode sendParams(JsonNode params) throws Invalid {
        if (!params.isObject()) {
            throw new Invalid("params must be a SendMessageRequest object {\"message\": {...}}");
        }
        JsonNode msg = params.path("message");
        if (!msg.isObject()) {
            throw new Invalid("params.message is required (a Message object)");
        }
        ObjectNode out = Json.object();
        out.set("message", message(msg));
        JsonNode conf = params.path("configuration");
        if (!conf.isMissingNode() && !conf.isNull()) {
            if (!conf.isObject()) {
                throw new Invalid("params.configuration must be a SendMessageConfiguration object");
            }
            JsonNode ri = conf.path("returnImmediately");
            if (!ri.isMissingNode() && !ri.isNull() && !ri.isBoolean()) {
                throw new Invalid("params.configuration.returnImmediately must be a boolean");
            }
            if (conf.has("taskPushNotificationConfig") && !conf.path("taskPushNotificationConfig").isNull()) {
                throw new Invalid("push notifications are not supported (capabilities.pushNotifications is false):"
                        + " follow a task with GetTask or SubscribeToTask");
            }
            JsonNode hl = conf.path("historyLength");
            if (!countOrAbsent(hl)) {
                throw new Invalid("params.configuration.historyLength must be an integer >= 0");
            }
            out.putObject("configuration").put("blocking", !ri.asBoolean(false));
        }
        if (params.path("metadata").isObject()) {
            out.set("metadata", params.path("metadata"));
        }
        return out;
    }

    private static ObjectNode message(JsonNode m) throws Invalid {
        JsonNode role = m.path("role");
        if (!(role.asText().equals("ROLE_USER") || role.isIntegralNumber() && role.asInt() == 1)) {
            throw new Invalid("params.message.role must be \"ROLE_USER\"" + (role.isMissingNode() ? " (it is required)" : ", got "
                    + Json.clip(role.toString(), 40)));
        }
        if (!m.path("messageId").isTextual() || m.path("messageId").asText().isEmpty()) {
            throw new Invalid("params.message.messageId is required (a non-empty string)");
        }
        ObjectNode out = Json.object();
        out.put("kind", "message");
        out.put("role", "user");
        out.put("messageId", m.path("messageId").asText());
        for (String f : List.of("contextId", "taskId")) {
            JsonNode v = m.path(f);
            if (!v.isMissingNode() && !v.isNull() && !v.isTextual()) {
                throw new Invalid("params.message." + f + " must be a string");
            }
            if (v.isTextual() && !v.asText().isEmpty()) { // ProtoJSON writes an unset string as ""
                out.put(f, v.asText());
            }
        }
        // kept and answered as they came: a value of the wrong type would make every later GetTask and ListTasks answer
        // that holds this message invalid ProtoJSON, which a client's parser refuses
        if (m.hasNonNull("metadata")) {
            if (!m.get("metadata").isObject()) {
                throw new Invalid("params.message.metadata must be an object");
            }
            out.set("metadata", m.get("metadata"));
        }
        for (String f : List.of("extensions", "referenceTaskIds")) {
            if (m.hasNonNull(f)) {
                JsonNode v = m.get(f);
                if (!v.isArray() || !v.valueStream().allMatch(JsonNode::isTextual)) {
                    throw new Invalid("params.message." + f + " must be an array of strings");
                }
                out.set(f, v);
            }
        }
        JsonNode parts = m.path("parts");
        if (!parts.isArray() || parts.isEmpty()) {
            throw new Invalid("params.message.parts is required (a non-empty array of parts)");
        }
        ArrayNode ps = out.putArray("parts");
        for (int i = 0; i < parts.size(); i++) {
            ps.add(part(parts.get(i), "params.message.parts[" + i + "]"));
        }
        return out;
    }

    /**
     * The one key of the object that holds a 1.0 data part's value that is not an object (an array, a
     * string, a number, a boolean) in the v0.3 form, where a data part is an object.
     */
    static final String WRAPPED_DATA = "urn:aura:a2a:v1-data-value";

    /** A 1.0 Part (one of text, raw, url, data) as a v0.3 part. */
    private static ObjectNode part(JsonNode p, String where) throws Invalid {
        if (!p.isObject()) {
            throw new Invalid(where + " must be a Part object");
        }
        List<String> content = new java.util.ArrayList<>();
        for (String f : List.of("text", "raw", "url", "data")) {
            // a JSON null is "unset" for the others, but for data (a google.protobuf.Value) it is the null value
            if (p.has(f) && (f.equals("data") || !p.get(f).isNull())) {
                content.add(f);
            }
        }
        if (content.size() != 1) {
            throw new Invalid(where + " must have exactly one of text, raw, url or data" + (content.isEmpty() ? "" : ", got " + content));
        }
        String kind = content.get(0);
        ObjectNode out = Json.object();
        switch (kind) {
            case "text" -> {
                if (!p.get("text").isTextual()) {
                    throw new Invalid(where + ".text must be a string");
                }
                out.put("kind", "text").put("text", p.get("text").asText());
            }
            case "data" -> {
                JsonNode d = p.get("data");
                // a data part holds any JSON value in 1.0 and an object in 0.3: another value is wrapped, under a key
                // of its own so that the 1.0 answers unwrap it (and only it) again
                out.put("kind", "data").set("data", d.isObject() ? d : Json.object().set(WRAPPED_DATA, d));
            }
            default -> {
                if (!p.get(kind).isTextual()) {
                    throw new Invalid(where + "." + kind + " must be a string" + (kind.equals("raw") ? " (base64)" : ""));
                }
                ObjectNode f = out.put("kind", "file").putObject("file");
                f.put(kind.equals("raw") ? "bytes" : "uri", p.get(kind).asText());
                if (p.path("mediaType").isTextual() && !p.path("mediaType").asText().isEmpty()) {
                    f.put("mimeType", p.path("mediaType").asText());
                }
                if (p.path("filename").isTextual() && !p.path("filename").asText().isEmpty()) {
                    f.put("name", p.path("filename").asText());
                }
            }
        }
        if (p.path("metadata").isObject()) {
            out.set("metadata", p.get("metadata"));
        }
        return out;
    }

    /** Checks GetTask's, CancelTask's and SubscribeToTask's {@code id} (and GetTask's historyLength) in 1.0 words. */
    static void taskParams(JsonNode params, boolean history) throws Invalid {
        if (!params.isObject() || !params.path("id").isTextual() || params.path("id").asText().isEmpty()) {
            throw new Invalid("params.id is required (the task's id, a string)");
        }
        JsonNode hl = params.path("historyLength");
        if (history && !countOrAbsent(hl)) {
            throw new Invalid("params.historyLength must be an integer >= 0");
        }
    }

    // --- answers: v0.3 in, 1.0 out ---

    /** A v0.3 Task as a 1.0 Task. */
    static ObjectNode task(JsonNode t) {
        ObjectNode out = Json.object();
        out.put("id", t.path("id").asText());
        out.put("contextId", t.path("contextId").asText());
        out.set("status", status(t.path("status")));
        if (t.has("artifacts")) {
            ArrayNode as = out.putArray("artifacts");
            for (JsonNode a : t.path("artifacts")) {
                as.add(artifact(a));
            }
        }
        if (t.has("history")) {
            ArrayNode hs = out.putArray("history");
            for (JsonNode m : t.path("history")) {
                hs.add(message(m, true));
            }
        }
        if (t.path("metadata").isObject()) {
            out.set("metadata", t.get("metadata"));
        }
        return out;
    }

    /**
     * A 1.0 task with at most {@code historyLength} messages of its history (the latest), and none
     * (the field omitted) for 0; unchanged when it is absent. A count past a long's range keeps all.
     */
    static ObjectNode trimHistory(ObjectNode task, JsonNode historyLength) {
        if (historyLength.isIntegralNumber()) {
            long keep = historyLength.canConvertToLong() ? historyLength.asLong() : Long.MAX_VALUE;
            ArrayNode h = task.path("history") instanceof ArrayNode a ? a : Json.MAPPER.createArrayNode();
            while (h.size() > keep) {
                h.remove(0);
            }
            if (h.isEmpty()) {
                task.remove("history");
            }
        }
        return task;
    }

    /** "input-required" → "TASK_STATE_INPUT_REQUIRED"; an unknown state → TASK_STATE_UNSPECIFIED. */
    static String state(String v03) {
        return switch (v03) {
            case "submitted", "working", "completed", "failed", "canceled", "input-required", "rejected", "auth-required" ->
                    "TASK_STATE_" + v03.replace('-', '_').toUpperCase(Locale.ROOT);
            default -> "TASK_STATE_UNSPECIFIED";
        };
    }

    /** "TASK_STATE_WORKING" → "working"; null when it is not a 1.0 task state a task can have. */
    static String legacyState(String v1) {
        if (v1 == null || !v1.startsWith("TASK_STATE_") || v1.equals("TASK_STATE_UNSPECIFIED")) {
            return null;
        }
        String s = v1.substring("TASK_STATE_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
        return state(s).equals(v1) ? s : null;
    }

    private static ObjectNode status(JsonNode s) {
        ObjectNode out = Json.object();
        out.put("state", state(s.path("state").asText()));
        if (s.path("message").isObject()) {
            out.set("message", message(s.get("message"), true));
        }
        if (s.path("timestamp").isTextual()) {
            out.put("timestamp", millis(s.path("timestamp").asText()));
        }
        return out;
    }

    /** An ISO-8601 instant at the millisecond precision the specification asks for (section 5.6.1). */
    static String millis(String instant) {
        try {
            return Instant.parse(instant).truncatedTo(ChronoUnit.MILLIS).toString();
        } catch (DateTimeParseException e) {
            return instant;
        }
    }

    private static ObjectNode message(JsonNode m, boolean keepIds) {
        ObjectNode out = Json.object();
        out.put("messageId", m.path("messageId").asText());
        if (keepIds) {
            for (String f : List.of("contextId", "taskId")) {
                if (m.path(f).isTextual()) {
                    out.put(f, m.path(f).asText());
                }
            }
        }
        out.put("role", m.path("role").asText().equals("user") ? "ROLE_USER" : "ROLE_AGENT");
        ArrayNode ps = out.putArray("parts");
        for (JsonNode p : m.path("parts")) {
            ps.add(part(p));
        }
        for (String f : List.of("metadata", "extensions", "referenceTaskIds")) {
            if (m.hasNonNull(f)) {
                out.set(f, m.get(f));
            }
        }
        return out;
    }

    private static ObjectNode part(JsonNode p) {
        ObjectNode out = Json.object();
        switch (p.path("kind").asText()) {
            case "text" -> out.put("text", p.path("text").asText());
            case "data" -> {
                JsonNode d = p.path("data");
                out.set("data", d.size() == 1 && d.has(WRAPPED_DATA) ? d.get(WRAPPED_DATA) : d);
            }
            case "file" -> {
                JsonNode f = p.path("file");
                if (f.has("bytes")) {
                    out.put("raw", f.path("bytes").asText());
                } else {
                    out.put("url", f.path("uri").asText());
                }
                if (f.path("mimeType").isTextual()) {
                    out.put("mediaType", f.path("mimeType").asText());
                }
                if (f.path("name").isTextual()) {
                    out.put("filename", f.path("name").asText());
                }
            }
            default -> out.put("text", "");
        }
        if (p.path("metadata").isObject()) {
            out.set("metadata", p.get("metadata"));
        }
        return out;
    }

    private static ObjectNode artifact(JsonNode a) {
        ObjectNode out = Json.object();
        out.put("artifactId", a.path("artifactId").asText());
        if (a.path("name").isTextual()) {
            out.put("name", a.path("name").asText());
        }
        if (a.path("description").isTextual()) {
            out.put("description", a.path("description").asText());
        }
        ArrayNode ps = out.putArray("parts");
        for (JsonNode p : a.path("parts")) {
            ps.add(part(p));
        }
        for (String f : List.of("metadata", "extensions")) {
            if (a.hasNonNull(f)) {
                out.set(f, a.get(f));
            }
        }
        return out;
    }

    /**
     * A v0.3 streaming result (a task, a message, a status-update or an artifact-update event) as a
     * 1.0 StreamResponse: {@code {"task": ...}}, {@code {"statusUpdate": ...}} and so on.
     */
    static ObjectNode streamResponse(JsonNode r) {
        ObjectNode out = Json.object();
        switch (r.path("kind").asText()) {
            case "status-update" -> {
                ObjectNode u = out.putObject("statusUpdate");
                u.put("taskId", r.path("taskId").asText());
                u.put("contextId", r.path("contextId").asText());
                u.set("status", status(r.path("status")));
            }
            case "artifact-update" -> {
                ObjectNode u = out.putObject("artifactUpdate");
                u.put("taskId", r.path("taskId").asText());
                u.put("contextId", r.path("contextId").asText());
                u.set("artifact", artifact(r.path("artifact")));
                u.put("append", r.path("append").asBoolean(false));
                u.put("lastChunk", r.path("lastChunk").asBoolean(true));
            }
            case "message" -> out.set("message", message(r, true));
            default -> out.set("task", task(r));
        }
        return out;
    }

    /** The {@code google.rpc.ErrorInfo} reason of each A2A error code (specification sections 5.4 and 9.5). */
    private static final Map<Integer, String> REASONS = Map.of(A2aEndpoint.TASK_NOT_FOUND, "TASK_NOT_FOUND",
            A2aEndpoint.TASK_NOT_CANCELABLE, "TASK_NOT_CANCELABLE", A2aEndpoint.PUSH_NOT_SUPPORTED, "PUSH_NOTIFICATION_NOT_SUPPORTED",
            A2aEndpoint.UNSUPPORTED_OPERATION, "UNSUPPORTED_OPERATION", A2aEndpoint.CONTENT_TYPE_NOT_SUPPORTED,
            "CONTENT_TYPE_NOT_SUPPORTED", A2aEndpoint.EXTENDED_CARD_NOT_CONFIGURED, "EXTENDED_AGENT_CARD_NOT_CONFIGURED",
            VERSION_NOT_SUPPORTED, "VERSION_NOT_SUPPORTED");

    /**
     * A JSON-RPC answer in 1.0 form: a result through {@code translate}, an A2A error with its
     * {@code google.rpc.ErrorInfo} detail in {@code data} (section 9.5); JSON-RPC's own errors as they are.
     */
    static ObjectNode answer(ObjectNode rpc, java.util.function.Function<JsonNode, ObjectNode> translate) {
        if (rpc.has("error")) {
            ObjectNode e = (ObjectNode) rpc.get("error");
            String reason = REASONS.get(e.path("code").asInt());
            if (reason != null && !e.has("data")) {
                ObjectNode info = e.putArray("data").addObject();
                info.put("@type", "type.googleapis.com/google.rpc.ErrorInfo");
                info.put("reason", reason);
                info.put("domain", "a2a-protocol.org");
            }
            return rpc;
        }
        rpc.set("result", translate.apply(rpc.get("result")));
        return rpc;
    }

    /**
     * The 1.0 agent card, from the v0.3 card of the same agent: both versions' JSON-RPC interfaces at
     * the same URL (the request's {@code A2A-Version} picks one), the bearer scheme as an
     * HTTPAuthSecurityScheme, the same skills and the same skill-arguments extension.
     */
    static ObjectNode card(ObjectNode v03) {
        ObjectNode c = Json.object();
        c.put("name", v03.path("name").asText());
        c.put("description", v03.path("description").asText());
        ArrayNode ifs = c.putArray("supportedInterfaces");
        String url = v03.path("url").asText(); // .../a2a
        ifs.addObject().put("url", url).put("protocolBinding", "JSONRPC").put("protocolVersion", VERSION);
        ifs.addObject().put("url", url.substring(0, url.length() - "/a2a".length()) + A2aRest.PATH).put("protocolBinding", "HTTP+JSON")
                .put("protocolVersion", VERSION);
        ifs.addObject().put("url", url).put("protocolBinding", "JSONRPC").put("protocolVersion", "0.3");
        c.put("version", v03.path("version").asText());
        c.put("documentationUrl", v03.path("documentationUrl").asText());
        ObjectNode caps = c.putObject("capabilities");
        caps.put("streaming", v03.at("/capabilities/streaming").asBoolean());
        caps.put("pushNotifications", false);
        caps.set("extensions", v03.at("/capabilities/extensions"));
        caps.put("extendedAgentCard", false);
        ObjectNode schemes = c.putObject("securitySchemes");
        v03.path("securitySchemes").properties().forEach(e -> {
            ObjectNode h = schemes.putObject(e.getKey()).putObject("httpAuthSecurityScheme");
            h.put("description", e.getValue().path("description").asText());
            h.put("scheme", e.getValue().path("scheme").asText());
            h.put("bearerFormat", e.getValue().path("bearerFormat").asText());
        });
        ArrayNode reqs = c.putArray("securityRequirements");
        for (JsonNode r : v03.path("security")) {
            ObjectNode s = reqs.addObject().putObject("schemes");
            r.properties().forEach(e -> s.putObject(e.getKey()).set("list", e.getValue()));
        }
        c.set("defaultInputModes", v03.path("defaultInputModes"));
        c.set("defaultOutputModes", v03.path("defaultOutputModes"));
        c.set("skills", v03.path("skills"));
        return c;
    }
}
