package io.aura.cli.cpb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.aura.cascade.sim.Action;
import io.aura.cascade.sim.CascadeGuard;
import io.aura.cascade.sim.EpisodeResult;
import io.aura.cascade.sim.FaultKind;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/** Prediction quality, lead time and latency of SUT arms on hand-built episodes. */
class PredictionMetricsTest {
    static final int T = 900;
    static final double TF = 300.0;
    static final long SEC = 1_000_000_000L;

    /** An episode of T seconds with fault at 300 s; risk(s) for the tick at second s (1..T). */
    static EpisodeResult episode(double size, OptionalDouble onset10, IntToDoubleFunction riskAtSecond,
            List<EpisodeResult.AppliedAction> actions) {
        double[] risk = new double[T];
        long[] nanos = new long[T];
        for (int k = 0; k < T; k++) {
            risk[k] = riskAtSecond.applyAsDouble(k + 1);
            nanos[k] = 1_000_000L * (k % 10 + 1); // 1..10 ms
        }
        return new EpisodeResult(FaultKind.F2_SLOW, TF, new int[] {0}, size, size, 0, 1.0, OptionalDouble.empty(), onset10,
                OptionalDouble.empty(), 100, 100, 1.0, 1, 1, 0, actions, "hash", risk, nanos, 0);
    }

    static CpbRunner.EpisodeRecord rec(String arm, long seed, EpisodeResult r, int agents) {
        return new CpbRunner.EpisodeRecord(arm, seed, r, 0, 0, "topo", agents);
    }

    /** Risk 1 exactly in the 60 s before onset (the positives), 0 elsewhere. */
    static IntToDoubleFunction perfect(double onset) {
        return s -> s >= onset - 60 && s < onset ? 1.0 : 0.0;
    }

    @Test
    void perfectPredictorHasAurocOneAndConstantHasOneHalf() {
        List<CpbRunner.EpisodeRecord> perfect = List.of(
                rec("a", 1, episode(0.5, OptionalDouble.of(400), perfect(400), List.of()), 10),
                rec("a", 2, episode(0.0, OptionalDouble.empty(), s -> 0.0, List.of()), 10),
                rec("a", 3, episode(0.4, OptionalDouble.of(500), perfect(500), List.of()), 10));
        PredictionMetrics.Quality q = PredictionMetrics.quality("a", perfect, 1);
        // episode 1: t = 300..395 (20 samples), y = 1 for t >= 340 (12); episode 2: t = 300..840 = T - 60 s
        // (109, all 0); episode 3: t = 300..495 (40), y = 1 for t >= 440 (12)
        assertThat(q.samples()).isEqualTo(20 + 109 + 40);
        assertThat(q.positives()).isEqualTo(24);
        assertThat(q.prevalence()).isCloseTo(24.0 / 169, within(1e-12));
        assertThat(q.auroc()).isEqualTo(1.0);
        assertThat(q.auprc()).isEqualTo(1.0);
        assertThat(q.brier()).isZero();
        assertThat(q.brierSkill()).isEqualTo(1.0);
        assertThat(q.ece()).isZero();
        assertThat(q.aurocCi().lower()).isEqualTo(1.0);
        assertThat(q.reason()).isNull();

        List<CpbRunner.EpisodeRecord> constant = new ArrayList<>();
        for (CpbRunner.EpisodeRecord e : perfect) {
            EpisodeResult r = e.result();
            constant.add(rec("c", e.seed(), episode(r.cascadeSize(), r.onset10Sec(), s -> 0.3, List.of()), 10));
        }
        PredictionMetrics.Quality c = PredictionMetrics.quality("c", constant, 1);
        assertThat(c.auroc()).isEqualTo(0.5);
        assertThat(c.auprc()).isCloseTo(24.0 / 169, within(1e-12));
        // one bin holding every sample: ECE = |prevalence - 0.3|
        assertThat(c.ece()).isCloseTo(Math.abs(24.0 / 169 - 0.3), within(1e-12));
        assertThat(c.brierSkill()).isNegative();
    }

