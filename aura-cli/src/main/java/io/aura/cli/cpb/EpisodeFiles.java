package io.aura.cli.cpb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aura.cascade.predict.FeatureExtractor;
import io.aura.cascade.sim.EpisodeParams;
import io.aura.cascade.sim.EpisodeResult;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The per-episode outputs, written as episodes finish (in the run's deterministic order):
 * {@code episodes.csv}, one row per episode, and {@code manifests.jsonl}, one self-contained
 * manifest per episode (spec 1.1: git SHA, master seed, family, parameters, fault, SUT version,
 * trace SHA-256). Only the timing columns {@link #TIMING_COLUMNS} differ between two runs of the same
 * command; {@code predict_p50_ms} and {@code predict_p99_ms} (wall time of the guard's {@code predict}
 * calls in the episode) are empty for arms that are not SUT arms.
 *
 * <p>With {@code --feature-scores}, also {@code samples.csv}: one row per SUT episode and post-fault
 * evaluation time (the samples every AUROC of the summary is computed on), with its label, the risk,
 * the simple baseline predictors (i)–(iv) and every column of the model's feature vector, so that a
 * ranking can be taken apart sample by sample.
 */
final class EpisodeFiles implements Closeable {
    /** The CSV header; {@code onset*} are empty when the threshold was never reached. */
    static final List<String> COLUMNS = List.of("arm", "seed", "family", "fault", "t_f_s", "faulted", "S", "S_peak",
            "U_s", "availability", "onset5_s", "onset10_s", "onset25_s", "actions", "entry_offered", "entry_succeeded",
            "mean_entry_latency_ms", "events", "requests", "crashes", "wall_ms", "cpu_ms", "trace_sha256",
            "predict_p50_ms", "predict_p99_ms", "entry_lost_protection");
    /** The files a run writes only once every episode ran; removed when a run starts. */
    static final List<String> RUN_RESULTS = List.of("summary.json", "report.md", "ccdf.png", "pareto.png");
    /** Columns holding wall or CPU time measurements, which differ between two runs. */
    static final List<String> TIMING_COLUMNS = List.of("wall_ms", "cpu_ms", "predict_p50_ms", "predict_p99_ms");

    /** The columns of {@code samples.csv} before the baselines' and the features' ({@link #sampleColumns}). */
    static final List<String> SAMPLE_COLUMNS = List.of("arm", "seed", "t_s", "label", "risk");

    private final BufferedWriter csv;
    private final BufferedWriter manifests;
    private final BufferedWriter samples; // null without --feature-scores
    private final ObjectMapper mapper;
    private final ObjectNode common;

    EpisodeFiles(Path dir, ObjectMapper mapper, ObjectNode common) throws IOException {
        this(dir, mapper, common, false);
    }

    /** As above; {@code featureSamples}: also write {@code samples.csv} (run with {@code --feature-scores}). */
    EpisodeFiles(Path dir, ObjectMapper mapper, ObjectNode common, boolean featureSamples) throws IOException {
        this.mapper = mapper;
        this.common = common;
        // an earlier run's results (--force): a run stopped before it writes its own must not leave them beside its
        // partial episodes.csv, where they would read as this run's; pareto.png is also absent from a run without b0
        for (String f : RUN_RESULTS) {
            Files.deleteIfExists(dir.resolve(f));
        }
        this.csv = Files.newBufferedWriter(dir.resolve("episodes.csv"), StandardCharsets.UTF_8);
        this.manifests = Files.newBufferedWriter(dir.resolve("manifests.jsonl"), StandardCharsets.UTF_8);
        csv.write(String.join(",", COLUMNS));
        csv.write('\n');
        csv.flush(); // a run stopped before its first episode ends leaves the header, not an empty file
        if (featureSamples) {
            samples = Files.newBufferedWriter(dir.resolve("samples.csv"), StandardCharsets.UTF_8);
            samples.write(String.join(",", sampleColumns()));
            samples.write('\n');
            samples.flush();
        } else {
            samples = null;
            Files.deleteIfExists(dir.resolve("samples.csv")); // an earlier run's (--force): never mixed with this one
        }
    }

    /**
     * The header of {@code samples.csv}: {@link #SAMPLE_COLUMNS}, then {@code baseline_i} … {@code baseline_iv}
     * (spec 6.4's simple predictors, {@link BaselineScores#NAMES}), then the feature names of
     * {@link FeatureExtractor#NAMES}.
     */
    static List<String> sampleColumns() {
        List<String> c = new java.util.ArrayList<>(SAMPLE_COLUMNS);
        for (String b : BaselineScores.NAMES) {
            c.add("baseline_" + b.substring(1, b.indexOf(')')));
        }
        c.addAll(FeatureExtractor.NAMES);
        return c;
    }

    /** The run-wide part of every episode manifest. */
    static ObjectNode common(ObjectMapper mapper, RunInfo info, CpbRunner.Plan plan) {
        ObjectNode o = mapper.createObjectNode();
        o.put("git_sha", info.gitSha());
        o.put("aura_version", info.auraVersion());
        o.put(plan.source().kind(), plan.source().name());
        if (plan.source().fileSha256() != null) {
            o.put("topology_file", info.topologyFile());
            o.put("topology_file_sha256", plan.source().fileSha256());
        }
        o.put("alpha", plan.alpha());
        if (plan.fluid()) {
            o.put("dynamics", "D3-fluid");
            if (plan.fluidStep() > 0) { // --step; absent: the spec's step for the size (0.1 s, 1 s from 100 000 agents)
                o.put("fluid_step_s", plan.fluidStep());
            }
        }
        o.set("params", params(mapper, plan.params()));
        o.put("fault_magnitude_scale", info.faultScale());
        o.put("fault_magnitude_scale_source", info.faultScaleSource());
        if (info.calibration() != null) {
            ObjectNode c = o.putObject("regime_calibration");
            c.put("scale", info.calibration().scale());
            c.put("P_B0(S>0.1)", info.calibration().probability());
            c.put("episodes", info.calibration().episodes());
            c.put("in_range", info.calibration().inRange());
        }
        return o;
    }

    /** Every component of {@link EpisodeParams}, by its record component names. */
    static ObjectNode params(ObjectMapper mapper, EpisodeParams p) {
        return mapper.valueToTree(p);
    }

    void write(CpbRunner.EpisodeRecord e, Arm arm, String family) {
        EpisodeResult r = e.result();
        double[] predictMs = PredictionMetrics.episodeLatencyMs(r);
        String[] row = {
            e.arm(), Long.toString(e.seed()), EpisodeExplain.csv(family), r.faultApplied().name(), num(r.faultTimeSec()),
            Integer.toString(r.faultedAgents().length), num(r.cascadeSize()), num(r.cascadePeak()), num(r.failedFractionSeconds()),
            num(r.availability()),
            opt(r.onset5Sec()), opt(r.onset10Sec()), opt(r.onset25Sec()), Integer.toString(r.actionCount()),
            Long.toString(r.entryOffered()), Long.toString(r.entrySucceeded()), num(r.meanEntryLatencyMs()),
            Long.toString(r.events()), Long.toString(r.requests()), Long.toString(r.crashes()),
            Long.toString(Math.round(e.wallNanos() / 1e6)), e.cpuNanos() < 0 ? "" : Long.toString(Math.round(e.cpuNanos() / 1e6)),
            r.traceSha256(), num(predictMs[0]), num(predictMs[1]),
            r.entryLostToProtection() < 0 ? "" : Long.toString(r.entryLostToProtection())};
        ObjectNode m = mapper.createObjectNode();
        m.put("arm", e.arm());
        m.put("seed", e.seed());
        m.put("sut_version", arm.sutVersion());
        m.setAll(common);
        m.put("topology_sha256", e.topologySha256());
        m.put("agents", e.agents());
        m.put("fault_applied", r.faultApplied().name());
        m.put("t_f_s", r.faultTimeSec());
        ArrayNode faulted = m.putArray("faulted_agents");
        for (int a : r.faultedAgents()) {
            faulted.add(a);
        }
        m.put("trace_sha256", r.traceSha256());
        try {
            csv.write(String.join(",", row));
            csv.write('\n');
            manifests.write(mapper.writeValueAsString(m));
            manifests.write('\n');
            double[][] series = e.baselineScores();
            if (samples != null && series.length == BaselineScores.FEATURES_FROM + FeatureExtractor.NAMES.size()) {
                PredictionMetrics.Samples at = PredictionMetrics.samples(r, r.riskBySecond(), -1);
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < at.times().length; i++) {
                    long t = at.times()[i];
                    line.setLength(0);
                    line.append(e.arm()).append(',').append(e.seed()).append(',').append(num(t / 1e9)).append(',')
                            .append(at.labels()[i] ? 1 : 0).append(',').append(num(PredictionMetrics.riskAt(r.riskBySecond(), t)));
                    for (double[] s : series) {
                        line.append(',').append(num(PredictionMetrics.riskAt(s, t)));
                    }
                    samples.write(line.append('\n').toString());
                }
                samples.flush();
            }
            // each finished episode reaches the disk at once: a long run (a 1e6-agent fluid episode takes
            // most of an hour) that is stopped keeps the rows it finished
            csv.flush();
            manifests.flush();
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot serialise a manifest", ex);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    private static String opt(OptionalDouble v) {
        return v.isPresent() ? num(v.getAsDouble()) : "";
    }

    @Override
    public void close() throws IOException {
        try (csv; manifests; samples) {
            csv.flush();
            manifests.flush();
        }
    }
}
