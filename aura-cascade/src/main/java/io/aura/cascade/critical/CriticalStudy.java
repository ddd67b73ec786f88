package io.aura.cascade.critical;

import io.aura.cascade.sim.CascadeGuard;
import io.aura.cascade.sim.Episode;
import io.aura.cascade.sim.EpisodeParams;
import io.aura.cascade.sim.EpisodeResult;
import io.aura.cascade.sim.SimTopology;
import io.aura.cascade.sim.StaticTopology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The steps of a CPB 6.7 study on one topology, each a pure function of its inputs, so that a
 * caller can run the episodes in any order or in parallel:
 *
 * <ol>
 *   <li>{@link #runB0}: per seed, the B0 episode with the SUT in predict-only mode behind a
 *       {@link CriticalScoreRecorder} (the SUT's predictions do not change the episode). It gives
 *       S_B0, the SUT's mean critical score per agent over the post-fault ticks {@code [t_f, t_f +
 *       60 s)} and the mean utilisation per agent over {@code [t_f − 60 s, t_f)}.</li>
 *   <li>{@link #rankings}: the SUT's ranking (its per-seed mean scores averaged over the seeds) and
 *       the baselines: degree, betweenness, dependents-PageRank ({@link CallGraphCentrality}, on the
 *       true call graph) and utilisation (averaged over the seeds); ties by agent index.</li>
 *   <li>{@link #candidates}: all agents for N ≤ 200, else {@link CandidateSet}.</li>
 *   <li>{@link #runImmune}: per (candidate, seed), the B0 episode with the candidate immune
 *       ({@link Episode#runImmune}), giving S_B0|i immune.</li>
 *   <li>{@link #assemble}: crit_i with its bootstrap-by-seed interval ({@link CritEstimate}) and the
 *       ranking quality with the T7 verdict ({@link CriticalEvaluation}).</li>
 * </ol>
 *
 * <p>All episodes use the same topology (built once by the caller): "agent i" must be the same agent
 * on every seed.
 */
public final class CriticalStudy {
  /** Length of the SUT-score window after t_f and of the utilisation window before it (s). */
  public static final int WINDOW_SEC = 60;
  /** Ranking names, SUT first. */
  public static final String SUT = "aura";
  public static final String DEGREE = "degree";
  public static final String BETWEENNESS = "betweenness";
  public static final String PAGERANK = "dependents-pagerank";
  public static final String UTILISATION = "utilisation";
  /** Seed of the bootstrap of every crit interval, so intervals are reproducible. */
  public static final long BOOTSTRAP_SEED = 0x6_7L;

  private CriticalStudy() {}

  /**
   * What a study runs.
   *
   * @param topology the topology of every episode
   * @param params episode parameters (B0: baseline B0; predict-only is forced for the SUT run)
   * @param sut a fresh SUT per episode
   */
  public record Plan(SimTopology topology, EpisodeParams params, Supplier<CascadeGuard> sut) {
    public Plan {
      Objects.requireNonNull(topology, "topology");
      Objects.requireNonNull(params, "params");
      Objects.requireNonNull(sut, "sut");
    }
  }

  /**
   * Step 1's result for one seed.
   *
   * @param seed the episode seed
   * @param result the B0 episode (the SUT only predicted)
   * @param sutScore the SUT's mean critical score per agent over [t_f, t_f + 60 s)
   * @param utilisation mean utilisation per agent over [t_f − 60 s, t_f)
   */
  public record SeedRun(long seed, EpisodeResult result, double[] sutScore, double[] utilisation) {
    public SeedRun {
      sutScore = sutScore.clone();
      utilisation = utilisation.clone();
    }

    @Override
    public double[] sutScore() {
      return sutScore.clone();
    }

    @Override
    public double[] utilisation() {
      return utilisation.clone();
    }
  }

  /** Step 1 for one seed. */
  public static SeedRun runB0(Plan plan, long seed) {
    EpisodeParams p = plan.params().withPredictOnly(true);
    CriticalScoreRecorder rec = new CriticalScoreRecorder(plan.sut().get());
    EpisodeResult r = Episode.run(plan.topology(), p, rec, seed);
    int[] toReal = Episode.guardIdsToReal(plan.topology(), p, seed);
    return new SeedRun(seed, r, rec.meanCriticalScore(toReal, r.faultTimeSec(), WINDOW_SEC),
        rec.meanUtilisation(toReal, r.faultTimeSec(), WINDOW_SEC));
  }

  /**
   * Step 2: every ranking's per-agent score, SUT first (insertion order: aura, degree, betweenness,
   * dependents-pagerank, utilisation).
   */
  public static Map<String, double[]> scores(SimTopology topology, List<SeedRun> runs) {
    int n = topology.agentCount();
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no seed runs");
    }
    double[] sut = new double[n];
    double[] util = new double[n];
    for (SeedRun s : runs) {
      double[] a = s.sutScore();
      double[] u = s.utilisation();
      for (int i = 0; i < n; i++) {
        sut[i] += a[i] / runs.size();
        util[i] += u[i] / runs.size();
      }
    }
    StaticTopology g = CallGraphCentrality.callGraph(topology);
    Map<String, double[]> m = new LinkedHashMap<>();
    m.put(SUT, sut);
    m.put(DEGREE, CallGraphCentrality.degree(g));
    m.put(BETWEENNESS, CallGraphCentrality.betweenness(g));
    m.put(PAGERANK, CallGraphCentrality.dependentsPageRank(g));
    m.put(UTILISATION, util);
    return m;
  }

  /** Step 2: the rankings of {@link #scores} ({@link Rankings#descending}), same order. */
  public static Map<String, int[]> rankings(Map<String, double[]> scores) {
    Map<String, int[]> m = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : scores.entrySet()) {
      m.put(e.getKey(), Rankings.descending(e.getValue()));
    }
    return m;
  }

  /** Step 3: the candidate set ({@link CandidateSet}, random part from the first seed). */
  public static int[] candidates(int agents, Map<String, int[]> rankings, long firstSeed) {
    return CandidateSet.select(agents, new ArrayList<>(rankings.values()), firstSeed);
  }

  /** Step 4: S_B0 of the seed's episode with {@code agent} immune (no SUT). */
  public static EpisodeResult runImmune(Plan plan, long seed, int agent) {
    return Episode.runImmune(plan.topology(), plan.params(), CascadeGuard.none(), seed, agent);
  }

  /**
   * The study's outcome.
   *
   * @param candidates candidate agent ids, ascending
   * @param crit crit_i per candidate
   * @param scores per ranking, the score of every agent
   * @param rankings per ranking, all agents, most critical first
   * @param evaluation precision@k, NDCG@k and T7
   */
  public record Outcome(int[] candidates, List<CritEstimate> crit, Map<String, double[]> scores,
      Map<String, int[]> rankings, CriticalEvaluation.Result evaluation) {
    public Outcome {
      candidates = candidates.clone();
      crit = List.copyOf(crit);
      scores = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scores));
      rankings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rankings));
    }

    @Override
    public int[] candidates() {
      return candidates.clone();
    }

    /** crit_i point estimates, candidate order. */
    public double[] critValues() {
      double[] c = new double[crit.size()];
      for (int i = 0; i < c.length; i++) {
        c[i] = crit.get(i).crit();
      }
      return c;
    }
  }

  /**
   * Step 5.
   *
   * @param agents N
   * @param runs step 1's runs, seed order
   * @param scores step 2's scores
   * @param candidates step 3's candidates
   * @param immuneSizes S_B0|i immune, [candidate][seed index] in the order of {@code runs}
   */
  public static Outcome assemble(int agents, List<SeedRun> runs, Map<String, double[]> scores, int[] candidates,
      double[][] immuneSizes) {
    if (immuneSizes.length != candidates.length) {
      throw new IllegalArgumentException(candidates.length + " candidates but " + immuneSizes.length + " rows of sizes");
    }
    double[] b0 = new double[runs.size()];
    for (int s = 0; s < b0.length; s++) {
      b0[s] = runs.get(s).result().cascadeSize();
    }
    List<CritEstimate> crit = new ArrayList<>(candidates.length);
    double[] c = new double[candidates.length];
    for (int j = 0; j < candidates.length; j++) {
      CritEstimate e = CritEstimate.of(b0, immuneSizes[j], CritEstimate.DEFAULT_REPLICATES, CritEstimate.DEFAULT_CONFIDENCE,
          BOOTSTRAP_SEED + candidates[j]);
      crit.add(e);
      c[j] = e.crit();
    }
    Map<String, int[]> rankings = rankings(scores);
    return new Outcome(candidates, crit, scores, rankings, CriticalEvaluation.evaluate(agents, candidates, c, rankings));
  }
}
