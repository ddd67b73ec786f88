package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Traces over OTLP/HTTP to a collector in the test that decodes them with the OTLP protocol's own classes. */
class TracingTest {

    static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    static final String PARENT = "b7ad6b7169203331";

    /** A minimal OTLP/HTTP traces receiver: keeps every decoded export and its headers. */
    static final class Collector implements AutoCloseable {
        final HttpServer http;
        final List<ExportTraceServiceRequest> exports = new CopyOnWriteArrayList<>();
        final List<String> apiKeys = new CopyOnWriteArrayList<>();

        Collector() throws IOException {
            http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/v1/traces", ex -> {
                byte[] body = ex.getRequestBody().readAllBytes();
                exports.add(ExportTraceServiceRequest.parseFrom(body));
                String key = ex.getRequestHeaders().getFirst("api-key");
                if (key != null) {
                    apiKeys.add(key);
                }
                ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                ex.sendResponseHeaders(200, -1);
                ex.close();
            });
            http.start();
        }

        String endpoint() {
            return "http://127.0.0.1:" + http.getAddress().getPort();
        }

        List<Span> spans() {
            List<Span> out = new ArrayList<>();
            for (ExportTraceServiceRequest r : exports) {
                for (ResourceSpans rs : r.getResourceSpansList()) {
                    for (ScopeSpans ss : rs.getScopeSpansList()) {
                        out.addAll(ss.getSpansList());
                    }
                }
            }
            return out;
        }

        Span await(Predicate<Span> p, String what) throws InterruptedException {
            long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < end) {
                Optional<Span> s = spans().stream().filter(p).findFirst();
                if (s.isPresent()) {
                    return s.get();
                }
                Thread.sleep(20);
            }
            throw new AssertionError("no span within 15 s: " + what + "; got " + spans().stream().map(Span::getName).toList());
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }

    static String hex(com.google.protobuf.ByteString b) {
        return HexFormat.of().formatHex(b.toByteArray());
    }

    static String attr(Span s, String key) {
        for (KeyValue kv : s.getAttributesList()) {
            if (kv.getKey().equals(key)) {
                var v = kv.getValue();
                return v.hasIntValue() ? Long.toString(v.getIntValue()) : v.hasBoolValue() ? Boolean.toString(v.getBoolValue()) : v.getStringValue();
            }
        }
        return null;
    }

    static Map<String, String> env(String endpoint) {
        return Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint, "OTEL_SERVICE_NAME", "aura-test", "OTEL_BSP_SCHEDULE_DELAY", "50",
                "OTEL_EXPORTER_OTLP_HEADERS", "api-key=s3cret%2Cx");
    }

    @Test
    void requestSpansContinueTheCallersTraceAndHoldTheWorkInside(@TempDir Path dir) throws Exception {
        try (Collector c = new Collector(); TestServer s = new TestServer(env(c.endpoint()), dir)) {
            String op = s.token("analyze", "read");
            TestServer.Response r = s.send(HttpRequest.newBuilder(s.uri("/api/v1/analyze"))
                    .header("traceparent", "00-" + TRACE + "-" + PARENT + "-01").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"topology_data\": [[0,0],[1,0],[0,1],[1,1]]}")), op);
            assertThat(r.status()).isEqualTo(200);
            String requestId = r.raw().headers().firstValue("X-Request-Id").orElseThrow();

            Span server = c.await(sp -> sp.getName().equals("POST /api/v1/analyze"), "the analyze request's server span");
            assertThat(hex(server.getTraceId())).isEqualTo(TRACE);
            assertThat(hex(server.getParentSpanId())).isEqualTo(PARENT);
            assertThat(server.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
            assertThat(attr(server, "http.route")).isEqualTo("/api/v1/analyze");
            assertThat(attr(server, "http.request.method")).isEqualTo("POST");
            assertThat(attr(server, "http.response.status_code")).isEqualTo("200");
            assertThat(attr(server, "aura.request_id")).isEqualTo(requestId);
            Span ph = c.await(sp -> sp.getName().equals("tda.persistent_homology"), "the persistent homology span");
            assertThat(ph.getTraceId()).isEqualTo(server.getTraceId());
            assertThat(ph.getParentSpanId()).isEqualTo(server.getSpanId());
            assertThat(attr(ph, "aura.points")).isEqualTo("4");
            assertThat(attr(ph, "aura.cache_hit")).isEqualTo("false");
            assertThat(ph.getEndTimeUnixNano()).isLessThanOrEqualTo(server.getEndTimeUnixNano());
            assertThat(c.exports.get(0).getResourceSpans(0).getResource().getAttributesList())
                    .anyMatch(kv -> kv.getKey().equals("service.name") && kv.getValue().getStringValue().equals("aura-test"));
            assertThat(c.apiKeys).contains("s3cret,x"); // OTEL_EXPORTER_OTLP_HEADERS, percent-decoded

            // a new trace without a traceparent; predict's own span; a bad request is a span, not an error
            assertThat(s.post("/api/v1/predict", op, "{\"agents\": [\"a1\", \"a2\"]}").status()).isEqualTo(200);
            Span predictServer = c.await(sp -> sp.getName().equals("POST /api/v1/predict"), "the predict request's server span");
            assertThat(hex(predictServer.getTraceId())).isNotEqualTo(TRACE);
            assertThat(predictServer.getParentSpanId().isEmpty()).isTrue();
            Span predict = c.await(sp -> sp.getName().equals("cascade.predict"), "the prediction span");
            assertThat(predict.getParentSpanId()).isEqualTo(predictServer.getSpanId());
            assertThat(s.post("/api/v1/analyze", op, "{\"topology_data\": [[0, \"x\"]]}").status()).isEqualTo(400);
            Span bad = c.await(sp -> sp.getName().equals("POST /api/v1/analyze") && "400".equals(attr(sp, "http.response.status_code")),
                    "the bad request's span");
            assertThat(bad.getStatus().getCode()).isNotEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
        }
    }

    @Test
    void anUnsampledCallerIsNotRecorded(@TempDir Path dir) throws Exception {
        try (Collector c = new Collector(); TestServer s = new TestServer(env(c.endpoint()), dir)) {
            String unsampled = "fedcba9876543210fedcba9876543210";
            TestServer.Response r = s.send(HttpRequest.newBuilder(s.uri("/health/live"))
                    .header("traceparent", "00-" + unsampled + "-" + PARENT + "-00").GET(), null);
            assertThat(r.status()).isEqualTo(200);
            s.send(HttpRequest.newBuilder(s.uri("/health/live")).header("traceparent", "00-" + TRACE + "-" + PARENT + "-01").GET(), null);
            c.await(sp -> hex(sp.getTraceId()).equals(TRACE), "the sampled request's span");
            Thread.sleep(200); // a further export or two
            assertThat(c.spans()).noneMatch(sp -> hex(sp.getTraceId()).equals(unsampled));
        }
    }

    @Test
    void aCollectorThatIsDownHoldsUpNoRequest(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        long t0 = System.nanoTime();
        try (TestServer s = new TestServer(env("http://127.0.0.1:" + port), dir)) {
            String op = s.token("analyze");
            for (int i = 0; i < 20; i++) {
                assertThat(s.post("/api/v1/analyze", op, "{\"topology_data\": [[0,0],[1,0],[0," + i + "]]}").status()).isEqualTo(200);
            }
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void configurationErrorsNameTheKey() {
        Map<String, String> base = Map.of("AURA_JWT_SECRET", TestServer.SECRET);
        assertThat(config(base, Map.of()).otlp()).isNull();
        assertThat(config(base, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_TRACES_EXPORTER", "none")).otlp()).isNull();
        ServerConfig.Otlp o = config(base, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318/", "OTEL_EXPORTER_OTLP_HEADERS", "k=secret")).otlp();
        assertThat(o.endpoint()).isEqualTo("http://c:4318/v1/traces");
        assertThat(o.serviceName()).isEqualTo("aura");
        assertThat(o.sampleRatio()).isEqualTo(1.0);
        assertThat(o.toString()).contains("[k]").doesNotContain("secret");
        assertThat(config(base, Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://c/custom")).otlp().endpoint()).isEqualTo("https://c/custom");
        assertThat(config(base, Map.of("OTEL_TRACES_SAMPLER_ARG", "0.5")).warnings()).anyMatch(w -> w.startsWith("OTEL_TRACES_SAMPLER_ARG is set"));
        for (Map.Entry<Map<String, String>, String> bad : Map.of(
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "c:4318"), "OTEL_EXPORTER_OTLP_ENDPOINT",
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), "OTEL_EXPORTER_OTLP_PROTOCOL",
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_TRACES_SAMPLER_ARG", "2"), "OTEL_TRACES_SAMPLER_ARG",
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_EXPORTER_OTLP_HEADERS", "novalue"), "OTEL_EXPORTER_OTLP_HEADERS",
                Map.of("OTEL_TRACES_EXPORTER", "zipkin"), "OTEL_TRACES_EXPORTER").entrySet()) {
            assertThatThrownBy(() -> config(base, bad.getKey())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad.getValue());
        }
    }

    private static ServerConfig config(Map<String, String> base, Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(base);
        env.putAll(extra);
        return ServerConfig.fromEnv(env, 0, Path.of("."), null);
    }
}
