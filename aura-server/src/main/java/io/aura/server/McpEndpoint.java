package io.aura.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The Model Context Protocol server at {@code POST /mcp} (Streamable HTTP transport, stateless, JSON
 * answers): AURA's analyze, predict and interventions as MCP tools, so that an LLM agent can call
 * them. JSON-RPC 2.0: {@code initialize}, {@code ping}, {@code tools/list}, {@code tools/call};
 * notifications and responses are accepted with 202. Protocol revisions 2025-11-25, 2025-06-18 and 2025-03-26
 * (for a server of tools only they differ in the serverInfo description and in what the transport
 * already did: 403 for a refused Origin, bad arguments as a tool's error rather than a protocol one).
 *
 * <p>Every request carries an operator token (like {@code /api/v1}); each tool needs its endpoint's
 * scope. A tool's bad input is a tool result with {@code isError} (the model sees the message and
 * the field); protocol mistakes are JSON-RPC errors.
 */
final class McpEndpoint {

    static final List<String> VERSIONS = List.of("2025-11-25", "2025-06-18", "2025-03-26");

    /** One tool: what the model sees, the scope it needs, and the call. */
    record Tool(String name, String title, String description, String scope, boolean readOnly, boolean destructive,
                ObjectNode inputSchema, BiFunction<ObjectNode, Tokens.Principal, JsonNode> call) {
    }

    private final Map<String, Tool> tools = new LinkedHashMap<>();
    private final String version;

    /** The origin of AURA_PUBLIC_URL ({@code scheme://host:port}), or null. */
    private final String publicOrigin;

    /**
     * @param publicUrl AURA_PUBLIC_URL or null: web pages of its origin may call the tools, beside
     *     pages served from a loopback host
     */
    McpEndpoint(List<Tool> tools, String version, String publicUrl) {
        for (Tool t : tools) {
            this.tools.put(t.name(), t);
        }
        this.version = version;
        this.publicOrigin = publicUrl == null ? null : origin(publicUrl);
    }

