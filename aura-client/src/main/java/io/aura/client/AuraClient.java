package io.aura.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The entry point of the agent client: enrols agents ({@code POST /a2a/auth/agent}) and connects them
 * to the bus ({@code /ws/a2a/{agentId}}).
 *
 * <pre>{@code
 * AuraClient aura = AuraClient.create("http://localhost:8080");
 * AgentToken token = aura.enrol(Credential.enrolmentKey(System.getenv("AURA_ENROLMENT_KEY")), Enrolment.of("planner"));
 * try (AgentConnection bus = aura.connect(token, (conn, m) -> System.out.println(m.fromAgent() + ": " + m.payload()))) {
 *     bus.sendAndWait("worker", "task", Map.of("id", 42));
 *     bus.report(Telemetry.EMPTY.withCpuUtilisation(0.4).withQueueLength(3));
 * }
 * }</pre>
 *
 * <p>Needs only the JDK's HTTP client and Jackson. Thread-safe.
 */
public final class AuraClient implements AutoCloseable {

    /** Numbers keep their digits (the bus relays payloads as written). */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();

    /** Timeouts and the local obedience window of a client's connections. */
    record Settings(Duration requestTimeout, Duration answerTimeout, Duration pingInterval, Duration maxLocalBlock) {
    }

    private final URI base;
    /** The base URL's path without its trailing slash ("" or e.g. "/aura" behind an ingress), put before every path. */
    private final String basePath;
    private final HttpClient http;
    /** Whether {@link #http} is this client's own (made here, so shut down by {@link #close}), not one given to the builder. */
    private final boolean ownsHttp;
    private final Settings settings;
    private volatile boolean closed;
    /** The sessions and connections made through this client that are still open, for {@link #close}. */
    private final java.util.Set<AutoCloseable> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private AuraClient(Builder b) {
        this.base = b.base;
        this.basePath = b.basePath;
        this.ownsHttp = b.http == null;
        this.http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(b.requestTimeout).build();
        this.settings = new Settings(b.requestTimeout, b.answerTimeout, b.pingInterval, b.maxLocalBlock);
    }

