package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aura.tda.DistanceMatrix;
import io.aura.tda.PersistenceResult;
import io.aura.tda.PointCloud;
import io.aura.tda.RipsOptions;
import io.aura.tda.SparseDistanceMatrix;
import io.aura.tda.VietorisRips;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared analyze cache in Redis. The configuration and the document's JSON round trip are
 * checked everywhere; the cache itself against the real Redis named by AURA_TEST_REDIS_URL (skipped
 * with a printed reason when unset, except in CI, where it fails), and against a Redis that is not
 * there (a closed port).
 */
class RedisCacheTest {

    @TempDir
    Path tmp;

    // ---- configuration ----

    private static ServerConfig.Redis redisConfig(Map<String, String> env, List<String> warnings) {
        return ServerConfig.redis(env, warnings);
    }

    @Test
    void configurationNamesTheKeyAndRedactsThePassword() {
        List<String> w = new ArrayList<>();
        assertThat(redisConfig(Map.of(), w)).isNull();
        assertThat(w).isEmpty();
        redisConfig(Map.of("AURA_REDIS_TTL_SECONDS", "60"), w);
        assertThat(w).singleElement().asString().contains("AURA_REDIS_TTL_SECONDS").contains("no effect");

        w.clear();
        ServerConfig.Redis r = redisConfig(Map.of("REDIS_URL", "redis://127.0.0.1:6379/2", "REDIS_PASSWORD", "s3cret-pw"), w);
        assertThat(r.url()).isEqualTo("redis://127.0.0.1:6379/2");
        assertThat(r.password()).isEqualTo("s3cret-pw");
        assertThat(r.ttlSeconds()).isEqualTo(3_600); // the seed's topology_ttl
        assertThat(r.timeoutMs()).isEqualTo(100);
        assertThat(r.prefix()).isEqualTo("aura:");
        assertThat(r.toString()).doesNotContain("s3cret-pw");
        assertThat(w).isEmpty();

        ServerConfig.Redis withPassword = redisConfig(Map.of("AURA_REDIS_URL", "rediss://user:url-pw@cache.example:6380",
                "REDIS_PASSWORD", "other"), w);
        assertThat(withPassword.password()).isNull();
        assertThat(withPassword.toString()).doesNotContain("url-pw").contains("rediss://cache.example:6380");
        assertThat(w).singleElement().asString().contains("the URL's is used");

        ServerConfig full = ServerConfig.fromEnv(Map.of("AURA_REDIS_URL", "redis://:pw-in-url@127.0.0.1:6379",
                "AURA_JWT_SECRET", TestServer.SECRET), 0, tmp, null);
        assertThat(full.toString()).contains("redis=redis://127.0.0.1:6379").doesNotContain("pw-in-url");
    }

    @Test
    void badRedisSettingsAreRefusedWithTheKeyAndAnExample() {
        List<String> w = new ArrayList<>();
        assertThatThrownBy(() -> redisConfig(Map.of("AURA_REDIS_URL", "http://127.0.0.1:6379"), w))
                .hasMessageContaining("redis:// or rediss://").hasMessageContaining("e.g. AURA_REDIS_URL=");
        assertThatThrownBy(() -> redisConfig(Map.of("AURA_REDIS_URL", "redis://:pw@/0"), w))
                .hasMessageContaining("no host name").hasMessageNotContaining("pw");
        assertThatThrownBy(() -> redisConfig(Map.of("AURA_REDIS_URL", "redis://127.0.0.1:6379/cache"), w))
                .hasMessageContaining("database number");
        assertThatThrownBy(() -> redisConfig(Map.of("AURA_REDIS_URL", "redis://a b"), w))
                .hasMessageContaining("not a valid URL");
        assertThatThrownBy(() -> redisConfig(Map.of("AURA_REDIS_URL", "redis://127.0.0.1", "AURA_REDIS_TTL_SECONDS", "0"), w))
                .hasMessageContaining("AURA_REDIS_TTL_SECONDS must be in 1..");
        assertThatThrownBy(() -> redisConfig(Map.of("AURA_REDIS_URL", "redis://127.0.0.1", "AURA_REDIS_PREFIX", "a b"), w))
                .hasMessageContaining("AURA_REDIS_PREFIX");
    }

    // ---- the document's JSON round trip ----

