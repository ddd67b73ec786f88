package io.aura.cascade.predict;

/**
 * One fitted probability model of the risk model: P(y = 1 | x) from a feature row. Implemented by
 * {@link LogisticRegression.Fit} and {@link GradientBoostedTrees.Model}.
 */
public sealed interface RiskFit permits LogisticRegression.Fit, GradientBoostedTrees.Model {
  /** Features the fit reads. */
  int dimension();

  /** P(y = 1 | x), in [0, 1]; {@code x} has {@link #dimension()} entries and may hold NaN. */
  double probability(double[] x);
}
