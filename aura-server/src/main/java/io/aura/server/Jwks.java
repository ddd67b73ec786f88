package io.aura.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.health.HealthStatus;
import com.nimbusds.jwt.SignedJWT;
import java.io.Closeable;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.security.Key;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys of an external identity provider, read from its JSON Web Key Set
 * ({@code AURA_JWKS_URL}), and the signature check of the tokens it issues (RS256/384/512,
 * PS256/384/512, ES256/384/512; never HMAC, never {@code none}).
 *
 * <p>The key set is fetched with nimbus' {@link JWKSourceBuilder}: cached for
 * {@code AURA_JWKS_CACHE_SECONDS} (refreshed in the background shortly before that, so requests do
 * not wait for it), fetched again at once when a token names a key id the cached set lacks, but at
 * most twice per {@code AURA_JWKS_MIN_REFETCH_SECONDS} whatever the reason (unknown key ids,
 * retries while the URL is down), with connect and read timeouts of {@code AURA_JWKS_TIMEOUT_MS}
 * and a 1 MiB size limit. While the URL is down the last key set fetched stays in use for ten cache
 * periods. Nothing is fetched on the caller's thread at start-up: {@link #warmUp} fetches in the
 * background. A token this class cannot check because no key set could be had is answered 503
 * {@code jwks_unavailable}; the HS256 path never touches this class.
 */
