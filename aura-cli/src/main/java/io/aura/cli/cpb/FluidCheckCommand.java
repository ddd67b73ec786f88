package io.aura.cli.cpb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aura.cascade.sim.CascadeGuard;
import io.aura.cascade.sim.Episode;
import io.aura.cascade.sim.EpisodeParams;
import io.aura.cascade.sim.EpisodeResult;
import io.aura.cascade.sim.FaultKind;
import io.aura.cascade.sim.FaultMagnitudes;
import io.aura.cascade.sim.RegimeCalibration;
import io.aura.cascade.sim.SimTopology;
import io.aura.cli.SeedRange;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aura bench fluid-check}: the cross-validation of D3-fluid against the DES (CPB spec 3 D3).
 * Every seed runs B0 twice on its own topology, once per request (DES) and once time-stepped
 * (fluid), with the same fault (kind, t_f, target). The criterion: paired |S_fluid − S_DES| ≤ 0.05
 * in ≥ 90% of the episodes, on N ≤ 2 000. Writes {@code fluid-check.csv} (one row per seed) and
 * {@code fluid-check.json} (manifest and summary) into {@code --out}; input errors exit with
 * status 2 and one line on standard error.
 */
@Command(name = "fluid-check", mixinStandardHelpOptions = true,
        description = {"Cross-validates D3-fluid (time-stepped mean field) against the D3 DES on paired B0 episodes: "
                + "the spec's criterion is |S_fluid - S_DES| <= 0.05 in >= 90%% of the episodes.",
            "Outputs in --out: fluid-check.csv, fluid-check.json."},
        footer = {"%nExamples:",
            "  aura bench fluid-check --family dsb-sn --seeds 1-40 --out runs/fluid-dsbsn",
            "  aura bench fluid-check --family ali-1000 --seeds 1-20 --out runs/fluid-ali1000",
            "  aura bench fluid-check --family b1-hier --seeds 1-40 --des-replicas 4 --out runs/fluid-b1-noise",
            "%nModel and measured results: docs/cpb.md, section \"D3-fluid\"."})
public final class FluidCheckCommand implements Callable<Integer> {
    /** Tolerance α of the provisioning (bench cpb's default). */
    static final double ALPHA = 0.2;
    /** Most seeds a run may have. */
    static final int MAX_SEEDS = 10_000;
    /** Largest topology the DES reference is meant for (spec 3 D3). */
    static final int MAX_AGENTS = 2000;
    /** The spec's per-episode tolerance on |S_fluid − S_DES|. */
    static final double TOLERANCE = 0.05;
    /** The spec's share of episodes that must be within the tolerance. */
    static final double REQUIRED_SHARE = 0.90;
    /** Most extra DES realisations per seed ({@code --des-replicas}). */
    static final int MAX_REPLICAS = 16;

    @Spec
    CommandSpec spec;

    @Mixin
    RunOptions run;

    @Option(names = "--seeds", paramLabel = "A-B", description = "episode seeds, inclusive range (required)")
    String seeds;

    @Option(names = "--fault", paramLabel = "F", defaultValue = "f-std", description = "fault: f-std (default), none, f1, f1-instance, f2, f3, f4, f4-surge-one, f5, f8")
    String fault;

    @Option(names = "--fault-scale", paramLabel = "X", description = "multiply the fault magnitudes by X (default: the regime calibration in the headline cell, else 1)")
    Double faultScale;

    @Option(names = "--duration", paramLabel = "SEC", defaultValue = "1800", description = "simulated seconds per episode (default ${DEFAULT-VALUE})")
    long duration;

    @Option(names = "--des-replicas", paramLabel = "K", defaultValue = "0",
            description = {"also run K more DES realisations per seed: same topology and fault (kind, t_f, target), every other "
                + "random stream redrawn; reports how often the DES agrees with itself within the tolerance, and the fluid "
                + "against the mean of the K+1 DES runs (default 0: none; at most " + MAX_REPLICAS + ")"})
    int desReplicas;

