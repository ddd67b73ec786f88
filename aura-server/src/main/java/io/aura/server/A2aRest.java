package io.aura.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.Map;

/**
 * A2A 1.0's HTTP+JSON binding (specification section 11) at {@code /a2a/rest}: each route is turned
 * into its JSON-RPC method and params and run by {@link A2aEndpoint#handleV1} in REST form: the
 * answer's body is the result itself ({@code application/a2a+json}), an error is a
 * {@code google.rpc.Status} with the HTTP status of section 5.4 and its {@code ErrorInfo}, and a
 * stream's events carry the StreamResponse without the JSON-RPC envelope.
 *
 * <pre>
 * POST /a2a/rest/message:send          SendMessage            GET  /a2a/rest/tasks/{id}       GetTask
 * POST /a2a/rest/message:stream        SendStreamingMessage   GET  /a2a/rest/tasks            ListTasks
 * POST /a2a/rest/tasks/{id}:cancel     CancelTask             POST /a2a/rest/tasks/{id}:subscribe  SubscribeToTask
 * </pre>
 */
final class A2aRest {

    private A2aRest() {
    }

    static final String PATH = "/a2a/rest";
    static final String CONTENT_TYPE = "application/a2a+json";

    /** HTTP status and google.rpc.Code name of each JSON-RPC error code (sections 5.4 and 11.6). */
    private static final Map<Integer, Object[]> STATUS = Map.ofEntries(
            Map.entry(A2aEndpoint.TASK_NOT_FOUND, new Object[] {404, "NOT_FOUND"}),
            Map.entry(A2aEndpoint.TASK_NOT_CANCELABLE, new Object[] {400, "FAILED_PRECONDITION"}),
            Map.entry(A2aEndpoint.PUSH_NOT_SUPPORTED, new Object[] {400, "FAILED_PRECONDITION"}),
            Map.entry(A2aEndpoint.UNSUPPORTED_OPERATION, new Object[] {400, "FAILED_PRECONDITION"}),
            Map.entry(A2aEndpoint.CONTENT_TYPE_NOT_SUPPORTED, new Object[] {400, "INVALID_ARGUMENT"}),
            Map.entry(A2aEndpoint.EXTENDED_CARD_NOT_CONFIGURED, new Object[] {400, "FAILED_PRECONDITION"}),
            Map.entry(A2aV1.VERSION_NOT_SUPPORTED, new Object[] {400, "FAILED_PRECONDITION"}),
            Map.entry(-32700, new Object[] {400, "INVALID_ARGUMENT"}),
            Map.entry(-32600, new Object[] {400, "INVALID_ARGUMENT"}),
            Map.entry(-32602, new Object[] {400, "INVALID_ARGUMENT"}),
            Map.entry(-32601, new Object[] {404, "NOT_FOUND"}));

    /** A JSON-RPC error message as the binding's {@code {"error": google.rpc.Status}}; null for a result. */
    static ObjectNode error(ObjectNode rpc) {
        JsonNode e = rpc.get("error");
        if (e == null) {
            return null;
        }
        Object[] st = STATUS.getOrDefault(e.path("code").asInt(), new Object[] {500, "INTERNAL"});
        ObjectNode out = Json.object();
        ObjectNode s = out.putObject("error");
        s.put("code", (Integer) st[0]);
        s.put("status", (String) st[1]);
        s.put("message", e.path("message").asText());
        s.set("details", e.path("data").isArray() ? e.get("data") : Json.MAPPER.createArrayNode());
        return out;
    }