final class Jwks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Jwks.class);

    /** The JWS algorithms accepted for tokens verified through the key set. */
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    /** Accepted values of the {@code typ} header (absent is accepted too): JWTs and RFC 9068 access tokens. */
    private static final Set<String> TYPES = Set.of("jwt", "application/jwt", "at+jwt", "application/at+jwt");

    /** Largest key set document read. */
    static final int MAX_BYTES = 1 << 20;

    private final ServerConfig.Jwks config;
    private final String where;
    private final JWKSource<SecurityContext> source;
    private final JWSVerificationKeySelector<SecurityContext> selector;
    private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();
    /** Whether the newest attempt to obtain a key set (fetch, or the cached set during an outage) gave one; null: none yet. */
    private volatile HealthStatus health;
    private final AtomicLong fetches = new AtomicLong();

    Jwks(ServerConfig.Jwks config) {
        this.config = config;
        this.where = ServerConfig.redactUrl(config.url());
        java.net.URL url;
        try {
            url = URI.create(config.url()).toURL();
        } catch (IllegalArgumentException | MalformedURLException e) {
            throw new IllegalArgumentException("AURA_JWKS_URL is not a valid URL: '" + where + "'", e);
        }
        DefaultResourceRetriever retriever = new DefaultResourceRetriever(config.timeoutMs(), config.timeoutMs(), MAX_BYTES);
        JWKSetSource<SecurityContext> fetcher = new LoggedFetch(new URLBasedJWKSetSource<>(url, retriever));
        long ttl = config.cacheSeconds() * 1000L;
        // a waiting request gives up after one fetch's worst case (connect + read timeout), at most half the cache period
        long refreshTimeout = Math.min(2L * config.timeoutMs() + 500, ttl / 2);
        long refreshAhead = Math.min(30_000L, ttl - refreshTimeout);
        ExecutorService refresher = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("aura-jwks-refresh").factory());
        this.source = JWKSourceBuilder.create(fetcher)
                .cache(ttl, refreshTimeout)
                .refreshAheadCache(refreshAhead, null, refresher, true, null, false)
                .rateLimited(config.minRefetchSeconds() * 1000L)
                .retrying(false)
                .outageTolerant(true)
                .healthReporting(report -> health = report.getHealthStatus())
                .build();
        this.selector = new JWSVerificationKeySelector<>(ALGORITHMS, source);
    }

    /** The issuer tokens must carry, or null. */
    String issuer() {
        return config.issuer();
    }

    /** A value tokens' audience must contain, or null. */
    String audience() {
        return config.audience();
    }

    /** Successful and failed fetches of the key set so far. */
    long fetches() {
        return fetches.get();
    }

    /** Fetches the key set in the background (start-up must not wait for, or fail on, the identity provider). */
    void warmUp() {
        Thread.ofVirtual().name("aura-jwks-warmup").start(() -> {
            try {
                source.get(new JWKSelector(new JWKMatcher.Builder().build()), null);
            } catch (KeySourceException e) {
                // logged by LoggedFetch; requests will try again
            }
        });
    }

    /**
     * Checks a token's signature against the key its {@code kid} names.
     *
     * @throws ApiException 401 invalid_token (no kid, unknown kid, wrong type, bad signature), or 503
     *     jwks_unavailable when no key set could be fetched
     */
    void verifySignature(SignedJWT jwt) {
        JWSHeader h = jwt.getHeader();
        if (!ALGORITHMS.contains(h.getAlgorithm())) {
            throw Tokens.unauthorized("the bearer token's algorithm is not accepted");
        }
        JOSEObjectType typ = h.getType();
        if (typ != null && !TYPES.contains(typ.getType().toLowerCase(Locale.ROOT))) {
            throw Tokens.unauthorized("the bearer token's typ header is not JWT or at+jwt: it is not an access token");
        }
        if (h.getKeyID() == null || h.getKeyID().isBlank()) {
            throw Tokens.unauthorized("the bearer token has no kid header; tokens verified through AURA_JWKS_URL must name their key");
        }
        List<Key> keys;
        try {
            keys = selector.selectJWSKeys(h, null);
        } catch (RateLimitReachedException e) {
            // the cached set lacks the kid and it was refetched moments ago: the kid is unknown, unless no set could be had
            if (health != HealthStatus.HEALTHY) {
                throw unavailable();
            }
            keys = List.of();
        } catch (KeySourceException e) {
            throw unavailable();
        }
        if (keys.isEmpty()) {
            throw Tokens.unauthorized("the bearer token's kid names no " + h.getAlgorithm() + " key of the key set at AURA_JWKS_URL");
        }
        for (Key k : keys) {
            try {
                if (jwt.verify(verifiers.createJWSVerifier(h, k))) {
                    return;
                }
            } catch (JOSEException e) {
                // a key of another size or curve under the same kid: try the next
            }
        }
        throw Tokens.unauthorized("the bearer token's signature is invalid");
    }

    private static ApiException unavailable() {
        return new ApiException(503, "jwks_unavailable", "the signing keys of the identity provider (AURA_JWKS_URL) cannot be"
                + " fetched right now, so this token cannot be checked; retry shortly (HS256 tokens are not affected)", null);
    }

    /** Stops the background refresh. */
    @Override
    public void close() {
        if (source instanceof Closeable c) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.warn("closing the JWKS source: {}", e.toString());
            }
        }
    }

    /** The HTTP fetch, logging each failure and each change of the key ids (messages without query strings or user info). */
    private final class LoggedFetch implements JWKSetSource<SecurityContext> {

        private final JWKSetSource<SecurityContext> fetch;
        private volatile List<String> lastKids;
        private volatile boolean failing;

        LoggedFetch(JWKSetSource<SecurityContext> fetch) {
            this.fetch = fetch;
        }

        @Override
        public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refreshEvaluator, long currentTime, SecurityContext context)
                throws KeySourceException {
            fetches.incrementAndGet();
            JWKSet set;
            try {
                set = fetch.getJWKSet(refreshEvaluator, currentTime, context);
            } catch (KeySourceException | RuntimeException e) {
                failing = true;
                LOG.warn("cannot fetch the JWKS at {}: {}; the last key set fetched stays in use up to {} s after its fetch, and while there is"
                        + " none the identity provider's tokens get 503 jwks_unavailable", where, clean(e), config.cacheSeconds() * 10L);
                throw e;
            }
            List<String> kids = set.getKeys().stream().map(k -> Objects.requireNonNullElse(k.getKeyID(), "(none)"))
                    .sorted().toList();
            if (failing || !kids.equals(lastKids)) {
                LOG.info("JWKS at {} fetched: {} keys, kid {}", where, kids.size(), kids);
            }
            failing = false;
            lastKids = kids;
            return set;
        }

        private String clean(Exception e) {
            String m = String.valueOf(e.getMessage());
            Throwable c = e.getCause();
            if (c != null && c.getMessage() != null && !m.contains(c.getMessage())) {
                m = m + ": " + c.getMessage();
            }
            return m.replace(config.url(), where);
        }

        @Override
        public void close() throws IOException {
            fetch.close();
        }
    }
}