    @Option(names = "--step", paramLabel = "SEC", description = "fluid time step, dividing one second (default 0.1 s, 1 s from 100 000 agents)")
    Double step;

    /** Whether a gap in S is within the spec's tolerance (with a little slack for rounding). */
    static boolean within(double gap) {
        return gap <= TOLERANCE + 1e-12;
    }

    /** One seed's pair of episodes. */
    record Pair(long seed, int agents, EpisodeResult des, EpisodeResult fluid, long desNanos, long fluidNanos, double step,
            double[] replicaS) {
        double gap() {
            return Math.abs(fluid.cascadeSize() - des.cascadeSize());
        }

        boolean agrees() {
            return within(gap());
        }

        /** Mean S of the DES over the episode and its replicas. */
        double desMeanS() {
            double sum = des.cascadeSize();
            for (double x : replicaS) {
                sum += x;
            }
            return sum / (1 + replicaS.length);
        }

        /** |mean S of the replicas − S of the episode|: a model that knew the DES's mean exactly, up to K draws. */
        double replicaMeanGap() {
            double sum = 0;
            for (double x : replicaS) {
                sum += x;
            }
            return Math.abs(sum / replicaS.length - des.cascadeSize());
        }
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            run.requireSource();
            if (seeds == null) {
                throw new IllegalArgumentException("missing --seeds A-B (e.g. --seeds 1-40)");
            }
            run.requireOut();
            long[] range = SeedRange.parse(seeds, "--seeds", MAX_SEEDS);
            FaultKind faultKind = Faults.parse(fault);
            if (faultKind != FaultKind.NONE && duration < 900) {
                throw new IllegalArgumentException("--duration " + duration + " s is too short for a fault (t_f ~ U[600, 900] s); use >= 900");
            }
            if (duration < 60) {
                throw new IllegalArgumentException("--duration " + duration + " s: use at least 60 s");
            }
            if (step != null && !Episode.dividesOneSecond(step)) {
                throw new IllegalArgumentException("--step " + step + ": the fluid step must divide one second (0.1, 0.2, 0.5, 1)");
            }
            if (desReplicas < 0 || desReplicas > MAX_REPLICAS) {
                throw new IllegalArgumentException("--des-replicas must be in 0.." + MAX_REPLICAS + ", got " + desReplicas);
            }
            if (faultScale != null && !(faultScale > 0 && faultScale < 1e6)) {
                throw new IllegalArgumentException("--fault-scale must be > 0, got " + faultScale);
            }
            int threadCount = run.threadCount();
            Path outDir = run.outDir();
            boolean headline = run.isFamily(RegimeCalibration.FAMILY) && faultKind == FaultKind.F_STD;
            double scale = faultScale != null ? faultScale : headline ? RegimeCalibration.HEADLINE_SCALE : 1.0;
            TopologySource source = run.source(range[0], ALPHA);
            SimTopology first = source.build(ALPHA, range[0]);
            int agents = first.agentCount();
            if (agents > MAX_AGENTS) {
                throw new IllegalArgumentException("the topology has " + agents + " agents; the DES reference of the "
                        + "cross-validation is for N <= " + MAX_AGENTS + " (spec 3 D3)");
            }
            long warmup = Math.min(EpisodeParams.DEFAULT_WARMUP_SEC, duration / 6);
            EpisodeParams params = EpisodeParams.defaults().withFault(faultKind).withDuration(duration, warmup)
                    .withMagnitudes(FaultMagnitudes.standard().scaled(scale)).withPredictOnly(true);
            return execute(source, first, params, range, threadCount, outDir, scale, err);
        } catch (IllegalArgumentException e) {
            return fail(err, e.getMessage());
        }
    }

    private Integer execute(TopologySource source, SimTopology first, EpisodeParams params, long[] range, int threadCount,
            Path outDir, double scale, PrintWriter err) {
        long t0 = System.nanoTime();
        List<Callable<Pair>> tasks = new ArrayList<>();
        for (long i = 0; i <= range[1] - range[0]; i++) { // not seed <= last: seed++ wraps at Long.MAX_VALUE
            long seed = range[0] + i;
            long sd = seed;
            tasks.add(() -> {
                SimTopology t = sd == range[0] ? first : source.build(ALPHA, sd);
                double dt = step != null ? step : Episode.fluidStepSec(t.agentCount());
                long a = System.nanoTime();
                EpisodeResult des = Episode.run(t, params, CascadeGuard.none(), sd).withoutGuardTrace();
                long b = System.nanoTime();
                EpisodeResult flu = Episode.runFluid(t, params, sd, dt);
                long c = System.nanoTime();
                double[] replicaS = new double[desReplicas];
                for (int r = 1; r <= desReplicas; r++) {
                    replicaS[r - 1] = Episode.runReplica(t, params, CascadeGuard.none(), sd, r).cascadeSize();
                }
                return new Pair(sd, t.agentCount(), des, flu, b - a, c - b, dt, replicaS);
            });
        }
        try {
            Files.createDirectories(outDir);
            CpbRunner.Listener listener = run.quiet ? (d, t, ev) -> { } : new Progress(err, Progress.stderrIsTerminal(), 10, "fluid-check");
            List<Pair> pairs = OrderedPool.run(tasks, threadCount, listener, p -> p.des().events());
            double wall = (System.nanoTime() - t0) * 1e-9;
            writeCsv(outDir.resolve("fluid-check.csv"), pairs, desReplicas);
            ObjectNode root = summary(pairs, params, scale, wall, threadCount);
            Files.writeString(outDir.resolve("fluid-check.json"), RunOutputs.mapper().writeValueAsString(root) + "\n",
                    StandardCharsets.UTF_8);
            if (!run.quiet) {
                ObjectNode s = (ObjectNode) root.get("summary");
                err.println(String.format(Locale.ROOT, "fluid-check: %d of %d episodes within %.2f (%.1f%%, criterion >= %.0f%%: %s); "
                        + "mean |dS| %.4f; DES %.2f s, fluid %.2f s per episode; wrote %s",
                        s.get("within").asInt(), pairs.size(), TOLERANCE, 100 * s.get("share_within").asDouble(),
                        100 * REQUIRED_SHARE, s.get("criterion").asText(), s.get("mean_abs_dS").asDouble(),
                        s.get("des_wall_s_per_episode").asDouble(), s.get("fluid_wall_s_per_episode").asDouble(), outDir));
                StringBuilder byFault = new StringBuilder("fluid-check: by fault:");
                s.get("by_fault").properties().forEach(e -> byFault.append(String.format(Locale.ROOT, " %s %d/%d (mean S DES %.3f, fluid %.3f);",
                        e.getKey(), e.getValue().get("within").asInt(), e.getValue().get("episodes").asInt(),
                        e.getValue().get("mean_S_des").asDouble(), e.getValue().get("mean_S_fluid").asDouble())));
                err.println(byFault.substring(0, byFault.length() - 1));
                if (desReplicas > 0) {
                    ObjectNode nz = (ObjectNode) s.get("des_noise");
                    err.println(String.format(Locale.ROOT, "fluid-check: DES against itself (%d replicas per seed): another "
                            + "realisation within %.2f in %.1f%% of pairs, the mean of the replicas in %.1f%% of episodes; "
                            + "fluid against the mean of the %d DES runs: %.1f%%",
                            desReplicas, TOLERANCE, 100 * nz.get("replica_within_share").asDouble(),
                            100 * nz.get("replica_mean_within_share").asDouble(), desReplicas + 1,
                            100 * nz.get("fluid_vs_des_mean_within_share").asDouble()));
                }
                err.flush();
            }
            return 0;
        } catch (IllegalArgumentException e) {
            return fail(err, e.getMessage());
        } catch (IOException e) {
            return fail(err, "cannot write into " + outDir + ": " + RunOutputs.ioReason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("aura bench fluid-check: interrupted");
            err.flush();
            return 1;
        }
    }

    private static void writeCsv(Path file, List<Pair> pairs, int replicas) throws IOException {
        StringBuilder sb = new StringBuilder("seed,agents,fault,t_f_s,S_des,S_fluid,abs_dS,within,S_peak_des,S_peak_fluid,"
                + "availability_des,availability_fluid,crashes_des,crashes_fluid,des_wall_ms,fluid_wall_ms,fluid_step_s,"
                + "des_events,trace_sha256_des,trace_sha256_fluid"
                + (replicas > 0 ? ",S_des_replicas,S_des_mean,abs_dS_vs_des_mean,abs_replica_mean_gap" : "") + "\n");
        for (Pair p : pairs) {
            sb.append(String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%s,%s,%b,%s,%s,%s,%s,%d,%d,%d,%d,%s,%d,%s,%s", p.seed(),
                    p.agents(), p.des().faultApplied(), p.des().faultTimeSec(), p.des().cascadeSize(), p.fluid().cascadeSize(),
                    p.gap(), p.agrees(), p.des().cascadePeak(), p.fluid().cascadePeak(),
                    p.des().availability(), p.fluid().availability(), p.des().crashes(), p.fluid().crashes(),
                    p.desNanos() / 1_000_000, p.fluidNanos() / 1_000_000, p.step(), p.des().events(),
                    p.des().traceSha256(), p.fluid().traceSha256()));
            if (replicas > 0) {
                StringBuilder list = new StringBuilder();
                for (double x : p.replicaS()) {
                    list.append(list.isEmpty() ? "" : ";").append(x);
                }
                sb.append(String.format(Locale.ROOT, ",%s,%s,%s,%s", list, p.desMeanS(),
                        Math.abs(p.fluid().cascadeSize() - p.desMeanS()), p.replicaMeanGap()));
            }
            sb.append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    private ObjectNode summary(List<Pair> pairs, EpisodeParams params, double scale, double wall, int threadCount) {
        ObjectMapper mapper = RunOutputs.mapper();
        ObjectNode root = mapper.createObjectNode();
        ObjectNode m = root.putObject("manifest");
        ArrayNode cmd = m.putArray("command");
        CpbCommand.commandLine(spec, "fluid-check").forEach(cmd::add);
        m.put("aura_version", RunInfo.readAuraVersion());
        m.put("git", RunInfo.findGitSha());
        m.put("source", run.family != null ? "family " + run.family : "topology " + run.topology);
        m.put("seeds", seeds);
        m.put("duration_s", params.durationSec());
        m.put("load", params.loadFactor());
        m.put("alpha", ALPHA);
        m.put("fault", params.fault().name());
        m.put("fault_scale", scale);
        m.put("arm", "B0 (both engines)");
        m.put("tolerance", TOLERANCE);
        m.put("des_replicas", desReplicas);
        m.put("required_share", REQUIRED_SHARE);
        m.put("threads", threadCount);
        m.put("wall_s", wall);
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        double gapMax = 0;
        double aDes = 0;
        double aFlu = 0;
        double desWall = 0;
        double fluWall = 0;
        long desEvents = 0;
        for (Pair p : pairs) {
            gapMax = Math.max(gapMax, p.gap());
            aDes += p.des().availability();
            aFlu += p.fluid().availability();
            desWall += p.desNanos() * 1e-9;
            fluWall += p.fluidNanos() * 1e-9;
            desEvents += p.des().events();
        }
        int n = pairs.size();
        ObjectNode s = root.putObject("summary");
        putAgreement(s, pairs);
        s.put("criterion", s.get("share_within").asDouble() >= REQUIRED_SHARE ? "met" : "missed");
        s.put("max_abs_dS", gapMax);
        s.put("mean_availability_des", n == 0 ? 0 : aDes / n);
        s.put("mean_availability_fluid", n == 0 ? 0 : aFlu / n);
        s.put("des_wall_s_per_episode", n == 0 ? 0 : desWall / n);
        s.put("fluid_wall_s_per_episode", n == 0 ? 0 : fluWall / n);
        s.put("des_events_per_s", desWall == 0 ? 0 : desEvents / desWall);
        if (desReplicas > 0) {
            putDesNoise(s.putObject("des_noise"), pairs);
        }
        // the same per fault kind drawn (F-std mixes four), in the enum's order
        Map<FaultKind, List<Pair>> byFault = new EnumMap<>(FaultKind.class);
        for (Pair p : pairs) {
            byFault.computeIfAbsent(p.des().faultApplied(), k -> new ArrayList<>()).add(p);
        }
        ObjectNode bf = s.putObject("by_fault");
        for (Map.Entry<FaultKind, List<Pair>> e : byFault.entrySet()) {
            ObjectNode f = bf.putObject(e.getKey().name());
            putAgreement(f, e.getValue());
            if (desReplicas > 0) {
                putDesNoise(f, e.getValue());
            }
        }
        return root;
    }

    /** Episodes, how many agree within the tolerance, their share, mean |ΔS| and both engines' mean S. */
    private static void putAgreement(ObjectNode into, List<Pair> pairs) {
        int n = pairs.size();
        int agree = 0;
        double gapSum = 0;
        double sDes = 0;
        double sFlu = 0;
        for (Pair p : pairs) {
            agree += p.agrees() ? 1 : 0;
            gapSum += p.gap();
            sDes += p.des().cascadeSize();
            sFlu += p.fluid().cascadeSize();
        }
        into.put("episodes", n);
        into.put("within", agree);
        into.put("share_within", n == 0 ? 0 : agree / (double) n);
        into.put("mean_abs_dS", n == 0 ? 0 : gapSum / n);
        into.put("mean_S_des", n == 0 ? 0 : sDes / n);
        into.put("mean_S_fluid", n == 0 ? 0 : sFlu / n);
    }

    /** The DES-against-itself figures of {@code --des-replicas} over {@code pairs} (non-empty). */
    private void putDesNoise(ObjectNode nz, List<Pair> pairs) {
        int n = pairs.size();
        int pairWithin = 0;
        double pairGapSum = 0;
        int meanWithin = 0;
        int fluidMeanWithin = 0;
        double fluidMeanGapSum = 0;
        for (Pair p : pairs) {
            for (double x : p.replicaS()) {
                double g = Math.abs(x - p.des().cascadeSize());
                pairWithin += within(g) ? 1 : 0;
                pairGapSum += g;
            }
            meanWithin += within(p.replicaMeanGap()) ? 1 : 0;
            double fg = Math.abs(p.fluid().cascadeSize() - p.desMeanS());
            fluidMeanWithin += within(fg) ? 1 : 0;
            fluidMeanGapSum += fg;
        }
        long pairCount = (long) n * desReplicas;
        nz.put("replicas", desReplicas);
        nz.put("replica_pairs", pairCount);
        nz.put("replica_within", pairWithin);
        nz.put("replica_within_share", pairCount == 0 ? 0 : pairWithin / (double) pairCount);
        nz.put("replica_mean_abs_dS", pairCount == 0 ? 0 : pairGapSum / pairCount);
        nz.put("replica_mean_within", meanWithin);
        nz.put("replica_mean_within_share", n == 0 ? 0 : meanWithin / (double) n);
        nz.put("fluid_vs_des_mean_within", fluidMeanWithin);
        nz.put("fluid_vs_des_mean_within_share", n == 0 ? 0 : fluidMeanWithin / (double) n);
        nz.put("fluid_vs_des_mean_abs_dS", n == 0 ? 0 : fluidMeanGapSum / n);
    }

    private static int fail(PrintWriter err, String message) {
        err.println("aura bench fluid-check: " + message);
        err.flush();
        return 2;
    }
}
