package io.aura.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aura.tda.DistanceMatrix;
import io.aura.tda.PersistenceResult;
import io.aura.tda.PointCloud;
import io.aura.tda.RipsOptions;
import io.aura.tda.SparseDistanceMatrix;
import io.aura.tda.TdaInputException;
import io.aura.tda.VietorisRips;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /api/v1/analyze}: validates the request, runs Vietoris–Rips persistent homology
 * ({@code aura-tda}) on a bounded worker pool with the request timeout, and builds the
 * {@link AnalyzeDocument}. Results are cached by request content: in memory (LRU, {@code TDA_CACHE_SIZE}),
 * then in the shared Redis cache when one is configured ({@link RedisCache}), then computed.
 */
final class AnalyzeService implements AutoCloseable {

    /** The algorithm names the endpoint accepts (each a real computation). */
    static final List<String> ALGORITHMS = List.of("persistent_homology");
    /** Input types. */
    static final List<String> INPUT_TYPES = List.of("point_cloud", "distance_matrix", "weighted_graph");

    private final ServerConfig config;
    private final ThreadPoolExecutor pool;
    private final Map<String, ObjectNode> cache;
    private final RedisCache redis;

    /**
     * @param redis the shared cache; null: memory only
     */
    AnalyzeService(ServerConfig config, RedisCache redis) {
        this.config = config;
        this.redis = redis;
        int threads = config.lnnInferenceThreads();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(Math.max(64, 16 * threads)),
                Thread.ofPlatform().name("aura-analyze-", 0).daemon(true).factory());
        int capacity = config.tdaCacheSize();
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ObjectNode> eldest) {
                return size() > capacity;
            }
        };
    }

    /** A validated request. */
    record Request(String inputType, Object input, RipsOptions options, Double scale, int curveSamples,
            Integer ambientDimension, int points, String cacheKey) {
    }

    /** Parses and validates a request body. */
    Request parse(ObjectNode body) {
        Json.onlyFields(body, List.of("topology_data", "algorithm", "input_type", "parameters"), "");
        String algorithm = Json.string(body, "algorithm", "algorithm");
        if (algorithm != null && !ALGORITHMS.contains(algorithm)) {
            throw new ApiException(400, "unknown_algorithm", "unknown algorithm '" + abbreviate(algorithm)
                    + "'; supported: " + String.join(", ", ALGORITHMS), "algorithm");
        }
        String type = Json.string(body, "input_type", "input_type");
        if (type == null) {
            type = "point_cloud";
        }
        if (!INPUT_TYPES.contains(type)) {
            throw ApiException.invalid("input_type", "unknown input_type '" + abbreviate(type) + "'; supported: "
                    + String.join(", ", INPUT_TYPES));
        }
        ObjectNode params = Json.obj(body, "parameters", "parameters");
        if (params == null) {
            params = Json.object();
        }
        for (var it = params.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!List.of("max_dimension", "max_edge_length", "modulus", "scale", "curve_samples").contains(f)) {
                throw ApiException.invalid("parameters." + abbreviate(f), "unknown parameter '" + abbreviate(f)
                        + "'; parameters are max_dimension, max_edge_length, modulus, scale, curve_samples");
            }
        }
        Integer maxDim = Json.integer(params, "max_dimension", "parameters.max_dimension", 0, config.maxHomologyDimension());
        Double edge = Json.number(params, "max_edge_length", "parameters.max_edge_length");
        if (edge != null && (edge < 0 || edge > Float.MAX_VALUE)) {
            throw ApiException.invalid("parameters.max_edge_length", "parameters.max_edge_length must be in 0..3.4e38, got " + edge);
        }
        Integer modulus = Json.integer(params, "modulus", "parameters.modulus", 2, RipsOptions.MAX_MODULUS);
        if (modulus != null && !RipsOptions.isPrime(modulus)) {
            throw ApiException.invalid("parameters.modulus", "modulus must be a prime <= " + RipsOptions.MAX_MODULUS + ", got " + modulus);
        }
        Double scale = Json.number(params, "scale", "parameters.scale");
        if (scale != null && (scale < 0 || (edge != null && scale > edge))) {
            // beyond the cut, classes the filtration never closed would be counted as alive
            throw ApiException.invalid("parameters.scale", "scale must be " + (edge == null ? ">= 0" : "in 0..max_edge_length (" + edge + ")")
                    + ": the Betti numbers are known only up to where the filtration was cut, got " + scale);
        }
        Integer samples = Json.integer(params, "curve_samples", "parameters.curve_samples", 1, 10_000);
        RipsOptions options;
        try {
            options = RipsOptions.builder().maxDimension(maxDim == null ? 1 : maxDim)
                    .threshold(edge == null ? RipsOptions.NO_THRESHOLD : (float) (double) edge)
                    .modulus(modulus == null ? 2 : modulus).threads(1).build();
        } catch (TdaInputException e) {
            throw ApiException.invalid("parameters", e.getMessage());
        }

        JsonNode data = body.get("topology_data");
        if (data == null || data.isNull()) {
            throw ApiException.invalid("topology_data", "topology_data is required: "
                    + "rows of coordinates (point_cloud), a square matrix (distance_matrix) or [source, target, weight] edges (weighted_graph)");
        }
        if (!data.isArray()) {
            throw ApiException.invalid("topology_data", "topology_data must be an array of arrays, got " + Json.kind(data));
        }
        if (data.isEmpty()) {
            throw ApiException.invalid("topology_data", "topology_data must not be empty");
        }
        int limit = type.equals("weighted_graph") ? config.tdaBatchSize() * 64 : config.tdaBatchSize();
        if (data.size() > limit) {
            throw new ApiException(413, "too_many_points", "topology_data has " + data.size() + " rows; at most " + limit
                    + (type.equals("weighted_graph") ? " edges" : " points") + " per request (TDA_BATCH_SIZE)", "topology_data");
        }
        String key = config.tdaCacheSize() > 0 || redis != null
                ? cacheKey(type, data, options, scale, samples) : null; // hashing costs a re-serialisation
        try {
            return switch (type) {
                case "point_cloud" -> {
                    double[][] rows = rows(data, config.maxTopologyDimension(), -1);
                    checkCoordinates(rows);
                    yield new Request(type, PointCloud.of(rows), options, scale, samples == null ? 64 : samples,
                            rows[0].length, rows.length, key);
                }
                case "distance_matrix" -> {
                    double[][] rows = rows(data, config.tdaBatchSize(), data.size());
                    checkMatrix(rows);
                    yield new Request(type, DistanceMatrix.ofFull(rows), options, scale, samples == null ? 64 : samples,
                            null, rows.length, key);
                }
                default -> {
                    double[][] edges = rows(data, 3, 3);
                    SparseDistanceMatrix.Builder b = SparseDistanceMatrix.builder(0);
                    for (int e = 0; e < edges.length; e++) {
                        int i = vertex(edges[e][0], e, 0);
                        int j = vertex(edges[e][1], e, 1);
                        double w = edges[e][2];
                        if (w < 0 || (float) w == Float.POSITIVE_INFINITY) {
                            throw ApiException.invalid("topology_data[" + e + "][2]", "edge weights must be in 0..3.4e38, got " + w);
                        }
                        b.add(i, j, (float) w);
                    }
                    SparseDistanceMatrix m = b.build();
                    if (m.size() == 0) { // only self-loops, which the diagonal's zero already is
                        throw ApiException.invalid("topology_data", "the weighted graph has no edge between two different vertices"
                                + " (an edge [i, i, w] is ignored: a vertex's distance to itself is 0)");
                    }
                    yield new Request(type, m, options, scale, samples == null ? 64 : samples, null, m.size(), key);
                }
            };
        } catch (TdaInputException e) {
            throw ApiException.invalid("topology_data", e.getMessage());
        }
    }

    private int vertex(double v, int edge, int k) {
        if (v != Math.rint(v) || v < 0 || v >= config.tdaBatchSize()) {
            throw ApiException.invalid("topology_data[" + edge + "][" + k + "]", "vertex indices must be integers in 0.."
                    + (config.tdaBatchSize() - 1) + " (TDA_BATCH_SIZE), got " + v);
        }
        return (int) v;
    }

    /** Rows of finite numbers, each of the same length (exact when given, else at most maxLen). */
    private static double[][] rows(JsonNode data, int maxLen, int exactLen) {
        double[][] out = new double[data.size()][];
        int width = -1;
        for (int i = 0; i < data.size(); i++) {
            JsonNode row = data.get(i);
            String p = "topology_data[" + i + "]";
            if (!row.isArray()) {
                throw ApiException.invalid(p, p + " must be an array of numbers, got " + Json.kind(row));
            }
            if (row.isEmpty()) {
                throw ApiException.invalid(p, p + " is empty");
            }
            if (exactLen > 0 && row.size() != exactLen) {
                throw ApiException.invalid(p, p + " has " + row.size() + " values; it needs " + exactLen);
            }
            if (row.size() > maxLen) {
                throw new ApiException(413, "dimension_too_large", p + " has " + row.size()
                        + " values; at most " + maxLen + " (MAX_TOPOLOGY_DIMENSION)", p);
            }
            if (width >= 0 && row.size() != width) {
                throw ApiException.invalid(p, p + " has " + row.size() + " values but topology_data[0] has " + width
                        + "; all rows need the same length");
            }
            width = row.size();
            out[i] = new double[width];
            for (int k = 0; k < width; k++) {
                out[i][k] = Json.finite(row.get(k), p + "[" + k + "]");
            }
        }
        return out;
    }

    /**
     * Coordinates small enough that no squared distance overflows the engine's float distances:
     * |x| ≤ √(3.4e38 / D) / 2 in D dimensions (2.9e18 at D = 10). Beyond it, distances became
     * Infinity and points that are far apart never joined: a wrong answer instead of an error.
     */
    private static void checkCoordinates(double[][] rows) {
        int d = rows[0].length;
        double bound = Math.sqrt(Float.MAX_VALUE / d) / 2;
        for (int i = 0; i < rows.length; i++) {
            for (int k = 0; k < d; k++) {
                if (Math.abs(rows[i][k]) > bound) {
                    throw ApiException.invalid("topology_data[" + i + "][" + k + "]", String.format(java.util.Locale.ROOT,
                            "coordinates must be within ±%.3g in %d dimensions (distances are float32), got %s", bound, d, rows[i][k]));
                }
            }
        }
    }

    private static void checkMatrix(double[][] m) {
        int n = m.length;
        for (int i = 0; i < n; i++) {
            if (m[i][i] != 0) {
                throw ApiException.invalid("topology_data[" + i + "][" + i + "]", "a distance matrix has zeros on its diagonal, got " + m[i][i]);
            }
            for (int j = 0; j < i; j++) {
                if (m[i][j] < 0 || m[i][j] > Float.MAX_VALUE) { // the engine keeps distances as float
                    throw ApiException.invalid("topology_data[" + i + "][" + j + "]", "distances must be in 0..3.4e38, got " + m[i][j]);
                }
                if (m[i][j] != m[j][i]) {
                    throw ApiException.invalid("topology_data[" + j + "][" + i + "]", "a distance matrix must be symmetric: ["
                            + i + "][" + j + "] = " + m[i][j] + " but [" + j + "][" + i + "] = " + m[j][i]);
                }
            }
        }
    }

    /**
     * Runs the computation on the pool within REQUEST_TIMEOUT_SECONDS.
     *
     * @return the document (a cached one is copied) and whether it came from a cache
     * @throws ApiException 503 when the pool is full or the timeout passes
     */
    Result run(Request r) {
        ObjectNode cached = cached(r.cacheKey());
        if (cached != null) {
            return new Result(cached.deepCopy(), true, 0);
        }
        if (redis != null) {
            ObjectNode shared = redis.get(r.cacheKey());
            if (shared != null) {
                remember(r.cacheKey(), shared.deepCopy());
                return new Result(shared, true, 0);
            }
        }
        Future<ObjectNode> f;
        long t0 = System.nanoTime();
        try {
            f = pool.submit(() -> compute(r));
        } catch (RejectedExecutionException e) {
            throw new ApiException(503, "busy", "all " + pool.getMaximumPoolSize()
                    + " analysis workers are busy and the queue is full; retry shortly", null);
        }
        try {
            ObjectNode doc = f.get(config.requestTimeoutSeconds(), TimeUnit.SECONDS);
            long nanos = System.nanoTime() - t0;
            remember(r.cacheKey(), doc.deepCopy());
            if (redis != null) {
                redis.put(r.cacheKey(), doc);
            }
            return new Result(doc, false, nanos);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new ApiException(503, "timeout", "the analysis did not finish within REQUEST_TIMEOUT_SECONDS="
                    + config.requestTimeoutSeconds() + " s; use fewer points, a lower max_dimension or a max_edge_length", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new ApiException(503, "interrupted", "the server is shutting down", null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TdaInputException t) {
                throw ApiException.invalid("topology_data", t.getMessage());
            }
            if (e.getCause() instanceof OutOfMemoryError) {
                throw new ApiException(503, "out_of_memory", "the analysis needs more memory than the server has;"
                        + " use fewer points, a lower max_dimension or a max_edge_length", null);
            }
            if (e.getCause() instanceof java.util.concurrent.CancellationException) { // the pool was stopped under it
                throw new ApiException(503, "interrupted", "the server is shutting down", null);
            }
            throw new IllegalStateException("analysis failed", e.getCause());
        }
    }

    /**
     * Runs other bounded work (predict's graph form) on the same pool, queue and timeout as the
     * analyses, so that large requests cannot pile up beyond the pool.
     *
     * @throws ApiException 503 when the pool is full or the timeout passes
     */
    <T> T runBounded(java.util.concurrent.Callable<T> work) {
        Future<T> f;
        try {
            f = pool.submit(work);
        } catch (RejectedExecutionException e) {
            throw new ApiException(503, "busy", "all " + pool.getMaximumPoolSize()
                    + " analysis workers are busy and the queue is full; retry shortly", null);
        }
        try {
            return f.get(config.requestTimeoutSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new ApiException(503, "timeout", "the prediction did not finish within REQUEST_TIMEOUT_SECONDS="
                    + config.requestTimeoutSeconds() + " s; send fewer agents", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new ApiException(503, "interrupted", "the server is shutting down", null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException a) {
                throw a;
            }
            if (e.getCause() instanceof OutOfMemoryError) {
                throw new ApiException(503, "out_of_memory", "the prediction needs more memory than the server has; send fewer agents", null);
            }
            if (e.getCause() instanceof java.util.concurrent.CancellationException) { // the pool was stopped under it
                throw new ApiException(503, "interrupted", "the server is shutting down", null);
            }
            throw new IllegalStateException("prediction failed", e.getCause());
        }
    }

    private void remember(String key, ObjectNode doc) {
        if (config.tdaCacheSize() > 0) {
            synchronized (cache) {
                cache.put(key, doc);
            }
        }
    }

    private ObjectNode cached(String key) {
        if (config.tdaCacheSize() == 0) {
            return null;
        }
        synchronized (cache) {
            return cache.get(key);
        }
    }

    /** A document and how it was obtained. */
    record Result(ObjectNode document, boolean cacheHit, long computeNanos) {
    }

    private static ObjectNode compute(Request r) {
        PersistenceResult result = switch (r.input()) {
            case PointCloud p -> VietorisRips.compute(p, r.options());
            case DistanceMatrix d -> VietorisRips.compute(d, r.options());
            case SparseDistanceMatrix s -> VietorisRips.compute(s, r.options());
            default -> throw new IllegalStateException("unexpected input " + r.input().getClass());
        };
        return AnalyzeDocument.build(r.inputType().replace('_', '-'), r.ambientDimension(),
                r.inputType().equals("weighted_graph") ? AnalyzeDocument.InputKind.SPARSE : AnalyzeDocument.InputKind.DENSE,
                r.options(), result, r.scale(), r.curveSamples());
    }

    private static String cacheKey(String type, JsonNode data, RipsOptions o, Double scale, Integer samples) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((type + "|" + o + "|" + scale + "|" + samples + "|").getBytes(StandardCharsets.UTF_8));
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8192);
            digest(md, buf, data);
            buf.flip();
            md.update(buf);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Feeds a JSON value to the digest by structure: arrays as size + elements, numbers as the bits
     * of their double value (what the computation uses; no decimal re-formatting), anything else as
     * its text. Equal inputs give equal keys; [1] and [1.0] share one.
     */
    private static void digest(MessageDigest md, java.nio.ByteBuffer buf, JsonNode n) {
        if (buf.remaining() < 16) {
            buf.flip();
            md.update(buf);
            buf.clear();
        }
        if (n.isArray()) {
            buf.put((byte) '[').putInt(n.size());
            for (JsonNode e : n) {
                digest(md, buf, e);
            }
        } else if (n.isNumber()) {
            buf.put((byte) 'n').putLong(Double.doubleToLongBits(n.doubleValue()));
        } else {
            byte[] t = n.toString().getBytes(StandardCharsets.UTF_8);
            buf.put((byte) 's').putInt(t.length);
            buf.flip();
            md.update(buf);
            buf.clear();
            md.update(t);
        }
    }

    private static String abbreviate(String s) {
        String t = s.length() <= 40 ? s : s.substring(0, 37) + "...";
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** The insert of one signature; its arguments are {@link #signatureRow}. */
    static final String INSERT_SIGNATURE = "INSERT INTO signatures (id, created_at, created_by, algorithm, input_format, points,"
            + " max_dimension, cut, betti, summaries, diagrams) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** The row of a document's signature, in {@link #INSERT_SIGNATURE}'s order. */
    static Object[] signatureRow(String id, long nowMs, String actor, ObjectNode doc) {
        ArrayNode betti = (ArrayNode) doc.at("/betti_numbers/values");
        return new Object[] {id, nowMs, actor, doc.path("algorithm").asText(), doc.at("/input/format").asText(),
                doc.at("/input/points").asInt(), doc.at("/parameters/max_dimension").asInt(),
                doc.at("/filtration/threshold").asDouble(), Json.write(betti), Json.write(doc.get("summaries")),
                Json.write(doc.get("diagrams"))};
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
