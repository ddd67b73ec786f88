package io.aura.cli.cpb;

import io.aura.cascade.metrics.CascadeSizeStats;
import io.aura.cascade.metrics.InterventionCost;
import io.aura.cascade.metrics.PreventedCascades;
import io.aura.cascade.metrics.SizeReduction;
import io.aura.cascade.random.Streams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Section-6 metrics of a CPB run, one {@link ArmSummary} per arm, computed with
 * {@code io.aura.cascade.metrics} from the paired per-episode values (arms ran on the same seeds):
 * cascade-size distribution (6.1), availability A, and against the reference arm b0: R_size with a
 * paired bootstrap (6.2; 10 000 replicates, one-sided 95% lower bound), PCR_X for X = 5%, 10%, 25%
 * and the harm rate (6.3), ΔA = A_b0 − A_arm (6.6). Arms that are not in-simulator baselines also
 * get ΔA against the best baseline of the run (highest mean A). The bootstrap seed of an arm is
 * {@code Streams.streamSeed(firstSeed, "bootstrap/" + arm)}, so summaries are reproducible. SUT arms
 * ({@link Arm.Guarded}) also get {@link PredictionMetrics} (spec 6.4, 6.5, 6.8).
 */
public final class Summary {
    /** PCR thresholds X of spec 6.3 (10% primary). */
    static final double[] PCR_THRESHOLDS = {0.05, 0.10, 0.25};

    /**
     * A paired comparison with a reference arm.
     *
     * @param reference the reference arm (b0)
     * @param rSize R_size = E[S_ref] / E[S_arm]
     * @param pcr PCR_X for {@link #PCR_THRESHOLDS}
     * @param harmRate #{e : S_arm,e > S_ref,e + 0.05} / n
     * @param deltaA A_ref − A_arm per episode: mean and p95 (positive = the arm loses availability)
     */
    public record Comparison(String reference, SizeReduction.Estimate rSize, List<PreventedCascades.Pcr> pcr,
            double harmRate, InterventionCost.DeltaA deltaA) {
    }

    /**
     * Metrics of one arm.
     *
     * @param arm arm name
     * @param baseline whether the arm is an in-simulator baseline
     * @param n episodes
     * @param sizes cascade-size distribution
     * @param sizeValues the per-episode S in seed order
     * @param availabilityMean mean A
     * @param peakMean mean S_peak
     * @param actionsMean mean number of guard actions that took effect
     * @param vsB0 comparison with b0, null for b0 itself or when b0 is not in the run
     * @param bestBaseline the best baseline's name for {@code deltaAVersusBest}, or null
     * @param deltaAVersusBest ΔA against the best baseline (non-baseline arms only), or null
     * @param prediction prediction quality, lead time and predict latency (SUT arms only), or null
     */
    public record ArmSummary(String arm, boolean baseline, int n, CascadeSizeStats sizes, double[] sizeValues,
            double availabilityMean, double peakMean, double actionsMean, Comparison vsB0, String bestBaseline,
            InterventionCost.DeltaA deltaAVersusBest, PredictionMetrics.ArmPrediction prediction, Extra extra) {
    }

    /**
     * The rest of spec 6.2, 6.6 and 6.9 for an arm.
     *
     * @param deltaABenign A_b0 − A_arm on the benign episodes (b0's S &lt; 1%), null without b0, for b0
     *     itself, or when no episode is benign
     * @param benignEpisodes how many episodes were benign (b0's S &lt; 1%); 0 without b0
     * @param interventionsPerDayPer1000Agents the arm's actions per 24 simulated hours per 1 000 agents
     * @param vsBaselines for a non-baseline arm: against every other baseline arm of the run
     * @param entryOffered entry requests offered after t_f over the arm's episodes
     * @param entryLostToProtection those of them lost with a refusal by the arm's protection in their call
     *     tree ({@link io.aura.cascade.sim.EpisodeResult#entryLostToProtection()}); −1 when an episode did
     *     not track it (D3-fluid)
     */
    public record Extra(InterventionCost.DeltaA deltaABenign, int benignEpisodes, double interventionsPerDayPer1000Agents,
            List<VsBaseline> vsBaselines, long entryOffered, long entryLostToProtection) {
        /**
         * The share of offered entry requests lost with a refusal by the arm's protection in their call tree
         * (the direct charge for spec T4's "total loss attributable to SUT actions"; it leaves out the
         * requests refusals lose indirectly, e.g. to a caller's pool filled by refused calls' retry waits),
         * NaN when not tracked or nothing was offered.
         */
        public double protectionLossFraction() {
            return entryLostToProtection < 0 || entryOffered <= 0 ? Double.NaN : entryLostToProtection / (double) entryOffered;
        }
    }