    /** {@code scheme://host:port} of a URL, lower case, the default port written out; null if it has none. */
    static String origin(String url) {
        try {
            URI u = URI.create(url.strip());
            String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(java.util.Locale.ROOT);
            String host = u.getHost();
            if (scheme == null || host == null || !(scheme.equals("http") || scheme.equals("https"))) {
                return null;
            }
            int port = u.getPort() >= 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
            return scheme + "://" + host.toLowerCase(java.util.Locale.ROOT) + ":" + port;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Whether a browser page of {@code origin} may call the tools: one served from a loopback host
     * (localhost, 127.0.0.1, [::1], any port) or from AURA_PUBLIC_URL's origin. The request's own Host
     * header does not count: under DNS rebinding the attacker's name is both the Origin and the Host.
     */
    boolean allowedOrigin(String origin) {
        String o = origin(origin);
        if (o == null) {
            return false;
        }
        if (o.equals(publicOrigin)) {
            return true;
        }
        String host = URI.create(o).getHost();
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
    }

    /** Answers one POSTed JSON-RPC message. */
    void handle(Context ctx, Tokens.Principal p, byte[] body) {
        String origin = ctx.header("Origin");
        if (origin != null && !allowedOrigin(origin)) { // DNS rebinding: a web page of another site
            reply(ctx, 403, error(null, -32600, "Origin " + clip(origin) + " may not call this server's tools: web pages of a loopback"
                    + " host or of AURA_PUBLIC_URL's origin may; other sites' pages are refused"));
            return;
        }
        String asked = ctx.header("MCP-Protocol-Version");
        if (asked != null && !VERSIONS.contains(asked)) {
            reply(ctx, 400, error(null, -32600, "unsupported MCP-Protocol-Version " + asked + "; this server speaks " + String.join(", ", VERSIONS)));
            return;
        }
        ObjectNode m;
        try {
            m = Json.parseObject(body);
        } catch (ApiException e) {
            boolean parse = "invalid_json".equals(e.error());
            reply(ctx, 400, error(null, parse ? -32700 : -32600, (parse ? "Parse error: " : "Invalid Request: ") + e.getMessage()
                    + (parse ? "" : " (one JSON-RPC message per POST; batches are not part of MCP 2025-06-18)")));
            return;
        }
        JsonNode id = m.get("id");
        JsonNode method = m.get("method");
        if (method == null) {
            if (m.has("result") || m.has("error")) { // a client's answer: this server asks nothing
                ctx.status(202);
                return;
            }
            reply(ctx, 400, error(id, -32600, "Invalid Request: no method"));
            return;
        }
        if (!"2.0".equals(m.path("jsonrpc").asText(null)) || !method.isTextual() || (id != null && !(id.isTextual() || id.isIntegralNumber()))) {
            reply(ctx, 400, error(id, -32600, "Invalid Request: a JSON-RPC 2.0 message needs \"jsonrpc\": \"2.0\", a string method"
                    + " and a string or integer id"));
            return;
        }
        if (id == null) { // a notification (notifications/initialized, notifications/cancelled, ...)
            ctx.status(202);
            return;
        }
        JsonNode params = m.path("params");
        ObjectNode out = switch (method.asText()) {
            case "initialize" -> result(id, initialize(params));
            case "ping" -> result(id, Json.object());
            case "tools/list" -> result(id, list());
            case "tools/call" -> call(id, params, p);
            default -> error(id, -32601, "Method not found: " + method.asText() + " (this server has tools only: initialize, ping,"
                    + " tools/list, tools/call)");
        };
        reply(ctx, 200, out);
    }

    private static void reply(Context ctx, int status, ObjectNode message) {
        ctx.status(status).contentType("application/json").result(Json.write(message));
    }

    private static String clip(String s) {
        return Json.clip(s, 100);
    }

    private ObjectNode initialize(JsonNode params) {
        String asked = params.path("protocolVersion").asText("");
        ObjectNode r = Json.object();
        r.put("protocolVersion", VERSIONS.contains(asked) ? asked : VERSIONS.get(0));
        r.putObject("capabilities").putObject("tools").put("listChanged", false);
        ObjectNode info = r.putObject("serverInfo");
        info.put("name", "aura");
        info.put("title", "AURA cascade prevention");
        info.put("version", version);
        if (!asked.equals("2025-06-18") && !asked.equals("2025-03-26")) { // Implementation.description is new in 2025-11-25
            info.put("description", "Predicts cascading failures in a multi-agent system and stops them with interventions enforced"
                    + " on its agent bus");
        }
        r.put("instructions", "AURA watches a multi-agent system and predicts cascading failures. predict_cascade gives the risk,"
                + " the critical agents and recommended interventions; intervene applies one (circuit_breaker, isolate, rate_limit,"
                + " load_shed), enforced on the agent bus; revoke_intervention lifts it. analyze_topology computes persistent homology"
                + " of a point cloud.");
        return r;
    }

    private ObjectNode list() {
        ObjectNode r = Json.object();
        ArrayNode a = r.putArray("tools");
        for (Tool t : tools.values()) {
            ObjectNode o = a.addObject();
            o.put("name", t.name());
            o.put("title", t.title());
            o.put("description", t.description() + " Needs scope '" + t.scope() + "'.");
            o.set("inputSchema", t.inputSchema());
            ObjectNode ann = o.putObject("annotations");
            ann.put("readOnlyHint", t.readOnly());
            ann.put("destructiveHint", t.destructive());
            ann.put("openWorldHint", false);
        }
        return r;
    }

    private ObjectNode call(JsonNode id, JsonNode params, Tokens.Principal p) {
        JsonNode name = params.get("name");
        if (name == null || !name.isTextual()) {
            return error(id, -32602, "Invalid params: tools/call needs params.name, one of " + String.join(", ", tools.keySet()));
        }
        Tool t = tools.get(name.asText());
        if (t == null) {
            return error(id, -32602, "Unknown tool: " + name.asText() + "; the tools are " + String.join(", ", tools.keySet()));
        }
        JsonNode args = params.get("arguments");
        if (args != null && !args.isNull() && !args.isObject()) {
            return error(id, -32602, "Invalid params: params.arguments must be an object");
        }
        ObjectNode arguments = args instanceof ObjectNode o ? o : Json.object();
        if (!p.has(t.scope())) {
            return result(id, toolError("insufficient_scope", "tool " + t.name() + " needs scope '" + t.scope() + "'; the token has "
                    + (p.scopes().isEmpty() ? "none" : String.join(" ", p.scopes())), null));
        }
        JsonNode out;
        try {
            out = t.call().apply(arguments, p);
        } catch (ApiException e) {
            return result(id, toolError(e.error(), e.getMessage(), e.field()));
        }
        ObjectNode r = Json.object();
        r.putArray("content").addObject().put("type", "text").put("text", Json.write(out));
        r.set("structuredContent", out);
        r.put("isError", false);
        return result(id, r);
    }

    private static ObjectNode toolError(String error, String message, String field) {
        ObjectNode detail = Json.object();
        detail.put("error", error);
        detail.put("message", message);
        if (field != null) {
            detail.put("field", field);
        }
        ObjectNode r = Json.object();
        r.putArray("content").addObject().put("type", "text").put("text", error + ": " + message + (field == null ? "" : " (field " + field + ")"));
        r.set("structuredContent", detail);
        r.put("isError", true);
        return r;
    }

    /** A JSON-RPC 2.0 response (also A2aEndpoint's). */
    static ObjectNode result(JsonNode id, ObjectNode result) {
        ObjectNode o = Json.object();
        o.put("jsonrpc", "2.0");
        o.set("id", id);
        o.set("result", result);
        return o;
    }

    /** A JSON-RPC 2.0 error response (also A2aEndpoint's). */
    static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode o = Json.object();
        o.put("jsonrpc", "2.0");
        o.set("id", id == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : id);
        ObjectNode e = o.putObject("error");
        e.put("code", code);
        e.put("message", message);
        return o;
    }
}
