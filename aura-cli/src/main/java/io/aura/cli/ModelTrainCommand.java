package io.aura.cli;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.predict.PredictorTraining;
import io.aura.cascade.predict.RiskModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aura train}: trains the cascade risk model on predict-only dev episodes and writes the model
 * file; with {@code --eval-seeds} also prints the spec 6.4 evaluation on held-out seeds.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the cascade risk model (gradient-boosted trees, P(cascade > 10%% within 30/60/300 s)) "
            + "on predict-only dev episodes; deterministic: the same arguments give a byte-identical model.",
        footer = {"%nExample:", "  aura train --family dsb-sn,ali-100,ali-1000:2001-2030 --seeds 1-60 --out risk-model.txt --eval-seeds 101-120"})
public final class ModelTrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--family", required = true, paramLabel = "F[:A-B][,F[:A-B]...]",
            description = "graph families (Families names, e.g. dsb-sn, ali-100, ali-1000), comma-separated; a family "
                + "followed by :A-B trains on those seeds instead of --seeds (e.g. ali-1000:2001-2030)")
    String family;

    @Option(names = "--seeds", required = true, paramLabel = "A-B",
            description = "training seeds of the families without their own range, e.g. 1-60")
    String seeds;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "model file to write")
    Path out;

    @Option(names = "--baseline-out", paramLabel = "FILE",
            description = "also write baseline predictor (v), the logistic regression on (i)-(iv) fitted on the same "
                + "training rows (the shipped one is what bench cpb scores beside the risk)")
    Path baselineOut;

    @Option(names = "--eval-seeds", paramLabel = "C-D[,E-F...]",
            description = "held-out seeds to evaluate every family on, one range or several separated by commas (must not "
                + "overlap any family's training seeds)")
    String evalSeeds;

    @Option(names = "--duration", paramLabel = "SEC", defaultValue = "1200",
            description = "episode length in simulated seconds, >= 900 (default ${DEFAULT-VALUE})")
    long duration;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.2", description = "tolerance alpha (default ${DEFAULT-VALUE})")
    double alpha;

    @Option(names = "--load", paramLabel = "L", defaultValue = "0.9", description = "load factor (default ${DEFAULT-VALUE})")
    double load;

    @Option(names = "--threads", paramLabel = "N", description = "episodes run in parallel (default: the available processors); "
            + "the model does not depend on it")
    Integer threads;

    static long[] range(String s, String option) {
        String[] p = s.strip().split("-");
        try {
            if (p.length == 1) {
                long v = Long.parseLong(p[0]);
                return new long[] {v, v};
            }
            if (p.length == 2) {
                long a = Long.parseLong(p[0]);
                long b = Long.parseLong(p[1]);
                if (a >= 1 && b >= a) {
                    return new long[] {a, b};
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new CascadeInputException(option + " must be A-B with 1 <= A <= B (or one seed), got '" + s + "'");
    }

    /** Refuses an output path whose directory is missing or which is itself a directory. */
    private static void writable(Path file, String option) {
        Path parent = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            throw new CascadeInputException(option + " " + file + " is a directory; give a file name");
        }
        if (parent == null || !Files.isDirectory(parent)) {
            throw new CascadeInputException(option + " " + file + ": directory " + parent + " does not exist");
        }
        if (!Files.isWritable(parent)) {
            throw new CascadeInputException(option + " " + file + ": directory " + parent + " is not writable");
        }
    }

    /** Whether two output paths name one file: the same normalised path, or (both existing) one file by another name. */
    private static boolean sameFile(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        try {
            long[] tr = range(seeds, "--seeds");
            List<PredictorTraining.FamilySeeds> trainSets = PredictorTraining.parseFamilies(family, tr);
            int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
            if (nThreads < 1) {
                throw new CascadeInputException("--threads must be >= 1, got " + nThreads);
            }
            List<String> familyNames = trainSets.stream().map(PredictorTraining.FamilySeeds::family).distinct().toList();
            for (String fam : familyNames) { // an unknown name is refused now, not after the episodes listed before it
                io.aura.cascade.sim.Families.defaultEntryRate(fam); // resolves the name only; builds no graph
            }
            List<PredictorTraining.FamilySeeds> evalSets = new java.util.ArrayList<>();
            List<long[]> evs = new java.util.ArrayList<>();
            if (evalSeeds != null) {
                for (String part : evalSeeds.split(",", -1)) {
                    long[] ev = range(part, "--eval-seeds");
                    for (long[] o : evs) {
                        if (ev[0] <= o[1] && o[0] <= ev[1]) {
                            throw new CascadeInputException("--eval-seeds " + evalSeeds + " repeats seeds; list each seed once");
                        }
                    }
                    evs.add(ev);
                }
                for (long[] ev : evs) {
                    for (String fam : familyNames) {
                        PredictorTraining.FamilySeeds e = new PredictorTraining.FamilySeeds(fam, ev[0], ev[1]);
                        for (PredictorTraining.FamilySeeds t : trainSets) {
                            if (e.overlaps(t)) {
                                throw new CascadeInputException("--eval-seeds " + evalSeeds + " overlap the training seeds "
                                    + t + "; evaluation seeds must be held out");
                            }
                        }
                        evalSets.add(e);
                    }
                }
            }
            writable(out, "--out"); // before minutes of episodes, not after them
            if (baselineOut != null) {
                writable(baselineOut, "--baseline-out");
                if (sameFile(out, baselineOut)) { // the baseline, written second, would replace the risk model
                    throw new CascadeInputException("--baseline-out " + baselineOut + " is the --out file " + out
                        + "; the baseline would overwrite the risk model: give two files");
                }
            }
            PredictorTraining.Setup setup = new PredictorTraining.Setup(alpha, load, duration);
            err.println("aura train: training episodes (" + trainSets + ", " + duration + " s each, " + nThreads + " threads)");
            err.flush();
            List<PredictorTraining.EpisodeSamples> train = PredictorTraining.collect(trainSets, setup, nThreads, line -> {
                err.println("  " + line);
                err.flush();
            });
            String provenance = "aura train --family " + family.replace(" ", "") + " --seeds " + tr[0] + "-" + tr[1]
                + " --duration " + duration + " --alpha " + alpha + " --load " + load;
            RiskModel model = PredictorTraining.train(train, provenance);
            Files.writeString(out, model.format(), StandardCharsets.UTF_8);
            err.println("aura train: wrote " + out);
            if (baselineOut != null) {
                Files.writeString(baselineOut, PredictorTraining.baselineModel(train, provenance).format(), StandardCharsets.UTF_8);
                err.println("aura train: wrote " + baselineOut);
            }
            if (!evs.isEmpty()) {
                String evText = evs.stream().map(r -> r[0] + "-" + r[1]).collect(java.util.stream.Collectors.joining(","));
                err.println("aura train: evaluation episodes (seeds " + evText + ")");
                List<PredictorTraining.EpisodeSamples> test = PredictorTraining.collect(evalSets, setup, nThreads, line -> {
                    err.println("  " + line);
                    err.flush();
                });
                stdout.println("post-fault prediction quality, H = 60 s, X = 10%, train seeds " + trainSets
                    + ", eval seeds " + evText + ", families " + familyNames);
                PredictorTraining.MemoryData md;
                PredictorTraining.Evaluation ev;
                try {
                    md = PredictorTraining.withMemory(train, test);
                    ev = PredictorTraining.evaluateWithIntervals(train, test, md, 1000, 1);
                } catch (IllegalArgumentException e) { // eval episodes whose samples are all of one class
                    if (e.getMessage() == null || !e.getMessage().contains("needs both classes")) {
                        throw e; // anything else is not an undefined evaluation
                    }
                    stdout.println("evaluation undefined: " + e.getMessage() + "; add --eval-seeds with both outcomes");
                    stdout.flush();
                    err.println("aura train: the evaluation is undefined (" + e.getMessage() + "); the model"
                        + (baselineOut != null ? "s written above are" : " written above is") + " complete");
                    err.flush();
                    return 0;
                }
                stdout.print(PredictorTraining.table(ev.rows()));
                stdout.printf(java.util.Locale.ROOT, "each row minus the AURA full model (paired bootstrap over the %d eval episodes,"
                    + " %d replicates with both outcomes):%n", test.size(), ev.replicates());
                stdout.print(PredictorTraining.deltaTable(ev));
                stdout.printf(java.util.Locale.ROOT, "memory: seed of %d entries from the training episodes, %d with a cascading"
                    + " outcome (the guard's own estimate); k = %d; training rows from leave-one-episode-out seeds%n",
                    md.seedEntries(), md.seedCascading(), io.aura.cascade.predict.TopologicalMemory.DEFAULT_K);
                double[] d = PredictorTraining.memoryDifference(md, 2000, 1);
                stdout.printf(java.util.Locale.ROOT, "memory: AURA full + memory minus AURA full: AUROC %+.3f [95%% CI %+.3f, %+.3f],"
                    + " AUPRC %+.3f [%+.3f, %+.3f] (paired bootstrap over the %d eval episodes, 2000 replicates)%n",
                    d[0], d[1], d[2], d[3], d[4], d[5], md.test().size());
                stdout.print(PredictorTraining.fullModelDetail(model, test, 2000, 1));
            }
            stdout.flush();
            err.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("aura train: " + e.getMessage());
            err.flush();
            return 2;
        } catch (IOException e) {
            Object file = e instanceof java.nio.file.FileSystemException f && f.getFile() != null ? f.getFile() : out;
            err.println("aura train: cannot write " + file + ": " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