    /**
     * Closes every session and connection made through this client that is still open (sessions
     * first, so that none reconnects), then shuts down the HTTP client it made itself (its threads
     * end; one given to {@link Builder#httpClient} is left to its owner). Afterwards {@link #enrol},
     * {@link #connect} and {@link AgentSession#open} fail with {@code closed}. Closing twice does
     * nothing more.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> all = new ArrayList<>(open);
        all.sort(java.util.Comparator.comparing(c -> c instanceof AgentSession ? 0 : 1));
        all.forEach(AuraClient::closeQuietly); // closing the rest matters more than one that fails
        open.clear();
        if (ownsHttp) {
            http.shutdownNow();
        }
    }

    /** Whether {@link #close} was called. */
    public boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) {
            throw new AuraException(0, "closed", "this AuraClient is closed; make a new one", null);
        }
    }

    /** Keeps {@code c} for {@link #close} until {@code ended} completes; closes it at once if this client closed meanwhile. */
    void track(AutoCloseable c, java.util.concurrent.CompletableFuture<?> ended) {
        open.add(c);
        ended.whenComplete((x, e) -> open.remove(c));
        if (closed && open.remove(c)) {
            closeQuietly(c);
            checkOpen();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            System.getLogger(AuraClient.class.getName()).log(System.Logger.Level.DEBUG, "closing " + c + " failed", e);
        }
    }

    /** Why a connection failed, in words (a refused connection's exception has no message of its own). */
    static String why(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return "connection refused (is the server running, on that port?)";
            }
            if (t instanceof java.net.UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** A client of the server at {@code baseUrl} (e.g. {@code http://localhost:8080}) with the default settings. */
    public static AuraClient create(String baseUrl) {
        return builder(baseUrl).build();
    }

    /** A builder for a client of the server at {@code baseUrl}. */
    public static Builder builder(String baseUrl) {
        return new Builder(baseUrl);
    }

    /**
     * Enrols an agent and returns its token.
     *
     * @throws AuraException the server's refusal ({@code 401 unauthorized} for a bad credential,
     *     {@code 403 permission_denied} for permissions the credential does not allow,
     *     {@code 400 invalid_request} naming the field), or {@code unreachable}
     */
    public AgentToken enrol(Credential credential, Enrolment enrolment) {
        Objects.requireNonNull(credential, "credential");
        checkOpen();
        ObjectNode body = JSON.createObjectNode();
        body.put("agent_id", enrolment.agentId());
        if (enrolment.agentType() != null) {
            body.put("agent_type", enrolment.agentType());
        }
        ArrayNode caps = body.putArray("capabilities");
        enrolment.capabilities().forEach(caps::add);
        if (!enrolment.permissions().isEmpty()) {
            ArrayNode perms = body.putArray("permissions");
            enrolment.permissions().stream().sorted().forEach(perms::add);
        }
        URI enrolUri = base.resolve(basePath + "/a2a/auth/agent");
        HttpRequest request = HttpRequest.newBuilder(enrolUri)
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header(credential.header(), credential.value())
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new AuraException(0, "timeout", "no answer from " + base + " within " + settings.requestTimeout().toMillis() + " ms", null, e);
        } catch (IOException e) {
            throw new AuraException(0, "unreachable", "cannot reach " + base + ": " + why(e), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuraException(0, "interrupted", "interrupted while enrolling " + enrolment.agentId(), null, e);
        }
        JsonNode answer = parse(response.body());
        if (response.statusCode() != 200) {
            throw errorOf(response.statusCode(), answer, response.body(), enrolUri);
        }
        if (answer == null || !answer.path("token").isTextual()) {
            throw new AuraException(response.statusCode(), "protocol", "the enrolment answer has no token: " + response.body(), null);
        }
        Instant expires;
        try {
            // the lifetime the server gave (expires_in) from now on this machine's clock: the session's renewal is scheduled
            // on this clock, and a clock ahead of or behind the server's made it renew in a loop or too late with expires_at
            expires = answer.path("expires_in").canConvertToLong() && answer.path("expires_in").asLong() > 0
                    ? Instant.now().plusSeconds(answer.path("expires_in").asLong())
                    : Instant.parse(answer.path("expires_at").asText());
        } catch (java.time.format.DateTimeParseException e) {
            throw new AuraException(response.statusCode(), "protocol", "the enrolment answer's expires_at is not an instant: "
                    + answer.get("expires_at"), null, e);
        }
        return new AgentToken(answer.path("agent_id").asText(enrolment.agentId()), answer.get("token").asText(), expires,
                strings(answer.path("permissions"), new LinkedHashSet<>()), strings(answer.path("capabilities"), new ArrayList<>()));
    }

    /**
     * Opens the agent's bus connection; returns once the server has registered the agent (its
     * {@code connected} frame), so that other agents reach it as soon as this returns.
     *
     * @throws AuraException {@code 401}/{@code 403} when the server refuses the token (expired,
     *     another agent's), {@code unreachable}, or {@code timeout}
     */
    public AgentConnection connect(AgentToken token, AgentListener listener) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(listener, "listener");
        checkOpen();
        AgentConnection c = new AgentConnection(token.agentId(), listener, settings);
        URI ws = wsUri("/ws/a2a/" + URLEncoder.encode(token.agentId(), StandardCharsets.UTF_8));
        java.util.concurrent.CompletableFuture<java.net.http.WebSocket> opening = http.newWebSocketBuilder()
                .connectTimeout(settings.requestTimeout())
                .header("Authorization", "Bearer " + token.token())
                .buildAsync(ws, c.socketListener());
        try {
            var socket = opening.get(settings.requestTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
            c.opened(socket);
            try { // the server's "connected" frame: other agents reach this one from now on
                c.registered().get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                c.discard();
                throw new AuraException(0, "timeout", "the server did not register agent " + token.agentId() + " within "
                        + settings.requestTimeout().toMillis() + " ms of the connection opening", null, e);
            } catch (ExecutionException e) { // closed before the server registered the agent
                c.discard();
                throw e.getCause() instanceof AuraException a ? a
                        : new AuraException(0, "connection_closed", "the connection closed before the server registered agent "
                                + token.agentId(), null, e.getCause());
            }
            if (!c.handOut()) { // closed in the instant after registration: the listener never hears of it
                throw new AuraException(0, "connection_closed", "the connection of agent " + token.agentId()
                        + " closed right after the server registered it", null);
            }
            track(c, c.closed());
            return c;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof WebSocketHandshakeException h) {
                HttpResponse<?> r = h.getResponse();
                Object b = r.body();
                String text = b instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : b == null ? null : b.toString();
                throw errorOf(r.statusCode(), parse(text), text, ws);
            }
            if (cause instanceof HttpTimeoutException) {
                throw new AuraException(0, "timeout", "no answer from " + ws + " within " + settings.requestTimeout().toMillis() + " ms", null, cause);
            }
            throw new AuraException(0, "unreachable", "cannot connect to " + ws + ": " + why(cause), null, cause);
        } catch (TimeoutException e) {
            c.discard(); // a handshake that completes later is dropped (AgentConnection's onOpen)
            opening.thenAccept(java.net.http.WebSocket::abort);
            throw new AuraException(0, "timeout", "the connection to " + ws + " did not open within " + settings.requestTimeout().toMillis() + " ms", null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.discard();
            opening.thenAccept(java.net.http.WebSocket::abort);
            throw new AuraException(0, "interrupted", "interrupted while connecting " + token.agentId(), null, e);
        }
    }

    /** The server's base URL. */
    public URI baseUrl() {
        return base;
    }

    private URI wsUri(String path) {
        String scheme = base.getScheme().equals("https") ? "wss" : "ws";
        try {
            return new URI(scheme, null, base.getHost(), base.getPort(), null, null, null).resolve(basePath + path);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The error of a refused request to {@code uri}; a 404 names the URL (a wrong base URL or path prefix shows there). */
    private static AuraException errorOf(int status, JsonNode body, String text, URI uri) {
        String at = status == 404 ? " (at " + uri + ")" : "";
        if (body != null && body.path("error").isTextual()) {
            return new AuraException(status, body.get("error").asText(), body.path("message").asText("") + at, body.path("field").asText(null));
        }
        String code = switch (status) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            default -> "http_" + status;
        };
        return new AuraException(status, code, "the server answered " + status + at + (text == null || text.isBlank() ? "" : ": " + text), null);
    }

    private static <C extends java.util.Collection<String>> C strings(JsonNode array, C into) {
        array.forEach(n -> into.add(n.asText()));
        return into;
    }

    /** Settings of a client. */
    public static final class Builder {
        private final URI base;
        private final String basePath;
        private HttpClient http;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration answerTimeout = Duration.ofSeconds(30);
        private Duration pingInterval = Duration.ofSeconds(60);
        private Duration maxLocalBlock = Duration.ofSeconds(1);

        private Builder(String baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            URI u;
            try {
                u = new URI(baseUrl);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("baseUrl is not a URL: " + baseUrl, e);
            }
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException("baseUrl must be http://host[:port][/path] or https://host[:port][/path], not " + baseUrl);
            }
            if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
                throw new IllegalArgumentException("baseUrl takes no query, fragment or user info (credentials go in the"
                        + " enrolment's Credential), not " + baseUrl);
            }
            String path = u.getRawPath() == null ? "" : u.getRawPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            this.base = u;
            this.basePath = path;
        }

        /** The JDK HTTP client to use (e.g. for TLS settings or a proxy); default: a new one. */
        public Builder httpClient(HttpClient client) {
            this.http = Objects.requireNonNull(client, "client");
            return this;
        }

        /** Timeout of enrolment and of opening a connection; default 10 s. */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = positive(d, "requestTimeout");
            return this;
        }

        /** How long a sent frame waits for the server's answer; default 30 s. */
        public Builder answerTimeout(Duration d) {
            this.answerTimeout = positive(d, "answerTimeout");
            return this;
        }

        /** How often a connection pings the server; default 60 s (the server closes a socket idle for 300 s). */
        public Builder pingInterval(Duration d) {
            this.pingInterval = positive(d, "pingInterval");
            return this;
        }

        /**
         * The longest a connection refuses messages by itself after the server refused one (see
         * {@link AgentConnection}); default 1 s. {@link Duration#ZERO} turns local refusals off.
         */
        public Builder maxLocalBlock(Duration d) {
            Objects.requireNonNull(d, "maxLocalBlock");
            if (d.isNegative()) {
                throw new IllegalArgumentException("maxLocalBlock must not be negative: " + d);
            }
            this.maxLocalBlock = d;
            return this;
        }

        public AuraClient build() {
            return new AuraClient(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
