package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AURA as an A2A v0.3 agent over real HTTP: the agent card, message/send, message/stream (SSE), tasks/*. */
class A2aTest extends A2aServer {

    TestServer.Response post(String token, String body) {
        return s.send(HttpRequest.newBuilder(s.uri("/a2a")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), token);
    }

    /** A JSON-RPC request answered with JSON; the answer. */
    JsonNode rpc(String token, String method, String params) {
        int id = ++ids;
        TestServer.Response r = post(token, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(r.json().path("id").asInt()).isEqualTo(id);
        return r.json();
    }

    static JsonNode json(String text) {
        return Json.parseObject(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String send(String parts) {
        return "{\"message\":{\"role\":\"user\",\"messageId\":\"m-1\",\"parts\":" + parts + "}}"; // kind is optional
    }

    static String skill(String name, String arguments) {
        return send("[{\"kind\":\"data\",\"data\":{\"skill\":\"" + name + "\",\"arguments\":" + arguments + "}}]");
    }

    @Test
    void theAgentCardListsTheSkillsAndTheBearerScheme() {
        TestServer.Response r = s.get("/.well-known/agent-card.json", null); // public
        assertThat(r.status()).isEqualTo(200);
        JsonNode c = r.json();
        assertThat(c.path("protocolVersion").asText()).isEqualTo("0.3.0");
        assertThat(c.path("url").asText()).isEqualTo("http://127.0.0.1:" + s.server.port() + "/a2a");
        assertThat(c.path("preferredTransport").asText()).isEqualTo("JSONRPC");
        assertThat(c.at("/capabilities/streaming").asBoolean()).isTrue();
        assertThat(c.at("/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        List<String> skills = new ArrayList<>();
        JsonNode ext = c.at("/capabilities/extensions/0");
        assertThat(ext.path("uri").asText()).isEqualTo("urn:aura:a2a:skill-arguments:v1");
        assertThat(ext.path("required").asBoolean(true)).isFalse();
        Set<String> agentSkillFields = Set.of("id", "name", "description", "tags", "examples", "inputModes", "outputModes", "security");
        c.path("skills").forEach(k -> {
            skills.add(k.path("id").asText());
            assertThat(k.path("name").asText()).isNotBlank();
            assertThat(k.path("description").asText()).contains("Needs scope");
            k.properties().forEach(f -> assertThat(agentSkillFields).as("A2A v0.3 AgentSkill field " + f.getKey()).contains(f.getKey()));
            assertThat(ext.at("/params/schemas/" + k.path("id").asText() + "/type").asText()).as(k.path("id").asText()).isEqualTo("object");
        });
        assertThat(skills).contains("predict_cascade", "analyze_topology", "intervene", "list_interventions", "revoke_intervention");
        assertThat(ext.at("/params/schemas/predict_cascade/properties/agents/type").asText()).isEqualTo("array");
    }

    @Test
    void messageSendRunsASkillAsACompletedTaskKeptForItsCaller() {
        JsonNode r = rpc(all, "message/send", skill("predict_cascade", ServerSuite.SEED_PREDICT));
        JsonNode task = r.path("result");
        assertThat(task.path("kind").asText()).isEqualTo("task");
        assertThat(task.at("/status/state").asText()).isEqualTo("completed");
        JsonNode data = task.at("/artifacts/0/parts/0/data");
        assertThat(data.path("cascade_risk").asDouble()).isBetween(0.0, 1.0);
        assertThat(task.at("/artifacts/0/name").asText()).isEqualTo("predict_cascade");
        assertThat(task.at("/history/0/messageId").asText()).isEqualTo("m-1");
        assertThat(task.at("/history/0/taskId").asText()).isEqualTo(task.path("id").asText());
        assertThat(task.at("/history/0/kind").asText()).isEqualTo("message");

        String id = task.path("id").asText();
        JsonNode got = rpc(all, "tasks/get", "{\"id\":\"" + id + "\"}").path("result");
        assertThat(got).isEqualTo(task);
        assertThat(rpc(all, "tasks/get", "{\"id\":\"" + id + "\",\"historyLength\":0}").path("result").has("history")).isFalse();
        // a caller with another subject does not see it
        String stranger = s.server.tokens().operator("someone-else", java.util.Set.of("read"), java.time.Duration.ofMinutes(5));
        JsonNode other = rpc(stranger, "tasks/get", "{\"id\":\"" + id + "\"}");
        assertThat(other.at("/error/code").asInt()).isEqualTo(A2aEndpoint.TASK_NOT_FOUND);
        // it is final: not cancelable, takes no more messages
        assertThat(rpc(all, "tasks/cancel", "{\"id\":\"" + id + "\"}").at("/error/code").asInt()).isEqualTo(A2aEndpoint.TASK_NOT_CANCELABLE);
        JsonNode more = rpc(all, "message/send", "{\"message\":{\"role\":\"user\",\"messageId\":\"m-2\",\"taskId\":\"" + id
                + "\",\"parts\":[{\"kind\":\"text\",\"text\":\"list_agents\"}]}}");
        assertThat(more.at("/error/message").asText()).contains("is completed and takes no more messages");
        // a text part that is a skill's name runs it
        JsonNode agents = rpc(all, "message/send", send("[{\"kind\":\"text\",\"text\":\" list_agents \"}]")).path("result");
        assertThat(agents.at("/status/state").asText()).isEqualTo("completed");
        assertThat(agents.at("/artifacts/0/parts/0/data").has("agents")).isTrue();
    }

    /** The kept tasks are bounded per caller too: one caller's flood evicts its own oldest tasks, not another's. */
    @Test
    void oneCallersFloodEvictsOnlyItsOwnTasks() {
        String alice = s.server.tokens().operator("alice", java.util.Set.of("read"), java.time.Duration.ofMinutes(5));
        String bob = s.server.tokens().operator("bob", java.util.Set.of("read"), java.time.Duration.ofMinutes(5));
        String listAgents = send("[{\"kind\":\"text\",\"text\":\"list_agents\"}]");
        String hers = rpc(alice, "message/send", listAgents).at("/result/id").asText();
        String bobsFirst = rpc(bob, "message/send", listAgents).at("/result/id").asText();
        for (int i = 0; i < A2aEndpoint.KEPT_TASKS_PER_CALLER; i++) {
            rpc(bob, "message/send", listAgents);
        }
        assertThat(rpc(alice, "tasks/get", "{\"id\":\"" + hers + "\"}").at("/result/id").asText()).isEqualTo(hers);
        assertThat(rpc(bob, "tasks/get", "{\"id\":\"" + bobsFirst + "\"}").at("/error/code").asInt())
                .as("bob's oldest went first").isEqualTo(A2aEndpoint.TASK_NOT_FOUND);
    }

    @Test
    void keptTasksAreBoundedInBytesAndHistoryLengthIsALong() {
        String id = rpc(all, "message/send", send("[{\"kind\":\"text\",\"text\":\"list_agents\"}]")).at("/result/id").asText();
        JsonNode whole = rpc(all, "tasks/get", "{\"id\":\"" + id + "\",\"historyLength\":4294967296}").path("result");
        assertThat(whole.path("history")).hasSize(1); // 2^32 did not wrap to 0
        // a rejected task with a 9-MB message (the review's reproduction): answered whole, kept as a note
        String chunk = "x".repeat(1_000_000);
        StringBuilder parts = new StringBuilder("[{\"kind\":\"data\",\"data\":{\"skill\":\"intervene\",\"arguments\":{}}}");
        for (int i = 0; i < 9; i++) {
            parts.append(",{\"kind\":\"text\",\"text\":\"").append(chunk).append("\"}");
        }
        parts.append(']');
        JsonNode sent = rpc(s.token("read"), "message/send", send(parts.toString())).path("result");
        assertThat(sent.at("/status/state").asText()).isEqualTo("rejected");
        assertThat(sent.at("/history/0/parts")).hasSize(10);
        JsonNode kept = rpc(s.token("read"), "tasks/get", "{\"id\":\"" + sent.path("id").asText() + "\"}").path("result");
        assertThat(Json.write(kept).length()).isLessThan(A2aEndpoint.KEPT_TASK_BYTES);
        assertThat(kept.at("/history/0/parts/0/text").asText()).contains("not kept", "bytes");
        assertThat(kept.at("/status/state").asText()).isEqualTo("rejected");
        assertThat(A2aEndpoint.KEPT_BYTES).as("what the kept tasks can pin, against a 3-GiB heap").isLessThan(1L << 30);
    }

    @Test
    void theCardNamesAuraPublicUrlBehindAProxy(@TempDir Path dir) {
        try (TestServer behind = new TestServer(Map.of("AURA_PUBLIC_URL", "https://aura.example.com/"), dir)) {
            assertThat(behind.get("/.well-known/agent-card.json", null).json().path("url").asText()).isEqualTo("https://aura.example.com/a2a");
        }
        assertThatThrownBy(() -> ServerConfig.publicUrl(Map.of("AURA_PUBLIC_URL", "ftp://x"))).hasMessageContaining("AURA_PUBLIC_URL");
        assertThatThrownBy(() -> ServerConfig.publicUrl(Map.of("AURA_PUBLIC_URL", "https://x/?a=b"))).hasMessageContaining("no user info, query");
    }

    @Test
    void badArgumentsFailTheTaskAndAMissingScopeRejectsIt() {
        JsonNode failed = rpc(all, "message/send", skill("intervene", "{\"agents\":[\"a\"],\"intervention_type\":\"reboot\"}")).path("result");
        assertThat(failed.at("/status/state").asText()).isEqualTo("failed");
        JsonNode why = failed.at("/status/message");
        assertThat(why.path("role").asText()).isEqualTo("agent");
        assertThat(why.at("/parts/1/data/field").asText()).isEqualTo("intervention_type");
        assertThat(why.at("/parts/0/text").asText()).contains("circuit_breaker");

        JsonNode rejected = rpc(s.token("read"), "message/send", skill("intervene",
                "{\"agents\":[\"a\"],\"intervention_type\":\"isolate\"}")).path("result");
        assertThat(rejected.at("/status/state").asText()).isEqualTo("rejected");
        assertThat(rejected.at("/status/message/parts/1/data/error").asText()).isEqualTo("insufficient_scope");
        assertThat(rpc(all, "message/send", skill("list_interventions", "{}")).at("/result/artifacts/0/parts/0/data/interventions"))
                .as("nothing was created").isEmpty();
    }

    @Test
    void malformedRequestsGetA2aErrorCodes() {
        assertThat(rpc(all, "message/send", skill("reboot", "{}")).at("/error/message").asText()).contains("unknown skill", "predict_cascade");
        assertThat(rpc(all, "message/send", send("[{\"kind\":\"text\",\"text\":\"how risky is it?\"}]")).at("/error/message").asText())
                .contains("names no skill");
        assertThat(rpc(all, "message/send", send("[{\"kind\":\"file\",\"file\":{\"uri\":\"http://x/y\"}}]")).at("/error/code").asInt())
                .isEqualTo(A2aEndpoint.CONTENT_TYPE_NOT_SUPPORTED);
        assertThat(rpc(all, "message/send", send("[]")).at("/error/message").asText()).contains("non-empty array");
        assertThat(rpc(all, "message/send", "{\"message\":{\"kind\":\"task\",\"role\":\"user\",\"messageId\":\"x\",\"parts\":"
                + "[{\"kind\":\"text\",\"text\":\"list_agents\"}]}}").at("/error/message").asText()).contains("message.kind");
        assertThat(rpc(all, "message/send", "{\"message\":{\"kind\":\"message\",\"role\":\"user\",\"messageId\":\"x\",\"parts\":"
                + "[{\"kind\":\"text\",\"text\":\"list_agents\"}]}}").at("/result/status/state").asText()).isEqualTo("completed");
        assertThat(rpc(all, "message/send", send("[{\"kind\":\"data\",\"data\":7}]")).at("/error/message").asText()).contains("parts[0]");
        assertThat(rpc(all, "message/send", "{\"message\":{\"role\":\"agent\",\"messageId\":\"x\",\"parts\":[]}}").at("/error/message").asText())
                .contains("role");
        assertThat(rpc(all, "message/send", skill("list_agents", "[1]")).at("/error/message").asText()).contains("arguments must be an object");
        assertThat(rpc(all, "tasks/get", "{\"id\":\"nope\"}").at("/error/code").asInt()).isEqualTo(A2aEndpoint.TASK_NOT_FOUND);
        assertThat(rpc(all, "tasks/get", "{\"id\":\"nope\",\"historyLength\":-1}").at("/error/code").asInt()).isEqualTo(-32602);
        assertThat(rpc(all, "tasks/pushNotificationConfig/set", "{}").at("/error/code").asInt()).isEqualTo(A2aEndpoint.PUSH_NOT_SUPPORTED);
        assertThat(rpc(all, "agent/getAuthenticatedExtendedCard", "{}").at("/error/code").asInt())
                .isEqualTo(A2aEndpoint.EXTENDED_CARD_NOT_CONFIGURED);
        assertThat(rpc(all, "tasks/list", "{}").at("/error/code").asInt()).isEqualTo(-32601);
        assertThat(post(all, "{\"jsonrpc\":").json().at("/error/code").asInt()).isEqualTo(-32700);
        assertThat(post(all, "{\"jsonrpc\":\"2.0\",\"method\":\"message/send\"}").json().at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(post(null, "{}").status()).isEqualTo(401);
    }

    @Test
    void messageStreamSendsTheTaskItsArtifactAndAFinalStatusAsServerSentEvents() {
        int id = ++ids;
        TestServer.Response r = post(all, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"message/stream\",\"params\":"
                + skill("analyze_topology", "{\"topology_data\":[[0,0],[1,0],[0,1],[1,1]],\"algorithm\":\"persistent_homology\"}") + "}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<JsonNode> events = new ArrayList<>();
        for (String block : r.body().split("\n\n")) {
            assertThat(block).startsWith("data: ");
            events.add(json(block.substring(6)));
        }
        assertThat(events).hasSize(3).allSatisfy(e -> assertThat(e.path("id").asInt()).isEqualTo(id));
        assertThat(events.get(0).at("/result/kind").asText()).isEqualTo("task");
        assertThat(events.get(0).at("/result/status/state").asText()).isEqualTo("working");
        String taskId = events.get(0).at("/result/id").asText();
        assertThat(events.get(1).at("/result/kind").asText()).isEqualTo("artifact-update");
        assertThat(events.get(1).at("/result/taskId").asText()).isEqualTo(taskId);
        assertThat(events.get(1).at("/result/artifact/parts/0/data/betti_numbers").isMissingNode()).isFalse();
        assertThat(events.get(2).at("/result/kind").asText()).isEqualTo("status-update");
        assertThat(events.get(2).at("/result/status/state").asText()).isEqualTo("completed");
        assertThat(events.get(2).at("/result/final").asBoolean()).isTrue();
        // resubscribing to a finished task gives its final state once
        TestServer.Response again = post(all, "{\"jsonrpc\":\"2.0\",\"id\":99,\"method\":\"tasks/resubscribe\",\"params\":{\"id\":\"" + taskId + "\"}}");
        assertThat(again.body().split("\n\n")).hasSize(1);
        assertThat(json(again.body().substring(6)).at("/result/status/state").asText()).isEqualTo("completed");
        // a malformed stream request is one error event
        TestServer.Response bad = post(all, "{\"jsonrpc\":\"2.0\",\"id\":100,\"method\":\"message/stream\",\"params\":{}}");
        assertThat(bad.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(json(bad.body().substring(6).strip()).at("/error/code").asInt()).isEqualTo(-32602);
    }

    /** message/send with {@code configuration.blocking: false}. */
    static String nonBlocking(String sendParams) {
        return "{\"configuration\":{\"blocking\":false}," + sendParams.substring(1);
    }

    /** A2A events of a server-sent event stream. */
    static List<JsonNode> events(TestServer.Response r) {
        assertThat(r.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<JsonNode> events = new ArrayList<>();
        for (String block : r.body().split("\n\n")) {
            assertThat(block).startsWith("data: ");
            events.add(json(block.substring(6)));
        }
        return events;
    }

    @Test
    void aNonBlockingSendAnswersWorkingAndResubscribeWaitsForTheEnd() {
        JsonNode r = rpc(all, "message/send", nonBlocking(skill("analyze_topology",
                "{\"topology_data\":[[0,0],[1,0],[0,1],[1,1],[5,5]],\"algorithm\":\"persistent_homology\"}")));
        assertThat(r.at("/result/status/state").asText()).as(r.toString()).isEqualTo("working");
        assertThat(r.at("/result/artifacts").isMissingNode()).isTrue();
        String taskId = r.at("/result/id").asText();
        List<JsonNode> ev = events(post(all, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tasks/resubscribe\",\"params\":{\"id\":\"" + taskId
                + "\"}}"));
        JsonNode last = ev.get(ev.size() - 1).path("result");
        assertThat(last.path("kind").asText()).isEqualTo("status-update");
        assertThat(last.at("/status/state").asText()).isEqualTo("completed");
        assertThat(last.path("final").asBoolean()).isTrue();
        JsonNode got = rpc(all, "tasks/get", "{\"id\":\"" + taskId + "\"}").path("result");
        assertThat(got.at("/status/state").asText()).isEqualTo("completed");
        assertThat(got.at("/artifacts/0/parts/0/data/betti_numbers").isMissingNode()).as(got.toString()).isFalse();
        if (ev.size() == 2) { // it was still running when resubscribe came: the artifact streamed too
            assertThat(ev.get(0).at("/result/artifact")).isEqualTo(got.at("/artifacts/0"));
        }
        assertThat(rpc(all, "tasks/cancel", "{\"id\":\"" + taskId + "\"}").at("/error/code").asInt()).isEqualTo(A2aEndpoint.TASK_NOT_CANCELABLE);
        // a token without the scope: rejected at once, not run in the background
        String readOnly = s.token("read");
        JsonNode rej = rpc(readOnly, "message/send", nonBlocking(skill("analyze_topology", "{\"topology_data\":[[0,0]]}")));
        assertThat(rej.at("/result/status/state").asText()).isEqualTo("rejected");
    }

    @Test
    void aRunningTaskIsCanceledByItsCallerOnlyAndStopsComputing() throws InterruptedException {
        // an analysis that would run for minutes, new each run (no cache)
        JsonNode r = rpc(all, "message/send", nonBlocking(skill("analyze_topology", "{\"topology_data\":" + LimitsTest.heavyCloud(new java.util.Random())
                + ",\"algorithm\":\"persistent_homology\",\"parameters\":{\"max_dimension\":2}}")));
        assertThat(r.at("/result/status/state").asText()).as(r.toString()).isEqualTo("working");
        String taskId = r.at("/result/id").asText();
        String other = s.server.tokens().operator("someone-else", java.util.Set.of("analyze", "read"), java.time.Duration.ofMinutes(10));
        assertThat(rpc(other, "tasks/cancel", "{\"id\":\"" + taskId + "\"}").at("/error/code").asInt()).isEqualTo(A2aEndpoint.TASK_NOT_FOUND);
        JsonNode canceled = rpc(all, "tasks/cancel", "{\"id\":\"" + taskId + "\"}");
        assertThat(canceled.at("/result/status/state").asText()).as(canceled.toString()).isEqualTo("canceled");
        JsonNode got = rpc(all, "tasks/get", "{\"id\":\"" + taskId + "\"}").path("result");
        assertThat(got.at("/status/state").asText()).isEqualTo("canceled");
        assertThat(got.path("artifacts").isMissingNode()).isTrue();
        assertThat(rpc(all, "tasks/cancel", "{\"id\":\"" + taskId + "\"}").at("/error/code").asInt()).isEqualTo(A2aEndpoint.TASK_NOT_CANCELABLE);
        assertThat(LimitsTest.computingAfter3s()).as("threads still computing persistence 3 s after the cancel").isNull();
    }
}
