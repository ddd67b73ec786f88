package io.aura.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A WebSocket test client (java.net.http) that queues received text frames. */
final class WsClient implements WebSocket.Listener, AutoCloseable {

    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    final WebSocket ws;
    /** The close code the server sent, once it closed the socket. */
    final java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();

    private final boolean reading;

    WsClient(URI uri, String bearer) {
        this(uri, bearer, true);
    }

    /** With {@code reading} false the socket reads nothing until {@link #startReading()}: a client that does not keep up. */
    WsClient(URI uri, String bearer, boolean reading) {
        this.reading = reading;
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        this.ws = b.buildAsync(uri, this).join();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        if (reading) {
            webSocket.request(1);
        }
    }

    /** Starts the reading of a socket opened with {@code reading} false. */
    void startReading() {
        ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    void send(String text) {
        ws.sendText(text, true).join();
    }

    /** The next frame as JSON; fails after 5 s. */
    JsonNode next() {
        return next(5);
    }

    /** The next frame as JSON; fails after {@code seconds}. */
    JsonNode next(int seconds) {
        try {
            String s = received.poll(seconds, TimeUnit.SECONDS);
            if (s == null) {
                throw new AssertionError("no frame within " + seconds + " s");
            }
            return Json.MAPPER.readTree(s);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The next frame whose "type" is not "update" for channel agent_status (skips presence noise). */
    JsonNode nextOf(String type) {
        for (int i = 0; i < 20; i++) {
            JsonNode n = next();
            if (n.path("type").asText().equals(type)) {
                return n;
            }
        }
        throw new AssertionError("no frame of type " + type);
    }

    @Override
    public void close() {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null).join();
    }
}
