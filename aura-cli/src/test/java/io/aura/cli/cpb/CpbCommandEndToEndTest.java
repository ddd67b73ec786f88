package io.aura.cli.cpb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aura bench cpb} on a tiny topology file: files, columns, keys, determinism. */
class CpbCommandEndToEndTest {
    @TempDir
    Path tmp;

    static final String TOPOLOGY = """
            {"name": "tiny", "entryRate": 30,
             "agents": [{"id": "web", "role": "entry", "cpuMs": 1},
                        {"id": "api", "role": "middle", "cpuMs": 2},
                        {"id": "auth", "role": "middle", "cpuMs": 1, "error": 0.001},
                        {"id": "db", "role": "db", "cpuMs": 3}],
             "edges": [{"from": "web", "to": "api"},
                       {"from": "web", "to": "auth", "probability": 0.5},
                       {"from": "api", "to": "db", "multiplicity": [1, 2], "type": "db"},
                       {"from": "auth", "to": "db", "type": "db"}]}
            """;

    private String[] run(Path out, String threads) throws Exception {
        Path topo = tmp.resolve("tiny.json");
        Files.writeString(topo, TOPOLOGY);
        return CpbCommandArgsTest.run("bench", "cpb", "--topology", topo.toString(), "--seeds", "3-4", "--arms", "b0,b1-hyx",
                "--duration", "900", "--fault", "f2", "--threads", threads, "--out", out.toString());
    }

