package io.aura.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's configuration, read from environment variables (the seed's ConfigMap keys plus
 * {@code AURA_*} keys); every key and default is listed in docs/configuration.md.
 *
 * @param port HTTP port (0: any free port)
 * @param dataDir directory of the embedded H2 database
 * @param dbUrl JDBC URL of an external database ({@code AURA_DB_URL} or {@code DATABASE_URL}); null: embedded H2
 * @param dbUser database user ({@code AURA_DB_USER})
 * @param dbPassword database password ({@code AURA_DB_PASSWORD}); never logged
 * @param dbSchema schema to create and use ({@code AURA_DB_SCHEMA}); null: the database's default
 * @param jwtSecret HS256 secret ({@code AURA_JWT_SECRET} or {@code JWT_SECRET}), at least 32 bytes; never logged
 * @param enrolmentKey shared key that may enrol agents ({@code AURA_ENROLMENT_KEY}); null: only operator tokens with the enrol scope
 * @param maxAgentsPerRequest {@code MAX_AGENTS_PER_REQUEST}
 * @param maxTopologyDimension {@code MAX_TOPOLOGY_DIMENSION}: coordinates per point
 * @param requestTimeoutSeconds {@code REQUEST_TIMEOUT_SECONDS}
 * @param tdaBatchSize {@code TDA_BATCH_SIZE}: most points (rows) in one analyze request
 * @param tdaCacheSize {@code TDA_CACHE_SIZE}: analyze results kept in memory by request content
 * @param lnnInferenceThreads {@code LNN_INFERENCE_THREADS}: worker threads of the analysis pool
 * @param maxHomologyDimension {@code AURA_MAX_HOMOLOGY_DIMENSION}: highest homology dimension a request may ask for
 * @param maxBodyBytes {@code AURA_MAX_BODY_BYTES}: largest request body
 * @param agentTokenTtlSeconds {@code AURA_AGENT_TOKEN_TTL_SECONDS}: lifetime of agent tokens
 * @param predictionIntervalMs {@code AURA_PREDICTION_INTERVAL_MS}: period of the prediction loop
 * @param commitDelayMicros {@code AURA_COMMIT_DELAY_US}: how long the prediction writer holds a commit open
 *     for more concurrent predictions (group commit); 0: commit at once
 * @param retentionDays {@code AURA_RETENTION_DAYS}: stored predictions and signatures older than this are
 *     deleted (hourly); 0 keeps them forever. Interventions, enrolments and the audit log are never purged
 * @param alertThreshold {@code AURA_ALERT_THRESHOLD}: cascade risk above which the loop raises an alert
 * @param policy {@code AURA_POLICY}: off, suggest or auto (what the loop does with the guard's actions)
 * @param jwks tokens of an external identity provider verified through its key set ({@code AURA_JWKS_URL}); null: HS256 only
 * @param redis the shared cache of analyze results in Redis ({@code AURA_REDIS_URL} or {@code REDIS_URL}); null: none
 * @param neo4j the knowledge graph's Neo4j ({@code AURA_NEO4J_URI} or {@code NEO4J_URI}); null: none
 * @param cluster the Hazelcast cluster of replicas ({@code AURA_CLUSTER_MEMBERS} or {@code AURA_CLUSTER_DNS}); null: a single server
 * @param otlp OpenTelemetry traces to a collector ({@code OTEL_EXPORTER_OTLP_ENDPOINT}); null: no traces
 * @param publicUrl {@code AURA_PUBLIC_URL}: the address clients reach this server at (scheme, host, optional
 *     port and path prefix, no trailing slash), e.g. behind a TLS-terminating ingress; the A2A agent card
 *     names it. Null: the address each request was sent to
 * @param warnings start-up warnings (flags without effect, ignored values)
 */
public record ServerConfig(int port, Path dataDir, String dbUrl, String dbUser, String dbPassword, String dbSchema,
        String jwtSecret, String enrolmentKey, int maxAgentsPerRequest, int maxTopologyDimension,
        int requestTimeoutSeconds, int tdaBatchSize, int tdaCacheSize, int lnnInferenceThreads,
        int maxHomologyDimension, long maxBodyBytes, int agentTokenTtlSeconds, int predictionIntervalMs, int commitDelayMicros, int retentionDays,
        double alertThreshold, String policy, Jwks jwks, Redis redis, Neo4j neo4j, Cluster cluster, Otlp otlp, String publicUrl,
        List<String> warnings) {

    /**
     * Verification of an external identity provider's tokens through a JSON Web Key Set.
     *
     * @param url {@code AURA_JWKS_URL}: http(s) URL of the key set
     * @param issuer {@code AURA_JWT_ISSUER}: the {@code iss} such tokens must carry; null: not checked
     * @param audience {@code AURA_JWT_AUDIENCE}: a value their {@code aud} must contain; null: not checked
     * @param cacheSeconds {@code AURA_JWKS_CACHE_SECONDS}: age after which the key set is fetched again
     * @param minRefetchSeconds {@code AURA_JWKS_MIN_REFETCH_SECONDS}: at most two fetches per this many seconds
     *     (refetches for unknown key ids and retries while the URL is down included)
     * @param timeoutMs {@code AURA_JWKS_TIMEOUT_MS}: connect timeout and read timeout of one fetch
     */
    public record Jwks(String url, String issuer, String audience, int cacheSeconds, int minRefetchSeconds, int timeoutMs) {
    }

    /**
     * An optional cache of analyze results (persistent homology by request content) shared by every
     * server that points at the same Redis; a server without it, or whose Redis is down, computes.
     *
     * @param url {@code AURA_REDIS_URL} or {@code REDIS_URL}: {@code redis://[[user:]password@]host[:port][/database]},
     *     {@code rediss://} for TLS; never logged with its user info
     * @param password {@code REDIS_PASSWORD} (the seed's secret), used when the URL carries no password; null: none; never logged
     * @param prefix {@code AURA_REDIS_PREFIX}: prefix of every key AURA writes
     * @param ttlSeconds {@code AURA_REDIS_TTL_SECONDS}: lifetime of an entry (the seed's {@code topology_ttl}, 3600)
     * @param timeoutMs {@code AURA_REDIS_TIMEOUT_MS}: longest wait for one lookup; past it the request computes itself
     */
    public record Redis(String url, String password, String prefix, int ttlSeconds, int timeoutMs) {
        @Override
        public String toString() {
            return redactUrl(url) + " (prefix " + prefix + ", ttl " + ttlSeconds + " s, timeout " + timeoutMs + " ms"
                    + (password == null ? "" : ", password from REDIS_PASSWORD") + ")";
        }
    }

    /**
     * The Neo4j that receives the knowledge graph (agents, their calls, topology signatures and
     * predictions); the database of record stays the SQL one, from which the graph is rebuilt.
     *
     * @param uri {@code AURA_NEO4J_URI} or {@code NEO4J_URI}: {@code bolt://host:7687}, {@code neo4j://} (routing),
     *     {@code +s} / {@code +ssc} for TLS
     * @param user {@code AURA_NEO4J_USER} or {@code NEO4J_USER}: default {@code neo4j}
     * @param password {@code AURA_NEO4J_PASSWORD} or {@code NEO4J_PASSWORD} (the seed's secret); null: no authentication; never logged
     * @param database {@code AURA_NEO4J_DATABASE}: null: the server's default database
     * @param intervalMs {@code AURA_NEO4J_INTERVAL_MS}: period of the exporter (new rows, then the bus's agents and calls)
     */
    public record Neo4j(String uri, String user, String password, String database, int intervalMs) {
        @Override
        public String toString() {
            return redactUrl(uri) + " (user " + user + (password == null ? ", no password" : "") + ", database "
                    + (database == null ? "default" : database) + ", every " + intervalMs + " ms)";
        }
    }

    /**
     * Replicas of the server joined in a Hazelcast cluster (embedded members, TCP/IP join to a
     * member list, or Hazelcast's Kubernetes discovery by a headless service's DNS name): an agent on
     * one replica reaches an agent connected to another, and interventions reach every replica's bus
     * at once. Needs a database shared by the replicas (PostgreSQL).
     *
     * @param members {@code AURA_CLUSTER_MEMBERS}: the replicas' {@code host[:port]}, comma-separated (this one may
     *     be listed); empty when {@code dns} is set
     * @param dns {@code AURA_CLUSTER_DNS}: a DNS name whose address records are the replicas (a Kubernetes
     *     headless service, e.g. {@code aura-cluster.aura.svc.cluster.local}), each reached on {@code port};
     *     looked up again while the cluster forms, so replicas an autoscaler adds join; null with a member list
     * @param port {@code AURA_CLUSTER_PORT}: this member's port (default 5701)
     * @param host {@code AURA_CLUSTER_HOST}: the address this member binds and announces (default: Hazelcast's choice)
     * @param name {@code AURA_CLUSTER_NAME}: only members with the same name join (default {@code aura})
     */
    public record Cluster(List<String> members, String dns, int port, String host, String name) {
        public Cluster {
            members = List.copyOf(members);
        }
    }

    /**
     * OpenTelemetry traces, exported over OTLP/HTTP (protobuf) to a collector, with the standard
     * OpenTelemetry environment variables.
     *
     * @param endpoint the traces URL: {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} as given, or
     *     {@code OTEL_EXPORTER_OTLP_ENDPOINT} + {@code /v1/traces}
     * @param serviceName {@code OTEL_SERVICE_NAME} (default {@code aura})
     * @param sampleRatio {@code OTEL_TRACES_SAMPLER_ARG}: share of new traces recorded, 0..1 (default 1); a
     *     request whose {@code traceparent} says "sampled" is always recorded
     * @param scheduleDelayMs {@code OTEL_BSP_SCHEDULE_DELAY}: how often finished spans are sent (default 5000 ms)
     * @param headers {@code OTEL_EXPORTER_OTLP_HEADERS}: {@code key=value} pairs sent with every export
     *     (e.g. a collector's API key); never logged
     */
    public record Otlp(String endpoint, String serviceName, double sampleRatio, int scheduleDelayMs, Map<String, String> headers) {
        public Otlp {
            headers = Map.copyOf(headers);
        }

        @Override
        public String toString() {
            return redactUrl(endpoint) + " (service " + serviceName + ", sampled " + sampleRatio + ", every " + scheduleDelayMs + " ms"
                    + (headers.isEmpty() ? "" : ", headers " + new java.util.TreeSet<>(headers.keySet())) + ")";
        }
    }

    /** Keys that only matter with an OTLP endpoint. */
    static final List<String> OTLP_ONLY_KEYS = List.of("OTEL_TRACES_SAMPLER_ARG", "OTEL_BSP_SCHEDULE_DELAY", "OTEL_EXPORTER_OTLP_HEADERS");

    /** Keys that only matter with AURA_CLUSTER_MEMBERS or AURA_CLUSTER_DNS. */
    static final List<String> CLUSTER_ONLY_KEYS = List.of("AURA_CLUSTER_PORT", "AURA_CLUSTER_HOST", "AURA_CLUSTER_NAME");

    /** Keys that only matter with AURA_NEO4J_URI. */
    static final List<String> NEO4J_ONLY_KEYS = List.of("AURA_NEO4J_DATABASE", "AURA_NEO4J_INTERVAL_MS");

    /** Keys that only matter with AURA_REDIS_URL. */
    static final List<String> REDIS_ONLY_KEYS = List.of("AURA_REDIS_PREFIX", "AURA_REDIS_TTL_SECONDS", "AURA_REDIS_TIMEOUT_MS");

    /** Keys that only matter with AURA_JWKS_URL. */
    static final List<String> JWKS_ONLY_KEYS = List.of("AURA_JWT_ISSUER", "AURA_JWT_AUDIENCE", "AURA_JWKS_CACHE_SECONDS",
            "AURA_JWKS_MIN_REFETCH_SECONDS", "AURA_JWKS_TIMEOUT_MS");

    /** Values of AURA_POLICY. */
    public static final List<String> POLICIES = List.of("off", "suggest", "auto");

    /** Feature flags of the seed that have no algorithm behind them here. */
    static final List<String> NO_EFFECT_FLAGS = List.of("ENABLE_QUANTUM_TDA", "ENABLE_NEUROMORPHIC",
            "ENABLE_GPU_ACCELERATION");

    /** Default of AURA_COMMIT_DELAY_US (docs/benchmarks.md, "Commit delay"). */
    public static final int DEFAULT_COMMIT_DELAY_US = 250;

    /** Shortest AURA_ENROLMENT_KEY that starts without a warning (128 bits). */
    public static final int MIN_ENROLMENT_KEY_BYTES = 16;

    /** Smallest HS256 secret (256 bits, RFC 7518 section 3.2). */
    public static final int MIN_SECRET_BYTES = 32;

    public ServerConfig {
        warnings = List.copyOf(warnings);
    }

    @Override
    public String toString() { // secrets stay out of logs
        return "ServerConfig[port=" + port + ", dataDir=" + dataDir + ", db=" + (dbUrl == null ? "h2 (embedded)" : redactUrl(dbUrl))
                + ", maxAgentsPerRequest=" + maxAgentsPerRequest + ", maxTopologyDimension=" + maxTopologyDimension
                + ", requestTimeoutSeconds=" + requestTimeoutSeconds + ", tdaBatchSize=" + tdaBatchSize
                + ", tdaCacheSize=" + tdaCacheSize + ", lnnInferenceThreads=" + lnnInferenceThreads
                + ", maxHomologyDimension=" + maxHomologyDimension + ", maxBodyBytes=" + maxBodyBytes
                + ", agentTokenTtlSeconds=" + agentTokenTtlSeconds + ", predictionIntervalMs=" + predictionIntervalMs
                + ", commitDelayMicros=" + commitDelayMicros + ", retentionDays=" + retentionDays + ", alertThreshold=" + alertThreshold + ", policy=" + policy
                + ", enrolmentKey=" + (enrolmentKey == null ? "unset" : "set") + ", publicUrl=" + (publicUrl == null ? "unset" : redactUrl(publicUrl))
                + (dbSchema == null ? "" : ", dbSchema=" + dbSchema)
                + ", jwks=" + (jwks == null ? "off" : redactUrl(jwks.url()) + " (issuer " + (jwks.issuer() == null ? "any" : jwks.issuer())
                        + ", audience " + (jwks.audience() == null ? "any" : jwks.audience()) + ", cache " + jwks.cacheSeconds() + " s)")
                + ", redis=" + (redis == null ? "off" : redis) + ", neo4j=" + (neo4j == null ? "off" : neo4j)
                + ", cluster=" + (cluster == null ? "off" : cluster) + ", traces=" + (otlp == null ? "off" : otlp) + "]";
    }

    /** The URL without a query string or user info (which may hold a password). */
    static String redactUrl(String url) {
        String u = url.replaceAll("//[^/@]*@", "//");
        int q = u.indexOf('?');
        return q < 0 ? u : u.substring(0, q);
    }

    /**
     * Reads the configuration.
     *
     * @param env environment variables
     * @param port the port ({@code --port})
     * @param dataDir the data directory ({@code --data-dir})
     * @param devSecret a secret to use when none is configured ({@code serve --dev}); null: none
     * @throws IllegalArgumentException on a malformed value or a missing/short secret, naming the key
     */
    public static ServerConfig fromEnv(Map<String, String> env, int port, Path dataDir, String devSecret) {
        List<String> warnings = new ArrayList<>();
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be in 0..65535, got " + port);
        }
        String secret = first(env, "AURA_JWT_SECRET", "JWT_SECRET");
        if (secret == null) {
            if (devSecret == null) {
                throw new IllegalArgumentException("no JWT secret: set AURA_JWT_SECRET (or JWT_SECRET) to at least "
                        + MIN_SECRET_BYTES + " random bytes, e.g. export AURA_JWT_SECRET=\"$(openssl rand -base64 48)\","
                        + " or start with --dev for a throw-away secret");
            }
            secret = devSecret;
        }
        if (secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the JWT secret (AURA_JWT_SECRET/JWT_SECRET) must be at least "
                    + MIN_SECRET_BYTES + " bytes long for HS256");
        }
        for (String flag : NO_EFFECT_FLAGS) {
            if (env.containsKey(flag)) {
                warnings.add(flag + "=" + env.get(flag) + " is accepted but has no effect: AURA has no "
                        + flag.substring("ENABLE_".length()).toLowerCase(Locale.ROOT).replace('_', ' ')
                        + " implementation (see docs/configuration.md)");
            }
        }
        String dbUrl = first(env, "AURA_DB_URL", "DATABASE_URL");
        if (dbUrl != null && dbUrl.startsWith("postgres")) { // postgres://user:pw@host/db (Heroku style) is not JDBC
            throw new IllegalArgumentException("AURA_DB_URL/DATABASE_URL must be a JDBC URL such as "
                    + "jdbc:postgresql://127.0.0.1:5432/aura, got one starting with 'postgres'");
        }
        if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:") && !dbUrl.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException("AURA_DB_URL/DATABASE_URL must start with jdbc:postgresql: or jdbc:h2:");
        }
        if (dbUrl == null) { // the embedded H2 has its own user; these belong to a database server
            unusedCompanions(env, List.of("AURA_DB_USER", "AURA_DB_PASSWORD"), " is set but AURA_DB_URL (or DATABASE_URL) is not:"
                    + " it has no effect; the server uses its embedded H2 in the data directory", warnings);
        }
        String schema = blankToNull(env.get("AURA_DB_SCHEMA")); // empty, like every other key: unset (the database's default)
        if (schema != null && !schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("AURA_DB_SCHEMA must match [a-z_][a-z0-9_]{0,62}, got '" + schema + "'");
        }
        String logLevel = blankToNull(env.get("AURA_LOG_LEVEL")); // read by logback.xml, which takes a misspelt level for DEBUG
        if (logLevel != null && !List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF").contains(logLevel.strip().toUpperCase(Locale.ROOT))) {
            throw new IllegalArgumentException("AURA_LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, got '" + logLevel + "'");
        }
        String enrolmentKey = blankToNull(env.get("AURA_ENROLMENT_KEY"));
        if (enrolmentKey != null && enrolmentKey.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < MIN_ENROLMENT_KEY_BYTES) {
            warnings.add("AURA_ENROLMENT_KEY is shorter than " + MIN_ENROLMENT_KEY_BYTES + " bytes: whoever guesses it can enrol any"
                    + " agent id with read and write; use a random key, e.g. export AURA_ENROLMENT_KEY=\"$(openssl rand -base64 24)\"");
        }
        int procs = Runtime.getRuntime().availableProcessors();
        String policy = blankToNull(env.get("AURA_POLICY"));
        policy = policy == null ? "off" : policy.toLowerCase(Locale.ROOT);
        if (!POLICIES.contains(policy)) {
            throw new IllegalArgumentException("AURA_POLICY must be one of " + String.join(", ", POLICIES) + ", got '"
                    + env.get("AURA_POLICY") + "'");
        }
        double threshold = 0.5;
        String th = blankToNull(env.get("AURA_ALERT_THRESHOLD"));
        if (th != null) {
            try {
                threshold = Double.parseDouble(th);
            } catch (NumberFormatException e) {
                threshold = Double.NaN;
            }
            if (!(threshold >= 0 && threshold <= 1)) {
                throw new IllegalArgumentException("AURA_ALERT_THRESHOLD must be a number in 0..1, got '" + th + "'");
            }
        }
        return new ServerConfig(port, dataDir, dbUrl, env.get("AURA_DB_USER"), env.get("AURA_DB_PASSWORD"), schema,
                secret, enrolmentKey,
                intKey(env, "MAX_AGENTS_PER_REQUEST", 10_000, 1, 10_000_000),
                intKey(env, "MAX_TOPOLOGY_DIMENSION", 100, 1, 100_000),
                intKey(env, "REQUEST_TIMEOUT_SECONDS", 30, 1, 3_600),
                intKey(env, "TDA_BATCH_SIZE", 1_000, 2, 65_536),
                intKey(env, "TDA_CACHE_SIZE", 10_000, 0, 10_000_000),
                intKey(env, "LNN_INFERENCE_THREADS", procs, 1, 1_024),
                intKey(env, "AURA_MAX_HOMOLOGY_DIMENSION", 3, 0, 16),
                longKey(env, "AURA_MAX_BODY_BYTES", 10L << 20, 1_024, 1L << 30),
                intKey(env, "AURA_AGENT_TOKEN_TTL_SECONDS", 3_600, 1, 31_622_400),
                intKey(env, "AURA_PREDICTION_INTERVAL_MS", 1_000, 50, 600_000),
                intKey(env, "AURA_COMMIT_DELAY_US", DEFAULT_COMMIT_DELAY_US, 0, 100_000),
                intKey(env, "AURA_RETENTION_DAYS", 30, 0, 36_500),
                threshold, policy, jwks(env, warnings), redis(env, warnings), neo4j(env, warnings), cluster(env, dbUrl, warnings),
                otlp(env, warnings), publicUrl(env), warnings);
    }

    /** AURA_PUBLIC_URL, without a trailing slash; null when unset. */
    static String publicUrl(Map<String, String> env) {
        String v = blankToNull(env.get("AURA_PUBLIC_URL"));
        if (v == null) {
            return null;
        }
        String example = "; e.g. AURA_PUBLIC_URL=https://aura.example.com";
        URI u = url("AURA_PUBLIC_URL", "URL", v, List.of("http", "https"), "an http:// or https:// URL", example);
        if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
            throw new IllegalArgumentException("AURA_PUBLIC_URL must be scheme://host[:port][/path] (no user info, query or fragment)" + example);
        }
        return v.replaceAll("/+$", "");
    }

    /** OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT and its companions; null when no endpoint is set or OTEL_TRACES_EXPORTER=none. */
    static Otlp otlp(Map<String, String> env, List<String> warnings) {
        String exporter = blankToNull(env.get("OTEL_TRACES_EXPORTER"));
        if (exporter != null && !exporter.equals("otlp") && !exporter.equals("none")) {
            throw new IllegalArgumentException("OTEL_TRACES_EXPORTER must be otlp or none, got '" + exporter + "'");
        }
        String traces = blankToNull(env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
        String base = blankToNull(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
        if ("none".equals(exporter) || (traces == null && base == null)) {
            unusedCompanions(env, OTLP_ONLY_KEYS, " is set but OTEL_EXPORTER_OTLP_ENDPOINT is not"
                    + ("none".equals(exporter) ? " (or OTEL_TRACES_EXPORTER=none)" : "") + ": it has no effect; no traces are sent", warnings);
            return null;
        }
        String protocol = blankToNull(env.get("OTEL_EXPORTER_OTLP_PROTOCOL"));
        if (protocol != null && !protocol.equals("http/protobuf")) {
            throw new IllegalArgumentException("OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf (the only OTLP transport AURA sends),"
                    + " got '" + protocol + "'; collectors take it on port 4318");
        }
        String example = "; e.g. OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector:4318";
        String endpoint;
        if (traces != null) {
            url("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "URL", traces, List.of("http", "https"), "an http:// or https:// URL", example + "/v1/traces");
            endpoint = traces;
        } else {
            url("OTEL_EXPORTER_OTLP_ENDPOINT", "URL", base, List.of("http", "https"), "an http:// or https:// URL", example);
            endpoint = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/traces";
        }
        String name = env.getOrDefault("OTEL_SERVICE_NAME", "aura").strip();
        if (name.isEmpty() || name.length() > 128) {
            throw new IllegalArgumentException("OTEL_SERVICE_NAME must be 1 to 128 characters, got '" + name + "'");
        }
        double ratio = 1.0;
        String arg = blankToNull(env.get("OTEL_TRACES_SAMPLER_ARG"));
        if (arg != null) {
            try {
                ratio = Double.parseDouble(arg);
            } catch (NumberFormatException e) {
                ratio = Double.NaN;
            }
            if (!(ratio >= 0 && ratio <= 1)) {
                throw new IllegalArgumentException("OTEL_TRACES_SAMPLER_ARG must be a number in 0..1 (the share of traces recorded), got '" + arg + "'");
            }
        }
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        String h = blankToNull(env.get("OTEL_EXPORTER_OTLP_HEADERS"));
        if (h != null) {
            for (String pair : h.split(",")) {
                int eq = pair.indexOf('=');
                String k = eq < 0 ? "" : pair.substring(0, eq).strip();
                if (!k.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}")) {
                    throw new IllegalArgumentException("OTEL_EXPORTER_OTLP_HEADERS must be key=value pairs separated by commas,"
                            + " e.g. api-key=secret,tenant=ops; got an entry without a valid key");
                }
                headers.put(k, java.net.URLDecoder.decode(pair.substring(eq + 1).strip(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return new Otlp(endpoint, name, ratio, intKey(env, "OTEL_BSP_SCHEDULE_DELAY", 5_000, 10, 600_000), headers);
    }

    /**
     * An IPv6 literal written out in full ({@code fd00::5} becomes {@code fd00:0:0:0:0:0:0:5}, the form
     * Hazelcast compares interfaces and member addresses in), or null when {@code s} is not one.
     * Parsing a literal never asks DNS; a zone id ({@code %eth0}) is refused.
     */
    static String ipv6(String s) {
        if (!s.matches("[0-9A-Fa-f:.]{2,45}") || !s.contains(":")) {
            return null;
        }
        try {
            return java.net.InetAddress.getByName(s) instanceof java.net.Inet6Address a ? a.getHostAddress() : null;
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** AURA_CLUSTER_MEMBERS or AURA_CLUSTER_DNS and their companions; null when neither is set. */
    static Cluster cluster(Map<String, String> env, String dbUrl, List<String> warnings) {
        String members = blankToNull(env.get("AURA_CLUSTER_MEMBERS"));
        String dns = blankToNull(env.get("AURA_CLUSTER_DNS"));
        if (members == null && dns == null) {
            unusedCompanions(env, CLUSTER_ONLY_KEYS, " is set but neither AURA_CLUSTER_MEMBERS nor AURA_CLUSTER_DNS is:"
                    + " it has no effect; this server runs alone", warnings);
            return null;
        }
        String key = members != null ? "AURA_CLUSTER_MEMBERS" : "AURA_CLUSTER_DNS";
        if (members != null && dns != null) {
            throw new IllegalArgumentException("AURA_CLUSTER_MEMBERS and AURA_CLUSTER_DNS are both set: the replicas are found"
                    + " either by a fixed list or by a DNS name, set one of them");
        }
        if (dbUrl == null || !dbUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(key + " needs a database the replicas share (enrolments and interventions):"
                    + " set AURA_DB_URL to PostgreSQL, e.g. jdbc:postgresql://db:5432/aura; the embedded H2 belongs to one server");
        }
        List<String> list = new ArrayList<>();
        if (members != null) {
            for (String m : members.split(",")) {
                String t = m.strip();
                java.util.regex.Matcher v6 = java.util.regex.Pattern.compile("\\[([0-9A-Fa-f:.]{2,45})](:\\d{1,5})?").matcher(t);
                if (v6.matches() && ipv6(v6.group(1)) != null) { // [fd00::5]:5701, as Hazelcast takes it, the address written out
                    t = "[" + ipv6(v6.group(1)) + "]" + (v6.group(2) == null ? "" : v6.group(2));
                } else if (!t.matches("[A-Za-z0-9.-]{1,253}(:\\d{1,5})?")) {
                    throw new IllegalArgumentException("AURA_CLUSTER_MEMBERS must be host[:port] entries separated by commas,"
                            + " e.g. 10.0.0.5:5701,10.0.0.6:5701 or [fd00::5]:5701; got '" + t + "'");
                }
                list.add(t);
            }
        } else if (!dns.matches("[A-Za-z0-9.-]{1,253}")) {
            throw new IllegalArgumentException("AURA_CLUSTER_DNS must be a DNS name (no port: the replicas listen on AURA_CLUSTER_PORT),"
                    + " e.g. aura-cluster.aura.svc.cluster.local; got '" + dns + "'");
        }
        String host = blankToNull(env.get("AURA_CLUSTER_HOST"));
        if (host != null && host.contains(":")) { // an IPv6 pod IP (fd00::5, or [fd00::5])
            String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            String full = ipv6(bare);
            if (full == null) {
                throw new IllegalArgumentException("AURA_CLUSTER_HOST must be a host name, an IPv4 address or an IPv6 address"
                        + " (no port: the member listens on AURA_CLUSTER_PORT), got '" + host + "'");
            }
            host = full;
        } else if (host != null && !host.matches("[A-Za-z0-9.-]{1,253}")) {
            throw new IllegalArgumentException("AURA_CLUSTER_HOST must be a host name, an IPv4 address or an IPv6 address, got '"
                    + host + "'");
        }
        String name = env.getOrDefault("AURA_CLUSTER_NAME", "aura").strip();
        if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("AURA_CLUSTER_NAME must match [A-Za-z0-9_.-]{1,64}, got '" + name + "'");
        }
        return new Cluster(list, dns == null ? null : dns.strip(), intKey(env, "AURA_CLUSTER_PORT", 5_701, 1, 65_535), host, name);
    }

    /** AURA_NEO4J_URI (or NEO4J_URI) and its companions; null when no URI is set. */
    static Neo4j neo4j(Map<String, String> env, List<String> warnings) {
        String uri = first(env, "AURA_NEO4J_URI", "NEO4J_URI");
        if (uri == null) {
            unusedCompanions(env, NEO4J_ONLY_KEYS, " is set but AURA_NEO4J_URI (or NEO4J_URI) is not: it has no effect;"
                    + " no knowledge graph is written", warnings);
            return null;
        }
        String example = "; e.g. AURA_NEO4J_URI=bolt://127.0.0.1:7687 (neo4j:// for a cluster, bolt+s:// or neo4j+s:// for TLS)";
        URI u = url("AURA_NEO4J_URI/NEO4J_URI", "URI", uri, List.of("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"),
                "a bolt:// or neo4j:// URI (optionally +s or +ssc)", example);
        if (u.getRawUserInfo() != null) {
            throw new IllegalArgumentException("AURA_NEO4J_URI/NEO4J_URI must not carry user info: set NEO4J_USER and NEO4J_PASSWORD");
        }
        String user = first(env, "AURA_NEO4J_USER", "NEO4J_USER");
        String database = blankToNull(env.get("AURA_NEO4J_DATABASE"));
        if (database != null && !database.matches("[A-Za-z][A-Za-z0-9.-]{0,62}")) {
            throw new IllegalArgumentException("AURA_NEO4J_DATABASE must be a database name ([A-Za-z][A-Za-z0-9.-]{0,62}), got '" + database + "'");
        }
        return new Neo4j(uri, user == null ? "neo4j" : user, first(env, "AURA_NEO4J_PASSWORD", "NEO4J_PASSWORD"), database,
                intKey(env, "AURA_NEO4J_INTERVAL_MS", 1_000, 50, 600_000));
    }

    /** AURA_REDIS_URL (or REDIS_URL) and its companions; null when no URL is set. */
    static Redis redis(Map<String, String> env, List<String> warnings) {
        String url = first(env, "AURA_REDIS_URL", "REDIS_URL");
        if (url == null) {
            unusedCompanions(env, REDIS_ONLY_KEYS, " is set but AURA_REDIS_URL (or REDIS_URL) is not: it has no effect; analyze results"
                    + " are cached in memory only (TDA_CACHE_SIZE)", warnings);
            return null;
        }
        String example = "; e.g. AURA_REDIS_URL=redis://127.0.0.1:6379 (rediss:// for TLS, redis://:password@host:6379/0)";
        URI u = url("AURA_REDIS_URL/REDIS_URL", "URL", url, List.of("redis", "rediss"), "a redis:// or rediss:// URL", example);
        String path = u.getPath() == null ? "" : u.getPath();
        if (!path.isEmpty() && !path.matches("/\\d{0,5}")) {
            throw new IllegalArgumentException("AURA_REDIS_URL/REDIS_URL's path must be a database number such as /0, got '"
                    + path + "'" + example);
        }
        String userInfo = u.getRawUserInfo();
        boolean urlHasPassword = userInfo != null && userInfo.contains(":") && userInfo.indexOf(':') < userInfo.length() - 1;
        String password = blankToNull(env.get("REDIS_PASSWORD"));
        if (urlHasPassword && password != null) {
            warnings.add("REDIS_PASSWORD is set but AURA_REDIS_URL/REDIS_URL carries a password too: the URL's is used");
            password = null;
        }
        String prefix = env.getOrDefault("AURA_REDIS_PREFIX", "aura:");
        if (!prefix.matches("[A-Za-z0-9:_.-]{0,64}")) {
            throw new IllegalArgumentException("AURA_REDIS_PREFIX must match [A-Za-z0-9:_.-]{0,64}, got '" + prefix + "'");
        }
        return new Redis(url, password, prefix, intKey(env, "AURA_REDIS_TTL_SECONDS", 3_600, 1, 31_622_400),
                intKey(env, "AURA_REDIS_TIMEOUT_MS", 100, 1, 60_000));
    }

    /** AURA_JWKS_URL and its companions; null when the URL is unset. */
    static Jwks jwks(Map<String, String> env, List<String> warnings) {
        String url = blankToNull(env.get("AURA_JWKS_URL"));
        if (url == null) {
            unusedCompanions(env, JWKS_ONLY_KEYS.subList(0, 2), " is set but AURA_JWKS_URL is not: it applies only to tokens verified"
                    + " through AURA_JWKS_URL and has no effect (HS256 tokens always have issuer aura)", warnings);
            unusedCompanions(env, JWKS_ONLY_KEYS.subList(2, JWKS_ONLY_KEYS.size()), " is set but AURA_JWKS_URL is not: it tunes"
                    + " the fetching of that key set and has no effect", warnings);
            return null;
        }
        String example = "; e.g. AURA_JWKS_URL=https://idp.example.com/.well-known/jwks.json";
        URI u = url("AURA_JWKS_URL", "URL", url, List.of("http", "https"), "an http:// or https:// URL of a JSON Web Key Set", example);
        String scheme = u.getScheme().toLowerCase(Locale.ROOT);
        if (u.getRawUserInfo() != null) {
            throw new IllegalArgumentException("AURA_JWKS_URL must not carry user info (user:password@): a key set is public");
        }
        if (u.getRawFragment() != null) {
            throw new IllegalArgumentException("AURA_JWKS_URL must not have a #fragment: '" + redactUrl(url) + "'");
        }
        if (scheme.equals("http") && !loopback(u.getHost())) {
            warnings.add("AURA_JWKS_URL uses plain http to " + u.getHost() + ": whoever is on the network path can substitute"
                    + " signing keys; use https");
        }
        String issuer = blankToNull(env.get("AURA_JWT_ISSUER"));
        String audience = blankToNull(env.get("AURA_JWT_AUDIENCE"));
        if (audience == null) {
            warnings.add("AURA_JWKS_URL is set without AURA_JWT_AUDIENCE: a token signed by one of its keys is accepted"
                    + " whatever application it was issued for; set AURA_JWT_AUDIENCE to this API's audience");
        }
        int cache = intKey(env, "AURA_JWKS_CACHE_SECONDS", 300, 10, 86_400);
        int minRefetch = intKey(env, "AURA_JWKS_MIN_REFETCH_SECONDS", 30, 1, 3_600);
        if (minRefetch >= cache) {
            throw new IllegalArgumentException("AURA_JWKS_MIN_REFETCH_SECONDS (" + minRefetch
                    + ") must be less than AURA_JWKS_CACHE_SECONDS (" + cache + ")");
        }
        int timeout = intKey(env, "AURA_JWKS_TIMEOUT_MS", 5_000, 100, 60_000);
        return new Jwks(url, issuer, audience, cache, minRefetch, timeout);
    }

    /** One warning per companion key that is set although its main key is not. */
    private static void unusedCompanions(Map<String, String> env, List<String> keys, String why, List<String> warnings) {
        for (String k : keys) {
            if (blankToNull(env.get(k)) != null) {
                warnings.add(k + why);
            }
        }
    }

    /**
     * A URL setting parsed, with one of the schemes and a host.
     *
     * @param key the setting's name(s) for the message
     * @param noun URL or URI, as the setting's docs call it
     * @param what the schemes, as the message says them
     * @param example the message's last part, an example
     */
    private static URI url(String key, String noun, String value, List<String> schemes, String what, String example) {
        URI u;
        try {
            u = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(key + " is not a valid " + noun + " (" + e.getReason() + "): '"
                    + redactUrl(value) + "'" + example, e);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!schemes.contains(scheme)) {
            throw new IllegalArgumentException(key + " must be " + what + ", got '" + redactUrl(value) + "'" + example);
        }
        if (u.getHost() == null || u.getHost().isBlank()) {
            throw new IllegalArgumentException(key + " has no host name: '" + redactUrl(value) + "'" + example);
        }
        return u;
    }

    private static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("[::1]") || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static String first(Map<String, String> env, String... keys) {
        for (String k : keys) {
            String v = blankToNull(env.get(k));
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static int intKey(Map<String, String> env, String key, int dflt, int min, int max) {
        return (int) longKey(env, key, dflt, min, max);
    }

    static long longKey(Map<String, String> env, String key, long dflt, long min, long max) {
        String v = blankToNull(env.get(key));
        if (v == null) {
            return dflt;
        }
        long x;
        try {
            x = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer in " + min + ".." + max + ", got '" + v + "'", e);
        }
        if (x < min || x > max) {
            throw new IllegalArgumentException(key + " must be in " + min + ".." + max + ", got " + x);
        }
        return x;
    }
}
