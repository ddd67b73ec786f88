package io.aura.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An agent that stays on the bus: it enrols, connects, enrols again and moves to a new connection
 * before its token expires, and reconnects after the connection drops (the server restarted, the
 * network failed), waiting 0.5 s, then twice as long after each failed attempt, up to 30 s.
 *
 * <p>It ends only when {@link #close()} is called, when a newer connection of the same agent
 * replaced this one on the server (code 4000: another process speaks for the agent now), when an
 * enrolment of the agent with fewer permissions revoked its tokens (code 4003: enrolling again
 * would undo the revocation), or when
 * the server refuses the enrolment itself (a wrong or revoked credential, status 401 or 403); the
 * listener then hears {@link AgentListener#onClose} once, with that code (or 1008 for a refused
 * enrolment, after {@link AgentListener#onError} with the refusal). Connections that the session
 * replaces or loses on the way are not reported as closes.
 *
 * <p>Delivery is at most once: a send that fails with {@code connection_closed} during a move or a
 * drop may or may not have reached its target. While the session is between connections, sends
 * fail at once with {@code connection_closed}.
 */
public final class AgentSession implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AgentSession.class.getName());
    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** The server's close of a connection whose token a later enrolment with fewer permissions revoked. */
    static final int REVOKED = 4003;
    /** How long the end of a session waits for a listener method still running (a connection's close() waits as long). */
    static final Duration END_WAIT = Duration.ofSeconds(5);

    private final AuraClient client;
    private final Credential credential;
    private final Enrolment enrolment;
    private final AgentListener listener;
    private final Duration renewBefore;
    private final ScheduledExecutorService timer;
    private final AtomicLong renewals = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final Object lock = new Object();
    private final CompletableFuture<Integer> ended = new CompletableFuture<>();
    private AgentToken token; // guarded by lock
    private volatile AgentConnection current;
    private volatile AgentConnection retiring; // the connection a renewal is moving away from
    private ScheduledFuture<?> renewal; // guarded by lock
    private ScheduledFuture<?> reconnecting; // guarded by lock: the next reconnect attempt, if one is due
    private AgentConnection last; // guarded by lock: the newest connection, for the final onClose
    // the listener hears one thing at a time, across connections; a ReentrantLock, not a monitor: a listener that
    // blocks inside it (allowed) must not pin the virtual thread's carrier on JDK 21-23
    private final java.util.concurrent.locks.ReentrantLock relayLock = new java.util.concurrent.locks.ReentrantLock();
    private boolean closed; // guarded by lock
    /** Set as the session ends: the relay passes nothing more on, so that onClose is the listener's last call. */
    private volatile boolean ending;

    private AgentSession(AuraClient client, Credential credential, Enrolment enrolment, AgentListener listener, Duration renewBefore) {
        this.client = client;
        this.credential = credential;
        this.enrolment = enrolment;
        this.listener = listener;
        this.renewBefore = renewBefore;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("aura-session-" + enrolment.agentId()).factory());
    }

    /**
     * Enrols and connects the agent; returns once it is on the bus.
     *
     * @param renewBefore how long before its token's expiry the session enrols again and moves to a
     *     new connection; at most half the token's lifetime is used
     * @throws AuraException when the first enrolment or connection fails (nothing is retried then)
     */
    public static AgentSession open(AuraClient client, Credential credential, Enrolment enrolment, AgentListener listener, Duration renewBefore) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(enrolment, "enrolment");
        Objects.requireNonNull(listener, "listener");
        if (renewBefore == null || renewBefore.isNegative() || renewBefore.isZero()) {
            throw new IllegalArgumentException("renewBefore must be positive: " + renewBefore);
        }
        AgentSession s = new AgentSession(client, credential, enrolment, listener, renewBefore);
        try {
            s.establish(s.fresh());
        } catch (RuntimeException e) {
            s.timer.shutdownNow();
            throw e;
        }
        client.track(s, s.ended()); // the client's close() ends it
        return s;
    }

    /** {@link #open(AuraClient, Credential, Enrolment, AgentListener, Duration)} renewing 5 minutes before expiry. */
    public static AgentSession open(AuraClient client, Credential credential, Enrolment enrolment, AgentListener listener) {
        return open(client, credential, enrolment, listener, Duration.ofMinutes(5));
    }

    /** The agent's id. */
    public String agentId() {
        return enrolment.agentId();
    }

    /** {@link AgentConnection#send} on the current connection. */
    public CompletableFuture<Delivery> send(String toAgent, String type, Object payload) {
        AgentConnection c = current;
        return c == null ? CompletableFuture.failedFuture(between()) : c.send(toAgent, type, payload);
    }

    /** {@link #send} that waits for the answer and throws the {@link AuraException} itself. */
    public Delivery sendAndWait(String toAgent, String type, Object payload) {
        AgentConnection c = current;
        if (c == null) {
            throw between();
        }
        return c.sendAndWait(toAgent, type, payload); // keeps reading while a listener method waits (AgentConnection#awaitAnswer)
    }

    /** {@link AgentConnection#report} on the current connection. */
    public CompletableFuture<Void> report(Telemetry telemetry) {
        AgentConnection c = current;
        return c == null ? CompletableFuture.failedFuture(between()) : c.report(telemetry);
    }

    /** The current connection; null while the session is between connections or closed. */
    public AgentConnection connection() {
        return current;
    }

    /** When the current token expires. */
    public Instant tokenExpiresAt() {
        synchronized (lock) {
            return token.expiresAt();
        }
    }

    /** Times the session enrolled again before its token's expiry. */
    public long renewals() {
        return renewals.get();
    }

    /** Times the session connected again after losing its connection. */
    public long reconnects() {
        return reconnects.get();
    }

    /** Completes with the final close code once the session has ended. */
    public CompletableFuture<Integer> ended() {
        return ended.copy();
    }

    private AuraException between() {
        return new AuraException(0, "connection_closed", "agent " + enrolment.agentId() + " is between connections (reconnecting)"
                + (ended.isDone() ? "; the session has ended" : ""), null);
    }

    private AgentToken fresh() {
        return client.enrol(credential, enrolment);
    }

    /** Connects with {@code t} and schedules its renewal. */
    private void establish(AgentToken t) {
        AgentConnection c = client.connect(t, new Relay());
        synchronized (lock) {
            if (closed) {
                c.close();
                return;
            }
            token = t;
            current = c;
            last = c;
            if (reconnecting != null) { // connected: a pending attempt would only replace this connection
                reconnecting.cancel(false);
                reconnecting = null;
            }
            if (!c.isOpen()) { // closed before it became current, so the relay ignored it
                current = null;
                scheduleReconnect(FIRST_BACKOFF.toMillis());
            }
            Duration life = Duration.between(Instant.now(), t.expiresAt());
            Duration before = renewBefore.compareTo(life.dividedBy(2)) < 0 ? renewBefore : life.dividedBy(2);
            long delayMs = Math.max(0, life.minus(before).toMillis());
            if (renewal != null) {
                renewal.cancel(false);
            }
            renewal = timer.schedule(() -> renew(FIRST_BACKOFF.toMillis()), delayMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Schedules the next reconnect attempt after {@code delayMs}, the one after it twice as late. Caller holds lock. */
    private void scheduleReconnect(long delayMs) {
        if (closed || timer.isShutdown()) {
            return;
        }
        if (reconnecting != null) {
            reconnecting.cancel(false);
        }
        reconnecting = timer.schedule(() -> reconnect(delayMs), delayMs, TimeUnit.MILLISECONDS);
    }

    /**
     * A new token and a new connection; the server closes the old one (4000), which the relay
     * ignores. Between connections the reconnect attempts do this (they enrol again when the token
     * is about to expire), so a renewal then does nothing.
     */
    private void renew(long backoffMs) {
        synchronized (lock) {
            if (closed || current == null) {
                return;
            }
        }
        try {
            AgentToken t = fresh();
            AgentConnection old = current;
            retiring = old; // the server closes it (4000) as soon as the new one registers
            establish(t);
            renewals.incrementAndGet();
            if (old != null && old != current) {
                old.close();
            }
        } catch (RuntimeException e) {
            if (retryable(e, "renewal", backoffMs)) {
                long next = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
                synchronized (lock) {
                    if (!closed && !timer.isShutdown()) {
                        renewal = timer.schedule(() -> renew(next), backoffMs, TimeUnit.MILLISECONDS);
                    }
                }
            }
        }
    }

    /**
     * A renewal or a reconnect failed: a refused enrolment (401, 403) ends the session and is not
     * retryable; anything else is logged with when the next try comes.
     */
    private boolean retryable(RuntimeException e, String what, long nextTryMs) {
        if (e instanceof AuraException a && (a.status() == 401 || a.status() == 403)) {
            end(1008, "enrolment refused: " + a.getMessage(), a);
            return false;
        }
        LOG.log(e instanceof AuraException ? Level.FINE : Level.WARNING, "agent " + enrolment.agentId()
                + ": " + what + " failed, next try in " + nextTryMs + " ms", e);
        return true;
    }

    /** After a drop: connect again, with the token while it is valid for long enough, else a fresh one. */
    private void reconnect(long backoffMs) {
        synchronized (lock) {
            reconnecting = null;
            if (closed || (current != null && current.isOpen())) { // ended, or a renewal connected meanwhile
                return;
            }
        }
        try {
            AgentToken t;
            synchronized (lock) {
                t = token;
            }
            if (Duration.between(Instant.now(), t.expiresAt()).compareTo(Duration.ofSeconds(30)) < 0) {
                t = fresh();
            }
            try {
                establish(t);
            } catch (AuraException e) {
                if (e.status() != 401) {
                    throw e;
                }
                if ("token_revoked".equals(e.error())) { // revoked meanwhile (the 4003 close was missed): stop, as on 4003
                    end(REVOKED, "token revoked: " + e.getMessage(), null);
                    return;
                }
                establish(fresh()); // the server no longer takes the token (e.g. a new secret): enrol again
            }
            reconnects.incrementAndGet();
        } catch (RuntimeException e) {
            long next = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
            if (retryable(e, "reconnect", next)) {
                synchronized (lock) {
                    scheduleReconnect(next);
                }
            }
        }
    }

    private void end(int code, String reason, AuraException error) {
        AgentConnection c;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            ending = true; // before the connection's close: messages still queued on it are dropped, not delivered after onClose
            c = current != null ? current : last;
            current = null;
            if (renewal != null) {
                renewal.cancel(false);
            }
            if (reconnecting != null) {
                reconnecting.cancel(false);
            }
        }
        long deadline = System.nanoTime() + END_WAIT.toNanos();
        try {
            if (c != null) {
                c.close();
            }
        } finally {
            timer.shutdown();
            // the listener's last calls, once the method it may be running has returned (one at a time); the
            // caller waits for them at most until the deadline, as a connection's close() waits for its listener,
            // rather than for as long as a listener blocks (a close() from inside a listener method comes after it)
            Thread last = Thread.ofVirtual().name("aura-session-end-" + enrolment.agentId()).start(() -> {
                relayLock.lock();
                try {
                    if (error != null) {
                        safely(() -> listener.onError(c, error));
                    }
                    safely(() -> listener.onClose(c, code, reason));
                } finally {
                    relayLock.unlock();
                    ended.complete(code); // also when the listener threw an Error
                }
            });
            if (!relayLock.isHeldByCurrentThread()) {
                try {
                    last.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "agent " + enrolment.agentId() + ": the listener threw", e);
        }
    }

    /**
     * Ends the session: closes the connection (1000) and stops renewing and reconnecting. Messages not
     * yet passed to the listener are dropped; a listener method still running delays this by at most
     * 5 s, and {@link AgentListener#onClose} follows once it has returned.
     */
    @Override
    public void close() {
        end(1000, "closed by the agent", null);
    }

    /** Passes messages and errors on; turns the closes of lost connections into reconnects. */
    private final class Relay implements AgentListener {
        @Override
        public void onMessage(AgentConnection connection, IncomingMessage message) {
            relayLock.lock(); // during a move two connections' callback threads may both deliver
            try {
                if (!ending) { // delivery is at most once: what arrives as the session ends is dropped
                    listener.onMessage(connection, message);
                }
            } finally {
                relayLock.unlock();
            }
        }

        @Override
        public void onError(AgentConnection connection, AuraException error) {
            if (!"token_expired".equals(error.error())) { // the session enrols again; not the agent's concern
                relayLock.lock();
                try {
                    if (!ending) {
                        listener.onError(connection, error);
                    }
                } finally {
                    relayLock.unlock();
                }
            }
        }

        @Override
        public void onClose(AgentConnection connection, int code, String reason) {
            synchronized (lock) {
                if (closed || connection != current || connection == retiring) {
                    return; // a connection the session replaced or closed itself
                }
                current = null;
                if (code != 4000 && code != REVOKED) {
                    scheduleReconnect(FIRST_BACKOFF.toMillis());
                    return;
                }
            }
            // replaced on the server by a newer connection that is not ours, or its tokens revoked by an enrolment
            // that took permissions away: enrolling again would undo what the operator did
            end(code, reason, null);
        }
    }
}