    @Test
    void baselinePredictorsAreScoredOnTheArmsSamplesAndAllTimeIsSeparate() {
        // two episodes with onsets; baseline 0 is perfect (raw scores 5 / -5), baseline 1 is inverted,
        // the others constant; the arm's risk is perfect too
        List<CpbRunner.EpisodeRecord> eps = new ArrayList<>();
        double[] onsets = {400, 500};
        for (int i = 0; i < 2; i++) {
            double on = onsets[i];
            EpisodeResult r = episode(0.5, OptionalDouble.of(on), perfect(on), List.of());
            double[][] b = new double[4][T];
            for (int k = 0; k < T; k++) {
                double y = perfect(on).applyAsDouble(k + 1);
                b[0][k] = y > 0 ? 5 : -5;
                b[1][k] = y > 0 ? -5 : 5;
                b[2][k] = 7;
                b[3][k] = Double.NaN; // never available: no samples
            }
            eps.add(new CpbRunner.EpisodeRecord("a", i + 1, r, 0, 0, "topo", 10, b));
        }
        PredictionMetrics.ArmPrediction p = PredictionMetrics.of("a", true, eps, null, 1);
        List<String> names = new ArrayList<>(BaselineScores.NAMES);
        names.add(BaselineScores.V_NAME);
        assertThat(p.baselines()).extracting(PredictionMetrics.Baseline::name).containsExactlyElementsOf(names);
        PredictionMetrics.Quality b0 = p.baselines().get(0).quality();
        assertThat(b0.samples()).isEqualTo(p.quality().samples());
        assertThat(b0.auroc()).isEqualTo(1.0);
        assertThat(b0.ece()).isNaN(); // raw scores: no calibration
        assertThat(b0.brierSkill()).isNaN();
        assertThat(p.baselines().get(1).quality().auroc()).isEqualTo(0.0);
        assertThat(p.baselines().get(2).quality().auroc()).isEqualTo(0.5);
        assertThat(p.baselines().get(3).quality().samples()).isZero();
        // (v), the shipped logistic regression on (i)-(iv), gives max utilisation the larger positive weight:
        // with (i) perfect and (ii) inverted it still ranks every positive first; a missing (iv) is imputed,
        // so it has every sample, and as a probability it has a calibration
        PredictionMetrics.Quality v = p.baselines().get(4).quality();
        assertThat(v.samples()).isEqualTo(p.quality().samples());
        assertThat(v.auroc()).isEqualTo(1.0);
        assertThat(v.ece()).isBetween(0.0, 1.0);
        assertThat(v.brierSkill()).isFinite();
        assertThat(v.reason()).isNull();
        // all-time: every 5 s from the start up to the onset: (400 - 5) / 5 + (500 - 5) / 5 samples,
        // 12 positives each, and the perfect risk still ranks them all first
        PredictionMetrics.Quality all = p.allTime();
        assertThat(all.samples()).isEqualTo(79 + 99);
        assertThat(all.positives()).isEqualTo(24);
        assertThat(all.auroc()).isEqualTo(1.0);
        // an arm whose guard recorded no baselines reports none
        List<CpbRunner.EpisodeRecord> plain = List.of(rec("c", 1, episode(0.5, OptionalDouble.of(400), perfect(400), List.of()), 10));
        assertThat(PredictionMetrics.of("c", true, plain, null, 1).baselines()).isEmpty();
    }

    @Test
    void scoreAtAnEvaluationTimeIsTheLastTickAtOrBeforeIt() {
        double[] ticks = {0.1, 0.2, 0.3}; // seconds 1, 2, 3
        assertThat(PredictionMetrics.riskAt(ticks, SEC / 2)).isNaN();
        assertThat(PredictionMetrics.riskAt(ticks, SEC)).isEqualTo(0.1);
        assertThat(PredictionMetrics.riskAt(ticks, 2 * SEC + SEC / 2)).isEqualTo(0.2);
        assertThat(PredictionMetrics.riskAt(ticks, 99 * SEC)).isEqualTo(0.3);
    }

