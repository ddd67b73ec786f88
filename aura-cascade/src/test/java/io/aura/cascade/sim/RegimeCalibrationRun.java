package io.aura.cascade.sim;

/**
 * Runs the regime calibration of the headline cell (not a unit test). {@code java -cp
 * aura-cascade/target/classes:aura-cascade/target/test-classes io.aura.cascade.sim.RegimeCalibrationRun
 * [firstSeed] [seeds] [maxSteps] [threads]}.
 */
public final class RegimeCalibrationRun {
  private RegimeCalibrationRun() {}

  public static void main(String[] args) {
    long first = args.length > 0 ? Long.parseLong(args[0]) : 1;
    int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    long t0 = System.nanoTime();
    RegimeCalibration.Result r = RegimeCalibration.calibrate(first, seeds, steps, threads);
    for (RegimeCalibration.Point p : r.trace()) {
      System.out.printf("scale=%.4f cascades=%d/%d P=%.3f%n", p.scale(), p.cascades(), p.episodes(), p.probability());
    }
    System.out.printf("chosen scale=%.4f P=%.3f inRange=%s wall=%.0fs%n", r.scale(), r.probability(), r.inRange(),
        (System.nanoTime() - t0) * 1e-9);
  }
}
