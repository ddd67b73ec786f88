package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The MCP endpoint over real HTTP, as an MCP client speaks to it (Streamable HTTP, JSON answers). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpTest {

    TestServer s;
    String all;
    int ids;

    @BeforeAll
    void start(@TempDir Path dir) {
        s = new TestServer(Map.of("AURA_ENROLMENT_KEY", "k"), dir);
        all = s.token("analyze", "intervene", "read");
    }

    @AfterAll
    void stop() {
        s.close();
    }

    TestServer.Response post(String token, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.uri("/mcp")).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return s.send(b, token);
    }

    /** A JSON-RPC request; the answer's JSON. */
    JsonNode rpc(String token, String method, String params) {
        int id = ++ids;
        TestServer.Response r = post(token, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\""
                + (params == null ? "" : ",\"params\":" + params) + "}", "MCP-Protocol-Version", "2025-06-18");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.raw().headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode j = r.json();
        assertThat(j.path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(j.path("id").asInt()).isEqualTo(id);
        return j;
    }

    /** tools/call; the result. */
    JsonNode call(String token, String tool, String arguments) throws Exception {
        JsonNode r = rpc(token, "tools/call", "{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}").path("result");
        assertThat(r.isMissingNode()).as("a result").isFalse();
        // the text content is the structured content, for clients that read text only
        String text = r.at("/content/0/text").asText();
        if (r.get("isError").asBoolean()) {
            assertThat(text).startsWith(r.at("/structuredContent/error").asText() + ": ");
        } else {
            assertThat(Json.MAPPER.readTree(text)).isEqualTo(r.get("structuredContent"));
        }
        return r;
    }

    @Test
    void initializeNegotiatesTheVersionAndNotificationsAreAccepted() {
        JsonNode init = rpc(all, "initialize", "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}");
        assertThat(init.at("/result/protocolVersion").asText()).isEqualTo("2025-06-18");
        assertThat(init.at("/result/serverInfo/name").asText()).isEqualTo("aura");
        assertThat(init.at("/result/capabilities/tools").isObject()).isTrue();
        assertThat(rpc(all, "initialize", "{\"protocolVersion\":\"2025-03-26\"}").at("/result/protocolVersion").asText()).isEqualTo("2025-03-26");
        JsonNode latest = rpc(all, "initialize", "{\"protocolVersion\":\"2025-11-25\"}").path("result");
        assertThat(latest.path("protocolVersion").asText()).isEqualTo("2025-11-25");
        assertThat(latest.at("/serverInfo/description").asText()).contains("cascading failures");
        assertThat(init.at("/result/serverInfo/description").isMissingNode()).as("no field 2025-06-18 does not define").isTrue();
        assertThat(rpc(all, "initialize", "{\"protocolVersion\":\"2099-01-01\"}").at("/result/protocolVersion").asText()).isEqualTo("2025-11-25");
        TestServer.Response n = post(all, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        assertThat(n.status()).isEqualTo(202);
        assertThat(n.body()).isEmpty();
        assertThat(post(all, "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}").status()).isEqualTo(202);
        assertThat(rpc(all, "ping", null).path("result").isObject()).isTrue();
    }

    @Test
    void toolsAreListedWithSchemasAndHints() {
        JsonNode tools = rpc(all, "tools/list", null).at("/result/tools");
        List<String> names = new ArrayList<>();
        tools.forEach(t -> {
            names.add(t.path("name").asText());
            assertThat(t.at("/inputSchema/type").asText()).isEqualTo("object");
            assertThat(t.path("description").asText()).contains("Needs scope");
            assertThat(t.at("/annotations/readOnlyHint").isBoolean()).isTrue();
        });
        assertThat(names).containsExactly("predict_cascade", "analyze_topology", "intervene", "list_interventions",
                "revoke_intervention", "get_topology", "list_agents");
    }

    @Test
    void predictAndAnalyzeDoWhatTheirEndpointsDoAndAreStored() throws Exception {
        JsonNode p = call(all, "predict_cascade", "{\"agents\":[\"mcp_a\",\"mcp_b\"]}");
        assertThat(p.get("isError").asBoolean()).isFalse();
        double risk = p.at("/structuredContent/cascade_risk").asDouble(-1);
        assertThat(risk).isBetween(0.0, 1.0);
        String pid = p.at("/structuredContent/prediction_id").asText();
        assertThat(s.get("/api/v1/predictions/" + pid, all).status()).isEqualTo(200);

        JsonNode a = call(all, "analyze_topology", "{\"topology_data\":[[0,0],[1,0],[0,1],[1,1]]}");
        assertThat(a.get("isError").asBoolean()).isFalse();
        assertThat(a.at("/structuredContent/signature_id").asText()).isNotBlank();
        JsonNode direct = s.post("/api/v1/analyze", all, "{\"topology_data\":[[0,0],[1,0],[0,1],[1,1]]}").json();
        assertThat(a.at("/structuredContent/betti_numbers")).isEqualTo(direct.get("betti_numbers"));
    }

    @Test
    void interventionsMadeByAToolAreEnforcedListedAndRevoked() throws Exception {
        JsonNode iv = call(all, "intervene", "{\"agents\":[\"mcp_target\"],\"intervention_type\":\"circuit_breaker\",\"parameters\":{\"duration\":120}}");
        assertThat(iv.get("isError").asBoolean()).isFalse();
        String id = iv.at("/structuredContent/id").asText();
        assertThat(s.get("/api/v1/interventions/" + id, all).json().path("state").asText()).isEqualTo("active");
        JsonNode listed = call(all, "list_interventions", "{\"state\":\"active\"}");
        assertThat(listed.at("/structuredContent/interventions").findValuesAsText("id")).contains(id);
        JsonNode revoked = call(all, "revoke_intervention", "{\"id\":\"" + id + "\"}");
        assertThat(revoked.at("/structuredContent/state").asText()).isEqualTo("revoked");
        JsonNode again = call(all, "revoke_intervention", "{\"id\":\"no-such-id\"}");
        assertThat(again.get("isError").asBoolean()).isTrue();
        assertThat(again.at("/structuredContent/error").asText()).isEqualTo("not_found");
        assertThat(call(all, "get_topology", "{}").at("/structuredContent/edges").isArray()).isTrue();
        assertThat(call(all, "list_agents", "{}").at("/structuredContent/agents").isArray()).isTrue();
        // the tools without arguments refuse one, as the others refuse an unknown one
        JsonNode extra = call(all, "get_topology", "{\"limit\":5}");
        assertThat(extra.get("isError").asBoolean()).isTrue();
        assertThat(extra.at("/structuredContent/field").asText()).isEqualTo("limit");
        assertThat(call(all, "list_agents", "{\"x\":1}").get("isError").asBoolean()).isTrue();
    }

    @Test
    void badArgumentsAreToolErrorsNamingTheFieldAndScopesHold() throws Exception {
        JsonNode bad = call(all, "analyze_topology", "{\"topology_data\":[[0,\"x\"]]}");
        assertThat(bad.get("isError").asBoolean()).isTrue();
        assertThat(bad.at("/structuredContent/field").asText()).startsWith("topology_data");
        assertThat(bad.at("/content/0/text").asText()).contains("field topology_data");
        JsonNode noType = call(all, "intervene", "{\"agents\":[\"x\"]}");
        assertThat(noType.get("isError").asBoolean()).isTrue();
        assertThat(noType.at("/structuredContent/field").asText()).isEqualTo("intervention_type");
        JsonNode extra = call(all, "list_interventions", "{\"sort\":\"x\"}");
        assertThat(extra.get("isError").asBoolean()).isTrue();

        String reader = s.token("read");
        JsonNode refused = call(reader, "intervene", "{\"agents\":[\"x\"],\"intervention_type\":\"isolate\"}");
        assertThat(refused.get("isError").asBoolean()).isTrue();
        assertThat(refused.at("/structuredContent/error").asText()).isEqualTo("insufficient_scope");
        assertThat(s.get("/api/v1/interventions?state=all", all).json().path("interventions").findValuesAsText("agents")).isEmpty();
        assertThat(call(reader, "list_agents", "{}").get("isError").asBoolean()).isFalse();
    }

    @Test
    void protocolMistakesAreJsonRpcErrorsAndHttpRulesHold() throws Exception {
        TestServer.Response parse = post(all, "{not json");
        assertThat(parse.status()).isEqualTo(400);
        assertThat(parse.json().at("/error/code").asInt()).isEqualTo(-32700);
        TestServer.Response batch = post(all, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]");
        assertThat(batch.status()).isEqualTo(400);
        assertThat(batch.json().at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(post(all, "{\"id\":1,\"method\":\"ping\"}").json().at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(post(all, "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"ping\"}").json().at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(rpc(all, "resources/list", null).at("/error/code").asInt()).isEqualTo(-32601);
        assertThat(rpc(all, "tools/call", "{\"name\":\"rm_rf\"}").at("/error/code").asInt()).isEqualTo(-32602);
        assertThat(rpc(all, "tools/call", "{\"name\":\"list_agents\",\"arguments\":[1]}").at("/error/code").asInt()).isEqualTo(-32602);
        TestServer.Response version = post(all, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "MCP-Protocol-Version", "1999-01-01");
        assertThat(version.status()).isEqualTo(400);
        assertThat(version.body()).contains("2025-06-18");

        assertThat(post(null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}").status()).isEqualTo(401);
        String agent = s.post("/a2a/auth/agent", s.token("enrol"), "{\"agent_id\":\"mcp_agent\"}").json().path("token").asText();
        assertThat(post(agent, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}").status()).isEqualTo(403);
        assertThat(post(all, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "Origin", "https://evil.example").status()).isEqualTo(403);
        assertThat(post(all, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "Origin", "http://127.0.0.1:" + s.server.port()).status())
                .isEqualTo(200);
        // DNS rebinding: the attacker's name resolves to this server, so it is the Host as well as the Origin
        try (java.net.Socket sock = new java.net.Socket("127.0.0.1", s.server.port())) {
            String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
            sock.getOutputStream().write(("POST /mcp HTTP/1.1\r\nHost: evil.example:" + s.server.port() + "\r\nOrigin: http://evil.example:"
                    + s.server.port() + "\r\nAuthorization: Bearer " + all + "\r\nContent-Type: application/json\r\n"
                    + "Accept: application/json, text/event-stream\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            sock.setSoTimeout(5000);
            assertThat(new String(sock.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).startsWith("HTTP/1.1 403");
        }
    }

    @Test
    void pagesOfLoopbackHostsAndOfThePublicUrlMayCallTheTools() {
        McpEndpoint m = new McpEndpoint(java.util.List.of(), "t", "https://aura.example.com/base");
        assertThat(m.allowedOrigin("https://aura.example.com")).isTrue();
        assertThat(m.allowedOrigin("https://AURA.example.com:443")).isTrue();
        assertThat(m.allowedOrigin("http://aura.example.com")).as("another scheme is another origin").isFalse();
        assertThat(m.allowedOrigin("https://aura.example.com:8443")).isFalse();
        assertThat(m.allowedOrigin("http://localhost:6274")).isTrue();
        assertThat(m.allowedOrigin("http://127.0.0.1:3000")).isTrue();
        assertThat(m.allowedOrigin("http://[::1]:3000")).isTrue();
        assertThat(m.allowedOrigin("http://evil.example:8080")).isFalse();
        assertThat(m.allowedOrigin("null")).isFalse();
        assertThat(m.allowedOrigin("file://")).isFalse();
        assertThat(new McpEndpoint(java.util.List.of(), "t", null).allowedOrigin("https://aura.example.com")).isFalse();
        TestServer.Response get = s.get("/mcp", all);
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.json().path("error").asText()).isEqualTo("method_not_allowed");
    }
}
