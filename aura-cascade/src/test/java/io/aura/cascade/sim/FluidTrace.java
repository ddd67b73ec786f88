package io.aura.cascade.sim;

import java.util.Arrays;
import java.util.Locale;

/**
 * Traces one D3-fluid B0 episode of a family, second by second, for the agents named (not a unit
 * test; how the misses in docs/cpb.md were traced): per agent its instances up, offered attempts,
 * starts, queue, response time R, refused share, request failure and the chance it was FAILED
 * since t_f; then every agent's crashes and the agents with a FAILED chance above 0.2. Compare with
 * {@code aura bench episode --family F --seed S --arms b0 --agents LIST}, the DES's side.
 * {@code java -cp aura-cascade/target/classes:aura-cascade/target/test-classes:aura-tda/target/classes
 * io.aura.cascade.sim.FluidTrace FAMILY SEED AGENTS FROM_SEC TO_SEC [EVERY_SEC]} (AGENTS: indices,
 * comma-separated; F-std, ℓ = 0.9, α = 0.2, 1800 s, scale 1, Δt = 0.1 s).
 */
public final class FluidTrace {
  private FluidTrace() {}

  public static void main(String[] args) {
    if (args.length < 5) {
      System.err.println("usage: FluidTrace FAMILY SEED AGENTS FROM_SEC TO_SEC [EVERY_SEC]");
      System.exit(2);
    }
    String family = args[0];
    long seed = Long.parseLong(args[1]);
    int[] agents = Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
    long from = Long.parseLong(args[3]);
    long to = Long.parseLong(args[4]);
    long every = args.length > 5 ? Long.parseLong(args[5]) : 1;
    SimTopology t = Families.build(family, 0.2, seed);
    Fluid f = new Fluid(t, EpisodeParams.defaults(), seed, 0.1);
    int[] prevUp = new int[t.n];
    int[] crashes = new int[t.n];
    for (int i = 0; i < t.n; i++) {
      prevUp[i] = t.instances[i];
    }
    EpisodeResult r = f.run(sec -> {
      for (int i = 0; i < t.n; i++) {
        int up = f.instancesUp(i);
        crashes[i] += Math.max(0, prevUp[i] - up);
        prevUp[i] = up;
      }
      if (sec >= from && sec <= to && (sec - from) % every == 0) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "t=%d", sec));
        for (int a : agents) {
          line.append(String.format(Locale.ROOT, " | a%d up=%d in=%.2f s=%.2f q=%.1f R=%.3f rej=%.2f err=%.2f failed=%.2f", a,
              f.instancesUp(a), f.offered(a), f.starts(a), f.queued(a), f.responseSec(a), f.refusedShare(a),
              f.requestFailure(a), f.everFailedProbability(a)));
        }
        System.out.println(line);
      }
    });
    System.out.println("fault " + f.faultSummary() + "; S " + r.cascadeSize() + ", availability " + r.availability());
    StringBuilder c = new StringBuilder("instances lost (crashes and fault) by agent:");
    StringBuilder failed = new StringBuilder("FAILED chance > 0.2:");
    for (int i = 0; i < t.n; i++) {
      if (crashes[i] > 0) {
        c.append(' ').append('a').append(i).append('=').append(crashes[i]);
      }
      if (f.everFailedProbability(i) > 0.2) {
        failed.append(String.format(Locale.ROOT, " a%d=%.2f", i, f.everFailedProbability(i)));
      }
    }
    System.out.println(c);
    System.out.println(failed);
  }
}
