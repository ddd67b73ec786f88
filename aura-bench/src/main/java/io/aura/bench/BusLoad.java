package io.aura.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load test of the agent bus of a running {@code aura serve}: N pairs of agents (A_i sends to B_i),
 * each enrolled through {@code POST /a2a/auth/agent} and connected to {@code /ws/a2a/{agent_id}}
 * with {@link java.net.http.WebSocket}. Each sender pipelines messages with at most {@code window}
 * unanswered (a message is answered by its ack or an error frame); each message's payload carries
 * its {@link System#nanoTime()} at sending, so the receiver measures end-to-end latency (send →
 * relay with enforcement → receive; client and receivers share one JVM, one clock). After a
 * warm-up, messages received in the measured interval give messages/s; latencies are kept in a
 * 1 us histogram up to 1 s (slower ones counted as "over 1 s"), percentiles exact to 1 us.
 *
 * <pre>
 * java -cp aura-bench/target/aura-benchmarks.jar io.aura.bench.BusLoad --url http://127.0.0.1:18080 \
 *     --token $OPERATOR_TOKEN [--pairs 1] [--window 128] [--warmup 5] [--duration 20] [--unrelated-breaker]
 *     [--server-pid PID] [--receiver-url http://127.0.0.1:18082]
 * </pre>
 * With {@code --receiver-url} the receivers connect to another replica of a cluster, so every message
 * crosses replicas.
 * The operator token needs scope {@code enrol} (and {@code intervene} for
 * {@code --unrelated-breaker}, which opens a circuit breaker on an agent outside the test, so the
 * enforcer has an active intervention to look at on every message).
 */
public final class BusLoad {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int HIST_MICROS = 1_000_000;

    private BusLoad() {
    }

    /** One receiver's counts; written by its WebSocket listener thread only. */
    static final class Receiver implements WebSocket.Listener {
        final int[] hist = new int[HIST_MICROS + 1];
        final AtomicLong received = new AtomicLong();
        volatile boolean measuring;
        private final StringBuilder buf = new StringBuilder();

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            buf.append(data);
            if (last) {
                long now = System.nanoTime();
                int i = buf.indexOf("\"t\":");
                if (i >= 0) {
                    long t = 0;
                    for (int k = i + 4; k < buf.length() && Character.isDigit(buf.charAt(k)); k++) {
                        t = t * 10 + (buf.charAt(k) - '0');
                    }
                    if (measuring) {
                        long us = (now - t) / 1000;
                        hist[(int) Math.max(0, Math.min(HIST_MICROS, us))]++;
                    }
                    received.incrementAndGet();
                }
                buf.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    /** One sender's acks and errors; releases a window slot for each answer. */
    static final class Sender implements WebSocket.Listener {
        final Semaphore window;
        final AtomicLong acks = new AtomicLong();
        final Map<String, Long> errors = new TreeMap<>();
        private final StringBuilder buf = new StringBuilder();

        Sender(int window) {
            this.window = new Semaphore(window);
        }

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            buf.append(data);
            if (last) {
                String s = buf.toString();
                buf.setLength(0);
                if (s.startsWith("{\"type\":\"connected\"")) { // the server registered this sender: answers nothing
                    ws.request(1);
                    return null;
                }
                if (s.startsWith("{\"type\":\"ack\"")) {
                    acks.incrementAndGet();
                } else {
                    String code = s.replaceAll("(?s).*\"error\":\"([^\"]*)\".*", "$1");
                    synchronized (errors) {
                        errors.merge(code.length() > 40 ? "other" : code, 1L, Long::sum);
                    }
                }
                window.release();
            }
            ws.request(1);
            return null;
        }
    }

    private static void start(String[] args) throws Exception {
        String url = "http://127.0.0.1:8080";
        String receiverUrl = null;
        String token = System.getenv("AURA_BENCH_TOKEN");
        int pairs = 1;
        int window = 128;
        int warmup = 5;
        int duration = 20;
        boolean breaker = false;
        long serverPid = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--unrelated-breaker")) {
                breaker = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--url" -> url = v;
                case "--receiver-url" -> receiverUrl = v;
                case "--token" -> token = v;
                case "--pairs" -> pairs = positive(a, v);
                case "--window" -> window = positive(a, v);
                case "--warmup" -> warmup = positive(a, v);
                case "--duration" -> duration = positive(a, v);
                case "--server-pid" -> serverPid = positive(a, v);
                default -> throw new IllegalArgumentException("unknown option '" + a
                        + "'; options are --url, --receiver-url, --token, --pairs, --window, --warmup, --duration, --unrelated-breaker, --server-pid");
            }
        }
        if (token == null) {
            throw new IllegalArgumentException("an operator token with scope enrol is needed: --token or AURA_BENCH_TOKEN");
        }
        run(url, receiverUrl == null ? url : receiverUrl, token, pairs, window, warmup, duration, breaker, serverPid);
        System.exit(0); // the HTTP client's threads are not daemons on every JDK
    }

    /** Entry point: bad options and refusals of the server end in one line on stderr and exit 2. */
    public static void main(String[] args) throws Exception {
        try {
            start(args);
        } catch (IllegalArgumentException | IllegalStateException | java.io.IOException
                | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable c = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            String why = c.getMessage() == null ? c.toString() : c.getMessage();
            System.err.println("bus-load: " + (c instanceof java.io.IOException ? "cannot reach the server (--url): " + why : why));
            System.exit(2);
        }
    }

    private static int positive(String name, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a positive integer, got '" + v + "'");
    }

    private static String enrol(HttpClient http, String url, String token, String agent) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/a2a/auth/agent"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"agent_id\":\"" + agent + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("enrolment of " + agent + " answered " + r.statusCode() + ": " + r.body());
        }
        return MAPPER.readTree(r.body()).path("token").asText();
    }

    /**
     * @param receiverUrl the server the receivers connect to: another replica of a cluster (AURA_CLUSTER_MEMBERS), or url
     */
    static void run(String url, String receiverUrl, String token, int pairs, int window, int warmup, int duration, boolean breaker,
            long serverPid) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        if (breaker) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/intervene"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"agents\":[\"bench_unrelated\"],"
                            + "\"intervention_type\":\"circuit_breaker\",\"parameters\":{\"duration\":3600}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new IllegalStateException("intervene answered " + r.statusCode() + ": " + r.body());
            }
            JsonNode iv = MAPPER.readTree(r.body());
            System.out.println("# active intervention: " + iv.path("intervention_type").asText() + " on bench_unrelated, id "
                    + iv.path("id").asText());
        }
        String ws = url.replaceFirst("^http", "ws");
        List<Sender> senders = new ArrayList<>();
        List<Receiver> receivers = new ArrayList<>();
        List<WebSocket> senderSockets = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            String a = "bench_a_" + p;
            String b = "bench_b_" + p;
            Receiver rec = new Receiver();
            http.newWebSocketBuilder().header("Authorization", "Bearer " + enrol(http, receiverUrl, token, b))
                    .buildAsync(URI.create(receiverUrl.replaceFirst("^http", "ws") + "/ws/a2a/" + b), rec).get(10, TimeUnit.SECONDS);
            Sender snd = new Sender(window);
            senderSockets.add(http.newWebSocketBuilder().header("Authorization", "Bearer " + enrol(http, url, token, a))
                    .buildAsync(URI.create(ws + "/ws/a2a/" + a), snd).get(10, TimeUnit.SECONDS));
            senders.add(snd);
            receivers.add(rec);
        }
        long start = System.nanoTime();
        long end = start + (warmup + duration) * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            Sender snd = senders.get(p);
            WebSocket sock = senderSockets.get(p);
            String prefix = "{\"to_agent\":\"bench_b_" + p + "\",\"type\":\"bench\",\"payload\":{\"seq\":";
            Thread t = Thread.ofPlatform().name("sender-" + p).start(() -> {
                long seq = 0;
                try {
                    while (System.nanoTime() < end) {
                        if (!snd.window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                            continue;
                        }
                        sock.sendText(prefix + seq++ + ",\"t\":" + System.nanoTime() + "}}", true).join();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            threads.add(t);
        }
        Thread.sleep(warmup * 1000L);
        long r0 = 0;
        long a0 = 0;
        for (int p = 0; p < pairs; p++) {
            receivers.get(p).measuring = true;
            r0 += receivers.get(p).received.get();
            a0 += senders.get(p).acks.get();
        }
        long m0 = System.nanoTime();
        long cpu0 = cpuTicks(serverPid);
        Thread.sleep(duration * 1000L);
        long cpu1 = cpuTicks(serverPid);
        long r1 = 0;
        long a1 = 0;
        for (int p = 0; p < pairs; p++) {
            receivers.get(p).measuring = false;
            r1 += receivers.get(p).received.get();
            a1 += senders.get(p).acks.get();
        }
        double secs = (System.nanoTime() - m0) / 1e9;
        for (Thread t : threads) {
            t.join();
        }
        long[] hist = new long[HIST_MICROS + 1];
        long n = 0;
        Map<String, Long> errors = new TreeMap<>();
        for (int p = 0; p < pairs; p++) {
            int[] h = receivers.get(p).hist;
            for (int i = 0; i <= HIST_MICROS; i++) {
                hist[i] += h[i];
                n += h[i];
            }
            synchronized (senders.get(p).errors) {
                senders.get(p).errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
            }
        }
        System.out.printf(Locale.ROOT, "pairs %d, window %d, warm-up %d s, measured %.1f s%n", pairs, window, warmup, secs);
        System.out.printf(Locale.ROOT, "relayed (received by B) %d messages: %.0f messages/s; acks %.0f/s%n",
                r1 - r0, (r1 - r0) / secs, (a1 - a0) / secs);
        System.out.printf(Locale.ROOT, "latency send -> receive (%d samples): p50 %s  p90 %s  p99 %s  p99.9 %s  max %s%n", n,
                pct(hist, n, 0.50), pct(hist, n, 0.90), pct(hist, n, 0.99), pct(hist, n, 0.999), pct(hist, n, 1.0));
        if (cpu0 >= 0 && cpu1 >= cpu0 && r1 > r0) {
            // CPU time, not wall time: on a VM whose neighbours steal cycles, messages/s moves run to run while
            // the server's CPU per message does not
            double cpuSecs = (cpu1 - cpu0) / 100.0;
            System.out.printf(Locale.ROOT, "server CPU in the measured interval: %.2f s (%.0f%% of one core), %.2f us per relayed message%n",
                    cpuSecs, 100 * cpuSecs / secs, cpuSecs * 1e6 / (r1 - r0));
        }
        System.out.println("error frames (whole run): " + (errors.isEmpty() ? "none" : errors));
    }

    /** utime + stime of a process in clock ticks (USER_HZ, 100 on Linux), or -1 without a pid or /proc. */
    static long cpuTicks(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // after "pid (comm) ": f[0] is field 3, state
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The smallest latency with at least a share q of the samples at or below it. */
    private static String pct(long[] hist, long n, double q) {
        if (n == 0) {
            return "-";
        }
        long need = Math.max(1, (long) Math.ceil(q * n));
        long seen = 0;
        for (int i = 0; i <= HIST_MICROS; i++) {
            seen += hist[i];
            if (seen >= need) {
                return i == HIST_MICROS ? ">1 s" : String.format(Locale.ROOT, "%.2f ms", i / 1000.0);
            }
        }
        return ">1 s";
    }
}