    @Test
    void runsTheSutOnTheFluidModel() throws Exception {
        Path a = tmp.resolve("fluid");
        String[] r = CpbCommandArgsTest.run("bench", "cpb", "--family", "dsb-sn", "--seeds", "2", "--arms", "b0,aura-predict,aura",
                "--dynamics", "fluid", "--duration", "900", "--threads", "2", "--quiet", "--out", a.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        List<String> csv = Files.readAllLines(a.resolve("episodes.csv"));
        assertThat(csv).hasSize(4);
        int sha = EpisodeFiles.COLUMNS.indexOf("trace_sha256");
        int events = EpisodeFiles.COLUMNS.indexOf("events");
        int p99 = EpisodeFiles.COLUMNS.indexOf("predict_p99_ms");
        String[] b0 = csv.get(1).split(",", -1);
        String[] predict = csv.get(2).split(",", -1);
        // the predict-only arm watches the b0 episode without changing it; the fluid model counts its steps as events
        assertThat(predict[sha]).isEqualTo(b0[sha]);
        assertThat(b0[events]).isEqualTo("9000");
        assertThat(Double.parseDouble(predict[p99])).isPositive();
        JsonNode run = new ObjectMapper().readTree(a.resolve("manifest.json").toFile());
        assertThat(run.get("dynamics").asText()).isEqualTo("D3-fluid");
        JsonNode arms = new ObjectMapper().readTree(a.resolve("summary.json").toFile()).get("arms");
        assertThat(arms).hasSize(3);
        assertThat(run.has("fluid_step_s")).isFalse();

        // --step 1: ten times fewer steps, the step in the manifest, and a different episode
        Path c = tmp.resolve("fluid-step");
        String[] r2 = CpbCommandArgsTest.run("bench", "cpb", "--family", "dsb-sn", "--seeds", "2", "--arms", "b0",
                "--dynamics", "fluid", "--step", "1", "--duration", "900", "--quiet", "--out", c.toString());
        assertThat(r2[0]).as(r2[2]).isEqualTo("0");
        String[] coarse = Files.readAllLines(c.resolve("episodes.csv")).get(1).split(",", -1);
        assertThat(coarse[events]).isEqualTo("900");
        assertThat(coarse[sha]).isNotEqualTo(b0[sha]);
        assertThat(new ObjectMapper().readTree(c.resolve("manifest.json").toFile()).get("fluid_step_s").asDouble()).isEqualTo(1.0);
    }

    @Test
    void writesEveryOutputAndRepeatsItself() throws Exception {
        Path a = tmp.resolve("a");
        String[] r = run(a, "2");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[2]).contains("cpb: 4/4 episodes (100%)").contains("cpb: wrote " + a);
        for (String f : new String[] {"episodes.csv", "manifest.json", "manifests.jsonl", "summary.json", "report.md", "ccdf.png", "pareto.png"}) {
            assertThat(a.resolve(f)).as(f).exists();
        }
        assertThat(ImageIO.read(a.resolve("ccdf.png").toFile())).isNotNull();
        assertThat(ImageIO.read(a.resolve("pareto.png").toFile())).isNotNull();

        List<String> csv = Files.readAllLines(a.resolve("episodes.csv"));
        assertThat(csv).hasSize(5);
        assertThat(List.of(csv.get(0).split(","))).isEqualTo(EpisodeFiles.COLUMNS);
        List<String> keys = new ArrayList<>();
        for (String line : csv.subList(1, 5)) {
            String[] f = line.split(",", -1);
            assertThat(f).hasSize(EpisodeFiles.COLUMNS.size());
            keys.add(f[1] + " " + f[0]);
            assertThat(f[2]).isEqualTo("tiny");
            assertThat(f[3]).isEqualTo("F2_SLOW");
            assertThat(Double.parseDouble(f[6])).isBetween(0.0, 1.0);
            assertThat(f[EpisodeFiles.COLUMNS.indexOf("trace_sha256")]).hasSize(64);
        }
        assertThat(keys).containsExactly("3 b0", "3 b1-hyx", "4 b0", "4 b1-hyx");

        ObjectMapper m = new ObjectMapper();
        JsonNode summary = m.readTree(a.resolve("summary.json").toFile());
        JsonNode arms = summary.get("arms");
        assertThat(arms).hasSize(2);
        assertThat(arms.get(0).get("arm").asText()).isEqualTo("b0");
        JsonNode hyx = arms.get(1);
        for (String k : new String[] {"n", "S", "CCDF", "A", "S_peak_mean", "R_size", "PCR_5%", "PCR_10%", "PCR_25%", "harm_rate", "delta_A"}) {
            assertThat(hyx.has(k)).as(k).isTrue();
        }
        assertThat(hyx.get("n").asInt()).isEqualTo(2);
        assertThat(hyx.get("S").has("p99")).isTrue();
        assertThat(hyx.get("R_size").get("replicates").asInt()).isEqualTo(10_000);
        assertThat(summary.get("run").get("topology_file_sha256").asText()).isEqualTo(Sources.sha256(TOPOLOGY.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(summary.get("run").get("params").get("fault").asText()).isEqualTo("F2_SLOW");
        assertThat(summary.get("run").get("fault_magnitude_scale").asDouble()).isEqualTo(1.0);
        assertThat(summary.get("run").has("regime_calibration")).isFalse();
        List<String> manifests = Files.readAllLines(a.resolve("manifests.jsonl"));
        assertThat(manifests).hasSize(4);
        JsonNode first = m.readTree(manifests.get(0));
        assertThat(first.get("trace_sha256").asText()).isEqualTo(csv.get(1).split(",")[EpisodeFiles.COLUMNS.indexOf("trace_sha256")]);
        assertThat(first.get("seed").asLong()).isEqualTo(3);
        assertThat(first.get("git_sha").asText()).isNotEmpty();

        // the same command again (one thread): identical files apart from wall_ms
        Path b = tmp.resolve("b");
        String[] r2 = run(b, "1");
        assertThat(r2[0]).as(r2[2]).isEqualTo("0");
        assertThat(withoutWall(b)).isEqualTo(withoutWall(a));
        assertThat(Files.readString(b.resolve("summary.json")).replace(b.toString(), ""))
                .isEqualTo(Files.readString(a.resolve("summary.json")).replace(a.toString(), "").replace("\"2\"", "\"1\""));
        assertThat(Files.readAllLines(b.resolve("manifests.jsonl"))).isEqualTo(manifests);

        // an existing non-empty --out is refused without --force, accepted with it
        String[] again = run(a, "1");
        assertThat(again[0]).isEqualTo("2");
        assertThat(again[2]).contains("is not empty");
    }

    private static List<String> withoutWall(Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("episodes.csv"))) {
            String[] f = line.split(",", -1);
            for (String c : EpisodeFiles.TIMING_COLUMNS) {
                f[EpisodeFiles.COLUMNS.indexOf(c)] = "";
            }
            out.add(String.join(",", f));
        }
        return out;
    }

    private static String[] runSut(Path out, String threads) {
        return CpbCommandArgsTest.run("bench", "cpb", "--topology", Path.of("..", "examples", "topology-small.json").toString(),
                "--seeds", "1-3", "--arms", "b0,aura,aura-predict", "--duration", "900", "--threads", threads, "--out",
                out.toString());
    }

