package io.aura.cascade.sim;

import io.aura.cascade.baseline.SreConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Exploration behind docs/predictor.md "How far prevention can go in the headline cell": the cascade
 * size S of the headline cell's F4 surge episodes (all entries × 2.7 for 180 s) under <em>oracle</em>
 * load shedding, which knows what no guard can: when the surge starts, how long it lasts and every
 * entry's true design rate. If even the oracle cannot bring S below some floor, no guard whose
 * refusals count as failures (spec 3, "SUT-induced unavailability counts as failure") can either,
 * and that floor bounds R_size from above. Not a unit test: {@code java -cp
 * aura-cascade/target/classes:aura-cascade/target/test-classes:aura-tda/target/classes
 * io.aura.cascade.sim.SurgeOracleRun SEEDS(comma) ARMS(comma) threads}.
 *
 * <p>Arms: {@code b0}; {@code b3@K} (the SRE baseline with throttle K); {@code shed:K:F:D}, an oracle
 * that D seconds after the fault (negative: before it) sheds the K entries with the highest true
 * rate completely and every other entry by fraction F, for the surge's duration; {@code
 * b3@K+shed:K:F:D}, both. Every arm runs the headline cell's parameters (ALI-1000, ℓ = 0.9, α = 0.2,
 * F-std at the calibrated scale, realism knobs on), so b0 reproduces the headline run's episodes.
 */
public final class SurgeOracleRun {
  private SurgeOracleRun() {}

  public static void main(String[] args) throws Exception {
    long[] seeds = Arrays.stream(args[0].split(",")).mapToLong(Long::parseLong).toArray();
    String[] arms = args[1].split(",");
    int threads = Integer.parseInt(args[2]);
    EpisodeParams base = EpisodeParams.defaults().withLoadFactor(RegimeCalibration.LOAD)
        .withMagnitudes(FaultMagnitudes.standard().scaled(RegimeCalibration.HEADLINE_SCALE)).withFault(FaultKind.F_STD);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<String>> out = new ArrayList<>();
      for (long seed : seeds) {
        out.add(pool.submit(() -> runSeed(seed, arms, base)));
      }
      for (Future<String> f : out) {
        System.out.println(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static String runSeed(long seed, String[] arms, EpisodeParams base) {
    SimTopology t = Families.build(RegimeCalibration.FAMILY, RegimeCalibration.ALPHA, seed);
    EpisodeResult b0 = Episode.run(t, base, CascadeGuard.none(), seed);
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "seed=%d fault=%s t_f=%.1f", seed, b0.faultApplied(),
        b0.faultTimeSec()));
    for (String arm : arms) {
      EpisodeResult r = arm.equals("b0") ? b0 : runArm(t, base, arm, seed, b0.faultTimeSec());
      sb.append(String.format(Locale.ROOT, " | %s S=%.4f A=%.4f", arm, r.cascadeSize(), r.availability()));
    }
    return sb.toString();
  }

  private static EpisodeResult runArm(SimTopology t, EpisodeParams base, String arm, long seed, double faultSec) {
    EpisodeParams p = base;
    CascadeGuard g = CascadeGuard.none();
    for (String part : arm.split("\\+")) {
      if (part.startsWith("b3@")) {
        double k = Double.parseDouble(part.substring(3));
        p = p.withBaseline(Baseline.B3).withTuning(BaselineTuning.defaults().withSre(SreConfig.builder().k(k).build()));
      } else if (part.startsWith("shed:")) {
        String[] f = part.split(":");
        g = oracle(t, base, seed, faultSec, Integer.parseInt(f[1]), Double.parseDouble(f[2]), Long.parseLong(f[3]));
      } else {
        throw new IllegalArgumentException("unknown arm part " + part);
      }
    }
    return Episode.run(t, p, g, seed);
  }

  /** Sheds the top-k entries (by true design rate) completely and the others by {@code rest}, once, for the surge. */
  private static CascadeGuard oracle(SimTopology t, EpisodeParams p, long seed, double faultSec, int k, double rest, long delaySec) {
    int[] toReal = Episode.guardIdsToReal(t, p, seed);
    long from = (long) Math.ceil(faultSec) + delaySec;
    long durMs = (p.magnitudes().surgeDurationSec() + Math.max(0, -delaySec)) * 1000;
    Integer[] order = new Integer[t.agentCount()];
    for (int v = 0; v < order.length; v++) {
      order[v] = v;
    }
    Arrays.sort(order, (x, y) -> Double.compare(t.entryRatePerSec(toReal[y]), t.entryRatePerSec(toReal[x])));
    List<Action> actions = new ArrayList<>();
    for (int j = 0; j < order.length; j++) {
      int v = order[j];
      double f = j < k ? 1.0 : rest;
      if (t.entryRatePerSec(toReal[v]) > 0 && f > 0) {
        actions.add(new Action.Shed(v, f, durMs));
      }
    }
    return new CascadeGuard() {
      private boolean done;

      @Override
      public void init(StaticTopology staticTopology, GuardConfig cfg) {}

      @Override
      public Prediction predict(TelemetrySnapshot s) {
        return Prediction.of(0.0);
      }

      @Override
      public List<Action> decide(TelemetrySnapshot s, Prediction pred) {
        if (done || s.timeSec() < from) {
          return List.of();
        }
        done = true;
        return actions;
      }
    };
  }
}