    @Test
    void oneClassGivesReasonsNotExceptions() {
        List<CpbRunner.EpisodeRecord> calm = List.of(
                rec("a", 1, episode(0.0, OptionalDouble.empty(), s -> 0.2, List.of()), 10),
                rec("a", 2, episode(0.0, OptionalDouble.empty(), s -> 0.1, List.of()), 10));
        PredictionMetrics.ArmPrediction p = PredictionMetrics.of("a", true, calm, null, 1);
        assertThat(p.quality().auroc()).isNaN();
        assertThat(p.quality().auprc()).isNaN();
        assertThat(p.quality().brierSkill()).isNaN();
        assertThat(p.quality().aurocCi()).isNull();
        assertThat(p.quality().reason()).contains("only negative samples");
        assertThat(p.quality().prevalence()).isZero();
        assertThat(p.quality().ece()).isCloseTo(0.15, within(1e-12)); // two bins, |0 - 0.2| and |0 - 0.1|, half each
        assertThat(p.lead().lead()).isNull();
        assertThat(p.lead().reason()).contains("no episode of this arm reached t_on(10%)");
        assertThat(p.lead().benignFrom()).contains("b0 is not in the run");
        assertThat(p.lead().preOnsetReason()).contains("predict-only");
        assertThat(p.latency().latency().count()).isEqualTo(2 * T);

        PredictionMetrics.ArmPrediction none = PredictionMetrics.of("a", false, List.of(), null, 1);
        assertThat(none.quality().reason()).isEqualTo("no episodes");
        assertThat(none.lead().reason()).isEqualTo("no episodes");
        // every seed cascaded in b0: no benign episode, theta undefined, the cascades still counted
        List<CpbRunner.EpisodeRecord> b0 = List.of(rec("b0", 1, episode(0.3, OptionalDouble.of(400), s -> 0, List.of()), 10));
        List<CpbRunner.EpisodeRecord> hot = List.of(rec("a", 1, episode(0.3, OptionalDouble.of(400), s -> 0.5, List.of()), 10));
        PredictionMetrics.Lead l = PredictionMetrics.of("a", true, hot, b0, 1).lead();
        assertThat(l.threshold()).isNull();
        assertThat(l.cascades()).isEqualTo(1);
        assertThat(l.reason()).contains("b0 had S \u2265 1% on every seed");
        assertThat(none.latency().reason()).contains("no predict call");
    }