    /** The routes, each to its 1.0 method. */
    static void routes(io.javalin.config.JavalinConfig cfg, A2aEndpoint a2a, java.util.function.Function<Context, Tokens.Principal> operator,
                       java.util.function.Function<Context, byte[]> body) {
        cfg.routes.post(PATH + "/message:send", ctx -> call(ctx, a2a, operator, "SendMessage", body(ctx, body)));
        cfg.routes.post(PATH + "/message:stream", ctx -> call(ctx, a2a, operator, "SendStreamingMessage", body(ctx, body)));
        cfg.routes.get(PATH + "/tasks", ctx -> {
            ObjectNode q = query(ctx);
            if (q.has("includeArtifacts")) { // a boolean as a query parameter is "true" or "false" (section 11.5)
                String v = q.path("includeArtifacts").asText();
                if (v.equals("true") || v.equals("false")) {
                    q.put("includeArtifacts", Boolean.parseBoolean(v));
                }
            }
            call(ctx, a2a, operator, "ListTasks", q);
        });
        cfg.routes.get(PATH + "/tasks/{id}", ctx -> {
            ObjectNode q = query(ctx);
            q.put("id", ctx.pathParam("id"));
            call(ctx, a2a, operator, "GetTask", q);
        });
        cfg.routes.post(PATH + "/tasks/{action}", ctx -> { // {id}:cancel or {id}:subscribe
            String a = ctx.pathParam("action");
            int colon = a.lastIndexOf(':');
            String verb = colon < 0 ? "" : a.substring(colon + 1);
            String method = verb.equals("cancel") ? "CancelTask" : verb.equals("subscribe") ? "SubscribeToTask" : null;
            if (method == null) {
                notFound(ctx, "POST " + PATH + "/tasks/{id}:cancel or :subscribe; got " + Json.clip(a, 80));
                return;
            }
            JsonNode b = body(ctx, body);
            ObjectNode params = b instanceof ObjectNode o ? o : Json.object();
            params.put("id", a.substring(0, colon));
            call(ctx, a2a, operator, method, params);
        });
        cfg.routes.get(PATH + "/extendedAgentCard", ctx -> call(ctx, a2a, operator, "GetExtendedAgentCard", Json.object()));
        for (String push : new String[] {PATH + "/tasks/{id}/pushNotificationConfigs", PATH + "/tasks/{id}/pushNotificationConfigs/{configId}"}) {
            cfg.routes.get(push, ctx -> call(ctx, a2a, operator, "GetTaskPushNotificationConfig", Json.object()));
            cfg.routes.post(push, ctx -> call(ctx, a2a, operator, "CreateTaskPushNotificationConfig", Json.object()));
            cfg.routes.delete(push, ctx -> call(ctx, a2a, operator, "DeleteTaskPushNotificationConfig", Json.object()));
        }
    }

    private static final JsonNode NO_ID = com.fasterxml.jackson.databind.node.IntNode.valueOf(0);

    private static void call(Context ctx, A2aEndpoint a2a, java.util.function.Function<Context, Tokens.Principal> operator,
                             String method, JsonNode params) {
        Tokens.Principal p = operator.apply(ctx);
        if (params == null) { // the body was not JSON: answered already
            return;
        }
        String asked = A2aV1.asked(ctx);
        // this binding is 1.0's (0.3's REST routes differ): no header means 1.0 here, as a route names its version
        if (asked != null && !asked.isBlank() && !A2aV1.VERSION.equals(A2aV1.version(asked, method))) {
            ObjectNode e = error(A2aV1.answer(A2aEndpoint.error(NO_ID, A2aV1.VERSION_NOT_SUPPORTED, "Version not supported: A2A-Version "
                    + Json.clip(asked, 40) + "; " + PATH + " is A2A 1.0's HTTP+JSON binding (0.3 is served over JSON-RPC at /a2a)"), r -> null));
            ctx.status(400).contentType(CONTENT_TYPE).result(Json.write(e));
            return;
        }
        a2a.handleV1(ctx, p, NO_ID, method, params, true);
    }

    /** The request's JSON body (an empty body is {}), or null after answering 400 when it is not a JSON object. */
    private static JsonNode body(Context ctx, java.util.function.Function<Context, byte[]> body) {
        byte[] b = body.apply(ctx);
        if (b.length == 0) {
            return Json.object();
        }
        try {
            return Json.parseObject(b);
        } catch (ApiException e) {
            ObjectNode err = error(A2aEndpoint.error(NO_ID, -32700, "the body must be a JSON object: " + e.getMessage()));
            ctx.status(400).contentType(CONTENT_TYPE).result(Json.write(err));
            return null;
        }
    }

    /** The query parameters as params (each one's first value; numbers and enums are read by A2aV1.protoJson). */
    private static ObjectNode query(Context ctx) {
        ObjectNode q = Json.object();
        ctx.queryParamMap().forEach((k, v) -> {
            if (!v.isEmpty() && !k.equals("A2A-Version")) {
                q.put(k, v.get(0));
            }
        });
        return q;
    }

    private static void notFound(Context ctx, String what) {
        ctx.status(404).contentType(CONTENT_TYPE).result(Json.write(error(A2aEndpoint.error(NO_ID, -32601, "no such route: " + what))));
    }
}
