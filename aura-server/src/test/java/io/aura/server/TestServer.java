package io.aura.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A real server on a free port with a real database: embedded H2 in a directory, or the PostgreSQL
 * named by AURA_TEST_POSTGRES_URL in a fresh random schema. Requests go over HTTP.
 */
final class TestServer implements AutoCloseable {

    static final String SECRET = "test-secret-0123456789-0123456789-0123456789";
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Map<String, String> env;
    final Path dataDir;
    private final Clock clock;
    AuraServer server;

    /** Environment of a database backend: H2 (null url) or PostgreSQL with a new schema. */
    static Map<String, String> dbEnv(String postgresUrl) {
        Map<String, String> env = new HashMap<>();
        if (postgresUrl != null) {
            env.put("AURA_DB_URL", postgresUrl);
            env.put("AURA_DB_USER", System.getenv().getOrDefault("AURA_TEST_POSTGRES_USER", "postgres"));
            env.put("AURA_DB_SCHEMA", "aura_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT));
        }
        return env;
    }

    /** A fresh schema on the test PostgreSQL for replicas to share (skipped, or in CI failed, without AURA_TEST_POSTGRES_URL). */
    static Map<String, String> sharedPostgres(String test) {
        return dbEnv(envOrSkip("AURA_TEST_POSTGRES_URL", test + " skipped: the replicas need a shared database and AURA_TEST_POSTGRES_URL is unset"));
    }

    /** Drops the schema {@link #dbEnv} made (PostgreSQL). */
    static void dropSchema(Map<String, String> env) {
        try (var c = java.sql.DriverManager.getConnection(env.get("AURA_DB_URL"), env.get("AURA_DB_USER"), null);
             var st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + env.get("AURA_DB_SCHEMA") + " CASCADE");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot drop the test schema", e);
        }
    }

    /** Waits (at most 15 s) until this replica's cluster has {@code n} members; the count it reached. */
    int awaitMembers(int n) throws InterruptedException {
        int m = 0;
        for (int i = 0; i < 300 && (m = get("/health", null).json().at("/checks/cluster/members").asInt()) < n; i++) {
            Thread.sleep(50);
        }
        return m;
    }

    /**
     * The value of a test service's variable (AURA_TEST_POSTGRES_URL, AURA_TEST_REDIS_URL). Unset: in
     * CI (CI=true) a failure, since .ci/run must export it; elsewhere the calling test is skipped
     * after printing why.
     */
    static String envOrSkip(String variable, String skipped) {
        String v = System.getenv(variable);
        if (v == null || v.isBlank()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true but " + variable + " is unset: .ci/run must export it");
            }
            System.err.println(skipped);
            org.junit.jupiter.api.Assumptions.assumeTrue(false, variable + " is unset");
        }
        return v;
    }

    TestServer(Map<String, String> extraEnv, Path dataDir) {
        this(extraEnv, dataDir, Clock.systemUTC());
    }

    /** A server on the given clock (tokens, interventions, expiry sweeps). */
    TestServer(Map<String, String> extraEnv, Path dataDir, Clock clock) {
        this.clock = clock;
        this.env = new HashMap<>(extraEnv);
        env.putIfAbsent("AURA_JWT_SECRET", SECRET);
        this.dataDir = dataDir;
        start();
    }

    void start() {
        server = AuraServer.start(ServerConfig.fromEnv(env, 0, dataDir, null), clock);
    }

    void restart() {
        server.close();
        start();
    }

    String token(String... scopes) {
        return server.tokens().operator("tester", Set.of(scopes), Duration.ofMinutes(10));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /**
     * A WebSocket upgrade of {@code path} sent by hand (java.net.http hides a refused upgrade's body):
     * the server's answer, its status line, headers and, for a refusal, the JSON error.
     */
    String upgrade(String path, String token) throws java.io.IOException {
        try (java.net.Socket sock = new java.net.Socket("127.0.0.1", server.port())) {
            sock.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            sock.setSoTimeout(5000);
            StringBuilder got = new StringBuilder();
            byte[] buf = new byte[4000];
            // a 101 ends with its headers; a refusal carries {error, message, field}
            while (!(got.toString().startsWith("HTTP/1.1 101") && got.toString().contains("\r\n\r\n"))
                    && !got.toString().contains("\"field\"")) {
                int n = sock.getInputStream().read(buf);
                if (n < 0) {
                    break;
                }
                got.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8));
            }
            return got.toString();
        }
    }

    Response get(String path, String token) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), token);
    }

    Response delete(String path, String token) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), token);
    }

    Response post(String path, String token, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), token);
    }

    Response send(HttpRequest.Builder b, String token) {
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = CLIENT.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Response(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
