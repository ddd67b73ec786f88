package io.aura.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aura.client.AgentConnection;
import io.aura.client.AuraClient;
import io.aura.client.AuraException;
import io.aura.client.Credential;
import io.aura.client.Enrolment;
import io.aura.client.RefusedException;
import io.aura.client.Telemetry;
import io.aura.server.AuraServer;
import io.aura.server.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aura demo}: three agents on the bus (gateway → orders → payments) talking through the Java
 * client, calm at first, then payments saturates and fails most calls; prints what AURA sees (cascade
 * risk, critical agents) and does (the policy's interventions, the bus's refusals).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run a small agent system on the bus that AURA watches: gateway calls orders, orders calls payments;",
            "after a calm phase payments saturates (it reports CPU 0.97, a growing queue, p99 4 s) and fails 3 calls in 4.",
            "Prints the cascade risk and the critical agents every 20 s of the server's time, each intervention the policy",
            "makes and the refusals the agents meet, then a summary.",
            "Without --url it starts its own server (embedded H2 in a temporary directory, AURA_POLICY=auto) whose prediction",
            "loop ticks every --tick-ms instead of every second, so that the guard's 300-s warm-up and the run take",
            "(300 + calm + fault) x tick ms: about 30 s with the defaults."},
        footer = {"%nExamples:",
            "  aura demo",
            "  aura demo --calm 120 --fault 120",
            "  AURA_ENROLMENT_KEY=k AURA_POLICY=auto aura serve --dev &   # then, with its token:",
            "  aura demo --url http://localhost:8080 --token $TOKEN --tick-ms 1000   # about 8 minutes"})
public final class DemoCommand implements Callable<Integer> {

