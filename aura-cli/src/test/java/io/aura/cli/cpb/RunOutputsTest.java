package io.aura.cli.cpb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aura.cascade.sim.EpisodeParams;
import io.aura.cascade.sim.FaultKind;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunOutputsTest {
    @TempDir
    Path dir;

    @Test
    void writesSummaryReportAndReadablePlots() throws Exception {
        EpisodeParams params = EpisodeParams.defaults().withDuration(900, 150).withFault(FaultKind.F2_SLOW);
        CpbRunner.Plan plan = new CpbRunner.Plan(CpbRunnerTest.diamond(), 0.2, 1, 4, CpbRunnerTest.arms(), params, 2);
        List<CpbRunner.EpisodeRecord> eps = new ArrayList<>();
        CpbRunner.run(plan, (d, t, e) -> { }, eps::add);
        List<Summary.ArmSummary> summary = Summary.of(plan.arms(), eps, 1);
        RunInfo info = new RunInfo("test", "unknown", List.of("bench", "cpb"), 1.0, "default", null, new RunInfo.Calibration(1.0, 0.0, 24, false));
        ObjectMapper m = RunOutputs.mapper();
        RunOutputs.writeSummary(dir, m, RunOutputs.runManifest(m, EpisodeFiles.common(m, info, plan), info, plan), summary);
        RunOutputs.writeReport(dir, info, plan, summary);

        JsonNode s = m.readTree(dir.resolve("summary.json").toFile());
        assertThat(s.get("arms")).hasSize(2);
        JsonNode iso = s.get("arms").get(1);
        assertThat(iso.get("arm").asText()).isEqualTo("isolate");
        assertThat(iso.get("R_size").get("vs").asText()).isEqualTo("b0");
        assertThat(iso.get("R_size").get("point").asDouble()).isEqualTo(summary.get(1).vsB0().rSize().point());
        assertThat(iso.has("PCR_10%")).isTrue();
        assertThat(iso.get("CCDF").has("P(S>=0.1)")).isTrue();
        assertThat(iso.get("delta_A").get("mean").asDouble()).isPositive();
        assertThat(s.get("arms").get(0).has("R_size")).isFalse();
        assertThat(s.get("run").get("params").get("loadFactor").asDouble()).isEqualTo(0.9);
        // the command's relative paths (--topology shop.json, --out runs/x) resolve against it when the run is repeated
        assertThat(s.get("run").get("working_directory").asText()).isEqualTo(Path.of("").toAbsolutePath().toString());
        assertThat(s.get("run").get("regime_calibration").get("in_range").asBoolean()).isFalse();
        assertThat(s.get("run").get("regime_calibration").get("episodes").asInt()).isEqualTo(24);

        String md = Files.readString(dir.resolve("report.md"));
        assertThat(md).contains("![cascade-size CCDF per arm](ccdf.png)").contains("| isolate |").contains("pareto.png");
        for (String png : new String[] {"ccdf.png", "pareto.png"}) {
            BufferedImage img = ImageIO.read(dir.resolve(png).toFile());
            assertThat(img).as(png).isNotNull();
            assertThat(img.getWidth()).isEqualTo(960);
            // something besides the white background was drawn in the plot area
            int nonWhite = 0;
            for (int y = 60; y < 520; y += 3) {
                for (int x = 100; x < 920; x += 3) {
                    nonWhite += (img.getRGB(x, y) & 0xffffff) != 0xffffff ? 1 : 0;
                }
            }
            assertThat(nonWhite).as(png).isGreaterThan(500);
        }
        Path keep = Path.of("target", "cpb-plot-check");
        Files.createDirectories(keep);
        for (String f : new String[] {"ccdf.png", "pareto.png", "report.md", "summary.json"}) {
            Files.copy(dir.resolve(f), keep.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
