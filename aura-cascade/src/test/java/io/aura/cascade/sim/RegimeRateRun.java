package io.aura.cascade.sim;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Exploration behind docs/cpb-families.md "Regime calibration": P_B0(S &gt; 10%) of the headline
 * cell (ALI-1000, ℓ = 0.9, α = 0.2, F-std) at several total entry rates, with the break-down by the
 * fault F-std drew and the share of agents whose design traffic reaches 1 request/s (the FAILED
 * rule needs 10 requests in 10 s). Not a unit test: {@code java -cp
 * aura-cascade/target/classes:aura-cascade/target/test-classes io.aura.cascade.sim.RegimeRateRun
 * RATES(comma) firstSeed seeds scale threads [family]}.
 */
public final class RegimeRateRun {
  private RegimeRateRun() {}

  private record Row(long seed, FaultKind fault, double s, double countable, double wall) {}

  public static void main(String[] args) throws Exception {
    String[] rates = args[0].split(",");
    long first = Long.parseLong(args[1]);
    int seeds = Integer.parseInt(args[2]);
    double scale = Double.parseDouble(args[3]);
    int threads = Integer.parseInt(args[4]);
    String family = args.length > 5 ? args[5] : RegimeCalibration.FAMILY;
    EpisodeParams p = EpisodeParams.defaults().withLoadFactor(RegimeCalibration.LOAD)
        .withMagnitudes(FaultMagnitudes.standard().scaled(scale)).withFault(FaultKind.F_STD);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (String rs : rates) {
        double rate = Double.parseDouble(rs);
        List<Future<Row>> rows = new ArrayList<>();
        for (int k = 0; k < seeds; k++) {
          long seed = first + k;
          rows.add(pool.submit(() -> {
            long t0 = System.nanoTime();
            SimTopology t = Families.build(family, rate, RegimeCalibration.ALPHA, seed);
            int countable = 0;
            for (int i = 0; i < t.agentCount(); i++) {
              countable += RegimeCalibration.LOAD * t.designArrivalRatePerSec(i) >= 1.0 ? 1 : 0;
            }
            EpisodeResult r = Episode.run(t, p, CascadeGuard.none(), seed);
            return new Row(seed, r.faultApplied(), r.cascadeSize(), countable / (double) t.agentCount(),
                (System.nanoTime() - t0) * 1e-9);
          }));
        }
        int hits = 0;
        double countable = 0;
        double wall = 0;
        Map<FaultKind, int[]> byFault = new EnumMap<>(FaultKind.class);
        for (Future<Row> f : rows) {
          Row r = f.get();
          System.out.printf("rate=%s seed=%d fault=%s S=%.4f countable=%.3f wall=%.1fs%n", rs, r.seed(), r.fault(), r.s(),
              r.countable(), r.wall());
          boolean hit = r.s() > RegimeCalibration.THRESHOLD;
          hits += hit ? 1 : 0;
          countable += r.countable();
          wall += r.wall();
          int[] c = byFault.computeIfAbsent(r.fault(), x -> new int[2]);
          c[0] += hit ? 1 : 0;
          c[1]++;
        }
        StringBuilder sb = new StringBuilder();
        byFault.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v[0]).append('/').append(v[1]));
        System.out.printf("RATE %s: P=%d/%d=%.3f countable=%.3f meanWall=%.1fs byFault:%s%n", rs, hits, seeds,
            hits / (double) seeds, countable / seeds, wall / seeds, sb);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
