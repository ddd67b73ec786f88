package io.aura.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.eclipse.jetty.session.DefaultSessionCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The AURA HTTP server: {@code /api/v1} (JWT bearer, scopes per endpoint), {@code /health},
 * {@code /metrics} (Prometheus), {@code /openapi.json}. Start with {@link #start}; stop with
 * {@link #close}. Routes and documents are described in docs/api.md.
 */
public final class AuraServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuraServer.class);
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String T0 = "aura.t0";
    /** Latency buckets of http_server_requests_seconds: enough for p50/p99 per endpoint in PromQL, cheap to keep. */
    private static final Duration[] HTTP_BUCKETS = java.util.stream.LongStream.of(1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000)
            .mapToObj(Duration::ofMillis).toArray(Duration[]::new);
    /** An agent or subscriber socket with no frame either way for this long is closed (1001). */
    static final int WS_IDLE_TIMEOUT_SECONDS = 300;
    private static final String PRINCIPAL = "aura.principal";
    /** The WWW-Authenticate challenge of every 401. */
    private static final String BEARER_CHALLENGE = "Bearer realm=\"aura\"";

    private final ServerConfig config;
    private final Clock clock;
    private final Database db;
    private final LiveHistory liveHistory;
    private final Jwks jwks;
    private final Tokens tokens;
    private final AnalyzeService analyze;
    private final RedisCache redis;
    private final KnowledgeGraph graph;
    private final ClusterBus cluster;
    private final Interventions interventions;
    private final Bus bus;
    private final PredictionLoop loop;
    private final PredictService predict;
    private final PredictionWriter predictionWriter;
    private final java.util.concurrent.ScheduledExecutorService ticker;
    private final Retention retention;
    private volatile Set<String> lastActive = Set.of();
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gcMetrics;
    private final AtomicInteger activeRequests = new AtomicInteger();
    private final Timer tdaTimer;
    private final Tracing tracing;
    private final java.util.concurrent.ConcurrentHashMap<String, Timer> httpTimers = new java.util.concurrent.ConcurrentHashMap<>();
    private final McpEndpoint mcp;
    private final A2aEndpoint a2a;
    private final byte[] openApi;
    private final Javalin app;
    /** The servlet session cache (see {@link #statelessSessions}); set while Javalin builds its context. */
    private DefaultSessionCache httpSessions;

    private AuraServer(ServerConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        for (String w : config.warnings()) {
            LOG.warn(w);
        }
        this.jwks = config.jwks() == null ? null : new Jwks(config.jwks()); // fetches nothing until warmUp()
        try {
            this.db = new Database(config);
        } catch (RuntimeException e) {
            if (jwks != null) {
                jwks.close();
            }
            throw e;
        }
        java.util.ArrayDeque<AutoCloseable> opened = new java.util.ArrayDeque<>(); // closed in reverse if start-up fails
        try {
            this.tokens = new Tokens(config.jwtSecret(), clock, jwks);
            this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            String version = AuraServer.class.getPackage().getImplementationVersion();
            this.tracing = Tracing.start(config.otlp(), version == null ? "dev" : version);
            opened.push(tracing);
            this.redis = config.redis() == null ? null : new RedisCache(config.redis(), registry);
            if (redis != null) {
                opened.push(redis);
            }
            this.analyze = new AnalyzeService(config, redis);
            opened.push(analyze);
            this.interventions = new Interventions(db, clock, config.maxAgentsPerRequest());
            new JvmMemoryMetrics().bindTo(registry);
            this.gcMetrics = new JvmGcMetrics();
            gcMetrics.bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            Gauge.builder("aura.active.requests", activeRequests, AtomicInteger::get)
                    .description("HTTP requests in progress").register(registry);
            this.tdaTimer = Timer.builder("aura.tda.processing.duration")
                    .description("Persistent-homology computation time of analyze requests (cache misses)")
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(config.requestTimeoutSeconds())).register(registry);
            this.openApi = resource("openapi.json");
            this.bus = new Bus(db, tokens, interventions, clock, config.enrolmentKey(),
                    Duration.ofSeconds(config.agentTokenTtlSeconds()), registry);
            Gauge.builder("aura.agents.online", bus, Bus::onlineCount).description("Agents connected to the bus").register(registry);
            this.cluster = config.cluster() == null ? null : new ClusterBus(config.cluster(), registry);
            if (cluster != null) {
                opened.push(cluster);
                cluster.bind(bus, interventions);
                bus.joinCluster(cluster);
                interventions.onChange(cluster::interventionsChanged);
            }
            this.liveHistory = new LiveHistory(db);
            opened.push(liveHistory);
            this.loop = new PredictionLoop(bus, interventions, clock, config, liveHistory, cluster);
            opened.push(loop);
            Gauge.builder("aura.cascade.risk", loop, PredictionLoop::risk)
                    .description("The prediction loop's newest cascade risk of the bus (NaN before the first prediction)").register(registry);
            this.predictionWriter = new PredictionWriter(db, config.requestTimeoutSeconds(), config.commitDelayMicros(), registry);
            opened.push(predictionWriter);
            this.graph = config.neo4j() == null ? null : new KnowledgeGraph(config.neo4j(), db, clock, config.retentionDays(),
                    bus::agentsJson, bus::localTopologyJson, registry); // each replica exports the calls it sees
            if (graph != null) {
                opened.push(graph);
                predictionWriter.onCommitted(graph::committed);
            }
            this.predict = new PredictService(config, db, analyze, loop, predictionWriter, clock);
            List<McpEndpoint.Tool> tools = mcpTools();
            this.mcp = new McpEndpoint(tools, version == null ? "dev" : version, config.publicUrl());
            this.a2a = new A2aEndpoint(tools, version == null ? "dev" : version, clock,
                    cluster == null ? new A2aEndpoint.LocalTasks() : cluster.a2aTasks(), Duration.ofSeconds(config.requestTimeoutSeconds()));
            this.app = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.startup.showOldJavalinVersionWarning = false;
                cfg.concurrency.useVirtualThreads = true;
                cfg.http.maxRequestSize = config.maxBodyBytes();
                cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
                // Javalin's URI compliance (LEGACY) lets %uXXXX through, which its own path-parameter decoding
                // (java.net.URLDecoder) cannot read: /ws/a2a/%ud800 was a 500 quoting the exception, before any
                // token was looked at, and a logged stack trace per request. Jetty now refuses it with a 400.
                cfg.jetty.modifyHttpConfiguration(http -> http.setUriCompliance(http.getUriCompliance()
                        .without("LEGACY without UTF-16 escapes", org.eclipse.jetty.http.UriCompliance.Violation.UTF16_ENCODINGS)));
                cfg.jetty.modifyServletContextHandler(h -> {
                    h.setErrorHandler(new JsonErrorHandler());
                    this.httpSessions = statelessSessions(h.getSessionHandler());
                });
                cfg.http.prefer405over404 = true; // a wrong method on a known path is 405, not "no route"
                // a listening agent may be quiet for minutes; Jetty's default drops a socket idle for 30 s
                cfg.jetty.modifyWebSocketServletFactory(f -> {
                    f.setIdleTimeout(java.time.Duration.ofSeconds(WS_IDLE_TIMEOUT_SECONDS));
                    // a socket whose reader does not keep up holds at most this many frames here, not without bound
                    f.setMaxOutgoingFrames(Bus.MAX_OUTGOING_FRAMES);
                });
                cfg.routes.before(this::before);
                cfg.routes.after(this::after);
                cfg.routes.before("/api/v1/*", ctx -> authenticate(ctx));
                cfg.routes.get("/health", ctx -> health(ctx, true));
                cfg.routes.get("/health/live", ctx -> health(ctx, false));
                cfg.routes.get("/health/ready", ctx -> health(ctx, true));
                cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(registry.scrape()));
                cfg.routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
                cfg.routes.post("/api/v1/analyze", this::analyze);
                cfg.routes.post("/api/v1/predict", ctx -> {
                    Tokens.Principal p = require(ctx, Tokens.Scope.ANALYZE);
                    ObjectNode body = Json.parseObject(body(ctx));
                    ctx.status(200).contentType("application/json").result(predictTraced(body, p));
                });
                cfg.routes.get("/api/v1/predictions/{id}", ctx -> {
                    require(ctx, Tokens.Scope.READ);
                    ObjectNode doc = predict.stored(id(ctx));
                    if (doc == null) {
                        throw new ApiException(404, "not_found", "no prediction with this id", "id");
                    }
                    json(ctx, 200, doc);
                });
                cfg.routes.post("/api/v1/intervene", this::intervene);
                cfg.routes.before("/mcp", this::authenticate);
                cfg.routes.post("/mcp", ctx -> mcp.handle(ctx, operator(ctx, "MCP"), body(ctx)));
                cfg.routes.get("/.well-known/agent-card.json", ctx -> {
                    // A2A 1.0 clients ask with A2A-Version: 1.0 and get the 1.0 card; without it (or with 0.x), the 0.3 card
                    String asked = A2aV1.asked(ctx);
                    ctx.header("Vary", "A2A-Version");
                    ObjectNode card = a2a.card(baseUrl(ctx));
                    json(ctx, 200, A2aV1.wantsV1Card(asked) ? A2aV1.card(card) : card);
                });
                cfg.routes.before("/a2a", this::authenticate);
                cfg.routes.post("/a2a", ctx -> a2a.handle(ctx, operator(ctx, "A2A"), body(ctx)));
                cfg.routes.before(A2aRest.PATH + "/*", this::authenticate);
                A2aRest.routes(cfg, a2a, ctx -> operator(ctx, "A2A"), this::body);
                cfg.routes.get("/api/v1/interventions", this::listInterventions);
                cfg.routes.get("/api/v1/interventions/{id}", this::getIntervention);
                cfg.routes.delete("/api/v1/interventions/{id}", this::revokeIntervention);
                cfg.routes.get("/api/v1/agents", ctx -> {
                    require(ctx, Tokens.Scope.READ);
                    json(ctx, 200, bus.agentsJson());
                });
                cfg.routes.get("/api/v1/topology", ctx -> {
                    require(ctx, Tokens.Scope.READ);
                    json(ctx, 200, bus.topologyJson());
                });
                cfg.routes.post("/a2a/auth/agent", ctx -> {
                    String h = ctx.header("Authorization");
                    Tokens.Principal op = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)
                            ? tokens.verify(h.substring(7).strip()) : null;
                    if (op != null) {
                        ctx.attribute(PRINCIPAL, op);
                    }
                    String actor = bus.enrolmentActor(op, ctx.header("X-Enrolment-Key")); // before the body is read or parsed
                    json(ctx, 200, bus.enrol(Json.parseObject(body(ctx)), actor));
                });
                cfg.routes.wsBeforeUpgrade("/ws/a2a/{agent_id}", ctx -> refuseUpgradeAsJson(ctx, () ->
                        bus.authorizeAgent(ctx.pathParam("agent_id"), bearer(ctx.header("Authorization"), ctx.queryParam("token")))));
                cfg.routes.ws("/ws/a2a/{agent_id}", ws -> {
                    ws.onConnect(c -> {
                        String id = c.pathParam("agent_id");
                        // the upgrade checked the enrolment; connected() checks it again once the socket is registered
                        bus.connected(id, c, bus.agentToken(id, bearer(c.header("Authorization"), c.queryParam("token"))));
                    });
                    ws.onMessage(c -> bus.message(c.pathParam("agent_id"), c, c.message()));
                    ws.onBinaryMessage(bus::binary);
                    ws.onClose(c -> bus.disconnected(c.pathParam("agent_id"), c));
                    ws.onError(c -> bus.disconnected(c.pathParam("agent_id"), c));
                });
                cfg.routes.wsBeforeUpgrade("/ws", ctx -> refuseUpgradeAsJson(ctx,
                        () -> bus.checkSubscriberRoom(subscriber(ctx.header("Authorization"), ctx.queryParam("token")))));
                cfg.routes.ws("/ws", ws -> {
                    ws.onConnect(c -> bus.subscriberConnected(c, subscriber(c.header("Authorization"), c.queryParam("token"))));
                    ws.onMessage(c -> bus.subscriberMessage(c, c.message()));
                    ws.onBinaryMessage(bus::binary);
                    ws.onClose(bus::subscriberClosed);
                    ws.onError(bus::subscriberClosed);
                });
                cfg.routes.exception(ApiException.class, (e, ctx) -> {
                    if (e.status() == 401 && ctx.res().getHeader("WWW-Authenticate") == null) { // every 401 says how to authenticate
                        ctx.header("WWW-Authenticate", BEARER_CHALLENGE);
                    }
                    error(ctx, e.status(), e.error(), e.getMessage(), e.field());
                });
                cfg.routes.exception(Database.StoreException.class, (e, ctx) -> {
                    LOG.error("database failure", e);
                    error(ctx, 503, "store_unavailable", "the database is unavailable; retry shortly", null);
                });
                cfg.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
                        statusName(e.getStatus()), e.getMessage(), null));
                cfg.routes.exception(Exception.class, (e, ctx) -> {
                    LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
                    error(ctx, 500, "internal_error", "internal error; the request id is " + ctx.attribute("request_id"), null);
                });
                cfg.routes.error(404, ctx -> {
                    if (ctx.result() == null) {
                        error(ctx, 404, "not_found", "no route " + ctx.method() + " " + clip(ctx.path()) + "; see /openapi.json", null);
                    }
                });
                cfg.routes.error(405, ctx -> {
                    if (ctx.result() == null) {
                        error(ctx, 405, "method_not_allowed", ctx.method() + " is not allowed on " + clip(ctx.path()), null);
                    }
                });
            });
            app.start(config.port());
            opened.push(app::stop);
            loop.start();
            liveHistory.start();
            this.lastActive = interventions.activeIds();
            this.ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("aura-ticker").daemon(true).factory());
            opened.push(ticker::shutdownNow);
            ticker.scheduleAtFixedRate(this::tick, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
            this.retention = new Retention(db, config.retentionDays(), clock, registry);
        } catch (RuntimeException | Error e) { // an Error too: a Hazelcast member's threads would keep the JVM alive
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            if (jwks != null) {
                jwks.close();
            }
            db.close();
            throw e;
        }
        if (jwks != null) {
            jwks.warmUp();
        }
        LOG.info("AURA server listening on port {} ({}, database {})", app.port(), config, db.kind());
    }

    /**
     * Starts a server.
     *
     * @throws IllegalArgumentException on a bad configuration; other exceptions when the port or database is unavailable
     */
    public static AuraServer start(ServerConfig config, Clock clock) {
        return new AuraServer(config, clock);
    }

    /** The port the server listens on. */
    public int port() {
        return app.port();
    }

    /** Stops the HTTP server, the workers and the database pool. */
    @Override
    public void close() {
        ticker.shutdownNow();
        retention.close();
        loop.close();
        liveHistory.close();
        int left = bus.goAway(Duration.ofSeconds(2)); // before the listener drops what is still open
        if (left > 0) {
            LOG.info("{} socket(s) did not answer the shutdown's close within 2 s; dropping them", left);
        }
        app.stop();
        bus.auditRefusals(); // the last second's refusals, now that no socket can add any
        a2a.close(); // the tasks still running end as failed, while the cluster's task map is still there
        tracing.close(); // the last requests' spans
        predictionWriter.close();
        if (graph != null) {
            graph.close();
        }
        analyze.close();
        if (redis != null) {
            redis.close();
        }
        gcMetrics.close();
        registry.close();
        if (jwks != null) {
            jwks.close();
        }
        if (cluster != null) { // last but the database: the graph's last round may still ask the other replicas
            cluster.close();
        }
        db.close();
    }

    /** The database (tests read and write it directly). */
    Database db() {
        return db;
    }

    /** The live history (tests flush it). */
    LiveHistory liveHistory() {
        return liveHistory;
    }

    /** The retention purge (tests run it at a chosen time). */
    Retention retention() {
        return retention;
    }

    /** The prediction loop (tests drive its auto policy with explicit actions). */
    PredictionLoop predictionLoop() {
        return loop;
    }

    /** The interventions and their enforcer (for tests). */
    Interventions interventions() {
        return interventions;
    }

    /** The agent bus (for tests). */
    Bus bus() {
        return bus;
    }

    /** The token service (for tests and the token command). */
    public Tokens tokens() {
        return tokens;
    }

    /** Once a second: reload the enforcer (expiry) and publish interventions that expired. */
    private void tick() {
        try {
            bus.sweepExpired();
        } catch (RuntimeException e) {
            LOG.warn("closing expired sockets failed: {}", e.toString());
        }
        bus.reassertCluster(); // never throws
        bus.auditRefusals(); // never throws
        try {
            interventions.tick();
            Set<String> now = interventions.activeIds();
            for (String id : lastActive) {
                if (!now.contains(id)) {
                    Interventions.Intervention iv = interventions.get(id);
                    if (iv != null && iv.revokedAt() == null) {
                        bus.publish("interventions", iv.json(interventions.now()));
                    }
                }
            }
            long changes = interventions.enforcement().updates();
            if (changes != enforcementUpdatesSeen) { // the active set changed (or was reloaded) since the last tick
                bus.forgetAlertsExcept(interventions.activeIds()); // read after the count: newer, never older
                enforcementUpdatesSeen = changes;
            }
            lastActive = now;
        } catch (RuntimeException e) {
            // once a minute while the database is away (every tick otherwise), with how many were not logged
            if (refreshWarnings.due()) {
                LOG.warn("intervention refresh failed{}: {}", refreshFailuresUnlogged == 0 ? ""
                        : " (and " + refreshFailuresUnlogged + " times since the last warning)", e.toString());
                refreshFailuresUnlogged = 0;
            } else {
                refreshFailuresUnlogged++;
            }
        }
    }

    /** {@link Enforcement#updates()} when the ticker last forgot the alerts of ended interventions. */
    private long enforcementUpdatesSeen = -1;
    private final Every refreshWarnings = new Every(60_000, () -> System.nanoTime() / 1_000_000);
    private int refreshFailuresUnlogged;

    private static String bearer(String header, String query) {
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).strip();
        }
        return query == null || query.isBlank() ? null : query.strip();
    }

    private static String requireBearer(String token) {
        if (token == null) {
            throw new ApiException(401, "unauthorized", "missing token: 'Authorization: Bearer <token>' or ?token=<token>", null);
        }
        return token;
    }

    private void before(Context ctx) {
        String rid = ctx.header("X-Request-Id");
        if (rid == null || !REQUEST_ID.matcher(rid).matches()) {
            rid = Ids.random();
        }
        ctx.attribute("request_id", rid);
        ctx.header("X-Request-Id", rid);
        ctx.attribute(T0, System.nanoTime());
        MDC.put("request_id", rid);
        tracing.begin(ctx, rid);
        activeRequests.incrementAndGet();
        if (ctx.header("X-HTTP-Method-Override") != null) { // after the above: the refusal is logged, counted and traced
            // Javalin would route by this header: a GET could then revoke an intervention while every
            // proxy, gateway rule and access log in front saw a GET
            throw new ApiException(400, "bad_request", "X-HTTP-Method-Override is not supported: send the request with its"
                    + " own method (" + ctx.req().getMethod() + " was sent)", null);
        }
    }

    private void after(Context ctx) {
        Long t0 = ctx.attribute(T0);
        if (t0 == null) {
            return;
        }
        activeRequests.decrementAndGet();
        long nanos = System.nanoTime() - t0;
        int status = ctx.status().getCode();
        String route = route(ctx, status);
        String method = methodLabel(ctx.method().name());
        // one timer per (method, route, status), looked up without building its id each time: a bounded set
        httpTimers.computeIfAbsent(method + ' ' + route + ' ' + status, k -> Timer.builder("http.server.requests")
                .tag("method", method).tag("uri", route).tag("status", Integer.toString(status))
                .serviceLevelObjectives(HTTP_BUCKETS).register(registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        if (LOG.isInfoEnabled()) { // the formatting below costs more than the rest of this method
            Tokens.Principal p = ctx.attribute(PRINCIPAL);
            LOG.info("{} {} {} {} ms{}", ctx.method(), route, status, String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e6),
                    p == null ? "" : " subject=" + p.subject());
        }
        tracing.end(ctx, status, route);
        MDC.remove("request_id");
    }

    /** The methods of RFC 9110, the only values of the method label. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");

    /**
     * The method as a metric label: a request may name any token as its method (Jetty passes it on and
     * Javalin answers 405), and each new one made a timer that stayed for the life of the process, so
     * requests without a token could grow the heap and /metrics without bound. Others are
     * {@code _OTHER}, as OpenTelemetry's semantic conventions name them.
     */
    static String methodLabel(String method) {
        return METHODS.contains(method) ? method : "_OTHER";
    }

    /**
     * The route pattern the request is for (a bounded label set): the matched one, or for a request
     * refused before its handler ran (a 401 of the authentication filter) the pattern its path and
     * method would have matched; NOT_FOUND for a path no route has (a known route's own 404, an
     * unknown intervention id, keeps its pattern); UNMATCHED otherwise.
     */
    private String route(Context ctx, int status) {
        try {
            io.javalin.router.Endpoint e = ctx.endpoints().matchedHttpEndpoint();
            if (e != null) {
                return e.path;
            }
            io.javalin.router.ParsedEndpoint would = app.unsafe.internalRouter.findFirstHttpHandlerEntry(ctx.method(), ctx.path());
            if (would != null) {
                return would.endpoint.path;
            }
        } catch (RuntimeException e) {
            // fall through to the fixed labels
        }
        return status == 404 ? "NOT_FOUND" : "UNMATCHED";
    }

    private void authenticate(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null || h.isBlank()) {
            ctx.header("WWW-Authenticate", BEARER_CHALLENGE);
            throw new ApiException(401, "unauthorized", "missing bearer token: send 'Authorization: Bearer <token>'"
                    + " (mint one with 'aura token')", null);
        }
        if (!h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.header("WWW-Authenticate", BEARER_CHALLENGE);
            throw new ApiException(401, "unauthorized", "the Authorization header must be 'Bearer <token>'", null);
        }
        try {
            ctx.attribute(PRINCIPAL, tokens.verify(h.substring(7).strip()));
        } catch (ApiException e) {
            if (e.status() == 401) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"aura\", error=\"invalid_token\"");
            } else if (e.status() == 503 && config.jwks() != null) { // the identity provider's key set cannot be fetched
                ctx.header("Retry-After", Integer.toString(config.jwks().minRefetchSeconds()));
            }
            throw e;
        }
    }

    /**
     * Runs an upgrade check; a refusal is written as the API's JSON error right away (Javalin drops a
     * result set on an upgrade request, which left these 401/403 answers with an empty body) and then
     * rethrown, so that the upgrade does not happen.
     */
    private static void refuseUpgradeAsJson(Context ctx, Runnable check) {
        try {
            check.run();
        } catch (ApiException e) {
            try {
                jakarta.servlet.http.HttpServletResponse res = ctx.res();
                if (!res.isCommitted()) {
                    res.setStatus(e.status());
                    res.setContentType("application/json");
                    if (e.status() == 401) {
                        res.setHeader("WWW-Authenticate", BEARER_CHALLENGE);
                    }
                    byte[] b = Json.write(Json.error(e.error(), e.getMessage(), null)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    res.setContentLength(b.length);
                    res.getOutputStream().write(b);
                    res.flushBuffer();
                }
            } catch (java.io.IOException io) {
                // the client went away: nothing to tell it
            }
            throw e;
        }
    }

    /** An operator token with scope read: the only kind that may open /ws (an agent's 'read' permission is not the scope). */
    private Tokens.Principal subscriber(String authorization, String queryToken) {
        Tokens.Principal p = tokens.verify(requireBearer(bearer(authorization, queryToken)));
        if (p.agentId() != null) {
            throw new ApiException(403, "forbidden", "agent tokens are for the agent bus (/ws/a2a/{agent_id}); /ws needs an operator token with scope 'read'", null);
        }
        if (!p.has(Tokens.Scope.READ)) {
            throw new ApiException(403, "insufficient_scope", "/ws needs a token with scope 'read'", null);
        }
        return p;
    }

    private Tokens.Principal require(Context ctx, String scope) {
        Tokens.Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            throw new ApiException(401, "unauthorized", "missing bearer token", null);
        }
        if (p.agentId() != null) {
            throw new ApiException(403, "forbidden", "agent tokens are for the agent bus; this endpoint needs an operator token with scope '"
                    + scope + "'", null);
        }
        if (!p.has(scope)) {
            throw new ApiException(403, "insufficient_scope", "this endpoint needs scope '" + scope
                    + "'; the token has " + (p.scopes().isEmpty() ? "none" : String.join(" ", p.scopes())), null);
        }
        return p;
    }

    private byte[] body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > config.maxBodyBytes()) {
            // a client that waits for "100 Continue" never sends the body; one that does not is still
            // sending it, and a server that answers and closes mid-upload makes its TCP stack reset the
            // connection, so such a client sees a reset instead of the 413 (seen as "broken pipe" in
            // a test): the body is read and dropped first when it is at most DRAIN_BYTES over
            if (declared <= config.maxBodyBytes() + DRAIN_BYTES && !"100-continue".equalsIgnoreCase(ctx.header("Expect"))) {
                drain(ctx, declared);
            }
            throw tooLarge();
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxBodyBytes() + 1));
            if (b.length > config.maxBodyBytes()) {
                drainStream(in, DRAIN_BYTES);
                throw tooLarge();
            }
            return b;
        } catch (IOException e) {
            throw new ApiException(400, "bad_body", "the request body could not be read", null);
        }
    }

    /** How far over AURA_MAX_BODY_BYTES a body is still read (and dropped) before the 413. */
    static final long DRAIN_BYTES = 1L << 20;

    private static void drain(Context ctx, long bytes) {
        try (InputStream in = ctx.req().getInputStream()) {
            drainStream(in, bytes);
        } catch (IOException e) {
            // the client went away: nothing to answer it
        }
    }

    private static void drainStream(InputStream in, long bytes) throws IOException {
        byte[] buf = new byte[8192];
        long left = bytes;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                return;
            }
            left -= r;
        }
    }

    private ApiException tooLarge() {
        return new ApiException(413, "body_too_large", "the request body is larger than " + config.maxBodyBytes()
                + " bytes (AURA_MAX_BODY_BYTES)", null);
    }

    private void health(Context ctx, boolean ready) {
        ObjectNode o = Json.object();
        boolean up = true;
        if (ready) {
            ObjectNode dbn = o.putObject("checks").putObject("database");
            dbn.put("kind", db.kind());
            long t0 = System.nanoTime();
            try {
                db.ping();
                dbn.put("status", "UP");
            } catch (Exception e) {
                up = false;
                dbn.put("status", "DOWN");
                dbn.put("message", e.getClass().getSimpleName());
            }
            dbn.put("latency_ms", (System.nanoTime() - t0) / 1e6);
            if (cluster != null) {
                ObjectNode cn = ((ObjectNode) o.get("checks")).putObject("cluster");
                cn.put("kind", "hazelcast");
                int members = cluster.members();
                cn.put("status", members > 0 ? "UP" : "DOWN");
                cn.put("members", members);
                cn.put("leader", cluster.leader()); // the replica that applies AURA_POLICY=auto's interventions
            }
            if (graph != null) { // optional, like the cache: the SQL store is the system of record
                ObjectNode gn = ((ObjectNode) o.get("checks")).putObject("knowledge_graph");
                gn.put("kind", "neo4j");
                gn.put("required", false);
                String problem = graph.problem();
                gn.put("status", problem == null ? "UP" : "DOWN");
                if (problem != null) {
                    gn.put("message", problem);
                }
                gn.put("backlog", graph.backlog());
                long last = graph.lastSuccessMs();
                if (last > 0) {
                    gn.put("last_write", java.time.Instant.ofEpochMilli(last).toString());
                }
            }
            if (redis != null) { // optional: a Redis that does not answer costs speed, never answers, so it does not make the server DOWN
                ObjectNode rn = ((ObjectNode) o.get("checks")).putObject("cache");
                rn.put("kind", "redis");
                rn.put("required", false);
                long t1 = System.nanoTime();
                String problem = redis.ping();
                rn.put("status", problem == null ? "UP" : "DOWN");
                if (problem != null) {
                    rn.put("message", problem);
                }
                rn.put("latency_ms", (System.nanoTime() - t1) / 1e6);
            }
        }
        o.put("status", up ? "UP" : "DOWN");
        ctx.status(up ? 200 : 503).contentType("application/json").result(Json.write(o));
    }

    private void analyze(Context ctx) {
        Tokens.Principal p = require(ctx, Tokens.Scope.ANALYZE);
        json(ctx, 200, analyzeAndStore(Json.parseObject(body(ctx)), p));
    }

    /** Computes (or finds in a cache) the persistent homology of a request body and stores its signature. */
    private ObjectNode analyzeAndStore(ObjectNode body, Tokens.Principal p) {
        long t0 = System.nanoTime();
        AnalyzeService.Request r = analyze.parse(body);
        long t1 = System.nanoTime();
        AnalyzeService.Result result = tracing.inSpan("tda.persistent_homology", () -> analyze.run(r), (span, res) -> span
                .setAttribute("aura.input_type", r.inputType()).setAttribute("aura.points", r.points())
                .setAttribute("aura.cache_hit", res.cacheHit()));
        if (!result.cacheHit()) {
            tdaTimer.record(Duration.ofNanos(result.computeNanos()));
        }
        ObjectNode doc = result.document();
        Object[] row = AnalyzeService.signatureRow(UUID.randomUUID().toString(), clock.millis(), p.subject(), doc);
        db.update(AnalyzeService.INSERT_SIGNATURE, row);
        String id = (String) row[0];
        if (graph != null) {
            graph.committed(new Database.Statement(AnalyzeService.INSERT_SIGNATURE, row));
        }
        ObjectNode out = Json.object();
        out.put("signature_id", id);
        out.setAll(doc);
        out.put("cache_hit", result.cacheHit());
        ObjectNode timing = out.putObject("timing_ms");
        timing.put("parse", (t1 - t0) / 1e6);
        timing.put("compute", result.computeNanos() / 1e6);
        timing.put("total", (System.nanoTime() - t0) / 1e6);
        return out;
    }

    private void intervene(Context ctx) {
        Tokens.Principal p = require(ctx, Tokens.Scope.INTERVENE);
        ObjectNode iv = createIntervention(Json.parseObject(body(ctx)), p);
        ctx.header("Location", "/api/v1/interventions/" + iv.path("id").asText());
        json(ctx, 201, iv);
    }

    private ObjectNode createIntervention(ObjectNode body, Tokens.Principal p) {
        Interventions.Intervention iv = interventions.create(body, p.subject());
        bus.publish("interventions", iv.json(interventions.now()));
        return iv.json(interventions.now());
    }

    private void listInterventions(Context ctx) {
        require(ctx, Tokens.Scope.READ);
        String limitParam = ctx.queryParam("limit");
        int limit = 100;
        if (limitParam != null) {
            // ASCII digits only: Integer.parseInt also takes other scripts' digits ("٣" is 3)
            limit = limitParam.matches("[0-9]{1,4}") ? Integer.parseInt(limitParam) : -1;
        }
        json(ctx, 200, interventionList(ctx.queryParam("state"), limit));
    }

    private ObjectNode interventionList(String state, int limit) {
        if (state != null && !state.equals("active") && !state.equals("all")) {
            throw ApiException.invalid("state", "state must be 'active' or 'all'");
        }
        if (limit < 1 || limit > 1000) {
            throw ApiException.invalid("limit", "limit must be an integer in 1..1000");
        }
        long now = interventions.now();
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("interventions");
        for (Interventions.Intervention iv : interventions.list(!"all".equals(state), limit)) {
            list.add(iv.json(now));
        }
        return out;
    }

    private void getIntervention(Context ctx) {
        require(ctx, Tokens.Scope.READ);
        Interventions.Intervention iv = interventions.get(id(ctx));
        if (iv == null) {
            throw new ApiException(404, "not_found", "no intervention with this id", "id");
        }
        json(ctx, 200, iv.json(interventions.now()));
    }

    private void revokeIntervention(Context ctx) {
        Tokens.Principal p = require(ctx, Tokens.Scope.INTERVENE);
        json(ctx, 200, revoke(id(ctx), p));
    }

    private ObjectNode revoke(String id, Tokens.Principal p) {
        Interventions.Intervention iv = id.length() > 64 ? null : interventions.revoke(id, p.subject());
        if (iv == null) {
            throw new ApiException(404, "not_found", "no intervention with this id", "id");
        }
        bus.publish("interventions", iv.json(interventions.now()));
        return iv.json(interventions.now());
    }

    /** predict's answer (stored), in a {@code cascade.predict} span. */
    private String predictTraced(ObjectNode body, Tokens.Principal p) {
        return tracing.inSpan("cascade.predict", () -> predict.predict(body, p.subject()), (span, answer) -> { });
    }

    /** The MCP tools (mcp-tools.json describes them to the model): the same work as the API's endpoints. */
    private List<McpEndpoint.Tool> mcpTools() {
        Map<String, java.util.function.BiFunction<ObjectNode, Tokens.Principal, JsonNode>> calls = Map.of(
                "predict_cascade", (a, p) -> Json.parseObject(predictTraced(a, p).getBytes(StandardCharsets.UTF_8)),
                "analyze_topology", this::analyzeAndStore,
                "intervene", this::createIntervention,
                "list_interventions", (a, p) -> {
                    Json.onlyFields(a, List.of("state", "limit"), "");
                    Integer limit = Json.integer(a, "limit", "limit", 1, 1000);
                    return interventionList(Json.string(a, "state", "state"), limit == null ? 100 : limit);
                },
                "revoke_intervention", (a, p) -> {
                    Json.onlyFields(a, List.of("id"), "");
                    String id = Json.string(a, "id", "id");
                    if (id == null) {
                        throw ApiException.invalid("id", "id is required: the intervention's id");
                    }
                    return revoke(id, p);
                },
                "get_topology", (a, p) -> {
                    Json.onlyFields(a, List.of(), ""); // no arguments: a misspelt one is refused, as by the other tools
                    return bus.topologyJson();
                },
                "list_agents", (a, p) -> {
                    Json.onlyFields(a, List.of(), "");
                    return bus.agentsJson();
                });
        List<McpEndpoint.Tool> tools = new java.util.ArrayList<>();
        JsonNode described;
        try {
            described = Json.MAPPER.readTree(resource("mcp-tools.json"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read mcp-tools.json", e);
        }
        for (JsonNode t : described) {
            String name = t.path("name").asText();
            var call = calls.get(name);
            if (call == null) {
                throw new IllegalStateException("mcp-tools.json describes a tool without a call: " + name);
            }
            tools.add(new McpEndpoint.Tool(name, t.path("title").asText(), t.path("description").asText(), t.path("scope").asText(),
                    t.path("readOnly").asBoolean(), t.path("destructive").asBoolean(), (ObjectNode) t.path("inputSchema"), call));
        }
        if (tools.size() != calls.size()) {
            throw new IllegalStateException("mcp-tools.json must describe every MCP tool: " + calls.keySet());
        }
        return tools;
    }

    /** The authenticated operator of a JSON-RPC endpoint; an agent token is refused (403). */
    private static Tokens.Principal operator(Context ctx, String endpoint) {
        Tokens.Principal p = ctx.attribute(PRINCIPAL);
        if (p == null || p.agentId() != null) {
            throw new ApiException(403, "forbidden", "the " + endpoint + " endpoint needs an operator token (aura token --scopes ...)", null);
        }
        return p;
    }

    /**
     * The server's address for the agent card: AURA_PUBLIC_URL, else the one the caller used (scheme,
     * host, port; a malformed Host header gives localhost).
     */
    private String baseUrl(Context ctx) {
        if (config.publicUrl() != null) {
            return config.publicUrl();
        }
        String host = ctx.host();
        if (host == null || !host.matches("[A-Za-z0-9.-]{1,253}(:\\d{1,5})?|\\[[0-9A-Fa-f:.]{2,45}](:\\d{1,5})?")) {
            host = "localhost:" + port();
        }
        return (ctx.scheme().equals("https") ? "https" : "http") + "://" + host;
    }

    private static String id(Context ctx) {
        String id = ctx.pathParam("id");
        if (id.length() > 64) {
            throw new ApiException(404, "not_found", "no resource with this id", "id");
        }
        return id;
    }

    private static void json(Context ctx, int status, ObjectNode o) {
        ctx.status(status).contentType("application/json").result(Json.write(o));
    }

    private static void error(Context ctx, int status, String error, String message, String field) {
        json(ctx, status, Json.error(error, message, field));
    }

    private static String statusName(int status) {
        return JsonErrorHandler.name(status);
    }

    private static String clip(String s) {
        return Json.clip(s, 80);
    }

    private static byte[] resource(String name) {
        try (InputStream in = AuraServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name, e);
        }
    }

    /**
     * Javalin asks for the servlet session of every WebSocket upgrade (to copy its attributes to the
     * socket), refused ones included, and Jetty's default session cache keeps each session for ever
     * (max inactive interval -1): a client without any token could grow this server's heap by a
     * session per upgrade request until it ran out (20 000 requests took 3.6 s and held 20 000
     * sessions). AURA has no HTTP sessions, so each one lives only as long as its request: it is
     * dropped from the cache when the request ends, stored nowhere, and never sent as a cookie.
     */
    private static DefaultSessionCache statelessSessions(org.eclipse.jetty.ee10.servlet.SessionHandler handler) {
        DefaultSessionCache cache = new DefaultSessionCache(handler);
        cache.setEvictionPolicy(org.eclipse.jetty.session.SessionCache.EVICT_ON_SESSION_EXIT);
        cache.setSaveOnCreate(false);
        cache.setSessionDataStore(new org.eclipse.jetty.session.NullSessionDataStore());
        handler.setSessionCache(cache);
        handler.setUsingCookies(false);
        return cache;
    }

    /** Servlet sessions held in memory now (tests: none once requests have ended). */
    long httpSessionsHeld() {
        return httpSessions.getSessionsCurrent();
    }

    /** Scopes as a set, for the token command: a comma- or space-separated list; "all" is every scope. */
    public static Set<String> parseScopes(String list) {
        if (list.strip().equals("all")) {
            return Set.copyOf(Tokens.SCOPES);
        }
        java.util.LinkedHashSet<String> s = new java.util.LinkedHashSet<>();
        for (String x : list.split("[,\\s]+")) {
            if (!x.isEmpty()) {
                s.add(x);
            }
        }
        return s;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
