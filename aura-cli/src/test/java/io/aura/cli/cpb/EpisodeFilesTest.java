package io.aura.cli.cpb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What opening a run's per-episode files does to an earlier run's outputs in the same --out (--force). */
class EpisodeFilesTest {
    @TempDir
    Path tmp;

    /**
     * A --force run that is stopped (Ctrl-C, a crash, a full disk) before its summary is written must not leave the
     * earlier run's summary.json, report.md and plots next to its own partial episodes.csv: they would be read as
     * this run's results. They are removed when the new run starts; files that are not run outputs stay.
     */
    @Test
    void anEarlierRunsSummaryReportAndPlotsAreRemovedWhenANewRunStarts() throws Exception {
        for (String f : new String[] {"summary.json", "report.md", "ccdf.png", "pareto.png", "samples.csv", "notes.txt"}) {
            Files.writeString(tmp.resolve(f), "earlier run");
        }
        ObjectMapper m = new ObjectMapper();
        EpisodeFiles files = new EpisodeFiles(tmp, m, m.createObjectNode(), false);
        try {
            assertThat(tmp.resolve("summary.json")).doesNotExist();
            assertThat(tmp.resolve("report.md")).doesNotExist();
            assertThat(tmp.resolve("ccdf.png")).doesNotExist();
            assertThat(tmp.resolve("pareto.png")).doesNotExist();
            assertThat(tmp.resolve("samples.csv")).doesNotExist();
            assertThat(tmp.resolve("notes.txt")).hasContent("earlier run");
            assertThat(tmp.resolve("episodes.csv")).hasContent(String.join(",", EpisodeFiles.COLUMNS));
        } finally {
            files.close();
        }
    }
}
