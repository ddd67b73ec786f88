package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AURA's MCP server driven by the official MCP Java SDK's client (Streamable HTTP transport), as an
 * LLM agent's framework would: the handshake, the tool list with its schemas, tool calls that work,
 * one whose arguments are wrong (a tool error the model can read), an unknown tool, and a token
 * without the scope.
 */
class McpSdkTest {

    static McpSyncClient client(TestServer s, String token) {
        HttpClientStreamableHttpTransport t = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + s.server.port())
                .endpoint("/mcp").requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token)).build();
        return McpClient.sync(t).requestTimeout(Duration.ofSeconds(30)).build();
    }

    static McpSchema.CallToolRequest call(String tool, Map<String, Object> arguments) {
        return McpSchema.CallToolRequest.builder(tool).arguments(arguments).build();
    }

    @Test
    @SuppressWarnings("unchecked") // structuredContent is the JSON object the SDK read
    void theOfficialJavaSdkClientUsesEveryTool(@TempDir Path dir) {
        try (TestServer s = new TestServer(Map.of(), dir); McpSyncClient c = client(s, s.token("analyze", "intervene", "read"))) {
            McpSchema.InitializeResult init = c.initialize();
            assertThat(init.protocolVersion()).as("the newest revision both speak").isEqualTo(McpEndpoint.VERSIONS.get(0));
            assertThat(init.serverInfo().name()).isEqualTo("aura");
            assertThat(init.capabilities().tools()).isNotNull();
            c.ping();
            List<McpSchema.Tool> tools = c.listTools().tools();
            assertThat(tools).extracting(McpSchema.Tool::name).contains("predict_cascade", "analyze_topology", "intervene",
                    "list_interventions", "revoke_intervention", "get_topology", "list_agents");
            assertThat(tools).allSatisfy(tool -> assertThat(tool.inputSchema()).isNotNull());

            McpSchema.CallToolResult analyzed = c.callTool(call("analyze_topology",
                    Map.of("topology_data", List.of(List.of(0, 0), List.of(1, 0), List.of(0, 1), List.of(1, 1)))));
            assertThat(analyzed.isError()).isFalse();
            assertThat(((Map<String, Object>) analyzed.structuredContent()).keySet()).contains("betti_numbers", "diagrams", "signature_id");
            assertThat(((McpSchema.TextContent) analyzed.content().get(0)).text()).contains("betti_numbers");

            McpSchema.CallToolResult predicted = c.callTool(call("predict_cascade",
                    Map.of("agents", List.of("cache", "api"))));
            assertThat(predicted.isError()).as(String.valueOf(predicted.content())).isFalse();
            assertThat(((Map<String, Object>) predicted.structuredContent()).keySet()).contains("cascade_risk", "critical_agents");

            McpSchema.CallToolResult wrong = c.callTool(call("analyze_topology", Map.of("topology_data", "nope")));
            assertThat(wrong.isError()).isTrue();
            assertThat(((McpSchema.TextContent) wrong.content().get(0)).text()).contains("topology_data");

            assertThatThrownBy(() -> c.callTool(call("no_such_tool", Map.of())))
                    .hasMessageContaining("no_such_tool");
        }
    }

    @Test
    void aTokenWithoutTheScopeGetsAToolErrorNotAnAnswer(@TempDir Path dir) {
        try (TestServer s = new TestServer(Map.of(), dir); McpSyncClient c = client(s, s.token("read"))) {
            c.initialize();
            McpSchema.CallToolResult r = c.callTool(call("intervene",
                    Map.of("agents", List.of("x"), "intervention_type", "isolate")));
            assertThat(r.isError()).isTrue();
            assertThat(((McpSchema.TextContent) r.content().get(0)).text()).contains("intervene");
            assertThat(c.callTool(call("list_agents", Map.of())).isError()).isFalse();
        }
    }
}
