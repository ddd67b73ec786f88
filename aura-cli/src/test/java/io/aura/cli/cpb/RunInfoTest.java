package io.aura.cli.cpb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provenance in every run's manifest names AURA's own commit, not the working directory's
 * repository: {@link RunInfo#findGitSha()} runs in a child JVM whose working directory is another
 * git repository with a commit of its own, and must still name this checkout's HEAD (code that ran
 * {@code git rev-parse HEAD} where the command was started would name the other repository's).
 */
class RunInfoTest {

    /** The child JVM's entry point: prints what {@link RunInfo#findGitSha()} finds. */
    public static void main(String[] args) {
        System.out.println(RunInfo.findGitSha());
    }

    @Test
    void theCommitIsTheCheckoutsTheCodeRunsFromWhateverTheWorkingDirectory(@TempDir Path other) throws Exception {
        File repo = RunInfo.repository();
        assertThat(repo).as("the tests run from target/ of a checkout").isNotNull();
        assertThat(new File(repo, "aura-cli")).isDirectory();
        String head = run(repo, "git", "rev-parse", "HEAD");
        if (!head.matches("[0-9a-f]{40}")) {
            System.out.println("RunInfoTest: git cannot read " + repo + " here (" + head + "); only checking the fallback");
            assertThat(RunInfo.findGitSha()).isEqualTo("unknown");
            return;
        }
        run(other.toFile(), "git", "init", "-q");
        run(other.toFile(), "git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "another repository");
        String otherHead = run(other.toFile(), "git", "rev-parse", "HEAD");
        assertThat(otherHead).matches("[0-9a-f]{40}").isNotEqualTo(head);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String sha = run(other.toFile(), java, "-cp", System.getProperty("java.class.path"), RunInfoTest.class.getName());
        assertThat(sha).as("run from inside another repository").startsWith(head).doesNotContain(otherHead);
        assertThat(RunInfo.findGitSha()).startsWith(head);
    }

    private static String run(File dir, String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).directory(dir).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        return out;
    }
}
