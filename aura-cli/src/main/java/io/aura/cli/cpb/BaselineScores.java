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
 * on (i)–(iv) trained on dev seeds, is evaluated by {@code aura train}, not here.
 */
final class BaselineScores {
    /** Names of the recorded predictors, in column order. */
    static final List<String> NAMES = List.of("(i) max utilisation", "(ii) max queue growth",
            "(iii) critical slowing down", "(iv) branching ratio");

    private BaselineScores() {
    }

    /**
     * A guard that delegates everything to an {@link AuraGuard} and records, per {@code predict} call,
     * the baseline predictors' scores: index k of each series is the call at simulated second k + 1,
     * the convention of {@code EpisodeResult#riskBySecond()}.
     */
    static final class Recorder implements CascadeGuard {
        private final AuraGuard inner;
        private double[][] series = new double[NAMES.size()][1024];
        private int calls;

        Recorder(AuraGuard inner) {
            this.inner = inner;
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
                int col = FeatureExtractor.BASELINES[b];
                series[b][calls] = col < x.length ? x[col] : Double.NaN;
            }
            calls++;
            return p;
        }

        @Override
        public List<Action> decide(TelemetrySnapshot s, Prediction p) {
            return inner.decide(s, p);
        }

        /** The recorded series, one per {@link #NAMES} entry, each as long as the calls made. */
        double[][] series() {
            double[][] out = new double[series.length][];
            for (int b = 0; b < series.length; b++) {
                out[b] = Arrays.copyOf(series[b], calls);
            }
            return out;
        }
    }
}
