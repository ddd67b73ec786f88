package io.aura.cli.cpb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aura.cascade.critical.CallGraphCentrality;
import io.aura.cascade.critical.CandidateSet;
import io.aura.cascade.critical.CritEstimate;
import io.aura.cascade.critical.CriticalEvaluation;
import io.aura.cascade.critical.CriticalStudy;
import io.aura.cascade.sim.Episode;
import io.aura.cascade.sim.EpisodeResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/** critical.json and report.md of {@code aura bench critical}. */
final class CriticalOutputs {
    /** How immunity is applied, for the manifest. */
    static final String IMMUNE_RULE = "capacity x" + Episode.IMMUNE_CAPACITY_FACTOR + " (cores per instance, threads per instance, "
            + "queue capacity, token bucket rate and burst; instance count unchanged) and no fault on the agent (removed from "
            + "the fault's target set; a single-target fault on it is not applied and nothing else is drawn; an F4 surge "
            + "spares it if it is an entry; F8 spares its outgoing edges); every random stream paired with B0's episode";
    /** How the SUT's ranking is formed. */
    static final String SUT_RULE = "per seed, each agent's mean critical score over the post-fault control ticks s with "
            + "t_f <= s < t_f + 60 s (its criticalScores entry when it is among the prediction's criticalAgents, 0 "
            + "otherwise), AuraGuard in predict-only mode on the B0 episode; then the mean over seeds; ties by agent index";
    /** How the utilisation baseline is formed. */
    static final String UTILISATION_RULE = "per seed, each agent's mean max(thread, cpu) utilisation over the ticks s with "
            + "t_f - 60 s <= s < t_f as the guard sees it (missing rows skipped), B0; then the mean over seeds";

    private CriticalOutputs() {
    }

    /**
     * Run time.
     *
     * @param wallSec wall time of the whole command
     * @param episodes episodes simulated
     * @param immuneEpisodeWallSec mean wall time of one immune episode
     * @param threads worker threads
     */
    record Timing(double wallSec, int episodes, double immuneEpisodeWallSec, int threads) {
    }

