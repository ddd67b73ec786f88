package io.aura.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aura.server.AuraServer;
import io.aura.server.ServerConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions that renew their tokens and survive a server restart, against a real server. */
class AgentSessionTest {

    static AuraServer start(Path data, int port, String ttlSeconds) {
        Map<String, String> env = new HashMap<>();
        env.put("AURA_JWT_SECRET", "session-test-secret-0123456789-0123456789");
        env.put("AURA_ENROLMENT_KEY", AgentClientTest.KEY);
        env.put("AURA_AGENT_TOKEN_TTL_SECONDS", ttlSeconds);
        return AuraServer.start(ServerConfig.fromEnv(env, port, data, null), Clock.systemUTC());
    }

    static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    static void await(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
        await(condition, within, () -> what);
    }

    /** Waits for {@code condition}; {@code what} is asked for when it fails, so it can say what was seen then. */
    static void await(BooleanSupplier condition, Duration within, Supplier<String> what) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + within + ": " + what.get());
            }
            Thread.sleep(20);
        }
    }

    /** A listener that also counts the closes it hears. */
    static final class Counting extends AgentClientTest.Inbox {
        final AtomicInteger closes = new AtomicInteger();

        @Override
        public void onClose(AgentConnection connection, int code, String reason) {
            closes.incrementAndGet();
            super.onClose(connection, code, reason);
        }
    }

    @Test
    void renewsItsTokenBeforeExpiryWithoutTheAgentNoticing(@TempDir Path data) throws Exception {
        try (AuraServer s = start(data, 0, "4")) {
            AuraClient client = AuraClient.create("http://127.0.0.1:" + s.port());
            Credential key = Credential.enrolmentKey(AgentClientTest.KEY);
            Counting inbox = new Counting();
            try (AgentSession session = AgentSession.open(client, key, Enrolment.of("renewing"), inbox, Duration.ofSeconds(1));
                 AgentConnection peer = client.connect(client.enrol(key, Enrolment.of("peer")), new AgentClientTest.Inbox())) {
                AgentConnection first = session.connection();
                Instant firstExpiry = session.tokenExpiresAt();
                await(() -> session.renewals() >= 1, Duration.ofSeconds(10), "a renewal about 3 s after enrolment");
                assertThat(session.tokenExpiresAt()).isAfter(firstExpiry);
                assertThat(session.connection()).isNotSameAs(first).isNotNull();
                await(() -> !first.isOpen(), Duration.ofSeconds(5), "the old connection closed");
                assertThat(peer.sendAndWait("renewing", "task", Map.of("n", 1)).toAgent()).isEqualTo("renewing");
                assertThat(inbox.next().fromAgent()).isEqualTo("peer");
                assertThat(session.sendAndWait("peer", "result", null).toAgent()).isEqualTo("peer");
                assertThat(inbox.closes.get()).as("moves are not closes").isZero();
                assertThat(session.reconnects()).isZero();
            }
            assertThat(inbox.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
            assertThat(inbox.closes.get()).isEqualTo(1);
        }
    }

    @Test
    void reconnectsAfterTheServerRestartsAndStopsWhenAnotherConnectionTakesOver(@TempDir Path data) throws Exception {
        int port = freePort(); // fixed, so that the server comes back where the sessions look for it
        AuraServer s = start(data, port, "3600");
        AuraClient client = AuraClient.create("http://127.0.0.1:" + port);
        Credential key = Credential.enrolmentKey(AgentClientTest.KEY);
        Counting inboxA = new Counting();
        Counting inboxB = new Counting();
        AgentSession a = AgentSession.open(client, key, Enrolment.of("alpha"), inboxA);
        AgentSession b = AgentSession.open(client, key, Enrolment.of("beta"), inboxB);
        try {
            a.sendAndWait("beta", "task", null);
            inboxB.next();
            AgentConnection ca = a.connection();
            AgentConnection cb = b.connection();
            s.close();
            // the server said goodbye with a close frame (1001), not by dropping the sockets (1006)
            assertThat(ca.closed().get(5, TimeUnit.SECONDS)).as("alpha's close code").isEqualTo(1001);
            assertThat(cb.closed().get(5, TimeUnit.SECONDS)).as("beta's close code").isEqualTo(1001);
            await(() -> a.connection() == null && b.connection() == null, Duration.ofSeconds(10),
                    () -> "both sessions lost their connections; alpha has " + a.connection() + ", beta " + b.connection());
            assertThatThrownBy(() -> a.sendAndWait("beta", "task", null))
                    .isInstanceOfSatisfying(AuraException.class, e -> assertThat(e.error()).isEqualTo("connection_closed"));
            Thread.sleep(1_500); // a failed attempt or two: the backoff grows
            s = start(data, port, "3600");
            await(() -> a.reconnects() >= 1 && b.reconnects() >= 1, Duration.ofSeconds(15), "both sessions back");
            assertThat(a.sendAndWait("beta", "task", Map.of("after", "restart")).toAgent()).isEqualTo("beta");
            assertThat(inboxB.next().payload().get("after").asText()).isEqualTo("restart");
            assertThat(inboxA.closes.get() + inboxB.closes.get()).as("drops are not closes").isZero();

            // another process speaks for beta now: beta's session ends instead of fighting it
            AgentConnection usurper = client.connect(client.enrol(key, Enrolment.of("beta")), new AgentClientTest.Inbox());
            assertThat(b.ended().get(5, TimeUnit.SECONDS)).isEqualTo(4000);
            assertThat(inboxB.closed.get(1, TimeUnit.SECONDS)).isEqualTo(4000);
            assertThat(a.sendAndWait("beta", "task", null).toAgent()).isEqualTo("beta");
            usurper.close();
        } finally {
            a.close();
            b.close();
            s.close();
        }
        assertThat(a.ended().get(5, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(inboxB.closes.get()).isEqualTo(1);
    }

    /**
     * An enrolment that takes permissions away revokes the agent's tokens (4003 on its connection, 401
     * token_revoked at connect): the session ends with 4003 instead of enrolling again, which silently gave
     * the agent its permissions back within half a second; also when the revocation happens while it is away.
     */
    @Test
    void aRevokedSessionEndsInsteadOfEnrollingAgain(@TempDir Path data) throws Exception {
        int port = freePort();
        AuraServer s = start(data, port, "3600");
        AuraClient client = AuraClient.create("http://127.0.0.1:" + port);
        Credential key = Credential.enrolmentKey(AgentClientTest.KEY);
        Enrolment readOnly = new Enrolment("narrowed", null, List.of(), java.util.Set.of("read"));
        Counting live = new Counting();
        Counting away = new Counting();
        AgentSession a = AgentSession.open(client, key, Enrolment.of("narrowed"), live);
        AgentSession b = null;
        try {
            client.enrol(key, readOnly); // revokes a's token: its connection closes with 4003
            assertThat(a.ended().get(5, TimeUnit.SECONDS)).isEqualTo(4003);
            assertThat(live.closed.get(1, TimeUnit.SECONDS)).isEqualTo(4003);
            Thread.sleep(1_000);
            assertThat(a.reconnects()).as("no new enrolment with the permissions taken away").isZero();

            b = AgentSession.open(client, key, Enrolment.of("narrowed_away"), away);
            s.close();
            s = start(data, port, "3600");
            client.enrol(key, new Enrolment("narrowed_away", null, List.of(), java.util.Set.of("read"))); // while b is away
            assertThat(b.ended().get(15, TimeUnit.SECONDS)).isEqualTo(4003);
            assertThat(away.closes.get()).isEqualTo(1);
            assertThat(b.reconnects()).isZero();
        } finally {
            a.close();
            if (b != null) {
                b.close();
            }
            s.close();
        }
    }

    @Test
    void aConnectionThatGoesSilentIsDroppedAfterAnUnansweredPingAndTheSessionReconnects(@TempDir Path data) throws Exception {
        try (AuraServer s = start(data, 0, "3600"); FreezingProxy proxy = new FreezingProxy(s.port())) {
            AuraClient viaProxy = AuraClient.builder("http://127.0.0.1:" + proxy.port())
                    .pingInterval(Duration.ofMillis(300)).answerTimeout(Duration.ofMillis(800)).build();
            Credential key = Credential.enrolmentKey(AgentClientTest.KEY);
            Counting inbox = new Counting();
            try (AgentSession session = AgentSession.open(viaProxy, key, Enrolment.of("quiet"), inbox)) {
                AgentConnection first = session.connection();
                Thread.sleep(2_000); // six pings, each answered by a pong: a quiet connection stays open
                assertThat(first.isOpen()).as("a quiet connection whose pings are answered").isTrue();
                proxy.freeze(); // the connection stays open but carries nothing: the next ping goes unanswered
                assertThat(first.closed().get(10, TimeUnit.SECONDS)).isEqualTo(1006);
                await(() -> session.reconnects() >= 1, Duration.ofSeconds(10), () -> "the session back; it has " + session.connection());
                AuraClient direct = AuraClient.create("http://127.0.0.1:" + s.port());
                try (AgentConnection peer = direct.connect(direct.enrol(key, Enrolment.of("peer3")), new AgentClientTest.Inbox())) {
                    assertThat(peer.sendAndWait("quiet", "task", Map.of("n", 3)).toAgent()).isEqualTo("quiet");
                    assertThat(inbox.next().payload().get("n").asInt()).isEqualTo(3);
                }
                assertThat(inbox.closes.get()).as("a dropped connection is not the session's close").isZero();
            }
        }
    }

    /** A connection whose sends go unanswered, with nothing else heard, is as dead as one whose ping goes unanswered. */
    @Test
    void anUnansweredSendDropsASilentConnectionBeforeTheNextPing(@TempDir Path data) throws Exception {
        try (AuraServer s = start(data, 0, "3600"); FreezingProxy proxy = new FreezingProxy(s.port())) {
            AuraClient viaProxy = AuraClient.builder("http://127.0.0.1:" + proxy.port())
                    .pingInterval(Duration.ofSeconds(60)).answerTimeout(Duration.ofMillis(800)).build();
            try (AgentConnection c = viaProxy.connect(viaProxy.enrol(Credential.enrolmentKey(AgentClientTest.KEY),
                    Enrolment.of("talker")), new AgentClientTest.Inbox())) {
                proxy.freeze();
                assertThatThrownBy(() -> c.sendAndWait("anyone", "task", null))
                        .isInstanceOfSatisfying(AuraException.class, e -> assertThat(e.error()).isEqualTo("timeout"));
                assertThat(c.closed().get(5, TimeUnit.SECONDS)).as("closed long before the next ping (60 s)").isEqualTo(1006);
            }
        }
    }

    /** Whatever was still queued for the listener when the session ends is dropped: onClose is the last call it gets. */
    @Test
    void aSessionsListenerHearsNothingAfterOnClose(@TempDir Path data) throws Exception {
        try (AuraServer s = start(data, 0, "3600")) {
            AuraClient client = AuraClient.create("http://127.0.0.1:" + s.port());
            Credential key = Credential.enrolmentKey(AgentClientTest.KEY);
            List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            AgentListener slow = new AgentListener() {
                @Override
                public void onMessage(AgentConnection c, IncomingMessage m) {
                    events.add("message");
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public void onClose(AgentConnection c, int code, String reason) {
                    events.add("close " + code);
                }
            };
            AgentSession session = AgentSession.open(client, key, Enrolment.of("slow"), slow);
            try (AgentConnection peer = client.connect(client.enrol(key, Enrolment.of("fast")), new AgentClientTest.Inbox())) {
                for (int i = 0; i < 40; i++) {
                    peer.sendAndWait("slow", "task", Map.of("i", i)); // acked: on slow's socket, 4 s of listening
                }
            }
            long t0 = System.nanoTime();
            session.close();
            assertThat((System.nanoTime() - t0) / 1e9).as("close does not wait for the listener's backlog").isLessThan(2.0);
            Thread.sleep(500);
            assertThat(events).last().isEqualTo("close 1000");
            assertThat(events).filteredOn("close 1000"::equals).hasSize(1);
            assertThat(events.size()).as("messages heard before the close").isLessThan(40);
        }
    }

    /**
     * close() waits at most about 5 s for a listener method that blocks (it used to wait as long as the
     * listener did), and onClose follows once that method returns; an Error the listener throws in onClose
     * (an assertion) neither escapes close() nor leaves the session unended with its timer thread running.
     */
    @Test
    void closeWaitsForABlockedListenerAtMostAFewSeconds(@TempDir Path data) throws Exception {
        try (AuraServer s = start(data, 0, "3600")) {
            AuraClient client = AuraClient.create("http://127.0.0.1:" + s.port());
            Credential key = Credential.enrolmentKey(AgentClientTest.KEY);
            java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            AgentListener blocking = new AgentListener() {
                @Override
                public void onMessage(AgentConnection c, IncomingMessage m) {
                    events.add("message");
                    inside.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    events.add("returned");
                }

                @Override
                public void onClose(AgentConnection c, int code, String reason) {
                    events.add("close " + code);
                    throw new AssertionError("a listener's failed assertion");
                }
            };
            AgentSession session = AgentSession.open(client, key, Enrolment.of("stuck"), blocking);
            try {
                try (AgentConnection peer = client.connect(client.enrol(key, Enrolment.of("poker")), new AgentClientTest.Inbox())) {
                    peer.sendAndWait("stuck", "task", null);
                }
                assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
                java.util.concurrent.CompletableFuture<Void> closing = java.util.concurrent.CompletableFuture.runAsync(session::close);
                closing.get(8, TimeUnit.SECONDS); // throws TimeoutException when close() waits for the listener
                assertThat(events).containsExactly("message");
                release.countDown();
                assertThat(session.ended().get(5, TimeUnit.SECONDS)).isEqualTo(1000);
                assertThat(events).containsExactly("message", "returned", "close 1000");
                await(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("aura-session-stuck")),
                        Duration.ofSeconds(5), "the session's timer thread ends");
            } finally {
                release.countDown();
            }
        }
    }

    /** A client clock far from the server's: the token's lifetime counts from its arrival here, so renewals keep their pace. */
    @Test
    void aClockSkewLongerThanTheTokenLifetimeDoesNotRenewInALoop(@TempDir Path data) throws Exception {
        for (Duration shift : List.of(Duration.ofHours(-2), Duration.ofHours(2))) {
            AgentClientTest.ShiftedClock serverClock = new AgentClientTest.ShiftedClock();
            serverClock.shift = shift;
            try (AuraServer s = AgentClientTest.startServer(data.resolve("s" + shift.toHours()), serverClock,
                    Map.of("AURA_AGENT_TOKEN_TTL_SECONDS", "3600"))) {
                AuraClient client = AuraClient.create(AgentClientTest.base(s));
                try (AgentSession session = AgentSession.open(client, Credential.enrolmentKey(AgentClientTest.KEY), Enrolment.of("skewed"),
                        new AgentClientTest.Inbox())) {
                    Thread.sleep(1_500);
                    assertThat(session.renewals()).as("renewals within 1.5 s of a 1-h token, server clock " + shift).isZero();
                    assertThat(session.tokenExpiresAt()).isBetween(Instant.now().plusSeconds(3_500), Instant.now().plusSeconds(3_601));
                    assertThat(session.connection()).isNotNull();
                }
            }
        }
    }

    @Test
    void anOutageAcrossTheRenewalTimeLeavesOneLiveConnection(@TempDir Path data) throws Exception {
        int port = freePort(); // fixed, so that the server comes back where the sessions look for it
        AuraServer s = start(data, port, "6");
        AuraClient client = AuraClient.create("http://127.0.0.1:" + port);
        Credential key = Credential.enrolmentKey(AgentClientTest.KEY);
        Counting inbox = new Counting();
        AgentSession session = AgentSession.open(client, key, Enrolment.of("survivor"), inbox, Duration.ofSeconds(3)); // renewal due at 3 s
        try {
            s.close();            // reconnect attempts at about 0.5, 1.5, 3.5, 7.5 s; the renewal comes due during the outage
            Thread.sleep(4_500);
            s = start(data, port, "6");
            await(() -> session.reconnects() >= 1, Duration.ofSeconds(20), "the session back");
            Thread.sleep(4_000); // past the attempts that were pending when it came back
            assertThat(session.ended().isDone()).as("the session still runs").isFalse();
            assertThat(inbox.closes.get()).isZero();
            try (AgentConnection peer = client.connect(client.enrol(key, Enrolment.of("peer2")), new AgentClientTest.Inbox())) {
                assertThat(peer.sendAndWait("survivor", "task", null).toAgent()).isEqualTo("survivor");
                assertThat(inbox.next().fromAgent()).isEqualTo("peer2");
            }
        } finally {
            session.close();
            s.close();
        }
        assertThat(inbox.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    void aRefusedFirstEnrolmentIsThrownAtOnce(@TempDir Path data) throws IOException {
        try (AuraServer s = start(data, 0, "3600")) {
            AuraClient client = AuraClient.create("http://127.0.0.1:" + s.port());
            assertThatThrownBy(() -> AgentSession.open(client, Credential.enrolmentKey("wrong"), Enrolment.of("x"), new AgentClientTest.Inbox()))
                    .isInstanceOfSatisfying(AuraException.class, e -> assertThat(e.status()).isEqualTo(401));
            assertThatThrownBy(() -> AgentSession.open(client, Credential.enrolmentKey("k"), Enrolment.of("x"), new AgentClientTest.Inbox(), Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
