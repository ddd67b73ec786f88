package io.aura.cli.cpb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aura.cascade.metrics.InterventionCost;
import io.aura.cascade.metrics.LatencyStats;
import io.aura.cascade.metrics.LeadTime;
import io.aura.cascade.metrics.PreventedCascades;
import io.aura.cascade.metrics.SizeReduction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The run-level outputs: {@code manifest.json} (the run's manifest), {@code summary.json} (one
 * object per arm with the section-6 metrics), {@code report.md} with {@code ccdf.png} and
 * {@code pareto.png}. Nothing in them depends on wall time except the {@code predict_latency} object
 * of SUT arms in {@code summary.json} and the predict-latency table of {@code report.md}; apart from
 * those, two runs of the same command write identical files.
 */
final class RunOutputs {
    /**
     * An I/O failure as "file: reason". The JDK's AccessDeniedException, NoSuchFileException and a few others carry only
     * the path as their message ("cannot create --out /srv/x: /srv/x" said nothing about why).
     */
    static String ioReason(Exception e) {
        Throwable t = e instanceof java.io.UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        if (t instanceof java.nio.file.FileSystemException f && f.getReason() == null) {
            String why = switch (f) {
                case java.nio.file.AccessDeniedException a -> "permission denied";
                case java.nio.file.NoSuchFileException n -> "no such file or directory";
                case java.nio.file.NotDirectoryException n -> "not a directory";
                case java.nio.file.FileAlreadyExistsException x -> "already exists";
                case java.nio.file.DirectoryNotEmptyException d -> "directory not empty";
                default -> f.getClass().getSimpleName();
            };
            return f.getMessage() + ": " + why;
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private RunOutputs() {
    }

    static ObjectMapper mapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    static ObjectNode runManifest(ObjectMapper mapper, ObjectNode common, RunInfo info, CpbRunner.Plan plan) {
        ObjectNode o = mapper.createObjectNode();
        o.put("tool", "aura bench cpb");
        ArrayNode cmd = o.putArray("command");
        info.command().forEach(cmd::add);
        // where the command ran: its relative --topology and --out resolve against it when the run is repeated
        o.put("working_directory", Path.of("").toAbsolutePath().toString());
        o.setAll(common);
        ObjectNode seeds = o.putObject("seeds");
        seeds.put("first", plan.firstSeed());
        seeds.put("last", plan.lastSeed());
        ArrayNode arms = o.putArray("arms");
        for (Arm a : plan.arms()) {
            ObjectNode an = arms.addObject();
            an.put("arm", a.name());
            an.put("kind", switch (a) {
                case Arm.Baseline b -> "baseline";
                case Arm.Guarded g -> g.predictOnly() ? "sut-predict-only" : "sut";
                case Arm.RandBudget r -> "rand-budget";
            });
            an.put("sut_version", a.sutVersion());
        }
        o.put("episodes", plan.episodeCount());
        o.put("episode_manifests", "manifests.jsonl");
        o.put("complete", false); // true once every episode ran and summary.json and report.md are written
        return o;
    }

    static void writeManifest(Path dir, ObjectMapper mapper, ObjectNode manifest) throws IOException {
        Files.writeString(dir.resolve("manifest.json"), mapper.writeValueAsString(manifest) + "\n", StandardCharsets.UTF_8);
    }

    /** summary.json: {"run": manifest, "arms": [one object per arm]}. */
    static void writeSummary(Path dir, ObjectMapper mapper, ObjectNode manifest, List<Summary.ArmSummary> arms) throws IOException {
        ObjectNode root = mapper.createObjectNode();
        root.set("run", manifest);
        ArrayNode list = root.putArray("arms");
        for (Summary.ArmSummary a : arms) {
            list.add(armJson(mapper, a));
        }
        Files.writeString(dir.resolve("summary.json"), mapper.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
    }

    static ObjectNode armJson(ObjectMapper mapper, Summary.ArmSummary a) {
        ObjectNode o = mapper.createObjectNode();
        o.put("arm", a.arm());
        o.put("baseline", a.baseline());
        o.put("n", a.n());
        ObjectNode s = o.putObject("S");
        num(s, "mean", a.sizes().mean());
        num(s, "median", a.sizes().median());
        num(s, "p95", a.sizes().p95());
        num(s, "p99", a.sizes().p99());
        ObjectNode ccdf = o.putObject("CCDF");
        double[] th = a.sizes().ccdfThresholds();
        double[] cv = a.sizes().ccdf();
        for (int k = 0; k < th.length; k++) {
            num(ccdf, "P(S>=" + Plots.fmt(th[k]) + ")", cv[k]);
        }
        num(o, "S_peak_mean", a.peakMean());
        ObjectNode av = o.putObject("A");
        num(av, "mean", a.availabilityMean());
        num(o, "actions_mean", a.actionsMean());
        Summary.Comparison c = a.vsB0();
        if (c != null) {
            SizeReduction.Estimate r = c.rSize();
            ObjectNode rs = o.putObject("R_size");
            rs.put("vs", c.reference());
            rs.put("status", r.status().name());
            num(rs, "point", r.point());
            num(rs, "lower_one_sided_95", r.lowerOneSided());
            num(rs, "ci95_lower", r.lower());
            num(rs, "ci95_upper", r.upper());
            rs.put("replicates", r.replicates());
            rs.put("infinite_replicates", r.infiniteReplicates());
            rs.put("undefined_replicates", r.undefinedReplicates());
            for (PreventedCascades.Pcr p : c.pcr()) {
                ObjectNode pn = o.putObject("PCR_" + Plots.fmt(p.threshold() * 100) + "%");
                pn.put("vs", c.reference());
                if (p.value().isPresent()) {
                    num(pn, "value", p.value().getAsDouble());
                } else {
                    pn.putNull("value");
                }
                pn.put("arm_cascades", p.sutCascades());
                pn.put("reference_cascades", p.baselineCascades());
            }
            ObjectNode h = o.putObject("harm_rate");
            h.put("vs", c.reference());
            num(h, "value", c.harmRate());
            deltaA(o.putObject("delta_A"), c.reference(), c.deltaA());
        }
        if (a.deltaAVersusBest() != null) {
            deltaA(o.putObject("delta_A_vs_best_baseline"), a.bestBaseline(), a.deltaAVersusBest());
        }
        Summary.Extra x = a.extra();
        if (x != null) {
            ObjectNode db = o.putObject("delta_A_benign");
            db.put("vs", Arms.B0);
            db.put("benign_episodes", x.benignEpisodes());
            db.put("definition", "A_b0 - A_arm over the episodes where b0's S < 1% (spec 6.6)");
            if (x.deltaABenign() != null) {
                num(db, "mean", x.deltaABenign().mean());
                num(db, "p95", x.deltaABenign().p95());
            } else {
                db.putNull("mean");
                db.putNull("p95");
            }
            num(o, "interventions_per_day_per_1000_agents", x.interventionsPerDayPer1000Agents());
            ObjectNode pl = o.putObject("protection_loss");
            pl.put("definition", "entry requests offered after t_f that failed with a call in their tree refused by the arm's"
                    + " protection (guard actions; baseline breakers, bulkheads, admission, throttles, retry budgets), over all"
                    + " offered: the direct charge for spec T4's loss attributable to the SUT's actions (requests a refusal"
                    + " loses indirectly, e.g. to a caller's pool filled by refused calls' retry waits, are not in it)");
            pl.put("offered", x.entryOffered());
            if (x.entryLostToProtection() >= 0) {
                pl.put("lost", x.entryLostToProtection());
            } else {
                pl.putNull("lost");
            }
            num(pl, "fraction", x.protectionLossFraction());
            if (!x.vsBaselines().isEmpty()) {
                ObjectNode vb = o.putObject("vs_baselines");
                for (Summary.VsBaseline v : x.vsBaselines()) {
                    ObjectNode b = vb.putObject(v.baseline());
                    SizeReduction.Estimate r = v.rSize();
                    ObjectNode rs = b.putObject("R_size");
                    rs.put("status", r.status().name());
                    num(rs, "point", r.point());
                    num(rs, "lower_one_sided_95", r.lowerOneSided());
                    num(rs, "ci95_lower", r.lower());
                    num(rs, "ci95_upper", r.upper());
                    num(b, "p_worse", v.pWorse());
                    num(b, "p_worse_holm", v.pWorseHolm());
                    b.put("significantly_worse", v.significantlyWorse());
                }
            }
        }
        if (a.prediction() != null) {
            prediction(o, a.prediction());
        }
        return o;
    }

    /** One quality object's counts and scores (spec 6.4). */
    private static void quality(ObjectNode pq, PredictionMetrics.Quality q) {
        pq.put("episodes", q.episodes());
        pq.put("samples", q.samples());
        pq.put("positives", q.positives());
        num(pq, "prevalence", q.prevalence());
        num(pq, "AUROC", q.auroc());
        if (q.aurocCi() != null) {
            num(pq, "AUROC_ci95_lower", q.aurocCi().lower());
            num(pq, "AUROC_ci95_upper", q.aurocCi().upper());
            pq.put("AUROC_bootstrap", "by episode, " + q.aurocCi().replicates() + " replicates, "
                    + q.aurocCi().skippedReplicates() + " with one class skipped");
        } else {
            pq.putNull("AUROC_ci95_lower");
            pq.putNull("AUROC_ci95_upper");
        }
        num(pq, "AUPRC", q.auprc());
        num(pq, "Brier", q.brier());
        num(pq, "Brier_skill", q.brierSkill());
        num(pq, "ECE", q.ece());
        if (q.eceCi() != null) { // episode bootstrap, as the AUROC's
            num(pq, "ECE_ci95_lower", q.eceCi().lower());
            num(pq, "ECE_ci95_upper", q.eceCi().upper());
        }
        if (q.reason() != null) {
            pq.put("n/a", q.reason());
        }
    }

    /** The spec-6.4/6.5/6.8 objects of a SUT arm; a value that cannot be computed is null with a reason. */
    private static void prediction(ObjectNode o, PredictionMetrics.ArmPrediction p) {
        PredictionMetrics.Quality q = p.quality();
        ObjectNode pq = o.putObject("prediction_quality");
        pq.put("spec", "6.4");
        pq.put("H_s", PredictionMetrics.HORIZON_NANOS / 1_000_000_000L);
        pq.put("X", PredictionMetrics.ONSET_X);
        pq.put("evaluation", "post-fault, t = t_f, t_f+5 s, ... up to min(t_on(X), t_f+600 s, T-60 s)");
        pq.put("labels_from", p.predictOnly() ? "this predict-only arm's episodes (the same as b0's)"
                : "this full-mode arm's own episodes (its actions change the outcome)");
        quality(pq, q);
        if (p.allTime() != null) {
            ObjectNode at = o.putObject("prediction_quality_all_time");
            at.put("spec", "6.4 (all-time, reported separately: the pre-fault period is full of trivial negatives)");
            at.put("evaluation", "t = warm-up end, +5 s, ... up to min(t_on(X), T-60 s)");
            quality(at, p.allTime());
        }
        if (!p.baselines().isEmpty()) {
            ObjectNode bp = o.putObject("baseline_predictors");
            bp.put("spec", "6.4 (i)-(iv), raw scores from the same snapshots, on the same post-fault evaluation times; "
                    + "(v), the logistic regression on (i)-(iv) shipped with the risk model (trained on its training rows), "
                    + "applied to the same (i)-(iv) values");
            double best = Double.NaN;
            String bestName = null;
            for (PredictionMetrics.Baseline b : p.baselines()) {
                quality(bp.putObject(b.name()), b.quality());
                if (!Double.isNaN(b.quality().auroc()) && !(b.quality().auroc() <= best)) {
                    best = b.quality().auroc();
                    bestName = b.name();
                }
            }
            if (bestName != null) {
                bp.put("best", bestName);
                num(bp, "AUROC_margin_over_best", q.auroc() - best);
            }
        }
        if (!p.features().isEmpty()) {
            ObjectNode fs = o.putObject("feature_scores");
            fs.put("what", "each column of the risk model's feature vector scored alone as a raw score (higher = riskier), "
                    + "from the same snapshots, on the same post-fault evaluation times and labels as the risk (--feature-scores); "
                    + "AUROC below 0.5 means the feature is higher before calm times than before onsets");
            for (PredictionMetrics.Baseline b : p.features()) {
                quality(fs.putObject(b.name()), b.quality());
            }
        }
        PredictionMetrics.Lead l = p.lead();
        ObjectNode lt = o.putObject("lead_time");
        lt.put("spec", "6.5");
        lt.put("X", PredictionMetrics.ONSET_X);
        lt.put("theta_from", l.benignFrom());
        lt.put("max_false_alarms_per_day_per_1000_agents", LeadTime.DEFAULT_MAX_FALSE_ALARMS_PER_DAY_PER_1000_AGENTS);
        lt.put("benign_episodes", l.benignEpisodes());
        lt.put("benign_seconds", l.benignSeconds());
        if (l.threshold() != null) {
            num(lt, "theta", l.threshold().theta());
            lt.put("false_alarms", l.threshold().falseAlarms());
            num(lt, "allowed_false_alarms", l.threshold().allowedAlarms());
        } else {
            lt.putNull("theta");
        }
        num(lt, "false_alarms_per_day_per_1000_agents", l.falseAlarmsPerDayPer1000Agents());
        lt.put("cascades", l.cascades());
        LeadTime.Summary ls = l.lead();
        if (ls != null) {
            lt.put("warned", ls.warned());
            leadNum(lt, "LT_median_s", ls.medianSeconds());
            leadNum(lt, "LT_p10_s", ls.p10Seconds());
            num(lt, "LT_fraction_ge_10s", ls.fractionAtLeast10s());
            num(lt, "LT_fraction_ge_30s", ls.fractionAtLeast30s());
        } else {
            lt.putNull("LT_median_s");
            lt.putNull("LT_p10_s");
            lt.putNull("LT_fraction_ge_10s");
            lt.putNull("LT_fraction_ge_30s");
        }
        if (l.reason() != null) {
            lt.put("n/a", l.reason());
        }
        num(lt, "pre_onset_action_rate", l.preOnsetActionRate());
        num(lt, "pre_onset_action_rate_from_t_f_minus_60s", l.preOnsetActionRateNearFault());
        if (l.preOnsetReason() != null) {
            lt.put("pre_onset_action_rate_n/a", l.preOnsetReason());
        }
        PredictionMetrics.Latency lat = p.latency();
        ObjectNode pl = o.putObject("predict_latency");
        pl.put("spec", "6.8 (in-harness wall time around predict(), episodes running in parallel; not JMH)");
        pl.put("agents_min", lat.agentsMin());
        pl.put("agents_max", lat.agentsMax());
        if (lat.latency() != null) {
            pl.put("calls", lat.latency().count());
            num(pl, "p50_ms", lat.latency().p50Nanos() / 1e6);
            num(pl, "p99_ms", lat.latency().p99Nanos() / 1e6);
            num(pl, "p99.9_ms", lat.latency().p999Nanos() / 1e6);
            num(pl, "max_ms", lat.latency().maxNanos() / 1e6);
        } else {
            pl.put("calls", 0);
            pl.put("n/a", lat.reason());
        }
    }

    /** A lead-time quantile; −∞ (that share of the cascades was never warned) is null with a note. */
    private static void leadNum(ObjectNode o, String key, double v) {
        num(o, key, v);
        if (v == Double.NEGATIVE_INFINITY) {
            o.put(key + "_n/a", "-infinity: at least this share of the cascades got no warning at theta");
        }
    }

    private static void deltaA(ObjectNode o, String vs, InterventionCost.DeltaA d) {
        o.put("vs", vs);
        num(o, "mean", d.mean());
        num(o, "p95", d.p95());
    }

    /** Finite numbers as numbers; ±∞ and NaN (JSON has neither) as null. */
    private static void num(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    /** report.md plus its two PNGs. */
    static void writeReport(Path dir, RunInfo info, CpbRunner.Plan plan, List<Summary.ArmSummary> arms) throws IOException {
        List<String> names = new ArrayList<>();
        List<double[]> sizes = new ArrayList<>();
        for (Summary.ArmSummary a : arms) {
            names.add(a.arm());
            sizes.add(a.sizeValues());
        }
        String cell = String.format(Locale.ROOT, "%s %s, \u2113=%s, \u03b1=%s, %s", plan.source().kind(), plan.source().name(),
                Plots.fmt(plan.params().loadFactor()), Plots.fmt(plan.alpha()), plan.params().fault().name());
        Plots.ccdf(names, sizes, "Cascade-size CCDF \u2014 " + cell, dir.resolve("ccdf.png"));
        List<String> cmpNames = new ArrayList<>();
        List<SizeReduction.Estimate> est = new ArrayList<>();
        List<Double> costs = new ArrayList<>();
        List<Integer> colorIdx = new ArrayList<>();
        for (int k = 0; k < arms.size(); k++) {
            Summary.ArmSummary a = arms.get(k);
            if (a.vsB0() != null) {
                colorIdx.add(k);
                cmpNames.add(a.arm());
                est.add(a.vsB0().rSize());
                costs.add(a.vsB0().deltaA().mean());
            }
        }
        boolean pareto = !cmpNames.isEmpty();
        if (pareto) {
            double[] c = new double[costs.size()];
            for (int i = 0; i < c.length; i++) {
                c[i] = costs.get(i);
            }
            int[] colors = new int[colorIdx.size()];
            for (int i = 0; i < colors.length; i++) {
                colors[i] = colorIdx.get(i);
            }
            Plots.pareto(cmpNames, colors, c, est, "R_size vs availability cost \u2014 " + cell, dir.resolve("pareto.png"));
        } else {
            Files.deleteIfExists(dir.resolve("pareto.png"));
        }
        StringBuilder md = new StringBuilder();
        md.append("# CPB report: ").append(cell).append("\n\n");
        md.append("Command: `aura ").append(String.join(" ", info.command())).append("`  \n");
        md.append(String.format(Locale.ROOT, "Seeds %d\u2013%d (%d per arm, paired: every arm ran on the same seeds), "
                + "arms %s, %d episodes.  %n", plan.firstSeed(), plan.lastSeed(), plan.seedCount(),
                String.join(", ", names), plan.episodeCount()));
        md.append(String.format(Locale.ROOT, "Episode: T = %d s, warm-up %d s, load factor \u2113 = %s, tolerance \u03b1 = %s, "
                + "fault %s with magnitudes \u00d7 %s (%s), actuation delay %d ms.  %n", plan.params().durationSec(),
                plan.params().warmupSec(), Plots.fmt(plan.params().loadFactor()), Plots.fmt(plan.alpha()),
                plan.params().fault().name(), Plots.fmt(info.faultScale()), info.faultScaleSource(),
                plan.params().actuationDelayMs()));
        md.append("aura ").append(info.auraVersion()).append(", git ").append(info.gitSha())
                .append(". Per-episode data: `episodes.csv`; manifests: `manifest.json`, `manifests.jsonl`; "
                        + "metrics: `summary.json`.\n\n");
        md.append("## Cascade size S (spec 6.1)\n\n");
        md.append("S = fraction of agents outside the directly faulted set that were FAILED at some time in [t_f, T]. "
                + "A = successful / offered entry requests in [t_f, T].\n\n");
        md.append("| arm | n | mean S | median | p95 | p99 | P(S\u22650.01) | P(S\u22650.05) | P(S\u22650.1) | P(S\u22650.2) "
                + "| P(S\u22650.5) | mean S_peak | mean A | actions/episode |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Summary.ArmSummary a : arms) {
            double[] cv = a.sizes().ccdf();
            md.append("| ").append(a.arm()).append(" | ").append(a.n());
            md.append(" | ").append(f4(a.sizes().mean())).append(" | ").append(f4(a.sizes().median()))
                    .append(" | ").append(f4(a.sizes().p95())).append(" | ").append(f4(a.sizes().p99()));
            for (double v : cv) {
                md.append(" | ").append(f4(v));
            }
            md.append(" | ").append(f4(a.peakMean())).append(" | ").append(String.format(Locale.ROOT, "%.5f", a.availabilityMean()))
                    .append(" | ").append(String.format(Locale.ROOT, "%.1f", a.actionsMean())).append(" |\n");
        }
        md.append("\n![cascade-size CCDF per arm](ccdf.png)\n\n");
        md.append("## Paired comparison with b0 (spec 6.2, 6.3, 6.6)\n\n");
        if (!pareto) {
            md.append(names.contains(Arms.B0) ? "Only b0 ran: nothing to compare.\n\n"
                    : "b0 is not among the arms, so R_size, PCR, harm rate and \u0394A against b0 are not computed "
                            + "(add b0 to --arms).\n\n");
        } else {
            md.append("R_size = E[S_b0] / E[S_arm] with a paired bootstrap (10 000 replicates): one-sided 95% lower bound "
                    + "and two-sided 95% interval. PCR_X = 1 \u2212 #{S_arm > X} / #{S_b0 > X}. Harm rate = "
                    + "#{S_arm > S_b0 + 0.05} / n. \u0394A = A_b0 \u2212 A_arm (positive: the arm lost availability).\n\n");
            md.append("| arm | R_size | 95% lower bound (one-sided) | 95% CI | PCR_5% | PCR_10% | PCR_25% | harm rate "
                    + "| mean \u0394A | p95 \u0394A |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|\n");
            for (Summary.ArmSummary a : arms) {
                Summary.Comparison c = a.vsB0();
                if (c == null) {
                    continue;
                }
                SizeReduction.Estimate r = c.rSize();
                md.append("| ").append(a.arm()).append(" | ").append(ratio(r, r.point()));
                if (r.status() == SizeReduction.Status.UNDEFINED) { // said once, in the R_size cell
                    md.append(" | \u2013 | \u2013");
                } else {
                    md.append(" | ").append(ratio(r, r.lowerOneSided())).append(" | [").append(ratio(r, r.lower())).append(", ")
                            .append(ratio(r, r.upper())).append("]");
                }
                for (PreventedCascades.Pcr p : c.pcr()) {
                    md.append(" | ").append(p.value().isPresent() ? f4(p.value().getAsDouble())
                            : "undefined (b0: 0 cascades)").append(" (").append(p.sutCascades()).append("/")
                            .append(p.baselineCascades()).append(")");
                }
                md.append(" | ").append(f4(c.harmRate())).append(" | ").append(String.format(Locale.ROOT, "%+.5f",
                        c.deltaA().mean())).append(" | ").append(String.format(Locale.ROOT, "%+.5f", c.deltaA().p95())).append(" |\n");
            }
            md.append("\n![R_size against availability cost](pareto.png)\n\n");
            md.append("The Pareto plot puts each arm at (mean \u0394A, R_size) with its 95% interval; b0 sits at (0, 1). "
                    + "The line joins the arms no other arm beats on both cost and reduction. Spec 10.3 asks for baselines swept "
                    + "over their own knobs: list a baseline once per setting, e.g. `--arms b0,b1-r4j@30,b1-r4j,b1-r4j@70,aura` (docs/cpb.md).\n");
        }
        boolean anyOther = false;
        for (Summary.ArmSummary a : arms) {
            anyOther |= a.deltaAVersusBest() != null;
        }
        if (anyOther) {
            md.append("\n## Availability against the best baseline (spec 6.6)\n\n| arm | best baseline | mean \u0394A | p95 \u0394A |\n|---|---|---|---|\n");
            for (Summary.ArmSummary a : arms) {
                if (a.deltaAVersusBest() != null) {
                    md.append("| ").append(a.arm()).append(" | ").append(a.bestBaseline()).append(" | ")
                            .append(String.format(Locale.ROOT, "%+.5f", a.deltaAVersusBest().mean())).append(" | ")
                            .append(String.format(Locale.ROOT, "%+.5f", a.deltaAVersusBest().p95())).append(" |\n");
                }
            }
        }
        boolean anyBenign = false;
        boolean anyVs = false;
        for (Summary.ArmSummary a : arms) {
            anyBenign |= a.extra() != null && a.extra().deltaABenign() != null;
            anyVs |= a.extra() != null && !a.extra().vsBaselines().isEmpty();
        }
        if (anyBenign) {
            md.append("\n## Availability cost on benign episodes (spec 6.6)\n\n\u0394A_benign = A_b0 \u2212 A_arm over the "
                    + "episodes where b0's S < 1% (positive: the arm lost availability; T4 asks mean \u2264 0.001).\n\n"
                    + "| arm | benign episodes | mean \u0394A_benign | p95 \u0394A_benign | interventions / 24 h / 1 000 agents |\n"
                    + "|---|---|---|---|---|\n");
            for (Summary.ArmSummary a : arms) {
                Summary.Extra x = a.extra();
                if (x != null && x.deltaABenign() != null) {
                    md.append("| ").append(a.arm()).append(" | ").append(x.benignEpisodes()).append(" | ")
                            .append(String.format(Locale.ROOT, "%+.5f", x.deltaABenign().mean())).append(" | ")
                            .append(String.format(Locale.ROOT, "%+.5f", x.deltaABenign().p95())).append(" | ")
                            .append(String.format(Locale.ROOT, "%.1f", x.interventionsPerDayPer1000Agents())).append(" |\n");
                }
            }
        }
        boolean anyLoss = false;
        for (Summary.ArmSummary a : arms) {
            anyLoss |= a.extra() != null && !Double.isNaN(a.extra().protectionLossFraction());
        }
        if (anyLoss) {
            md.append("\n## Loss attributable to the protection (spec T4)\n\nEntry requests offered after t_f that failed "
                    + "with a call in their tree refused by the arm's protection (the guard's actions; a baseline's breakers, "
                    + "bulkheads, admission, throttles, retry budgets), over all offered: the direct charge. It counts a request "
                    + "whose refused call was retried with success and that failed for another reason, and it leaves out the "
                    + "requests refusals lose indirectly (a caller's pool filled by refused calls' retry waits, so that later "
                    + "requests find its queue full); the net effect is ΔA. T4 asks < 1% for the SUT.\n\n"
                    + "| arm | offered | lost with a refusal in the tree | share |\n|---|---|---|---|\n");
            for (Summary.ArmSummary a : arms) {
                Summary.Extra x = a.extra();
                if (x != null && !Double.isNaN(x.protectionLossFraction())) {
                    md.append("| ").append(a.arm()).append(" | ").append(x.entryOffered()).append(" | ")
                            .append(x.entryLostToProtection()).append(" | ")
                            .append(String.format(Locale.ROOT, "%.3f%%", 100 * x.protectionLossFraction())).append(" |\n");
                }
            }
        }
        if (anyVs) {
            md.append("\n## Against every baseline (spec 6.2, 6.9)\n\nR_size vs B = E[S_B] / E[S_arm] (paired bootstrap); "
                    + "p = one-sided paired-bootstrap p-value of \"the arm's cascades are larger than B's\", Holm-adjusted over "
                    + "this run's baselines (across families, adjust the families' p-values together).\n\n"
                    + "| arm | baseline | R_size vs B | 95% lower bound (one-sided) | p (worse) | p Holm | significantly worse |\n"
                    + "|---|---|---|---|---|---|---|\n");
            for (Summary.ArmSummary a : arms) {
                if (a.extra() == null) {
                    continue;
                }
                for (Summary.VsBaseline v : a.extra().vsBaselines()) {
                    SizeReduction.Estimate r = v.rSize();
                    md.append("| ").append(a.arm()).append(" | ").append(v.baseline()).append(" | ").append(ratio(r, r.point()))
                            .append(" | ").append(r.status() == SizeReduction.Status.UNDEFINED ? "\u2013" : ratio(r, r.lowerOneSided()))
                            .append(" | ").append(String.format(Locale.ROOT, "%.4f", v.pWorse())).append(" | ")
                            .append(String.format(Locale.ROOT, "%.4f", v.pWorseHolm())).append(" | ")
                            .append(v.significantlyWorse() ? "**yes**" : "no").append(" |\n");
                }
            }
        }
        predictionReport(md, arms);
        Files.writeString(dir.resolve("report.md"), md.toString(), StandardCharsets.UTF_8);
    }

    /** The simple baseline predictors of spec 6.4 beside each SUT arm that recorded them. */
    static void baselineReport(StringBuilder md, List<Summary.ArmSummary> sut) {
        boolean any = false;
        for (Summary.ArmSummary a : sut) {
            any |= !a.prediction().baselines().isEmpty();
        }
        md.append("\n### Baseline predictors (spec 6.4 (i)\u2013(v))\n\n");
        if (!any) {
            md.append("n/a: no arm recorded them (they are recorded for AURA's arms).\n");
            return;
        }
        md.append("(i)\u2013(iv): raw scores computed from the same snapshots the arm saw, on the same post-fault evaluation "
                + "times and labels as its risk (AUROC and AUPRC only: a raw score has no calibration). (v): the logistic "
                + "regression on (i)\u2013(iv) shipped with the risk model (fitted on its training rows), applied to the "
                + "same values. The spec asks the SUT's AUROC to be \u2265 0.05 above the best of them.\n\n");
        md.append("| arm | predictor | AUROC | 95% CI | AUPRC | arm's AUROC \u2212 this |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (Summary.ArmSummary a : sut) {
            double own = a.prediction().quality().auroc();
            for (PredictionMetrics.Baseline b : a.prediction().baselines()) {
                PredictionMetrics.Quality q = b.quality();
                md.append("| ").append(a.arm()).append(" | ").append(b.name()).append(" | ").append(f4(q.auroc())).append(" | ")
                        .append(q.aurocCi() == null ? "\u2013" : "[" + f4(q.aurocCi().lower()) + ", " + f4(q.aurocCi().upper()) + "]")
                        .append(" | ").append(f4(q.auprc())).append(" | ")
                        .append(Double.isFinite(own - q.auroc()) ? String.format(Locale.ROOT, "%+.4f", own - q.auroc()) : "\u2013")
                        .append(" |\n");
            }
        }
    }

    /** Each model feature scored alone, for the SUT arms that recorded them ({@code --feature-scores}). */
    static void featureReport(StringBuilder md, List<Summary.ArmSummary> sut) {
        List<Summary.ArmSummary> with = new ArrayList<>();
        for (Summary.ArmSummary a : sut) {
            if (!a.prediction().features().isEmpty()) {
                with.add(a);
            }
        }
        if (with.isEmpty()) {
            return;
        }
        md.append("\n### Each model feature alone (--feature-scores)\n\n");
        md.append("Every column of the risk model's feature vector (docs/predictor.md) scored alone as a raw score, on the "
                + "same post-fault evaluation times and labels as the arm's risk. It shows which signals separate the "
                + "pre-onset minutes from the rest in this run, and which do not (AUROC near or below 0.5).\n\n");
        md.append("| arm | feature | AUROC | 95% CI | AUPRC |\n");
        md.append("|---|---|---|---|---|\n");
        for (Summary.ArmSummary a : with) {
            for (PredictionMetrics.Baseline b : a.prediction().features()) {
                PredictionMetrics.Quality q = b.quality();
                md.append("| ").append(a.arm()).append(" | ").append(b.name()).append(" | ").append(f4(q.auroc())).append(" | ")
                        .append(q.aurocCi() == null ? "\u2013" : "[" + f4(q.aurocCi().lower()) + ", " + f4(q.aurocCi().upper()) + "]")
                        .append(" | ").append(f4(q.auprc())).append(" |\n");
            }
        }
    }

    /** The prediction sections of report.md (SUT arms only). */
    static void predictionReport(StringBuilder md, List<Summary.ArmSummary> arms) {
        List<Summary.ArmSummary> sut = new ArrayList<>();
        for (Summary.ArmSummary a : arms) {
            if (a.prediction() != null) {
                sut.add(a);
            }
        }
        md.append("\n## Prediction quality (spec 6.4)\n\n");
        if (sut.isEmpty()) {
            md.append("n/a: no SUT arm (").append(String.join(", ", Arms.suts().keySet())).append(") in the run; baselines return no risk.\n");
            return;
        }
        md.append("Post-fault only: the `risk` output at t = t_f, t_f + 5 s, \u2026 up to min(t_on(10%), t_f + 600 s, T \u2212 60 s) "
                + "(the value of the last 1-s control tick at or before t), label y = 1[t < t_on(10%) \u2264 t + 60 s]. "
                + "Samples of all episodes of an arm are pooled; the AUROC interval is a bootstrap by episode (10 000 "
                + "replicates). Only the predict-only arm is the spec's measurement: a full-mode arm's actions change "
                + "its own labels. The all-time AUROC (every 5 s from the warm-up's end, up to min(t_on(10%), T \u2212 60 s)) "
                + "is reported separately: the pre-fault period is full of trivial negatives.\n\n");
        md.append("| arm | mode | episodes | samples | prevalence | AUROC | 95% CI | AUPRC | Brier skill | ECE | all-time AUROC | n/a |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Summary.ArmSummary a : sut) {
            PredictionMetrics.Quality q = a.prediction().quality();
            md.append("| ").append(a.arm()).append(" | ").append(a.prediction().predictOnly() ? "predict-only" : "full")
                    .append(" | ").append(q.episodes()).append(" | ").append(q.samples()).append(" | ")
                    .append(f4(q.prevalence())).append(" | ").append(f4(q.auroc())).append(" | ")
                    .append(q.aurocCi() == null ? "\u2013" : "[" + f4(q.aurocCi().lower()) + ", " + f4(q.aurocCi().upper()) + "]")
                    .append(" | ").append(f4(q.auprc())).append(" | ").append(f4(q.brierSkill())).append(" | ")
                    .append(f4(q.ece())).append(" | ")
                    .append(a.prediction().allTime() == null ? "\u2013" : f4(a.prediction().allTime().auroc())).append(" | ")
                    .append(q.reason() == null ? "" : q.reason()).append(" |\n");
        }
        baselineReport(md, sut);
        featureReport(md, sut);
        md.append("\n## Lead time (spec 6.5)\n\n");
        md.append("\u03b8 is the smallest risk value with at most 1 false alarm (rising edge of risk \u2265 \u03b8) per 24 h "
                + "of simulated time per 1 000 agents on the arm's benign episodes (b0 had S < 1% on the same seed; the arm's "
                + "own S < 1% when b0 is not in the run), over [t_f \u2212 60 s, T]. The spec fixes \u03b8 on dev seeds; without "
                + "--theta-from the run's own seeds are used, which is optimistic (the source of each arm's \u03b8 is listed below). With few benign hours the budget allows no alarm "
                + "at all and \u03b8 lands just above the highest benign risk. LT = t_on(10%) \u2212 t_warn over the arm's own "
                + "episodes that reached t_on(10%), t_warn the first second \u2265 t_f \u2212 60 s with risk \u2265 \u03b8; "
                + "an unwarned cascade counts as LT = \u2212\u221e. The pre-onset action rate (full-mode arms, b0 in the "
                + "run) is the share of episodes where b0 reached t_on(10%) in which the arm's first action took effect "
                + "before b0's t_on(10%).\n\n");
        for (Summary.ArmSummary a : sut) {
            md.append("* ").append(a.arm()).append(": ").append(a.prediction().lead().benignFrom()).append(".\n");
        }
        md.append('\n');
        md.append("| arm | benign episodes | \u03b8 | false alarms / day / 1000 agents | cascades | warned | median LT (s) "
                + "| p10 LT (s) | LT \u2265 10 s | LT \u2265 30 s | pre-onset action rate | n/a |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Summary.ArmSummary a : sut) {
            PredictionMetrics.Lead l = a.prediction().lead();
            LeadTime.Summary ls = l.lead();
            List<String> na = new ArrayList<>();
            if (l.reason() != null) {
                na.add(l.reason());
            }
            if (l.preOnsetReason() != null) {
                na.add("pre-onset: " + l.preOnsetReason());
            }
            md.append("| ").append(a.arm()).append(" | ").append(l.benignEpisodes()).append(" | ")
                    .append(l.threshold() == null ? "\u2013" : String.format(Locale.ROOT, "%.4g", l.threshold().theta()))
                    .append(" | ").append(f4(l.falseAlarmsPerDayPer1000Agents())).append(" | ")
                    .append(l.cascades()).append(" | ").append(ls == null ? "\u2013" : Integer.toString(ls.warned()))
                    .append(" | ").append(ls == null ? "\u2013" : lt(ls.medianSeconds())).append(" | ")
                    .append(ls == null ? "\u2013" : lt(ls.p10Seconds())).append(" | ")
                    .append(ls == null ? "\u2013" : f4(ls.fractionAtLeast10s())).append(" | ")
                    .append(ls == null ? "\u2013" : f4(ls.fractionAtLeast30s())).append(" | ")
                    .append(f4(l.preOnsetActionRate())).append(" | ").append(String.join("; ", na)).append(" |\n");
        }
        md.append("\n## Predict latency (in-harness, spec 6.8)\n\n");
        md.append("Wall time of each `predict()` call measured around the call inside the simulator, with other episodes "
                + "running in parallel on the same cores. Not the JMH measurement of spec 6.8 (see docs/benchmarks.md for "
                + "that), and it differs from run to run.\n\n");
        md.append("| arm | agents | calls | p50 (ms) | p99 (ms) | p99.9 (ms) | max (ms) |\n|---|---|---|---|---|---|---|\n");
        for (Summary.ArmSummary a : sut) {
            PredictionMetrics.Latency l = a.prediction().latency();
            String agents = l.agentsMin() == l.agentsMax() ? Integer.toString(l.agentsMin()) : l.agentsMin() + "\u2013" + l.agentsMax();
            md.append("| ").append(a.arm()).append(" | ").append(agents).append(" | ");
            if (l.latency() == null) {
                md.append("0 | n/a: ").append(l.reason()).append(" | | | |\n");
            } else {
                LatencyStats.Summary s = l.latency();
                md.append(s.count()).append(" | ").append(ms(s.p50Nanos())).append(" | ").append(ms(s.p99Nanos()))
                        .append(" | ").append(ms(s.p999Nanos())).append(" | ").append(ms(s.maxNanos())).append(" |\n");
            }
        }
    }

    private static String ms(double nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static String lt(double seconds) {
        if (seconds == Double.NEGATIVE_INFINITY) {
            return "\u2212\u221e (no warning)";
        }
        return String.format(Locale.ROOT, "%.1f", seconds);
    }

    private static String f4(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "\u2013";
    }

    private static String ratio(SizeReduction.Estimate r, double v) {
        if (r.status() == SizeReduction.Status.UNDEFINED) {
            return "undefined (no cascades in either arm)";
        }
        if (v == Double.POSITIVE_INFINITY) {
            return "\u221e";
        }
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "\u2013";
    }
}
