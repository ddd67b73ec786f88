package io.aura.server;

import static io.aura.server.ServerSuite.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens of an external identity provider verified through AURA_JWKS_URL, end to end: a JDK HTTP
 * server serves a key set generated here, a real AURA server fetches it over HTTP, and requests go
 * over HTTP with tokens signed by those keys (and by keys, algorithms and claims it must refuse).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwksTest {

    static final String ISSUER = "https://idp.test/realms/aura";
    static final String AUDIENCE = "aura-api";

    HttpServer idp;
    final AtomicReference<String> keySet = new AtomicReference<>();
    final AtomicInteger keySetFetches = new AtomicInteger();
    final AtomicBoolean keySetDown = new AtomicBoolean();
    final AtomicBoolean flakyHangs = new AtomicBoolean(true);
    final java.util.concurrent.atomic.AtomicLong flakyFirstRequest = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
    RSAKey rsa;
    ECKey ec;
    TestServer s;
    Path dir;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        publish(rsa, ec);
        idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        idp.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        idp.createContext("/jwks.json", ex -> {
            keySetFetches.incrementAndGet();
            if (keySetDown.get()) {
                respond(ex, 503, "{\"error\":\"down for maintenance\"}");
            } else {
                respond(ex, 200, keySet.get());
            }
        });
        // answers only after 10 s while flakyHangs: a key set that does not answer within AURA_JWKS_TIMEOUT_MS
        idp.createContext("/flaky.json", ex -> {
            flakyFirstRequest.compareAndSet(Long.MAX_VALUE, System.nanoTime());
            if (flakyHangs.get()) {
                try {
                    Thread.sleep(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            respond(ex, 200, keySet.get());
        });
        idp.start();
        Map<String, String> env = new HashMap<>();
        env.put("AURA_JWKS_URL", idpUrl("/jwks.json"));
        env.put("AURA_JWT_ISSUER", ISSUER);
        env.put("AURA_JWT_AUDIENCE", AUDIENCE);
        env.put("AURA_JWKS_MIN_REFETCH_SECONDS", "1");
        env.put("AURA_JWKS_CACHE_SECONDS", "10");
        s = new TestServer(env, dir.resolve("main"));
    }

    @AfterAll
    void stop() {
        if (s != null) {
            s.close();
        }
        if (idp != null) {
            idp.stop(0);
        }
    }

    String idpUrl(String path) {
        return "http://127.0.0.1:" + idp.getAddress().getPort() + path;
    }

    void publish(JWK... keys) {
        List<JWK> pub = new ArrayList<>();
        for (JWK k : keys) {
            pub.add(k.toPublicJWK());
        }
        keySet.set(new JWKSet(pub).toString());
    }

    static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    /** Claims of a valid token for this server: issuer, audience, subject, 5 minutes of life, scope read. */
    static JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("alice@idp.test")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("scope", "read");
    }

    static String sign(JWSSigner signer, JWSHeader header, Consumer<JWTClaimsSet.Builder> edit) {
        JWTClaimsSet.Builder c = claims();
        edit.accept(c);
        SignedJWT jwt = new SignedJWT(header, c.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    static String rs(RSAKey key, String kid, Consumer<JWTClaimsSet.Builder> edit) {
        try {
            return sign(new RSASSASigner(key), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build(), edit);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    String rs(Consumer<JWTClaimsSet.Builder> edit) {
        return rs(rsa, rsa.getKeyID(), edit);
    }

    String valid() {
        return rs(c -> { });
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    void assertInvalid(String token, String messagePart) {
        TestServer.Response r = s.get("/api/v1/interventions", token);
        assertError(r, 401, "invalid_token", null);
        assertThat(r.json().path("message").asText()).contains(messagePart);
        assertThat(r.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("invalid_token"));
    }

    @Test
    void identityProviderTokensWithTheScopeAreAccepted() throws Exception {
        TestServer.Response r = s.get("/api/v1/interventions", valid());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        // RS512 and PS256 with the same RSA key, ES256 with the EC key
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS512, JWSAlgorithm.PS256)) {
            String t = sign(new RSASSASigner(rsa), new JWSHeader.Builder(alg).keyID("rsa-1").build(), c -> { });
            assertThat(s.get("/api/v1/interventions", t).status()).as(alg.getName()).isEqualTo(200);
        }
        String es = sign(new ECDSASigner(ec), new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1")
                .type(new JOSEObjectType("at+jwt")).build(), c -> { });
        assertThat(s.get("/api/v1/interventions", es).status()).isEqualTo(200);
        // scp as an array (and as a string) opens the same endpoints; scopes are checked per endpoint
        String scp = rs(c -> c.claim("scope", null).claim("scp", List.of("read", "intervene")));
        assertThat(s.get("/api/v1/interventions", scp).status()).isEqualTo(200);
        TestServer.Response created = s.post("/api/v1/intervene", scp,
                "{\"agents\":[\"agent_1\"],\"intervention_type\":\"circuit_breaker\",\"parameters\":{\"duration\":60}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("created_by").asText()).isEqualTo("alice@idp.test");
        assertThat(s.get("/api/v1/interventions", rs(c -> c.claim("scope", null).claim("scp", "read"))).status()).isEqualTo(200);
        // an audience array containing ours is accepted
        assertThat(s.get("/api/v1/interventions", rs(c -> c.audience(List.of("other-api", AUDIENCE)))).status()).isEqualTo(200);
        // the enrol scope of such a token may enrol an agent; the agent's token is ours (HS256)
        TestServer.Response enrol = s.post("/a2a/auth/agent", rs(c -> c.claim("scope", "enrol")),
                "{\"agent_id\":\"idp_agent\",\"agent_type\":\"worker\",\"permissions\":[\"read\"]}");
        assertThat(enrol.status()).as(enrol.body()).isEqualTo(200);
        assertThat(s.server.tokens().verify(enrol.json().path("token").asText()).agentId()).isEqualTo("idp_agent");
    }

    @Test
    void wrongOrMissingScopeIs403() {
        assertError(s.get("/api/v1/interventions", rs(c -> c.claim("scope", "analyze"))), 403, "insufficient_scope", null);
        assertError(s.get("/api/v1/interventions", rs(c -> c.claim("scope", null))), 403, "insufficient_scope", null);
        assertError(s.post("/api/v1/analyze", valid(), ServerSuite.SEED_ANALYZE), 403, "insufficient_scope", null);
        assertInvalid(rs(c -> c.claim("scope", 42)), "scope claim must be");
        // an scp array with a non-string element is a malformed token (401), not a server error
        assertInvalid(rs(c -> c.claim("scope", null).claim("scp", List.of("read", 7))), "scp claim must be");
    }

    @Test
    void anIdentityProviderTokenIsNeverAnAgentToken() {
        String t = rs(c -> c.claim("agent_id", "idp_spy").claim("kind", "agent").claim("scope", "read write"));
        assertThat(catchThrowable(() -> new WsClient(java.net.URI.create("ws://127.0.0.1:" + s.server.port() + "/ws/a2a/idp_spy"), t)))
                .hasStackTraceContaining("status code 403");
        assertThat(s.server.tokens().verify(t).agentId()).isNull();
    }

    @Test
    void expiredNotYetValidAndMalformedTokensAre401() {
        Instant now = Instant.now();
        assertInvalid(rs(c -> c.issueTime(Date.from(now.minusSeconds(900))).notBeforeTime(Date.from(now.minusSeconds(900)))
                .expirationTime(Date.from(now.minusSeconds(300)))), "expired");
        assertInvalid(rs(c -> c.expirationTime(null)), "no expiry");
        assertInvalid(rs(c -> c.notBeforeTime(Date.from(now.plusSeconds(600)))), "not valid yet");
        assertInvalid(rs(c -> c.subject(null)), "sub");
        // within the clock skew (60 s) both ways: accepted
        assertThat(s.get("/api/v1/interventions", rs(c -> c.expirationTime(Date.from(now.minusSeconds(20))))).status()).isEqualTo(200);
        assertThat(s.get("/api/v1/interventions", rs(c -> c.notBeforeTime(Date.from(now.plusSeconds(20))))).status()).isEqualTo(200);
    }

    @Test
    void wrongIssuerOrAudienceIs401() {
        assertInvalid(rs(c -> c.issuer("https://evil.test")), "issuer");
        assertInvalid(rs(c -> c.issuer(null)), "issuer");
        assertInvalid(rs(c -> c.issuer("aura")), "issuer");
        assertInvalid(rs(c -> c.audience("other-api")), "audience");
        assertInvalid(rs(c -> c.audience((String) null)), "audience");
    }

    @Test
    void unknownKidOtherKeyAndMissingKidAre401() throws Exception {
        assertInvalid(rs(rsa, "no-such-kid-" + UUID.randomUUID(), c -> { }), "kid");
        // another key under a published kid
        RSAKey mallory = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        assertInvalid(rs(mallory, "rsa-1", c -> { }), "signature is invalid");
        // an RSA algorithm naming the EC key's kid: no RSA key has that kid
        assertInvalid(rs(rsa, "ec-1", c -> { }), "kid");
        assertInvalid(sign(new RSASSASigner(rsa), new JWSHeader.Builder(JWSAlgorithm.RS256).build(), c -> { }), "no kid");
        // a valid signature over a tampered payload
        String[] p = valid().split("\\.");
        String tampered = p[0] + "." + b64(claims().claim("scope", "read intervene analyze enrol").build().toString()) + "." + p[2];
        assertInvalid(tampered, "signature is invalid");
        // a JWT of another type (e.g. a logout token) signed by the right key
        assertInvalid(sign(new RSASSASigner(rsa), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1")
                .type(new JOSEObjectType("logout+jwt")).build(), c -> { }), "typ");
    }

    @Test
    void algorithmConfusionIsImpossible() throws Exception {
        // alg none, with and without the kid of a published key
        String payload = b64(claims().build().toString());
        assertInvalid(b64("{\"alg\":\"none\"}") + "." + payload + ".", "not a signed JWT");
        assertInvalid(b64("{\"alg\":\"none\",\"kid\":\"rsa-1\"}") + "." + payload + ".", "not a signed JWT");
        // HS256 keyed with the RSA public key (DER, PEM-ish base64 and the JWK JSON): checked against AURA_JWT_SECRET only
        byte[] der = rsa.toRSAPublicKey().getEncoded();
        for (byte[] secret : List.of(der, Base64.getEncoder().encode(der), rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8))) {
            String hs = sign(new MACSigner(secret), new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(),
                    c -> c.issuer("aura"));
            assertInvalid(hs, "signature is invalid");
        }
        // HS384/HS512 and unsupported algorithms are refused before any key lookup
        String hs512 = sign(new MACSigner(der), new JWSHeader.Builder(JWSAlgorithm.HS512).keyID("rsa-1").build(), c -> { });
        assertInvalid(hs512, "must be signed with HS256 or");
        // our own HS256 tokens keep working beside the key set
        TestServer.Response r = s.get("/api/v1/interventions", s.token("read"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertError(s.get("/api/v1/interventions", s.token("analyze")), 403, "insufficient_scope", null);
    }

    @Test
    void aNewKeyUnderANewKidIsFetchedWhenATokenNamesIt() throws Exception {
        RSAKey next = new RSAKeyGenerator(2048).keyID("rsa-2-" + UUID.randomUUID()).generate();
        String t = rs(next, next.getKeyID(), c -> { });
        assertInvalid(t, "kid"); // not published yet (this refetched the set)
        publish(rsa, ec, next);
        Thread.sleep(1_100); // AURA_JWKS_MIN_REFETCH_SECONDS=1: the next unknown kid may refetch
        int before = keySetFetches.get();
        TestServer.Response r = s.get("/api/v1/interventions", t);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(keySetFetches.get()).isGreaterThan(before);
        // the old key stays valid while it is published
        assertThat(s.get("/api/v1/interventions", valid()).status()).isEqualTo(200);
    }

    @Test
    void unknownKidsRefetchAtMostTwicePerInterval() throws Exception {
        Thread.sleep(1_100);
        int before = keySetFetches.get();
        long t0 = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            assertInvalid(rs(rsa, "random-" + i + "-" + UUID.randomUUID(), c -> { }), "kid"); // 401, never 503
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int fetched = keySetFetches.get() - before;
        // the limiter opens a 1-s window at a fetch and allows two fetches in it
        assertThat(fetched).as("fetches in %.2f s", seconds).isBetween(1, 2 * ((int) Math.floor(seconds) + 1));
    }

    @Test
    void whileTheKeySetIsDownCachedKeysStillWork() throws Exception {
        keySetDown.set(true);
        try {
            Thread.sleep(1_100);
            int before = keySetFetches.get();
            TestServer.Response r = s.get("/api/v1/interventions", valid());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            // an unknown kid triggers a refetch, which fails: the cached set is kept, the token is 401
            assertInvalid(rs(rsa, "unknown-" + UUID.randomUUID(), c -> { }), "kid");
            assertThat(keySetFetches.get()).isGreaterThan(before);
        } finally {
            keySetDown.set(false);
        }
    }

    @Test
    void aKeySetThatDoesNotAnswerGives503AndLeavesTheRestAlone() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("AURA_JWKS_URL", idpUrl("/flaky.json"));
        env.put("AURA_JWKS_TIMEOUT_MS", "1000");
        env.put("AURA_JWKS_MIN_REFETCH_SECONDS", "1");
        env.put("AURA_JWKS_CACHE_SECONDS", "10");
        env.put("AURA_JWT_AUDIENCE", AUDIENCE);
        try (TestServer down = new TestServer(env, dir.resolve("flaky"))) {
            long started = System.nanoTime();
            // the start-up fetch is made (in the background) and cannot end before its 1-s read timeout:
            // had the start waited for it, it would have returned at least 1 s after the key set was asked
            for (int i = 0; i < 100 && flakyFirstRequest.get() == Long.MAX_VALUE; i++) {
                Thread.sleep(50);
            }
            assertThat(flakyFirstRequest.get()).as("the key set was asked for").isNotEqualTo(Long.MAX_VALUE);
            assertThat(started - flakyFirstRequest.get()).as("start-up waited for the key set").isLessThan(1_000_000_000L);
            // the first request waits for that fetch, then tries once more itself; later ones are refused at once
            for (int i = 0; i < 3; i++) {
                long r0 = System.nanoTime();
                TestServer.Response r = down.get("/api/v1/interventions", valid());
                assertError(r, 503, "jwks_unavailable", null);
                assertThat(r.json().path("message").asText()).contains("AURA_JWKS_URL", "retry");
                assertThat(r.raw().headers().firstValue("Retry-After")).hasValue("1");
                assertThat((System.nanoTime() - r0) / 1e9).as("bounded by the timeouts").isLessThan(6.0);
            }
            assertThat(down.get("/health", null).status()).isEqualTo(200);
            TestServer.Response hs = down.get("/api/v1/interventions", down.token("read"));
            assertThat(hs.status()).as(hs.body()).isEqualTo(200);
            // the key set answers again: after the refetch interval the token is accepted
            flakyHangs.set(false);
            Thread.sleep(1_100);
            TestServer.Response ok = down.get("/api/v1/interventions", valid());
            assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        } finally {
            flakyHangs.set(true);
        }
    }

    @Test
    void anUnreachableKeySetGives503() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Map<String, String> env = Map.of("AURA_JWKS_URL", "http://127.0.0.1:" + port + "/jwks.json", "AURA_JWKS_TIMEOUT_MS", "500");
        try (TestServer down = new TestServer(env, dir.resolve("unreachable"))) {
            assertError(down.get("/api/v1/interventions", valid()), 503, "jwks_unavailable", null);
            assertError(down.get("/api/v1/interventions", valid()), 503, "jwks_unavailable", null);
            assertError(down.get("/api/v1/interventions", "garbage"), 401, "invalid_token", null);
            assertThat(down.get("/api/v1/interventions", down.token("read")).status()).isEqualTo(200);
            assertThat(down.get("/health", null).status()).isEqualTo(200);
        }
    }

    @Test
    void withoutAJwksUrlOnlyHs256IsAccepted(@TempDir Path d) {
        try (TestServer plain = new TestServer(Map.of(), d)) {
            assertError(plain.get("/api/v1/interventions", valid()), 401, "invalid_token", null);
            assertThat(plain.get("/api/v1/interventions", valid()).json().path("message").asText()).contains("HS256");
        }
    }

    @Test
    void jwksConfigurationIsValidatedAtStartUp(@TempDir Path d) {
        Map<String, String> base = Map.of("AURA_JWT_SECRET", TestServer.SECRET);
        for (String bad : List.of("not a url", "ftp://idp.test/jwks.json", "https:///jwks.json", "/jwks.json", "idp.test/jwks.json",
                "http://user:secretpw@idp.test/jwks.json")) {
            Map<String, String> env = new HashMap<>(base);
            env.put("AURA_JWKS_URL", bad);
            assertThat(catchThrowable(() -> ServerConfig.fromEnv(env, 0, d, null))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AURA_JWKS_URL").hasMessageNotContaining("secretpw");
        }
        Map<String, String> env = new HashMap<>(base);
        env.put("AURA_JWKS_URL", "https://idp.test/jwks.json");
        env.put("AURA_JWKS_CACHE_SECONDS", "30");
        env.put("AURA_JWKS_MIN_REFETCH_SECONDS", "30");
        assertThat(catchThrowable(() -> ServerConfig.fromEnv(env, 0, d, null))).hasMessageContaining("AURA_JWKS_MIN_REFETCH_SECONDS");
        env.put("AURA_JWKS_MIN_REFETCH_SECONDS", "5");
        env.put("AURA_JWKS_TIMEOUT_MS", "soon");
        assertThat(catchThrowable(() -> ServerConfig.fromEnv(env, 0, d, null))).hasMessageContaining("AURA_JWKS_TIMEOUT_MS");
        env.remove("AURA_JWKS_TIMEOUT_MS");
        ServerConfig c = ServerConfig.fromEnv(env, 0, d, null);
        assertThat(c.jwks()).isEqualTo(new ServerConfig.Jwks("https://idp.test/jwks.json", null, null, 30, 5, 5_000));
        assertThat(c.warnings()).singleElement().asString().contains("AURA_JWT_AUDIENCE");
        // plain http to another host: a warning; the key set URL appears in the start-up log without its query
        env.put("AURA_JWKS_URL", "http://idp.test/jwks.json?client_secret=hush");
        env.put("AURA_JWT_AUDIENCE", AUDIENCE);
        c = ServerConfig.fromEnv(env, 0, d, null);
        assertThat(c.warnings()).singleElement().asString().contains("plain http");
        assertThat(c.toString()).contains("http://idp.test/jwks.json").doesNotContain("hush");
        // issuer/audience without a key set URL: no effect, said once each
        c = ServerConfig.fromEnv(Map.of("AURA_JWT_SECRET", TestServer.SECRET, "AURA_JWT_ISSUER", ISSUER, "AURA_JWT_AUDIENCE", AUDIENCE), 0, d, null);
        assertThat(c.jwks()).isNull();
        assertThat(c.warnings()).hasSize(2).allSatisfy(w -> assertThat(w).contains("AURA_JWKS_URL is not").contains("HS256"));
        c = ServerConfig.fromEnv(Map.of("AURA_JWT_SECRET", TestServer.SECRET, "AURA_JWKS_CACHE_SECONDS", "60"), 0, d, null);
        assertThat(c.warnings()).singleElement().asString().contains("AURA_JWKS_CACHE_SECONDS", "tunes the fetching").doesNotContain("HS256");
    }
}
