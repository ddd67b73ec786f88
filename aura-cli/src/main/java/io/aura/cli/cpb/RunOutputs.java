package io.aura.cli.cpb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aura.cascade.metrics.InterventionCost;
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
 * {@code pareto.png}. Nothing in them depends on wall time, so two runs of the same command write
 * identical files.
 */
final class RunOutputs {
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
        return o;
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
                md.append("| ").append(a.arm()).append(" | ").append(ratio(r, r.point())).append(" | ")
                        .append(ratio(r, r.lowerOneSided())).append(" | [").append(ratio(r, r.lower())).append(", ")
                        .append(ratio(r, r.upper())).append("]");
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
                    + "over their own knobs: run the command once per setting and compare.\n");
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
        Files.writeString(dir.resolve("report.md"), md.toString(), StandardCharsets.UTF_8);
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
