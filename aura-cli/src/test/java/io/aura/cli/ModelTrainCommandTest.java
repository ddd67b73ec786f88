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
        CliRun r = CliRun.of("train", "--family", "dsb-sn", "--seeds", "3-1", "--out", dir.resolve("m.txt").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--seeds must be A-B");
        CliRun o = CliRun.of("train", "--family", "dsb-sn", "--seeds", "1-5", "--eval-seeds", "5-9", "--out",
            dir.resolve("m.txt").toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("overlap");
        CliRun o2 = CliRun.of("train", "--family", "dsb-sn", "--seeds", "1-5", "--eval-seeds", "10-12,4", "--out",
            dir.resolve("m.txt").toString());
        assertThat(o2.code()).isEqualTo(2);
        assertThat(o2.err()).contains("overlap");
        CliRun twice = CliRun.of("train", "--family", "dsb-sn", "--seeds", "1-5", "--eval-seeds", "10-12,12-14", "--out",
            dir.resolve("m.txt").toString());
        assertThat(twice.code()).isEqualTo(2);
        assertThat(twice.err()).contains("repeats seeds");
        CliRun empty = CliRun.of("train", "--family", "dsb-sn", "--seeds", "1-5", "--eval-seeds", "10-12,", "--out",
            dir.resolve("m.txt").toString());
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.err()).contains("--eval-seeds must be A-B");
        CliRun f = CliRun.of("train", "--family", "nope", "--seeds", "1-2", "--out", dir.resolve("m.txt").toString());
        assertThat(f.code()).isEqualTo(2);
        assertThat(f.err()).contains("unknown graph family 'nope'");
        CliRun d = CliRun.of("train", "--family", "dsb-sn", "--seeds", "1-2", "--duration", "600", "--out", dir.resolve("m.txt").toString());
        assertThat(d.code()).isEqualTo(2);
        assertThat(d.err()).contains(">= 900");
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
    void evaluatesOnSeveralSeedRangesWithAnIntervalAndPerFamilyLines() throws Exception {
        Path out = dir.resolve("m.txt");
        // eval seeds 1 (cascades 108 s after its fault) and 11 (no cascade): both outcomes, two ranges
        CliRun r = CliRun.of("train", "--family", "dsb-sn", "--seeds", "4-5", "--duration", "1200", "--eval-seeds", "1,11",
            "--out", out.toString());
        assertThat(r.code()).isEqualTo(0);
        assertThat(r.out()).contains("eval seeds 1-1,11-11").contains("AURA full model");
        assertThat(r.out()).containsPattern("written model, H = 60 s: AUROC \\d\\.\\d{3} \\[95% CI \\d\\.\\d{3}, \\d\\.\\d{3}\\]"
            + " \\(bootstrap over the 2 eval episodes, 2000 replicates\\)");
        assertThat(r.out()).containsPattern("\\n  dsb-sn: AUROC \\d\\.\\d{3}, ECE \\d\\.\\d{3}, \\d+ samples, \\d+ positive");
    }
}
