package io.aura.cli.cpb;

import io.aura.cli.SeedRange;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aura.cascade.sim.EpisodeParams;
import io.aura.cascade.sim.FaultKind;
import io.aura.cascade.sim.FaultMagnitudes;
import io.aura.cascade.sim.RegimeCalibration;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aura bench cpb}: the Cascade-Prevention Benchmark on a graph family or a topology file.
 * Every (seed, arm) pair is one D3 episode; arms are paired on the same seeds (common random
 * numbers); episodes run in parallel and the outputs come in a fixed order. Writes
 * {@code episodes.csv}, {@code manifest.json}, {@code manifests.jsonl}, {@code summary.json},
 * {@code report.md}, {@code ccdf.png} and {@code pareto.png} into {@code --out}. Input errors exit
 * with status 2 and one line on standard error.
 */
@Command(name = "cpb", mixinStandardHelpOptions = true,
        description = {"Cascade-Prevention Benchmark: paired D3 episodes per seed and arm, section-6 metrics, report with plots.",
            "Outputs in --out: episodes.csv, manifest.json, manifests.jsonl, summary.json, report.md, ccdf.png, pareto.png; "
                + "with --feature-scores also samples.csv."},
        footer = {"%nExamples:",
            "  aura bench cpb --family ali-1000 --seeds 1-100 --arms b0,b3 --out runs/ali",
            "  aura bench cpb --topology examples/topology-small.json \\",
            "      --seeds 1-20 --arms b0,b4 --out runs/mine",
            "%nTopology file format: docs/cpb.md."})
