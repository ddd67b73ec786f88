package io.aura.cli.cpb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aura.cascade.sim.Action;
import io.aura.cascade.sim.CascadeGuard;
import io.aura.cascade.sim.Episode;
import io.aura.cascade.sim.EpisodeParams;
import io.aura.cascade.sim.EpisodeResult;
import io.aura.cascade.sim.FaultKind;
import io.aura.cascade.sim.GuardConfig;
import io.aura.cascade.sim.Prediction;
import io.aura.cascade.sim.SimTopology;
import io.aura.cascade.sim.StaticTopology;
import io.aura.cascade.sim.TelemetrySnapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * {@code aura bench episode}: one seed under several arms, explained. Where {@code bench cpb} keeps
 * one row per episode, this keeps what happened inside it: which agents became FAILED and when
 * (the simulator's own FAILED ticks, the ones S counts), every action the guard took, with agent
 * names, and, for the agents named in {@code --agents}, their per-second telemetry as the guard saw
 * it. The episodes are the ones {@code bench cpb} runs on that seed (same topology, parameters and
 * trace hash).
 */
@Command(name = "episode", mixinStandardHelpOptions = true,
        description = {"One seed under several arms, explained: which agents became FAILED and when, every guard action, "
                + "and the per-second telemetry of chosen agents. The episodes are bench cpb's for that seed (same trace hashes).",
            "Outputs in --out: episode.json, failures.csv, actions.csv, and timeline.csv with --agents."},
        footer = {"%nExamples:",
            "  aura bench episode --family ali-1000 --seed 628 --arms b3,aura --out runs/ep628",
            "  aura bench episode --family dsb-sn --seed 3 --arms b0,aura --agents post-storage-mongodb,compose-post --out runs/ep3",
            "%nFormat: docs/cpb.md, section \"Explaining one episode\"."})
public final class EpisodeCommand implements Callable<Integer> {
    /** Most agents --agents may name (the timeline has one row per agent, arm and second). */
    static final int MAX_TIMELINE_AGENTS = 50;
    /** Agents listed per arm pair in the summary on standard error. */
    static final int SUMMARY_LIMIT = 15;

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions run;

    @Option(names = "--seed", paramLabel = "S", description = "the episode seed (required)")
    Long seed;

    @Option(names = "--arms", paramLabel = "LIST", description = "comma-separated arms (required), as for bench cpb except rand-budget; "
            + "the first is the reference of the comparison")
    String arms;

    @Option(names = "--agents", paramLabel = "LIST", description = "agents (names or simulator indices) whose per-second telemetry goes to timeline.csv")
    String agents;

    @Mixin
    EpisodeOptions episode;

    /** One arm's episode with what the recorder kept. */
    record Run(Arm arm, EpisodeResult result, int[] firstFailedSec, double[][][] timeline) {
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            run.requireSource();
            if (seed == null) {
                throw new IllegalArgumentException("missing --seed S (e.g. --seed 628)");
            }
            if (seed < 0) {
                throw new IllegalArgumentException("--seed must be >= 0, got " + seed);
            }
            if (arms == null) {
                throw new IllegalArgumentException("missing --arms LIST; accepted: " + String.join(", ", Arms.names()));
            }
            run.requireOut();
            List<Arm> armList = Arms.parse(arms);
            for (Arm a : armList) {
                if (a instanceof Arm.RandBudget) {
                    throw new IllegalArgumentException("arm rand-budget replays a SUT's action budget over many seeds; it is not available here");
                }
            }
            FaultKind faultKind = episode.check();
            double scale = episode.scale(episode.headline(run, faultKind));
            int threadCount = run.threadCount();
            Path outDir = run.outDir();
            TopologySource source = run.source(seed, episode.alpha);
            SimTopology topology = source.build(episode.alpha, seed);
            List<String> names = source.agentNames(seed);
            int[] watched = watchedAgents(agents, names, topology.agentCount());
            EpisodeParams params = episode.params(faultKind, scale);
            return execute(armList, topology, names, watched, params, scale, threadCount, outDir, err);
        } catch (IllegalArgumentException e) {
            return fail(err, e.getMessage());
        }
    }

    /**
     * The simulator indices named by {@code --agents} (names, or indices in [0, N)), in the given order.
     *
     * @throws IllegalArgumentException for an unknown name, an index out of range, a duplicate or too many
     */
    static int[] watchedAgents(String list, List<String> names, int n) {
        if (list == null) {
            return new int[0];
        }
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            byName.putIfAbsent(names.get(i), i);
        }
        List<Integer> out = new ArrayList<>();
        for (String raw : list.split(",", -1)) {
            String s = raw.trim();
            if (s.isEmpty()) {
                throw new IllegalArgumentException("--agents has an empty name in '" + list + "'");
            }
            Integer id = byName.get(s);
            if (id == null) {
                try {
                    id = Integer.parseInt(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--agents: no agent named '" + s + "' in this topology (names are in "
                            + "failures.csv and actions.csv of a run without --agents; indices 0.." + (n - 1) + " work too)");
                }
                if (id < 0 || id >= n) {
                    throw new IllegalArgumentException("--agents: index " + id + " is outside 0.." + (n - 1));
                }
            }
            if (out.contains(id)) {
                throw new IllegalArgumentException("--agents names agent '" + s + "' twice");
            }
            out.add(id);
        }
        if (out.size() > MAX_TIMELINE_AGENTS) {
            throw new IllegalArgumentException("--agents names " + out.size() + " agents; at most " + MAX_TIMELINE_AGENTS);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private Integer execute(List<Arm> armList, SimTopology topology, List<String> names, int[] watched, EpisodeParams params,
            double scale, int threadCount, Path outDir, PrintWriter err) {
        long s = seed;
        int[] toReal = Episode.guardIdsToReal(topology, params, s);
        int n = topology.agentCount();
        int[] toGuard = new int[n];
        for (int v = 0; v < n; v++) {
            toGuard[toReal[v]] = v;
        }
        int[] watchedGuard = new int[watched.length];
        for (int k = 0; k < watched.length; k++) {
            watchedGuard[k] = toGuard[watched[k]];
        }
        List<Callable<Run>> tasks = new ArrayList<>();
        for (Arm arm : armList) {
            tasks.add(() -> runArm(arm, topology, params, s, watchedGuard));
        }
        try {
            Files.createDirectories(outDir);
            CpbRunner.Listener listener = run.quiet ? (d, t, ev) -> { } : new Progress(err, Progress.stderrIsTerminal(), 10, "episode");
            List<Run> runs = OrderedPool.run(tasks, threadCount, listener, r -> r.result().events());
            EpisodeExplain files = new EpisodeExplain(names, toReal, watched, params);
            files.writeFailures(outDir.resolve("failures.csv"), runs);
            files.writeActions(outDir.resolve("actions.csv"), runs);
            if (watched.length > 0) {
                files.writeTimeline(outDir.resolve("timeline.csv"), runs);
            }
            ObjectNode root = files.json(runs, manifest(scale, n));
            Files.writeString(outDir.resolve("episode.json"), RunOutputs.mapper().writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
            if (!run.quiet) {
                err.print(files.summary(runs, SUMMARY_LIMIT));
                err.println("wrote " + outDir);
                err.flush();
            }
            return 0;
        } catch (IllegalArgumentException e) {
            return fail(err, e.getMessage());
        } catch (IOException e) {
            return fail(err, "cannot write into " + outDir + ": " + RunOutputs.ioReason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("aura bench episode: interrupted");
            err.flush();
            return 1;
        }
    }

    private ObjectNode manifest(double scale, int n) {
        ObjectNode m = RunOutputs.mapper().createObjectNode();
        ArrayNode cmd = m.putArray("command");
        CpbCommand.commandLine(spec, "episode").forEach(cmd::add);
        m.put("aura_version", RunInfo.readAuraVersion());
        m.put("git", RunInfo.findGitSha());
        m.put("source", run.family != null ? "family " + run.family.trim().toLowerCase(Locale.ROOT) : "topology " + run.topology);
        m.put("seed", seed);
        m.put("agents", n);
        m.put("load", episode.load);
        m.put("alpha", episode.alpha);
        m.put("fault", episode.fault);
        m.put("fault_scale", scale);
        m.put("duration_s", episode.duration);
        return m;
    }

    /** Runs one arm with a recorder around its guard (a passive one for the in-simulator baselines). */
    static Run runArm(Arm arm, SimTopology topology, EpisodeParams params, long seed, int[] watchedGuard) {
        EpisodeParams p;
        CascadeGuard inner;
        if (arm instanceof Arm.Baseline b) {
            p = b.episodeParams(params);
            inner = CascadeGuard.none();
        } else if (arm instanceof Arm.Guarded g) {
            p = g.episodeParams(params);
            inner = g.guard().get();
        } else {
            throw new IllegalArgumentException("arm " + arm.name() + " cannot run alone");
        }
        Recorder rec = new Recorder(inner, watchedGuard, (int) p.durationSec());
        Episode.Traced t = Episode.runTraced(topology, p, rec, seed);
        return new Run(arm, t.result(), t.firstFailedSec(), rec.rows);
    }

    /**
     * A guard that passes everything to the arm's own guard and keeps, per second, the telemetry of
     * the watched agents as the guard sees it. It changes nothing in the episode: the inner guard gets
     * the same calls in the same order.
     */
    static final class Recorder implements CascadeGuard {
        /** Columns of one watched agent's second (see {@link EpisodeExplain#TIMELINE_HEADER}). */
        static final int COLUMNS = 15;
        private final CascadeGuard inner;
        private final int[] watched;
        /** [second − 1][watched agent][column]; NaN where the view had no row. */
        final double[][][] rows;
        /** The edges of the guard's static view into and out of each watched agent. */
        private int[][] inEdges;
        private int[][] outEdges;

        Recorder(CascadeGuard inner, int[] watched, int seconds) {
            this.inner = inner;
            this.watched = watched.clone();
            this.rows = new double[watched.length == 0 ? 0 : seconds][][];
        }

        @Override
        public void init(StaticTopology staticTopology, GuardConfig cfg) {
            inEdges = new int[watched.length][];
            outEdges = new int[watched.length][];
            for (int k = 0; k < watched.length; k++) {
                int g = watched[k];
                inEdges[k] = java.util.stream.IntStream.range(0, staticTopology.edgeCount()).filter(e -> staticTopology.callee(e) == g).toArray();
                outEdges[k] = java.util.stream.IntStream.range(0, staticTopology.edgeCount()).filter(e -> staticTopology.caller(e) == g).toArray();
            }
            inner.init(staticTopology, cfg);
        }

        @Override
        public Prediction predict(TelemetrySnapshot s) {
            if (watched.length > 0 && s.timeSec() >= 1 && s.timeSec() <= rows.length) {
                rows[(int) s.timeSec() - 1] = capture(s);
            }
            return inner.predict(s);
        }

        @Override
        public List<Action> decide(TelemetrySnapshot s, Prediction p) {
            return inner.decide(s, p);
        }

        private double[][] capture(TelemetrySnapshot s) {
            double[][] out = new double[watched.length][COLUMNS];
            for (int k = 0; k < watched.length; k++) {
                int g = watched[k];
                double[] r = out[k];
                r[0] = at(s.arrivals(), g);
                r[1] = at(s.successes(), g);
                r[2] = at(s.errors(), g);
                r[3] = at(s.rejected(), g);
                r[4] = at(s.timeouts(), g);
                r[5] = at(s.queueLength(), g);
                r[6] = at(s.inFlight(), g);
                r[7] = at(s.threadUtilisation(), g);
                r[8] = at(s.cpuUtilisation(), g);
                r[9] = at(s.p99LatencyMs(), g);
                r[10] = at(s.healthyInstances(), g);
                r[11] = sum(s.edgeAttempts(), inEdges[k]);
                r[12] = sum(s.edgeFailures(), inEdges[k]);
                r[13] = sum(s.edgeAttempts(), outEdges[k]);
                r[14] = sum(s.edgeFailures(), outEdges[k]);
            }
            return out;
        }

        private static double sum(int[] perEdge, int[] edges) {
            double sum = 0;
            for (int e : edges) {
                sum += e < perEdge.length ? perEdge[e] : 0;
            }
            return sum;
        }

        private static double at(int[] a, int i) {
            return a != null && i < a.length && a[i] >= 0 ? a[i] : Double.NaN;
        }

        private static double at(double[] a, int i) {
            return a != null && i < a.length ? a[i] : Double.NaN;
        }
    }

    private static int fail(PrintWriter err, String message) {
        err.println("aura bench episode: " + message);
        err.flush();
        return 2;
    }
}
