package io.aura.cascade.predict;

import io.aura.cascade.metrics.PredictionQuality;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether adding a family's dev episodes to the training set helps (docs/predictor.md, "ALI-1000 in
 * the training set"): trains the shipped learner on a base set and on the base set plus extra
 * episodes, and scores both on the same evaluation episodes, per family (post-fault AUROC, AUPRC,
 * ECE at the primary horizon). Episodes run in parallel; each is deterministic, so the result does
 * not depend on the thread count. Not a unit test: {@code java -cp
 * aura-cascade/target/test-classes:aura-cli/target/aura.jar io.aura.cascade.predict.FamilyMixTrainingRun
 * BASE EXTRA EVAL THREADS}, each of BASE, EXTRA, EVAL a list {@code family:A-B[,family:A-B...]}, e.g.
 * {@code dsb-sn:1-60,ali-100:1-60 ali-1000:2001-2030 ali-1000:1-24,dsb-sn:101-120,ali-100:101-120 2}.
 */
public final class FamilyMixTrainingRun {
  private FamilyMixTrainingRun() {}

  public static void main(String[] args) {
    PredictorTraining.Setup setup = new PredictorTraining.Setup(0.2, 0.9, 1200);
    int threads = Integer.parseInt(args[3]);
    List<PredictorTraining.EpisodeSamples> base = collect(args[0], setup, threads);
    List<PredictorTraining.EpisodeSamples> extra = collect(args[1], setup, threads);
    List<PredictorTraining.EpisodeSamples> eval = collect(args[2], setup, threads);
    List<PredictorTraining.EpisodeSamples> both = new ArrayList<>(base);
    both.addAll(extra);
    RiskModel a = PredictorTraining.train(base, "base " + args[0]);
    RiskModel b = PredictorTraining.train(both, "base + extra " + args[1]);
    System.out.printf(Locale.ROOT, "post-fault, H = %d s; base %s (%d episodes), extra %s (%d), eval %s (%d)%n",
        PredictorTraining.HORIZONS[PredictorTraining.PRIMARY], args[0], base.size(), args[1], extra.size(), args[2],
        eval.size());
    System.out.printf(Locale.ROOT, "%-12s %-14s %7s %7s %7s %7s %7s %8s%n", "model", "eval family", "AUROC", "AUPRC",
        "prev", "ECE", "BSS", "samples");
    for (var m : List.of(Map.entry("base", a), Map.entry("base+extra", b))) {
      Map<String, List<PredictorTraining.EpisodeSamples>> byFamily = new LinkedHashMap<>();
      for (PredictorTraining.EpisodeSamples e : eval) {
        byFamily.computeIfAbsent(e.family(), k -> new ArrayList<>()).add(e);
      }
      byFamily.put("all", eval);
      for (var f : byFamily.entrySet()) {
        RiskFit fit = m.getValue().fit(m.getValue().primaryIndex());
        double[][] x = PredictorTraining.matrix(f.getValue(), PredictorTraining.allColumns());
        boolean[] y = PredictorTraining.labels(f.getValue(), PredictorTraining.PRIMARY);
        double[] p = new double[x.length];
        for (int i = 0; i < p.length; i++) {
          p[i] = fit.probability(x[i]);
        }
        System.out.printf(Locale.ROOT, "%-12s %-14s %7.3f %7.3f %7.3f %7.3f %7.3f %8d%n", m.getKey(), f.getKey(),
            PredictionQuality.auroc(p, y), PredictionQuality.averagePrecision(p, y), PredictionQuality.prevalence(y),
            PredictionQuality.ece(p, y), PredictionQuality.brierSkill(p, y), y.length);
      }
    }
  }

  /** Runs the episodes of {@code spec} ({@code family:A-B,...}) on {@code threads} threads, in spec order. */
  static List<PredictorTraining.EpisodeSamples> collect(String spec, PredictorTraining.Setup setup, int threads) {
    // every part must carry its range: the default {0, 0} is refused with the family's name
    return PredictorTraining.collect(PredictorTraining.parseFamilies(spec, new long[] {0, 0}), setup, threads,
        System.err::println);
  }
}