    @Test
    void aSutArmIsComparedWithEveryBaselineAndItsBenignCostAndInterventionRateAreReported() throws Exception {
        Path out = tmp.resolve("vs");
        String[] r = CpbCommandArgsTest.run("bench", "cpb", "--topology", Path.of("..", "examples", "topology-small.json").toString(),
                "--seeds", "1-3", "--arms", "b0,b3,b4,aura", "--duration", "900", "--threads", "2", "--quiet", "--out", out.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode arms = new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("arms");
        JsonNode aura = arms.get(3);
        assertThat(aura.get("arm").asText()).isEqualTo("aura");
        List<String> rows = Files.readAllLines(out.resolve("episodes.csv"));
        List<String> head = List.of(rows.get(0).split(","));
        List<Double> b0Sizes = new java.util.ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            if (f[head.indexOf("arm")].equals("b0")) {
                b0Sizes.add(Double.parseDouble(f[head.indexOf("S")]));
            }
        }
        assertThat(b0Sizes).hasSize(3);
        // the loss charged to each arm's protection adds up from the episodes' rows; b0 has none
        for (JsonNode arm : arms) {
            long offered = 0;
            long lost = 0;
            long failed = 0;
            for (String row : rows.subList(1, rows.size())) {
                String[] f = row.split(",");
                if (f[head.indexOf("arm")].equals(arm.get("arm").asText())) {
                    offered += Long.parseLong(f[head.indexOf("entry_offered")]);
                    lost += Long.parseLong(f[head.indexOf("entry_lost_protection")]);
                    failed += Long.parseLong(f[head.indexOf("entry_offered")]) - Long.parseLong(f[head.indexOf("entry_succeeded")]);
                }
            }
            JsonNode pl = arm.get("protection_loss");
            assertThat(pl.get("offered").asLong()).isEqualTo(offered);
            assertThat(pl.get("lost").asLong()).isEqualTo(lost).isLessThanOrEqualTo(failed);
            assertThat(pl.get("fraction").asDouble()).isCloseTo(lost / (double) offered, within(1e-12));
            if (arm.get("arm").asText().equals("b0")) {
                assertThat(lost).isZero();
            }
        }
        assertThat(Files.readString(out.resolve("report.md"))).contains("## Loss attributable to the protection (spec T4)");
        JsonNode vs = aura.get("vs_baselines");
        assertThat(vs.has("b0")).isFalse(); // b0 is R_size's own reference
        double[] p = new double[2];
        int k = 0;
        for (String b : new String[] {"b3", "b4"}) {
            JsonNode v = vs.get(b);
            p[k++] = v.get("p_worse").asDouble();
            assertThat(v.get("p_worse").asDouble()).isBetween(0.0, 1.0);
            assertThat(v.get("p_worse_holm").asDouble()).isBetween(v.get("p_worse").asDouble(), 1.0);
            assertThat(v.get("significantly_worse").asBoolean()).isEqualTo(v.get("p_worse_holm").asDouble() < 0.05);
            assertThat(v.get("R_size").has("lower_one_sided_95")).isTrue();
        }
        // Holm over two: the smaller p doubles (capped at 1)
        double small = Math.min(p[0], p[1]);
        String smaller = p[0] <= p[1] ? "b3" : "b4";
        assertThat(vs.get(smaller).get("p_worse_holm").asDouble()).isCloseTo(Math.min(1.0, 2 * small), within(1e-12));
        assertThat(arms.get(1).has("vs_baselines")).isFalse(); // baselines are not compared with each other
        // benign episodes are those where b0's S < 1%
        int benign = 0;
        for (double x : b0Sizes) {
            benign += x < 0.01 ? 1 : 0;
        }
        assertThat(aura.get("delta_A_benign").get("benign_episodes").asInt()).isEqualTo(benign);
        assertThat(aura.get("delta_A_benign").get("mean").isNull()).isEqualTo(benign == 0);
        // actions per 24 h per 1 000 agents: mean actions per 900-s episode, scaled (12 agents)
        assertThat(aura.get("interventions_per_day_per_1000_agents").asDouble())
                .isCloseTo(aura.get("actions_mean").asDouble() * 86_400 / 900 / 0.012, within(1e-6));
        assertThat(Files.readString(out.resolve("report.md"))).contains("## Against every baseline (spec 6.2, 6.9)")
                .contains("| aura | b4 |");
    }

