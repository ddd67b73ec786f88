package io.aura.cli.cpb;

import io.aura.cascade.metrics.BootstrapInterval;
import io.aura.cascade.metrics.LatencyStats;
import io.aura.cascade.metrics.LeadTime;
import io.aura.cascade.metrics.PredictionQuality;
import io.aura.cascade.predict.FeatureExtractor;
import io.aura.cascade.random.Streams;
import io.aura.cascade.sim.EpisodeResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Prediction metrics of one SUT arm ({@link Arm.Guarded}) of a CPB run, from the per-second risk and
 * predict timings the simulator recorded ({@link EpisodeResult#riskBySecond()},
 * {@link EpisodeResult#predictNanos()}); the computations are those of {@code io.aura.cascade.metrics}.
 *
 * <ul>
 *   <li><b>Prediction quality</b> (spec 6.4), post-fault, H = 60 s, X = 10%: evaluation times
 *       {@link PredictionQuality#postFaultEvalTimes} (every 5 s from t_f up to min(t_on, t_f + 600 s)),
 *       and not after T − 60 s (a later label is censored by the episode's end; the convention of
 *       {@code PredictorTraining}), labels {@link PredictionQuality#labels} with the arm's own
 *       episode's t_f and t_on(10%). The
 *       score at time t is the risk the guard returned at the last control tick at or before t (the
 *       prediction available at t). Samples of all the arm's episodes are pooled; the AUROC interval
 *       is an episode bootstrap. In a full-mode arm the guard's actions change the outcome, so its
 *       labels are those of its own (protected) episodes; in the predict-only arm the episode is B0's.
 *   <li><b>Lead time</b> (spec 6.5): θ = {@link LeadTime#chooseThreshold} at ≤ 1 false alarm per 24 h
 *       of simulated time per 1 000 agents on the arm's risk traces of the benign episodes (those
 *       where b0 had S &lt; 1% on the same seed; without b0 in the run, those where the arm itself had
 *       S &lt; 1%). A benign trace covers the seconds where a warning could count, [t_f − 60 s, T].
 *       The spec fixes θ on dev seeds; here the run's own seeds are used, which favours the SUT.
 *       Then t_warn and LT = t_on(10%) − t_warn for every episode of the arm that reached t_on(10%);
 *       the pre-onset action rate for full-mode arms when b0 ran.
 *   <li><b>Predict latency</b> (spec 6.8 asks for JMH; this is the in-harness wall time of each
 *       {@code predict} call, {@code System.nanoTime} around the call, on a machine running other
 *       episodes in parallel): p50, p99, p99.9, max over every call of the arm.
 * </ul>
 * A metric that cannot be computed (one class only, no benign or no cascading episode, …) is NaN
 * with a reason; nothing here throws on such data.
 */
public final class PredictionMetrics {
    /** Primary horizon H of spec 6.4 (60 s). */
    public static final long HORIZON_NANOS = 60_000_000_000L;
    /** Primary onset fraction X of spec 6.4 (t_on(10%)). */
    public static final double ONSET_X = 0.10;
    /** Benign episodes: b0's S below this (spec 6.5). */
    public static final double BENIGN_MAX_S = 0.01;
    private static final long SEC = 1_000_000_000L;
    private static final double SECONDS_PER_DAY = 86_400.0;

    /**
     * Post-fault prediction quality (spec 6.4).
     *
     * @param episodes episodes that contributed samples
     * @param samples evaluation samples pooled over the episodes
     * @param positives samples with y = 1
     * @param prevalence positives / samples (NaN without samples)
     * @param auroc AUROC (NaN with one class)
     * @param aurocCi episode-bootstrap interval of the AUROC (null with one class)
     * @param auprc average precision (NaN with one class)
     * @param brier Brier score (NaN without samples)
     * @param brierSkill Brier skill versus the prevalence (NaN with one class)
     * @param ece expected calibration error, 10 bins (NaN without samples)
     * @param reason why some values are NaN, or null
     */
    public record Quality(int episodes, int samples, int positives, double prevalence, double auroc,
            BootstrapInterval aurocCi, double auprc, double brier, double brierSkill, double ece, String reason,
            BootstrapInterval eceCi) {
        /** Without an ECE interval. */
        public Quality(int episodes, int samples, int positives, double prevalence, double auroc,
                BootstrapInterval aurocCi, double auprc, double brier, double brierSkill, double ece, String reason) {
            this(episodes, samples, positives, prevalence, auroc, aurocCi, auprc, brier, brierSkill, ece, reason, null);
        }
    }

    /**
     * Warning threshold and lead time (spec 6.5).
     *
     * @param benignFrom how benign episodes were chosen
     * @param benignEpisodes benign episodes used for θ
     * @param benignSeconds simulated seconds of benign risk trace
     * @param threshold θ with its false-alarm count (null without benign episodes)
     * @param falseAlarmsPerDayPer1000Agents the false-alarm rate at θ on the benign traces (NaN without)
     * @param cascades the arm's episodes that reached t_on(10%)
     * @param leadTimesSeconds LT per cascading episode in seed order, −∞ when never warned (empty without θ)
     * @param lead the lead-time summary (null without cascades or θ)
     * @param reason why θ or the lead time is missing, or null
     * @param preOnsetActionRate pre-onset action rate (NaN when undefined)
     * @param preOnsetReason why it is undefined, or null
     * @param preOnsetActionRateNearFault the same, counting only actions from t_f − 60 s on (an action
     *     long before the fault, e.g. in the warm-up, is not a response to the cascade); NaN when undefined
     */
    public record Lead(String benignFrom, int benignEpisodes, long benignSeconds, LeadTime.Threshold threshold,
            double falseAlarmsPerDayPer1000Agents, int cascades, double[] leadTimesSeconds, LeadTime.Summary lead,
            String reason,
            double preOnsetActionRate, String preOnsetReason, double preOnsetActionRateNearFault) {
        public Lead {
            leadTimesSeconds = leadTimesSeconds.clone();
        }

        @Override
        public double[] leadTimesSeconds() {
            return leadTimesSeconds.clone();
        }
    }

    /**
     * In-harness predict latency.
     *
     * @param latency percentiles over every call (null when no call was recorded)
     * @param agentsMin smallest agent count among the arm's episodes
     * @param agentsMax largest agent count
     * @param reason why the latency is missing, or null
     */
    public record Latency(LatencyStats.Summary latency, int agentsMin, int agentsMax, String reason) {
    }

    /**
     * Everything for one SUT arm.
     *
     * @param predictOnly whether the arm ran in predict-only mode
     * @param quality spec 6.4
     * @param lead spec 6.5
     * @param latency spec 6.8 (in-harness)
     */
    public record ArmPrediction(boolean predictOnly, Quality quality, Lead lead, Latency latency, Quality allTime,
            List<Baseline> baselines, List<Baseline> features) {
        public ArmPrediction {
            baselines = List.copyOf(baselines);
            features = List.copyOf(features);
        }
    }

    /**
     * A simple baseline predictor of spec 6.4 scored on the same post-fault samples as the arm's risk:
     * (i)-(iv) as raw scores (AUROC and AUPRC only; Brier and ECE need probabilities and are NaN), (v) as
     * the probability of the shipped logistic regression on (i)-(iv) (every metric).
     *
     * @param name the predictor ({@link BaselineScores#NAMES}, then {@link BaselineScores#V_NAME})
     * @param quality its post-fault quality
     */
    public record Baseline(String name, Quality quality) {
    }

    private PredictionMetrics() {
    }

    /**
     * Computes the prediction metrics of a SUT arm.
     *
     * @param arm the arm's name (bootstrap seed)
     * @param predictOnly whether it ran predict-only
     * @param episodes the arm's episodes, seed order
     * @param b0 b0's episodes of the same run (paired by seed), or null when b0 did not run
     * @param firstSeed first seed of the run
     * @return the metrics
     */
    public static ArmPrediction of(String arm, boolean predictOnly, List<CpbRunner.EpisodeRecord> episodes,
            List<CpbRunner.EpisodeRecord> b0, long firstSeed) {
        return of(arm, predictOnly, episodes, b0, firstSeed, null, 0);
    }

    /**
     * As {@link #of(String, boolean, List, List, long)}, with θ fixed on a dev run when {@code devTheta} is
     * given (spec 6.5); this run's benign episodes then only count the false alarms at that θ.
     */
    static ArmPrediction of(String arm, boolean predictOnly, List<CpbRunner.EpisodeRecord> episodes,
            List<CpbRunner.EpisodeRecord> b0, long firstSeed, DevThresholds.Theta devTheta) {
        return of(arm, predictOnly, episodes, b0, firstSeed, devTheta, 0);
    }

    /**
     * As above; the all-time value is evaluated from {@code warmupSec} on (the episode's warm-up, a
     * cold start from empty queues, belongs to no metric).
     */
    static ArmPrediction of(String arm, boolean predictOnly, List<CpbRunner.EpisodeRecord> episodes,
            List<CpbRunner.EpisodeRecord> b0, long firstSeed, DevThresholds.Theta devTheta, long warmupSec) {
        Map<Long, EpisodeResult> b0BySeed = null;
        if (b0 != null) {
            b0BySeed = new HashMap<>();
            for (CpbRunner.EpisodeRecord e : b0) {
                b0BySeed.put(e.seed(), e.result());
            }
        }
        List<Baseline> baselines = new ArrayList<>();
        for (int b = 0; b < BaselineScores.NAMES.size(); b++) {
            int col = b;
            boolean recorded = !episodes.isEmpty();
            for (CpbRunner.EpisodeRecord e : episodes) {
                recorded &= e.baselineScores().length > col;
            }
            if (recorded) {
                baselines.add(new Baseline(BaselineScores.NAMES.get(b), quality(arm + "/baseline-" + b, episodes, firstSeed,
                        e -> e.baselineScores()[col], false, -1)));
            }
        }
        if (baselines.size() == BaselineScores.NAMES.size()) {
            // (v): the shipped logistic regression on (i)-(iv), a probability like the risk
            io.aura.cascade.predict.RiskModel vm = io.aura.cascade.predict.RiskModel.shippedBaselineV();
            io.aura.cascade.predict.RiskFit v = vm.fit(vm.primaryIndex());
            baselines.add(new Baseline(BaselineScores.V_NAME, quality(arm + "/baseline-v", episodes, firstSeed,
                    e -> baselineV(v, e.baselineScores()), true, -1)));
        }
        List<Baseline> features = new ArrayList<>();
        boolean allFeatures = !episodes.isEmpty();
        for (CpbRunner.EpisodeRecord e : episodes) {
            allFeatures &= e.baselineScores().length == BaselineScores.FEATURES_FROM + FeatureExtractor.NAMES.size();
        }
        if (allFeatures) {
            for (int c = 0; c < FeatureExtractor.NAMES.size(); c++) {
                int col = BaselineScores.FEATURES_FROM + c;
                features.add(new Baseline(FeatureExtractor.NAMES.get(c), quality(arm + "/feature-" + c, episodes, firstSeed,
                        e -> e.baselineScores()[col], false, -1)));
            }
        }
        return new ArmPrediction(predictOnly, quality(arm, episodes, firstSeed),
                lead(predictOnly, episodes, b0BySeed, devTheta), latency(episodes),
                quality(arm + "/all-time", episodes, firstSeed, e -> e.result().riskBySecond(), true, warmupSec * SEC), baselines,
                features);
    }

    /** Baseline (v)'s probability at each recorded tick, from the (i)-(iv) series of that tick. */
    static double[] baselineV(io.aura.cascade.predict.RiskFit v, double[][] series) {
        int n = series[0].length;
        double[] out = new double[n];
        double[] x = new double[BaselineScores.NAMES.size()];
        for (int k = 0; k < n; k++) {
            for (int b = 0; b < x.length; b++) {
                x[b] = series[b][k];
            }
            out[k] = v.probability(x);
        }
        return out;
    }

    static Quality quality(String arm, List<CpbRunner.EpisodeRecord> episodes, long firstSeed) {
        return quality(arm, episodes, firstSeed, e -> e.result().riskBySecond(), true, -1);
    }

    /**
     * Quality of a per-tick score series (index k: the tick at second k + 1).
     *
     * @param series the score series of an episode
     * @param probabilities whether the scores are probabilities (else Brier, Brier skill and ECE are NaN)
     * @param allTimeFromNanos ≥ 0: every 5 s from this time on instead of post-fault only (spec 6.4:
     *     "report the all-time value separately"); &lt; 0: post-fault
     */
    static Quality quality(String arm, List<CpbRunner.EpisodeRecord> episodes, long firstSeed,
            java.util.function.Function<CpbRunner.EpisodeRecord, double[]> series, boolean probabilities, long allTimeFromNanos) {
        List<double[]> scoreParts = new ArrayList<>();
        List<boolean[]> labelParts = new ArrayList<>();
        int samples = 0;
        for (CpbRunner.EpisodeRecord e : episodes) {
            double[] risk = series.apply(e);
            Samples ep = samples(e.result(), risk, allTimeFromNanos);
            if (ep.times().length == 0) {
                continue;
            }
            double[] sc = new double[ep.times().length];
            for (int i = 0; i < sc.length; i++) {
                sc[i] = riskAt(risk, ep.times()[i]);
            }
            scoreParts.add(sc);
            labelParts.add(ep.labels());
            samples += sc.length;
        }
        if (samples == 0) {
            return new Quality(0, 0, 0, Double.NaN, Double.NaN, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    episodes.isEmpty() ? "no episodes"
                            : "no post-fault evaluation time (at most T - 60 s) with a recorded prediction");
        }
        double[] scores = new double[samples];
        boolean[] labels = new boolean[samples];
        int[] offsets = new int[scoreParts.size() + 1];
        int pos = 0;
        for (int p = 0; p < scoreParts.size(); p++) {
            double[] sc = scoreParts.get(p);
            boolean[] y = labelParts.get(p);
            System.arraycopy(sc, 0, scores, offsets[p], sc.length);
            System.arraycopy(y, 0, labels, offsets[p], y.length);
            offsets[p + 1] = offsets[p] + sc.length;
            for (boolean b : y) {
                if (b) {
                    pos++;
                }
            }
        }
        double prevalence = PredictionQuality.prevalence(labels);
        double brier = probabilities ? PredictionQuality.brier(scores, labels) : Double.NaN;
        double ece = probabilities ? PredictionQuality.ece(scores, labels) : Double.NaN;
        if (pos == 0 || pos == samples) {
            String reason = pos == 0
                    ? "only negative samples: no episode reached t_on(10%) within 60 s after an evaluation time, "
                            + "so AUROC, AUPRC and Brier skill are undefined"
                    : "only positive samples: AUROC, AUPRC and Brier skill are undefined";
            return new Quality(scoreParts.size(), samples, pos, prevalence, Double.NaN, null, Double.NaN, brier,
                    Double.NaN, ece, reason, probabilities ? eceInterval(scores, labels, offsets, firstSeed, arm) : null);
        }
        BootstrapInterval ci = PredictionQuality.aurocEpisodeBootstrap(scores, labels, offsets,
                Streams.streamSeed(firstSeed, "bootstrap-auroc/" + arm));
        BootstrapInterval eceCi = probabilities ? eceInterval(scores, labels, offsets, firstSeed, arm) : null;
        return new Quality(scoreParts.size(), samples, pos, prevalence, ci.point(), ci,
                PredictionQuality.averagePrecision(scores, labels), brier,
                probabilities ? PredictionQuality.brierSkill(scores, labels) : Double.NaN, ece,
                probabilities ? null : "a raw score, not a probability: no Brier skill or ECE", eceCi);
    }

    /**
     * An episode's evaluation samples for one score series: the times and their labels.
     *
     * @param times evaluation times (ns), ascending
     * @param labels whether t_on(10%) falls within H after each time
     */
    record Samples(long[] times, boolean[] labels) {
    }

    /**
     * The evaluation times of spec 6.4 in an episode at which {@code series} has a value: post-fault
     * (t_f, t_f + 5 s, … up to t_on(X) and t_f + 600 s), or every 5 s from {@code allTimeFromNanos}
     * when that is ≥ 0; never after T − H, whose labels the episode's end censors.
     */
    static Samples samples(EpisodeResult r, double[] series, long allTimeFromNanos) {
        if (series.length == 0) {
            return new Samples(new long[0], new boolean[0]);
        }
        long tf = nanos(r.faultTimeSec());
        long on = onsetNanos(r.onset10Sec(), PredictionQuality.NO_ONSET);
        long[] times = allTimeFromNanos >= 0
                ? PredictionQuality.postFaultEvalTimes(allTimeFromNanos, on, PredictionQuality.DEFAULT_EVAL_STEP_NANOS,
                        Math.max(0, series.length * SEC - allTimeFromNanos))
                : PredictionQuality.postFaultEvalTimes(tf, on, PredictionQuality.DEFAULT_EVAL_STEP_NANOS,
                        PredictionQuality.DEFAULT_EVAL_SPAN_NANOS);
        long last = (series.length * SEC) - HORIZON_NANOS; // T − H: later labels are censored by the episode's end
        long[] kept = new long[times.length];
        int k = 0;
        for (long t : times) {
            if (t > last) {
                break;
            }
            if (!Double.isNaN(riskAt(series, t))) {
                kept[k++] = t;
            }
        }
        kept = java.util.Arrays.copyOf(kept, k);
        return new Samples(kept, k == 0 ? new boolean[0] : PredictionQuality.labels(kept, on, HORIZON_NANOS));
    }

    /** ECE's episode bootstrap (ECE needs no second class, so one-class samples get it too). */
    private static BootstrapInterval eceInterval(double[] scores, boolean[] labels, int[] offsets, long firstSeed, String arm) {
        return PredictionQuality.eceEpisodeBootstrap(scores, labels, offsets, PredictionQuality.DEFAULT_REPLICATES, 0.95,
                Streams.streamSeed(firstSeed, "bootstrap-ece/" + arm));
    }

    static Lead lead(boolean predictOnly, List<CpbRunner.EpisodeRecord> episodes, Map<Long, EpisodeResult> b0BySeed) {
        return lead(predictOnly, episodes, b0BySeed, null);
    }

    static Lead lead(boolean predictOnly, List<CpbRunner.EpisodeRecord> episodes, Map<Long, EpisodeResult> b0BySeed,
            DevThresholds.Theta devTheta) {
        String benignFrom = (b0BySeed != null ? "episodes where b0 had S < 1% on the same seed"
                : "episodes where this arm had S < 1% (b0 is not in the run)")
                + ", risk from t_f - 60 s to T; "
                + (devTheta != null ? devTheta.source() + "; this run's benign episodes only count false alarms at it"
                        : "the spec fixes theta on dev seeds, these are the run's own seeds");
        List<double[]> parts = new ArrayList<>();
        long seconds = 0;
        double agentSeconds = 0;
        for (CpbRunner.EpisodeRecord e : episodes) {
            EpisodeResult r = e.result();
            double s = r.cascadeSize();
            if (b0BySeed != null) {
                EpisodeResult ref = b0BySeed.get(e.seed());
                if (ref == null) {
                    continue;
                }
                s = ref.cascadeSize();
            }
            if (!(s < BENIGN_MAX_S)) {
                continue;
            }
            double[] w = window(r.riskBySecond(), nanos(r.faultTimeSec()) - LeadTime.DEFAULT_PRE_FAULT_WINDOW_NANOS);
            if (w.length == 0) {
                continue;
            }
            parts.add(w);
            seconds += w.length;
            agentSeconds += (double) w.length * e.agents();
        }
        String preReason = null;
        double pre = Double.NaN;
        double preNear = Double.NaN;
        if (predictOnly) {
            preReason = "predict-only arm: it takes no actions";
        } else if (b0BySeed == null) {
            preReason = "b0 is not in the run";
        } else {
            List<Long> first = new ArrayList<>();
            List<Long> firstNear = new ArrayList<>();
            List<Long> b0On = new ArrayList<>();
            for (CpbRunner.EpisodeRecord e : episodes) {
                EpisodeResult ref = b0BySeed.get(e.seed());
                if (ref == null) {
                    continue;
                }
                long f = LeadTime.NEVER;
                long fNear = LeadTime.NEVER;
                long nearFrom = Math.round((e.result().faultTimeSec() - 60) * 1e9);
                for (EpisodeResult.AppliedAction a : e.result().actionsApplied()) {
                    f = Math.min(f, a.timeNs());
                    if (a.timeNs() >= nearFrom) {
                        fNear = Math.min(fNear, a.timeNs());
                    }
                }
                first.add(f);
                firstNear.add(fNear);
                b0On.add(onsetNanos(ref.onset10Sec(), LeadTime.NEVER));
            }
            if (!b0On.stream().anyMatch(v -> v != LeadTime.NEVER)) {
                preReason = "b0 reached t_on(10%) in no episode";
            } else {
                pre = LeadTime.preOnsetActionRate(first.stream().mapToLong(Long::longValue).toArray(),
                        b0On.stream().mapToLong(Long::longValue).toArray());
                preNear = LeadTime.preOnsetActionRate(firstNear.stream().mapToLong(Long::longValue).toArray(),
                        b0On.stream().mapToLong(Long::longValue).toArray());
            }
        }
        int cascades = 0;
        for (CpbRunner.EpisodeRecord e : episodes) {
            if (e.result().onset10Sec().isPresent() && e.result().riskBySecond().length > 0) {
                cascades++;
            }
        }
        if (parts.isEmpty() && devTheta == null) {
            String why = episodes.isEmpty() ? "no episodes"
                    : b0BySeed != null ? "no benign episode to fix \u03b8 on: b0 had S \u2265 1% on every seed"
                    : "no benign episode to fix \u03b8 on: this arm had S \u2265 1% on every seed";
            return new Lead(benignFrom, 0, 0, null, Double.NaN, cascades, new double[0], null, why, pre, preReason, preNear);
        }
        double[] benign = new double[(int) seconds];
        int[] offsets = new int[parts.size() + 1];
        for (int p = 0; p < parts.size(); p++) {
            System.arraycopy(parts.get(p), 0, benign, offsets[p], parts.get(p).length);
            offsets[p + 1] = offsets[p] + parts.get(p).length;
        }
        // The budget scales with agent-time; with episodes of different agent counts, pass the
        // agent-weighted time as if N were 1 000: allowed = rate · Σ(seconds_e · N_e) / 86 400 / 1 000.
        long weightedNanos = Math.max(1L, Math.round(agentSeconds / 1000.0 * SEC));
        double allowed = LeadTime.DEFAULT_MAX_FALSE_ALARMS_PER_DAY_PER_1000_AGENTS * agentSeconds / SECONDS_PER_DAY / 1000.0;
        LeadTime.Threshold th = devTheta != null
                ? new LeadTime.Threshold(devTheta.theta(),
                        parts.isEmpty() ? 0 : LeadTime.falseAlarms(benign, offsets, devTheta.theta()), allowed)
                : LeadTime.chooseThreshold(benign, offsets, weightedNanos, 1000,
                        LeadTime.DEFAULT_MAX_FALSE_ALARMS_PER_DAY_PER_1000_AGENTS);
        double rate = agentSeconds > 0 ? th.falseAlarms() / (agentSeconds / SECONDS_PER_DAY / 1000.0) : Double.NaN;
        List<Double> lts = new ArrayList<>();
        for (CpbRunner.EpisodeRecord e : episodes) {
            EpisodeResult r = e.result();
            if (r.onset10Sec().isEmpty() || r.riskBySecond().length == 0) {
                continue;
            }
            double[] risk = r.riskBySecond();
            long[] t = new long[risk.length];
            for (int k = 0; k < risk.length; k++) {
                t[k] = (k + 1) * SEC;
            }
            long warn = LeadTime.warningTime(t, risk, nanos(r.faultTimeSec()), LeadTime.DEFAULT_PRE_FAULT_WINDOW_NANOS,
                    th.theta());
            lts.add(LeadTime.leadTimeSeconds(onsetNanos(r.onset10Sec(), LeadTime.NEVER), warn));
        }
        double[] lt = lts.stream().mapToDouble(Double::doubleValue).toArray();
        if (lt.length == 0) {
            return new Lead(benignFrom, parts.size(), seconds, th, rate, 0, lt, null,
                    "no episode of this arm reached t_on(10%): no lead time to measure", pre, preReason, preNear);
        }
        return new Lead(benignFrom, parts.size(), seconds, th, rate, lt.length, lt, LeadTime.summarize(lt), null, pre,
                preReason, preNear);
    }

    static Latency latency(List<CpbRunner.EpisodeRecord> episodes) {
        int total = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (CpbRunner.EpisodeRecord e : episodes) {
            total += e.result().predictNanos().length;
            min = Math.min(min, e.agents());
            max = Math.max(max, e.agents());
        }
        if (episodes.isEmpty()) {
            min = 0;
        }
        if (total == 0) {
            return new Latency(null, min, max, "no predict call was recorded");
        }
        long[] all = new long[total];
        int o = 0;
        for (CpbRunner.EpisodeRecord e : episodes) {
            long[] ns = e.result().predictNanos();
            System.arraycopy(ns, 0, all, o, ns.length);
            o += ns.length;
        }
        return new Latency(LatencyStats.summarize(all), min, max, null);
    }

    /**
     * The risk at time t: the value of the last control tick at or before t (tick k is at second
     * k + 1), NaN before the first tick.
     */
    static double riskAt(double[] riskByTick, long tNanos) {
        long k = Math.min(tNanos / SEC - 1, riskByTick.length - 1L);
        return k < 0 ? Double.NaN : riskByTick[(int) k];
    }

    /** The risks of the ticks at seconds s ≥ from (tick k is at second k + 1). */
    private static double[] window(double[] riskByTick, long fromNanos) {
        double[] out = new double[riskByTick.length];
        int n = 0;
        for (int k = 0; k < riskByTick.length; k++) {
            if ((k + 1) * SEC >= fromNanos) {
                out[n++] = riskByTick[k];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Per-episode predict p50/p99 in ms, NaN when nothing was recorded. */
    static double[] episodeLatencyMs(EpisodeResult r) {
        long[] ns = r.predictNanos();
        if (ns.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        LatencyStats.Summary s = LatencyStats.summarize(ns);
        return new double[] {s.p50Nanos() / 1e6, s.p99Nanos() / 1e6};
    }

    private static long nanos(double seconds) {
        return Math.round(seconds * SEC);
    }

    private static long onsetNanos(OptionalDouble onsetSec, long none) {
        return onsetSec.isPresent() ? nanos(onsetSec.getAsDouble()) : none;
    }
}
