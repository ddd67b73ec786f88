package io.aura.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * AURA as an Agent2Agent (A2A) protocol v0.3 agent: its agent card at
 * {@code GET /.well-known/agent-card.json} (no token) and JSON-RPC 2.0 at {@code POST /a2a}
 * ({@code message/send}, {@code message/stream} as server-sent events, {@code tasks/get},
 * {@code tasks/cancel}, {@code tasks/resubscribe}). The skills are the MCP tools (predict_cascade,
 * analyze_topology, intervene, ...), each needing its endpoint's scope. A2A 1.0 requests (the
 * {@code A2A-Version} header) are translated by {@link A2aV1} to this work and back, with 1.0's
 * ListTasks here; the kept tasks are the same for both versions.
 *
 * <p>A message names its skill in a data part, {@code {"kind":"data","data":{"skill":"predict_cascade",
 * "arguments":{...}}}}, or with a text part that is only the skill's name (for skills without
 * arguments). A task ends {@code completed} with one artifact (the result as a data part),
 * {@code failed} when the arguments are wrong (the status message says which field and why),
 * {@code rejected} when the token lacks the scope, or {@code canceled}. By default message/send
 * answers the task in its final state; with {@code configuration.blocking: false} it answers at once
 * with the task {@code working} (the skill runs in the background, at most {@value #BACKGROUND_TASKS}
 * at a time, beyond which the send blocks as usual), for tasks/get, tasks/resubscribe (which waits for
 * the end) and tasks/cancel (on any replica: the one that runs it is asked). Tasks are kept (the latest {@value #KEPT_TASKS}; in a cluster in a Hazelcast map every replica
 * reads) for {@code tasks/get} by the caller who made them; other callers see none. Malformed requests are JSON-RPC errors with A2A's codes.
 */
final class A2aEndpoint {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(A2aEndpoint.class);
    static final String PROTOCOL_VERSION = "0.3.0";
    static final int KEPT_TASKS = 1_000;
    /** Most bytes (as JSON) of one kept task: a bigger one is kept with its parts replaced by a note. */
    static final int KEPT_TASK_BYTES = 64 * 1024;
    /** Most bytes (as JSON) of all kept tasks together: the oldest go first. */
    static final long KEPT_BYTES = 16L << 20;

    // A2A error codes (specification section 8.2), beside JSON-RPC's own
    static final int TASK_NOT_FOUND = -32001;
    static final int TASK_NOT_CANCELABLE = -32002;
    static final int PUSH_NOT_SUPPORTED = -32003;
    static final int UNSUPPORTED_OPERATION = -32004;
    static final int CONTENT_TYPE_NOT_SUPPORTED = -32005;
    static final int EXTENDED_CARD_NOT_CONFIGURED = -32007;

    /** Most skills running in the background at once (non-blocking sends); more run within their request. */
    static final int BACKGROUND_TASKS = 32;

    /** A kept task, its caller's subject and its size as JSON. */
    record Kept(String owner, ObjectNode task, long bytes) {
    }

    /** Where tasks are kept for tasks/get: this server's memory, or in a cluster a map every replica reads. */
    interface TaskStore {
        /** Keeps a task; {@code json} is the task written (once, by the caller). */
        void put(String taskId, String owner, ObjectNode task, String json);

        /** The kept task, or null. */
        Kept get(String taskId);

        /** Every kept task of {@code owner} (ListTasks), in no particular order. */
        List<Kept> list(String owner);

        /**
         * Asks every replica of a cluster to cancel the task if it runs there; false when there is no
         * other replica to ask (this server's memory) or the request could not be sent.
         */
        default boolean askToCancel(String taskId) {
            return false;
        }

        /** Calls {@code handler} with the id of each task another replica asks to cancel (a cluster only). */
        default void onCancelAsked(java.util.function.Consumer<String> handler) {
        }
    }

    /** Most tasks kept for one caller: one caller's flood evicts its own oldest tasks, not everyone's. */
    static final int KEPT_TASKS_PER_CALLER = KEPT_TASKS / 4;

    /**
     * This server's memory: the latest {@value #KEPT_TASKS} tasks within {@value #KEPT_BYTES} bytes, the
     * oldest going first, at most {@link #KEPT_TASKS_PER_CALLER} of one caller's (its oldest go first).
     */
    static final class LocalTasks implements TaskStore {
        private final LinkedHashMap<String, Kept> tasks = new LinkedHashMap<>();
        private final Map<String, Integer> perOwner = new java.util.HashMap<>();
        private long bytes;

        @Override
        public synchronized void put(String taskId, String owner, ObjectNode task, String json) {
            Kept kept = new Kept(owner, task, json.length());
            Kept old = tasks.put(taskId, kept);
            if (old != null) { // a task kept again (its end): it keeps its place
                bytes -= old.bytes();
                perOwner.merge(old.owner(), -1, (x, y) -> x + y == 0 ? null : x + y);
            }
            bytes += kept.bytes();
            int mine = perOwner.merge(owner, 1, Integer::sum);
            if (mine > KEPT_TASKS_PER_CALLER) {
                for (var it = tasks.entrySet().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    if (e.getValue().owner().equals(owner) && !e.getKey().equals(taskId)) {
                        drop(e.getValue());
                        it.remove();
                        break;
                    }
                }
            }
            var it = tasks.entrySet().iterator();
            while ((tasks.size() > KEPT_TASKS || bytes > KEPT_BYTES) && it.hasNext()) {
                drop(it.next().getValue());
                it.remove();
            }
        }

        private void drop(Kept k) {
            bytes -= k.bytes();
            perOwner.merge(k.owner(), -1, (a, b) -> a + b == 0 ? null : a + b);
        }

        @Override
        public synchronized Kept get(String taskId) {
            return tasks.get(taskId);
        }

        @Override
        public synchronized List<Kept> list(String owner) {
            List<Kept> mine = new ArrayList<>();
            for (Kept k : tasks.values()) {
                if (k.owner().equals(owner)) {
                    mine.add(k);
                }
            }
            return mine;
        }
    }

    /**
     * A task running in the background on this server. Its end is decided once, under its lock: by
     * the skill finishing, by tasks/cancel, or by the server shutting down.
     */
    private final class Running {
        final String owner;
        final ObjectNode task;
        final java.util.concurrent.CompletableFuture<ObjectNode> ended = new java.util.concurrent.CompletableFuture<>();
        Future<?> future;

        Running(String owner, ObjectNode task) {
            this.owner = owner;
            this.task = task;
        }

        /** Ends the task with {@code status} (and {@code artifact}, if any) unless it has ended; the ended task, or null. */
        synchronized ObjectNode end(ObjectNode status, ObjectNode artifact) {
            if (ended.isDone()) {
                return null;
            }
            ObjectNode t = task.deepCopy();
            if (artifact != null) {
                t.putArray("artifacts").add(artifact);
            }
            t.set("status", status);
            keep(t.path("id").asText(), owner, t);
            running.remove(t.path("id").asText());
            background.release();
            ended.complete(t);
            return t;
        }

        /** Ends the task with {@code status} unless it has ended, and interrupts its skill; the ended task, or null. */
        synchronized ObjectNode stop(ObjectNode status) {
            ObjectNode t = end(status, null);
            if (t != null && future != null) {
                future.cancel(true);
            }
            return t;
        }
    }

    private final Map<String, McpEndpoint.Tool> skills = new LinkedHashMap<>();
    private final String version;
    private final Clock clock;
    private final TaskStore tasks;
    private final java.time.Duration waitLimit;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Semaphore background = new Semaphore(BACKGROUND_TASKS);
    private final ExecutorService runner = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("aura-a2a-task-", 0).factory());

    /**
     * @param waitLimit the longest tasks/resubscribe waits for a running task's end (the request timeout)
     */
    A2aEndpoint(List<McpEndpoint.Tool> tools, String version, Clock clock, TaskStore tasks, java.time.Duration waitLimit) {
        this.tasks = tasks;
        this.waitLimit = waitLimit;
        for (McpEndpoint.Tool t : tools) {
            skills.put(t.name(), t);
        }
        this.version = version;
        this.clock = clock;
        // off the cluster's event thread: ending a task writes it to the replicated map
        tasks.onCancelAsked(taskId -> {
            try {
                runner.execute(() -> cancelAsked(taskId));
            } catch (java.util.concurrent.RejectedExecutionException e) { // shutting down: its tasks end failed anyway
                LOG.debug("A2A task {}: cancel asked while shutting down", taskId);
            }
        });
    }

    /** How long tasks/cancel waits for the replica that runs the task to confirm its end. */
    static final java.time.Duration CANCEL_WAIT = java.time.Duration.ofSeconds(5);

    /** Another replica's tasks/cancel, for a task that may run here (its caller's token was checked there). */
    private void cancelAsked(String taskId) {
        Running r = running.get(taskId);
        if (r != null && r.stop(status("canceled", null)) != null) {
            LOG.info("A2A task {} canceled at another replica's request", taskId);
        }
    }

    /** The agent card's extension that carries each skill's argument schema. */
    static final String SKILL_ARGUMENTS_EXTENSION = "urn:aura:a2a:skill-arguments:v1";

    /** The agent card, with {@code baseUrl} (scheme, host and port the caller used) as the agent's address. */
    ObjectNode card(String baseUrl) {
        ObjectNode c = Json.object();
        c.put("protocolVersion", PROTOCOL_VERSION);
        c.put("name", "AURA");
        c.put("description", "Predicts cascading failures in a multi-agent system from the shape of its dependency graph and agent"
                + " state (persistent homology beside classical cascade models), names the critical agents, and stops cascades with"
                + " circuit breakers, isolation, rate limits and load shedding, enforced on its agent bus.");
        c.put("url", baseUrl + "/a2a");
        c.put("preferredTransport", "JSONRPC");
        c.put("version", version);
        c.put("documentationUrl", baseUrl + "/openapi.json");
        ObjectNode caps = c.putObject("capabilities");
        caps.put("streaming", true);
        caps.put("pushNotifications", false);
        caps.put("stateTransitionHistory", false);
        // the skills' argument schemas: an AgentSkill has no field for one in A2A v0.3, so they travel in
        // a declared (optional) extension instead of an extra skill field a strict validator would refuse
        ObjectNode ext = caps.putArray("extensions").addObject();
        ext.put("uri", SKILL_ARGUMENTS_EXTENSION);
        ext.put("description", "The JSON Schema of each skill's arguments (the MCP tool's inputSchema), by skill id");
        ext.put("required", false);
        ObjectNode schemas = ext.putObject("params").putObject("schemas");
        ObjectNode bearer = c.putObject("securitySchemes").putObject("bearer");
        bearer.put("type", "http");
        bearer.put("scheme", "bearer");
        bearer.put("bearerFormat", "JWT");
        bearer.put("description", "An operator token with the skill's scope (aura token --subject NAME --scopes LIST)");
        c.putArray("security").addObject().putArray("bearer");
        c.putArray("defaultInputModes").add("application/json").add("text/plain");
        c.putArray("defaultOutputModes").add("application/json");
        ArrayNode s = c.putArray("skills");
        for (McpEndpoint.Tool t : skills.values()) {
            ObjectNode o = s.addObject();
            o.put("id", t.name());
            o.put("name", t.title());
            o.put("description", t.description() + " Needs scope '" + t.scope() + "'. Send a data part {\"skill\": \"" + t.name()
                    + "\", \"arguments\": {...}} with arguments as in the schema of extension " + SKILL_ARGUMENTS_EXTENSION + ".");
            o.putArray("tags").add(t.readOnly() ? "read-only" : "changes-state").add("scope:" + t.scope());
            o.putArray("inputModes").add("application/json");
            o.putArray("outputModes").add("application/json");
            schemas.set(t.name(), t.inputSchema());
        }
        c.put("supportsAuthenticatedExtendedCard", false);
        return c;
    }

    /** Answers one POSTed JSON-RPC request. */
    void handle(Context ctx, Tokens.Principal p, byte[] body) {
        ObjectNode m;
        try {
            m = Json.parseObject(body);
        } catch (ApiException e) {
            boolean parse = "invalid_json".equals(e.error());
            json(ctx, error(null, parse ? -32700 : -32600, (parse ? "Parse error: " : "Invalid Request: ") + e.getMessage()));
            return;
        }
        JsonNode id = m.get("id");
        JsonNode method = m.get("method");
        if (!"2.0".equals(m.path("jsonrpc").asText(null)) || method == null || !method.isTextual()
                || (id != null && !(id.isTextual() || id.isIntegralNumber()))) {
            json(ctx, error(id, -32600, "Invalid Request: a JSON-RPC 2.0 request needs \"jsonrpc\": \"2.0\", a string method"
                    + " and a string or integer id"));
            return;
        }
        if (id == null) {
            json(ctx, error(null, -32600, "Invalid Request: A2A methods are requests and need an id"));
            return;
        }
        JsonNode params = m.path("params");
        String asked = A2aV1.asked(ctx);
        String version = A2aV1.version(asked, method.asText());
        if (version == null) {
            json(ctx, A2aV1.answer(error(id, A2aV1.VERSION_NOT_SUPPORTED, "Version not supported: A2A-Version " + Json.clip(asked, 40)
                    + "; this agent speaks 1.0 and 0.3 (0.3 when the header is absent)"), r -> null));
            return;
        }
        if (version.equals(A2aV1.VERSION)) {
            handleV1(ctx, p, id, method.asText(), params);
            return;
        }
        switch (method.asText()) {
            case "message/send" -> json(ctx, send(id, params, p, null));
            case "message/stream" -> {
                SseEvents events = new SseEvents(ctx, e -> e, false);
                send(id, params, p, events);
                events.finish();
            }
            case "tasks/get" -> json(ctx, get(id, params, p));
            case "tasks/cancel" -> json(ctx, cancel(id, params, p, st -> st));
            case "tasks/resubscribe" -> {
                ObjectNode found = get(id, params, p);
                if (found.has("error")) {
                    SseEvents refused = new SseEvents(ctx, e -> e, false);
                    refused.add(found);
                    refused.finish();
                } else { // an ended task: its last state, once; a running one: its artifact and end, once it ends
                    ObjectNode seen = (ObjectNode) found.path("result");
                    boolean runs = "working".equals(seen.at("/status/state").asText());
                    SseEvents events = new SseEvents(ctx, e -> e, false);
                    if (runs) { // the stream opens now, so that the caller knows it is subscribed while the task runs
                        events.open();
                    }
                    ObjectNode t = runs ? awaitEnd(seen) : seen;
                    for (JsonNode a : runs ? t.path("artifacts") : Json.MAPPER.missingNode()) {
                        events.add(result(id, artifactUpdate(t, (ObjectNode) a)));
                    }
                    events.add(result(id, statusUpdate(t)));
                    events.finish();
                }
            }
            case "tasks/pushNotificationConfig/set", "tasks/pushNotificationConfig/get", "tasks/pushNotificationConfig/list",
                 "tasks/pushNotificationConfig/delete" -> json(ctx, error(id, PUSH_NOT_SUPPORTED,
                    "Push Notification is not supported: follow a task with tasks/get or tasks/resubscribe"));
            case "agent/getAuthenticatedExtendedCard" -> json(ctx, error(id, EXTENDED_CARD_NOT_CONFIGURED,
                    "Authenticated Extended Card is not configured: the public card at /.well-known/agent-card.json is the whole card"));
            default -> json(ctx, error(id, -32601, "Method not found: " + Json.clip(method.asText(), 60)
                    + (A2aV1.METHODS.contains(method.asText()) ? " is an A2A 1.0 method and the request asked for 0.3 (A2A-Version: "
                    + Json.clip(asked, 40) + "); send A2A-Version: 1.0" : " (in A2A 0.3 this agent speaks message/send,"
                    + " message/stream, tasks/get, tasks/cancel, tasks/resubscribe; in 1.0, with A2A-Version: 1.0, SendMessage,"
                    + " SendStreamingMessage, GetTask, ListTasks, CancelTask, SubscribeToTask)")));
        }
    }

    /** One A2A 1.0 request: translated to the v0.3 work above, its answer translated back. */
    private void handleV1(Context ctx, Tokens.Principal p, JsonNode id, String method, JsonNode raw) {
        handleV1(ctx, p, id, method, raw, false);
    }

    /** With {@code rest}, answers in the HTTP+JSON binding's form (see {@link A2aRest}) instead of JSON-RPC's. */
    void handleV1(Context ctx, Tokens.Principal p, JsonNode id, String method, JsonNode raw, boolean rest) {
        JsonNode params = A2aV1.protoJson(raw);
        try {
            switch (method) {
                case "SendMessage" -> { // always a task: every skill runs as one
                    JsonNode keep = params.at("/configuration/historyLength");
                    ObjectNode legacy = A2aV1.sendParams(params);
                    ObjectNode refused = continuing(id, legacy, p);
                    reply(ctx, rest, A2aV1.answer(refused != null ? refused : send(id, legacy, p, null), r -> (ObjectNode) Json.object()
                            .set("task", A2aV1.trimHistory(A2aV1.task(r), keep))));
                }
                case "SendStreamingMessage" -> {
                    ObjectNode legacy = A2aV1.sendParams(params);
                    ObjectNode refused = continuing(id, legacy, p);
                    if (refused != null) {
                        reply(ctx, rest, A2aV1.answer(refused, r -> null));
                        return;
                    }
                    // refused before a task began: a JSON answer; otherwise each event as it comes
                    SseEvents events = new SseEvents(ctx, e -> A2aV1.answer(e, A2aV1::streamResponse), true, rest);
                    send(id, legacy, p, events);
                    events.finish();
                }
                case "GetTask" -> {
                    A2aV1.taskParams(params, true);
                    reply(ctx, rest, A2aV1.answer(get(id, params, p), A2aV1::task));
                }
                case "CancelTask" -> {
                    A2aV1.taskParams(params, false);
                    reply(ctx, rest, A2aV1.answer(cancel(id, params, p, A2aV1::state), A2aV1::task));
                }
                case "SubscribeToTask" -> {
                    A2aV1.taskParams(params, false);
                    ObjectNode found = get(id, Json.object().put("id", params.path("id").asText()), p);
                    if (found.has("error")) {
                        reply(ctx, rest, A2aV1.answer(found, r -> null));
                        return;
                    }
                    ObjectNode seen = (ObjectNode) found.path("result");
                    if (!"working".equals(seen.at("/status/state").asText())) {
                        reply(ctx, rest, A2aV1.answer(error(id, UNSUPPORTED_OPERATION, "Unsupported operation: task " + seen.path("id").asText()
                                + " is " + A2aV1.state(seen.at("/status/state").asText()) + ", a terminal state; GetTask shows it"), r -> null));
                        return;
                    }
                    // the task as it is now, at once; then its artifact and its end, once it ends
                    SseEvents events = new SseEvents(ctx, e -> e, false, rest);
                    events.add(result(id, Json.object().set("task", A2aV1.task(seen))));
                    ObjectNode t = awaitEnd(seen);
                    for (JsonNode a : t.path("artifacts")) {
                        events.add(result(id, A2aV1.streamResponse(artifactUpdate(t, (ObjectNode) a))));
                    }
                    events.add(result(id, A2aV1.streamResponse(statusUpdate(t))));
                    events.finish();
                }
                case "ListTasks" -> reply(ctx, rest, A2aV1.answer(list(id, params, p), r -> (ObjectNode) r));
                case "CreateTaskPushNotificationConfig", "GetTaskPushNotificationConfig", "ListTaskPushNotificationConfigs",
                     "DeleteTaskPushNotificationConfig" -> reply(ctx, rest, A2aV1.answer(error(id, PUSH_NOT_SUPPORTED,
                        "Push notifications are not supported: follow a task with GetTask or SubscribeToTask"), r -> null));
                // the 1.0 card says capabilities.extendedAgentCard false, for which section 3.3.4 asks UnsupportedOperationError
                // (ExtendedAgentCardNotConfigured is for an agent that declares the capability and has no card configured)
                case "GetExtendedAgentCard" -> reply(ctx, rest, A2aV1.answer(error(id, UNSUPPORTED_OPERATION, "Unsupported operation:"
                        + " this agent has no extended agent card (capabilities.extendedAgentCard is false); the public card at"
                        + " /.well-known/agent-card.json is the whole card"), r -> null));
                default -> reply(ctx, rest, error(id, -32601, "Method not found: " + Json.clip(method, 60) + (A2aV1.LEGACY_NAMES.containsKey(method)
                        ? " is an A2A 0.3 method and the request asked for 1.0; its 1.0 name is " + A2aV1.LEGACY_NAMES.get(method)
                        + " (or send without A2A-Version for 0.3)" : " (in A2A 1.0 this agent speaks SendMessage, SendStreamingMessage,"
                        + " GetTask, ListTasks, CancelTask, SubscribeToTask)")));
            }
        } catch (A2aV1.Invalid e) {
            reply(ctx, rest, error(id, -32602, "Invalid params: " + e.getMessage()));
        }
    }

    /**
     * The 1.0 refusal of a message that names an existing task ({@code message.taskId}), or null when it
     * names none: the caller's task not found is TaskNotFound; one found takes no more messages (each
     * skill runs as one task), which 1.0 answers UnsupportedOperationError (sections 3.1.1 and 3.1.2
     * for a task in a terminal state), not 0.3's -32602.
     */
    private ObjectNode continuing(JsonNode id, ObjectNode legacy, Tokens.Principal p) {
        JsonNode taskId = legacy.at("/message/taskId");
        if (!taskId.isTextual()) {
            return null;
        }
        ObjectNode found = get(id, Json.object().put("id", taskId.asText()), p);
        if (found.has("error")) {
            return found;
        }
        String state = A2aV1.state(found.at("/result/status/state").asText());
        return error(id, UNSUPPORTED_OPERATION, "Unsupported operation: task " + taskId.asText() + " is " + state
                + (state.equals("TASK_STATE_WORKING") ? "" : ", a terminal state,") + " and takes no more messages (each skill runs as"
                + " one task); send without taskId for a new task");
    }

    /** Most tasks on one ListTasks page, and the page size when none is asked (the specification's). */
    static final int LIST_MAX = 100;
    static final int LIST_DEFAULT = 50;

    /**
     * ListTasks (1.0): the caller's kept tasks, newest status first (ties by id), filtered by context,
     * state and status time, a page at a time. The page token is the last task's place in that order
     * (status time and id), so pages stay consistent while tasks are added.
     */
    private ObjectNode list(JsonNode id, JsonNode params, Tokens.Principal p) throws A2aV1.Invalid {
        JsonNode q = params.isMissingNode() || params.isNull() ? Json.object() : params;
        if (!q.isObject()) {
            throw new A2aV1.Invalid("params must be a ListTasksRequest object");
        }
        String context = text(q, "contextId");
        String state = null;
        String st = text(q, "status");
        if (st != null && !st.equals("TASK_STATE_UNSPECIFIED")) {
            state = A2aV1.legacyState(st);
            if (state == null) {
                throw new A2aV1.Invalid("params.status must be a task state such as TASK_STATE_WORKING or TASK_STATE_COMPLETED, got "
                        + Json.clip(st, 40));
            }
        }
        int size = LIST_DEFAULT;
        JsonNode ps = q.path("pageSize");
        if (!ps.isMissingNode() && !ps.isNull()) {
            if (!ps.isIntegralNumber() || !ps.canConvertToInt() || ps.asInt() < 1 || ps.asInt() > LIST_MAX) { // 2^64 + 5 must not read as 5
                throw new A2aV1.Invalid("params.pageSize must be an integer from 1 to " + LIST_MAX);
            }
            size = ps.asInt();
        }
        JsonNode hl = q.path("historyLength");
        if (!A2aV1.countOrAbsent(hl)) {
            throw new A2aV1.Invalid("params.historyLength must be an integer >= 0");
        }
        JsonNode ia = q.path("includeArtifacts");
        if (!ia.isMissingNode() && !ia.isNull() && !ia.isBoolean()) {
            throw new A2aV1.Invalid("params.includeArtifacts must be a boolean");
        }
        java.time.Instant after = instant(text(q, "statusTimestampAfter"), "params.statusTimestampAfter");
        String[] from = null;
        String token = text(q, "pageToken");
        if (token != null) {
            try {
                from = new String(java.util.Base64.getUrlDecoder().decode(token), java.nio.charset.StandardCharsets.UTF_8).split("\n", -1);
                java.time.Instant.parse(from[0]);
            } catch (IllegalArgumentException | java.time.DateTimeException | ArrayIndexOutOfBoundsException e) {
                from = null;
            }
            if (from == null || from.length != 2) {
                throw new A2aV1.Invalid("params.pageToken is not a nextPageToken of this agent's ListTasks");
            }
        }
        List<ObjectNode> found = new ArrayList<>();
        for (Kept k : tasks.list(p.subject())) {
            ObjectNode t = k.task();
            if ((context == null || context.equals(t.path("contextId").asText()))
                    && (state == null || state.equals(t.at("/status/state").asText()))
                    && (after == null || !statusTime(t).isBefore(after))) {
                found.add(t);
            }
        }
        java.util.Comparator<ObjectNode> newestFirst = java.util.Comparator.comparing(A2aEndpoint::statusTime)
                .thenComparing(t -> t.path("id").asText()).reversed();
        found.sort(newestFirst);
        int start = 0;
        if (from != null) {
            ObjectNode mark = Json.object().put("id", from[1]);
            mark.putObject("status").put("timestamp", from[0]);
            while (start < found.size() && newestFirst.compare(found.get(start), mark) <= 0) {
                start++;
            }
        }
        int end = Math.min(found.size(), start + size);
        ObjectNode page = Json.object();
        ArrayNode out = page.putArray("tasks");
        for (ObjectNode t : found.subList(start, end)) {
            ObjectNode v1 = A2aV1.task(t);
            if (!ia.asBoolean(false)) {
                v1.remove("artifacts");
            } else if (!v1.has("artifacts")) {
                v1.putArray("artifacts");
            }
            out.add(A2aV1.trimHistory(v1, hl));
        }
        ObjectNode last = end > start && end < found.size() ? found.get(end - 1) : null;
        page.put("nextPageToken", last == null ? "" : java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                (statusTime(last) + "\n" + last.path("id").asText()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        page.put("pageSize", size);
        page.put("totalSize", found.size());
        return result(id, page);
    }

    /** A string field, null when absent, null or "" (ProtoJSON's unset string). */
    private static String text(JsonNode q, String field) throws A2aV1.Invalid {
        JsonNode v = q.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new A2aV1.Invalid("params." + field + " must be a string");
        }
        return v.asText().isEmpty() ? null : v.asText();
    }

    private static java.time.Instant instant(String s, String field) throws A2aV1.Invalid {
        try {
            return s == null ? null : java.time.Instant.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            throw new A2aV1.Invalid(field + " must be an ISO-8601 UTC time such as 2026-11-29T10:00:00Z, got " + Json.clip(s, 40));
        }
    }

    private static java.time.Instant statusTime(ObjectNode t) {
        try {
            return java.time.Instant.parse(t.at("/status/timestamp").asText());
        } catch (java.time.format.DateTimeParseException e) {
            return java.time.Instant.EPOCH;
        }
    }

    /**
     * Runs the message's skill. With {@code events} (message/stream) the task's events are added to
     * it and the returned value is the last; otherwise the answer is the final task.
     */
    private ObjectNode send(JsonNode id, JsonNode params, Tokens.Principal p, List<ObjectNode> events) {
        JsonNode msg = params.path("message");
        if (!msg.isObject()) {
            return emit(events, error(id, -32602, "Invalid params: params.message must be a Message object"));
        }
        String problem = invalidMessage(msg);
        if (problem != null) {
            return emit(events, error(id, -32602, "Invalid params: " + problem));
        }
        if (msg.hasNonNull("taskId")) {
            ObjectNode found = get(id, Json.object().put("id", msg.path("taskId").asText()), p);
            return emit(events, found.has("error") ? found : error(id, -32602, "Invalid params: task " + msg.path("taskId").asText()
                    + " is " + found.at("/result/status/state").asText() + " and takes no more messages; send without taskId for a new task"));
        }
        JsonNode args = null;
        McpEndpoint.Tool skill = null;
        for (JsonNode part : msg.path("parts")) {
            String kind = part.path("kind").asText();
            if (kind.equals("file")) {
                return emit(events, error(id, CONTENT_TYPE_NOT_SUPPORTED, "Incompatible content types: file parts are not read;"
                        + " send a data part {\"skill\": ..., \"arguments\": {...}}"));
            }
            if (kind.equals("data") && part.path("data").has("skill")) {
                JsonNode s = part.path("data").path("skill");
                skill = s.isTextual() ? skills.get(s.asText()) : null;
                if (skill == null) {
                    return emit(events, error(id, -32602, "Invalid params: unknown skill " + s + "; the skills are "
                            + String.join(", ", skills.keySet())));
                }
                args = part.path("data").get("arguments");
                break;
            }
            if (kind.equals("text") && skills.containsKey(part.path("text").asText().strip())) {
                skill = skills.get(part.path("text").asText().strip());
                break;
            }
        }
        if (skill == null) {
            return emit(events, error(id, -32602, "Invalid params: the message names no skill; send a data part"
                    + " {\"kind\": \"data\", \"data\": {\"skill\": NAME, \"arguments\": {...}}} (or a text part that is only a skill's name),"
                    + " NAME one of " + String.join(", ", skills.keySet())));
        }
        if (args != null && !args.isNull() && !args.isObject()) {
            return emit(events, error(id, -32602, "Invalid params: the data part's arguments must be an object"));
        }
        ObjectNode arguments = args instanceof ObjectNode o ? o : Json.object();

        String taskId = UUID.randomUUID().toString();
        String contextId = msg.hasNonNull("contextId") ? msg.path("contextId").asText() : UUID.randomUUID().toString();
        ObjectNode task = Json.object();
        task.put("id", taskId);
        task.put("contextId", contextId);
        ObjectNode user = msg.deepCopy();
        user.put("kind", "message"); // optional on input, required in a Message the agent returns
        user.put("taskId", taskId);
        user.put("contextId", contextId);
        task.putArray("history").add(user);
        task.put("kind", "task");
        if (events != null) {
            ObjectNode working = task.deepCopy();
            working.set("status", status("working", null));
            events.add(result(id, working));
        }
        ObjectNode finalStatus;
        if (!p.has(skill.scope())) {
            finalStatus = status("rejected", agentMessage(task, "insufficient_scope", "skill " + skill.name() + " needs scope '"
                    + skill.scope() + "'; the token has " + (p.scopes().isEmpty() ? "none" : String.join(" ", p.scopes())), null));
        } else if (events == null && params.at("/configuration/blocking").isBoolean() && !params.at("/configuration/blocking").asBoolean()
                && background.tryAcquire()) { // non-blocking: the task working now, its end for tasks/get
            Running r = new Running(p.subject(), task);
            ObjectNode working = task.deepCopy();
            working.set("status", status("working", null));
            keep(taskId, p.subject(), working);
            running.put(taskId, r);
            McpEndpoint.Tool s = skill;
            synchronized (r) {
                try {
                    r.future = runner.submit(() -> {
                        ObjectNode artifact = Json.object();
                        ObjectNode end = run(s, arguments, p, task, artifact);
                        r.end(end, artifact.isEmpty() ? null : artifact);
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) { // the server is closing
                    return result(id, r.end(shutDown(task), null));
                }
            }
            return result(id, working);
        } else {
            ObjectNode artifact = Json.object();
            finalStatus = run(skill, arguments, p, task, artifact);
            if (!artifact.isEmpty()) {
                task.putArray("artifacts").add(artifact);
                if (events != null) {
                    events.add(result(id, artifactUpdate(task, artifact)));
                }
            }
        }
        task.set("status", finalStatus);
        keep(taskId, p.subject(), task);
        if (events != null) {
            return emit(events, result(id, statusUpdate(task)));
        }
        return result(id, task);
    }

    /** Runs the skill: its final status, with its result filled into {@code artifact} when it completed. */
    private ObjectNode run(McpEndpoint.Tool skill, ObjectNode arguments, Tokens.Principal p, ObjectNode task, ObjectNode artifact) {
        try {
            JsonNode out = skill.call().apply(arguments, p);
            artifact.put("artifactId", UUID.randomUUID().toString());
            artifact.put("name", skill.name());
            artifact.putArray("parts").addObject().put("kind", "data").set("data", out);
            return status("completed", null);
        } catch (ApiException e) {
            return status("failed", agentMessage(task, e.error(), e.getMessage(), e.field()));
        } catch (RuntimeException e) { // a background task has no request to turn this into a 500: say so in the task
            LOG.error("A2A skill {} failed", skill.name(), e);
            return status("failed", agentMessage(task, "internal_error", "the skill failed inside the server; see the server's log", null));
        }
    }

    /**
     * tasks/cancel: a task running in the background ends {@code canceled} (its skill is interrupted and
     * its result, if it comes, dropped). One running on another replica of a cluster is canceled there:
     * this replica asks, and waits up to {@link #CANCEL_WAIT} for the task to end. A task that has
     * ended is not cancelable.
     *
     * @param stateWord a 0.3 task state in the words of the request's version (its error messages name the state)
     */
    private ObjectNode cancel(JsonNode id, JsonNode params, Tokens.Principal p, java.util.function.UnaryOperator<String> stateWord) {
        // a task running here is its caller's to cancel even when the kept tasks no longer hold it
        Running r = params.path("id").isTextual() ? running.get(params.path("id").asText()) : null;
        if (r != null && r.owner.equals(p.subject())) {
            ObjectNode t = r.stop(status("canceled", null));
            if (t != null) {
                return result(id, t);
            }
        }
        ObjectNode found = get(id, params, p); // not running here, or it ended meanwhile
        if (found.has("error")) {
            return found;
        }
        String taskId = params.path("id").asText();
        String state = found.at("/result/status/state").asText();
        if ("working".equals(state)) {
            if (!tasks.askToCancel(taskId)) {
                return error(id, TASK_NOT_CANCELABLE, "Task cannot be canceled: task " + taskId
                        + " is working on another replica of the cluster, which could not be asked to cancel it; try again");
            }
            long end = System.nanoTime() + CANCEL_WAIT.toNanos();
            while ("working".equals(state) && System.nanoTime() < end) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                found = get(id, params, p);
                if (found.has("error")) {
                    return found;
                }
                state = found.at("/result/status/state").asText();
            }
            if ("canceled".equals(state)) {
                return found;
            }
            if ("working".equals(state)) {
                return error(id, TASK_NOT_CANCELABLE, "Task cannot be canceled: task " + taskId + " is working on another replica"
                        + " of the cluster, which did not confirm the cancel within " + CANCEL_WAIT.toSeconds() + " s (it may have"
                        + " stopped); tasks/get shows its state");
            }
        }
        return error(id, TASK_NOT_CANCELABLE, "Task cannot be canceled: task " + taskId + " is " + stateWord.apply(state));
    }

    /** The task once it has ended: waits (up to the request timeout) for one running here or, in a cluster, elsewhere. */
    private ObjectNode awaitEnd(ObjectNode task) {
        String taskId = task.path("id").asText();
        long end = System.nanoTime() + waitLimit.toNanos();
        ObjectNode t = task;
        while ("working".equals(t.at("/status/state").asText()) && System.nanoTime() < end) {
            Running r = running.get(taskId);
            try {
                if (r != null) {
                    return r.ended.get(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                Thread.sleep(50);
            } catch (java.util.concurrent.TimeoutException e) {
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            Kept k = tasks.get(taskId);
            if (k == null) {
                break;
            }
            t = k.task();
        }
        return t;
    }

    /** Ends every task still running here as failed (the server shuts down) and stops the runner. */
    void close() {
        for (Running r : List.copyOf(running.values())) {
            r.stop(shutDown(r.task));
        }
        runner.shutdownNow();
    }

    private ObjectNode shutDown(ObjectNode task) {
        return status("failed", agentMessage(task, "shutting_down", "the server shut down before the task ended; send it again", null));
    }

    private static ObjectNode emit(List<ObjectNode> events, ObjectNode message) {
        if (events != null) {
            events.add(message);
        }
        return message;
    }

    /**
     * Keeps a task for tasks/get, within {@value #KEPT_TASKS} tasks and {@value #KEPT_BYTES} bytes (the
     * oldest go first); a task over {@value #KEPT_TASK_BYTES} bytes is kept with the parts of its
     * history and artifacts replaced by a note saying so (the caller had the whole task in its answer).
     */
    private void keep(String taskId, String owner, ObjectNode task) {
        ObjectNode kept = task;
        String json = Json.write(task);
        if (json.length() > KEPT_TASK_BYTES) {
            kept = task.deepCopy();
            String note = "(not kept: this task was " + json.length() + " bytes of JSON; AURA keeps tasks up to " + KEPT_TASK_BYTES
                    + " bytes for tasks/get, and answered the whole task to message/send)";
            for (JsonNode m : kept.path("history")) {
                ((ObjectNode) m).putArray("parts").addObject().put("kind", "text").put("text", note);
            }
            for (JsonNode a : kept.path("artifacts")) {
                ((ObjectNode) a).putArray("parts").addObject().put("kind", "text").put("text", note);
            }
            json = Json.write(kept);
        }
        tasks.put(taskId, owner, kept, json);
    }

    /** Why a Message is malformed (A2A 0.3 section 6.4), or null. */
    private static String invalidMessage(JsonNode msg) {
        if (!msg.path("kind").asText("message").equals("message")) {
            return "message.kind must be \"message\"";
        }
        if (!msg.path("role").asText().equals("user")) {
            return "message.role must be \"user\"";
        }
        if (!msg.path("messageId").isTextual() || msg.path("messageId").asText().isEmpty()) {
            return "message.messageId is required (a string)";
        }
        for (String f : List.of("taskId", "contextId")) {
            if (msg.hasNonNull(f) && !msg.path(f).isTextual()) {
                return "message." + f + " must be a string";
            }
        }
        JsonNode parts = msg.path("parts");
        if (!parts.isArray() || parts.isEmpty()) {
            return "message.parts must be a non-empty array of parts";
        }
        for (int i = 0; i < parts.size(); i++) {
            JsonNode part = parts.get(i);
            String kind = part.path("kind").asText();
            boolean ok = switch (kind) {
                case "text" -> part.path("text").isTextual();
                case "data" -> part.path("data").isObject();
                case "file" -> part.path("file").isObject();
                default -> false;
            };
            if (!ok) {
                return "message.parts[" + i + "] must be {\"kind\": \"text\", \"text\": string}, {\"kind\": \"data\", \"data\": object}"
                        + " or {\"kind\": \"file\", \"file\": object}";
            }
        }
        return null;
    }

    private ObjectNode get(JsonNode id, JsonNode params, Tokens.Principal p) {
        JsonNode taskId = params.path("id");
        if (!taskId.isTextual()) {
            return error(id, -32602, "Invalid params: params.id must be the task's id (a string)");
        }
        JsonNode hl = params.path("historyLength");
        if (!A2aV1.countOrAbsent(hl)) {
            return error(id, -32602, "Invalid params: params.historyLength must be an integer >= 0");
        }
        Kept k = tasks.get(taskId.asText());
        if (k == null || !k.owner().equals(p.subject())) { // another caller's task is not found, not forbidden
            return error(id, TASK_NOT_FOUND, "Task not found: " + taskId.asText() + " (tasks are kept for their caller, the latest "
                    + KEPT_TASKS + " within " + (KEPT_BYTES >> 20) + " MiB per server and " + KEPT_TASKS_PER_CALLER
                    + " of one caller, for an hour in a cluster)");
        }
        return result(id, A2aV1.trimHistory(k.task().deepCopy(), hl)); // 2^32 must not wrap to 0, nor 2^64
    }

    private ObjectNode status(String state, ObjectNode message) {
        ObjectNode s = Json.object();
        s.put("state", state);
        if (message != null) {
            s.set("message", message);
        }
        s.put("timestamp", clock.instant().toString());
        return s;
    }

    /** The task's status as a status-update event; final unless it is still working (a wait that ran out). */
    private static ObjectNode statusUpdate(ObjectNode task) {
        ObjectNode up = Json.object();
        up.put("taskId", task.path("id").asText());
        up.put("contextId", task.path("contextId").asText());
        up.put("kind", "status-update");
        up.set("status", task.path("status"));
        up.put("final", !"working".equals(task.at("/status/state").asText()));
        return up;
    }

    /** The task's (one, whole) artifact as an artifact-update event. */
    private static ObjectNode artifactUpdate(ObjectNode task, ObjectNode artifact) {
        ObjectNode up = Json.object();
        up.put("taskId", task.path("id").asText());
        up.put("contextId", task.path("contextId").asText());
        up.put("kind", "artifact-update");
        up.set("artifact", artifact);
        up.put("append", false);
        up.put("lastChunk", true);
        return up;
    }

    /** The agent's answer explaining a failed or rejected task: a text part and the API's error as a data part. */
    private static ObjectNode agentMessage(ObjectNode task, String error, String message, String field) {
        ObjectNode m = Json.object();
        m.put("kind", "message");
        m.put("role", "agent");
        m.put("messageId", UUID.randomUUID().toString());
        m.put("taskId", task.path("id").asText());
        m.put("contextId", task.path("contextId").asText());
        ArrayNode parts = m.putArray("parts");
        parts.addObject().put("kind", "text").put("text", error + ": " + message + (field == null ? "" : " (field " + field + ")"));
        ObjectNode d = parts.addObject().put("kind", "data").putObject("data");
        d.put("error", error);
        d.put("message", message);
        if (field != null) {
            d.put("field", field);
        }
        return m;
    }

    /** A 1.0 answer: the JSON-RPC message, or with {@code rest} the HTTP+JSON binding's body and status. */
    private static void reply(Context ctx, boolean rest, ObjectNode rpc) {
        if (!rest) {
            json(ctx, rpc);
            return;
        }
        ObjectNode error = A2aRest.error(rpc);
        if (error != null) {
            ctx.status(error.at("/error/code").asInt()).contentType(A2aRest.CONTENT_TYPE).result(Json.write(error));
        } else {
            ctx.status(200).contentType(A2aRest.CONTENT_TYPE).result(Json.write(rpc.path("result")));
        }
    }

    private static void json(Context ctx, ObjectNode message) {
        ctx.status(200).contentType("application/json").result(Json.write(message));
    }

    /**
     * A stream of server-sent events written as they are added, each flushed at once: the caller
     * sees a task {@code working} while its skill runs, not every event at its end. With
     * {@code jsonIfLoneError}, a first event that is an error is held: if nothing follows (the request
     * was refused before a task began) {@link #finish} answers it as plain JSON instead of a stream.
     * A caller that went away stops the writing, not the task.
     */
    private static final class SseEvents extends ArrayList<ObjectNode> {
        private static final long serialVersionUID = 1L;
        private final transient Context ctx;
        private final transient java.util.function.UnaryOperator<ObjectNode> translate;
        private final boolean jsonIfLoneError;
        /** The HTTP+JSON binding's events: the result (or the error) without the JSON-RPC envelope. */
        private final boolean rest;
        private transient java.io.OutputStream out;
        private boolean gone;

        SseEvents(Context ctx, java.util.function.UnaryOperator<ObjectNode> translate, boolean jsonIfLoneError) {
            this(ctx, translate, jsonIfLoneError, false);
        }

        SseEvents(Context ctx, java.util.function.UnaryOperator<ObjectNode> translate, boolean jsonIfLoneError, boolean rest) {
            this.ctx = ctx;
            this.translate = translate;
            this.jsonIfLoneError = jsonIfLoneError;
            this.rest = rest;
        }

        @Override
        public boolean add(ObjectNode e) {
            super.add(e);
            if (out == null && jsonIfLoneError && e.has("error")) {
                return true; // decided in finish()
            }
            write(translate.apply(e));
            return true;
        }

        /** Sends the stream's headers now (an empty stream so far). */
        void open() {
            write(null);
        }

        private void write(ObjectNode e) {
            if (gone) {
                return;
            }
            try {
                if (out == null) {
                    ctx.status(200).contentType("text/event-stream").header("Cache-Control", "no-cache");
                    out = ctx.res().getOutputStream();
                }
                if (e != null) {
                    JsonNode data = !rest ? e : e.has("result") ? e.get("result") : A2aRest.error(e);
                    out.write(("data: " + Json.write(data) + "\n\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                out.flush();
            } catch (java.io.IOException ex) {
                gone = true;
                LOG.debug("A2A stream: the caller went away: {}", ex.toString());
            }
        }

        /** Ends the stream; a lone held error is answered as JSON. */
        void finish() {
            if (out == null && !isEmpty()) {
                if (size() == 1 && get(0).has("error")) {
                    reply(ctx, rest, translate.apply(get(0)));
                    return;
                }
                forEach(e -> write(translate.apply(e)));
            }
        }
    }

    private static ObjectNode result(JsonNode id, ObjectNode result) {
        return McpEndpoint.result(id, result);
    }

    static ObjectNode error(JsonNode id, int code, String message) {
        return McpEndpoint.error(id, code, message);
    }
}
