package io.aura.cli.cpb;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options that {@code bench cpb}, {@code bench critical} and {@code bench fluid-check} share (a
 * picocli mixin): where the topology comes from, where the outputs go, how many episodes run at once,
 * and whether progress is shown.
 */
final class RunOptions {
    @Option(names = "--family", paramLabel = "NAME", description = "graph family: dsb-sn, ali-<N>, meta-<N>, b1-hier, b2-pipe, b3-debate, b4-macnet-<N>, ba-<N>-<m>, ws-<N>-<k>-<beta> (docs/cpb.md)")
    String family;

    @Option(names = "--topology", paramLabel = "FILE", description = "a topology file (JSON, format in docs/cpb.md)")
    String topology;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (required; created if missing)")
    String out;

    @Option(names = "--force", description = "write into a non-empty --out, replacing the files of an earlier run")
    boolean force;

    @Option(names = "--threads", paramLabel = "N", description = "parallel episodes (default: the available processors)")
    Integer threads;

    @Option(names = "--quiet", description = "no progress on standard error")
    boolean quiet;

    /** Exactly one of --family and --topology. */
    void requireSource() {
        if ((family == null) == (topology == null)) {
            throw new IllegalArgumentException(family == null ? "give --family NAME or --topology FILE"
                    : "give either --family or --topology, not both");
        }
    }

    /** --out is given. */
    void requireOut() {
        if (out == null) {
            throw new IllegalArgumentException("missing --out DIR");
        }
    }

    /** Whether --family names {@code name} (case and surrounding blanks ignored). */
    boolean isFamily(String name) {
        return family != null && family.trim().equalsIgnoreCase(name);
    }

    /** The family or the topology file, probed at {@code probeSeed}. */
    TopologySource source(long probeSeed, double alpha) {
        if (family != null) {
            return Sources.family(family, probeSeed, alpha);
        }
        try {
            return Sources.file(Path.of(topology), probeSeed, alpha);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("--topology '" + topology + "' is not a valid path: " + e.getReason(), e);
        }
    }

    /** --threads, or the available processors. */
    int threadCount() {
        return CpbCommand.threadCount(threads);
    }

    /** --out, checked (see {@link CpbCommand#outDir}). */
    Path outDir() {
        return CpbCommand.outDir(out, force);
    }
}
