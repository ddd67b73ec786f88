package io.aura.cascade.sim;

/**
 * Speed measurement of D3-fluid episodes (not a unit test). Run with
 * {@code java -cp aura-cascade/target/classes:aura-cascade/target/test-classes:aura-tda/target/classes
 * io.aura.cascade.sim.FluidBench FAMILY DURATION_SEC FAULT_SCALE [REPEATS] [SEED]}: builds the family's
 * seed (default 1), then runs the same B0 F-std episode REPEATS times (default 1) in this JVM at the
 * family's default step ({@link Episode#fluidStepSec}), printing the wall time of each run.
 */
public final class FluidBench {
  private FluidBench() {}

  public static void main(String[] args) {
    if (args.length < 3) {
      System.err.println("usage: FluidBench FAMILY DURATION_SEC FAULT_SCALE [REPEATS] [SEED]");
      System.exit(2);
    }
    String family = args[0];
    long duration = Long.parseLong(args[1]);
    double scale = Double.parseDouble(args[2]);
    int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    long seed = args.length > 4 ? Long.parseLong(args[4]) : 1;
    long t0 = System.nanoTime();
    SimTopology t = Families.build(family, 0.2, seed);
    System.out.printf("build %s seed %d: %d agents, %d edges in %.1f s%n", family, seed, t.agentCount(), t.edgeCount(),
        (System.nanoTime() - t0) * 1e-9);
    EpisodeParams p = EpisodeParams.defaults().withDuration(duration, Math.min(EpisodeParams.DEFAULT_WARMUP_SEC, duration / 6))
        .withMagnitudes(FaultMagnitudes.standard().scaled(scale));
    double step = Episode.fluidStepSec(t.agentCount());
    for (int r = 0; r < repeats; r++) {
      long a = System.nanoTime();
      EpisodeResult res = Episode.runFluid(t, p, seed, step);
      Runtime rt = Runtime.getRuntime();
      System.out.printf("run %d: %d s at step %.1f s in %.2f s wall; fault %s, S %.4f, availability %.4f, heap %d MB%n",
          r + 1, duration, step, (System.nanoTime() - a) * 1e-9, res.faultApplied(), res.cascadeSize(), res.availability(),
          (rt.totalMemory() - rt.freeMemory()) >> 20);
    }
  }
}
