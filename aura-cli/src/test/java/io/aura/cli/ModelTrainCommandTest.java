package io.aura.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aura.cascade.predict.RiskModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelTrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void badArgumentsGetAMessageAndStatus2() {
        refused("--seeds must be A-B", "--family", "dsb-sn", "--seeds", "3-1");
        refused("overlap", "--family", "dsb-sn", "--seeds", "1-5", "--eval-seeds", "5-9");
        refused("overlap", "--family", "dsb-sn", "--seeds", "1-5", "--eval-seeds", "10-12,4");
        refused("repeats seeds", "--family", "dsb-sn", "--seeds", "1-5", "--eval-seeds", "10-12,12-14");
        refused("--eval-seeds must be A-B", "--family", "dsb-sn", "--seeds", "1-5", "--eval-seeds", "10-12,");
        refused("unknown graph family 'nope'", "--family", "nope", "--seeds", "1-2");
        refused(">= 900", "--family", "dsb-sn", "--seeds", "1-2", "--duration", "600");
        refused("must be FAMILY or FAMILY:A-B", "--family", "dsb-sn:5-1", "--seeds", "1-2");
        refused("must be FAMILY or FAMILY:A-B", "--family", "dsb-sn:x", "--seeds", "1-2");
        refused("lists seeds of dsb-sn twice", "--family", "dsb-sn,dsb-sn:2-4", "--seeds", "1-2");
        refused("empty family name", "--family", "dsb-sn,,ali-100", "--seeds", "1-2");
        refused("overlap the training seeds ali-100:10-12", "--family", "dsb-sn,ali-100:10-12", "--seeds", "1-5",
            "--eval-seeds", "11");
        refused("--threads must be >= 1", "--family", "dsb-sn", "--seeds", "1-2", "--threads", "0");
        refused("unknown graph family 'nope'", "--family", "dsb-sn:1-500,nope", "--seeds", "1-2");
        // output paths are checked before any episode runs
        refused("does not exist", "--family", "dsb-sn", "--seeds", "1-2", "--baseline-out", dir.resolve("no/such/v.txt").toString());
        refused("is a directory", "--family", "dsb-sn", "--seeds", "1-2", "--baseline-out", dir.toString());
        // one file for both models: the baseline, written second, replaced the risk model (and it exited 0)
        refused("would overwrite the risk model", "--family", "dsb-sn", "--seeds", "1-2", "--baseline-out",
            dir.resolve("./m.txt").toString());
        CliRun r = CliRun.of("train", "--family", "dsb-sn", "--seeds", "1-2", "--out", dir.resolve("missing/m.txt").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--out").contains("does not exist").doesNotContain("training episodes");
    }

    /** {@code aura train ARGS --out DIR/m.txt} exits with status 2 and says the fragment on stderr. */
    private void refused(String fragment, String... args) {
        String[] full = new String[args.length + 3];
        full[0] = "train";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--out";
        full[args.length + 2] = dir.resolve("m.txt").toString();
        CliRun r = CliRun.of(full);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(fragment);
    }

    /** Evaluation episodes of one class make the evaluation undefined, not the trained model a failure. */
    @Test
    void anUndefinedEvaluationLeavesTheWrittenModelsAndExitsZero() throws Exception {
        Path out = dir.resolve("m.txt");
        Path base = dir.resolve("b.txt");
        // eval seed 5 does not cascade within the episode, seed 6 does at once: only positive samples
        CliRun r = CliRun.of("train", "--family", "dsb-sn", "--seeds", "1-4", "--eval-seeds", "5-6", "--duration", "900",
            "--threads", "2", "--out", out.toString(), "--baseline-out", base.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("evaluation undefined: labels have 2 positives and 0 negatives");
        assertThat(r.err()).contains("the models written above are complete");
        assertThat(RiskModel.parse(Files.readString(out, StandardCharsets.UTF_8)).provenance()).contains("--seeds 1-4");
        assertThat(base).exists();
    }

    @Test
    void trainsAModelFileThatLoadsAndReportsProgress() throws Exception {
        Path out = dir.resolve("m.txt");
        // seeds 4-5: seed 4 cascades within 7 s of its fault, seed 5 does not (both classes are needed to fit)
        CliRun r = CliRun.of("train", "--family", "dsb-sn", "--seeds", "4-5", "--duration", "1200", "--out", out.toString());
        assertThat(r.code()).isEqualTo(0);
        assertThat(r.err()).contains("[2/2] dsb-sn seed 5");
        RiskModel m = RiskModel.parse(Files.readString(out, StandardCharsets.UTF_8));
        assertThat(m.provenance()).isEqualTo("aura train --family dsb-sn --seeds 4-5 --duration 1200 --alpha 0.2 --load 0.9");
    }

    @Test
    void aFamilyWithItsOwnSeedRangeTrainsOnThoseAndTheThreadCountDoesNotChangeTheModel() throws Exception {
        Path one = dir.resolve("one.txt");
        Path two = dir.resolve("two.txt");
        CliRun a = CliRun.of("train", "--family", "dsb-sn:4-5", "--seeds", "1-1", "--duration", "1200", "--threads", "1",
            "--out", one.toString());
        CliRun b = CliRun.of("train", "--family", "dsb-sn:4-5", "--seeds", "1-1", "--duration", "1200", "--threads", "2",
            "--out", two.toString());
        assertThat(a.code()).isEqualTo(0);
        assertThat(b.code()).isEqualTo(0);
        assertThat(a.err()).contains("[1/2] dsb-sn seed 4").contains("[2/2] dsb-sn seed 5").doesNotContain("seed 1:");
        assertThat(Files.readString(two, StandardCharsets.UTF_8)).isEqualTo(Files.readString(one, StandardCharsets.UTF_8));
        assertThat(RiskModel.parse(Files.readString(one, StandardCharsets.UTF_8)).provenance())
            .isEqualTo("aura train --family dsb-sn:4-5 --seeds 1-1 --duration 1200 --alpha 0.2 --load 0.9");
    }

    @Test
    void evaluatesOnSeveralSeedRangesWithAnIntervalAndPerFamilyLines() throws Exception {
        Path out = dir.resolve("m.txt");
        // eval seeds 1 (cascades 108 s after its fault) and 11 (no cascade): both outcomes, two ranges
        Path v = dir.resolve("v.txt");
        CliRun r = CliRun.of("train", "--family", "dsb-sn", "--seeds", "4-5", "--duration", "1200", "--eval-seeds", "1,11",
            "--out", out.toString(), "--baseline-out", v.toString());
        assertThat(r.code()).isEqualTo(0);
        // baseline (v): four baseline features, the model's provenance, one 60-s horizon
        RiskModel vm = RiskModel.parse(Files.readString(v, StandardCharsets.UTF_8));
        assertThat(vm.features()).containsExactly("max_util", "max_queue_growth", "csd_trend", "branching");
        assertThat(vm.provenance()).isEqualTo(RiskModel.parse(Files.readString(out, StandardCharsets.UTF_8)).provenance());
        assertThat(vm.horizons()).containsExactly(60);
        // every row minus the full model, with an interval
        assertThat(r.out()).contains("each row minus the AURA full model (paired bootstrap over the 2 eval episodes")
            .containsPattern("\nAURA without state +[+-]\\d\\.\\d{3} \\[[+-]\\d\\.\\d{3}, [+-]\\d\\.\\d{3}\\]");
        assertThat(r.out()).contains("eval seeds 1-1,11-11").contains("AURA full model");
        assertThat(r.out()).containsPattern("written model, H = 60 s: AUROC \\d\\.\\d{3} \\[95% CI \\d\\.\\d{3}, \\d\\.\\d{3}\\]"
            + " \\(bootstrap over the 2 eval episodes, 2000 replicates\\)");
        assertThat(r.out()).containsPattern("\\n  dsb-sn: AUROC \\d\\.\\d{3}, ECE \\d\\.\\d{3}, \\d+ samples, \\d+ positive");
    }
}
