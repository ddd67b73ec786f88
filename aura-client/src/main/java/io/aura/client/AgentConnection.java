package io.aura.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One agent's connection to the bus ({@code /ws/a2a/{agentId}}), from {@link AuraClient#connect}.
 *
 * <p><b>Answers.</b> The server answers every frame an agent sends, in order, with an {@code ack}
 * or an {@code error} frame. {@link #send} and {@link #report} return a future completed by that
 * answer: a {@link Delivery}, or an {@link AuraException} ({@link RefusedException} when an
 * intervention refused the message). Futures complete on the network thread: a dependent stage
 * that blocks should be an {@code ...Async} one. Without an answer within the answer timeout the
 * future fails with {@code timeout}; when the connection closes, every unanswered future fails
 * with {@code connection_closed}.
 *
 * <p><b>Obeying interventions.</b> After the server refuses a message with {@code circuit_open} or
 * {@code isolated}, this connection refuses further messages to that target itself, without
 * sending them, until the refusal's retry time has passed, but for at most the client's
 * {@code maxLocalBlock} (default 1 s), so that a revoked intervention is noticed within it: a
 * blocked agent probes the server at most once per {@code maxLocalBlock} per target. After
 * {@code rate_limited} (a limit on this sender) it holds every message for the token wait. A
 * {@code load_shed} refusal blocks nothing: the target still takes the rest of its messages.
 * Locally refused messages fail with a {@link RefusedException} whose {@link RefusedException#local()}
 * is true.
 *
 * <p>Thread-safe: any thread may send. A ping goes out every {@code pingInterval} (default 60 s)
 * so a quiet agent's socket stays open (the server closes a socket idle for 300 s). When nothing
 * at all (no pong, no frame) comes back within the answer timeout of a ping or of a send, the server is taken
 * to be unreachable (a half-open TCP connection: a server host that lost power, a NAT that forgot
 * the connection): the socket is dropped and the connection closes with 1006, which an
 * {@link AgentSession} answers by reconnecting.
 */
public final class AgentConnection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AgentConnection.class.getName());
    private static final long SWEEP_MS = 100;
    /** The connection whose listener method the current thread is running, if any. */
    private static final ThreadLocal<AgentConnection> IN_CALLBACK = new ThreadLocal<>();
    /** The connection whose socket this thread is reading, while it handles a frame (and completes sends' futures). */
    private static final ThreadLocal<AgentConnection> READING = new ThreadLocal<>();

    private final String agentId;
    private final AgentListener listener;
    private final AuraClient.Settings settings;
    private final ExecutorService callbacks;
    private final Object lock = new Object();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>(); // guarded by lock, in send order
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null); // guarded by lock
    private final Map<String, Gate> targetGates = new ConcurrentHashMap<>();
    private volatile Gate senderGate;
    private final AtomicBoolean closed = new AtomicBoolean();
    private boolean closing; // guarded by lock: close() has queued its close frame; no frame is sent after it
    private final CompletableFuture<Integer> closedCode = new CompletableFuture<>();
    /** Completed by the server's {@code connected} frame: from then on other agents reach this one. */
    private final CompletableFuture<Void> registered = new CompletableFuture<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong refusedLocally = new AtomicLong();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket ws;
    /** Messages handed to the listener's thread and not yet handled, and their size in chars. */
    private final java.util.concurrent.atomic.AtomicInteger queuedMessages = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicLong queuedChars = new AtomicLong();
    /** Whether reading stopped because the listener is behind (see {@link #MAX_QUEUED_MESSAGES}). */
    private final AtomicBoolean paused = new AtomicBoolean();
    /** Listener methods waiting in {@link #awaitAnswer} for an answer of this connection: reading goes on meanwhile. */
    private final java.util.concurrent.atomic.AtomicInteger listenerWaits = new java.util.concurrent.atomic.AtomicInteger();
    /** System.nanoTime() of the last frame of any kind from the server (text, ping or pong). */
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile boolean discarded;
    private boolean handedOut; // guarded by lock: the caller of connect() has this connection (see handOut)
    private final Thread housekeeper;

    /** A frame waiting for its answer: an ack naming {@code toAgent} (null: a telemetry report). */
    private record Pending(CompletableFuture<Delivery> future, String toAgent, long sentNanos) {
    }

    /** A local block: messages refused here until {@code untilNanos}. */
    private record Gate(long untilNanos, String error, String interventionId) {
    }

    AgentConnection(String agentId, AgentListener listener, AuraClient.Settings settings) {
        this.agentId = agentId;
        this.listener = listener;
        this.settings = settings;
        this.callbacks = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("aura-client-" + agentId).factory());
        this.housekeeper = Thread.ofVirtual().name("aura-client-ping-" + agentId).unstarted(this::housekeeping);
    }

    /** The WebSocket listener: frames in, answers matched to their sends. */
    WebSocket.Listener socketListener() {
        return new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket webSocket) {
                ws = webSocket;
                if (discarded) { // connect() gave up (interrupted, timed out) before the handshake finished
                    webSocket.abort();
                    closedBy(1006, "connect gave up", null);
                    return;
                }
                webSocket.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                lastHeardNanos = System.nanoTime();
                partial.append(data);
                if (last) {
                    String text = partial.toString();
                    partial.setLength(0);
                    READING.set(AgentConnection.this); // answers complete their sends' futures here, and so run the stages chained to them
                    try {
                        frame(text);
                    } catch (RuntimeException e) { // never lose the socket's reads to one bad frame
                        LOG.log(Level.WARNING, "agent " + agentId + ": cannot handle a frame from the server", e);
                    } finally {
                        READING.remove();
                    }
                }
                if (!backlogged()) {
                    webSocket.request(1);
                } else { // the listener is behind: read on once it has caught up (drained), so memory stays bounded
                    paused.set(true);
                    if (!backlogged() && paused.compareAndSet(true, false)) { // it caught up meanwhile
                        webSocket.request(1);
                    }
                }
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                lastHeardNanos = System.nanoTime();
                webSocket.request(1); // the bus sends text frames only
                return null;
            }

            @Override
            public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
                lastHeardNanos = System.nanoTime(); // the WebSocket answers it with a pong itself
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
                lastHeardNanos = System.nanoTime();
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closedBy(statusCode, reason, null);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closedBy(1006, String.valueOf(error.getMessage()), error);
            }
        };
    }

    void opened(WebSocket webSocket) {
        ws = webSocket;
        housekeeper.start();
    }

    /** Closes a connection that {@link AuraClient#connect} gives up on, without telling the listener. */
    void discard() {
        discarded = true;
        close();
    }

    /**
     * {@link AuraClient#connect} hands the connection to its caller: from now on the listener hears
     * its close. False if it closed already (then the listener never hears of it).
     */
    boolean handOut() {
        synchronized (lock) { // with closedBy's read under the same lock: either handed out and heard closing, or neither
            if (closed.get()) {
                return false;
            }
            handedOut = true;
            return true;
        }
    }

    /** Completes once the server has registered this agent (its {@code connected} frame). */
    CompletableFuture<Void> registered() {
        return registered;
    }

    /** The agent this connection speaks for. */
    public String agentId() {
        return agentId;
    }

    /**
     * Sends a message to another agent.
     *
     * @param toAgent the target's id
     * @param type the message type, 1 to 64 characters; {@code error} answers a call of the target's
     *     with a failure; {@code telemetry} is reserved ({@link #report})
     * @param payload anything Jackson writes (a {@link JsonNode}, a map, a record), or null
     * @return completes with the delivery, or fails with an {@link AuraException}
     */
    public CompletableFuture<Delivery> send(String toAgent, String type, Object payload) {
        Credential.requireText(toAgent, "toAgent");
        Credential.requireText(type, "type");
        Gate g = senderGate;
        long now = System.nanoTime();
        if (g == null || now - g.untilNanos() >= 0) {
            g = targetGates.get(toAgent);
        }
        if (g != null && now - g.untilNanos() < 0) {
            refusedLocally.incrementAndGet();
            Duration left = Duration.ofNanos(g.untilNanos() - now);
            return CompletableFuture.failedFuture(new RefusedException(g.error(), "refused by this client, without sending: the server refused a"
                    + " message to " + toAgent + " with " + g.error() + " and its retry time has not passed (" + left.toMillis() + " ms left)",
                    toAgent, g.interventionId(), left, true));
        }
        ObjectNode frame = AuraClient.JSON.createObjectNode();
        frame.put("to_agent", toAgent);
        frame.put("type", type);
        try {
            frame.set("payload", AuraClient.JSON.valueToTree(payload));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new AuraException(0, "invalid_request", "the payload cannot be written as JSON: "
                    + e.getMessage(), "payload", e));
        }
        return transmit(frame, toAgent);
    }

    /**
     * {@link #send} that waits for the answer and throws the {@link AuraException} itself. From a
     * listener method it keeps this connection reading while it waits, even when the listener is
     * {@link #MAX_QUEUED_MESSAGES} behind: the answer comes behind the messages not yet handled.
     */
    public Delivery sendAndWait(String toAgent, String type, Object payload) {
        return awaitAnswer(send(toAgent, type, payload));
    }

    /**
     * Waits for an answer to one of this connection's frames. A listener method (of any connection:
     * a session's listener hears several) that waits here is counted in {@link #listenerWaits}, and
     * reading goes on meanwhile: with reading held back for the listener's backlog, the answer would
     * wait in TCP behind the messages the listener has not handled, and the wait would end only at
     * the answer timeout, message after message.
     */
    <T> T awaitAnswer(CompletableFuture<T> f) {
        if (!f.isDone() && READING.get() == this) {
            throw new AuraException(0, "wrong_thread", "sendAndWait on agent " + agentId + "'s reading thread (in a stage chained to"
                    + " one of its sends' futures) would wait for an answer only this thread can read; chain send(...) instead,"
                    + " or use an async stage (thenRunAsync)", null);
        }
        if (f.isDone() || IN_CALLBACK.get() == null) {
            return await(f);
        }
        listenerWaits.incrementAndGet();
        try {
            if (paused.compareAndSet(true, false)) {
                lastHeardNanos = System.nanoTime(); // the silence was ours
                WebSocket socket = ws;
                if (socket != null) {
                    socket.request(1);
                }
            }
            return await(f);
        } finally {
            listenerWaits.decrementAndGet();
        }
    }

    /**
     * Reports this agent's own load to the bus (never relayed; interventions never refuse it).
     *
     * @return completes when the server accepted the report, or fails with {@code invalid_request}
     *     naming the field it refused
     */
    public CompletableFuture<Void> report(Telemetry telemetry) {
        ObjectNode frame = AuraClient.JSON.createObjectNode();
        frame.put("type", "telemetry");
        ObjectNode p = frame.putObject("payload");
        putIf(p, "cpu_utilisation", telemetry.cpuUtilisation());
        putIf(p, "thread_utilisation", telemetry.threadUtilisation());
        putIf(p, "queue_length", telemetry.queueLength());
        putIf(p, "in_flight", telemetry.inFlight());
        putIf(p, "p50_latency_ms", telemetry.p50LatencyMs());
        putIf(p, "p95_latency_ms", telemetry.p95LatencyMs());
        putIf(p, "p99_latency_ms", telemetry.p99LatencyMs());
        putIf(p, "healthy_instances", telemetry.healthyInstances());
        return transmit(frame, null).thenApply(d -> null);
    }

    private static void putIf(ObjectNode o, String name, Number v) {
        if (v instanceof Double d) {
            o.put(name, d); // NaN and infinities go out as strings ("NaN"): the server refuses them, naming the field
        } else if (v instanceof Long l) {
            o.put(name, l);
        }
    }

    /**
     * How long this connection will still refuse messages to {@code toAgent} by itself (after a
     * refusal by the server); empty if it would send one now.
     */
    public Optional<Duration> blockedFor(String toAgent) {
        long now = System.nanoTime();
        long until = Long.MIN_VALUE;
        boolean any = false;
        for (Gate g : new Gate[] {senderGate, targetGates.get(toAgent)}) {
            if (g != null && now - g.untilNanos() < 0 && (!any || g.untilNanos() - until > 0)) {
                until = g.untilNanos();
                any = true;
            }
        }
        return any ? Optional.of(Duration.ofNanos(until - now)) : Optional.empty();
    }

    /** Frames sent to the server so far (messages and reports). */
    public long sentCount() {
        return sent.get();
    }

    /** Messages this connection refused by itself, without sending them. */
    public long refusedLocallyCount() {
        return refusedLocally.get();
    }

    /** Whether the connection is open. */
    public boolean isOpen() {
        return !closed.get();
    }

    /** Completes with the close code when the connection has closed (see {@link AgentListener#onClose}). */
    public CompletableFuture<Integer> closed() {
        return closedCode.copy();
    }

    private CompletableFuture<Delivery> transmit(ObjectNode frame, String toAgent) {
        String text;
        try {
            text = AuraClient.JSON.writeValueAsString(frame);
        } catch (JsonProcessingException e) { // e.g. nested deeper than Jackson writes
            return CompletableFuture.failedFuture(new AuraException(0, "invalid_request", "the payload cannot be written as JSON: "
                    + e.getOriginalMessage(), "payload", e));
        }
        if (text.length() > MAX_FRAME_BYTES / 3) { // only then can it be over the limit (at most 3 bytes of UTF-8 per char)
            long bytes = utf8Length(text);
            if (bytes > MAX_FRAME_BYTES) { // the server would close the whole connection (1009) over it
                return CompletableFuture.failedFuture(new AuraException(0, "invalid_request", "the frame would be " + bytes
                        + " bytes of UTF-8; the bus takes frames of at most " + MAX_FRAME_BYTES + " bytes: send a smaller payload",
                        "payload"));
            }
        }
        if (!wellFormed(text)) { // the JDK's WebSocket refuses to encode it, and that failure would end the connection
            return CompletableFuture.failedFuture(new AuraException(0, "invalid_request", "the payload holds a lone UTF-16 surrogate:"
                    + " it is not Unicode text and cannot be sent", "payload"));
        }
        CompletableFuture<Delivery> f = new CompletableFuture<>();
        synchronized (lock) {
            if (closed.get() || closing) {
                return CompletableFuture.failedFuture(closedError());
            }
            pending.addLast(new Pending(f, toAgent, System.nanoTime()));
            WebSocket socket = ws;
            // one text frame in flight at a time (java.net.http.WebSocket's rule), in the pending order
            sendChain = sendChain.handle((r, e) -> null).thenCompose(v -> socket.sendText(text, true))
                    .whenComplete((r, e) -> {
                        if (e != null) {
                            abortAfter("send failed: " + e.getMessage(), e);
                        }
                    });
        }
        sent.incrementAndGet();
        return f;
    }

    /** One whole text frame from the server. */
    private void frame(String text) {
        JsonNode m;
        try {
            m = AuraClient.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            LOG.warning("agent " + agentId + ": the server sent a frame that is not JSON; ignored");
            return;
        }
        String type = m.path("type").asText("");
        switch (type) {
            case "message" -> {
                IncomingMessage msg = new IncomingMessage(m.path("id").asText(null), m.path("from_agent").asText(null),
                        m.path("message_type").asText(null), m.path("payload"), instant(m.path("sent_at").asText(null)));
                int weight = text.length();
                queuedMessages.incrementAndGet();
                queuedChars.addAndGet(weight);
                callback("a message", () -> {
                    try {
                        listener.onMessage(this, msg);
                    } finally {
                        drained(weight);
                    }
                });
            }
            case "ack", "error" -> {
                if ("token_expired".equals(m.path("error").asText(null))) {
                    expired(m);
                } else {
                    answer(type, m);
                }
            }
            case "connected" -> registered.complete(null);
            default -> LOG.fine(() -> "agent " + agentId + ": frame of unknown type " + type + " ignored");
        }
    }

    /** Runs a listener method on the callback thread, in order; what it throws is logged, never lost silently. */
    private void callback(String what, Runnable r) {
        callbacks.execute(() -> {
            IN_CALLBACK.set(this);
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "agent " + agentId + ": the listener threw on " + what, e);
            } finally {
                IN_CALLBACK.remove();
            }
        });
    }

    private static Instant instant(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private void answer(String type, JsonNode m) {
        Pending p;
        synchronized (lock) {
            p = pending.pollFirst();
        }
        if ("error".equals(type)) {
            AuraException error = errorOf(m, p == null ? null : p.toAgent());
            if (p == null) { // unsolicited, e.g. token_expired before the close
                callback("an error", () -> listener.onError(this, error));
                return;
            }
            if (error instanceof RefusedException r) {
                obey(r);
            }
            p.future().completeExceptionally(error);
            return;
        }
        if (p == null) {
            LOG.warning("agent " + agentId + ": an ack that answers nothing this connection sent; ignored");
            return;
        }
        String to = m.path("to_agent").asText(null);
        boolean matches = p.toAgent() == null ? "telemetry".equals(m.path("message_type").asText(null)) : p.toAgent().equals(to);
        if (!matches) { // answers out of step: nothing after this can be trusted
            p.future().completeExceptionally(new AuraException(0, "protocol", "the server's answer " + m + " does not match the frame sent", null));
            abortAfter("answers out of step with the frames sent", null);
            return;
        }
        p.future().complete(new Delivery(m.path("id").asText(null), to));
    }

    private AuraException errorOf(JsonNode m, String expectedTo) {
        String error = m.path("error").asText("error");
        String message = m.path("message").asText("");
        String to = m.path("to_agent").asText(expectedTo);
        Duration retry = Duration.ofMillis(Math.round(m.path("retry_after_seconds").asDouble(0) * 1000));
        return switch (error) {
            case "circuit_open", "isolated", "rate_limited", "load_shed" ->
                    new RefusedException(error, message, to, m.path("intervention_id").asText(null), retry, false);
            default -> new AuraException(0, error, message, m.path("field").asText(null));
        };
    }

    /** Remembers a refusal so that the next messages it covers are refused here. */
    private void obey(RefusedException r) {
        Duration d = r.retryAfter().compareTo(settings.maxLocalBlock()) < 0 ? r.retryAfter() : settings.maxLocalBlock();
        if (d.isZero() || d.isNegative()) {
            return;
        }
        Gate g = new Gate(System.nanoTime() + d.toNanos(), r.error(), r.interventionId());
        switch (r.error()) {
            case "circuit_open", "isolated" -> {
                if (r.toAgent() != null) {
                    targetGates.put(r.toAgent(), g);
                }
            }
            case "rate_limited" -> senderGate = g;
            default -> { } // load_shed: the target still takes the rest
        }
    }

    /** Pings and answer timeouts. */
    private void housekeeping() {
        long lastPing = System.nanoTime();
        long unansweredPing = 0; // when the ping nothing has come back since went out; 0: none
        long timeoutNanos = settings.answerTimeout().toNanos();
        while (!closed.get()) {
            try {
                Thread.sleep(SWEEP_MS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            if (unansweredPing != 0 && (lastHeardNanos - unansweredPing >= 0 || paused.get())) {
                unansweredPing = 0; // heard from the server since, or not reading (the listener is behind)
            }
            if (unansweredPing != 0 && now - unansweredPing >= timeoutNanos) {
                abortAfter("no answer from the server within " + settings.answerTimeout().toMillis() + " ms of a ping", null);
                return;
            }
            if (now - lastPing >= settings.pingInterval().toNanos() && unansweredPing == 0) {
                unansweredPing = now;
            }
            List<Pending> late = new ArrayList<>();
            synchronized (lock) {
                for (Pending p : pending) { // in send order: stop at the first one still in time
                    if (now - p.sentNanos() < timeoutNanos) {
                        break;
                    }
                    if (!p.future().isDone()) {
                        late.add(p);
                    }
                }
                if (now - lastPing >= settings.pingInterval().toNanos() && !closed.get() && !closing) {
                    lastPing = now;
                    WebSocket socket = ws;
                    sendChain = sendChain.handle((r, e) -> null).thenCompose(v -> socket.sendPing(ByteBuffer.allocate(0)));
                }
            }
            boolean silent = false;
            for (Pending p : late) { // it stays queued: its answer, if it comes, is matched and dropped
                silent |= lastHeardNanos - p.sentNanos() < 0 && !paused.get();
                p.future().completeExceptionally(new AuraException(0, "timeout", "no answer from the server within "
                        + settings.answerTimeout().toMillis() + " ms", null, new TimeoutException()));
            }
            if (silent) { // the server answers every frame: nothing at all since one was sent is a dead link, as for a ping
                abortAfter("no answer from the server within " + settings.answerTimeout().toMillis() + " ms of a send,"
                        + " and nothing else heard since", null);
                return;
            }
        }
    }

    /**
     * The token expired: nothing this connection sent or will send counts any more. The server
     * sends this error both as the answer to a frame and unasked, just before it closes the socket,
     * so it cannot be matched to one send: every unanswered send fails with it and the connection ends.
     */
    private void expired(JsonNode m) {
        AuraException e = new AuraException(0, "token_expired", m.path("message").asText("the agent token has expired; enrol again"), null);
        List<Pending> left;
        synchronized (lock) {
            left = new ArrayList<>(pending);
            pending.clear();
        }
        for (Pending p : left) {
            p.future().completeExceptionally(e);
        }
        callback("an error", () -> listener.onError(this, e));
        abortAfter("token expired", null, 4001);
    }

    /** Whether s is well-formed UTF-16 (no lone surrogate), so that it encodes as UTF-8. */
    static boolean wellFormed(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A listener this many messages (or {@link #MAX_QUEUED_CHARS} chars) behind stops the reading of
     * its connection until it is halfway through them: the server's frames, answers included, wait in
     * TCP, and the sending agents' messages wait for their acks, instead of the client buffering without
     * bound (a blocked listener once grew the heap by 62 MB in 3 000 messages).
     */
    static final int MAX_QUEUED_MESSAGES = 1_000;
    static final long MAX_QUEUED_CHARS = 4L << 20;

    /** Messages waiting for the listener (tests). */
    int queued() {
        return queuedMessages.get();
    }

    private boolean backlogged() {
        return (queuedMessages.get() >= MAX_QUEUED_MESSAGES || queuedChars.get() >= MAX_QUEUED_CHARS) && listenerWaits.get() == 0;
    }

    /** A message was handled: reading goes on once the listener is halfway through its backlog. */
    private void drained(int weight) {
        int left = queuedMessages.decrementAndGet();
        long chars = queuedChars.addAndGet(-weight);
        if (left <= MAX_QUEUED_MESSAGES / 2 && chars <= MAX_QUEUED_CHARS / 2 && paused.compareAndSet(true, false)) {
            lastHeardNanos = System.nanoTime(); // the silence was ours: the dead-link checks start again from now
            WebSocket socket = ws;
            if (socket != null) {
                socket.request(1);
            }
        }
    }

    /** The server's largest text frame (64 KiB); a larger one closes the connection with 1009. */
    static final int MAX_FRAME_BYTES = 64 * 1024;

    /** Bytes of {@code s} in UTF-8 (a surrogate pair is 4, one char of it 2). */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    /** Drops the socket (so the server unregisters the agent) and ends the connection. */
    private void abortAfter(String why, Throwable cause) {
        abortAfter(why, cause, 1006);
    }

    private void abortAfter(String why, Throwable cause, int code) {
        WebSocket socket = ws;
        if (socket != null) {
            socket.abort();
        }
        closedBy(code, why, cause);
    }

    private AuraException closedError() {
        Integer code = closedCode.getNow(null);
        return new AuraException(0, "connection_closed", "the connection of agent " + agentId + " is closed"
                + (code == null ? "" : " (code " + code + ")"), null);
    }

    /** The connection ended: every unanswered frame fails, the listener hears it once. */
    private void closedBy(int code, String reason, Throwable cause) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closedCode.complete(code);
        registered.completeExceptionally(new AuraException(0, "connection_closed", "the connection closed (code " + code + ")"
                + " before the server registered agent " + agentId, null, cause));
        List<Pending> left;
        synchronized (lock) {
            left = new ArrayList<>(pending);
            pending.clear();
        }
        for (Pending p : left) {
            p.future().completeExceptionally(new AuraException(0, "connection_closed", "the connection closed (code " + code
                    + (reason == null || reason.isEmpty() ? "" : ", " + reason) + ") before the server answered", null, cause));
        }
        housekeeper.interrupt();
        boolean heard;
        synchronized (lock) {
            heard = handedOut;
        }
        if (heard) { // a connection connect() never handed out closes silently
            callback("the close", () -> listener.onClose(this, code, reason));
        }
        callbacks.shutdown();
    }

    /**
     * Closes the connection (code 1000) and waits up to 5 s for the server's close; unanswered
     * sends fail with {@code connection_closed}. Frames already sent go out before the close frame;
     * sends made once the close has begun fail at once with {@code connection_closed}. Called from a
     * stage chained to a send's future (which runs on the thread that reads this socket), it returns
     * at once and the close finishes in the background ({@link #closed()} says when).
     */
    @Override
    public void close() {
        WebSocket socket = ws;
        if (closed.get() || socket == null) {
            return;
        }
        CompletableFuture<?> closeSent;
        synchronized (lock) { // after the frames already queued (a text frame sent after the close would fail and drop the socket)
            closing = true;
            closeSent = sendChain.handle((r, e) -> null).thenCompose(v -> socket.sendClose(WebSocket.NORMAL_CLOSURE, ""));
            sendChain = closeSent;
        }
        if (READING.get() == this) { // from a stage of a send's future: the server's close can only be read once this returns
            Thread.ofVirtual().name("aura-client-close-" + agentId).start(() -> awaitClose(closeSent));
            return;
        }
        awaitClose(closeSent);
        if (IN_CALLBACK.get() == this) {
            return; // closed from a listener method: onClose runs after it returns
        }
        try {
            callbacks.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits up to 5 s for the close frame to go out and 5 s for the server's; drops the socket after that. */
    private void awaitClose(CompletableFuture<?> closeSent) {
        try {
            closeSent.get(5, TimeUnit.SECONDS);
            closedCode.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the server did not answer the close: drop the socket
        } finally {
            if (!closed.get()) {
                abortAfter("closed by the client", null);
            }
        }
    }

    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuraException(0, "interrupted", "interrupted while waiting for the server's answer", null, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new AuraException(0, "error", String.valueOf(e.getCause()), null, e.getCause());
        }
    }
}
