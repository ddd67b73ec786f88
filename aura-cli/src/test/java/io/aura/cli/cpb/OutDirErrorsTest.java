package io.aura.cli.cpb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An --out the command cannot create or write into is refused with the reason, not just the path. */
class OutDirErrorsTest {
    @TempDir
    Path tmp;

    /** The JDK's AccessDeniedException and NoSuchFileException carry only the path as their message. */
    @Test
    void theReasonOfAFileSystemErrorIsSpelledOut() {
        assertThat(RunOutputs.ioReason(new AccessDeniedException("/srv/runs/x"))).isEqualTo("/srv/runs/x: permission denied");
        assertThat(RunOutputs.ioReason(new NoSuchFileException("/srv/runs/x"))).isEqualTo("/srv/runs/x: no such file or directory");
        assertThat(RunOutputs.ioReason(new UncheckedIOException(new AccessDeniedException("/a/b"))))
                .isEqualTo("/a/b: permission denied");
        assertThat(RunOutputs.ioReason(new FileSystemException("/a", null, "Not a directory"))).isEqualTo("/a: Not a directory");
        assertThat(RunOutputs.ioReason(new IOException("No space left on device"))).isEqualTo("No space left on device");
    }

    /**
     * End to end where the file system refuses: a read-only directory, or for root (who may write into one) a directory
     * under /proc/sys, where nobody may create one.
     */
    @Test
    void anOutThatCannotBeCreatedSaysWhy() throws Exception {
        Path ro = Files.createDirectory(tmp.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Path out = null;
            String why = null;
            for (Path candidate : new Path[] {ro.resolve("run"), Path.of("/proc/sys/aura-out-test")}) {
                try {
                    Files.createDirectories(candidate);
                    Files.delete(candidate);
                } catch (FileSystemException e) { // the JDK's message is the path alone
                    out = candidate;
                    why = e instanceof AccessDeniedException ? "permission denied" : "no such file or directory";
                    Assumptions.assumeTrue(e instanceof AccessDeniedException || e instanceof NoSuchFileException, e.toString());
                    break;
                }
            }
            Assumptions.assumeTrue(out != null, "no directory here refuses to be created");
            String topo = Path.of("..", "examples", "topology-small.json").toString();
            String[] r = CpbCommandArgsTest.run("bench", "cpb", "--topology", topo, "--seeds", "1", "--arms", "b0", "--quiet",
                    "--out", out.toString());
            assertThat(r[0]).isEqualTo("2");
            assertThat(r[2].strip()).isEqualTo("aura bench cpb: cannot create --out " + out + ": " + out + ": " + why);
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
