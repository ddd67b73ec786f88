package io.aura.server;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * OpenTelemetry traces (OTEL_EXPORTER_OTLP_ENDPOINT): a server span per HTTP request, continuing
 * the caller's W3C {@code traceparent}, with child spans for the work inside (persistent homology,
 * the cascade prediction); exported in batches over OTLP/HTTP by a background thread. The trace and
 * span ids go into the JSON logs' MDC. Without an endpoint nothing is started and every span is
 * OpenTelemetry's no-op.
 *
 * <p>A collector that is down or slow never holds up a request: spans wait in a bounded queue (2 048)
 * and are dropped when it is full; exports time out after 10 s.
 */
final class Tracing implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
    private static final String SPAN = "aura.span";
    private static final String SCOPE = "aura.scope";
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("aura.request_id");

    private static final TextMapGetter<Context> HEADERS = new TextMapGetter<>() {
        @Override
        public String get(Context ctx, String key) {
            return ctx == null ? null : ctx.header(key);
        }
    };

    private final SdkTracerProvider provider; // null: off
    private final Tracer tracer;

    private Tracing(SdkTracerProvider provider, Tracer tracer) {
        this.provider = provider;
        this.tracer = tracer;
    }

    /** Tracing as configured: off (no-op) without an endpoint. */
    static Tracing start(ServerConfig.Otlp c, String version) {
        if (c == null) {
            return new Tracing(null, OpenTelemetry.noop().getTracer("aura"));
        }
        OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder().setEndpoint(c.endpoint()).setTimeout(Duration.ofSeconds(10));
        for (Map.Entry<String, String> h : c.headers().entrySet()) {
            exporter.addHeader(h.getKey(), h.getValue());
        }
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), c.serviceName(), AttributeKey.stringKey("service.version"), version)));
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(resource)
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(c.sampleRatio())))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter.build())
                        .setScheduleDelay(Duration.ofMillis(c.scheduleDelayMs()))
                        .setMaxQueueSize(2_048)
                        .build())
                .build();
        LOG.info("traces: OTLP/HTTP to {}", c);
        return new Tracing(provider, provider.get("io.aura.server", version));
    }

    /** Whether spans are recorded and exported. */
    boolean enabled() {
        return provider != null;
    }

    /** Starts the request's server span (the caller's trace if it sent a traceparent) and makes it current. */
    void begin(Context ctx, String requestId) {
        if (provider == null) {
            return;
        }
        io.opentelemetry.context.Context parent = W3CTraceContextPropagator.getInstance()
                .extract(io.opentelemetry.context.Context.root(), ctx, HEADERS);
        String method = ctx.method().name();
        String path = ctx.path();
        Span span = tracer.spanBuilder(method).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, method)
                .setAttribute(PATH, path.length() > 256 ? path.substring(0, 256) : path)
                .setAttribute(REQUEST_ID, requestId)
                .startSpan();
        ctx.attribute(SPAN, span);
        ctx.attribute(SCOPE, span.makeCurrent());
        if (span.getSpanContext().isValid()) {
            MDC.put("trace_id", span.getSpanContext().getTraceId());
            MDC.put("span_id", span.getSpanContext().getSpanId());
        }
    }

    /** Ends the request's server span: named by its route, with the status; 5xx is an error. */
    void end(Context ctx, int status, String route) {
        Span span = ctx.attribute(SPAN);
        if (span == null) {
            return;
        }
        span.updateName(ctx.method().name() + " " + route);
        span.setAttribute(ROUTE, route);
        span.setAttribute(STATUS, (long) status);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
        Scope scope = ctx.attribute(SCOPE);
        if (scope != null) {
            scope.close();
        }
        MDC.remove("trace_id");
        MDC.remove("span_id");
    }

    /** Runs {@code work} in a child span of the current one; what it throws marks the span as failed. */
    <T> T inSpan(String name, Supplier<T> work, java.util.function.BiConsumer<Span, T> describe) {
        if (provider == null) {
            return work.get();
        }
        Span span = tracer.spanBuilder(name).startSpan();
        Scope scope = span.makeCurrent();
        try {
            T result = work.get();
            describe.accept(span, result);
            return result;
        } catch (RuntimeException | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            scope.close();
            span.end();
        }
    }

    /** Sends the spans still queued (waiting at most 5 s) and stops the exporter. */
    @Override
    public void close() {
        if (provider != null) {
            provider.shutdown().join(5, TimeUnit.SECONDS);
        }
    }
}