    static final int WARM_UP_SECONDS = 300; // the guard recommends nothing before (docs/api.md, "Not yet")
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--calm", paramLabel = "SEC", defaultValue = "60",
            description = "seconds (server time) of calm traffic after the warm-up, 0..3600 (default ${DEFAULT-VALUE})")
    int calm;

    @Option(names = "--fault", paramLabel = "SEC", defaultValue = "60",
            description = "seconds (server time) of the saturated payments agent, 1..3600 (default ${DEFAULT-VALUE})")
    int fault;

    @Option(names = "--tick-ms", paramLabel = "MS",
            description = "the server's prediction interval: 50..1000 for the embedded server (default 50); with --url, the"
                    + " AURA_PREDICTION_INTERVAL_MS of that server (default 1000)")
    Integer tickMs;

    @Option(names = "--url", paramLabel = "URL", description = "a running server (http://host:port) instead of an embedded one")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "with --url: an operator token with scopes enrol, analyze and read")
    String token;

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (calm < 0 || calm > 3600) {
                throw new IllegalArgumentException("--calm must be in 0..3600 seconds, got " + calm);
            }
            if (fault < 1 || fault > 3600) {
                throw new IllegalArgumentException("--fault must be in 1..3600 seconds, got " + fault);
            }
            int tick = tickMs != null ? tickMs : url == null ? 50 : 1000;
            if (tick < 50 || tick > 1000) {
                throw new IllegalArgumentException("--tick-ms must be in 50..1000, got " + tick);
            }
            if (url != null && (token == null || token.isBlank())) {
                throw new IllegalArgumentException("--url needs --token: an operator token with scopes enrol, analyze and read (aura token)");
            }
            if (url == null && token != null) {
                throw new IllegalArgumentException("--token only goes with --url");
            }
            if (url != null) {
                try {
                    AuraClient.builder(url); // a malformed URL is refused here
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--url must be http://host[:port] or https://host[:port], got " + url, e);
                }
                return run(url, token, tick, out);
            }
            quietServerLogs();
            Path data = Files.createTempDirectory("aura-demo");
            Map<String, String> env = new HashMap<>();
            byte[] secret = new byte[48];
            new SecureRandom().nextBytes(secret);
            env.put("AURA_JWT_SECRET", Base64.getEncoder().encodeToString(secret));
            env.put("AURA_POLICY", "auto");
            env.put("AURA_PREDICTION_INTERVAL_MS", Integer.toString(tick));
            try (AuraServer server = AuraServer.start(ServerConfig.fromEnv(env, 0, data, null), Clock.systemUTC())) {
                String op = server.tokens().operator("aura-demo", Set.of("enrol", "analyze", "read"), Duration.ofHours(2));
                out.printf(Locale.ROOT, "embedded server on http://127.0.0.1:%d (H2 in %s, AURA_POLICY=auto, prediction every %d ms:"
                        + " 1 s of server time = %d ms)%n", server.port(), data, tick, tick);
                return run("http://127.0.0.1:" + server.port(), op, tick, out);
            } finally {
                deleteTree(data);
            }
        } catch (IllegalArgumentException e) {
            err.println("aura demo: " + e.getMessage());
            return 2;
        } catch (AuraException e) {
            err.println("aura demo: " + e.getMessage());
            return 1;
        }
    }

    /** What the agents see, counted from their own threads. */
    static final class Counts {
        final LongAdder requests = new LongAdder();
        final LongAdder charges = new LongAdder();
        final LongAdder paymentErrors = new LongAdder();
        final LongAdder gatewayErrors = new LongAdder();
        final Map<String, LongAdder> refused = new ConcurrentHashMap<>();

        void refusal(Throwable t) {
            Throwable c = t instanceof java.util.concurrent.CompletionException ? t.getCause() : t;
            if (c instanceof RefusedException r) {
                refused.computeIfAbsent(r.error() + (r.local() ? " (held back by the client)" : " (refused by the bus)"),
                        k -> new LongAdder()).increment();
            }
        }
    }

    private int run(String base, String op, int tick, PrintWriter out) throws Exception {
        AuraClient client = AuraClient.create(base);
        Credential cred = Credential.operatorToken(op);
        Counts n = new Counts();
        long start = System.nanoTime();
        long faultAt = start + (long) (WARM_UP_SECONDS + calm) * tick * 1_000_000L;
        long end = faultAt + (long) fault * tick * 1_000_000L;
        AtomicLong faultOn = new AtomicLong(); // 0 before the fault, 1 during it
        try (AgentConnection payments = client.connect(client.enrol(cred, Enrolment.of("payments")), (conn, m) -> {
                 // saturated: 3 calls in 4 fail (hash of the message id), answered with an error
                 if (faultOn.get() == 1 && "charge".equals(m.type()) && Math.floorMod(m.id().hashCode(), 4) != 0) {
                     conn.send(m.fromAgent(), "error", Map.of("error", "overloaded")).exceptionally(t -> null);
                 }
             });
             AgentConnection orders = client.connect(client.enrol(cred, Enrolment.of("orders")), (conn, m) -> {
                 if ("request".equals(m.type())) {
                     n.charges.increment();
                     conn.send("payments", "charge", m.payload()).exceptionally(t -> {
                         n.refusal(t);
                         return null;
                     });
                 } else if ("error".equals(m.type())) { // payments failed: so does the order
                     n.paymentErrors.increment();
                     conn.send("gateway", "error", Map.of("error", "payment failed")).exceptionally(t -> null);
                 }
             });
             AgentConnection gateway = client.connect(client.enrol(cred, Enrolment.of("gateway")), (conn, m) -> {
                 if ("error".equals(m.type())) {
                     n.gatewayErrors.increment();
                 }
             })) {
            out.printf(Locale.ROOT, "agents gateway -> orders -> payments connected; warm-up %d s, calm %d s, then payments saturates for %d s"
                    + " (server time)%n", WARM_UP_SECONDS, calm, fault);
            long period = Math.max(1, tick / 5); // 5 requests and reports per second of server time
            long nextReport = start;
            long queue = 0;
            double peakBefore = 0;
            double peakDuring = 0;
            // what a running server (--url) already had is not the demo's: neither shown nor counted
            Set<String> seen = new HashSet<>();
            for (JsonNode iv : get(base + "/api/v1/interventions?state=all&limit=1000", op).path("interventions")) {
                seen.add(iv.path("id").asText());
            }
            int created = 0;
            long nextLook = start;
            long order = 0;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                boolean faulty = now >= faultAt;
                if (faulty && faultOn.getAndSet(1) == 0) {
                    out.printf(Locale.ROOT, "[t=%4d s] payments saturates: CPU 0.97, queue growing, p99 4 s, 3 calls in 4 fail%n", serverSeconds(now, start, tick));
                }
                gateway.send("orders", "request", Map.of("order", ++order)).exceptionally(t -> {
                    n.refusal(t);
                    return null;
                });
                n.requests.increment();
                if (now >= nextReport) {
                    nextReport = now + period * 1_000_000L;
                    gateway.report(Telemetry.EMPTY.withCpuUtilisation(0.3).withQueueLength(0).withLatencyMs(20, 40, 60).withHealthyInstances(2));
                    orders.report(faulty ? Telemetry.EMPTY.withCpuUtilisation(0.6).withQueueLength(5).withLatencyMs(200, 900, 1500).withHealthyInstances(2)
                            : Telemetry.EMPTY.withCpuUtilisation(0.4).withQueueLength(0).withLatencyMs(15, 30, 45).withHealthyInstances(2));
                    payments.report(faulty ? Telemetry.EMPTY.withCpuUtilisation(0.97).withQueueLength(queue += 10).withLatencyMs(1500, 3000, 4000).withHealthyInstances(1)
                            : Telemetry.EMPTY.withCpuUtilisation(0.4).withQueueLength(0).withLatencyMs(10, 25, 30).withHealthyInstances(1));
                }
                if (now >= nextLook) { // every 20 s of server time: what AURA says and does
                    nextLook = now + 20L * tick * 1_000_000L;
                    JsonNode p = post(base + "/api/v1/predict", op, "{\"agents\": [\"gateway\", \"orders\", \"payments\"]}");
                    double risk = p.path("cascade_risk").asDouble();
                    if (faulty) {
                        peakDuring = Math.max(peakDuring, risk);
                    } else {
                        peakBefore = Math.max(peakBefore, risk);
                    }
                    List<String> critical = new ArrayList<>();
                    for (JsonNode c : p.path("critical_agents")) {
                        if (critical.size() < 2) {
                            critical.add(c.path("agent_id").asText() + " (" + c.path("reason").asText() + ")");
                        }
                    }
                    out.printf(Locale.ROOT, "[t=%4d s] cascade risk %.3f; critical: %s%n", serverSeconds(now, start, tick), risk,
                            critical.isEmpty() ? "none yet" : String.join("; ", critical));
                    // the new interventions, grouped: the policy re-issues a limit whenever its rate moves
                    Map<String, double[]> fresh = new TreeMap<>(); // "by: type on agents" -> {count, min rate, max rate}
                    for (JsonNode iv : get(base + "/api/v1/interventions?state=all&limit=1000", op).path("interventions")) {
                        if (seen.add(iv.path("id").asText())) {
                            created++;
                            double rate = iv.at("/parameters/rate").asDouble(Double.NaN);
                            double[] g = fresh.computeIfAbsent(iv.path("created_by").asText() + ": " + iv.path("intervention_type").asText()
                                    + " on " + iv.path("agents"), k -> new double[] {0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
                            g[0]++;
                            g[1] = Math.min(g[1], rate);
                            g[2] = Math.max(g[2], rate);
                        }
                    }
                    for (Map.Entry<String, double[]> e : fresh.entrySet()) {
                        double[] g = e.getValue();
                        out.printf(Locale.ROOT, "[t=%4d s]   intervention by %s, %d new%s%n", serverSeconds(now, start, tick), e.getKey(), (int) g[0],
                                Double.isFinite(g[1]) ? String.format(Locale.ROOT, ", %.1f-%.1f messages/s", g[1], g[2]) : "");
                    }
                    out.flush();
                }
                Thread.sleep(period);
            }
            out.println("summary:");
            out.printf(Locale.ROOT, "  gateway sent %d requests; orders forwarded %d charges; payments failed %d; gateway saw %d errors%n",
                    n.requests.sum(), n.charges.sum(), n.paymentErrors.sum(), n.gatewayErrors.sum());
            out.printf(Locale.ROOT, "  cascade risk: peak %.3f before the fault, %.3f during it%n", peakBefore, peakDuring);
            out.printf(Locale.ROOT, "  interventions: %d%n", created);
            Map<String, Long> refused = new TreeMap<>();
            n.refused.forEach((k, v) -> refused.put(k, v.sum()));
            out.printf(Locale.ROOT, "  refusals the agents met: %s%n", refused.isEmpty() ? "none" : refused);
            out.flush();
            return 0;
        }
    }

    private static long serverSeconds(long now, long start, int tick) {
        return (now - start) / 1_000_000L / tick;
    }

    private JsonNode post(String uri, String op, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), op);
    }

    private JsonNode get(String uri, String op) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(uri)).GET(), op);
    }

    private JsonNode send(HttpRequest.Builder b, String op) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(b.header("Authorization", "Bearer " + op).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode j = JSON.readTree(r.body());
        if (r.statusCode() >= 300) {
            throw new AuraException(r.statusCode(), j.path("error").asText("http_" + r.statusCode()), j.path("message").asText(r.body()), null);
        }
        return j;
    }

    /** The embedded server's request log would bury the demo's lines. */
    private static void quietServerLogs() {
        org.slf4j.Logger root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger l) {
            l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
