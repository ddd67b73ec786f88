package io.aura.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aura.server.AuraServer;
import io.aura.server.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a real server (embedded H2) over real HTTP and WebSocket. */
class AgentClientTest {

    static final String KEY = "enrol-key-for-tests";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static AuraServer server;
    static String operator;
    static AuraClient client;
    static final AtomicInteger AGENT = new AtomicInteger();

    @BeforeAll
    static void start() {
        server = startServer(dir.resolve("main"), Clock.systemUTC(), Map.of());
        operator = server.tokens().operator("client-test", Set.of("enrol", "intervene", "read"), Duration.ofHours(1));
        client = AuraClient.builder(base(server)).maxLocalBlock(Duration.ofMillis(400)).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static AuraServer startServer(Path data, Clock clock, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("AURA_JWT_SECRET", "client-test-secret-0123456789-0123456789");
        env.put("AURA_ENROLMENT_KEY", KEY);
        return AuraServer.start(ServerConfig.fromEnv(env, 0, data, null), clock);
    }

    static String base(AuraServer s) {
        return "http://127.0.0.1:" + s.port();
    }

    /** A fresh agent id per test, so tests never share interventions. */
    static String id(String name) {
        return name + "-" + AGENT.incrementAndGet();
    }

    /** A listener that queues what it receives. */
    static class Inbox implements AgentListener {
        final BlockingQueue<IncomingMessage> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<AuraException> errors = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public void onMessage(AgentConnection connection, IncomingMessage message) {
            messages.add(message);
        }

        @Override
        public void onError(AgentConnection connection, AuraException error) {
            errors.add(error);
        }

        @Override
        public void onClose(AgentConnection connection, int code, String reason) {
            closed.complete(code);
        }

        IncomingMessage next() throws InterruptedException {
            IncomingMessage m = messages.poll(10, TimeUnit.SECONDS);
            assertThat(m).as("a message within 10 s").isNotNull();
            return m;
        }
    }

    static AgentConnection connect(String agent, AgentListener l) {
        return client.connect(client.enrol(Credential.enrolmentKey(KEY), Enrolment.of(agent)), l);
    }

    static String intervene(String type, String agent, String parameters) throws Exception {
        HttpResponse<String> r = http("POST", "/api/v1/intervene", "{\"agents\":[\"" + agent + "\"],\"intervention_type\":\"" + type
                + "\",\"parameters\":" + parameters + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return AuraClient.JSON.readTree(r.body()).get("id").asText();
    }

    static HttpResponse<String> http(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base(server) + path)).header("Authorization", "Bearer " + operator);
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static double metric(String outcome) throws Exception {
        String text = HTTP.send(HttpRequest.newBuilder(URI.create(base(server) + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^aura_agent_messages_total\\{[^}]*outcome=\"" + outcome + "\"[^}]*} (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void enrolsConnectsAndRelaysAMessageWithItsDigits() throws Exception {
        String a = id("planner");
        String b = id("worker");
        AgentToken token = client.enrol(Credential.operatorToken(operator),
                new Enrolment(a, "planner", List.of("planning"), Set.of("read", "write")));
        assertThat(token.agentId()).isEqualTo(a);
        assertThat(token.permissions()).containsExactlyInAnyOrder("read", "write");
        assertThat(token.capabilities()).containsExactly("planning");
        assertThat(token.expiresAt()).isAfter(Instant.now().plusSeconds(3000));
        assertThat(token.toString()).doesNotContain(token.token());
        Inbox inbox = new Inbox();
        try (AgentConnection ca = client.connect(token, new Inbox()); AgentConnection cb = connect(b, inbox)) {
            Delivery d = ca.sendAndWait(b, "task", AuraClient.JSON.readTree("{\"n\": 1.00000000000000000001, \"s\": \"ü\"}"));
            assertThat(d.toAgent()).isEqualTo(b);
            IncomingMessage m = inbox.next();
            assertThat(m.id()).isEqualTo(d.id());
            assertThat(m.fromAgent()).isEqualTo(a);
            assertThat(m.type()).isEqualTo("task");
            assertThat(m.payload().get("n").decimalValue().toPlainString()).isEqualTo("1.00000000000000000001");
            assertThat(m.payload().get("s").asText()).isEqualTo("ü");
            assertThat(m.sentAt()).isNotNull();
            assertThat(ca.sentCount()).isEqualTo(1);
            assertThat(cb.isOpen()).isTrue();
        }
    }

    /**
     * close() while other threads send: the close goes out after the frames already handed to the
     * socket and ends the connection with 1000 (a send that reached the socket after the close frame
     * used to fail and drop the connection with 1006); each send either is answered or fails with
     * connection_closed.
     */
    @Test
    void aCloseRacingSendsEndsCleanly() throws Exception {
        String b = id("race_target");
        try (AgentConnection cb = connect(b, new Inbox())) {
            for (int round = 0; round < 30; round++) {
                AgentConnection ca = connect(id("racer"), new Inbox());
                List<CompletableFuture<Delivery>> sends = new java.util.concurrent.CopyOnWriteArrayList<>();
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<Thread> senders = new ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    senders.add(Thread.ofVirtual().start(() -> {
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            return;
                        }
                        for (int i = 0; i < 200 && ca.isOpen(); i++) {
                            sends.add(ca.send(b, "task", Map.of("i", i)));
                        }
                    }));
                }
                go.countDown();
                Thread.sleep(round % 5); // the close lands at varying points of the stream
                ca.close();
                for (Thread t : senders) {
                    t.join();
                }
                assertThat(ca.closed().get(5, TimeUnit.SECONDS)).as("round " + round).isEqualTo(1000);
                assertThat(cb.isOpen()).isTrue();
                for (CompletableFuture<Delivery> f : sends) {
                    try {
                        assertThat(f.get(5, TimeUnit.SECONDS).toAgent()).isEqualTo(b);
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertThat(e.getCause()).isInstanceOfSatisfying(AuraException.class,
                                x -> assertThat(x.error()).isEqualTo("connection_closed"));
                    }
                }
            }
        }
    }

    /**
     * A send's future completes on the thread that reads the socket. close() from a stage chained to
     * it (send(...).thenRun(connection::close)) used to wait there for the server's close frame,
     * which only that thread could read: the stage held the thread for 5 s and the connection ended
     * with 1006 instead of 1000. sendAndWait() there waited for an answer nobody could read until the
     * 30-s answer timeout dropped the connection; now it fails at once with a message that says why.
     */
    @Test
    void closeAndSendAndWaitFromASendsOwnCompletionStage() throws Exception {
        // A stage chained after the answer came runs on this thread at once: such tries are skipped, and
        // each check needs one try whose stage ran on the reading thread (nearly all do: the answer takes a
        // round trip, chaining does not).
        Thread me = Thread.currentThread();
        String b = id("stage_target");
        try (AgentConnection cb = connect(b, new Inbox()); AgentConnection ca = connect(id("stage_sender"), new Inbox())) {
            boolean seen = false;
            for (int i = 0; i < 50 && !seen; i++) {
                CompletableFuture<Object> outcome = new CompletableFuture<>();
                int n = i;
                ca.send(b, "task", Map.of("i", n)).thenRun(() -> {
                    if (Thread.currentThread() == me) {
                        outcome.complete("answered before the stage was chained");
                        return;
                    }
                    try {
                        ca.sendAndWait(b, "task", Map.of("again", n));
                        outcome.complete(null);
                    } catch (AuraException e) {
                        outcome.complete(e);
                    }
                }).get(5, TimeUnit.SECONDS);
                Object o = outcome.get(1, TimeUnit.SECONDS);
                if (!(o instanceof String)) {
                    seen = true;
                    assertThat(o).as("sendAndWait on the reading thread").isInstanceOfSatisfying(AuraException.class,
                            e -> assertThat(e.error()).isEqualTo("wrong_thread"));
                }
            }
            assertThat(seen).as("a stage on the reading thread within 50 sends").isTrue();

            seen = false;
            for (int i = 0; i < 20 && !seen; i++) {
                AgentConnection c = connect(id("stage_closer"), new Inbox());
                java.util.concurrent.atomic.AtomicBoolean onReader = new java.util.concurrent.atomic.AtomicBoolean();
                long t0 = System.nanoTime();
                c.send(b, "task", Map.of("i", i)).thenRun(() -> {
                    onReader.set(Thread.currentThread() != me);
                    c.close();
                }).get(5, TimeUnit.SECONDS);
                long stageMillis = (System.nanoTime() - t0) / 1_000_000;
                assertThat(c.closed().get(5, TimeUnit.SECONDS)).isEqualTo(1000);
                if (onReader.get()) {
                    seen = true;
                    assertThat(stageMillis).as("the close from the stage does not hold the reading thread").isLessThan(2_000);
                }
            }
            assertThat(seen).as("a close on the reading thread within 20 connections").isTrue();

            seen = false;
            for (int i = 0; i < 20 && !seen; i++) {
                AgentSession session = AgentSession.open(client, Credential.enrolmentKey(KEY), Enrolment.of(id("stage_session")), new Inbox());
                java.util.concurrent.atomic.AtomicBoolean onReader = new java.util.concurrent.atomic.AtomicBoolean();
                long t0 = System.nanoTime();
                session.send(b, "task", Map.of("i", i)).thenRun(() -> {
                    onReader.set(Thread.currentThread() != me);
                    session.close();
                }).get(5, TimeUnit.SECONDS);
                long stageMillis = (System.nanoTime() - t0) / 1_000_000;
                assertThat(session.ended().get(5, TimeUnit.SECONDS)).isEqualTo(1000);
                if (onReader.get()) {
                    seen = true;
                    assertThat(stageMillis).as("a session's close from the stage").isLessThan(2_000);
                }
            }
            assertThat(seen).as("a session's close on the reading thread within 20 sessions").isTrue();
            assertThat(cb.isOpen()).isTrue();
        }
    }

    /** A payload over the bus's 64-KiB frame limit, or too deep to write, fails that send alone; the connection goes on. */
    @Test
    void aPayloadTheBusCannotTakeFailsThatSendAlone() throws Exception {
        String b = id("big_target");
        Inbox inbox = new Inbox();
        try (AgentConnection a = connect(id("big_sender"), new Inbox()); AgentConnection cb = connect(b, inbox)) {
            CompletableFuture<Delivery> big = a.send(b, "task", Map.of("blob", "é".repeat(40_000))); // 80 000 bytes of UTF-8
            Throwable e = big.handle((d, x) -> x).get(5, TimeUnit.SECONDS);
            assertThat(e).isInstanceOfSatisfying(AuraException.class, x -> {
                assertThat(x.error()).isEqualTo("invalid_request");
                assertThat(x.field()).isEqualTo("payload");
                assertThat(x.getMessage()).contains("at most 65536 bytes");
            });
            Map<String, Object> deep = new HashMap<>();
            Map<String, Object> at = deep;
            for (int i = 0; i < 1_200; i++) {
                Map<String, Object> next = new HashMap<>();
                at.put("d", next);
                at = next;
            }
            assertThat(a.send(b, "task", deep).handle((d, x) -> x).get(5, TimeUnit.SECONDS))
                    .isInstanceOfSatisfying(AuraException.class, x -> assertThat(x.error()).isEqualTo("invalid_request"));
            assertThat(a.isOpen()).isTrue();
            assertThat(a.sendAndWait(b, "task", Map.of("blob", "x".repeat(60_000))).toAgent()).isEqualTo(b); // under the limit
            assertThat(inbox.next().payload().get("blob").asText()).hasSize(60_000);
            assertThat(cb.isOpen()).isTrue();
        }
    }

    /** A base URL's path is kept before every request's (a server behind an ingress at /aura); a query is refused. */
    @Test
    void aBaseUrlPathPrefixesEveryRequest() {
        AuraClient prefixed = AuraClient.create(base(server) + "/aura/");
        assertThatThrownBy(() -> prefixed.enrol(Credential.enrolmentKey(KEY), Enrolment.of(id("p"))))
                .isInstanceOfSatisfying(AuraException.class, e -> {
                    assertThat(e.status()).isEqualTo(404); // this server has no prefix: the request went to /aura/...
                    assertThat(e.getMessage()).contains(base(server) + "/aura/a2a/auth/agent");
                });
        AgentToken t = client.enrol(Credential.enrolmentKey(KEY), Enrolment.of(id("p")));
        assertThatThrownBy(() -> prefixed.connect(t, new Inbox()))
                .isInstanceOfSatisfying(AuraException.class, e -> assertThat(e.getMessage()).contains("/aura/ws/a2a/"));
        assertThatThrownBy(() -> AuraClient.builder(base(server) + "/?token=x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no query");
    }

    /**
     * A listener that blocks holds back its connection's reading once 1 000 messages wait for it, instead
     * of the client buffering every message the server sends; once it goes on, every message arrives, in order.
     */
    @Test
    void aBlockedListenerHoldsBackTheConnectionInsteadOfBufferingWithoutBound() throws Exception {
        String slow = id("blocked");
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<Integer> heard = Collections.synchronizedList(new ArrayList<>());
        AgentListener blocked = new AgentListener() {
            @Override
            public void onMessage(AgentConnection c, IncomingMessage m) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                heard.add(m.payload().get("i").asInt());
            }
        };
        try (AgentConnection target = connect(slow, blocked); AgentConnection fast = connect(id("flood"), new Inbox())) {
            List<CompletableFuture<Delivery>> sent = new ArrayList<>();
            for (int i = 0; i < 1_500; i++) {
                sent.add(fast.send(slow, "task", Map.of("i", i)));
            }
            long end = System.nanoTime() + 10_000_000_000L;
            while (target.queued() < AgentConnection.MAX_QUEUED_MESSAGES && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            Thread.sleep(300);
            assertThat(target.queued()).as("messages buffered for a blocked listener").isEqualTo(AgentConnection.MAX_QUEUED_MESSAGES);
            assertThat(target.isOpen()).isTrue();
            release.countDown();
            end = System.nanoTime() + 20_000_000_000L;
            while (heard.size() < 1_500 && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat(heard).hasSize(1_500);
            for (int i = 0; i < 1_500; i++) {
                assertThat(heard.get(i)).isEqualTo(i);
            }
            for (CompletableFuture<Delivery> f : sent) {
                assertThat(f.get(10, TimeUnit.SECONDS).toAgent()).isEqualTo(slow);
            }
        }
    }

    /**
     * A listener that answers each message with sendAndWait goes on when it is 1 000 messages behind:
     * its wait keeps the connection reading, so the answer to its send is not stuck in TCP behind the
     * messages it has not handled (each wait used to end only at the answer timeout).
     */
    @Test
    void aListenerBehindItsBacklogMayStillWaitForItsOwnSendsAnswers() throws Exception {
        AuraClient quick = AuraClient.builder(base(server)).answerTimeout(Duration.ofSeconds(3)).build();
        String worker = id("busy_worker");
        String planner = id("busy_planner");
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger answered = new AtomicInteger();
        List<AuraException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        AgentListener replying = (conn, m) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                conn.sendAndWait(m.fromAgent(), "result", Map.of("i", m.payload().get("i").asInt()));
                answered.incrementAndGet();
            } catch (AuraException e) {
                failures.add(e);
            }
        };
        Inbox results = new Inbox();
        try (AgentConnection w = quick.connect(quick.enrol(Credential.enrolmentKey(KEY), Enrolment.of(worker)), replying);
             AgentConnection p = quick.connect(quick.enrol(Credential.enrolmentKey(KEY), Enrolment.of(planner)), results)) {
            List<CompletableFuture<Delivery>> sent = new ArrayList<>();
            for (int i = 0; i < 1_200; i++) {
                sent.add(p.send(worker, "task", Map.of("i", i)));
            }
            for (CompletableFuture<Delivery> f : sent) {
                assertThat(f.get(10, TimeUnit.SECONDS).toAgent()).isEqualTo(worker);
            }
            long end = System.nanoTime() + 10_000_000_000L;
            while (w.queued() < AgentConnection.MAX_QUEUED_MESSAGES && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat(w.queued()).as("the worker's reading is held back").isEqualTo(AgentConnection.MAX_QUEUED_MESSAGES);
            release.countDown();
            end = System.nanoTime() + 30_000_000_000L;
            while (answered.get() + failures.size() < 1_200 && failures.isEmpty() && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat(failures).as("the worker's sendAndWait calls").isEmpty();
            assertThat(answered.get()).isEqualTo(1_200);
            end = System.nanoTime() + 10_000_000_000L;
            while (results.messages.size() < 1_200 && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat(results.messages).hasSize(1_200);
        }
    }

    @Test
    void enrolmentRefusalsAreClearErrors() {
        assertThatThrownBy(() -> client.enrol(Credential.enrolmentKey("wrong"), Enrolment.of(id("x"))))
                .isInstanceOfSatisfying(AuraException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> client.enrol(Credential.enrolmentKey(KEY), new Enrolment(id("x"), null, List.of(), Set.of("admin"))))
                .isInstanceOfSatisfying(AuraException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.error()).isEqualTo("permission_denied");
                });
        assertThatThrownBy(() -> client.enrol(Credential.enrolmentKey(KEY), Enrolment.of("no spaces allowed")))
                .isInstanceOfSatisfying(AuraException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("agent_id");
                });
        assertThatThrownBy(() -> AuraClient.builder("localhost:8080")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Enrolment.of(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnreachableServerIsAnError() throws IOException {
        int port = AgentSessionTest.freePort(); // nothing listens there
        AuraClient nowhere = AuraClient.builder("http://127.0.0.1:" + port).requestTimeout(Duration.ofSeconds(2)).build();
        assertThatThrownBy(() -> nowhere.enrol(Credential.enrolmentKey(KEY), Enrolment.of("a")))
                .isInstanceOfSatisfying(AuraException.class, e -> {
                    assertThat(e.error()).isEqualTo("unreachable");
                    assertThat(e.getMessage()).contains("connection refused (is the server running, on that port?)");
                });
    }

    @Test
    void anotherAgentsTokenDoesNotConnect() {
        AgentToken mine = client.enrol(Credential.enrolmentKey(KEY), Enrolment.of(id("mine")));
        AgentToken stolen = new AgentToken(id("victim"), mine.token(), mine.expiresAt(), mine.permissions(), mine.capabilities());
        assertThatThrownBy(() -> client.connect(stolen, new Inbox()))
                .isInstanceOfSatisfying(AuraException.class, e -> assertThat(e.status()).isEqualTo(403));
        AgentToken forged = new AgentToken(mine.agentId(), mine.token() + "x", mine.expiresAt(), mine.permissions(), mine.capabilities());
        assertThatThrownBy(() -> client.connect(forged, new Inbox()))
                .isInstanceOfSatisfying(AuraException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void anOfflineTargetIsAnErrorButNoRefusal() {
        try (AgentConnection c = connect(id("lonely"), new Inbox())) {
            assertThatThrownBy(() -> c.sendAndWait(id("nobody"), "task", null))
                    .isInstanceOfSatisfying(AuraException.class, e -> {
                        assertThat(e).isNotInstanceOf(RefusedException.class);
                        assertThat(e.error()).isEqualTo("agent_offline");
                    });
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void anOpenBreakerIsObeyedLocallyUntilItsRetryTimeAndARevokeIsSeenWithinTheLocalWindow() throws Exception {
        String a = id("caller");
        String b = id("callee");
        try (AgentConnection ca = connect(a, new Inbox()); AgentConnection cb = connect(b, new Inbox())) {
            ca.sendAndWait(b, "task", Map.of("k", 1));
            String iv = intervene("circuit_breaker", b, "{\"duration\": 300}");
            double before = metric("circuit_open");
            RefusedException first = refused(() -> ca.sendAndWait(b, "task", Map.of("k", 2)));
            assertThat(first.error()).isEqualTo("circuit_open");
            assertThat(first.local()).isFalse();
            assertThat(first.interventionId()).isEqualTo(iv);
            assertThat(first.retryAfter()).isBetween(Duration.ofSeconds(290), Duration.ofSeconds(300));
            assertThat(first.toAgent()).isEqualTo(b);
            RefusedException second = refused(() -> ca.sendAndWait(b, "task", Map.of("k", 3)));
            assertThat(second.local()).isTrue();
            assertThat(second.interventionId()).isEqualTo(iv);
            assertThat(second.retryAfter()).isLessThanOrEqualTo(Duration.ofMillis(400));
            assertThat(ca.refusedLocallyCount()).isEqualTo(1);
            assertThat(ca.blockedFor(b)).isPresent();
            assertThat(ca.blockedFor(id("other"))).isEmpty();
            assertThat(metric("circuit_open") - before).as("the second message never reached the server").isEqualTo(1);
            // b itself may still send: the breaker is on b's inbound traffic
            cb.sendAndWait(a, "result", null);

            assertThat(http("DELETE", "/api/v1/interventions/" + iv, null).statusCode()).isEqualTo(200);
            Thread.sleep(450); // past the local window
            assertThat(ca.blockedFor(b)).isEmpty();
            Delivery d = ca.sendAndWait(b, "task", Map.of("k", 4));
            assertThat(d.toAgent()).isEqualTo(b);
        }
    }

    @Test
    void aRateLimitHoldsEveryMessageForItsTokenWaitAndALoadShedBlocksNothing() throws Exception {
        String a = id("chatty");
        String b = id("sink");
        String c = id("shed");
        // a wide local window and a slow bucket (one message per 2 s), so that a slow machine cannot pass either by
        AuraClient patient = AuraClient.builder(base(server)).maxLocalBlock(Duration.ofSeconds(3)).build();
        try (AgentConnection ca = patient.connect(patient.enrol(Credential.enrolmentKey(KEY), Enrolment.of(a)), new Inbox());
             AgentConnection cb = connect(b, new Inbox()); AgentConnection cc = connect(c, new Inbox())) {
            intervene("rate_limit", a, "{\"duration\": 60, \"rate\": 0.5}");
            ca.sendAndWait(b, "task", null); // the bucket's one token
            RefusedException r = refused(() -> ca.sendAndWait(b, "task", null));
            assertThat(r.error()).isEqualTo("rate_limited");
            assertThat(r.local()).isFalse();
            assertThat(r.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(2));
            RefusedException local = refused(() -> ca.sendAndWait(c, "task", null)); // a rate limit holds every target
            assertThat(local.local()).isTrue();
            assertThat(local.error()).isEqualTo("rate_limited");
            Thread.sleep(r.retryAfter().toMillis() + 50);
            assertThat(ca.sendAndWait(b, "task", null).toAgent()).isEqualTo(b);

            intervene("load_shed", c, "{\"duration\": 60, \"fraction\": 0.5}");
            int shed = 0;
            for (int i = 0; i < 10; i++) {
                try {
                    cb.sendAndWait(c, "task", i);
                } catch (RefusedException e) {
                    assertThat(e.error()).isEqualTo("load_shed");
                    assertThat(e.local()).as("a shed target still takes the rest").isFalse();
                    shed++;
                }
            }
            assertThat(shed).isEqualTo(5);
            assertThat(cc.isOpen()).isTrue();
            assertThat(cb.refusedLocallyCount()).isZero();
        }
    }

    @Test
    void reportsAreAcknowledgedAndABadOneNamesItsField() {
        try (AgentConnection c = connect(id("reporter"), new Inbox())) {
            c.report(Telemetry.EMPTY.withCpuUtilisation(0.4).withThreadUtilisation(0.5).withQueueLength(3).withInFlight(4)
                    .withLatencyMs(10, 20, 30).withHealthyInstances(2)).join();
            c.report(Telemetry.EMPTY).join();
            assertThatThrownBy(() -> AgentConnection.await(c.report(Telemetry.EMPTY.withCpuUtilisation(1.5))))
                    .isInstanceOfSatisfying(AuraException.class, e -> {
                        assertThat(e.error()).isEqualTo("invalid_request");
                        assertThat(e.field()).isEqualTo("payload.cpu_utilisation");
                    });
            c.report(Telemetry.EMPTY.withQueueLength(1)).join(); // still usable
            assertThat(c.sentCount()).isEqualTo(4);
        }
    }

    @Test
    void concurrentSendersKeepTheirOrderAndEveryAnswerFindsItsSend() throws Exception {
        String a = id("fanin");
        String b = id("collector");
        int threads = 4;
        int each = 300;
        Inbox inbox = new Inbox();
        try (AgentConnection ca = connect(a, new Inbox()); AgentConnection cb = connect(b, inbox)) {
            List<Thread> ts = new ArrayList<>();
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                int thread = t;
                ts.add(Thread.ofPlatform().start(() -> {
                    List<CompletableFuture<Delivery>> fs = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        fs.add(ca.send(b, "seq", Map.of("t", thread, "i", i)));
                    }
                    for (CompletableFuture<Delivery> f : fs) {
                        try {
                            assertThat(f.get(30, TimeUnit.SECONDS).toAgent()).isEqualTo(b);
                        } catch (Exception | AssertionError e) {
                            failures.add(e);
                        }
                    }
                }));
            }
            for (Thread t : ts) {
                t.join();
            }
            assertThat(failures).isEmpty();
            int[] last = new int[threads];
            java.util.Arrays.fill(last, -1);
            Set<String> ids = new java.util.HashSet<>();
            for (int n = 0; n < threads * each; n++) {
                IncomingMessage m = inbox.next();
                int t = m.payload().get("t").asInt();
                int i = m.payload().get("i").asInt();
                assertThat(i).as("thread %d's messages arrive in its order", t).isEqualTo(last[t] + 1);
                last[t] = i;
                ids.add(m.id());
            }
            assertThat(ids).hasSize(threads * each);
            assertThat(inbox.messages).isEmpty();
            assertThat(cb.refusedLocallyCount()).isZero();
        }
    }

    @Test
    void aListenerMayWaitForItsOwnSendsAnswer() throws Exception {
        String a = id("asker");
        String b = id("answerer");
        Inbox askerInbox = new Inbox();
        CompletableFuture<Delivery> replied = new CompletableFuture<>();
        AgentListener answerer = (conn, m) -> replied.complete(conn.sendAndWait(m.fromAgent(), "answer", Map.of("to", m.id())));
        try (AgentConnection ca = connect(a, askerInbox); AgentConnection cb = connect(b, answerer)) {
            Delivery asked = ca.sendAndWait(b, "question", null);
            IncomingMessage answer = askerInbox.next();
            assertThat(answer.type()).isEqualTo("answer");
            assertThat(answer.payload().get("to").asText()).isEqualTo(asked.id());
            assertThat(replied.get(10, TimeUnit.SECONDS).id()).isEqualTo(answer.id());
            assertThat(cb.sentCount()).isEqualTo(1);
        }
    }

    @Test
    void closingFailsLaterSendsAndTellsTheListenerOnce() throws Exception {
        Inbox inbox = new Inbox();
        AgentConnection c = connect(id("closer"), inbox);
        c.close();
        assertThat(inbox.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(c.isOpen()).isFalse();
        assertThat(c.closed().get(1, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThatThrownBy(() -> c.sendAndWait("anyone", "task", null))
                .isInstanceOfSatisfying(AuraException.class, e -> assertThat(e.error()).isEqualTo("connection_closed"));
        c.close(); // twice is fine
    }

    /** A clock the test can move forward. */
    static final class ShiftedClock extends Clock {
        volatile Duration shift = Duration.ZERO;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(shift);
        }
    }

    @Test
    void anExpiredTokenClosesTheConnectionWith4001AndFailsWhatWaits(@TempDir Path data) throws Exception {
        ShiftedClock clock = new ShiftedClock();
        try (AuraServer s = startServer(data, clock, Map.of("AURA_AGENT_TOKEN_TTL_SECONDS", "120"))) {
            AuraClient cl = AuraClient.create(base(s));
            Inbox inbox = new Inbox();
            AgentConnection c = cl.connect(cl.enrol(Credential.enrolmentKey(KEY), Enrolment.of("short-lived")), inbox);
            clock.shift = Duration.ofMinutes(10); // past the token's 120 s and the 60-s skew
            assertThat(inbox.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4001);
            AuraException e = inbox.errors.poll(1, TimeUnit.SECONDS);
            assertThat(e).isNotNull();
            assertThat(e.error()).isEqualTo("token_expired");
            assertThat(c.isOpen()).isFalse();
            assertThatThrownBy(() -> c.sendAndWait("anyone", "task", null))
                    .isInstanceOfSatisfying(AuraException.class, x -> assertThat(x.error()).isEqualTo("connection_closed"));
            assertThatThrownBy(() -> cl.connect(new AgentToken("short-lived", "x.y.z", Instant.now(), Set.of(), List.of()), inbox))
                    .isInstanceOfSatisfying(AuraException.class, x -> assertThat(x.status()).isEqualTo(401));
        }
    }

    @Test
    void aPayloadThatIsNotUnicodeFailsThatSendOnlyAndTheConnectionGoesOn() throws Exception {
        String a = id("sender");
        String b = id("receiver");
        Inbox inbox = new Inbox();
        try (AgentConnection ca = connect(a, new Inbox()); AgentConnection cb = connect(b, inbox)) {
            assertThatThrownBy(() -> ca.sendAndWait(b, "task", Map.of("s", "\uD800"))) // a lone surrogate
                    .isInstanceOfSatisfying(AuraException.class, e -> {
                        assertThat(e.error()).isEqualTo("invalid_request");
                        assertThat(e.field()).isEqualTo("payload");
                    });
            assertThat(ca.isOpen()).isTrue();
            ca.sendAndWait(b, "task", Map.of("s", "\uD83D\uDE00")); // a proper pair is fine
            assertThat(inbox.next().payload().get("s").asText()).isEqualTo("\uD83D\uDE00");
            assertThat(cb.isOpen()).isTrue();
            assertThat(AgentConnection.wellFormed("a\uDC00")).isFalse();
            assertThat(AgentConnection.wellFormed("\uD800x")).isFalse();
        }
    }

    @Test
    void anInterruptedConnectLeavesNoAgentRegistered() throws Exception {
        String ghost = id("ghost");
        AgentToken t = client.enrol(Credential.enrolmentKey(KEY), Enrolment.of(ghost));
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> client.connect(t, new Inbox()))
                .isInstanceOfSatisfying(AuraException.class, e -> assertThat(e.error()).isEqualTo("interrupted"));
        assertThat(Thread.interrupted()).isTrue();
        try (AgentConnection c = connect(id("prober"), new Inbox())) {
            Thread.sleep(1_000); // time for a late handshake to register the agent, if it were not dropped
            assertThatThrownBy(() -> c.sendAndWait(ghost, "task", null))
                    .isInstanceOfSatisfying(AuraException.class, e -> assertThat(e.error()).isEqualTo("agent_offline"));
        }
    }

    private static RefusedException refused(Runnable r) {
        try {
            r.run();
        } catch (RefusedException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }



    /** Threads of the JDK HTTP clients (each has one selector thread while it lives). */
    static long selectorThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().contains("SelectorManager")).count();
    }

    @Test
    void closingTheClientClosesItsConnectionsAndSessionsAndItsThreads() throws Exception {
        long before = selectorThreads();
        AuraClient own = AuraClient.create(base(server));
        Inbox a = new Inbox();
        Inbox b = new Inbox();
        AgentConnection ca = own.connect(own.enrol(Credential.enrolmentKey(KEY), Enrolment.of(id("cl"))), a);
        AgentConnection cb = own.connect(own.enrol(Credential.enrolmentKey(KEY), Enrolment.of(id("cl"))), b);
        Inbox sl = new Inbox();
        AgentSession session = AgentSession.open(own, Credential.enrolmentKey(KEY), Enrolment.of(id("cls")), sl);
        assertThat(selectorThreads()).isGreaterThan(before);
        own.close();
        assertThat(own.isClosed()).isTrue();
        assertThat(ca.closed().get(10, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(cb.closed().get(10, TimeUnit.SECONDS)).isEqualTo(1000);
        session.ended().get(10, TimeUnit.SECONDS);
        assertThat(a.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(sl.closed).succeedsWithin(Duration.ofSeconds(10));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (selectorThreads() > before && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(selectorThreads()).as("the client's HTTP threads ended").isEqualTo(before);
        assertThatThrownBy(() -> own.enrol(Credential.enrolmentKey(KEY), Enrolment.of(id("late"))))
                .isInstanceOfSatisfying(AuraException.class, e -> assertThat(e.error()).isEqualTo("closed"));
        assertThatThrownBy(() -> AgentSession.open(own, Credential.enrolmentKey(KEY), Enrolment.of(id("late")), new Inbox()))
                .isInstanceOfSatisfying(AuraException.class, e -> assertThat(e.error()).isEqualTo("closed"));
        own.close(); // twice: nothing more
        // a client given its own HttpClient leaves it open: its owner closes it
        try (HttpClient mine = HttpClient.newHttpClient()) {
            AuraClient borrowing = AuraClient.builder(base(server)).httpClient(mine).build();
            AgentConnection c = borrowing.connect(borrowing.enrol(Credential.enrolmentKey(KEY), Enrolment.of(id("cl"))), new Inbox());
            borrowing.close();
            assertThat(c.closed().get(10, TimeUnit.SECONDS)).isEqualTo(1000);
            assertThat(mine.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base(server) + "/health/live")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }
}