public final class CpbCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions run;

    @Option(names = "--seeds", paramLabel = "A-B", description = "episode seeds, inclusive range or one seed (required)")
    String seeds;

    @Option(names = "--arms", paramLabel = "LIST", description = "comma-separated arms (required): b0, b0-noretry, b0-notimeout, b1-r4j, b1-hyx, b2, b3, b4, "
            + "aura (AURA's guard, full mode), aura-shed (plus surge shedding), aura-no-throttle (without the per-edge adaptive throttle), aura-no-latency (rules 3 and 4 judge every edge over the fast 3-s window, not over its callee's latency), aura-predict (predict only), rand-budget (AURA's action budget at random); "
            + "b0 is the reference of the paired metrics")
    String arms;

    @Mixin
    EpisodeOptions episode;

    @Option(names = "--dynamics", paramLabel = "D", defaultValue = "des", description = "des (default: the discrete-event "
            + "simulator) or fluid (D3-fluid, the mean-field model of the scale runs: step 0.1 s, 1 s from 100 000 agents; "
            + "arms b0 and the SUT arms only)")
    String dynamics;

    @Option(names = "--theta-from", paramLabel = "FILE", description = "summary.json of a dev run (e.g. --fault none on other seeds): "
            + "each SUT arm's warning threshold theta is taken from it instead of from this run's own benign episodes (spec 6.5)")
    private String thetaFrom;

    @Option(names = "--step", paramLabel = "SEC", description = "with --dynamics fluid: the time step, dividing one second "
            + "(default: the spec's, 0.1 s, or 1 s from 100 000 agents); e.g. --step 1 on a small family separates the "
            + "step's effect from the size's")
    Double step;

    @Option(names = "--feature-scores", description = "also score each column of AURA's feature vector alone (AUROC, AUPRC) "
            + "on the same samples as the risk: summary.json feature_scores, a table in report.md, and every sample's label, "
            + "risk, baselines and features in samples.csv (SUT arms only)")
    boolean featureScores;

    /** The parsed and checked command line. */
    record Setup(CpbRunner.Plan plan, RunInfo info, Path outDir, java.util.Map<String, DevThresholds.Theta> devThetas) {
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
        for (String w : warnings) {
            err.println("aura bench cpb: warning: " + w);
        }
        err.flush();
        return execute(setup, err);
    }

    /** Said on standard error before the run starts (and recorded where they concern an output). */
    private final java.util.List<String> warnings = new java.util.ArrayList<>();

    private Setup setup() {
        run.requireSource();
        if (seeds == null) {
            throw new IllegalArgumentException("missing --seeds A-B (e.g. --seeds 1-100)");
        }
        if (arms == null) {
            throw new IllegalArgumentException("missing --arms LIST; accepted: " + String.join(", ", Arms.names()));
        }
        run.requireOut();
        long[] range = SeedRange.parse(seeds, "--seeds", 1_000_000);
        List<Arm> armList = Arms.parse(arms);
        FaultKind faultKind = episode.check();
        int threadCount = run.threadCount();
        boolean headline = episode.headline(run, faultKind);
        double scale = episode.scale(headline);
        String scaleSource;
        if (episode.faultScale != null) {
            scaleSource = "--fault-scale";
        } else if (headline) {
            scaleSource = String.format(Locale.ROOT, "regime calibration of the headline cell (RegimeCalibration.HEADLINE_SCALE; "
                    + "P_B0(S > 10%%) = %s on %d dev seeds, rule [%s, %s] %s)", Double.toString(RegimeCalibration.HEADLINE_PROBABILITY),
                    RegimeCalibration.HEADLINE_EPISODES, Plots.fmt(RegimeCalibration.LOW), Plots.fmt(RegimeCalibration.HIGH),
                    RegimeCalibration.HEADLINE_IN_RANGE ? "met" : "NOT met");
        } else {
            scaleSource = "default 1 (not the headline cell; no calibration applies)";
        }
        Path outDir = run.outDir();
        TopologySource source = run.source(range[0], episode.alpha);
        EpisodeParams params = episode.params(faultKind, scale);
        if (run.topology != null) { // a family's graph has none; a file's may, by a forgotten or mistyped edge
            idleAgents(source.build(episode.alpha, range[0]), source.agentNames(range[0])).ifPresent(warnings::add);
        }
        if (source.agentNames(range[0]).size() == 1) {
            String cannot = "the topology has 1 agent: a fault on an agent puts it in F0 and leaves no agent that can count in S, "
                    + "so S is 0 by definition in ";
            String only = ", in every arm; R_size, PCR and the harm rate then compare nothing and only availability tells the arms "
                    + "apart";
            switch (faultKind) {
                case F1_AGENT, F1_INSTANCE, F2_SLOW, F3_CAPACITY, F5_ERRORS -> warnings.add(cannot + "every episode" + only);
                case F_STD -> warnings.add(cannot + "the episodes that draw F2, F3 or F5 (F-std's 75%)" + only
                        + " (F4 surges leave F0 empty, so their S says whether the agent failed)");
                default -> { } // F4, F8 and none leave F0 empty: S is whether the one agent failed
            }
        }
        boolean fluid = switch (dynamics) {
            case "des" -> false;
            case "fluid" -> true;
            default -> throw new IllegalArgumentException("--dynamics must be des or fluid, got '" + dynamics + "'");
        };
        if (featureScores && armList.stream().noneMatch(a -> a instanceof Arm.Guarded)) {
            throw new IllegalArgumentException("--feature-scores scores AURA's features, but no SUT arm is in --arms "
                    + arms + "; add one of " + String.join(", ", Arms.suts().keySet()));
        }
        if (step != null && !(step > 0)) {
            throw new IllegalArgumentException("--step must be a positive number of seconds dividing one second, got " + step);
        }
        CpbRunner.Plan plan = new CpbRunner.Plan(source, episode.alpha, range[0], range[1], armList, params, threadCount, fluid,
                featureScores, step == null ? 0 : step);
        List<String> command = commandLine(spec, "cpb");
        RunInfo info = new RunInfo(RunInfo.readAuraVersion(), RunInfo.findGitSha(), command, scale, scaleSource,
                run.topology, headline && episode.faultScale == null
                        ? new RunInfo.Calibration(RegimeCalibration.HEADLINE_SCALE, RegimeCalibration.HEADLINE_PROBABILITY,
                                RegimeCalibration.HEADLINE_EPISODES, RegimeCalibration.HEADLINE_IN_RANGE) : null);
        java.util.Map<String, DevThresholds.Theta> devThetas = java.util.Map.of();
        if (thetaFrom != null) {
            devThetas = DevThresholds.read(Path.of(thetaFrom));
            java.util.List<String> misfits = DevThresholds.mismatches(Path.of(thetaFrom),
                    plan.source().kind().equals("family") ? plan.source().name() : null, plan.source().fileSha256(),
                    plan.firstSeed(), plan.lastSeed());
            if (!misfits.isEmpty()) { // recorded with theta in summary.json and report.md, and said now
                String note = "; warning: " + String.join("; ", misfits);
                java.util.Map<String, DevThresholds.Theta> noted = new java.util.LinkedHashMap<>();
                devThetas.forEach((k, v) -> noted.put(k, new DevThresholds.Theta(v.theta(), v.source() + note)));
                devThetas = noted;
                for (String m : misfits) {
                    warnings.add("--theta-from " + thetaFrom + ": " + m);
                }
            }
            for (Arm a : armList) {
                if (a instanceof Arm.Guarded && !devThetas.containsKey(a.name())) {
                    throw new IllegalArgumentException("--theta-from " + thetaFrom + " has no lead_time.theta for arm '"
                            + a.name() + "' (it has: " + String.join(", ", devThetas.keySet()) + ")");
                }
            }
        }
        return new Setup(plan, info, outDir, devThetas);
    }

    /**
     * A warning naming the agents that get no traffic at the design load (no entry share, no caller that reaches them with
     * a probability above 0, or a design rate too small to register, e.g. deep in a long chain of probability-1/2 calls):
     * they never become FAILED, yet count in the denominator of S, and F1 or F2 may fault them.
     */
    static java.util.Optional<String> idleAgents(io.aura.cascade.sim.SimTopology t, List<String> names) {
        List<String> idle = new ArrayList<>();
        for (int i = 0; i < t.agentCount(); i++) {
            if (!(t.designArrivalRatePerSec(i) > 0)) {
                idle.add(i < names.size() ? names.get(i) : Integer.toString(i));
            }
        }
        if (idle.isEmpty()) {
            return java.util.Optional.empty();
        }
        int shown = Math.min(idle.size(), 10);
        return java.util.Optional.of(String.format(Locale.ROOT, "%d of %d agents get no traffic at the design load: %s%s (no entry "
                + "share and no caller reaches them, or too rarely to register); they never fail but count in S's denominator "
                + "(N - |F0|), and F1 or F2 may fault them; check their callers and the entry shares", idle.size(), t.agentCount(), String.join(", ", idle.subList(0, shown)),
                idle.size() > shown ? " and " + (idle.size() - shown) + " more" : ""));
    }

    /** --threads, or the available processors when absent; ≥ 1. */
    static int threadCount(Integer threads) {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + n);
        }
        return n;
    }

    /** --out as a path, checked by {@link #checkOut}. */
    static Path outDir(String out, boolean force) {
        Path dir;
        try {
            dir = Path.of(out);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("--out '" + out + "' is not a valid path: " + e.getReason(), e);
        }
        checkOut(dir, force);
        return dir;
    }

    /** The command line as given, starting with {@code bench <sub>} even when invoked below the root (tests). */
    static List<String> commandLine(CommandSpec spec, String sub) {
        List<String> command = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (command.size() < 2 || !command.get(0).equals("bench")) {
            command.addAll(0, List.of("bench", sub));
        }
        return command;
    }

    /** Rejects an --out that is a file, or a non-empty directory unless {@code force}. */
    static void checkOut(Path dir, boolean force) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + dir + " exists and is not a directory");
        }
        if (Files.isDirectory(dir) && !force) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out " + dir + " is not empty; choose a new directory or add --force "
                            + "to overwrite the files of an earlier run");
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("--out " + dir + " cannot be listed: " + e.getMessage(), e);
            }
        }
    }

    private Integer execute(Setup s, PrintWriter err) {
        CpbRunner.Plan plan = s.plan();
        ObjectMapper mapper = RunOutputs.mapper();
        ObjectMapper lines = new ObjectMapper();
        try {
            Files.createDirectories(s.outDir());
        } catch (IOException e) {
            return fail(err, "cannot create --out " + s.outDir() + ": " + RunOutputs.ioReason(e));
        }
        ObjectNode common = EpisodeFiles.common(lines, s.info(), plan);
        ObjectNode manifest = RunOutputs.runManifest(mapper, common, s.info(), plan);
        List<CpbRunner.EpisodeRecord> all = new ArrayList<>(plan.episodeCount());
        CpbRunner.Listener listener = run.quiet ? (d, t, ev) -> { } : new Progress(err, Progress.stderrIsTerminal(), 10);
        StopNote stop = new StopNote(err, s.outDir(), plan.episodeCount(), !run.quiet && Progress.stderrIsTerminal());
        stop.register();
        try {
            RunOutputs.writeManifest(s.outDir(), mapper, manifest);
            try (EpisodeFiles files = new EpisodeFiles(s.outDir(), lines, common, plan.featureScores())) {
                CpbRunner.run(plan, listener, e -> {
                    synchronized (stop) {
                        if (stop.stopping) { // the process is going down: the note has counted the rows on disk
                            return;
                        }
                        all.add(e);
                        files.write(e, armNamed(plan, e.arm()), plan.source().name());
                        stop.written++;
                    }
                });
            }
            List<Summary.ArmSummary> summary = Summary.of(plan.arms(), all, plan.firstSeed(), s.devThetas(), plan.params().warmupSec(),
                    plan.params().durationSec());
            RunOutputs.writeReport(s.outDir(), s.info(), plan, summary);
            manifest.put("complete", true); // the report is there; summary.json and then manifest.json say so
            RunOutputs.writeSummary(s.outDir(), mapper, manifest, summary);
            RunOutputs.writeManifest(s.outDir(), mapper, manifest); // last: a stopped run's manifest says complete: false
        } catch (IllegalArgumentException e) {
            return fail(err, e.getMessage());
        } catch (IOException | java.io.UncheckedIOException e) {
            return fail(err, "cannot write into " + s.outDir() + ": " + RunOutputs.ioReason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("aura bench cpb: interrupted");
            err.flush();
            return 1;
        } finally {
            stop.finished();
        }
        if (!run.quiet) {
            long wall = 0;
            long cpu = 0;
            long events = 0;
            for (CpbRunner.EpisodeRecord e : all) {
                wall += e.wallNanos();
                cpu += Math.max(0, e.cpuNanos());
                events += e.result().events();
            }
            err.println(String.format(Locale.ROOT, "cpb: wrote %s (%d episodes; per episode %.2f s wall, %.2f s CPU; "
                    + "%.3g simulator events per CPU second)", s.outDir(), all.size(), wall * 1e-9 / all.size(),
                    cpu * 1e-9 / all.size(), cpu == 0 ? 0.0 : events / (cpu * 1e-9)));
            err.flush();
        }
        return 0;
    }

    /**
     * Run as a shutdown hook: a run stopped from outside (Ctrl-C, kill, a CI timeout) says on standard error what it
     * left in --out. Episode rows are written under this object's lock, so the count is the rows on disk.
     */
    static final class StopNote implements Runnable {
        private final PrintWriter err;
        private final Path outDir;
        private final int planned;
        private final boolean afterProgressLine; // a terminal's progress line has no line break yet
        private final Thread hook = new Thread(this, "cpb-stop-note");
        int written; // guarded by this
        boolean stopping; // guarded by this
        private boolean done; // guarded by this

        StopNote(PrintWriter err, Path outDir, int planned, boolean afterProgressLine) {
            this.err = err;
            this.outDir = outDir;
            this.planned = planned;
            this.afterProgressLine = afterProgressLine;
        }

        void register() {
            Runtime.getRuntime().addShutdownHook(hook);
        }

        @Override
        public synchronized void run() {
            stopping = true;
            if (done) {
                return;
            }
            if (afterProgressLine) {
                err.println();
            }
            err.println(String.format(Locale.ROOT, "aura bench cpb: stopped after %d of %d episodes; %s holds their rows "
                    + "in episodes.csv and manifests.jsonl, manifest.json says complete: false, and there is no summary.json "
                    + "or report.md (add --force to run again into it)", written, planned, outDir));
            err.flush();
        }

        /** The run ended by itself (complete, or with its own message): nothing to add at shutdown. */
        void finished() {
            synchronized (this) {
                done = true;
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; done keeps the hook silent
            }
        }
    }

    private static Arm armNamed(CpbRunner.Plan plan, String name) {
        for (Arm a : plan.arms()) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        throw new IllegalStateException("no arm " + name);
    }

    private static int fail(PrintWriter err, String message) {
        err.println("aura bench cpb: " + message);
        err.flush();
        return 2;
    }
}
