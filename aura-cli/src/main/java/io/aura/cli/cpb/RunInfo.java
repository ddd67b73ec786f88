package io.aura.cli.cpb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What the manifests record about the run beyond the plan: versions, the command line, the fault
 * magnitude scale and where it came from.
 *
 * @param auraVersion the aura build's version
 * @param gitSha the commit the build came from (see {@link #findGitSha()}), or "unknown"
 * @param command the command-line arguments after {@code aura}
 * @param faultScale factor applied to the F-std magnitudes (regime calibration, spec 4)
 * @param faultScaleSource where the scale comes from (option, calibration record, or default)
 * @param topologyFile the topology file's path, or null for a family
 * @param calibration the headline cell's regime calibration when the run is in that cell, else null
 */
public record RunInfo(String auraVersion, String gitSha, List<String> command, double faultScale,
        String faultScaleSource, String topologyFile, Calibration calibration) {
    /**
     * The committed regime calibration of the headline cell (spec 4), recorded in the manifests of
     * runs in that cell.
     *
     * @param scale the committed fault-magnitude scale
     * @param probability measured P_B0(S &gt; 10%) at that scale
     * @param episodes dev-seed episodes behind the probability
     * @param inRange whether the probability is in [0.3, 0.6], i.e. the rule is met
     */
    public record Calibration(double scale, double probability, int episodes, boolean inRange) {
    }

    public RunInfo {
        command = List.copyOf(command);
    }

    /** The version from {@code version.properties}. */
    static String readAuraVersion() {
        return versionProperties().getProperty("version", "unknown");
    }

    /**
     * The git commit: {@code git.sha} from {@code version.properties} if the build recorded one,
     * otherwise {@code git rev-parse HEAD} in the AURA checkout the code runs from ({@link #repository()},
     * not the working directory, which may be another repository) (5-s limit), with "-dirty" appended
     * when tracked files differ from that commit, otherwise "unknown".
     */
    static String findGitSha() {
        String sha = versionProperties().getProperty("git.sha", "").trim();
        if (sha.matches("[0-9a-f]{7,40}")) {
            return sha;
        }
        java.io.File repo = repository();
        if (repo == null) { // not where the command runs: that may be any other repository
            return "unknown";
        }
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").directory(repo).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unknown";
            }
            if (p.exitValue() != 0 || !out.matches("[0-9a-f]{40}")) {
                return "unknown";
            }
            return out + (dirty(repo) ? "-dirty" : "");
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** True if {@code git status --porcelain --untracked-files=no} lists a modified tracked file. */
    private static boolean dirty(java.io.File repo) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no").directory(repo)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0 && !out.isEmpty();
    }

    /**
     * The AURA checkout this code runs from: the nearest directory above its jar or classes that has
     * both {@code mvnw} and {@code .git}; null for an installed jar outside a checkout.
     */
    static java.io.File repository() {
        try {
            java.security.CodeSource cs = RunInfo.class.getProtectionDomain().getCodeSource();
            if (cs == null || cs.getLocation() == null) {
                return null;
            }
            java.io.File f = new java.io.File(cs.getLocation().toURI()).getAbsoluteFile();
            for (java.io.File d = f.isDirectory() ? f : f.getParentFile(); d != null; d = d.getParentFile()) {
                if (new java.io.File(d, "mvnw").isFile() && new java.io.File(d, ".git").exists()) {
                    return d;
                }
            }
            return null;
        } catch (java.net.URISyntaxException | IllegalArgumentException | SecurityException e) {
            return null;
        }
    }

    private static Properties versionProperties() {
        Properties p = new Properties();
        try (InputStream in = io.aura.cli.Main.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // an unreadable resource means an unknown version, not a failed benchmark
        }
        return p;
    }
}
