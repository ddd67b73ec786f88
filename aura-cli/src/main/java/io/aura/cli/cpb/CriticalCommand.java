package io.aura.cli.cpb;

import io.aura.cascade.critical.CriticalStudy;
import io.aura.cascade.predict.AuraGuard;
import io.aura.cascade.predict.RiskModel;
import io.aura.cascade.sim.EpisodeParams;
import io.aura.cascade.sim.EpisodeResult;
import io.aura.cascade.sim.FaultKind;
import io.aura.cascade.sim.FaultMagnitudes;
import io.aura.cascade.sim.RegimeCalibration;
import io.aura.cascade.sim.SimTopology;
import io.aura.cli.SeedRange;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aura bench critical}: critical-agent identification against counterfactual ground truth
 * (CPB spec 6.7, target T7). On one topology (a family or a file, built once from the first seed so
 * that agent i is the same agent on every seed):
 *
 * <ol>
 *   <li>B0 on every seed, with AURA's guard in predict-only mode (its predictions do not change the
 *       episode): S_B0, AURA's mean critical score per agent over [t_f, t_f + 60 s) and the mean
 *       utilisation per agent over [t_f − 60 s, t_f);</li>
 *   <li>the rankings: AURA (mean score over seeds), degree, betweenness, dependents-PageRank and
 *       utilisation; ties by agent index;</li>
 *   <li>B0 with agent i immune on the same seeds, for every agent (N ≤ 200) or the candidate set;</li>
 *   <li>crit_i = mean S_B0 − mean S_B0|i immune with a bootstrap-by-seed 95% interval; precision@k and
 *       NDCG@k at k = 5, 10, 1% of N; the T7 verdict.</li>
 * </ol>
 * Writes {@code critical.json} and {@code report.md} into {@code --out}. Input errors exit with
 * status 2 and one line on standard error.
 */
@Command(name = "critical", mixinStandardHelpOptions = true,
        description = {"Critical-agent identification (CPB 6.7): counterfactual crit_i = E[S_B0] - E[S_B0 | i immune] "
                + "against AURA's ranking and the degree, betweenness, dependents-PageRank and utilisation rankings.",
            "Outputs in --out: critical.json, report.md."},
        footer = {"%nExamples:",
            "  aura bench critical --family dsb-sn --seeds 1-20 --out runs/crit-dsbsn",
            "  aura bench critical --topology examples/topology-small.json --seeds 1-20 --out runs/crit-small",
            "%nDefinitions and measured results: docs/cpb.md, section \"Critical agents (6.7)\"."})
public final class CriticalCommand implements Callable<Integer> {
    /** Tolerance α of the provisioning (bench cpb's default). */
    static final double ALPHA = 0.2;
    /** Most seeds a run may have. */
    static final int MAX_SEEDS = 1000;

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions run;

    @Option(names = "--seeds", paramLabel = "A-B", description = "episode seeds, inclusive range of at least 2 seeds (required; the spec uses 20)")
    String seeds;

    @Option(names = "--fault", paramLabel = "F", defaultValue = "f-std", description = "fault: f-std (default), f1, f1-instance, f2, f3, f4, f4-surge-one, f5, f8")
    String fault;

    @Option(names = "--duration", paramLabel = "SEC", defaultValue = "1800", description = "simulated seconds per episode (default ${DEFAULT-VALUE}; >= 900)")
    long duration;

    /**
     * The parsed and checked command line.
     *
     * @param source where the topology comes from
     * @param topology the topology of every episode (built from the first seed)
     * @param names agent names (may be empty)
     * @param params episode parameters
     * @param firstSeed first seed
     * @param lastSeed last seed
     * @param threads worker threads
     * @param info versions, command line, fault scale
     * @param outDir output directory
     */
    record Setup(TopologySource source, SimTopology topology, List<String> names, EpisodeParams params, long firstSeed,
            long lastSeed, int threads, RunInfo info, Path outDir) {
        int seedCount() {
            return Math.toIntExact(lastSeed - firstSeed + 1);
        }
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Setup setup;
        try {
            setup = setup();
        } catch (IllegalArgumentException e) {
            return fail(err, e.getMessage());
        }
        return execute(setup, err);
    }