    /**
     * A non-baseline arm against one baseline B of the run (spec 6.2 and 6.9: R_size vs B, and the
     * one-sided paired-bootstrap test of "the arm's cascades are larger than B's", Holm-adjusted over
     * the baselines of this run; across families the adjustment needs the families' runs together).
     *
     * @param baseline B
     * @param rSize E[S_B] / E[S_arm]
     * @param pWorse p-value of E[S_arm − S_B] &gt; 0
     * @param pWorseHolm Holm-adjusted over this run's baselines
     */
    public record VsBaseline(String baseline, SizeReduction.Estimate rSize, double pWorse, double pWorseHolm) {
        /** Significantly worse than B at 5% after Holm. */
        public boolean significantlyWorse() {
            return pWorseHolm < 0.05;
        }
    }

    private Summary() {
    }

    /**
     * Computes the per-arm metrics.
     *
     * @param arms the run's arms in order
     * @param episodes every episode (any order)
     * @param firstSeed first seed of the run (bootstrap seeds derive from it)
     */
    public static List<ArmSummary> of(List<Arm> arms, List<CpbRunner.EpisodeRecord> episodes, long firstSeed) {
        return of(arms, episodes, firstSeed, java.util.Map.of());
    }

    /**
     * As {@link #of(List, List, long)}, with warning thresholds fixed on a dev run ({@code --theta-from}).
     *
     * @param devThetas SUT arm name → θ (arms not in it choose θ on this run's benign episodes)
     */
    static List<ArmSummary> of(List<Arm> arms, List<CpbRunner.EpisodeRecord> episodes, long firstSeed,
            java.util.Map<String, DevThresholds.Theta> devThetas) {
        return of(arms, episodes, firstSeed, devThetas, 0);
    }

    /**
     * As above, with the episodes' warm-up (seconds), where the all-time prediction quality starts.
     */
    static List<ArmSummary> of(List<Arm> arms, List<CpbRunner.EpisodeRecord> episodes, long firstSeed,
            java.util.Map<String, DevThresholds.Theta> devThetas, long warmupSec) {
        return of(arms, episodes, firstSeed, devThetas, warmupSec, io.aura.cascade.sim.EpisodeParams.DEFAULT_DURATION_SEC);
    }

    /** As above, with the episodes' length T (seconds), for the intervention rate. */
    static List<ArmSummary> of(List<Arm> arms, List<CpbRunner.EpisodeRecord> episodes, long firstSeed,
            java.util.Map<String, DevThresholds.Theta> devThetas, long warmupSec, long durationSec) {
        Map<String, List<CpbRunner.EpisodeRecord>> byArm = new LinkedHashMap<>();
        for (Arm a : arms) {
            byArm.put(a.name(), new ArrayList<>());
        }
        for (CpbRunner.EpisodeRecord e : episodes) {
            byArm.get(e.arm()).add(e);
        }
        for (List<CpbRunner.EpisodeRecord> l : byArm.values()) {
            l.sort((x, y) -> Long.compare(x.seed(), y.seed()));
        }
        Map<String, double[]> s = new LinkedHashMap<>();
        Map<String, double[]> a = new LinkedHashMap<>();
        for (Map.Entry<String, List<CpbRunner.EpisodeRecord>> en : byArm.entrySet()) {
            List<CpbRunner.EpisodeRecord> l = en.getValue();
            double[] sv = new double[l.size()];
            double[] av = new double[l.size()];
            for (int i = 0; i < l.size(); i++) {
                sv[i] = l.get(i).result().cascadeSize();
                av[i] = l.get(i).result().availability();
            }
            s.put(en.getKey(), sv);
            a.put(en.getKey(), av);
        }
        List<String> baselineNames = new ArrayList<>();
        for (Arm arm : arms) {
            if (arm instanceof Arm.Baseline) {
                baselineNames.add(arm.name());
            }
        }
        double[][] baselineA = new double[baselineNames.size()][];
        for (int b = 0; b < baselineA.length; b++) {
            baselineA[b] = a.get(baselineNames.get(b));
        }
        boolean hasB0 = byArm.containsKey(Arms.B0);
        List<ArmSummary> out = new ArrayList<>();
        for (Arm arm : arms) {
            String name = arm.name();
            List<CpbRunner.EpisodeRecord> l = byArm.get(name);
            double[] sv = s.get(name);
            double peak = 0;
            double actions = 0;
            for (CpbRunner.EpisodeRecord e : l) {
                peak += e.result().cascadePeak();
                actions += e.result().actionCount();
            }
            Comparison vs = null;
            if (hasB0 && !name.equals(Arms.B0)) {
                double[] ref = s.get(Arms.B0);
                List<PreventedCascades.Pcr> pcr = new ArrayList<>();
                for (double x : PCR_THRESHOLDS) {
                    pcr.add(PreventedCascades.pcr(ref, sv, x));
                }
                vs = new Comparison(Arms.B0,
                        SizeReduction.rSize(ref, sv, Streams.streamSeed(firstSeed, "bootstrap/" + name)),
                        pcr, PreventedCascades.harmRate(ref, sv), InterventionCost.deltaA(a.get(Arms.B0), a.get(name)));
            }
            String best = null;
            InterventionCost.DeltaA vsBest = null;
            if (!(arm instanceof Arm.Baseline) && baselineA.length > 0) {
                vsBest = InterventionCost.deltaAVersusBest(baselineA, a.get(name));
                best = baselineNames.get(vsBest.referenceIndex());
            }
            PredictionMetrics.ArmPrediction prediction = null;
            if (arm instanceof Arm.Guarded g) {
                prediction = PredictionMetrics.of(name, g.predictOnly(), l, hasB0 ? byArm.get(Arms.B0) : null, firstSeed,
                        devThetas.get(name), warmupSec);
            }
            out.add(new ArmSummary(name, arm instanceof Arm.Baseline, l.size(), CascadeSizeStats.of(sv), sv,
                    CascadeSizeStats.mean(a.get(name)), peak / l.size(), actions / l.size(), vs, best, vsBest, prediction,
                    extra(arm, l, s, a, baselineNames, hasB0, firstSeed, durationSec)));
        }
        return out;
    }

