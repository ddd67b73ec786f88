package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * AURA as an A2A 1.0 agent over real HTTP (ProtoJSON shapes, PascalCase methods, the A2A-Version
 * header), beside the 0.3 agent of {@link A2aTest} on the same endpoint and the same kept tasks.
 */
class A2aV1Test extends A2aServer {

    TestServer.Response post(String token, String version, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.uri("/a2a")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (version != null) {
            b.header("A2A-Version", version);
        }
        return s.send(b, token);
    }

    /** A 1.0 JSON-RPC request answered with JSON; the answer. */
    JsonNode rpc(String token, String method, String params) {
        return rpc(token, "1.0", method, params);
    }

    JsonNode rpc(String token, String version, String method, String params) {
        int id = ++ids;
        TestServer.Response r = post(token, version, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(r.json().path("id").asInt()).isEqualTo(id);
        return r.json();
    }

    static String send(String parts) {
        return "{\"message\":{\"role\":\"ROLE_USER\",\"messageId\":\"m-" + System.nanoTime() + "\",\"parts\":" + parts + "}}";
    }

    static String skill(String name, String arguments) {
        return send("[{\"data\":{\"skill\":\"" + name + "\",\"arguments\":" + arguments + "}}]");
    }

    static final String SQUARE = "{\"topology_data\":[[0,0],[1,0],[0,1],[1,1]]}";

    /** No field of a 1.0 answer is a 0.3 one: no {@code kind} discriminator anywhere, no lower-case state or role. */
    static void assertNoLegacyShape(JsonNode n) {
        if (n.isObject()) {
            assertThat(n.has("kind")).as("a 0.3 'kind' in %s", n).isFalse();
            assertThat(n.has("final")).as("a 0.3 'final' in %s", n).isFalse();
            if (n.has("role")) {
                assertThat(n.path("role").asText()).startsWith("ROLE_");
            }
            if (n.has("state")) {
                assertThat(n.path("state").asText()).startsWith("TASK_STATE_");
            }
            n.properties().forEach(e -> {
                if (!e.getKey().equals("data")) { // a data part's value is the skill's own JSON
                    assertNoLegacyShape(e.getValue());
                }
            });
        } else if (n.isArray()) {
            n.forEach(A2aV1Test::assertNoLegacyShape);
        }
    }

    @Test
    void theCardIsChosenByTheVersionHeader() {
        TestServer.Response old = s.get("/.well-known/agent-card.json", null);
        assertThat(old.json().path("protocolVersion").asText()).isEqualTo("0.3.0");
        assertThat(old.json().has("supportedInterfaces")).isFalse();
        assertThat(old.raw().headers().firstValue("Vary").orElse("")).contains("A2A-Version");
        TestServer.Response r = s.send(HttpRequest.newBuilder(s.uri("/.well-known/agent-card.json")).header("A2A-Version", "1.0").GET(), null);
        JsonNode c = r.json();
        assertThat(c.has("url")).isFalse();
        assertThat(c.has("protocolVersion")).isFalse();
        String url = "http://127.0.0.1:" + s.server.port() + "/a2a";
        assertThat(c.path("supportedInterfaces")).hasSize(3);
        assertThat(c.at("/supportedInterfaces/0/url").asText()).isEqualTo(url);
        assertThat(c.at("/supportedInterfaces/0/protocolBinding").asText()).isEqualTo("JSONRPC");
        assertThat(c.at("/supportedInterfaces/0/protocolVersion").asText()).isEqualTo("1.0");
        assertThat(c.at("/supportedInterfaces/1/url").asText()).isEqualTo("http://127.0.0.1:" + s.server.port() + "/a2a/rest");
        assertThat(c.at("/supportedInterfaces/1/protocolBinding").asText()).isEqualTo("HTTP+JSON");
        assertThat(c.at("/supportedInterfaces/1/protocolVersion").asText()).isEqualTo("1.0");
        assertThat(c.at("/supportedInterfaces/2/protocolBinding").asText()).isEqualTo("JSONRPC");
        assertThat(c.at("/supportedInterfaces/2/protocolVersion").asText()).isEqualTo("0.3");
        assertThat(c.at("/securitySchemes/bearer/httpAuthSecurityScheme/scheme").asText()).isEqualTo("bearer");
        assertThat(c.at("/securityRequirements/0/schemes/bearer/list").isArray()).isTrue();
        assertThat(c.at("/capabilities/extendedAgentCard").asBoolean(true)).isFalse();
        assertThat(c.at("/capabilities/extensions/0/uri").asText()).isEqualTo(A2aEndpoint.SKILL_ARGUMENTS_EXTENSION);
        assertThat(c.path("skills")).hasSameSizeAs(old.json().path("skills"));
        Set<String> fields = new HashSet<>();
        c.fieldNames().forEachRemaining(fields::add);
        // every field is one of a2a.proto's AgentCard
        assertThat(fields).isSubsetOf("name", "description", "supportedInterfaces", "provider", "version", "documentationUrl",
                "capabilities", "securitySchemes", "securityRequirements", "defaultInputModes", "defaultOutputModes", "skills",
                "signatures", "iconUrl");
        // a later version gets the latest card; 0.3 the old one
        assertThat(s.send(HttpRequest.newBuilder(s.uri("/.well-known/agent-card.json?A2A-Version=1.1")).GET(), null).json()
                .has("supportedInterfaces")).isTrue();
        assertThat(s.send(HttpRequest.newBuilder(s.uri("/.well-known/agent-card.json")).header("A2A-Version", "0.3").GET(), null)
                .json().path("protocolVersion").asText()).isEqualTo("0.3.0");
    }

    @Test
    void sendMessageAnswersATaskInTheProtoJsonShapes() {
        JsonNode r = rpc(all, "SendMessage", skill("analyze_topology", SQUARE));
        JsonNode t = r.at("/result/task");
        assertThat(t.at("/status/state").asText()).as(r.toString()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(t.at("/artifacts/0/parts/0/data/betti_numbers").isMissingNode()).isFalse();
        assertThat(t.at("/artifacts/0/name").asText()).isEqualTo("analyze_topology");
        assertThat(t.at("/history/0/role").asText()).isEqualTo("ROLE_USER");
        assertThat(t.at("/history/0/parts/0/data/skill").asText()).isEqualTo("analyze_topology");
        assertThat(t.at("/history/0/taskId").asText()).isEqualTo(t.path("id").asText());
        // milliseconds, UTC (specification section 5.6.1)
        assertThat(t.at("/status/timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?Z");
        assertNoLegacyShape(r.path("result"));
        // configuration.historyLength trims the answer's history: 0 omits it
        JsonNode none = rpc(all, "SendMessage", "{\"configuration\":{\"historyLength\":0}," + skill("analyze_topology", SQUARE).substring(1));
        assertThat(none.at("/result/task/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(none.at("/result/task").has("history")).isFalse();
        assertThat(rpc(all, "SendMessage", "{\"configuration\":{\"historyLength\":-1}," + skill("list_agents", "{}").substring(1))
                .path("error").toString()).contains("-32602", "historyLength");
        // a text part that is only a skill's name, without the header: a 1.0 method name means 1.0
        JsonNode plain = rpc(all, null, "SendMessage", send("[{\"text\":\"list_agents\"}]"));
        assertThat(plain.at("/result/task/status/state").asText()).as(plain.toString()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(plain.at("/result/task/artifacts/0/parts/0/data/agents").isArray()).isTrue();
        // wrong arguments: the task failed, its status message says why, as text and as data
        JsonNode failed = rpc(all, "SendMessage", skill("analyze_topology", "{\"topology_data\":\"nope\"}")).at("/result/task");
        assertThat(failed.at("/status/state").asText()).isEqualTo("TASK_STATE_FAILED");
        assertThat(failed.at("/status/message/role").asText()).isEqualTo("ROLE_AGENT");
        assertThat(failed.at("/status/message/parts/0/text").asText()).contains("topology_data");
        assertThat(failed.at("/status/message/parts/1/data/field").asText()).isEqualTo("topology_data");
        // a token without the scope: rejected
        JsonNode rejected = rpc(s.token("read"), "SendMessage", skill("analyze_topology", SQUARE)).at("/result/task");
        assertThat(rejected.at("/status/state").asText()).isEqualTo("TASK_STATE_REJECTED");
        assertThat(rejected.at("/status/message/parts/1/data/error").asText()).isEqualTo("insufficient_scope");
    }

    @Test
    void malformedRequestsAreInvalidParamsInTheWordsOfVersion1() {
        assertThat(rpc(all, "SendMessage", "{\"message\":{\"role\":\"user\",\"messageId\":\"m\",\"parts\":[{\"text\":\"list_agents\"}]}}")
                .path("error").toString()).contains("-32602", "ROLE_USER");
        assertThat(rpc(all, "SendMessage", send("[{\"text\":\"list_agents\",\"data\":{}}]")).path("error").toString())
                .contains("-32602", "parts[0]", "exactly one of text, raw, url or data");
        assertThat(rpc(all, "SendMessage", send("[]")).path("error").toString()).contains("-32602", "parts");
        assertThat(rpc(all, "SendMessage", "{\"message\":{\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"x\"}]}}").path("error").toString())
                .contains("messageId");
        assertThat(rpc(all, "SendMessage", send("[{\"text\":\"what is the weather\"}]")).path("error").toString())
                .contains("-32602", "names no skill");
        // a file part is not read: ContentTypeNotSupported, with its ErrorInfo
        JsonNode file = rpc(all, "SendMessage", send("[{\"url\":\"https://example.com/t.csv\",\"mediaType\":\"text/csv\"}]")).path("error");
        assertThat(file.path("code").asInt()).isEqualTo(A2aEndpoint.CONTENT_TYPE_NOT_SUPPORTED);
        assertThat(file.at("/data/0/@type").asText()).isEqualTo("type.googleapis.com/google.rpc.ErrorInfo");
        assertThat(file.at("/data/0/reason").asText()).isEqualTo("CONTENT_TYPE_NOT_SUPPORTED");
        assertThat(file.at("/data/0/domain").asText()).isEqualTo("a2a-protocol.org");
        assertThat(rpc(all, "GetTask", "{}").path("error").toString()).contains("-32602", "params.id");
        assertThat(rpc(all, "GetTask", "{\"id\":\"x\",\"historyLength\":-1}").path("error").toString()).contains("historyLength");
        assertThat(rpc(all, "SendMessage", "{\"message\":{\"role\":\"ROLE_USER\",\"messageId\":\"m\",\"parts\":[{\"text\":\"list_agents\"}]},"
                + "\"configuration\":{\"taskPushNotificationConfig\":{\"url\":\"https://example.com/hook\"}}}").path("error").toString())
                .contains("-32602", "push notifications");
    }

    @Test
    void theVersionHeaderSelectsTheProtocolAndAnUnknownOneIsRefused() {
        JsonNode bad = rpc(all, "2.0", "SendMessage", skill("list_agents", "{}")).path("error");
        assertThat(bad.path("code").asInt()).isEqualTo(A2aV1.VERSION_NOT_SUPPORTED);
        assertThat(bad.path("message").asText()).contains("2.0", "1.0", "0.3");
        assertThat(bad.at("/data/0/reason").asText()).isEqualTo("VERSION_NOT_SUPPORTED");
        // a patch version is ignored
        assertThat(rpc(all, "1.0.3", "SendMessage", send("[{\"text\":\"list_agents\"}]")).at("/result/task/status/state").asText())
                .isEqualTo("TASK_STATE_COMPLETED");
        // the two versions' method names do not mix: each error names the other's method
        JsonNode mixed = rpc(all, "1.0", "message/send", AgentSend.V03).path("error");
        assertThat(mixed.path("code").asInt()).isEqualTo(-32601);
        assertThat(mixed.path("message").asText()).contains("SendMessage");
        JsonNode mixedBack = rpc(all, "0.3", "SendMessage", send("[{\"text\":\"list_agents\"}]")).path("error");
        assertThat(mixedBack.path("code").asInt()).isEqualTo(-32601);
        assertThat(mixedBack.path("message").asText()).contains("A2A-Version: 1.0");
        // and 0.3 without the header is unchanged
        assertThat(rpc(all, null, "message/send", AgentSend.V03).at("/result/status/state").asText()).isEqualTo("completed");
    }

    /** A 0.3 message/send of list_agents. */
    static final class AgentSend {
        static final String V03 = "{\"message\":{\"kind\":\"message\",\"role\":\"user\",\"messageId\":\"m-03\",\"parts\":[{\"kind\":\"text\",\"text\":\"list_agents\"}]}}";
    }

    @Test
    void aTaskIsOneTaskInBothVersions() {
        String made03 = rpc(all, null, "message/send", AgentSend.V03).at("/result/id").asText();
        JsonNode as1 = rpc(all, "GetTask", "{\"id\":\"" + made03 + "\"}").path("result");
        assertThat(as1.at("/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(as1.at("/history/0/parts/0/text").asText()).isEqualTo("list_agents");
        assertNoLegacyShape(as1);
        String made1 = rpc(all, "SendMessage", skill("analyze_topology", SQUARE)).at("/result/task/id").asText();
        JsonNode as03 = rpc(all, null, "tasks/get", "{\"id\":\"" + made1 + "\"}").path("result");
        assertThat(as03.path("kind").asText()).isEqualTo("task");
        assertThat(as03.at("/status/state").asText()).isEqualTo("completed");
        assertThat(as03.at("/history/0/role").asText()).isEqualTo("user");
        assertThat(as03.at("/history/0/parts/0/kind").asText()).isEqualTo("data");
        // historyLength 0: no history
        assertThat(rpc(all, "GetTask", "{\"id\":\"" + made1 + "\",\"historyLength\":0}").at("/result/history").isMissingNode()).isTrue();
        // another caller's task is not found, with the ErrorInfo of TaskNotFound
        JsonNode other = rpc(s.server.tokens().operator("someone-else", Set.of("read"), java.time.Duration.ofMinutes(5)), "GetTask",
                "{\"id\":\"" + made1 + "\"}").path("error");
        assertThat(other.path("code").asInt()).isEqualTo(A2aEndpoint.TASK_NOT_FOUND);
        assertThat(other.at("/data/0/reason").asText()).isEqualTo("TASK_NOT_FOUND");
        // an ended task: not cancelable, and no subscription
        JsonNode cancel = rpc(all, "CancelTask", "{\"id\":\"" + made1 + "\"}").path("error");
        assertThat(cancel.path("code").asInt()).isEqualTo(A2aEndpoint.TASK_NOT_CANCELABLE);
        assertThat(cancel.at("/data/0/reason").asText()).isEqualTo("TASK_NOT_CANCELABLE");
        assertThat(cancel.path("message").asText()).as("in 1.0's words").endsWith("is TASK_STATE_COMPLETED");
        JsonNode sub = rpc(all, "SubscribeToTask", "{\"id\":\"" + made1 + "\"}").path("error");
        assertThat(sub.path("code").asInt()).isEqualTo(A2aEndpoint.UNSUPPORTED_OPERATION);
        assertThat(sub.path("message").asText()).contains("TASK_STATE_COMPLETED");
    }

    /** The SSE events of a 1.0 stream. */
    static List<JsonNode> events(TestServer.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<JsonNode> events = new ArrayList<>();
        for (String block : r.body().split("\n\n")) {
            assertThat(block).startsWith("data: ");
            events.add(Json.parseObject(block.substring(6).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return events;
    }

    @Test
    void sendStreamingMessageStreamsTheTaskItsArtifactAndItsEnd() {
        List<JsonNode> ev = events(post(all, "1.0", "{\"jsonrpc\":\"2.0\",\"id\":\"s1\",\"method\":\"SendStreamingMessage\",\"params\":"
                + skill("analyze_topology", SQUARE) + "}"));
        assertThat(ev).hasSize(3).allSatisfy(e -> assertThat(e.path("id").asText()).isEqualTo("s1"));
        assertThat(ev.get(0).at("/result/task/status/state").asText()).isEqualTo("TASK_STATE_WORKING");
        String taskId = ev.get(0).at("/result/task/id").asText();
        assertThat(ev.get(1).at("/result/artifactUpdate/taskId").asText()).isEqualTo(taskId);
        assertThat(ev.get(1).at("/result/artifactUpdate/lastChunk").asBoolean()).isTrue();
        assertThat(ev.get(1).at("/result/artifactUpdate/artifact/parts/0/data/betti_numbers").isMissingNode()).isFalse();
        assertThat(ev.get(2).at("/result/statusUpdate/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        ev.forEach(e -> assertNoLegacyShape(e.path("result")));
        // refused before a task begins: one JSON error, not a stream
        TestServer.Response bad = post(all, "1.0", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"SendStreamingMessage\",\"params\":{}}");
        assertThat(bad.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(bad.json().at("/error/code").asInt()).isEqualTo(-32602);
    }

    @Test
    void listTasksPagesThroughTheCallersTasksNewestFirst() {
        String lister = s.server.tokens().operator("lister", Set.of("analyze", "read"), java.time.Duration.ofMinutes(5));
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            made.add(rpc(lister, "SendMessage", i == 3 ? skill("analyze_topology", "{\"topology_data\":\"nope\"}")
                    : skill("analyze_topology", "{\"topology_data\":[[0,0],[" + (i + 1) + ",0]]}")).at("/result/task/id").asText());
        }
        rpc(all, "SendMessage", skill("analyze_topology", SQUARE)); // another caller's: never listed
        List<String> listed = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            JsonNode page = rpc(lister, "ListTasks", "{\"pageSize\":3,\"pageToken\":\"" + token + "\"}").path("result");
            assertThat(page.path("totalSize").asInt()).isEqualTo(7);
            assertThat(page.path("pageSize").asInt()).isEqualTo(3);
            assertThat(page.path("tasks").size()).isLessThanOrEqualTo(3);
            for (JsonNode t : page.path("tasks")) {
                listed.add(t.path("id").asText());
                assertThat(t.has("artifacts")).as("artifacts only when asked").isFalse();
                assertNoLegacyShape(t);
            }
            assertThat(page.has("nextPageToken")).isTrue();
            token = page.path("nextPageToken").asText();
            pages++;
        } while (!token.isEmpty() && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(listed).containsExactlyInAnyOrderElementsOf(made).doesNotHaveDuplicates();
        // newest status first
        List<java.time.Instant> times = new ArrayList<>();
        JsonNode whole = rpc(lister, "ListTasks", "{\"includeArtifacts\":true,\"historyLength\":0}").path("result");
        for (JsonNode t : whole.path("tasks")) {
            times.add(java.time.Instant.parse(t.at("/status/timestamp").asText()));
            assertThat(t.has("history")).isFalse();
            assertThat(t.has("artifacts")).isTrue();
        }
        assertThat(times).hasSize(7).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(whole.path("nextPageToken").asText("absent")).isEmpty();
        // filters: by state, by context
        JsonNode failed = rpc(lister, "ListTasks", "{\"status\":\"TASK_STATE_FAILED\"}").path("result");
        assertThat(failed.path("tasks")).hasSize(1);
        assertThat(failed.at("/tasks/0/id").asText()).isEqualTo(made.get(3));
        String context = rpc(lister, "GetTask", "{\"id\":\"" + made.get(5) + "\"}").at("/result/contextId").asText();
        JsonNode inContext = rpc(lister, "ListTasks", "{\"contextId\":\"" + context + "\"}").path("result");
        assertThat(inContext.at("/tasks/0/id").asText()).isEqualTo(made.get(5));
        assertThat(inContext.path("totalSize").asInt()).isEqualTo(1);
        assertThat(rpc(lister, "ListTasks", "{\"statusTimestampAfter\":\"2999-01-01T00:00:00Z\"}").at("/result/totalSize").asInt()).isZero();
        // bad requests say which field
        assertThat(rpc(lister, "ListTasks", "{\"pageSize\":0}").path("error").toString()).contains("-32602", "pageSize");
        assertThat(rpc(lister, "ListTasks", "{\"pageSize\":101}").path("error").toString()).contains("pageSize");
        assertThat(rpc(lister, "ListTasks", "{\"pageSize\":18446744073709551621}").path("error").toString()).as("2^64 + 5")
                .contains("pageSize");
        assertThat(rpc(lister, "ListTasks", "{\"historyLength\":-18446744073709551616}").path("error").toString()).as("-2^64")
                .contains("historyLength");
        assertThat(rpc(lister, "ListTasks", "{\"historyLength\":18446744073709551616}").at("/result/tasks/0/history")).as("2^64: all")
                .hasSize(1);
        assertThat(rpc(lister, "ListTasks", "{\"pageToken\":\"bm90IGEgdG9rZW4\"}").path("error").toString()).contains("pageToken");
        assertThat(rpc(lister, "ListTasks", "{\"status\":\"TASK_STATE_DONE\"}").path("error").toString()).contains("params.status");
        assertThat(rpc(lister, "ListTasks", "{\"statusTimestampAfter\":\"yesterday\"}").path("error").toString())
                .contains("statusTimestampAfter");
    }

    @Test
    void subscribeToARunningTaskGivesItNowAndItsEndAndCancelEndsIt() throws Exception {
        JsonNode r = rpc(all, "SendMessage", "{\"configuration\":{\"returnImmediately\":true}," + skill("analyze_topology", "{\"topology_data\":"
                + LimitsTest.heavyCloud(new java.util.Random()) + ",\"algorithm\":\"persistent_homology\",\"parameters\":{\"max_dimension\":2}}")
                .substring(1));
        assertThat(r.at("/result/task/status/state").asText()).as(r.toString()).isEqualTo("TASK_STATE_WORKING");
        String taskId = r.at("/result/task/id").asText();
        // read line by line: the task's current state must arrive while it still runs, not with its end
        java.net.http.HttpResponse<java.util.stream.Stream<String>> streamed = TestServer.CLIENT.sendAsync(HttpRequest.newBuilder(s.uri("/a2a"))
                .header("Content-Type", "application/json").header("A2A-Version", "1.0").header("Authorization", "Bearer " + all)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"SubscribeToTask\",\"params\":{\"id\":\""
                        + taskId + "\"}}")).build(), java.net.http.HttpResponse.BodyHandlers.ofLines())
                .get(10, java.util.concurrent.TimeUnit.SECONDS); // the answer begins at once, not when the task ends
        assertThat(streamed.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        java.util.Iterator<String> lines = streamed.body().iterator();
        String first = lines.next(); // the stream's first event, read before the cancel below
        assertThat(first).startsWith("data: ");
        assertThat(Json.parseObject(first.substring(6).getBytes(java.nio.charset.StandardCharsets.UTF_8)).at("/result/task/status/state")
                .asText()).isEqualTo("TASK_STATE_WORKING");
        assertThat(rpc(all, "GetTask", "{\"id\":\"" + taskId + "\"}").at("/result/status/state").asText())
                .as("the first event came while the task ran").isEqualTo("TASK_STATE_WORKING");
        JsonNode canceled = rpc(all, "CancelTask", "{\"id\":\"" + taskId + "\"}");
        assertThat(canceled.at("/result/status/state").asText()).as(canceled.toString()).isEqualTo("TASK_STATE_CANCELED");
        List<JsonNode> ev = new ArrayList<>();
        lines.forEachRemaining(l -> {
            if (l.startsWith("data: ")) {
                ev.add(Json.parseObject(l.substring(6).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
        });
        assertThat(ev.get(ev.size() - 1).at("/result/statusUpdate/status/state").asText()).isEqualTo("TASK_STATE_CANCELED");
        assertThat(LimitsTest.computingAfter3s()).as("threads still computing persistence 3 s after the cancel").isNull();
    }

    @Test
    void pushNotificationsAndTheExtendedCardAreRefusedWithTheirCodes() {
        for (String m : List.of("CreateTaskPushNotificationConfig", "GetTaskPushNotificationConfig", "ListTaskPushNotificationConfigs",
                "DeleteTaskPushNotificationConfig")) {
            JsonNode e = rpc(all, m, "{\"taskId\":\"x\",\"id\":\"y\",\"url\":\"https://example.com\"}").path("error");
            assertThat(e.path("code").asInt()).as(m).isEqualTo(A2aEndpoint.PUSH_NOT_SUPPORTED);
            assertThat(e.at("/data/0/reason").asText()).isEqualTo("PUSH_NOTIFICATION_NOT_SUPPORTED");
        }
        // the card declares capabilities.extendedAgentCard false: UnsupportedOperationError (section 3.3.4), not
        // ExtendedAgentCardNotConfigured, which is for an agent that declares the capability
        JsonNode card = rpc(all, "GetExtendedAgentCard", "{}").path("error");
        assertThat(card.path("code").asInt()).as(card.toString()).isEqualTo(A2aEndpoint.UNSUPPORTED_OPERATION);
        assertThat(card.at("/data/0/reason").asText()).isEqualTo("UNSUPPORTED_OPERATION");
        assertThat(rpc(all, "Frobnicate", "{}").at("/error/message").asText()).contains("SendMessage", "ListTasks");
        // no token: 401 as on 0.3
        assertThat(post(null, "1.0", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetTask\",\"params\":{\"id\":\"x\"}}").status()).isEqualTo(401);
    }

    @Test
    void aVersionThatIsNoVersionIsVersionNotSupportedNotAServerError() {
        for (String v : List.of(".", "..", " . ", "1.", "1.x", "v1.0", "1.0.0.0")) {
            TestServer.Response r = post(all, v, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetTask\",\"params\":{\"id\":\"x\"}}");
            assertThat(r.status()).as("A2A-Version '%s': %s", v, r.body()).isEqualTo(200);
            assertThat(r.json().at("/error/code").asInt()).as(v).isEqualTo(A2aV1.VERSION_NOT_SUPPORTED);
        }
        for (String v : List.of("1", " 1.0 ", "1.0.0")) {
            assertThat(rpc(all, v, "GetTask", "{\"id\":\"x\"}").at("/error/code").asInt()).as(v).isEqualTo(A2aEndpoint.TASK_NOT_FOUND);
        }
    }

    @Test
    void aDataPartThatIsNotAnObjectReadsBackAsItWasSent() {
        JsonNode t = rpc(all, "SendMessage", send("[{\"text\":\"list_agents\"},{\"data\":[1,2]},{\"data\":\"s\"},{\"data\":false},"
                + "{\"data\":{\"value\":7}}]")).at("/result/task");
        String parts = "[{\"text\":\"list_agents\"},{\"data\":[1,2]},{\"data\":\"s\"},{\"data\":false},{\"data\":{\"value\":7}}]";
        assertThat(t.at("/history/0/parts")).as(t.toString()).isEqualTo(tree(parts));
        String id = t.path("id").asText();
        assertThat(rpc(all, "GetTask", "{\"id\":\"" + id + "\"}").at("/result/history/0/parts")).isEqualTo(tree(parts));
        JsonNode listed = rpc(all, "ListTasks", "{\"contextId\":\"" + t.path("contextId").asText() + "\"}");
        assertThat(listed.at("/result/tasks/0/history/0/parts")).isEqualTo(tree(parts));
        // 0.3 has object data parts only: there the value is in an object, and an object sent as one stays as it is
        JsonNode old = rpc(all, null, "tasks/get", "{\"id\":\"" + id + "\"}").at("/result/history/0/parts");
        assertThat(old.get(1).path("data").isObject()).isTrue();
        assertThat(old.get(4).path("data")).isEqualTo(tree("{\"value\":7}"));
    }

    @Test
    void aMessageToAnEndedTaskIsUnsupportedOperation() {
        JsonNode t = rpc(all, "SendMessage", send("[{\"text\":\"list_agents\"}]")).at("/result/task");
        String more = "{\"message\":{\"role\":\"ROLE_USER\",\"messageId\":\"m-more\",\"taskId\":\"" + t.path("id").asText()
                + "\",\"parts\":[{\"text\":\"list_agents\"}]}}";
        JsonNode e = rpc(all, "SendMessage", more).path("error");
        assertThat(e.path("code").asInt()).as(e.toString()).isEqualTo(A2aEndpoint.UNSUPPORTED_OPERATION);
        assertThat(e.at("/data/0/reason").asText()).isEqualTo("UNSUPPORTED_OPERATION");
        assertThat(e.path("message").asText()).contains("TASK_STATE_COMPLETED");
        TestServer.Response streamed = post(all, "1.0", "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"SendStreamingMessage\",\"params\":" + more + "}");
        assertThat(streamed.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(streamed.json().at("/error/code").asInt()).isEqualTo(A2aEndpoint.UNSUPPORTED_OPERATION);
        // another caller's task is not found, as before
        String stranger = s.server.tokens().operator("someone-else", Set.of("read"), java.time.Duration.ofMinutes(5));
        assertThat(rpc(stranger, "SendMessage", more).at("/error/code").asInt()).isEqualTo(A2aEndpoint.TASK_NOT_FOUND);
    }

    @Test
    void messageFieldsOfTheWrongTypeAreRefusedNotKept() {
        for (String bad : List.of("\"metadata\":5", "\"metadata\":[1]", "\"extensions\":\"x\"", "\"referenceTaskIds\":[1]",
                "\"referenceTaskIds\":{\"a\":\"b\"}")) {
            String params = "{\"message\":{\"role\":\"ROLE_USER\",\"messageId\":\"m\",\"parts\":[{\"text\":\"list_agents\"}]," + bad + "}}";
            JsonNode e = rpc(all, "SendMessage", params).path("error");
            assertThat(e.path("code").asInt()).as(bad + ": " + e).isEqualTo(-32602);
            assertThat(e.path("message").asText()).contains(bad.substring(1, bad.indexOf('"', 1)));
        }
        JsonNode t = rpc(all, "SendMessage", "{\"message\":{\"role\":\"ROLE_USER\",\"messageId\":\"m\",\"parts\":[{\"text\":"
                + "\"list_agents\"}],\"metadata\":{\"k\":1},\"extensions\":[\"urn:x\"],\"referenceTaskIds\":[\"t-1\"]}}").at("/result/task/history/0");
        assertThat(t.path("metadata")).isEqualTo(tree("{\"k\":1}"));
        assertThat(t.path("extensions")).isEqualTo(tree("[\"urn:x\"]"));
        assertThat(t.path("referenceTaskIds")).isEqualTo(tree("[\"t-1\"]"));
    }

    static JsonNode tree(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void whatProtoJsonParsersAlsoAcceptIsAccepted() {
        // integers as strings, enums as numbers, a data part holding null (google.protobuf.Value's null)
        String id = rpc(all, "SendMessage", "{\"configuration\":{\"historyLength\":\"0\"},\"message\":{\"role\":1,"
                + "\"messageId\":\"m-pj\",\"parts\":[{\"text\":\"list_agents\"},{\"data\":null}]}}").at("/result/task/id").asText();
        assertThat(id).isNotEmpty();
        JsonNode got = rpc(all, "GetTask", "{\"id\":\"" + id + "\",\"historyLength\":\"1\"}").path("result");
        assertThat(got.path("history")).hasSize(1);
        assertThat(got.at("/history/0/parts/1").has("data")).isTrue();
        assertThat(got.at("/history/0/parts/1/data").isNull()).as(got.toString()).isTrue();
        JsonNode page = rpc(all, "ListTasks", "{\"pageSize\":\"1\",\"status\":3}").path("result");
        assertThat(page.path("pageSize").asInt()).isEqualTo(1);
        assertThat(page.path("tasks")).hasSize(1);
        assertThat(page.at("/tasks/0/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        // still refused: what no ProtoJSON parser takes
        assertThat(rpc(all, "ListTasks", "{\"pageSize\":\"five\"}").path("error").toString()).contains("-32602", "pageSize");
        assertThat(rpc(all, "ListTasks", "{\"status\":42}").path("error").toString()).contains("-32602", "status");
    }
}