    private Setup setup() {
        run.requireSource();
        if (seeds == null) {
            throw new IllegalArgumentException("missing --seeds A-B (e.g. --seeds 1-20)");
        }
        run.requireOut();
        long[] range = SeedRange.parse(seeds, "--seeds", MAX_SEEDS);
        if (range[1] == range[0]) {
            throw new IllegalArgumentException("--seeds '" + seeds + "' is one seed; crit_i is a mean over paired seeds and its "
                    + "interval needs at least 2 (the spec uses 20, e.g. --seeds 1-20)");
        }
        FaultKind faultKind = Faults.parse(fault);
        if (faultKind == FaultKind.NONE) {
            throw new IllegalArgumentException("--fault none: without a fault B0 has no cascade to attribute; give a fault "
                    + "(default f-std)");
        }
        if (duration < 900) {
            throw new IllegalArgumentException("--duration " + duration + " s is too short for a fault (t_f ~ U[600, 900] s); use >= 900");
        }
        int threadCount = run.threadCount();
        Path outDir = run.outDir();
        boolean headline = run.isFamily(RegimeCalibration.FAMILY) && faultKind == FaultKind.F_STD;
        double scale = headline ? RegimeCalibration.HEADLINE_SCALE : 1.0;
        String scaleSource = headline ? "regime calibration of the headline cell (RegimeCalibration.HEADLINE_SCALE)"
                : "default 1 (not the headline cell; no calibration applies)";
        TopologySource source = run.source(range[0], ALPHA);
        SimTopology t = source.build(ALPHA, range[0]);
        if (t.agentCount() < 2) {
            throw new IllegalArgumentException("the topology has " + t.agentCount() + " agent; ranking needs at least 2");
        }
        long warmup = Math.min(EpisodeParams.DEFAULT_WARMUP_SEC, duration / 6);
        EpisodeParams params = EpisodeParams.defaults().withFault(faultKind).withDuration(duration, warmup)
                .withMagnitudes(FaultMagnitudes.standard().scaled(scale));
        List<String> command = CpbCommand.commandLine(spec, "critical");
        RunInfo info = new RunInfo(RunInfo.readAuraVersion(), RunInfo.findGitSha(), command, scale, scaleSource,
                run.topology, null);
        return new Setup(source, t, source.agentNames(range[0]), params, range[0], range[1], threadCount, info, outDir);
    }

    /** The guard version recorded in the manifest (as bench cpb's aura arms). */
    static String guardVersion() {
        return "aura-" + RiskModel.shipped().fingerprint();
    }

    private record Immune(double size, long events, long wallNanos) {
    }

    private Integer execute(Setup s, PrintWriter err) {
        long t0 = System.nanoTime();
        CriticalStudy.Plan plan = new CriticalStudy.Plan(s.topology(), s.params(), AuraGuard::new);
        int n = s.topology().agentCount();
        try {
            Files.createDirectories(s.outDir());
        } catch (IOException e) {
            return fail(err, "cannot create --out " + s.outDir() + ": " + RunOutputs.ioReason(e));
        }
        try {
            List<Callable<CriticalStudy.SeedRun>> b0 = new ArrayList<>();
            for (long i = 0; i <= s.lastSeed() - s.firstSeed(); i++) { // not seed <= last: seed++ wraps at Long.MAX_VALUE
                long seed = s.firstSeed() + i;
                long sd = seed;
                b0.add(() -> CriticalStudy.runB0(plan, sd));
            }
            CpbRunner.Listener l1 = listener(err, "critical b0+aura");
            List<CriticalStudy.SeedRun> runs = OrderedPool.run(b0, s.threads(), l1, r -> r.result().events());
            Map<String, double[]> scores = CriticalStudy.scores(s.topology(), runs);
            int[] cand = CriticalStudy.candidates(n, CriticalStudy.rankings(scores), s.firstSeed());
            List<Callable<Immune>> imm = new ArrayList<>();
            for (int a : cand) {
                for (long i = 0; i <= s.lastSeed() - s.firstSeed(); i++) { // not seed <= last: seed++ wraps at Long.MAX_VALUE
                    long seed = s.firstSeed() + i;
                    long sd = seed;
                    imm.add(() -> {
                        long w = System.nanoTime();
                        EpisodeResult r = CriticalStudy.runImmune(plan, sd, a);
                        return new Immune(r.cascadeSize(), r.events(), System.nanoTime() - w);
                    });
                }
            }
            CpbRunner.Listener l2 = listener(err, "critical immune");
            List<Immune> sizes = OrderedPool.run(imm, s.threads(), l2, Immune::events);
            int seedCount = s.seedCount();
            double[][] immune = new double[cand.length][seedCount];
            long immuneWall = 0;
            for (int j = 0; j < cand.length; j++) {
                for (int k = 0; k < seedCount; k++) {
                    Immune x = sizes.get(j * seedCount + k);
                    immune[j][k] = x.size();
                    immuneWall += x.wallNanos();
                }
            }
            CriticalStudy.Outcome outcome = CriticalStudy.assemble(n, runs, scores, cand, immune);
            double wallSec = (System.nanoTime() - t0) * 1e-9;
            CriticalOutputs.Timing timing = new CriticalOutputs.Timing(wallSec, runs.size() + sizes.size(),
                    sizes.isEmpty() ? 0 : immuneWall * 1e-9 / sizes.size(), s.threads());
            CriticalOutputs.write(s, runs, immune, outcome, timing);
            if (!run.quiet) {
                err.println(String.format(Locale.ROOT, "critical: wrote %s (%d agents, %d candidates, %d episodes, %.0f s wall); "
                        + "T7 %s", s.outDir(), n, cand.length, timing.episodes(), wallSec,
                        outcome.evaluation().verdict().overall().name().toLowerCase(Locale.ROOT)));
                err.flush();
            }
            return 0;
        } catch (IllegalArgumentException e) {
            return fail(err, e.getMessage());
        } catch (IOException | java.io.UncheckedIOException e) {
            return fail(err, "cannot write into " + s.outDir() + ": " + RunOutputs.ioReason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("aura bench critical: interrupted");
            err.flush();
            return 1;
        }
    }

    private CpbRunner.Listener listener(PrintWriter err, String label) {
        return run.quiet ? (d, t, ev) -> { } : new Progress(err, Progress.stderrIsTerminal(), 10, label);
    }

    private static int fail(PrintWriter err, String message) {
        err.println("aura bench critical: " + message);
        err.flush();
        return 2;
    }
}
