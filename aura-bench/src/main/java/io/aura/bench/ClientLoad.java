package io.aura.bench;

import io.aura.client.AgentConnection;
import io.aura.client.AuraClient;
import io.aura.client.Credential;
import io.aura.client.Delivery;
import io.aura.client.Enrolment;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent bus driven through the Java client ({@code aura-client}) instead of raw WebSockets:
 * {@link BusLoad}'s set-up (N pairs, A_i sends to B_i, at most {@code window} unanswered sends per
 * sender) with {@link AgentConnection#send} and its futures. Reports messages/s, and the CPU time of
 * this process (senders, receivers and the client library) and of the server per message.
 *
 * <pre>
 * java -cp aura-bench/target/aura-benchmarks.jar io.aura.bench.ClientLoad --url http://127.0.0.1:18081 \
 *     --token $OPERATOR_TOKEN [--pairs 1] [--window 128] [--warmup 5] [--duration 20] [--server-pid PID]
 * </pre>
 */
public final class ClientLoad {

    private ClientLoad() {
    }

    public static void main(String[] args) throws Exception {
        String url = "http://127.0.0.1:8080";
        String token = System.getenv("AURA_BENCH_TOKEN");
        int pairs = 1;
        int window = 128;
        int warmup = 5;
        int duration = 20;
        long serverPid = -1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[++i] : "";
            switch (a) {
                case "--url" -> url = v;
                case "--token" -> token = v;
                case "--pairs" -> pairs = Integer.parseInt(v);
                case "--window" -> window = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--duration" -> duration = Integer.parseInt(v);
                case "--server-pid" -> serverPid = Long.parseLong(v);
                default -> {
                    System.err.println("ClientLoad: unknown option '" + a + "'; options are --url, --token, --pairs, --window, --warmup,"
                            + " --duration, --server-pid");
                    System.exit(2);
                }
            }
        }
        if (token == null || pairs < 1 || window < 1 || warmup < 0 || duration < 1) {
            System.err.println("ClientLoad: needs --token (or AURA_BENCH_TOKEN) with scope enrol, and positive --pairs, --window, --duration");
            System.exit(2);
        }
        AuraClient client = AuraClient.create(url);
        Credential cred = Credential.operatorToken(token);
        LongAdder received = new LongAdder();
        Map<String, LongAdder> errors = new java.util.concurrent.ConcurrentHashMap<>();
        List<AgentConnection> open = new ArrayList<>();
        List<Thread> senders = new ArrayList<>();
        AtomicLong stopAt = new AtomicLong(Long.MAX_VALUE);
        String run = Long.toHexString(System.nanoTime());
        for (int p = 0; p < pairs; p++) {
            String to = "cl-b" + p + "-" + run;
            open.add(client.connect(client.enrol(cred, Enrolment.of(to)), (conn, m) -> received.increment()));
            AgentConnection from = client.connect(client.enrol(cred, Enrolment.of("cl-a" + p + "-" + run)), (conn, m) -> { });
            open.add(from);
            int w = window;
            senders.add(Thread.ofPlatform().name("sender-" + p).start(() -> {
                Semaphore slots = new Semaphore(w);
                Map<String, Integer> payload = Map.of("n", 1);
                while (System.nanoTime() < stopAt.get()) {
                    slots.acquireUninterruptibly();
                    CompletableFuture<Delivery> f = from.send(to, "load", payload);
                    f.whenComplete((d, e) -> {
                        if (e != null) {
                            Throwable c = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                            errors.computeIfAbsent(c instanceof io.aura.client.AuraException x ? x.error() : c.toString(), k -> new LongAdder())
                                    .increment();
                        }
                        slots.release();
                    });
                }
            }));
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Thread.sleep(warmup * 1000L);
        long r0 = received.sum();
        long c0 = os.getProcessCpuTime();
        long s0 = BusLoad.cpuTicks(serverPid);
        long t0 = System.nanoTime();
        Thread.sleep(duration * 1000L);
        long r1 = received.sum();
        long c1 = os.getProcessCpuTime();
        long s1 = BusLoad.cpuTicks(serverPid);
        double secs = (System.nanoTime() - t0) / 1e9;
        stopAt.set(0);
        for (Thread t : senders) {
            t.join();
        }
        for (AgentConnection c : open) {
            c.close();
        }
        long n = r1 - r0;
        System.out.printf(Locale.ROOT, "aura-client: pairs %d, window %d, warm-up %d s, measured %.1f s%n", pairs, window, warmup, secs);
        System.out.printf(Locale.ROOT, "relayed (received by B) %d messages: %.0f messages/s%n", n, n / secs);
        if (n > 0) {
            System.out.printf(Locale.ROOT, "client process CPU (senders, receivers, library): %.2f us per message%n", (c1 - c0) / 1e3 / n);
            if (s0 >= 0 && s1 >= s0) {
                System.out.printf(Locale.ROOT, "server CPU: %.2f us per message%n", (s1 - s0) / 100.0 * 1e6 / n);
            }
        }
        Map<String, Long> e = new java.util.TreeMap<>();
        errors.forEach((k, v) -> e.put(k, v.sum()));
        System.out.println("failed sends (whole run): " + (e.isEmpty() ? "none" : e));
        System.exit(0);
    }
}
