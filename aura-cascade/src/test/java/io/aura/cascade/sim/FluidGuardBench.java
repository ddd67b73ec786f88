package io.aura.cascade.sim;

/**
 * Speed of a guarded D3-fluid episode (not a unit test): where a simulated second goes at scale. Run
 * with {@code java -cp aura-cascade/target/classes:aura-cascade/target/test-classes:aura-tda/target/classes
 * io.aura.cascade.sim.FluidGuardBench FAMILY DURATION_SEC [realistic|plain]}: builds the family's seed 1
 * and runs a benign episode (no fault) with a guard that only counts snapshots, then prints the wall
 * time per simulated second (model, telemetry and the guard's view together; the guard itself costs
 * nothing here).
 */
public final class FluidGuardBench {
  private FluidGuardBench() {}

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: FluidGuardBench FAMILY DURATION_SEC [realistic|plain]");
      System.exit(2);
    }
    long duration = Long.parseLong(args[1]);
    boolean realistic = args.length < 3 || args[2].equals("realistic");
    SimTopology t = Families.build(args[0], 0.2, 1);
    EpisodeParams p = EpisodeParams.defaults().withFault(FaultKind.NONE).withDuration(duration, duration / 6)
        .withRealisticView(realistic).withPredictOnly(true);
    double step = Episode.fluidStepSec(t.agentCount());
    long a = System.nanoTime();
    EpisodeResult plain = Episode.runFluid(t, p, 1, step);
    long b = System.nanoTime();
    EpisodeResult guarded = Episode.runFluid(t, p, CascadeGuard.none(), 1, step);
    long c = System.nanoTime();
    System.out.printf("%s, %d agents, %d s at step %.1f s, view %s: B0 %.3f s per simulated second, with a guard %.3f s (same hash: %b)%n",
        args[0], t.agentCount(), duration, step, realistic ? "realistic" : "plain", (b - a) * 1e-9 / duration,
        (c - b) * 1e-9 / duration, plain.traceSha256().equals(guarded.traceSha256()));
  }
}
