package io.aura.cascade.sim;

/**
 * Speed measurement of one D3 episode (not a unit test). Run with
 * {@code java -cp aura-cascade/target/classes:aura-cascade/target/test-classes io.aura.cascade.sim.DesBench
 * [agents] [entries] [entryRatePerSec] [loadFactor] [seed] [FaultKind]}.
 */
public final class DesBench {
  private DesBench() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int entries = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    double rate = args.length > 2 ? Double.parseDouble(args[2]) : 20;
    double load = args.length > 3 ? Double.parseDouble(args[3]) : 0.9;
    long seed = args.length > 4 ? Long.parseLong(args[4]) : 1;
    FaultKind fault = args.length > 5 ? FaultKind.valueOf(args[5]) : FaultKind.F_STD;
    SimTopology t = TestTopologies.randomDag(n, entries, rate, 0.2, seed);
    double visits = 0;
    for (int i = 0; i < n; i++) {
      visits += t.designArrivalRatePerSec(i);
    }
    long t0 = System.nanoTime();
    EpisodeResult r = Episode.run(t, EpisodeParams.defaults().withLoadFactor(load).withFault(fault), CascadeGuard.none(), seed);
    double sec = (System.nanoTime() - t0) * 1e-9;
    System.out.printf("agents=%d edges=%d designVisits/s=%.0f load=%.2f%n", n, t.edgeCount(), visits, load);
    System.out.printf("wall=%.2fs events=%d (%.2f M events/s) requests=%d%n", sec, r.events(), r.events() / sec / 1e6,
        r.requests());
    System.out.printf("fault=%s tf=%.1f S=%.3f Speak=%.3f A=%.4f crashes=%d onset10=%s%n", r.faultApplied(),
        r.faultTimeSec(), r.cascadeSize(), r.cascadePeak(), r.availability(), r.crashes(), r.onset10Sec());
  }
}
