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
 * HS256 JSON Web Tokens (RFC 7519) issued and verified with one shared secret. Operator tokens
 * carry {@code scope} (space-separated, RFC 8693 style); agent tokens also carry {@code agent_id}
 * and {@code kind = "agent"}. Only HS256 with our issuer and an unexpired {@code exp} is accepted.
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

    private final byte[] secret;
    private final Clock clock;

    public Tokens(String secret, Clock clock) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        if (this.secret.length < ServerConfig.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the JWT secret must be at least " + ServerConfig.MIN_SECRET_BYTES + " bytes");
        }
        this.clock = clock;
    }

    /** A verified token's holder. */
    public record Principal(String subject, Set<String> scopes, String agentId, Instant expiresAt) {
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
        return sign("agent:" + agentId, permissions, agentId, ttl);
    }

    private String sign(String subject, Set<String> scopes, String agentId, Duration ttl) {
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
     * Verifies a token.
     *
     * @return its holder
     * @throws ApiException 401 invalid_token saying what is wrong (never echoing the token)
     */
    public Principal verify(String token) {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw unauthorized("the bearer token is not a signed JWT");
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw unauthorized("the bearer token must be signed with HS256");
        }
        try {
            if (!jwt.verify(new MACVerifier(secret))) {
                throw unauthorized("the bearer token's signature is invalid");
            }
        } catch (JOSEException e) {
            throw unauthorized("the bearer token's signature cannot be verified");
        }
        JWTClaimsSet c;
        try {
            c = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw unauthorized("the bearer token's claims are malformed");
        }
        if (!ISSUER.equals(c.getIssuer())) {
            throw unauthorized("the bearer token was not issued by aura");
        }
        Date exp = c.getExpirationTime();
        if (exp == null) {
            throw unauthorized("the bearer token has no expiry");
        }
        if (!clock.instant().isBefore(exp.toInstant())) {
            throw unauthorized("the bearer token has expired");
        }
        String subject = c.getSubject();
        Object scope = c.getClaim("scope");
        Object agent = c.getClaim("agent_id");
        if (subject == null || !(scope instanceof String s) || (agent != null && !(agent instanceof String))) {
            throw unauthorized("the bearer token's claims are malformed");
        }
        Set<String> scopes = new LinkedHashSet<>();
        Arrays.stream(s.split(" ")).filter(x -> !x.isEmpty()).forEach(scopes::add);
        return new Principal(subject, Set.copyOf(scopes), (String) agent, exp.toInstant());
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(401, "invalid_token", message, null);
    }
}