    @Test
    void featureScoresScoreEveryModelFeatureOnTheRisksSamples() throws Exception {
        Path a = tmp.resolve("features");
        // DSB-SN on the fluid model, seeds 1-4: one cascade among calm post-fault times, so both classes occur
        String[] r = CpbCommandArgsTest.run("bench", "cpb", "--family", "dsb-sn", "--dynamics", "fluid", "--seeds", "1-4",
                "--arms", "aura-predict", "--duration", "900", "--threads", "2", "--feature-scores", "--quiet", "--out", a.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode arm = new ObjectMapper().readTree(a.resolve("summary.json").toFile()).get("arms").get(0);
        JsonNode q = arm.get("prediction_quality");
        assertThat(q.get("positives").asInt()).isBetween(1, q.get("samples").asInt() - 1);
        JsonNode fs = arm.get("feature_scores");
        List<String> names = new ArrayList<>();
        fs.fieldNames().forEachRemaining(n -> {
            if (!n.equals("what")) {
                names.add(n);
            }
        });
        assertThat(names).isEqualTo(io.aura.cascade.predict.FeatureExtractor.NAMES);
        for (String n : names) {
            assertThat(fs.get(n).get("samples").asInt()).as(n).isEqualTo(q.get("samples").asInt());
            assertThat(fs.get(n).get("positives").asInt()).as(n).isEqualTo(q.get("positives").asInt());
            assertThat(fs.get(n).get("ECE").isNull()).as(n).isTrue();
            assertThat(fs.get(n).get("AUROC").asDouble()).as(n).isBetween(0.0, 1.0);
        }
        // the first four columns are the baseline predictors (i)-(iv): the same series, the same scores
        JsonNode bp = arm.get("baseline_predictors");
        String[] baselines = {"(i) max utilisation", "(ii) max queue growth", "(iii) critical slowing down", "(iv) branching ratio"};
        for (int b = 0; b < 4; b++) {
            assertThat(fs.get(names.get(b)).get("AUROC")).as(baselines[b]).isEqualTo(bp.get(baselines[b]).get("AUROC"));
            assertThat(fs.get(names.get(b)).get("AUPRC")).as(baselines[b]).isEqualTo(bp.get(baselines[b]).get("AUPRC"));
        }
        assertThat(Files.readString(a.resolve("report.md"))).contains("### Each model feature alone (--feature-scores)")
                .contains("| aura-predict | error_jump |");
        // samples.csv: the very samples of those scores, one row each, so every AUROC can be recomputed from it
        List<String> lines = Files.readAllLines(a.resolve("samples.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        assertThat(header).startsWith("arm", "seed", "t_s", "label", "risk", "baseline_i", "baseline_ii", "baseline_iii",
                "baseline_iv").endsWith(io.aura.cascade.predict.FeatureExtractor.NAMES.toArray(String[]::new));
        int n = lines.size() - 1;
        assertThat(n).isEqualTo(q.get("samples").asInt());
        boolean[] y = new boolean[n];
        double[][] col = new double[header.size()][n];
        int pos = 0;
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",", -1);
            assertThat(f).hasSize(header.size());
            assertThat(f[0]).isEqualTo("aura-predict");
            y[i] = f[3].equals("1");
            pos += y[i] ? 1 : 0;
            for (int c = 4; c < f.length; c++) {
                col[c][i] = Double.parseDouble(f[c]);
            }
        }
        assertThat(pos).isEqualTo(q.get("positives").asInt());
        assertThat(io.aura.cascade.metrics.PredictionQuality.auroc(col[4], y)).isCloseTo(q.get("AUROC").asDouble(), within(1e-12));
        for (int c = 9; c < header.size(); c++) {
            assertThat(io.aura.cascade.metrics.PredictionQuality.auroc(col[c], y)).as(header.get(c))
                    .isCloseTo(fs.get(header.get(c)).get("AUROC").asDouble(), within(1e-12));
        }
        assertThat(io.aura.cascade.metrics.PredictionQuality.auroc(col[6], y))
                .isCloseTo(bp.get("(ii) max queue growth").get("AUROC").asDouble(), within(1e-12));
        // (v): the shipped logistic regression on (i)-(iv), recomputed from the same four columns
        io.aura.cascade.predict.RiskModel vm = io.aura.cascade.predict.RiskModel.shippedBaselineV();
        io.aura.cascade.predict.RiskFit v = vm.fit(vm.primaryIndex());
        double[] pv = new double[n];
        for (int i = 0; i < n; i++) {
            pv[i] = v.probability(new double[] {col[5][i], col[6][i], col[7][i], col[8][i]});
        }
        JsonNode bv = bp.get("(v) logistic regression on (i)-(iv)");
        assertThat(io.aura.cascade.metrics.PredictionQuality.auroc(pv, y)).isCloseTo(bv.get("AUROC").asDouble(), within(1e-12));
        assertThat(io.aura.cascade.metrics.PredictionQuality.ece(pv, y)).isCloseTo(bv.get("ECE").asDouble(), within(1e-12));
        double bestBaseline = 0;
        for (String bn : List.of(baselines[0], baselines[1], baselines[2], baselines[3], "(v) logistic regression on (i)-(iv)")) {
            bestBaseline = Math.max(bestBaseline, bp.get(bn).get("AUROC").asDouble());
        }
        assertThat(bp.get("AUROC_margin_over_best").asDouble()).isCloseTo(q.get("AUROC").asDouble() - bestBaseline, within(1e-12));
        // without the option: no feature scores, and the same episodes
        Path b = tmp.resolve("no-features");
        String[] r2 = CpbCommandArgsTest.run("bench", "cpb", "--family", "dsb-sn", "--dynamics", "fluid", "--seeds", "1-4",
                "--arms", "aura-predict", "--duration", "900", "--threads", "2", "--quiet", "--out", b.toString());
        assertThat(r2[0]).as(r2[2]).isEqualTo("0");
        JsonNode arm2 = new ObjectMapper().readTree(b.resolve("summary.json").toFile()).get("arms").get(0);
        assertThat(arm2.has("feature_scores")).isFalse();
        assertThat(b.resolve("samples.csv")).doesNotExist();
        assertThat(arm2.get("prediction_quality").get("AUROC")).isEqualTo(q.get("AUROC"));
        assertThat(withoutWall(b)).isEqualTo(withoutWall(a));
    }