    static void write(CriticalCommand.Setup s, List<CriticalStudy.SeedRun> runs, double[][] immune, CriticalStudy.Outcome o,
            Timing timing) throws IOException {
        ObjectMapper mapper = RunOutputs.mapper();
        ObjectNode root = mapper.createObjectNode();
        root.set("manifest", manifest(mapper, s, o, timing));
        ArrayNode b0 = root.putArray("b0");
        double meanB0 = 0;
        for (CriticalStudy.SeedRun r : runs) {
            EpisodeResult e = r.result();
            ObjectNode x = b0.addObject();
            x.put("seed", r.seed());
            x.put("S", e.cascadeSize());
            x.put("fault", e.faultApplied().name());
            x.put("t_f", e.faultTimeSec());
            ArrayNode f = x.putArray("faulted");
            for (int a : e.faultedAgents()) {
                f.add(a);
            }
            x.put("trace_sha256", e.traceSha256());
            meanB0 += e.cascadeSize() / runs.size();
        }
        root.put("S_b0_mean", meanB0);
        int n = s.topology().agentCount();
        int[] cand = o.candidates();
        int[] candIndex = new int[n];
        Arrays.fill(candIndex, -1);
        for (int j = 0; j < cand.length; j++) {
            candIndex[cand[j]] = j;
        }
        Map<String, int[]> rankings = o.rankings();
        int[][] rankOf = new int[rankings.size()][n];
        List<String> rankingNames = new ArrayList<>(rankings.keySet());
        for (int r = 0; r < rankingNames.size(); r++) {
            int[] order = rankings.get(rankingNames.get(r));
            for (int pos = 0; pos < order.length; pos++) {
                rankOf[r][order[pos]] = pos + 1;
            }
        }
        ArrayNode agents = root.putArray("agents");
        int positive = 0;
        for (int i = 0; i < n; i++) {
            ObjectNode a = agents.addObject();
            a.put("agent", i);
            if (!s.names().isEmpty()) {
                a.put("name", s.names().get(i));
            }
            int j = candIndex[i];
            a.put("candidate", j >= 0);
            if (j >= 0) {
                CritEstimate c = o.crit().get(j);
                a.put("crit", c.crit());
                a.put("se", c.standardError());
                a.put("ci95_lower", c.lower());
                a.put("ci95_upper", c.upper());
                a.put("ci_above_zero", c.positive());
                a.put("S_b0_mean", c.meanB0());
                a.put("S_immune_mean", c.meanImmune());
                ArrayNode by = a.putArray("S_immune_by_seed");
                for (double v : immune[j]) {
                    by.add(v);
                }
                positive += c.positive() ? 1 : 0;
            }
            ObjectNode sc = a.putObject("scores");
            ObjectNode rk = a.putObject("ranks");
            for (int r = 0; r < rankingNames.size(); r++) {
                sc.put(rankingNames.get(r), o.scores().get(rankingNames.get(r))[i]);
                rk.put(rankingNames.get(r), rankOf[r][i]);
            }
        }
        root.put("candidates_with_ci_above_zero", positive);
        long critPositive = Arrays.stream(o.critValues()).filter(v -> v > 0).count();
        root.put("candidates_with_crit_above_zero", critPositive);
        ObjectNode rk = root.putObject("rankings");
        for (String name : rankingNames) {
            ArrayNode arr = rk.putArray(name);
            for (int a : rankings.get(name)) {
                arr.add(a);
            }
        }
        ObjectNode k = root.putObject("k");
        o.evaluation().cuts().forEach(k::put);
        ObjectNode metrics = root.putObject("metrics");
        for (CriticalEvaluation.Quality q : o.evaluation().qualities()) {
            ObjectNode m = metrics.putObject(q.ranking());
            for (CriticalEvaluation.Score sc : q.scores()) {
                opt(m, "precision@" + sc.label(), sc.precision());
            }
            for (CriticalEvaluation.Score sc : q.scores()) {
                opt(m, "ndcg@" + sc.label(), sc.ndcg());
            }
        }
        CriticalEvaluation.Verdict v = o.evaluation().verdict();
        ObjectNode t7 = root.putObject("t7");
        condition(t7.putObject("precision@10"), v.precision());
        condition(t7.putObject("ndcg@10"), v.ndcg());
        condition(t7.putObject("margin_over_best_baseline"), v.margin());
        t7.put("overall", v.overall().name().toLowerCase(Locale.ROOT));
        Files.writeString(s.outDir().resolve("critical.json"), mapper.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
        Files.writeString(s.outDir().resolve("report.md"), report(s, runs, o, meanB0, positive, critPositive, timing),
                StandardCharsets.UTF_8);
    }

    private static ObjectNode manifest(ObjectMapper mapper, CriticalCommand.Setup s, CriticalStudy.Outcome o, Timing timing) {
        ObjectNode m = mapper.createObjectNode();
        m.put("tool", "aura bench critical");
        ArrayNode cmd = m.putArray("command");
        s.info().command().forEach(cmd::add);
        m.put("aura_version", s.info().auraVersion());
        m.put("git_sha", s.info().gitSha());
        m.put("source", s.source().kind());
        m.put(s.source().kind().equals("family") ? "family" : "topology", s.source().name());
        if (s.source().fileSha256() != null) {
            m.put("topology_file", s.info().topologyFile());
            m.put("topology_file_sha256", s.source().fileSha256());
        }
        m.put("agents", s.topology().agentCount());
        m.put("topology_seed", s.firstSeed());
        m.put("topology_sha256", TopologyHash.of(s.topology()));
        ObjectNode seeds = m.putObject("seeds");
        seeds.put("first", s.firstSeed());
        seeds.put("last", s.lastSeed());
        seeds.put("count", s.seedCount());
        m.put("duration_sec", s.params().durationSec());
        m.put("warmup_sec", s.params().warmupSec());
        m.put("load_factor", s.params().loadFactor());
        m.put("alpha", CriticalCommand.ALPHA);
        m.put("fault", s.params().fault().name());
        m.put("fault_magnitude_scale", s.info().faultScale());
        m.put("fault_magnitude_scale_source", s.info().faultScaleSource());
        m.put("realistic_view", s.params().realisticView());
        m.put("guard", "AuraGuard, predict-only on the B0 episodes");
        m.put("guard_version", CriticalCommand.guardVersion());
        m.put("immune", IMMUNE_RULE);
        m.put("sut_ranking", SUT_RULE);
        m.put("utilisation_ranking", UTILISATION_RULE);
        m.put("structural_rankings", "degree (out + in, distinct neighbours), directed Brandes betweenness over ordered pairs, "
                + "dependents-PageRank (rank flows caller -> callee, damping " + CallGraphCentrality.DAMPING
                + ", leaves spread uniformly) on the simulator's true call graph");
        ObjectNode c = m.putObject("candidates");
        c.put("count", o.candidates().length);
        c.put("rule", s.topology().agentCount() <= CandidateSet.ALL_AGENTS_LIMIT ? "all agents (N <= " + CandidateSet.ALL_AGENTS_LIMIT + ")"
                : "union of the top " + CandidateSet.TOP_EACH + " of every ranking plus " + CandidateSet.RANDOM_AGENTS
                        + " random other agents (stream " + CandidateSet.STREAM + " of the first seed)");
        ObjectNode b = m.putObject("bootstrap");
        b.put("by", "seed");
        b.put("replicates", CritEstimate.DEFAULT_REPLICATES);
        b.put("confidence", CritEstimate.DEFAULT_CONFIDENCE);
        b.put("seed", "0x67 + agent");
        ObjectNode t = m.putObject("timing");
        t.put("wall_sec", timing.wallSec());
        t.put("episodes", timing.episodes());
        t.put("immune_episode_wall_sec_mean", timing.immuneEpisodeWallSec());
        t.put("threads", timing.threads());
        return m;
    }

    private static void opt(ObjectNode o, String key, OptionalDouble v) {
        if (v.isPresent()) {
            o.put(key, v.getAsDouble());
        } else {
            o.putNull(key);
        }
    }

    private static void condition(ObjectNode o, CriticalEvaluation.Condition c) {
        if (Double.isNaN(c.value())) {
            o.putNull("value");
        } else {
            o.put("value", c.value());
        }
        o.put("target", c.target());
        o.put("status", c.status().name().toLowerCase(Locale.ROOT));
        o.put("detail", c.detail());
    }

    private static String report(CriticalCommand.Setup s, List<CriticalStudy.SeedRun> runs, CriticalStudy.Outcome o, double meanB0,
            int positive, long critPositive, Timing timing) {
        StringBuilder md = new StringBuilder();
        int n = s.topology().agentCount();
        md.append("# Critical agents (CPB 6.7): ").append(s.source().kind()).append(' ').append(s.source().name()).append("\n\n");
        md.append("Command: `aura ").append(String.join(" ", s.info().command())).append("`  \n");
        md.append(String.format(Locale.ROOT, "N = %d agents, %d candidates; seeds %d\u2013%d (%d, paired); T = %d s; fault %s "
                + "(magnitudes \u00d7 %s); \u2113 = %s, \u03b1 = %s; guard %s; %d episodes in %.0f s wall, threads %d "
                + "(%.2f s per immune episode).  %n", n, o.candidates().length, s.firstSeed(), s.lastSeed(), s.seedCount(),
                s.params().durationSec(), s.params().fault().name(), Plots.fmt(s.info().faultScale()),
                Plots.fmt(s.params().loadFactor()), Plots.fmt(CriticalCommand.ALPHA), CriticalCommand.guardVersion(),
                timing.episodes(), timing.wallSec(), timing.threads(), timing.immuneEpisodeWallSec()));
        md.append("aura ").append(s.info().auraVersion()).append(", git ").append(s.info().gitSha()).append(". Data: `critical.json`.\n\n");
        md.append("crit_i = mean S_B0 \u2212 mean S_B0|i immune over the paired seeds (immune: ").append(IMMUNE_RULE).append(").  \n");
        md.append("AURA's ranking: ").append(SUT_RULE).append(".  \n");
        md.append("Utilisation ranking: ").append(UTILISATION_RULE).append(".\n\n");
        int[] faults = new int[io.aura.cascade.sim.FaultKind.values().length];
        for (CriticalStudy.SeedRun r : runs) {
            faults[r.result().faultApplied().ordinal()]++;
        }
        StringBuilder mix = new StringBuilder();
        for (io.aura.cascade.sim.FaultKind f : io.aura.cascade.sim.FaultKind.values()) {
            if (faults[f.ordinal()] > 0) {
                mix.append(mix.length() == 0 ? "" : ", ").append(f.name()).append(' ').append(faults[f.ordinal()]);
            }
        }
        md.append(String.format(Locale.ROOT, "Mean S_B0 = %.4f (faults drawn: %s). Candidates with crit > 0: %d; with the whole "
                + "95%% interval above 0: %d.%n%n", meanB0, mix, critPositive, positive));

        CriticalEvaluation.Verdict v = o.evaluation().verdict();
        md.append("## T7 verdict: ").append(v.overall().name().toLowerCase(Locale.ROOT)).append("\n\n");
        md.append("| condition | value | target | status |\n|---|---|---|---|\n");
        row(md, "precision@10 (AURA)", v.precision());
        row(md, "NDCG@10 (AURA)", v.ndcg());
        row(md, "margin over the best baseline (min of the two)", v.margin());
        md.append("\nMargin: ").append(v.margin().detail()).append(".\n\n");

        md.append("## Ranking quality\n\n");
        Map<String, Integer> cuts = o.evaluation().cuts();
        md.append("| ranking |");
        for (String c : cuts.keySet()) {
            md.append(" P@").append(c).append(c.equals("1%") ? " (k=" + cuts.get(c) + ")" : "").append(" |");
        }
        for (String c : cuts.keySet()) {
            md.append(" NDCG@").append(c).append(" |");
        }
        md.append("\n|---|");
        md.append("---|".repeat(2 * cuts.size())).append('\n');
        for (CriticalEvaluation.Quality q : o.evaluation().qualities()) {
            md.append("| ").append(q.ranking()).append(" |");
            for (CriticalEvaluation.Score sc : q.scores()) {
                md.append(' ').append(f3(sc.precision())).append(" |");
            }
            for (CriticalEvaluation.Score sc : q.scores()) {
                md.append(' ').append(f3(sc.ndcg())).append(" |");
            }
            md.append('\n');
        }
        md.append("\nprecision@k counts an agent as relevant if its crit is > 0 and at least the k-th largest crit; NDCG uses "
                + "max(crit, 0) as the gain. With fewer than k agents of crit > 0, precision@k cannot reach 1.\n\n");

        md.append("## Agents by crit (top 20 of the candidates)\n\n");
        List<String> names = new ArrayList<>(o.rankings().keySet());
        md.append("| agent | crit | 95% CI (bootstrap by seed) | se | mean S, i immune |");
        for (String r : names) {
            md.append(" rank ").append(r).append(" |");
        }
        md.append("\n|---|---|---|---|---|").append("---|".repeat(names.size())).append('\n');
        int[] cand = o.candidates();
        Integer[] byCrit = new Integer[cand.length];
        for (int j = 0; j < cand.length; j++) {
            byCrit[j] = j;
        }
        List<CritEstimate> crit = o.crit();
        Arrays.sort(byCrit, (a, b) -> crit.get(a).crit() != crit.get(b).crit() ? Double.compare(crit.get(b).crit(), crit.get(a).crit())
                : Integer.compare(cand[a], cand[b]));
        int[][] rankOf = new int[names.size()][n];
        for (int r = 0; r < names.size(); r++) {
            int[] order = o.rankings().get(names.get(r));
            for (int pos = 0; pos < order.length; pos++) {
                rankOf[r][order[pos]] = pos + 1;
            }
        }
        for (int x = 0; x < Math.min(20, byCrit.length); x++) {
            int j = byCrit[x];
            int a = cand[j];
            CritEstimate c = crit.get(j);
            md.append("| ").append(a);
            if (!s.names().isEmpty()) {
                md.append(' ').append(s.names().get(a));
            }
            md.append(String.format(Locale.ROOT, " | %.4f | [%.4f, %.4f] | %.4f | %.4f |", c.crit(), c.lower(), c.upper(),
                    c.standardError(), c.meanImmune()));
            for (int r = 0; r < names.size(); r++) {
                md.append(' ').append(rankOf[r][a]).append(" |");
            }
            md.append('\n');
        }
        md.append("\n## Top 10 of each ranking\n\n");
        for (String r : names) {
            int[] order = o.rankings().get(r);
            md.append("* ").append(r).append(": ");
            for (int p = 0; p < Math.min(10, order.length); p++) {
                md.append(p == 0 ? "" : ", ").append(order[p]);
                if (!s.names().isEmpty()) {
                    md.append(' ').append(s.names().get(order[p]));
                }
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static void row(StringBuilder md, String what, CriticalEvaluation.Condition c) {
        md.append("| ").append(what).append(" | ").append(Double.isNaN(c.value()) ? "undefined" : String.format(Locale.ROOT, "%.3f", c.value()))
                .append(" | ").append(c.target() == CriticalEvaluation.T7_MARGIN ? "\u2265 +" : "\u2265 ")
                .append(Plots.fmt(c.target())).append(" | ").append(c.status().name().toLowerCase(Locale.ROOT)).append(" |\n");
    }

    private static String f3(OptionalDouble v) {
        return v.isPresent() ? String.format(Locale.ROOT, "%.3f", v.getAsDouble()) : "\u2013";
    }
}
