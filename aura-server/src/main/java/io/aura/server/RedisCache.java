package io.aura.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared cache of analyze documents in Redis ({@code AURA_REDIS_URL}; PRODUCT.md: "Redis is an
 * optional shared cache"). Every server pointing at the same Redis reuses the others' persistent
 * homology for the same request content. The cache never decides an answer: when Redis is down,
 * slow, or holds something that is not a document, a lookup is a miss and the request computes.
 *
 * <ul>
 *   <li>A lookup waits at most {@code AURA_REDIS_TIMEOUT_MS}; writes are asynchronous (SET with
 *       EX {@code AURA_REDIS_TTL_SECONDS}) and never delay a request; at most
 *       {@value #MAX_QUEUED} commands wait for Redis, beyond which writes are dropped and counted.</li>
 *   <li>After {@value #TRIP_AFTER} failed lookups in a row the cache is skipped for
 *       {@value #OPEN_MILLIS} ms (a breaker); after the pause one more failed lookup pauses it again,
 *       so a hung Redis costs the lookups that were waiting when it failed, not one per request.</li>
 *   <li>The first connection is made in the background and retried every {@value #OPEN_MILLIS} ms,
 *       so a server starts whether or not its Redis answers; later reconnects are Lettuce's.</li>
 *   <li>Keys: {@code AURA_REDIS_PREFIX + "analyze:v" + FORMAT + ":" + sha256 of the request content}.
 *       {@link #FORMAT} changes whenever the analyze document's layout does, so servers of
 *       different versions on one Redis never read each other's documents.</li>
 * </ul>
 * Counted in {@code aura_cache_requests_total{cache="redis",result=hit|miss|error|skipped}} and
 * {@code aura_cache_writes_total{cache="redis",result=ok|error}}.
 */
final class RedisCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisCache.class);

    /** Layout version of the analyze document under the keys; bump it when AnalyzeDocument changes. */
    static final int FORMAT = 1;
    /** Failed lookups in a row that pause the cache. */
    static final int TRIP_AFTER = 3;
    /** How long a paused cache is skipped, and the retry period of the first connection. */
    static final long OPEN_MILLIS = 5_000;
    /** Commands that may wait for Redis at once. */
    static final int MAX_QUEUED = 10_000;
    /** Longest wait for a connection (made in the background, never by a request). */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Fewest milliseconds between two warnings in the log. */
    private static final long WARN_EVERY_MILLIS = 60_000;

    private final ServerConfig.Redis config;
    private final String keyPrefix;
    private final RedisClient client;
    private final LongSupplier millis;
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile boolean closed;
    private final Thread connector;
    private final AtomicInteger failuresInARow = new AtomicInteger();
    private volatile long pausedUntil;
    private final Every warnings;
    private final Counter hits;
    private final Counter misses;
    private final Counter errors;
    private final Counter skipped;
    private final Counter writesOk;
    private final Counter writeErrors;

    RedisCache(ServerConfig.Redis config, MeterRegistry registry) {
        this(config, registry, System::currentTimeMillis);
    }

    RedisCache(ServerConfig.Redis config, MeterRegistry registry, LongSupplier millis) {
        this.config = config;
        this.millis = millis;
        this.warnings = new Every(WARN_EVERY_MILLIS, millis);
        this.keyPrefix = config.prefix() + "analyze:v" + FORMAT + ":";
        RedisURI uri = RedisURI.create(config.url());
        if (config.password() != null) {
            uri.setAuthentication(config.password());
        }
        uri.setTimeout(CONNECT_TIMEOUT); // the handshake's (HELLO, AUTH, SELECT); commands have TimeoutOptions below
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(MAX_QUEUED)
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build()) // in the background: a cold JVM needs more than a lookup's wait
                // lookups are bounded by AURA_REDIS_TIMEOUT_MS where they wait (get); this bounds every command,
                // writes of large documents included, which must not be cancelled at a lookup's 100 ms
                .timeoutOptions(TimeoutOptions.enabled(CONNECT_TIMEOUT))
                .build());
        this.hits = counter(registry, "aura.cache.requests", "hit");
        this.misses = counter(registry, "aura.cache.requests", "miss");
        this.errors = counter(registry, "aura.cache.requests", "error");
        this.skipped = counter(registry, "aura.cache.requests", "skipped");
        this.writesOk = counter(registry, "aura.cache.writes", "ok");
        this.writeErrors = counter(registry, "aura.cache.writes", "error");
        this.connector = Thread.ofPlatform().name("aura-redis-connect").daemon(true).start(this::connectLoop);
    }

    private static Counter counter(MeterRegistry registry, String name, String result) {
        return Counter.builder(name).tag("cache", "redis").tag("result", result)
                .description(name.endsWith("writes") ? "Writes to the shared analyze cache" : "Lookups in the analyze caches")
                .register(registry);
    }

    private void connectLoop() {
        while (!closed) {
            try {
                connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
                LOG.info("analyze cache: connected to Redis at {}", ServerConfig.redactUrl(config.url()));
                return;
            } catch (RuntimeException e) {
                warn("analyze cache: cannot connect to Redis at " + ServerConfig.redactUrl(config.url()) + " ("
                        + message(e) + "); requests compute without it; retrying every " + OPEN_MILLIS / 1000 + " s");
            }
            try {
                Thread.sleep(OPEN_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Whether a connection has been made (it may be reconnecting now). */
    boolean connected() {
        return connection != null;
    }

    /**
     * The document under a request's content key, or null on a miss, an error, a timeout, a value
     * that is not a JSON object, or while the cache is paused or not yet connected.
     */
    ObjectNode get(String contentKey) {
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c == null || millis.getAsLong() < pausedUntil) {
            skipped.increment();
            return null;
        }
        byte[] value;
        try {
            value = c.async().get(keyPrefix + contentKey).get(config.timeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            failed(e);
            return null;
        }
        failuresInARow.set(0);
        if (value == null) {
            misses.increment();
            return null;
        }
        try {
            ObjectNode doc = AnalyzeDocument.fromJson(Json.MAPPER.readTree(value));
            if (doc != null) {
                hits.increment();
                return doc;
            }
        } catch (IOException e) {
            // not a document: below
        }
        errors.increment();
        warn("analyze cache: the value under " + keyPrefix + contentKey + " is not an analyze document; it is ignored and replaced");
        return null;
    }

    /** Stores a document under a request's content key without waiting; the outcome is counted. */
    void put(String contentKey, ObjectNode document) {
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c == null || millis.getAsLong() < pausedUntil) {
            return;
        }
        byte[] value = Json.write(document).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            c.async().set(keyPrefix + contentKey, value, SetArgs.Builder.ex(config.ttlSeconds())).whenComplete((ok, e) -> {
                if (e == null) {
                    writesOk.increment();
                } else {
                    writeErrors.increment();
                }
            });
        } catch (RuntimeException e) { // the request queue is full or the connection is closed
            writeErrors.increment();
        }
    }

    private void failed(Exception e) {
        errors.increment();
        if (failuresInARow.incrementAndGet() >= TRIP_AFTER) {
            failuresInARow.set(TRIP_AFTER - 1); // after the pause one failed lookup pauses it again; a success resets
            pausedUntil = millis.getAsLong() + OPEN_MILLIS;
            warn("analyze cache: " + TRIP_AFTER + " Redis lookups in a row failed (last: " + message(e) + "); requests compute"
                    + " without Redis for " + OPEN_MILLIS / 1000 + " s, then it is tried again");
        }
    }

    /** The exception and its root cause, one line (an ExecutionException's wrapper left out). */
    private static String message(Throwable e) {
        Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        return root == t ? m : m + "; cause: " + root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private void warn(String message) {
        if (warnings.due()) {
            LOG.warn(message);
        }
    }

    /** Redis's answer to PING for /health: null when it answered, else why not. */
    String ping() {
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c == null) {
            return "not connected";
        }
        try {
            String r = c.async().ping().get(config.timeoutMs(), TimeUnit.MILLISECONDS);
            return "PONG".equals(r) ? null : "unexpected answer to PING";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            return message(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        connector.interrupt();
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
