package io.aura.cli.cpb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void plainLinesWhenNotATerminal() {
        StringWriter w = new StringWriter();
        Progress p = new Progress(new PrintWriter(w), false, 0);
        p.episodeDone(1, 4, 1000);
        p.episodeDone(4, 4, 4000);
        List<String> lines = w.toString().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("cpb: 1/4 episodes (25%), ").contains("episodes/s").contains("events/s").contains("ETA");
        assertThat(lines.get(1)).startsWith("cpb: 4/4 episodes (100%)").endsWith("ETA 0s");
        assertThat(w.toString()).doesNotContain("\r");
    }

    @Test
    void longEpisodesReportTheirSimulatedSecondsAtMostOnceASecond() throws InterruptedException {
        StringWriter w = new StringWriter();
        Progress p = new Progress(new PrintWriter(w), false, 0);
        p.started(2);
        for (int i = 0; i < 5; i++) {
            p.secondSimulated();
        }
        assertThat(w.toString()).isEmpty();
        Thread.sleep(1_100);
        p.secondSimulated();
        p.secondSimulated();
        assertThat(w.toString().lines().toList()).hasSize(1)
                .allMatch(l -> l.startsWith("cpb: 0/2 episodes (0%), 6 simulated seconds, elapsed "));
    }

    @Test
    void periodThrottlesIntermediateLinesButNotTheLast() {
        StringWriter w = new StringWriter();
        Progress p = new Progress(new PrintWriter(w), false, 3600);
        for (int i = 1; i <= 10; i++) {
            p.episodeDone(i, 10, i);
        }
        assertThat(w.toString().lines().toList()).hasSize(1).allMatch(l -> l.startsWith("cpb: 10/10"));
    }

    @Test
    void oneRewrittenLineOnATerminal() {
        StringWriter w = new StringWriter();
        Progress p = new Progress(new PrintWriter(w), true, 10);
        p.episodeDone(3, 3, 30);
        assertThat(w.toString()).startsWith("\rcpb: 3/3 episodes").endsWith(System.lineSeparator());
    }

    @Test
    void durations() {
        assertThat(Progress.duration(42)).isEqualTo("42s");
        assertThat(Progress.duration(125)).isEqualTo("2m05s");
        assertThat(Progress.duration(7260)).isEqualTo("2h01m");
    }
}
