package io.aura.cascade.predict;

import io.aura.cascade.metrics.PredictionQuality;
import io.aura.cascade.random.SplitMix64;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the shipped learner's settings ({@link GradientBoostedTrees#DEFAULTS}) were chosen
 * (docs/predictor.md): K-fold cross-validation by episode on the training seeds only, every setting of
 * a small grid beside the logistic regression, fitted on the training folds' post-fault and calm rows,
 * scored by pooled out-of-fold post-fault AUROC and ECE at the primary horizon. No evaluation seed is
 * touched. Not a unit test: {@code java -cp aura-cascade/target/test-classes:aura-cli/target/aura.jar
 * io.aura.cascade.predict.LearnerCrossValidationRun FAMILIES(comma) FIRST LAST FOLDS}.
 */
public final class LearnerCrossValidationRun {
  private LearnerCrossValidationRun() {}

  public static void main(String[] args) {
    List<String> families = List.of(args[0].split(","));
    long first = Long.parseLong(args[1]);
    long last = Long.parseLong(args[2]);
    int folds = Integer.parseInt(args[3]);
    PredictorTraining.Setup setup = new PredictorTraining.Setup(0.2, 0.9, 1200);
    List<PredictorTraining.EpisodeSamples> all = PredictorTraining.collect(families, setup, first, last, System.err::println);
    // episodes shuffled once (SplitMix64(1), Fisher-Yates), then dealt into contiguous folds
    int[] order = new int[all.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    SplitMix64 r = new SplitMix64(1);
    for (int i = order.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    List<GradientBoostedTrees.Params> grid = new ArrayList<>();
    int[][] shapes = {{100, 2, 20}, {200, 2, 20}, {100, 3, 20}, {200, 3, 20}, {100, 3, 40}, {100, 4, 40}, {150, 4, 40},
        {200, 4, 40}, {150, 4, 80}, {150, 5, 40}};
    for (int[] s : shapes) {
      grid.add(new GradientBoostedTrees.Params(s[0], s[1], s[2], 0.05, 1.0, 32));
    }
    System.out.printf(Locale.ROOT, "%d episodes of %s, seeds %d-%d, %d folds by episode; primary horizon %d s;"
        + " gbdt learning rate 0.05, lambda 1, 32 bins%n", all.size(), families, first, last, folds,
        PredictorTraining.HORIZONS[PredictorTraining.PRIMARY]);
    System.out.printf(Locale.ROOT, "%-40s %7s %7s%n", "learner", "AUROC", "ECE");
    for (int g = -1; g < grid.size(); g++) {
      List<Double> p = new ArrayList<>();
      List<Boolean> y = new ArrayList<>();
      for (int f = 0; f < folds; f++) {
        List<PredictorTraining.EpisodeSamples> train = new ArrayList<>();
        List<PredictorTraining.EpisodeSamples> test = new ArrayList<>();
        for (int k = 0; k < order.length; k++) {
          (k * folds / order.length == f ? test : train).add(all.get(order[k]));
        }
        boolean[] yTrain = PredictorTraining.trainingLabels(train, PredictorTraining.PRIMARY);
        double[][] xTrain = PredictorTraining.trainingMatrix(train, PredictorTraining.allColumns());
        RiskFit fit = g < 0 ? LogisticRegression.fit(xTrain, yTrain, PredictorTraining.LAMBDA)
            : GradientBoostedTrees.fit(xTrain, yTrain, grid.get(g));
        double[][] xTest = PredictorTraining.matrix(test, PredictorTraining.allColumns());
        boolean[] yTest = PredictorTraining.labels(test, PredictorTraining.PRIMARY);
        for (int i = 0; i < xTest.length; i++) {
          p.add(fit.probability(xTest[i]));
          y.add(yTest[i]);
        }
      }
      double[] pa = p.stream().mapToDouble(Double::doubleValue).toArray();
      boolean[] ya = new boolean[y.size()];
      for (int i = 0; i < ya.length; i++) {
        ya[i] = y.get(i);
      }
      GradientBoostedTrees.Params q = g < 0 ? null : grid.get(g);
      String name = q == null ? "logistic regression, lambda 1"
          : String.format(Locale.ROOT, "gbdt %d trees, depth %d, leaf >= %d", q.trees(), q.depth(), q.minLeaf());
      System.out.printf(Locale.ROOT, "%-40s %7.3f %7.3f%n", name,
          PredictionQuality.auroc(pa, ya), PredictionQuality.ece(pa, ya));
    }
  }
}
