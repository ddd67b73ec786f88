package io.aura.cli.cpb;

import io.aura.cascade.predict.AuraGuard;
import io.aura.cascade.predict.FeatureExtractor;
import io.aura.cascade.sim.Action;
import io.aura.cascade.sim.CascadeGuard;
import io.aura.cascade.sim.GuardConfig;
import io.aura.cascade.sim.Prediction;
import io.aura.cascade.sim.StaticTopology;
import io.aura.cascade.sim.TelemetrySnapshot;
import java.util.Arrays;
import java.util.List;

/**
 * The simple baseline predictors of spec 6.4 that a SUT must beat, scored from the same snapshots the
 * SUT saw: (i) max agent utilisation, (ii) max queue growth rate, (iii) critical slowing down (rolling
 * variance and lag-1 autocorrelation of latency over 120 s, Kendall τ trend), (iv) the D6 branching-ratio
 * estimate. Their computations are AURA's feature extractor's first four columns
 * ({@link FeatureExtractor#BASELINES}, defined in docs/predictor.md), so they are recorded for SUT arms
 * whose guard is an {@link AuraGuard}: {@link Recorder} reads them after each {@code predict} call. Each
 * is a raw score (higher = riskier), so only its AUROC and AUPRC are reported. (v), the logistic regression
 * on (i)–(iv) trained on dev seeds, is the shipped fit ({@code RiskModel.shippedBaselineV()}, trained on the
 * shipped risk model's training rows) applied to the recorded (i)–(iv); a probability, so every metric.
 */
final class BaselineScores {
    /** Names of the recorded predictors, in column order. */
    static final List<String> NAMES = List.of("(i) max utilisation", "(ii) max queue growth",
            "(iii) critical slowing down", "(iv) branching ratio");
    /**
     * Index of the first model-feature series when all features are recorded ({@code --feature-scores}):
     * series {@code FEATURES_FROM + c} is {@link FeatureExtractor#NAMES} column c.
     */
    static final int FEATURES_FROM = NAMES.size();
    /** Name of baseline (v), computed from the recorded (i)–(iv) series (not recorded itself). */
    static final String V_NAME = "(v) logistic regression on (i)-(iv)";

    private BaselineScores() {
    }

    /**
     * A guard that delegates everything to an {@link AuraGuard} and records, per {@code predict} call,
     * the baseline predictors' scores: index k of each series is the call at simulated second k + 1,
     * the convention of {@code EpisodeResult#riskBySecond()}. With {@code allFeatures} it also records
     * every column of the model's feature vector (series {@link #FEATURES_FROM} on), so that each
     * feature can be scored alone on the same samples.
     */
    static final class Recorder implements CascadeGuard {
        private final AuraGuard inner;
        /** Feature column of each series. */
        private final int[] columns;
        private double[][] series;
        private int calls;

        Recorder(AuraGuard inner, boolean allFeatures) {
            this.inner = inner;
            int f = allFeatures ? FeatureExtractor.NAMES.size() : 0;
            columns = new int[FEATURES_FROM + f];
            for (int b = 0; b < FEATURES_FROM; b++) {
                columns[b] = FeatureExtractor.BASELINES[b];
            }
            for (int c = 0; c < f; c++) {
                columns[FEATURES_FROM + c] = c;
            }
            series = new double[columns.length][1024];
        }

        @Override
        public void init(StaticTopology staticTopology, GuardConfig cfg) {
            inner.init(staticTopology, cfg);
        }

        @Override
        public Prediction predict(TelemetrySnapshot s) {
            Prediction p = inner.predict(s);
            double[] x = inner.features();
            if (calls == series[0].length) {
                for (int b = 0; b < series.length; b++) {
                    series[b] = Arrays.copyOf(series[b], 2 * calls);
                }
            }
            for (int b = 0; b < series.length; b++) {
                int col = columns[b];
                series[b][calls] = col < x.length ? x[col] : Double.NaN;
            }
            calls++;
            return p;
        }

        @Override
        public List<Action> decide(TelemetrySnapshot s, Prediction p) {
            return inner.decide(s, p);
        }

        /**
         * The recorded series, each as long as the calls made: one per {@link #NAMES} entry, then, when
         * recording all features, one per {@link FeatureExtractor#NAMES} entry.
         */
        double[][] series() {
            double[][] out = new double[series.length][];
            for (int b = 0; b < series.length; b++) {
                out[b] = Arrays.copyOf(series[b], calls);
            }
            return out;
        }
    }
}
