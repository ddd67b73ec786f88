package io.aura.cli.cpb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import org.junit.jupiter.api.Test;

/** The provenance in every run's manifest names AURA's own commit, not the working directory's repository. */
class RunInfoTest {

    @Test
    void theCommitIsTheCheckoutsTheCodeRunsFrom() throws Exception {
        File repo = RunInfo.repository();
        assertThat(repo).as("the tests run from target/ of a checkout").isNotNull();
        assertThat(new File(repo, "aura-cli")).isDirectory();
        Process p = new ProcessBuilder("git", "rev-parse", "HEAD").directory(repo).start();
        String head = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        p.waitFor();
        String sha = RunInfo.findGitSha();
        if (head.matches("[0-9a-f]{40}")) {
            assertThat(sha).startsWith(head);
        } else {
            System.out.println("RunInfoTest: git cannot read " + repo + " here (" + head + "); only checking the fallback");
            assertThat(sha).isEqualTo("unknown");
        }
    }
}
