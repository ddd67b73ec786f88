package io.aura.cascade.sim;

import java.util.Map;

/**
 * A SUT prediction (spec 1.3).
 *
 * @param risk P(cascade &gt; X within H), in [0, 1]
 * @param riskByHorizonSec risk per horizon H in seconds (e.g. 30, 60, 300)
 * @param criticalAgents agents ranked by criticality, most critical first
 * @param criticalScores scores aligned with {@code criticalAgents}
 */
public record Prediction(double risk, Map<Integer, Double> riskByHorizonSec, int[] criticalAgents, double[] criticalScores) {
  public Prediction {
    if (!(risk >= 0 && risk <= 1)) {
      throw new IllegalArgumentException("risk must be in [0,1]: " + risk);
    }
    if (criticalAgents.length != criticalScores.length) {
      throw new IllegalArgumentException("criticalAgents and criticalScores differ in length: "
          + criticalAgents.length + " vs " + criticalScores.length);
    }
    riskByHorizonSec = Map.copyOf(riskByHorizonSec);
    criticalAgents = criticalAgents.clone();
    criticalScores = criticalScores.clone();
  }

  /** A prediction with only an overall risk. */
  public static Prediction of(double risk) {
    return new Prediction(risk, Map.of(), new int[0], new double[0]);
  }

  @Override
  public int[] criticalAgents() {
    return criticalAgents.clone();
  }

  @Override
  public double[] criticalScores() {
    return criticalScores.clone();
  }
}
