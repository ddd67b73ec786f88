package io.aura.cascade.critical;

import io.aura.cascade.predict.AuraGuard;
import io.aura.cascade.sim.Action;
import io.aura.cascade.sim.CascadeGuard;
import io.aura.cascade.sim.Episode;
import io.aura.cascade.sim.EpisodeParams;
import io.aura.cascade.sim.EpisodeResult;
import io.aura.cascade.sim.Families;
import io.aura.cascade.sim.FaultKind;
import io.aura.cascade.sim.FaultMagnitudes;
import io.aura.cascade.sim.GuardConfig;
import io.aura.cascade.sim.Prediction;
import io.aura.cascade.sim.SimTopology;
import io.aura.cascade.sim.StaticTopology;
import io.aura.cascade.sim.TelemetrySnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Ways to turn AURA's per-tick critical agents into one ranking, scored against a ground truth that
 * {@code aura bench critical} already computed (docs/predictor.md, "Critical agents"). Runs only the
 * B0 predict-only episodes of step 1 (the immune episodes are the expensive part and do not depend on
 * the SUT), checks each episode's trace hash against the committed run, and evaluates every
 * aggregation with {@link CriticalEvaluation}. Not a unit test: {@code java -cp
 * aura-cascade/target/test-classes:aura-cli/target/aura.jar io.aura.cascade.critical.CriticalRescoreRun
 * FAMILY FIRST LAST CRIT_FILE}, CRIT_FILE with one line {@code agent crit} per agent ({@code crit} of
 * {@code critical.json}) and one line {@code seed SEED SHA} per seed (its B0 trace hash).
 */
public final class CriticalRescoreRun {
  private CriticalRescoreRun() {}

  private record Tick(long timeSec, double risk, int[] top, double[] scores) {}

  /** Keeps risk, critical agents and scores per tick; passes every call through. */
  private static final class Recorder implements CascadeGuard {
    final CascadeGuard sut = new AuraGuard();
    final List<Tick> ticks = new ArrayList<>();

    @Override
    public void init(StaticTopology t, GuardConfig cfg) {
      sut.init(t, cfg);
    }

    @Override
    public Prediction predict(TelemetrySnapshot s) {
      Prediction p = sut.predict(s);
      ticks.add(new Tick(s.timeSec(), p.risk(), p.criticalAgents(), p.criticalScores()));
      return p;
    }

    @Override
    public List<Action> decide(TelemetrySnapshot s, Prediction p) {
      return sut.decide(s, p);
    }
  }

  public static void main(String[] args) throws IOException {
    String family = args[0];
    long first = Long.parseLong(args[1]);
    long last = Long.parseLong(args[2]);
    Map<Long, String> hashes = new LinkedHashMap<>();
    List<Double> critList = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[3]))) {
      String[] f = line.trim().split("\\s+");
      if (f[0].equals("seed")) {
        hashes.put(Long.parseLong(f[1]), f[2]);
      } else {
        critList.add(Double.parseDouble(f[1]));
      }
    }
    SimTopology t = Families.build(family, 0.2, first);
    int n = t.agentCount();
    if (critList.size() != n) {
      throw new IllegalArgumentException(critList.size() + " crit values for " + n + " agents");
    }
    EpisodeParams params = EpisodeParams.defaults().withDuration(1800, EpisodeParams.DEFAULT_WARMUP_SEC)
        .withFault(FaultKind.F_STD).withMagnitudes(FaultMagnitudes.standard().scaled(1.0)).withPredictOnly(true);
    String[] names = {"plain-60", "risk-60", "risk-300", "tick-share-risk-60"};
    double[][] sums = new double[names.length][n];
    int seeds = 0;
    for (long seed = first; seed <= last; seed++) {
      Recorder rec = new Recorder();
      EpisodeResult r = Episode.run(t, params, rec, seed);
      String want = hashes.get(seed);
      if (want != null && !want.equals(r.traceSha256())) {
        throw new IllegalStateException("seed " + seed + ": trace " + r.traceSha256() + " differs from the committed " + want);
      }
      int[] toReal = Episode.guardIdsToReal(t, params, seed);
      double tf = r.faultTimeSec();
      double[][] perSeed = new double[names.length][n];
      int ticks60 = 0;
      int ticks300 = 0;
      for (Tick k : rec.ticks) {
        boolean in60 = k.timeSec >= tf && k.timeSec < tf + 60;
        boolean in300 = k.timeSec >= tf && k.timeSec < tf + 300;
        double total = 0;
        for (double v : k.scores) {
          total += v;
        }
        ticks60 += in60 ? 1 : 0;
        ticks300 += in300 ? 1 : 0;
        for (int j = 0; j < k.top.length; j++) {
          int a = toReal[k.top[j]];
          if (in60) {
            perSeed[0][a] += k.scores[j];
            perSeed[1][a] += k.risk * k.scores[j];
            perSeed[3][a] += total > 0 ? k.risk * k.scores[j] / total : 0;
          }
          if (in300) {
            perSeed[2][a] += k.risk * k.scores[j];
          }
        }
      }
      for (int v = 0; v < names.length; v++) {
        int count = names[v].endsWith("-300") ? ticks300 : ticks60;
        for (int a = 0; a < n; a++) {
          sums[v][a] += count == 0 ? 0 : perSeed[v][a] / count;
        }
      }
      seeds++;
      System.err.printf(Locale.ROOT, "seed %d: S %.3f, fault %s at %s%n", seed, r.cascadeSize(), r.faultApplied(),
          java.util.Arrays.toString(r.faultedAgents()));
    }
    Map<String, int[]> rankings = new LinkedHashMap<>();
    for (int v = 0; v < names.length; v++) {
      rankings.put(names[v], Rankings.descending(sums[v]));
    }
    int[] candidates = new int[n];
    double[] crit = new double[n];
    for (int a = 0; a < n; a++) {
      candidates[a] = a;
      crit[a] = critList.get(a);
    }
    CriticalEvaluation.Result res = CriticalEvaluation.evaluate(n, candidates, crit, rankings);
    System.out.printf(Locale.ROOT, "%s seeds %d-%d (%d), %d agents%n", family, first, last, seeds, n);
    for (CriticalEvaluation.Quality q : res.qualities()) {
      StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-20s", q.ranking()));
      for (CriticalEvaluation.Score s : q.scores()) {
        sb.append(String.format(Locale.ROOT, " P@%s %.3f NDCG@%s %.3f", s.label(), s.precision().orElse(Double.NaN),
            s.label(), s.ndcg().orElse(Double.NaN)));
      }
      System.out.println(sb);
      int[] top = rankings.get(q.ranking());
      StringBuilder tops = new StringBuilder("  top 10:");
      for (int i = 0; i < Math.min(10, top.length); i++) {
        tops.append(' ').append(top[i]);
      }
      System.out.println(tops);
    }
  }
}
