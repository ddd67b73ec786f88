package io.aura.cascade.sim;

/**
 * Speed and per-call RT of one D3 episode of a named family (not a unit test). Run with
 * {@code java -cp aura-cascade/target/classes:aura-cascade/target/test-classes io.aura.cascade.sim.FamiliesBench
 * FAMILY [seed] [FaultKind] [loadFactor] [entryRate|default] [durationSec]}.
 */
public final class FamiliesBench {
  private FamiliesBench() {}

  public static void main(String[] args) {
    String family = args.length > 0 ? args[0] : "ali-1000";
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
    FaultKind fault = args.length > 2 ? FaultKind.valueOf(args[2]) : FaultKind.F_STD;
    double load = args.length > 3 ? Double.parseDouble(args[3]) : 0.9;
    double rate = args.length > 4 && !args[4].equals("default") ? Double.parseDouble(args[4]) : Families.defaultEntryRate(family);
    long dur = args.length > 5 ? Long.parseLong(args[5]) : 1800;
    long b0 = System.nanoTime();
    SimTopology t = Families.build(family, rate, 0.2, seed);
    double build = (System.nanoTime() - b0) * 1e-9;
    double visits = 0;
    for (int i = 0; i < t.agentCount(); i++) {
      visits += t.designArrivalRatePerSec(i);
    }
    EpisodeParams p = EpisodeParams.defaults().withLoadFactor(load).withFault(fault)
        .withDuration(dur, Math.min(300, dur / 6));
    long t0 = System.nanoTime();
    Des des = new Des(t, p, CascadeGuard.none(), seed);
    EpisodeResult r = des.run();
    double sec = (System.nanoTime() - t0) * 1e-9;
    System.out.printf("family=%s agents=%d edges=%d entryRate=%.1f/s designVisits/s=%.0f build=%.2fs%n", family,
        t.agentCount(), t.edgeCount(), rate, visits, build);
    System.out.printf("wall=%.2fs events=%d (%.2f M events/s) requests=%d%n", sec, r.events(), r.events() / sec / 1e6,
        r.requests());
    System.out.printf("perCallRT p50=%.3fms p99=%.3fms%n", des.callLatencyQuantileMs(0.5), des.callLatencyQuantileMs(0.99));
    System.out.printf("fault=%s tf=%.1f S=%.3f Speak=%.3f A=%.4f crashes=%d onset10=%s%n", r.faultApplied(),
        r.faultTimeSec(), r.cascadeSize(), r.cascadePeak(), r.availability(), r.crashes(), r.onset10Sec());
    double designEntry = 0;
    double entryRate = 0;
    for (int i = 0; i < t.agentCount(); i++) {
      designEntry += t.entryRatePerSec[i] * t.designResponseNs[i] * 1e-6;
      entryRate += t.entryRatePerSec[i];
    }
    System.out.printf("meanEntryLatency=%.1fms designEntryResponse=%.1fms entryOffered=%d entrySucceeded=%d%n",
        r.meanEntryLatencyMs(), designEntry / entryRate, r.entryOffered(), r.entrySucceeded());
  }
}
