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
}