    @Test
    void sutArmsReportPredictionQualityLeadTimeAndLatency() throws Exception {
        Path a = tmp.resolve("sut-a");
        String[] r = runSut(a, "2");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        ObjectMapper m = new ObjectMapper();
        JsonNode arms = m.readTree(a.resolve("summary.json").toFile()).get("arms");
        assertThat(arms).hasSize(3);
        assertThat(arms.get(0).has("prediction_quality")).isFalse();
        assertThat(arms.get(0).has("predict_latency")).isFalse();
        for (int i = 1; i < 3; i++) {
            JsonNode arm = arms.get(i);
            String name = arm.get("arm").asText();
            JsonNode q = arm.get("prediction_quality");
            assertThat(q.get("H_s").asInt()).as(name).isEqualTo(60);
            assertThat(q.get("samples").asInt()).as(name).isPositive();
            assertThat(q.get("prevalence").asDouble()).as(name).isBetween(0.0, 1.0);
            assertThat(q.get("ECE").asDouble()).as(name).isBetween(0.0, 1.0);
            // the ECE's episode-bootstrap interval (a percentile interval: ECE's bootstrap is biased
            // upwards, so it need not hold the point value)
            assertThat(q.get("ECE_ci95_lower").asDouble()).as(name).isBetween(0.0, q.get("ECE_ci95_upper").asDouble());
            assertThat(q.get("ECE_ci95_upper").asDouble()).as(name).isLessThanOrEqualTo(1.0);
            for (String k : new String[] {"AUROC", "AUPRC", "Brier_skill"}) {
                // either a value in range, or null with the reason
                if (q.get(k).isNull()) {
                    assertThat(q.get("n/a").asText()).as(name + " " + k).isNotEmpty();
                } else {
                    assertThat(q.get(k).asDouble()).as(name + " " + k).isBetween(k.equals("Brier_skill") ? -1e9 : 0.0, 1.0);
                }
            }
            JsonNode lt = arm.get("lead_time");
            assertThat(lt.get("benign_episodes").asInt()).as(name).isBetween(0, 3);
            if (lt.get("theta").isNull()) {
                assertThat(lt.get("n/a").asText()).as(name).isNotEmpty();
            } else {
                assertThat(lt.get("false_alarms_per_day_per_1000_agents").asDouble()).as(name).isGreaterThanOrEqualTo(0.0);
            }
            assertThat(lt.get("cascades").asInt()).as(name).isBetween(0, 3);
            if (lt.get("cascades").asInt() > 0 && !lt.get("theta").isNull()) {
                assertThat(lt.get("LT_fraction_ge_30s").asDouble()).as(name).isBetween(0.0, 1.0);
            }
            assertThat(lt.has("pre_onset_action_rate")).isTrue();
            // counting only actions from t_f - 60 s on can only lower the rate
            JsonNode near = lt.get("pre_onset_action_rate_from_t_f_minus_60s");
            assertThat(near.isNull()).as(name).isEqualTo(lt.get("pre_onset_action_rate").isNull());
            if (!near.isNull()) {
                assertThat(near.asDouble()).as(name).isBetween(0.0, lt.get("pre_onset_action_rate").asDouble());
            }
            JsonNode pl = arm.get("predict_latency");
            assertThat(pl.get("calls").asInt()).as(name).isEqualTo(3 * 900);
            assertThat(pl.get("agents_min").asInt()).isEqualTo(12);
            double p50 = pl.get("p50_ms").asDouble();
            double p99 = pl.get("p99_ms").asDouble();
            assertThat(p50).as(name).isPositive().isLessThanOrEqualTo(p99);
            assertThat(p99).as(name).isLessThanOrEqualTo(pl.get("max_ms").asDouble());
            // spec 6.4: the baseline predictors (i)-(iv) on the same samples, and the all-time value apart
            JsonNode bp = arm.get("baseline_predictors");
            assertThat(bp.get("(i) max utilisation").get("samples").asInt()).as(name).isPositive()
                    .isLessThanOrEqualTo(q.get("samples").asInt());
            assertThat(bp.get("(iv) branching ratio").get("ECE").isNull()).as(name).isTrue();
            // (v) is a probability: it has a calibration
            assertThat(bp.get("(v) logistic regression on (i)-(iv)").get("ECE").isNumber()).as(name).isTrue();
            assertThat(bp.get("(v) logistic regression on (i)-(iv)").get("samples").asInt()).as(name)
                    .isEqualTo(bp.get("(i) max utilisation").get("samples").asInt());
            JsonNode at = arm.get("prediction_quality_all_time");
            assertThat(at.get("samples").asInt()).as(name).isGreaterThan(q.get("samples").asInt());
        }
        assertThat(arms.get(2).get("prediction_quality").get("labels_from").asText()).contains("predict-only");
        assertThat(arms.get(2).get("lead_time").get("pre_onset_action_rate_n/a").asText()).contains("predict-only");
        String md = Files.readString(a.resolve("report.md"));
        assertThat(md).contains("## Prediction quality (spec 6.4)").contains("| aura-predict | predict-only | 3 |")
                .contains("## Predict latency (in-harness, spec 6.8)").contains("### Baseline predictors (spec 6.4 (i)")
                .contains("| aura-predict | (ii) max queue growth |").contains("| aura-predict | (v) logistic regression on (i)-(iv) |");
        List<String> csv = Files.readAllLines(a.resolve("episodes.csv"));
        assertThat(List.of(csv.get(0).split(","))).isEqualTo(EpisodeFiles.COLUMNS);
        int p99col = EpisodeFiles.COLUMNS.indexOf("predict_p99_ms");
        int hashCol = EpisodeFiles.COLUMNS.indexOf("trace_sha256");
        java.util.Map<String, String> b0Hash = new java.util.HashMap<>();
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",", -1);
            assertThat(f[p99col].isEmpty()).as(line).isEqualTo(f[0].equals("b0"));
            if (f[0].equals("b0")) {
                b0Hash.put(f[1], f[hashCol]);
            } else if (f[0].equals("aura-predict")) {
                // predict-only: the episode is b0's (recording risk and timings does not touch the trace)
                assertThat(f[hashCol]).as(line).isEqualTo(b0Hash.get(f[1]));
            }
        }
        assertThat(b0Hash).hasSize(3);

        // a rerun differs only in the timing columns and the predict_latency objects
        Path b = tmp.resolve("sut-b");
        String[] r2 = runSut(b, "1");
        assertThat(r2[0]).as(r2[2]).isEqualTo("0");
        assertThat(withoutWall(b)).isEqualTo(withoutWall(a));
        assertThat(withoutLatency(m, b)).isEqualTo(withoutLatency(m, a));
    }

    /**
     * With a single agent every fault hits it and no agent outside F0 is left to fail: S is 0 by definition, whatever
     * the arms do. The run goes ahead (availability still means something) but says so before it starts.
     */
    @Test
    void aSingleAgentTopologyUnderAFaultWarnsThatItCannotCascade() throws Exception {
        Path topo = tmp.resolve("solo.json");
        Files.writeString(topo, "{\"agents\": [{\"id\": \"solo\", \"role\": \"entry\"}]}");
        String[] r = CpbCommandArgsTest.run("bench", "cpb", "--topology", topo.toString(), "--seeds", "1", "--arms", "b0",
                "--duration", "900", "--quiet", "--threads", "1", "--out", tmp.resolve("solo").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[2]).contains("aura bench cpb: warning: the topology has 1 agent").contains("S is 0 by definition in the "
                + "episodes that draw F2, F3 or F5");
        r = CpbCommandArgsTest.run("bench", "cpb", "--topology", topo.toString(), "--seeds", "1", "--arms", "b0", "--fault", "f2",
                "--duration", "900", "--quiet", "--threads", "1", "--out", tmp.resolve("solo-f2").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[2]).contains("S is 0 by definition in every episode");
        // without a fault, or under a surge at the entries, F0 is empty and the one agent can fail
        for (String fault : new String[] {"none", "f4"}) {
            r = CpbCommandArgsTest.run("bench", "cpb", "--topology", topo.toString(), "--seeds", "1", "--arms", "b0", "--fault", fault,
                    "--duration", "900", "--quiet", "--threads", "1", "--out", tmp.resolve("solo-" + fault).toString());
            assertThat(r[0]).as(r[2]).isEqualTo("0");
            assertThat(r[2]).doesNotContain("warning");
            assertThat(Files.readAllLines(tmp.resolve("solo-" + fault + "/episodes.csv")).get(1).split(",")[5]).isEqualTo("0");
        }
    }

    /**
     * An agent no request reaches (declared, but no caller and no entry share: a typo'd or forgotten edge) never fails,
     * yet counts in the denominator of S and can be the target of F1 or F2. The run says so before it starts.
     */
    @Test
    void anAgentThatGetsNoTrafficIsWarnedAbout() throws Exception {
        Path topo = tmp.resolve("orphan.json");
        Files.writeString(topo, "{\"agents\": [{\"id\": \"a\", \"role\": \"entry\"}, {\"id\": \"b\", \"role\": \"db\"},"
                + " {\"id\": \"search\", \"role\": \"middle\"}, {\"id\": \"es\", \"role\": \"db\"}, {\"id\": \"c\", \"role\": \"db\"}],"
                + " \"edges\": [{\"from\": \"a\", \"to\": \"b\"}, {\"from\": \"search\", \"to\": \"es\"},"
                + " {\"from\": \"a\", \"to\": \"c\", \"probability\": 0}]}");
        String[] r = CpbCommandArgsTest.run("bench", "cpb", "--topology", topo.toString(), "--seeds", "1", "--arms", "b0",
                "--fault", "none", "--duration", "300", "--quiet", "--threads", "1", "--out", tmp.resolve("orphan").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[2]).contains("aura bench cpb: warning: 3 of 5 agents get no traffic at the design load: search, es, c (no entry share");
        r = CpbCommandArgsTest.run("bench", "cpb", "--topology", Path.of("..", "examples", "topology-small.json").toString(),
                "--seeds", "1", "--arms", "b0", "--fault", "none", "--duration", "300", "--quiet", "--threads", "1",
                "--out", tmp.resolve("small").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[2]).doesNotContain("warning");
    }

    /** When neither arm cascades, R_size's row says "undefined" and why once, not in each of its four cells. */
    @Test
    void anUndefinedSizeReductionIsExplainedOnceInItsReportRow() throws Exception {
        Path topo = tmp.resolve("calm.json");
        Files.writeString(topo, "{\"agents\": [{\"id\": \"solo\", \"role\": \"entry\"}]}");
        String[] r = CpbCommandArgsTest.run("bench", "cpb", "--topology", topo.toString(), "--seeds", "1", "--arms", "b0,b3",
                "--fault", "f2", "--duration", "900", "--quiet", "--threads", "1", "--out", tmp.resolve("calm").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        String row = Files.readAllLines(tmp.resolve("calm/report.md")).stream().filter(l -> l.startsWith("| b3 | undefined"))
                .findFirst().orElseThrow();
        assertThat(row).startsWith("| b3 | undefined (no cascades in either arm) | \u2013 | \u2013 |");
        assertThat(row.split("no cascades in either arm", -1)).hasSize(2);
    }

    /** A topology's name is free text: a comma or a quote in it must not shift the columns of episodes.csv. */
    @Test
    void aTopologyNameWithACommaOrAQuoteIsQuotedInEpisodesCsv() throws Exception {
        Path topo = tmp.resolve("named.json");
        Files.writeString(topo, "{\"name\": \"shop, eu-west \\\"prod\\\"\", \"agents\": [{\"id\": \"a\", \"role\": \"entry\"},"
                + " {\"id\": \"b\", \"role\": \"db\"}], \"edges\": [{\"from\": \"a\", \"to\": \"b\"}]}");
        String[] r = CpbCommandArgsTest.run("bench", "cpb", "--topology", topo.toString(), "--seeds", "1", "--arms", "b0",
                "--fault", "none", "--duration", "300", "--quiet", "--threads", "1", "--out", tmp.resolve("named").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        List<String> csv = Files.readAllLines(tmp.resolve("named/episodes.csv"));
        List<String> fields = rfc4180(csv.get(1));
        assertThat(fields).hasSize(EpisodeFiles.COLUMNS.size());
        assertThat(fields.get(EpisodeFiles.COLUMNS.indexOf("family"))).isEqualTo("shop, eu-west \"prod\"");
        assertThat(fields.get(EpisodeFiles.COLUMNS.indexOf("fault"))).isEqualTo("NONE");
    }

    /** The fields of one CSV line (RFC 4180: quoted fields, doubled quotes; no line breaks inside). */
    private static List<String> rfc4180(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        out.add(f.toString());
        return out;
    }

    /** Without a fault an episode may be shorter than 900 s (the fault's t_f is what needs them), in every command. */
    @Test
    void aRunWithoutAFaultMayBeShort() throws Exception {
        String topo = Path.of("..", "examples", "topology-small.json").toString();
        String[] r = CpbCommandArgsTest.run("bench", "cpb", "--topology", topo, "--fault", "none", "--duration", "300", "--seeds", "1",
                "--arms", "b0", "--quiet", "--out", tmp.resolve("short-cpb").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        ObjectMapper m = new ObjectMapper();
        assertThat(m.readTree(tmp.resolve("short-cpb/manifest.json").toFile()).path("complete").asBoolean()).isTrue();
        // --force replaces an earlier run's files, samples.csv of a --feature-scores run included
        Files.writeString(tmp.resolve("short-cpb/samples.csv"), "arm,seed\naura,1\n");
        r = CpbCommandArgsTest.run("bench", "cpb", "--topology", topo, "--fault", "none", "--duration", "300", "--seeds", "2",
                "--arms", "b0", "--quiet", "--force", "--out", tmp.resolve("short-cpb").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(tmp.resolve("short-cpb/samples.csv")).doesNotExist();
        r = CpbCommandArgsTest.run("bench", "fluid-check", "--topology", topo, "--fault", "none", "--duration", "300", "--seeds", "1",
                "--quiet", "--out", tmp.resolve("short-fluid").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        r = CpbCommandArgsTest.run("bench", "episode", "--topology", topo, "--fault", "none", "--duration", "300", "--seed", "1",
                "--arms", "b0", "--out", tmp.resolve("short-episode").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        r = CpbCommandArgsTest.run("bench", "cpb", "--topology", topo, "--duration", "300", "--seeds", "1", "--arms", "b0", "--quiet",
                "--out", tmp.resolve("short-fault").toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("use >= 900 or --fault none");
    }

    @Test
    void thetaFromADevRunIsUsedAndItsSourceRecorded() throws Exception {
        String topo = Path.of("..", "examples", "topology-small.json").toString();
        Path dev = tmp.resolve("theta-dev");
        String[] r = CpbCommandArgsTest.run("bench", "cpb", "--topology", topo, "--fault", "none", "--seeds", "11-12",
                "--arms", "b0,aura-predict", "--duration", "900", "--threads", "2", "--quiet", "--out", dev.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        ObjectMapper m = new ObjectMapper();
        JsonNode devLead = m.readTree(dev.resolve("summary.json").toFile()).get("arms").get(1).get("lead_time");
        assertThat(devLead.get("theta").isNumber()).as(devLead.toString()).isTrue();
        double theta = devLead.get("theta").asDouble();

        Path test = tmp.resolve("theta-test");
        r = CpbCommandArgsTest.run("bench", "cpb", "--topology", topo, "--seeds", "1-3", "--arms", "b0,aura-predict",
                "--duration", "900", "--threads", "2", "--quiet", "--theta-from", dev.resolve("summary.json").toString(),
                "--out", test.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode lead = m.readTree(test.resolve("summary.json").toFile()).get("arms").get(1).get("lead_time");
        assertThat(lead.get("theta").asDouble()).isEqualTo(theta);
        assertThat(lead.get("theta_from").asText()).contains("theta fixed on the dev run").contains("seeds 11-12")
                .contains("fault NONE").doesNotContain("warning");
        // a theta from the same seeds, or from another system, is used but said to be a poor fit
        Path same = tmp.resolve("theta-same");
        r = CpbCommandArgsTest.run("bench", "cpb", "--topology", topo, "--seeds", "12-12", "--arms", "b0,aura-predict",
                "--duration", "900", "--threads", "2", "--quiet", "--theta-from", dev.resolve("summary.json").toString(),
                "--out", same.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[2]).contains("warning: --theta-from").contains("this run uses seed 12 of them too");
        assertThat(m.readTree(same.resolve("summary.json").toFile()).get("arms").get(1).at("/lead_time/theta_from").asText())
                .contains("warning: the dev run used seeds 11-12");
        r = CpbCommandArgsTest.run("bench", "cpb", "--family", "dsb-sn", "--seeds", "1-1", "--arms", "b0,aura-predict",
                "--duration", "900", "--quiet", "--theta-from", dev.resolve("summary.json").toString(),
                "--out", tmp.resolve("theta-family").toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[2]).contains("the dev run was on a topology file, this run is on family dsb-sn");
        assertThat(Files.readString(test.resolve("report.md"))).contains("theta fixed on the dev run");

        // errors: an arm without a dev theta, a file that is not a summary, a missing file; nothing is written
        Path none = tmp.resolve("theta-none");
        r = CpbCommandArgsTest.run("bench", "cpb", "--topology", topo, "--seeds", "1-1", "--arms", "b0,aura",
                "--duration", "900", "--theta-from", dev.resolve("summary.json").toString(), "--out", none.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("has no lead_time.theta for arm 'aura'").contains("aura-predict");
        r = CpbCommandArgsTest.run("bench", "cpb", "--topology", topo, "--seeds", "1-1", "--arms", "b0,aura-predict",
                "--duration", "900", "--theta-from", dev.resolve("manifest.json").toString(), "--out", none.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("is not the summary.json of an `aura bench cpb` run");
        r = CpbCommandArgsTest.run("bench", "cpb", "--topology", topo, "--seeds", "1-1", "--arms", "b0,aura-predict",
                "--duration", "900", "--theta-from", tmp.resolve("nope.json").toString(), "--out", none.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("cannot be read: no such file");
        Path binary = tmp.resolve("binary.dat");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        r = CpbCommandArgsTest.run("bench", "cpb", "--topology", topo, "--seeds", "1-1", "--arms", "b0,aura-predict",
                "--duration", "900", "--theta-from", binary.toString(), "--out", none.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("cannot be read: it is not UTF-8 text");
        assertThat(Files.exists(none)).isFalse();
    }

    private static JsonNode withoutLatency(ObjectMapper m, Path dir) throws Exception {
        JsonNode root = m.readTree(dir.resolve("summary.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) root).remove("run"); // --out and --threads differ
        for (JsonNode arm : root.get("arms")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) arm).remove("predict_latency");
        }
        return root;
    }
}