    @Test
    void aDocumentReadBackFromJsonEqualsTheOneBuilt() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int t = 0; t < 30; t++) {
            int n = 2 + rnd.nextInt(40);
            int dim = 1 + rnd.nextInt(4);
            double[][] pts = new double[n][dim];
            for (double[] p : pts) {
                for (int k = 0; k < dim; k++) {
                    p[k] = rnd.nextInt(4) == 0 ? rnd.nextInt(3) : rnd.nextGaussian() * 10; // ties too
                }
            }
            RipsOptions.Builder ob = RipsOptions.builder().maxDimension(rnd.nextInt(3));
            if (rnd.nextBoolean()) {
                ob.threshold((float) rnd.nextDouble(0, 20));
            }
            RipsOptions o = ob.build();
            PersistenceResult r = VietorisRips.compute(PointCloud.of(pts), o);
            check(AnalyzeDocument.build("point-cloud", dim, AnalyzeDocument.InputKind.DENSE, o, r,
                    rnd.nextBoolean() ? null : rnd.nextDouble(0, 5), 1 + rnd.nextInt(64)));
        }
        // sparse input: essential classes of several components, and an empty dimension 1
        SparseDistanceMatrix.Builder b = SparseDistanceMatrix.builder(5);
        b.add(0, 1, 1f);
        b.add(2, 3, 2.5f);
        PersistenceResult sparse = VietorisRips.compute(b.build(), RipsOptions.defaults());
        check(AnalyzeDocument.build("weighted-graph", null, AnalyzeDocument.InputKind.SPARSE, RipsOptions.defaults(), sparse, null, 8));
        PersistenceResult one = VietorisRips.compute(DistanceMatrix.ofFull(new double[][] {{0}}), RipsOptions.defaults());
        check(AnalyzeDocument.build("distance-matrix", null, AnalyzeDocument.InputKind.DENSE, RipsOptions.defaults(), one, null, 4));
    }

    private static void check(ObjectNode built) {
        String text = Json.write(built);
        ObjectNode back;
        try {
            back = AnalyzeDocument.fromJson(Json.MAPPER.readTree(text));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertThat(back).isEqualTo(built); // node types included: a float stays a float
        assertThat(Json.write(back)).isEqualTo(text);
        assertThat(back.at("/filtration/threshold").asDouble()).isEqualTo(built.at("/filtration/threshold").asDouble());
    }

    @Test
    void aValueWithoutTheDocumentsShapeIsNoDocument() throws Exception {
        PersistenceResult r = VietorisRips.compute(PointCloud.of(new double[][] {{0, 0}, {1, 0}, {0, 1}}), RipsOptions.defaults());
        ObjectNode good = AnalyzeDocument.build("point-cloud", 2, AnalyzeDocument.InputKind.DENSE, RipsOptions.defaults(), r, null, 4);
        for (String bad : List.of("[]", "{}", "\"x\"", "{\"diagrams\": []}")) {
            assertThat(AnalyzeDocument.fromJson(Json.MAPPER.readTree(bad))).as(bad).isNull();
        }
        for (String path : List.of("/diagrams/0/intervals/0", "/filtration/threshold", "/summaries/0/entropy", "/input/points")) {
            ObjectNode broken = (ObjectNode) Json.MAPPER.readTree(Json.write(good));
            JsonNode parent = broken.at(path.substring(0, path.lastIndexOf('/')));
            String last = path.substring(path.lastIndexOf('/') + 1);
            if (parent.isArray()) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) parent).set(Integer.parseInt(last), Json.MAPPER.getNodeFactory().textNode("x"));
            } else {
                ((ObjectNode) parent).put(last, "x");
            }
            assertThat(AnalyzeDocument.fromJson(broken)).as(path).isNull();
        }
    }

    // ---- against a Redis that is not there ----

    @Test
    void aServerWhoseRedisIsDownStartsComputesAndSaysSoInHealth() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (TestServer s = new TestServer(Map.of("AURA_REDIS_URL", "redis://127.0.0.1:" + port, "AURA_REDIS_TIMEOUT_MS", "50"),
                tmp.resolve("down"))) {
            String token = s.token("analyze");
            for (int i = 0; i < 2; i++) {
                TestServer.Response a = s.post("/api/v1/analyze", token, CLOUD);
                assertThat(a.status()).isEqualTo(200);
                assertThat(a.json().get("cache_hit").asBoolean()).isEqualTo(i == 1); // the second is the memory cache's
            }
            TestServer.Response h = s.get("/health", null);
            assertThat(h.status()).isEqualTo(200);
            assertThat(h.json().get("status").asText()).isEqualTo("UP");
            assertThat(h.json().at("/checks/cache/status").asText()).isEqualTo("DOWN");
            assertThat(h.json().at("/checks/cache/kind").asText()).isEqualTo("redis");
            assertThat(metric(s, "aura_cache_requests_total", "redis", "skipped")).isEqualTo(1); // the first; the second hit memory
        }
    }

    @Test
    void aServerThatFailsToStartLeavesNoThreadBehind() throws Exception {
        List<String> prefixes = List.of("aura-redis-connect", "aura-predictor", "aura-live-history", "aura-prediction-writer",
                "aura-ticker", "aura-analyze-", "lettuce-");
        long before = threads(prefixes);
        int redisPort;
        try (ServerSocket s = new ServerSocket(0)) {
            redisPort = s.getLocalPort();
        }
        try (ServerSocket busy = new ServerSocket(0)) { // the HTTP port is taken: start-up fails after the loop started
            Map<String, String> env = Map.of("AURA_JWT_SECRET", TestServer.SECRET, "AURA_REDIS_URL", "redis://127.0.0.1:" + redisPort);
            assertThatThrownBy(() -> AuraServer.start(ServerConfig.fromEnv(env, busy.getLocalPort(), tmp.resolve("busy"), null),
                    java.time.Clock.systemUTC())).isInstanceOf(RuntimeException.class);
        }
        for (int i = 0; i < 300 && threads(prefixes) > before; i++) {
            Thread.sleep(10);
        }
        assertThat(threads(prefixes)).isEqualTo(before);
    }

    private static long threads(List<String> prefixes) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> prefixes.stream().anyMatch(t.getName()::startsWith)).count();
    }

    // ---- against the real Redis ----

    static String redisUrl() {
        return TestServer.envOrSkip("AURA_TEST_REDIS_URL",
                "RedisCacheTest: the real-Redis tests are skipped: AURA_TEST_REDIS_URL is unset (e.g. redis://127.0.0.1:6379)");
    }

    static final String CLOUD = "{\"topology_data\": [[0, 0], [1, 0], [0, 1], [1, 1], [0.5, 2.1], [3, 3]],"
            + " \"algorithm\": \"persistent_homology\", \"parameters\": {\"max_dimension\": 1}}";

    private Map<String, String> env(String url, String prefix) {
        Map<String, String> env = new HashMap<>();
        env.put("AURA_REDIS_URL", url);
        env.put("AURA_REDIS_PREFIX", prefix);
        env.put("AURA_REDIS_TTL_SECONDS", "120");
        env.put("AURA_REDIS_TIMEOUT_MS", "1000"); // a loaded CI machine must not turn hits into timeouts
        return env;
    }

    @Test
    void twoServersShareOneRedisAndAHitAnswersExactlyAsTheComputation() throws Exception {
        String url = redisUrl();
        String prefix = "auratest:" + UUID.randomUUID() + ":";
        try (TestServer a = new TestServer(env(url, prefix), tmp.resolve("a"));
             TestServer b = new TestServer(env(url, prefix), tmp.resolve("b"));
             RedisClient client = RedisClient.create(url);
             StatefulRedisConnection<String, String> direct = client.connect()) {
            awaitConnected(a);
            awaitConnected(b);
            TestServer.Response first = a.post("/api/v1/analyze", a.token("analyze"), CLOUD);
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.json().get("cache_hit").asBoolean()).isFalse();
            List<String> keys = awaitKeys(direct, prefix + "analyze:v" + RedisCache.FORMAT + ":*", 1);
            assertThat(keys).hasSize(1);
            long ttl = direct.sync().ttl(keys.get(0));
            assertThat(ttl).isBetween(1L, 120L);

            TestServer.Response second = b.post("/api/v1/analyze", b.token("analyze"), CLOUD);
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.json().get("cache_hit").asBoolean()).isTrue(); // b never computed it: the hit is Redis's
            assertThat(metric(b, "aura_cache_requests_total", "redis", "hit")).isEqualTo(1);
            DeployAssets.assertExported(b, "aura_cache_"); // what the dashboard and the alert rules query
            assertThat(withoutRequestFields(second.json())).isEqualTo(withoutRequestFields(first.json()));
            assertThat(second.json().get("signature_id").asText()).isNotEqualTo(first.json().get("signature_id").asText());

            // the seed form of predict shares the cache: the same cloud gives the same topology signals
            String predict = "{\"agents\": [\"agent_1\", \"agent_2\"], \"topology\": [[0, 0], [1, 0], [0, 1], [1, 1], [0.5, 2.1], [3, 3], [7, 1]]}";
            JsonNode pa = a.post("/api/v1/predict", a.token("analyze"), predict).json();
            awaitKeys(direct, prefix + "analyze:v" + RedisCache.FORMAT + ":*", 2);
            JsonNode pb = b.post("/api/v1/predict", b.token("analyze"), predict).json();
            assertThat(pa.at("/signals/topology/cache_hit").asBoolean()).isFalse();
            assertThat(pb.at("/signals/topology/cache_hit").asBoolean()).isTrue();
            for (String f : List.of("filtration_threshold", "betti_numbers", "summaries", "points")) {
                assertThat(pb.at("/signals/topology/" + f)).as(f).isEqualTo(pa.at("/signals/topology/" + f));
            }

            TestServer.Response h = b.get("/health", null);
            assertThat(h.json().at("/checks/cache/status").asText()).isEqualTo("UP");
            assertThat(metric(a, "aura_cache_writes_total", "redis", "ok")).isEqualTo(2);
            cleanUp(direct, prefix);
        }
    }

    @Test
    void aValueThatIsNotADocumentIsIgnoredCountedAndReplaced() throws Exception {
        String url = redisUrl();
        String prefix = "auratest:" + UUID.randomUUID() + ":";
        try (RedisClient client = RedisClient.create(url); StatefulRedisConnection<String, String> direct = client.connect()) {
            try (TestServer a = new TestServer(env(url, prefix), tmp.resolve("a"))) {
                awaitConnected(a);
                a.post("/api/v1/analyze", a.token("analyze"), CLOUD);
                String key = awaitKeys(direct, prefix + "*", 1).get(0);
                String good = direct.sync().get(key);
                direct.sync().set(key, "{\"diagrams\": \"not a document\"}");
                try (TestServer b = new TestServer(env(url, prefix), tmp.resolve("b"))) {
                    awaitConnected(b);
                    TestServer.Response r = b.post("/api/v1/analyze", b.token("analyze"), CLOUD);
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.json().get("cache_hit").asBoolean()).isFalse(); // computed
                    assertThat(metric(b, "aura_cache_requests_total", "redis", "error")).isEqualTo(1);
                    for (int i = 0; i < 100 && !good.equals(direct.sync().get(key)); i++) {
                        Thread.sleep(20); // the replacement is written asynchronously
                    }
                    assertThat(direct.sync().get(key)).isEqualTo(good);
                }
            }
            cleanUp(direct, prefix);
        }
    }

    @Test
    void aRedisThatStopsAnsweringIsSkippedAfterThreeTimeoutsAndTriedAgainLater() throws Exception {
        String url = redisUrl();
        String prefix = "auratest:" + UUID.randomUUID() + ":";
        AtomicLong clock = new AtomicLong(1_000_000);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<String> w = new ArrayList<>();
        ServerConfig.Redis config = ServerConfig.redis(Map.of("AURA_REDIS_URL", url, "AURA_REDIS_PREFIX", prefix,
                "AURA_REDIS_TIMEOUT_MS", "100"), w);
        PersistenceResult r = VietorisRips.compute(PointCloud.of(new double[][] {{0, 0}, {1, 0}, {0, 1}}), RipsOptions.defaults());
        ObjectNode doc = AnalyzeDocument.build("point-cloud", 2, AnalyzeDocument.InputKind.DENSE, RipsOptions.defaults(), r, null, 4);
        try (RedisCache cache = new RedisCache(config, registry, clock::get);
             RedisClient client = RedisClient.create(url);
             StatefulRedisConnection<String, String> direct = client.connect()) {
            for (int i = 0; i < 2_000 && !cache.connected(); i++) {
                Thread.sleep(10);
            }
            assertThat(cache.connected()).isTrue();
            assertThat(cache.get("k")).isNull(); // a miss
            cache.put("k", doc);
            awaitKeys(direct, prefix + "*", 1);
            assertThat(cache.get("k")).isEqualTo(doc);

            direct.sync().clientPause(1_500); // every other client's commands now wait: a hung Redis
            long t0 = System.nanoTime();
            for (int i = 0; i < RedisCache.TRIP_AFTER; i++) {
                assertThat(cache.get("k")).isNull();
            }
            assertThat(cache.get("k")).isNull(); // paused: not even tried
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).as("three timeouts of 100 ms and one skip").isLessThan(1_400);
            assertThat(registry.get("aura.cache.requests").tags("cache", "redis", "result", "error").counter().count()).isEqualTo(3);
            assertThat(registry.get("aura.cache.requests").tags("cache", "redis", "result", "skipped").counter().count()).isEqualTo(1);

            Thread.sleep(Math.max(0, 1_700 - (System.nanoTime() - t0) / 1_000_000)); // the pause is over
            clock.addAndGet(RedisCache.OPEN_MILLIS); // and so is the cache's
            ObjectNode back = null;
            for (int i = 0; i < 50 && back == null; i++) { // queued commands may still be draining
                back = cache.get("k");
            }
            assertThat(back).isEqualTo(doc);
            cleanUp(direct, prefix);
        }
    }

    @Test
    void aServerKeepsAnsweringWhileItsRedisRestartsAndUsesItAgainAfterwards() throws Exception {
        java.nio.file.Path binary = java.util.stream.Stream.of(System.getenv("PATH").split(":"))
                .map(d -> Path.of(d, "redis-server")).filter(java.nio.file.Files::isExecutable).findFirst().orElse(null);
        if (binary == null) {
            System.err.println("RedisCacheTest: the restart test is skipped: no redis-server on PATH");
            assumeTrue(false, "no redis-server on PATH");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process redis = startRedis(binary, port);
        try (TestServer s = new TestServer(Map.of("AURA_REDIS_URL", "redis://127.0.0.1:" + port, "TDA_CACHE_SIZE", "0",
                "AURA_REDIS_TIMEOUT_MS", "1000"), tmp.resolve("restart"))) {
            awaitConnected(s);
            String token = s.token("analyze");
            assertThat(s.post("/api/v1/analyze", token, CLOUD).json().get("cache_hit").asBoolean()).isFalse();
            assertThat(awaitHit(s, token, CLOUD)).isTrue(); // memory cache off: the hit is Redis's

            redis.destroy(); // SIGTERM; nothing is saved
            redis.waitFor();
            for (int i = 0; i < 5; i++) {
                TestServer.Response r = s.post("/api/v1/analyze", token, CLOUD);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.json().get("cache_hit").asBoolean()).isFalse(); // computed
            }
            assertThat(s.get("/health", null).json().at("/checks/cache/status").asText()).isEqualTo("DOWN");
            assertThat(s.get("/health", null).status()).isEqualTo(200);

            redis = startRedis(binary, port); // empty: it kept nothing
            assertThat(awaitHit(s, token, CLOUD)).as("a hit within 40 s of Redis's return").isTrue();
        } finally {
            redis.destroy();
            redis.waitFor();
        }
    }

    private static Process startRedis(Path binary, int port) throws Exception {
        Process p = new ProcessBuilder(binary.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 200; i++) {
            try {
                new java.net.Socket("127.0.0.1", port).close();
                return p;
            } catch (java.io.IOException e) {
                Thread.sleep(25);
            }
        }
        p.destroy();
        throw new AssertionError("redis-server did not listen on " + port + " within 5 s");
    }

    /** Sends the body until an answer is a cache hit (at most 40 s); after a miss the document is written asynchronously. */
    private static boolean awaitHit(TestServer s, String token, String body) throws InterruptedException {
        long end = System.nanoTime() + 40_000_000_000L;
        while (System.nanoTime() < end) {
            TestServer.Response r = s.post("/api/v1/analyze", token, body);
            assertThat(r.status()).isEqualTo(200);
            if (r.json().get("cache_hit").asBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static JsonNode withoutRequestFields(JsonNode doc) {
        ObjectNode o = ((ObjectNode) doc).deepCopy();
        o.remove(List.of("signature_id", "timing_ms", "cache_hit"));
        return o;
    }

    private static void awaitConnected(TestServer s) throws InterruptedException {
        for (int i = 0; i < 2_000; i++) {
            if (s.get("/health", null).json().at("/checks/cache/status").asText().equals("UP")) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the server did not connect to Redis within 20 s");
    }

    private static List<String> awaitKeys(StatefulRedisConnection<String, String> c, String pattern, int n) throws InterruptedException {
        List<String> keys = List.of();
        for (int i = 0; i < 250; i++) {
            keys = c.sync().keys(pattern);
            if (keys.size() >= n) {
                return keys;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("expected " + n + " keys matching " + pattern + ", found " + keys);
    }

    private static void cleanUp(StatefulRedisConnection<String, String> c, String prefix) {
        List<String> keys = c.sync().keys(prefix + "*");
        if (!keys.isEmpty()) {
            c.sync().del(keys.toArray(String[]::new));
        }
    }

    /** The value of a metric without tags in /metrics (0 when absent). */
    static double metric(TestServer s, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(s.get("/metrics", null).body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** The value of a counter with tags cache and result in /metrics (0 when absent). */
    static double metric(TestServer s, String name, String cache, String result) {
        String body = s.get("/metrics", null).body();
        Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$").matcher(body);
        while (m.find()) {
            if (m.group(1).contains("cache=\"" + cache + "\"") && m.group(1).contains("result=\"" + result + "\"")) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }
}
