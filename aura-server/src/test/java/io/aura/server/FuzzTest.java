package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10 000 malformed or hostile requests (bad JSON, mutated seed requests, huge numbers, deep
 * nesting, wrong/forged/expired/agent tokens, odd paths and methods): none may get a 5xx, and the
 * server must be healthy afterwards. Seeded, so a failure replays.
 */
class FuzzTest {

    /** 10 000 requests in every run (CI included): about 40 s on a busy 2-core machine. */
    @Test
    void tenThousandHostileRequestsGetNo5xx(@TempDir Path dir) {
        fuzz(dir, 10_000, 20261126L);
    }

    /** -Pslow: another 10 000 from another seed. */
    @Test
    @Tag("slow")
    void anotherTenThousandHostileRequestsGetNo5xx(@TempDir Path dir) {
        fuzz(dir, 10_000, 7L);
    }

    private static void fuzz(Path dir, int requests, long seed) {
        Map<String, String> env = Map.of("TDA_BATCH_SIZE", "40", "MAX_TOPOLOGY_DIMENSION", "8",
                "AURA_MAX_HOMOLOGY_DIMENSION", "2", "AURA_MAX_BODY_BYTES", "65536", "TDA_CACHE_SIZE", "100");
        try (TestServer s = new TestServer(env, dir.resolve("data"))) {
            Random rnd = new Random(seed);
            String good = s.token("analyze", "intervene", "read", "enrol");
            Tokens expiredIssuer = new Tokens(TestServer.SECRET, Clock.offset(Clock.systemUTC(), Duration.ofHours(-3)));
            String expired = expiredIssuer.operator("old", Set.copyOf(Tokens.SCOPES), Duration.ofMinutes(1));
            String forged = new Tokens("forged-secret-0123456789-0123456789-0123", Clock.systemUTC())
                    .operator("mallory", Set.copyOf(Tokens.SCOPES), Duration.ofMinutes(5));
            String agent = s.post("/a2a/auth/agent", good, "{\"agent_id\":\"fuzz_agent\"}").json().path("token").asText();
            List<String> tokens = List.of(good, expired, forged, agent, "", "x", good.substring(0, good.length() - 3),
                    good.replace('.', '_'), s.token(), s.token("read"));
            List<String> seeds = List.of(ServerSuite.SEED_ANALYZE, ServerSuite.SEED_INTERVENE, ServerSuite.SEED_ENROL,
                    "{\"input_type\":\"distance_matrix\",\"topology_data\":[[0,1],[1,0]]}",
                    "{\"input_type\":\"weighted_graph\",\"topology_data\":[[0,1,1],[1,2,2]]}",
                    "{\"agents\":[\"a\"],\"intervention_type\":\"rate_limit\",\"parameters\":{\"rate\":3}}",
                    ServerSuite.SEED_PREDICT,
                    "{\"agents\":[{\"id\":\"a\",\"metrics\":{\"arrivals\":10,\"errors\":2,\"cpu_utilisation\":0.5}},\"b\"],"
                            + "\"edges\":[{\"from\":\"a\",\"to\":\"b\",\"rate\":5,\"failures\":1}]}",
                    "{\"agents\":[\"a\",\"b\"]}",
                    // MCP: the same work through tools/call, and the protocol's own messages
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"analyze_topology\",\"arguments\":"
                            + ServerSuite.SEED_ANALYZE + "}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"method\":\"tools/call\",\"params\":{\"name\":\"predict_cascade\",\"arguments\":"
                            + ServerSuite.SEED_PREDICT + "}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"intervene\",\"arguments\":"
                            + ServerSuite.SEED_INTERVENE + "}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\"}}",
                    // A2A: a skill in a data part, sent and streamed, and a task lookup
                    "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"message/send\",\"params\":{\"message\":{\"role\":\"user\",\"messageId\":\"m\","
                            + "\"parts\":[{\"kind\":\"data\",\"data\":{\"skill\":\"predict_cascade\",\"arguments\":" + ServerSuite.SEED_PREDICT + "}}]}}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"message/stream\",\"params\":{\"message\":{\"role\":\"user\",\"messageId\":\"m\","
                            + "\"parts\":[{\"kind\":\"data\",\"data\":{\"skill\":\"intervene\",\"arguments\":" + ServerSuite.SEED_INTERVENE + "}}]}}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tasks/get\",\"params\":{\"id\":\"t\",\"historyLength\":1}}",
                    // A2A 1.0 (its method names need no header): the same, and a task list's page
                    "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"SendMessage\",\"params\":{\"message\":{\"role\":\"ROLE_USER\",\"messageId\":\"m\","
                            + "\"parts\":[{\"data\":{\"skill\":\"analyze_topology\",\"arguments\":" + ServerSuite.SEED_ANALYZE + "}}]},"
                            + "\"configuration\":{\"returnImmediately\":false}}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"SendStreamingMessage\",\"params\":{\"message\":{\"role\":\"ROLE_USER\","
                            + "\"messageId\":\"m\",\"parts\":[{\"text\":\"list_agents\"}]}}}",
                    "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ListTasks\",\"params\":{\"pageSize\":2,\"status\":\"TASK_STATE_COMPLETED\","
                            + "\"pageToken\":\"MjAyNi0xMS0yOVQwODowMDowMFoKdA\",\"historyLength\":1,\"includeArtifacts\":true}}");
            List<String> paths = List.of("/api/v1/analyze", "/api/v1/predict", "/api/v1/predictions/%s", "/api/v1/intervene", "/api/v1/interventions",
                    "/api/v1/interventions/%s", "/a2a/auth/agent", "/health", "/metrics", "/api/v1/agents",
                    "/api/v1/topology", "/api/v1/%s", "/%s", "/api/v1/interventions?state=%s&limit=%s", "/.well-known/agent-card.json");
            Map<Integer, Integer> statuses = new TreeMap<>();
            List<String> fives = new ArrayList<>();
            Map<Integer, Integer> predictStatuses = new TreeMap<>();
            List<String> aimed = List.of("POST /api/v1/analyze", "POST /api/v1/predict", "POST /api/v1/intervene", "POST /a2a/auth/agent",
                    "DELETE /api/v1/interventions/%s", "GET /api/v1/interventions/%s", "POST /mcp", "POST /a2a");
            for (int i = 0; i < requests; i++) {
                String path;
                String method;
                if (rnd.nextInt(10) < 7) { // aimed at a real route, so that the body reaches validation
                    String[] mp = aimed.get(rnd.nextInt(aimed.size())).split(" ");
                    method = mp[0];
                    path = mp[1];
                } else {
                    path = paths.get(rnd.nextInt(paths.size()));
                    method = List.of("POST", "POST", "POST", "GET", "DELETE", "PUT", "PATCH").get(rnd.nextInt(7));
                }
                path = path.replace("%s", urlSafe(rnd));
                String body = body(rnd, seeds);
                HttpRequest.Builder b = HttpRequest.newBuilder(s.uri(path)).header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.UTF_8)));
                String tok = rnd.nextInt(10) == 0 ? null : rnd.nextBoolean() ? good : tokens.get(rnd.nextInt(tokens.size()));
                if (rnd.nextInt(20) == 0) {
                    b.header("Authorization", List.of("Basic abc", "Bearer", "bearer  " + good, "Token " + good).get(rnd.nextInt(4)));
                    tok = null;
                }
                if (path.equals("/a2a") && rnd.nextInt(4) == 0) {
                    b.header("A2A-Version", List.of("1.0", "0.3", "1.0.1", "2.0", "", "x.y", "1").get(rnd.nextInt(7)));
                }
                TestServer.Response r = s.send(b, tok == null || tok.isEmpty() ? null : tok);
                statuses.merge(r.status(), 1, Integer::sum);
                if (method.equals("POST") && path.equals("/api/v1/predict")) {
                    predictStatuses.merge(r.status(), 1, Integer::sum);
                }
                if (r.status() >= 500) {
                    fives.add(method + " " + path + " -> " + r.status() + " " + r.body() + " <- " + abbreviate(body));
                }
            }
            System.err.println("FuzzTest statuses: " + statuses + "; POST /api/v1/predict: " + predictStatuses);
            assertThat(predictStatuses).as("predict reached both its answer and its validation").containsKeys(200, 400);
            assertThat(fives).as("5xx answers").isEmpty();
            assertThat(s.get("/health", null).status()).isEqualTo(200);
            assertThat(s.post("/api/v1/analyze", good, ServerSuite.SEED_ANALYZE).status()).isEqualTo(200);
        }
    }

    private static String urlSafe(Random rnd) {
        String alphabet = "abcXYZ019_-.~%20";
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(rnd.nextInt(10) == 0 ? 300 : 12);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.toString().replace("%2", "%20").replaceAll("%(?!20)", "p");
    }

    private static String body(Random rnd, List<String> seeds) {
        String seed = seeds.get(rnd.nextInt(seeds.size()));
        return switch (rnd.nextInt(12)) {
            case 0 -> seed;
            case 1 -> seed.substring(0, rnd.nextInt(seed.length())); // truncated
            case 2 -> "[".repeat(1 + rnd.nextInt(5000)) + "]".repeat(rnd.nextInt(3)); // deep nesting
            case 3 -> seed.replaceFirst("[0-9]+(\\.[0-9]+)?", List.of("1e400", "-1e400", "9".repeat(500), "NaN",
                    "Infinity", "-0", "1e-400", "99999999999999999999", "\"7\"", "null", "true", "[]", "{}").get(rnd.nextInt(13)));
            case 4 -> mutate(seed, rnd);
            case 5 -> randomJson(rnd, 0);
            case 6 -> new String(randomBytes(rnd), StandardCharsets.ISO_8859_1);
            case 7 -> "{\"topology_data\":" + bigCloud(rnd) + ",\"parameters\":{\"max_dimension\":" + (rnd.nextInt(5) - 1) + "}}";
            case 8 -> seed.replace("\"", rnd.nextBoolean() ? "'" : "");
            case 9 -> "{\"agents\":" + randomJson(rnd, 0) + ",\"intervention_type\":" + randomJson(rnd, 0) + "}";
            case 10 -> "{\"topology_data\":" + randomJson(rnd, 0) + ",\"algorithm\":" + randomJson(rnd, 0) + "}";
            default -> "";
        };
    }

    private static String mutate(String s, Random rnd) {
        StringBuilder sb = new StringBuilder(s);
        int edits = 1 + rnd.nextInt(4);
        for (int e = 0; e < edits && sb.length() > 0; e++) {
            int at = rnd.nextInt(sb.length());
            switch (rnd.nextInt(3)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> { String ins = "{}[],:\"\\0-e9 \u0000\u00ff"; sb.insert(at, ins.charAt(rnd.nextInt(ins.length()))); }
                default -> sb.setCharAt(at, (char) (32 + rnd.nextInt(95)));
            }
        }
        return sb.toString();
    }

    private static String randomJson(Random rnd, int depth) {
        int k = rnd.nextInt(depth > 3 ? 5 : 8);
        return switch (k) {
            case 0 -> "null";
            case 1 -> Boolean.toString(rnd.nextBoolean());
            case 2 -> Double.toString(rnd.nextGaussian() * Math.pow(10, rnd.nextInt(40) - 20));
            case 3 -> "\"" + "s".repeat(rnd.nextInt(5)) + "\"";
            case 4 -> Long.toString(rnd.nextLong());
            case 5, 6 -> {
                StringBuilder sb = new StringBuilder("[");
                int n = rnd.nextInt(6);
                for (int i = 0; i < n; i++) {
                    sb.append(i == 0 ? "" : ",").append(randomJson(rnd, depth + 1));
                }
                yield sb.append("]").toString();
            }
            default -> "{\"k" + rnd.nextInt(3) + "\":" + randomJson(rnd, depth + 1) + "}";
        };
    }

    private static byte[] randomBytes(Random rnd) {
        byte[] b = new byte[rnd.nextInt(200)];
        rnd.nextBytes(b);
        return b;
    }

    private static String bigCloud(Random rnd) {
        int n = 1 + rnd.nextInt(60);
        int d = 1 + rnd.nextInt(10);
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "[" : ",[");
            for (int k = 0; k < d; k++) {
                sb.append(k == 0 ? "" : ",").append(rnd.nextDouble() * 10);
            }
            sb.append("]");
        }
        return sb.append("]").toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
