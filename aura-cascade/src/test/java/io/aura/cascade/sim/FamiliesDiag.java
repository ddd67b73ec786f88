package io.aura.cascade.sim;

import java.util.List;

/** Diagnostic (not a test): actual vs design arrival rates and the worst agents of one episode. */
public final class FamiliesDiag {
  private FamiliesDiag() {}

  public static void main(String[] args) {
    String family = args[0];
    double load = Double.parseDouble(args[1]);
    double rate = Double.parseDouble(args[2]);
    long dur = Long.parseLong(args[3]);
    SimTopology t = Families.build(family, rate, 0.2, 1);
    int n = t.agentCount();
    long[] arr = new long[n];
    long[] err = new long[n];
    long[] to = new long[n];
    long[] rej = new long[n];
    double[] util = new double[n];
    CascadeGuard g = new CascadeGuard() {
      @Override
      public void init(StaticTopology s, GuardConfig c) {}

      @Override
      public Prediction predict(TelemetrySnapshot s) {
        if (s.timeSec() > 100) {
          for (int i = 0; i < n; i++) {
            arr[i] += s.arrivals()[i];
            err[i] += s.errors()[i];
            to[i] += s.timeouts()[i];
            rej[i] += s.rejected()[i];
            util[i] = Math.max(util[i], s.threadUtilisation()[i]);
          }
        }
        return Prediction.of(0);
      }

      @Override
      public List<Action> decide(TelemetrySnapshot s, Prediction p) {
        return List.of();
      }
    };
    EpisodeParams p = EpisodeParams.defaults().withLoadFactor(load).withFault(FaultKind.NONE).withDuration(dur, dur / 6)
        .withRealisticView(false).withCrashRestart(false);
    EpisodeResult r = Episode.run(t, p, g, 1);
    double secs = dur - 100;
    System.out.printf("A=%.4f S=%.3f%n", r.availability(), r.cascadeSize());
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    java.util.Arrays.sort(idx, (a, b) -> Long.compare(err[b], err[a]));
    for (int k = 0; k < 15; k++) {
      int i = idx[k];
      System.out.printf("agent %d: design=%.2f actual=%.2f err=%d to=%d rej=%d maxUtil=%.2f rho=%.2f inst=%d cores=%.2f thr=%d Q=%d d=%.2fms R=%.1fms out=%d%n",
          i, t.designArrivalRatePerSec(i) * load, arr[i] / secs, err[i], to[i], rej[i], util[i], t.designUtilisation(i),
          t.instances(i), t.coresPerInstance(i), t.threadsPerInstance(i), t.queueCapacity(i), t.meanServiceNs(i) / 1e6,
          t.designResponseNs(i) / 1e6, t.edgeStart(i + 1) - t.edgeStart(i));
    }
  }
}
