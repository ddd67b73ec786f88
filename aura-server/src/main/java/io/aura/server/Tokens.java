package io.aura.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * JSON Web Tokens (RFC 7519). AURA issues and verifies HS256 tokens with one shared secret:
 * operator tokens carry {@code scope} (space-separated, RFC 8693 style); agent tokens also carry
 * {@code agent_id} and {@code kind = "agent"}; they must have our issuer. With {@code AURA_JWKS_URL}
 * it also accepts operator tokens of an external identity provider, signed (RS/PS/ES) by a key of
 * its key set ({@link Jwks}), with {@code AURA_JWT_ISSUER}/{@code AURA_JWT_AUDIENCE} when set;
 * their scopes come from {@code scope} or {@code scp}, and they are never agent tokens. Every token
 * needs {@code exp} and {@code sub}; {@code exp} and {@code nbf} are checked with {@link #CLOCK_SKEW}.
 */
public final class Tokens {

    /** The issuer claim of every token. */
    public static final String ISSUER = "aura";

    /** Scopes of operator tokens and the endpoints they open (docs/api.md). */
    public static final List<String> SCOPES = List.of(Scope.ANALYZE, Scope.INTERVENE, Scope.READ, Scope.ENROL);

    /** Scope names. */
    public static final class Scope {
        /** POST /api/v1/analyze */
        public static final String ANALYZE = "analyze";
        /** POST /api/v1/intervene, DELETE /api/v1/interventions/{id} */
        public static final String INTERVENE = "intervene";
        /** GET /api/v1/interventions[/{id}] */
        public static final String READ = "read";
        /** POST /a2a/auth/agent */
        public static final String ENROL = "enrol";

        private Scope() {
        }
    }

    /** The longest lifetime of a minted token. */
    public static final Duration MAX_TTL = Duration.ofDays(366);

    /**
     * Leeway for clock differences between the token's issuer and this server, applied to
     * {@code exp} and {@code nbf} of every token (HS256 and JWKS alike).
     */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    /** Verified tokens of our own (HS256) by their exact string; at most this many are kept. */
    static final int VERIFIED_CACHE_SIZE = 4096;

    private final byte[] secret;
    private final MACVerifier macVerifier;
    private final Clock clock;
    private final Jwks jwks;
    /**
     * Our own tokens already verified, by their exact text: the signature and claims of a string never
     * change, so a repeated token skips parsing and HMAC (about a tenth of a live-form predict's CPU);
     * its expiry is checked against the clock on every use. There is no revocation of tokens to honour.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Principal> verified = new java.util.concurrent.ConcurrentHashMap<>();

    /** Tokens of the shared secret only (minting, and servers without AURA_JWKS_URL). */
    public Tokens(String secret, Clock clock) {
        this(secret, clock, null);
    }

    /**
     * Tokens of the shared secret, and of an identity provider's key set when jwks is not null.
     */
    Tokens(String secret, Clock clock, Jwks jwks) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        if (this.secret.length < ServerConfig.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the JWT secret must be at least " + ServerConfig.MIN_SECRET_BYTES + " bytes");
        }
        try {
            this.macVerifier = new MACVerifier(this.secret); // thread-safe (Nimbus), built once
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalArgumentException("the JWT secret cannot key HS256: " + e.getMessage(), e);
        }
        this.clock = clock;
        this.jwks = jwks;
    }

    /**
     * A verified token's holder; {@code generation} is an agent token's enrolment generation (claim
     * {@code gen}, 0 when absent and for operator tokens).
     */
    public record Principal(String subject, Set<String> scopes, String agentId, Instant expiresAt, int generation) {
        public Principal(String subject, Set<String> scopes, String agentId, Instant expiresAt) {
            this(subject, scopes, agentId, expiresAt, 0);
        }

        public boolean has(String scope) {
            return scopes.contains(scope);
        }
    }

    /**
     * Mints an operator token.
     *
     * @throws IllegalArgumentException on an unknown scope, an empty subject or a ttl outside 1 s..366 days
     */
    public String operator(String subject, Set<String> scopes, Duration ttl) {
        for (String s : scopes) {
            if (!SCOPES.contains(s)) {
                throw new IllegalArgumentException("unknown scope '" + s + "'; scopes are " + String.join(", ", SCOPES));
            }
        }
        return sign(subject, scopes, null, ttl);
    }

    /** Mints an agent token bound to agentId with the given permissions. */
    String agent(String agentId, Set<String> permissions, Duration ttl) {
        return agent(agentId, permissions, ttl, 0);
    }

    /** As above, of the agent's enrolment generation {@code generation} (claim {@code gen} when > 0). */
    String agent(String agentId, Set<String> permissions, Duration ttl, int generation) {
        return sign("agent:" + agentId, permissions, agentId, ttl, generation);
    }

    private String sign(String subject, Set<String> scopes, String agentId, Duration ttl) {
        return sign(subject, scopes, agentId, ttl, 0);
    }

    private String sign(String subject, Set<String> scopes, String agentId, Duration ttl, int generation) {
        if (subject == null || subject.isBlank() || subject.length() > 200) {
            throw new IllegalArgumentException("the subject must be 1 to 200 characters");
        }
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("the token lifetime must be between 1 second and 366 days, got " + ttl);
        }
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(subject)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .claim("scope", String.join(" ", scopes));
        if (agentId != null) {
            claims.claim("kind", "agent").claim("agent_id", agentId);
            if (generation > 0) {
                claims.claim("gen", generation);
            }
        } else {
            claims.claim("kind", "operator");
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(new MACSigner(secret));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /**
     * Verifies a token: HS256 with the shared secret and issuer {@code aura}, or, when
     * {@code AURA_JWKS_URL} is set, RS/PS/ES-signed by a key of that key set (see {@link Jwks}).
     *
     * @return its holder
     * @throws ApiException 401 invalid_token saying what is wrong (never echoing the token); 503
     *     jwks_unavailable when an identity provider's token cannot be checked because its key set cannot be fetched
     */
    public Principal verify(String token) {
        Principal cached = verified.get(token);
        if (cached != null) {
            // the signature and claims of this exact string were checked before; only time has moved
            if (expired(cached.expiresAt())) {
                verified.remove(token);
                throw unauthorized(EXPIRED);
            }
            return cached;
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw unauthorized("the bearer token is not a signed JWT");
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (JWSAlgorithm.HS256.equals(alg)) {
            Principal p = ownToken(jwt);
            if (verified.size() >= VERIFIED_CACHE_SIZE) {
                verified.clear(); // bounded: a burst of distinct tokens costs one re-verification each afterwards
            }
            verified.put(token, p);
            return p;
        }
        // an identity provider's tokens are checked every time: its key set can change
        if (jwks != null && Jwks.ALGORITHMS.contains(alg)) {
            jwks.verifySignature(jwt);
            JWTClaimsSet c = claims(jwt);
            if (jwks.issuer() != null && !jwks.issuer().equals(c.getIssuer())) {
                throw unauthorized("the bearer token's issuer is not AURA_JWT_ISSUER");
            }
            if (jwks.audience() != null && (c.getAudience() == null || !c.getAudience().contains(jwks.audience()))) {
                throw unauthorized("the bearer token's audience does not include AURA_JWT_AUDIENCE");
            }
            return principal(c, externalScopes(c), null);
        }
        throw unauthorized(jwks == null ? "the bearer token must be signed with HS256"
                : "the bearer token must be signed with HS256 or, through AURA_JWKS_URL, RS256/384/512, PS256/384/512 or ES256/384/512");
    }

    /** An HS256 token of our own: the MAC with the shared secret, issuer aura, scope and agent_id claims. */
    private Principal ownToken(SignedJWT jwt) {
        try {
            if (!jwt.verify(macVerifier)) {
                throw unauthorized("the bearer token's signature is invalid");
            }
        } catch (JOSEException e) {
            throw unauthorized("the bearer token's signature cannot be verified");
        }
        JWTClaimsSet c = claims(jwt);
        if (!ISSUER.equals(c.getIssuer())) {
            throw unauthorized("the bearer token was not issued by aura");
        }
        Object scope = c.getClaim("scope");
        Object agent = c.getClaim("agent_id");
        if (!(scope instanceof String s) || (agent != null && !(agent instanceof String))) {
            throw unauthorized("the bearer token's claims are malformed");
        }
        Set<String> scopes = new LinkedHashSet<>();
        Arrays.stream(s.split(" ")).filter(x -> !x.isEmpty()).forEach(scopes::add);
        return principal(c, scopes, (String) agent);
    }

    private static JWTClaimsSet claims(SignedJWT jwt) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw unauthorized("the bearer token's claims are malformed");
        }
    }

    private static final String EXPIRED = "the bearer token has expired";

    private boolean expired(Instant expiresAt) {
        return !clock.instant().isBefore(expiresAt.plus(CLOCK_SKEW));
    }

    /** The checks every token passes after its signature: exp (required) and nbf with {@link #CLOCK_SKEW}, sub. */
    private Principal principal(JWTClaimsSet c, Set<String> scopes, String agentId) {
        Instant now = clock.instant();
        Date exp = c.getExpirationTime();
        if (exp == null) {
            throw unauthorized("the bearer token has no expiry");
        }
        if (expired(exp.toInstant())) {
            throw unauthorized(EXPIRED);
        }
        Date nbf = c.getNotBeforeTime();
        if (nbf != null && now.isBefore(nbf.toInstant().minus(CLOCK_SKEW))) {
            throw unauthorized("the bearer token is not valid yet (nbf)");
        }
        String subject = c.getSubject();
        if (subject == null || subject.isBlank() || subject.length() > 200) {
            throw unauthorized("the bearer token's sub claim must be 1 to 200 characters");
        }
        Object gen = agentId == null ? null : c.getClaim("gen");
        int generation = gen instanceof Number n && n.longValue() >= 0 && n.longValue() <= Integer.MAX_VALUE ? n.intValue() : 0;
        return new Principal(subject, Set.copyOf(scopes), agentId, exp.toInstant(), generation);
    }

    /**
     * Scopes of an identity provider's token: the space-separated {@code scope} string (RFC 8693,
     * as in our own tokens) and {@code scp} (a string or an array of strings, as some providers
     * write it). Neither claim: no scope (every endpoint answers 403).
     */
    private static Set<String> externalScopes(JWTClaimsSet c) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String claim : List.of("scope", "scp")) {
            Object v = c.getClaim(claim);
            if (v == null) {
                continue;
            }
            if (v instanceof String s) {
                Arrays.stream(s.split(" ")).filter(x -> !x.isEmpty()).forEach(scopes::add);
            } else if (v instanceof List<?> list && list.stream().allMatch(x -> x instanceof String)) {
                list.forEach(x -> scopes.add((String) x));
            } else {
                throw unauthorized("the bearer token's " + claim + " claim must be a string or an array of strings");
            }
        }
        return scopes;
    }

    static ApiException unauthorized(String message) {
        return new ApiException(401, "invalid_token", message, null);
    }
}
