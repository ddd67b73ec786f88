package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A2A 1.0's HTTP+JSON binding at /a2a/rest over real HTTP: the routes, bodies without envelope, google.rpc.Status errors. */
class A2aRestTest extends A2aServer {

    TestServer.Response call(String token, String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.uri(A2aRest.PATH + path)).header("A2A-Version", "1.0")
                .header("Content-Type", "application/a2a+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return s.send(b, token);
    }

    static void assertStatus(TestServer.Response r, int http, String status, String reason) {
        assertThat(r.status()).as(r.body()).isEqualTo(http);
        assertThat(r.json().at("/error/code").asInt()).isEqualTo(http);
        assertThat(r.json().at("/error/status").asText()).isEqualTo(status);
        if (reason != null) {
            assertThat(r.json().at("/error/details/0/@type").asText()).isEqualTo("type.googleapis.com/google.rpc.ErrorInfo");
            assertThat(r.json().at("/error/details/0/reason").asText()).isEqualTo(reason);
        }
    }

    static final String SEND = "{\"message\":{\"role\":\"ROLE_USER\",\"messageId\":\"m-r\",\"parts\":[{\"data\":{\"skill\":\"analyze_topology\","
            + "\"arguments\":{\"topology_data\":[[0,0],[1,0],[0,1],[1,1]]}}}]}}";

    @Test
    void theRoutesAnswerTheResultItselfAndErrorsAsGoogleRpcStatus() {
        TestServer.Response sent = call(all, "POST", "/message:send", SEND);
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(sent.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/a2a+json");
        assertThat(sent.json().has("jsonrpc")).isFalse();
        JsonNode task = sent.json().path("task");
        assertThat(task.at("/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(task.at("/artifacts/0/parts/0/data/betti_numbers").isMissingNode()).isFalse();
        String id = task.path("id").asText();

        TestServer.Response got = call(all, "GET", "/tasks/" + id + "?historyLength=0", null);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().path("id").asText()).isEqualTo(id);
        assertThat(got.json().has("history")).isFalse();

        TestServer.Response listed = call(all, "GET", "/tasks?pageSize=5&status=TASK_STATE_COMPLETED&includeArtifacts=true", null);
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        assertThat(listed.json().path("tasks").size()).isBetween(1, 5);
        assertThat(listed.json().at("/tasks/0/artifacts").isArray()).isTrue();
        assertThat(listed.json().has("nextPageToken")).isTrue();

        assertStatus(call(all, "POST", "/tasks/" + id + ":cancel", null), 400, "FAILED_PRECONDITION", "TASK_NOT_CANCELABLE");
        assertStatus(call(all, "POST", "/tasks/" + id + ":subscribe", null), 400, "FAILED_PRECONDITION", "UNSUPPORTED_OPERATION");
        assertStatus(call(all, "GET", "/tasks/no-such-task", null), 404, "NOT_FOUND", "TASK_NOT_FOUND");
        assertStatus(call(all, "POST", "/tasks/" + id + ":frobnicate", null), 404, "NOT_FOUND", null);
        assertStatus(call(all, "POST", "/message:send", "{not json"), 400, "INVALID_ARGUMENT", null);
        assertStatus(call(all, "POST", "/message:send", "{\"message\":{\"role\":\"user\"}}"), 400, "INVALID_ARGUMENT", null);
        assertStatus(call(all, "GET", "/tasks?pageSize=0", null), 400, "INVALID_ARGUMENT", null);
        assertStatus(call(all, "POST", "/tasks/" + id + "/pushNotificationConfigs", "{\"url\":\"https://example.com\"}"), 400,
                "FAILED_PRECONDITION", "PUSH_NOTIFICATION_NOT_SUPPORTED");
        assertStatus(call(all, "GET", "/extendedAgentCard", null), 400, "FAILED_PRECONDITION", "UNSUPPORTED_OPERATION");
        TestServer.Response v03 = s.send(HttpRequest.newBuilder(s.uri(A2aRest.PATH + "/tasks/" + id)).header("A2A-Version", "0.3").GET(), all);
        assertStatus(v03, 400, "FAILED_PRECONDITION", "VERSION_NOT_SUPPORTED");
        // the same auth as everywhere: no token is 401, another caller's task is not found
        assertThat(call(null, "GET", "/tasks/" + id, null).status()).isEqualTo(401);
        String other = s.server.tokens().operator("rest-other", java.util.Set.of("read"), java.time.Duration.ofMinutes(5));
        assertStatus(call(other, "GET", "/tasks/" + id, null), 404, "NOT_FOUND", "TASK_NOT_FOUND");
    }

    @Test
    void messageStreamSendsStreamResponsesWithoutTheEnvelope() {
        TestServer.Response r = call(all, "POST", "/message:stream", SEND);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<JsonNode> ev = new java.util.ArrayList<>();
        for (String block : r.body().split("\n\n")) {
            assertThat(block).startsWith("data: ");
            ev.add(Json.parseObject(block.substring(6).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        assertThat(ev).hasSize(3);
        assertThat(ev.get(0).at("/task/status/state").asText()).isEqualTo("TASK_STATE_WORKING");
        assertThat(ev.get(1).has("artifactUpdate")).isTrue();
        assertThat(ev.get(2).at("/statusUpdate/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(ev).noneMatch(e -> e.has("jsonrpc"));
        // refused before a task began: one JSON error, not a stream
        TestServer.Response bad = call(all, "POST", "/message:stream", "{}");
        assertStatus(bad, 400, "INVALID_ARGUMENT", null);
    }
}
