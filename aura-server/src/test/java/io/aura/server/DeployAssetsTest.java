package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/: the Grafana dashboard and the alert rules query only metrics a real server exports,
 * and promtool (when installed) accepts every query and passes the rules' unit tests. The
 * optional services' metrics are checked by RedisCacheTest, KnowledgeGraphTest and ClusterTest.
 */
class DeployAssetsTest {

    static final List<String> OPTIONAL = List.of("aura_cache_", "aura_neo4j_", "aura_cluster_");

    @Test
    void theDashboardIsWellFormed() {
        JsonNode d = DeployAssets.read(DeployAssets.DASHBOARD);
        assertThat(d.path("uid").asText()).isEqualTo("aura-overview");
        Set<Integer> ids = new HashSet<>();
        int queries = 0;
        for (JsonNode p : d.path("panels")) {
            assertThat(ids.add(p.path("id").asInt())).as("panel ids are unique").isTrue();
            assertThat(p.path("title").asText()).isNotBlank();
            for (JsonNode t : p.path("targets")) {
                assertThat(t.path("datasource").path("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
                queries++;
            }
        }
        assertThat(queries).isEqualTo(DeployAssets.dashboardQueries().size()).isGreaterThan(20);
    }

    @Test
    void everyQueriedMetricIsExportedByARealServerUnderTraffic(@TempDir Path dir) throws Exception {
        try (TestServer s = new TestServer(Map.of(), dir)) {
            String op = s.token("enrol", "intervene", "analyze", "read");
            String a = s.post("/a2a/auth/agent", op, "{\"agent_id\":\"metrics_a\"}").json().path("token").asText();
            String b = s.post("/a2a/auth/agent", op, "{\"agent_id\":\"metrics_b\"}").json().path("token").asText();
            try (WsClient wa = new WsClient(wsUri(s, "/ws/a2a/metrics_a"), a); WsClient wb = new WsClient(wsUri(s, "/ws/a2a/metrics_b"), b)) {
                wa.nextOf("connected");
                wb.nextOf("connected");
                wa.send("{\"to_agent\":\"metrics_b\",\"type\":\"task\",\"payload\":{}}");
                assertThat(wa.nextOf("ack").path("to_agent").asText()).isEqualTo("metrics_b");
                assertThat(s.post("/api/v1/analyze", op, "{\"topology_data\":[[0,0],[1,0],[0,1],[1,1]],\"algorithm\":\"persistent_homology\"}")
                        .status()).isEqualTo(200);
                Set<String> wanted = DeployAssets.queried("");
                wanted.removeIf(n -> OPTIONAL.stream().anyMatch(n::startsWith));
                assertThat(wanted).contains("aura_cascade_risk", "aura_agent_messages_total", "http_server_requests_seconds_count",
                        "aura_tda_processing_duration_seconds_bucket", "jvm_memory_used_bytes");
                // jvm_gc_pause_seconds appears with the first collection the server's JVM (this one) notices
                System.gc();
                Set<String> exported = DeployAssets.exported(s);
                for (int i = 0; i < 100 && !exported.containsAll(wanted); i++) {
                    Thread.sleep(50);
                    exported = DeployAssets.exported(s);
                }
                assertThat(exported).containsAll(wanted);
            }
        }
    }

    private static java.net.URI wsUri(TestServer s, String path) {
        return java.net.URI.create("ws://127.0.0.1:" + s.server.port() + path);
    }

    @Test
    void promtoolAcceptsTheRulesAndTheDashboardQueriesAndPassesTheRulesTests(@TempDir Path dir) throws Exception {
        String promtool = promtool();
        if (promtool == null) {
            System.err.println("DeployAssetsTest: promtool is not on PATH (apt-get install prometheus); the PromQL checks are skipped");
            Assumptions.assumeTrue(false, "promtool is not installed");
        }
        assertThat(run(promtool, "check", "rules", DeployAssets.ALERTS.toString())).contains("SUCCESS: 10 rules found");
        assertThat(run(promtool, "test", "rules", DeployAssets.ALERTS_TEST.toString())).contains("SUCCESS");
        // every dashboard query as a recording rule, so that promtool parses it as PromQL
        ObjectNode file = Json.object();
        ObjectNode group = file.putArray("groups").addObject();
        group.put("name", "dashboard");
        ArrayNode rules = group.putArray("rules");
        List<String> queries = DeployAssets.dashboardQueries();
        for (int i = 0; i < queries.size(); i++) {
            rules.addObject().put("record", "aura_dashboard:query_" + i).put("expr", queries.get(i));
        }
        Path f = dir.resolve("dashboard-queries.yml"); // JSON is YAML
        Files.writeString(f, Json.write(file));
        assertThat(run(promtool, "check", "rules", f.toString())).contains("SUCCESS: " + queries.size() + " rules found");
        // and a broken query is refused, so the check above means something
        Files.writeString(f, "{\"groups\":[{\"name\":\"x\",\"rules\":[{\"record\":\"x:y\",\"expr\":\"sum(rate(aura_cascade_risk[1m])\"}]}]}");
        Process p = new ProcessBuilder(promtool, "check", "rules", f.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
    }

    private static String promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "promtool");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isZero();
        return out;
    }
}
