package io.aura.cascade.critical;

import io.aura.cascade.metrics.CriticalAgents;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Ranking quality against the counterfactual ground truth and the T7 verdict (CPB 6.7 and 8).
 *
 * <p>Every ranking (agent ids over all N agents) is restricted to the candidate set
 * ({@link Rankings#restrict}) and scored with {@link CriticalAgents#precisionAtK} and
 * {@link CriticalAgents#ndcgAtK} against crit (one value per candidate) at k = 5, 10 and 1% of N
 * ({@link CriticalAgents#onePercentK}, N the full agent count). A cut with k larger than the
 * candidate set is not scored; NDCG is undefined when no candidate has crit &gt; 0.
 *
 * <p><b>T7</b> (spec 8), three conditions on the SUT's ranking: (1) precision@10 ≥ 0.7;
 * (2) NDCG@10 ≥ 0.8; (3) at least +0.15 over the best baseline ranking (centrality or utilisation)
 * on precision@10 <em>and</em> on NDCG@10, the best baseline taken separately for each metric.
 * A condition whose value cannot be computed is {@link Status#UNDEFINED}; T7 is met only if all
 * three are {@link Status#MET}.
 */
public final class CriticalEvaluation {
  /** T7: precision@10 target. */
  public static final double T7_PRECISION = 0.7;
  /** T7: NDCG@10 target. */
  public static final double T7_NDCG = 0.8;
  /** T7: margin over the best baseline. */
  public static final double T7_MARGIN = 0.15;

  private CriticalEvaluation() {}

  /** Outcome of one condition. */
  public enum Status {
    MET, MISSED, UNDEFINED
  }

  /**
   * One cut-off of one ranking.
   *
   * @param label "5", "10" or "1%"
   * @param k the cut-off
   * @param precision precision@k, empty if k exceeds the candidate set
   * @param ndcg NDCG@k, empty if k exceeds the candidate set or no candidate has crit &gt; 0
   */
  public record Score(String label, int k, OptionalDouble precision, OptionalDouble ndcg) {}

  /**
   * The scores of one ranking.
   *
   * @param ranking the ranking's name
   * @param scores one per cut, in the order 5, 10, 1%
   */
  public record Quality(String ranking, List<Score> scores) {
    public Quality {
      scores = List.copyOf(scores);
    }

    /** The score at cut {@code label}. */
    public Score at(String label) {
      for (Score s : scores) {
        if (s.label().equals(label)) {
          return s;
        }
      }
      throw new IllegalArgumentException("no cut " + label);
    }
  }

  /**
   * One T7 condition.
   *
   * @param value the SUT's value (the margin for condition 3: the smaller of the two margins), NaN
   *     if undefined
   * @param target its threshold
   * @param status met, missed or undefined
   * @param detail what was compared, for the report
   */
  public record Condition(double value, double target, Status status, String detail) {}

  /**
   * The T7 verdict.
   *
   * @param precision condition 1
   * @param ndcg condition 2
   * @param margin condition 3
   * @param overall MET if all three are, UNDEFINED if any is undefined and none missed, else MISSED
   */
  public record Verdict(Condition precision, Condition ndcg, Condition margin, Status overall) {}

  /**
   * The whole evaluation.
   *
   * @param cuts the cut-offs used (label → k)
   * @param qualities per ranking, SUT first, in the order given
   * @param verdict T7
   */
  public record Result(Map<String, Integer> cuts, List<Quality> qualities, Verdict verdict) {
    public Result {
      cuts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(cuts));
      qualities = List.copyOf(qualities);
    }

    /** The quality of ranking {@code name}. */
    public Quality quality(String name) {
      for (Quality q : qualities) {
        if (q.ranking().equals(name)) {
          return q;
        }
      }
      throw new IllegalArgumentException("no ranking " + name);
    }
  }

  /**
   * Scores the rankings and decides T7.
   *
   * @param agents N
   * @param candidates candidate agent ids (crit order)
   * @param crit crit_i per candidate
   * @param rankings name → ranking over all agents; the first entry is the SUT, the others baselines
   */
  public static Result evaluate(int agents, int[] candidates, double[] crit, Map<String, int[]> rankings) {
    if (candidates.length != crit.length) {
      throw new IllegalArgumentException(candidates.length + " candidates but " + crit.length + " crit values");
    }
    if (rankings.size() < 2) {
      throw new IllegalArgumentException("need the SUT's ranking and at least one baseline");
    }
    Map<String, Integer> cuts = new LinkedHashMap<>();
    cuts.put("5", 5);
    cuts.put("10", 10);
    cuts.put("1%", CriticalAgents.onePercentK(agents));
    List<Quality> qs = new ArrayList<>();
    for (Map.Entry<String, int[]> e : rankings.entrySet()) {
      int[] r = Rankings.restrict(e.getValue(), candidates, agents);
      List<Score> scores = new ArrayList<>();
      for (Map.Entry<String, Integer> c : cuts.entrySet()) {
        int k = c.getValue();
        if (k > candidates.length) {
          scores.add(new Score(c.getKey(), k, OptionalDouble.empty(), OptionalDouble.empty()));
        } else {
          scores.add(new Score(c.getKey(), k, OptionalDouble.of(CriticalAgents.precisionAtK(r, crit, k)),
              CriticalAgents.ndcgAtK(r, crit, k)));
        }
      }
      qs.add(new Quality(e.getKey(), scores));
    }
    return new Result(cuts, qs, verdict(qs));
  }

  private static Verdict verdict(List<Quality> qs) {
    Score sut = qs.get(0).at("10");
    Condition p = threshold(sut.precision(), T7_PRECISION, "precision@10 of " + qs.get(0).ranking());
    Condition n = threshold(sut.ndcg(), T7_NDCG, "NDCG@10 of " + qs.get(0).ranking());
    String bestP = null;
    double bp = Double.NEGATIVE_INFINITY;
    String bestN = null;
    double bn = Double.NEGATIVE_INFINITY;
    boolean defined = sut.precision().isPresent() && sut.ndcg().isPresent();
    for (Quality q : qs.subList(1, qs.size())) {
      Score s = q.at("10");
      if (s.precision().isEmpty() || s.ndcg().isEmpty()) {
        defined = false;
        continue;
      }
      if (s.precision().getAsDouble() > bp) {
        bp = s.precision().getAsDouble();
        bestP = q.ranking();
      }
      if (s.ndcg().getAsDouble() > bn) {
        bn = s.ndcg().getAsDouble();
        bestN = q.ranking();
      }
    }
    Condition m;
    if (!defined || bestP == null) {
      m = new Condition(Double.NaN, T7_MARGIN, Status.UNDEFINED, "precision@10 or NDCG@10 undefined for a ranking");
    } else {
      double mp = sut.precision().getAsDouble() - bp;
      double mn = sut.ndcg().getAsDouble() - bn;
      double v = Math.min(mp, mn);
      m = new Condition(v, T7_MARGIN, v >= T7_MARGIN - 1e-12 ? Status.MET : Status.MISSED,
          String.format(java.util.Locale.ROOT, "precision@10 %+.3f over %s (%.3f), NDCG@10 %+.3f over %s (%.3f)", mp, bestP, bp,
              mn, bestN, bn));
    }
    Status overall;
    if (p.status() == Status.MET && n.status() == Status.MET && m.status() == Status.MET) {
      overall = Status.MET;
    } else if (p.status() == Status.MISSED || n.status() == Status.MISSED || m.status() == Status.MISSED) {
      overall = Status.MISSED;
    } else {
      overall = Status.UNDEFINED;
    }
    return new Verdict(p, n, m, overall);
  }

  private static Condition threshold(OptionalDouble v, double target, String what) {
    if (v.isEmpty()) {
      return new Condition(Double.NaN, target, Status.UNDEFINED, what + " undefined");
    }
    double x = v.getAsDouble();
    return new Condition(x, target, x >= target - 1e-12 ? Status.MET : Status.MISSED, what);
  }
}