    @Test
    void leadTimeByHand() {
        int agents = 1000;
        // b0 on seeds 1..4: seed 1 benign (S = 0), seeds 2-4 cascade
        List<CpbRunner.EpisodeRecord> b0 = List.of(
                rec("b0", 1, episode(0.0, OptionalDouble.empty(), s -> 0, List.of()), agents),
                rec("b0", 2, episode(0.5, OptionalDouble.of(400), s -> 0, List.of()), agents),
                rec("b0", 3, episode(0.5, OptionalDouble.of(400), s -> 0, List.of()), agents),
                rec("b0", 4, episode(0.5, OptionalDouble.of(400), s -> 0, List.of()), agents));
        Action iso = new Action.Isolate(1, 10_000);
        List<CpbRunner.EpisodeRecord> sut = List.of(
                // benign: risk 0.1 with one spike to 0.5 at 600 s; before t_f - 60 s a spike to 0.95 that does not count
                rec("aura", 1, episode(0.0, OptionalDouble.empty(), s -> s == 600 ? 0.5 : s == 100 ? 0.95 : 0.1,
                        List.of()), agents),
                // warned at 350 s, onset 400 s: LT 50 s; first action at 351 s, before b0's onset
                rec("aura", 2, episode(0.5, OptionalDouble.of(400), s -> s >= 350 ? 0.9 : 0.1,
                        List.of(new EpisodeResult.AppliedAction(351 * SEC, iso))), agents),
                // warned at 380 s: LT 20 s; first action at 420 s, after b0's onset
                rec("aura", 3, episode(0.5, OptionalDouble.of(400), s -> s >= 380 ? 0.6 : 0.1,
                        List.of(new EpisodeResult.AppliedAction(420 * SEC, iso))), agents),
                // never above 0.5: no warning, LT = -inf; no action
                rec("aura", 4, episode(0.5, OptionalDouble.of(400), s -> 0.5, List.of()), agents));
        PredictionMetrics.Lead l = PredictionMetrics.of("aura", false, sut, b0, 1).lead();
        // benign window: seconds 240..900 = 661 s; budget 661/86400 alarms < 1, so no alarm is allowed:
        // theta = just above the highest benign value in the window (0.5), the 0.95 at 100 s being outside it
        assertThat(l.benignEpisodes()).isEqualTo(1);
        assertThat(l.benignSeconds()).isEqualTo(661);
        assertThat(l.threshold().theta()).isEqualTo(Math.nextUp(0.5));
        assertThat(l.threshold().falseAlarms()).isZero();
        assertThat(l.threshold().allowedAlarms()).isCloseTo(661 / 86_400.0, within(1e-12));
        assertThat(l.falseAlarmsPerDayPer1000Agents()).isZero();
        assertThat(l.cascades()).isEqualTo(3);
        assertThat(l.leadTimesSeconds()).containsExactly(50.0, 20.0, Double.NEGATIVE_INFINITY);
        assertThat(l.lead().warned()).isEqualTo(2);
        assertThat(l.lead().medianSeconds()).isEqualTo(20.0);
        assertThat(l.lead().p10Seconds()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(l.lead().fractionAtLeast30s()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(l.lead().fractionAtLeast10s()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(l.preOnsetActionRate()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(l.preOnsetReason()).isNull();
        assertThat(l.reason()).isNull();
    }

    @Test
    void falseAlarmBudgetGrowsWithAgentTime() {
        // 100 benign episodes of 1e6 agents: 661 s · 1e6 / 1000 · 100 / 86 400 ≈ 765 alarms allowed, so the
        // single 0.5 spike per episode (100 alarms) fits and theta drops to 0.5
        List<CpbRunner.EpisodeRecord> b0 = new ArrayList<>();
        List<CpbRunner.EpisodeRecord> sut = new ArrayList<>();
        for (int s = 1; s <= 100; s++) {
            b0.add(rec("b0", s, episode(0.0, OptionalDouble.empty(), x -> 0, List.of()), 1_000_000));
            sut.add(rec("p", s, episode(0.0, OptionalDouble.empty(), x -> x == 600 ? 0.5 : 0.1, List.of()), 1_000_000));
        }
        PredictionMetrics.Lead l = PredictionMetrics.of("p", true, sut, b0, 1).lead();
        assertThat(l.threshold().allowedAlarms()).isCloseTo(661.0 * 1000 * 100 / 86_400, within(1e-6));
        // every sample >= 0.1 raises one alarm per episode at theta = 0.1 too, so the smallest feasible theta is 0.1
        assertThat(l.threshold().theta()).isEqualTo(0.1);
        assertThat(l.threshold().falseAlarms()).isEqualTo(100);
        assertThat(l.falseAlarmsPerDayPer1000Agents()).isCloseTo(100 / (661.0 * 100 * 1000 / 86_400), within(1e-9));
        assertThat(l.reason()).contains("no episode of this arm reached");
    }

    @Test
    void summaryAddsPredictionOnlyToSutArmsAndTheReportSaysWhenThereIsNone() {
        Arm b0 = new Arm.Baseline(Arms.B0, p -> p);
        Arm predict = new Arm.Guarded("aura-predict", CascadeGuard::none, true, "v");
        List<CpbRunner.EpisodeRecord> eps = new ArrayList<>();
        for (int s = 1; s <= 3; s++) {
            OptionalDouble on = s == 2 ? OptionalDouble.of(400) : OptionalDouble.empty();
            double size = s == 2 ? 0.5 : 0.0;
            eps.add(rec(Arms.B0, s, episode(size, on, x -> 0, List.of()).withoutGuardTrace(), 10));
            eps.add(rec("aura-predict", s, episode(size, on, s == 2 ? perfect(400) : x -> 0.0, List.of()), 10));
        }
        List<Summary.ArmSummary> sum = Summary.of(List.of(b0, predict), eps, 1);
        assertThat(sum.get(0).prediction()).isNull();
        PredictionMetrics.ArmPrediction p = sum.get(1).prediction();
        assertThat(p.quality().auroc()).isEqualTo(1.0);
        assertThat(p.lead().benignEpisodes()).isEqualTo(2);
        assertThat(p.lead().lead().medianSeconds()).isEqualTo(60.0);
        assertThat(p.latency().agentsMax()).isEqualTo(10);

        StringBuilder md = new StringBuilder();
        RunOutputs.predictionReport(md, sum);
        assertThat(md.toString()).contains("| aura-predict | predict-only | 3 |").contains("## Lead time (spec 6.5)");
        StringBuilder none = new StringBuilder();
        RunOutputs.predictionReport(none, sum.subList(0, 1));
        assertThat(none.toString()).contains("n/a: no SUT arm");
        assertThat(RunOutputs.armJson(RunOutputs.mapper(), sum.get(0)).has("prediction_quality")).isFalse();
        com.fasterxml.jackson.databind.JsonNode j = RunOutputs.armJson(RunOutputs.mapper(), sum.get(1));
        assertThat(j.get("prediction_quality").get("AUROC").asDouble()).isEqualTo(1.0);
        assertThat(j.get("lead_time").get("LT_median_s").asDouble()).isEqualTo(60.0);
        assertThat(j.get("predict_latency").get("max_ms").asDouble()).isEqualTo(10.0);
    }
}
