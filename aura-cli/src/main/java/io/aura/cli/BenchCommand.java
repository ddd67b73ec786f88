package io.aura.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aura.cascade.dynamics.Betweenness;
import io.aura.cascade.dynamics.MotterLai;
import io.aura.cascade.graph.BarabasiAlbert;
import io.aura.cascade.random.SplitMix64;
import io.aura.cascade.random.Streams;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aura bench ...}: Cascade-Prevention Benchmark workloads run from the command line. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Cascade-Prevention Benchmark (CPB) workloads.",
        subcommands = {BenchCommand.MotterLaiBench.class, io.aura.cli.cpb.CpbCommand.class, io.aura.cli.cpb.CriticalCommand.class,
            io.aura.cli.cpb.FluidCheckCommand.class, io.aura.cli.cpb.EpisodeCommand.class})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code aura bench motter-lai}: the D1 grid of CPB section 9 on BA(N, m). One JSON line per run
     * on standard output with keys seed, alpha, defense, fraction, G, S, failed, steps; lines come
     * in the order seeds ascending, then alpha, defense and fraction in the given order (runs
     * execute in parallel, output order is fixed). Defense none is run once with fraction 0.
     */
    @Command(name = "motter-lai", mixinStandardHelpOptions = true,
            description = "Motter-Lai overload cascades on Barabasi-Albert graphs (CPB section 9).",
            footer = {"%nExample (the evaluator's grid):",
                "  aura bench motter-lai --nodes 1000 --m 2 --seeds 1-10 --alpha 0.1,0.2,0.3,0.5,1.0 \\",
                "      --defense none,lowload,random --fraction 0.1,0.2,0.3,0.4"})
    static final class MotterLaiBench implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--nodes", paramLabel = "N", defaultValue = "1000", description = "BA node count (default ${DEFAULT-VALUE})")
        int nodes;

        @Option(names = "--m", paramLabel = "M", defaultValue = "2", description = "BA edges per new node (default ${DEFAULT-VALUE})")
        int m;

        @Option(names = "--seeds", paramLabel = "A-B", defaultValue = "1-10", description = "seed range, inclusive (default ${DEFAULT-VALUE}); a single seed is allowed")
        String seeds;

        @Option(names = "--alpha", paramLabel = "LIST", defaultValue = "0.1,0.2,0.3,0.5,1.0", description = "tolerances (default ${DEFAULT-VALUE})")
        String alphas;

        @Option(names = "--defense", paramLabel = "LIST", defaultValue = "none,lowload,random", description = "defences: none, lowload, random (default ${DEFAULT-VALUE})")
        String defenses;

        @Option(names = "--fraction", paramLabel = "LIST", defaultValue = "0.1,0.2,0.3,0.4", description = "removed fractions for lowload and random (default ${DEFAULT-VALUE})")
        String fractions;

        @Option(names = "--pivots", paramLabel = "K", description = "pivot-sampled betweenness with K pivots from the graph stream "
                + "(default: exact up to " + Betweenness.EXACT_LIMIT + " nodes, " + Betweenness.DEFAULT_PIVOTS + " pivots above)")
        Integer pivots;

        @Option(names = "--threads", paramLabel = "T", description = "worker threads (default: the available processors)")
        Integer threads;

        /** One output line: the group (seed, defence) it belongs to and its alpha index. */
        record Run(long seed, double alpha, MotterLai.Defence defence, int group, int alphaIndex) {
        }

        /** All alphas of one (seed, defence) pair run as one task sharing the first recomputation. */
        record Group(long seed, MotterLai.Defence defence) {
        }

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter out = spec.commandLine().getOut();
            List<Run> runs;
            List<Group> groups;
            double[] alphaList;
            long[] seedRange;
            int threadCount;
            try {
                seedRange = SeedRange.parse(seeds, "--seeds", 10_000_000);
                if (nodes < 3) {
                    throw new IllegalArgumentException("--nodes must be >= 3, got " + nodes);
                }
                if (m < 1 || m >= nodes) {
                    throw new IllegalArgumentException("--m must be in 1.." + (nodes - 1) + ", got " + m);
                }
                if (pivots != null && pivots < 1) {
                    throw new IllegalArgumentException("--pivots must be >= 1, got " + pivots);
                }
                threadCount = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
                if (threadCount < 1) {
                    throw new IllegalArgumentException("--threads must be >= 1, got " + threadCount);
                }
                alphaList = parseDoubles("--alpha", alphas);
                for (double a : alphaList) {
                    if (!(a >= 0) || Double.isInfinite(a)) {
                        throw new IllegalArgumentException("--alpha values must be finite and >= 0, got " + a);
                    }
                }
                double[] fractionList = parseDoubles("--fraction", fractions);
                for (double f : fractionList) {
                    if (!(f > 0 && f < 1)) {
                        throw new IllegalArgumentException("--fraction values must be in (0, 1), got " + f);
                    }
                }
                List<MotterLai.DefenceKind> kinds = new ArrayList<>();
                for (String d : defenses.split(",", -1)) {
                    String name = d.trim().toLowerCase(Locale.ROOT);
                    MotterLai.DefenceKind kind = switch (name) {
                        case "none" -> MotterLai.DefenceKind.NONE;
                        case "lowload" -> MotterLai.DefenceKind.LOWLOAD;
                        case "random" -> MotterLai.DefenceKind.RANDOM;
                        default -> throw new IllegalArgumentException("unknown --defense '" + d.trim() + "'; use none, lowload or random");
                    };
                    if (kinds.contains(kind)) {
                        throw new IllegalArgumentException("--defense lists " + name + " twice");
                    }
                    kinds.add(kind);
                }
                List<MotterLai.Defence> defences = new ArrayList<>();
                for (MotterLai.DefenceKind kind : kinds) {
                    if (kind == MotterLai.DefenceKind.NONE) {
                        defences.add(MotterLai.Defence.none());
                    } else {
                        for (double f : fractionList) {
                            defences.add(new MotterLai.Defence(kind, f));
                        }
                    }
                }
                runs = new ArrayList<>();
                groups = new ArrayList<>();
                for (long i = 0; i <= seedRange[1] - seedRange[0]; i++) { // not seed <= last: seed++ wraps at Long.MAX_VALUE
                    long seed = seedRange[0] + i;
                    int firstGroup = groups.size();
                    for (MotterLai.Defence d : defences) {
                        groups.add(new Group(seed, d));
                    }
                    for (int ai = 0; ai < alphaList.length; ai++) {
                        for (int di = 0; di < defences.size(); di++) {
                            runs.add(new Run(seed, alphaList[ai], defences.get(di), firstGroup + di, ai));
                        }
                    }
                }
            } catch (IllegalArgumentException e) {
                err.println("aura bench motter-lai: " + e.getMessage());
                err.flush();
                return 2;
            }
            int seedCount = (int) (seedRange[1] - seedRange[0] + 1);
            List<FutureTask<MotterLai>> prepared = new ArrayList<>(seedCount);
            for (int i = 0; i < seedCount; i++) {
                long seed = seedRange[0] + i;
                prepared.add(new FutureTask<>(() -> prepare(seed)));
            }
            ObjectMapper mapper = new ObjectMapper();
            ExecutorService pool = Executors.newFixedThreadPool(threadCount);
            try {
                List<Future<MotterLai.Result[]>> results = new ArrayList<>(groups.size());
                for (Group g : groups) {
                    FutureTask<MotterLai> prep = prepared.get((int) (g.seed() - seedRange[0]));
                    results.add(pool.submit(() -> {
                        prep.run(); // the first task of a seed computes L(0); the others wait for it
                        return prep.get().run(alphaList, g.defence(), g.seed());
                    }));
                }
                for (Run r : runs) {
                    MotterLai.Result res = results.get(r.group()).get()[r.alphaIndex()];
                    out.println(line(mapper, r, res));
                    out.flush();
                }
                return 0;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                // a failure of prepare() reaches here wrapped twice: by the seed's FutureTask (prep.get()) and by the pool
                while (cause instanceof ExecutionException && cause.getCause() != null) {
                    cause = cause.getCause();
                }
                if (cause instanceof IllegalArgumentException) {
                    err.println("aura bench motter-lai: " + cause.getMessage());
                    err.flush();
                    return 2;
                }
                throw new IllegalStateException("Motter-Lai run failed", cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                err.println("aura bench motter-lai: interrupted");
                err.flush();
                return 1;
            } finally {
                pool.shutdownNow();
            }
        }

        private MotterLai prepare(long seed) {
            // section 9: the BA generator is seeded with the run seed itself
            var graph = BarabasiAlbert.undirected(nodes, m, new SplitMix64(seed));
            boolean sampled = pivots != null || nodes > Betweenness.EXACT_LIMIT;
            if (!sampled) {
                return MotterLai.prepare(graph);
            }
            int k = pivots == null ? Betweenness.DEFAULT_PIVOTS : pivots;
            return MotterLai.prepareSampled(graph, k, new Streams(seed).graph());
        }

        private static String line(ObjectMapper mapper, Run r, MotterLai.Result res) {
            ObjectNode o = mapper.createObjectNode();
            o.put("seed", r.seed());
            o.put("alpha", r.alpha());
            o.put("defense", r.defence().kind().name().toLowerCase(Locale.ROOT));
            o.put("fraction", r.defence().fraction());
            o.put("G", res.largestComponentFraction());
            o.put("S", res.overloadFraction());
            o.put("failed", res.overloadFailed());
            o.put("steps", res.steps());
            try {
                return mapper.writeValueAsString(o);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot serialise a result line", e);
            }
        }

        static double[] parseDoubles(String option, String s) {
            String[] parts = s.split(",", -1);
            double[] out = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    out[i] = Double.parseDouble(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(option + " must be a comma-separated list of numbers, got '" + parts[i].trim() + "'", e);
                }
                for (int j = 0; j < i; j++) {
                    if (out[j] == out[i]) { // the same runs twice, the same lines twice
                        throw new IllegalArgumentException(option + " lists " + parts[i].trim() + " twice");
                    }
                }
            }
            return out;
        }
    }
}
