package io.aura.cascade.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sanity table of the section-5 baselines (not a unit test): mean S, S_peak and availability per
 * arm over a range of seeds on one provisioned random DAG with F-std, plus events/s. Run with
 * {@code java -cp aura-cascade/target/classes:aura-cascade/target/test-classes
 * io.aura.cascade.sim.BaselineSanity [agents] [entries] [entryRatePerSec] [loadFactor] [firstSeed]
 * [seeds] [arms]} (arms comma-separated, default all). Single-threaded.
 */
public final class BaselineSanity {
  private BaselineSanity() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int entries = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    double rate = args.length > 2 ? Double.parseDouble(args[2]) : 20;
    double load = args.length > 3 ? Double.parseDouble(args[3]) : 0.9;
    long first = args.length > 4 ? Long.parseLong(args[4]) : 1;
    int seeds = args.length > 5 ? Integer.parseInt(args[5]) : 10;
    List<Baseline> arms = new ArrayList<>();
    if (args.length > 6) {
      for (String s : args[6].split(",")) {
        arms.add(Baseline.parse(s));
      }
    } else {
      arms.addAll(List.of(Baseline.values()));
    }
    SimTopology t = TestTopologies.randomDag(n, entries, rate, 0.2, 1);
    EpisodeParams p = EpisodeParams.defaults().withLoadFactor(load);
    System.out.printf(Locale.ROOT, "agents=%d edges=%d entries=%d rate=%.1f load=%.2f seeds=%d..%d F-std%n", n,
        t.edgeCount(), entries, rate, load, first, first + seeds - 1);
    System.out.println("| arm | mean S | P(S>10%) | mean S_peak | mean A | events/s (M) |");
    System.out.println("|---|---|---|---|---|---|");
    for (Baseline b : arms) {
      double s = 0;
      double peak = 0;
      double avail = 0;
      int big = 0;
      long events = 0;
      long ns = 0;
      for (long seed = first; seed < first + seeds; seed++) {
        long t0 = System.nanoTime();
        EpisodeResult r = Episode.run(t, p.withBaseline(b), CascadeGuard.none(), seed);
        ns += System.nanoTime() - t0;
        s += r.cascadeSize();
        peak += r.cascadePeak();
        avail += r.availability();
        big += r.cascadeSize() > 0.10 ? 1 : 0;
        events += r.events();
      }
      System.out.printf(Locale.ROOT, "| %s | %.3f | %.1f | %.3f | %.4f | %.2f |%n", b.armName(), s / seeds,
          big / (double) seeds, peak / seeds, avail / seeds, events / (ns * 1e-9) / 1e6);
    }
  }
}