    /** Benign-episode ΔA, the intervention rate and the comparisons with every other baseline. */
    private static Extra extra(Arm arm, List<CpbRunner.EpisodeRecord> l, Map<String, double[]> s, Map<String, double[]> a,
            List<String> baselineNames, boolean hasB0, long firstSeed, long durationSec) {
        String name = arm.name();
        InterventionCost.DeltaA benign = null;
        int benignCount = 0;
        if (hasB0) {
            double[] s0 = s.get(Arms.B0);
            for (double x : s0) {
                benignCount += x < 0.01 ? 1 : 0;
            }
            if (!name.equals(Arms.B0) && benignCount > 0) {
                double[] ref = new double[benignCount];
                double[] mine = new double[benignCount];
                int j = 0;
                for (int e = 0; e < s0.length; e++) {
                    if (s0[e] < 0.01) {
                        ref[j] = a.get(Arms.B0)[e];
                        mine[j] = a.get(name)[e];
                        j++;
                    }
                }
                benign = InterventionCost.deltaA(ref, mine);
            }
        }
        long actions = 0;
        long agents = 0;
        long offered = 0;
        long lost = 0;
        for (CpbRunner.EpisodeRecord e : l) {
            actions += e.result().actionCount();
            agents += e.agents();
            offered += e.result().entryOffered();
            long x = e.result().entryLostToProtection();
            lost = lost < 0 || x < 0 ? -1 : lost + x;
        }
        double rate = InterventionCost.interventionsPerDayPer1000Agents(actions, l.size() * durationSec * 1_000_000_000L,
                (int) Math.max(1, Math.round((double) agents / Math.max(1, l.size()))));
        List<VsBaseline> vs = new ArrayList<>();
        List<String> others = baselineNames.stream().filter(b -> !b.equals(Arms.B0)).toList();
        if (!(arm instanceof Arm.Baseline) && !others.isEmpty()) {
            double[] p = new double[others.size()];
            List<SizeReduction.Estimate> r = new ArrayList<>();
            for (int i = 0; i < p.length; i++) {
                String b = others.get(i);
                r.add(SizeReduction.rSize(s.get(b), s.get(name), Streams.streamSeed(firstSeed, "bootstrap/" + name + "/vs/" + b)));
                p[i] = io.aura.cascade.metrics.PairedBootstrapTest.pValueGreater(s.get(name), s.get(b),
                        Streams.streamSeed(firstSeed, "worse/" + name + "/vs/" + b));
            }
            double[] holm = io.aura.cascade.metrics.MultipleTesting.holmAdjust(p);
            for (int i = 0; i < p.length; i++) {
                vs.add(new VsBaseline(others.get(i), r.get(i), p[i], holm[i]));
            }
        }
        return new Extra(benign, benignCount, rate, vs, offered, lost);
    }
}
