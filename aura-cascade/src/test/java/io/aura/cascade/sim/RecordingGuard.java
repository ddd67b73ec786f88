package io.aura.cascade.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Test guard: keeps every snapshot, returns scripted actions. */
final class RecordingGuard implements CascadeGuard {
  final List<TelemetrySnapshot> snapshots = new ArrayList<>();
  StaticTopology topology;
  GuardConfig config;
  int decideCalls;
  private final Function<TelemetrySnapshot, List<Action>> script;

  RecordingGuard(Function<TelemetrySnapshot, List<Action>> script) {
    this.script = script;
  }

  RecordingGuard() {
    this(s -> List.of());
  }

  @Override
  public void init(StaticTopology staticTopology, GuardConfig cfg) {
    topology = staticTopology;
    config = cfg;
  }

  @Override
  public Prediction predict(TelemetrySnapshot s) {
    snapshots.add(s);
    return Prediction.of(0.0);
  }

  @Override
  public List<Action> decide(TelemetrySnapshot s, Prediction p) {
    decideCalls++;
    return script.apply(s);
  }

  long sumArrivals(int agent, long fromSec, long toSec) {
    long s = 0;
    for (TelemetrySnapshot x : snapshots) {
      if (x.timeSec() > fromSec && x.timeSec() <= toSec) {
        s += x.arrivals()[agent];
      }
    }
    return s;
  }

  long sum(Function<TelemetrySnapshot, int[]> f, int idx, long fromSec, long toSec) {
    long s = 0;
    for (TelemetrySnapshot x : snapshots) {
      if (x.timeSec() > fromSec && x.timeSec() <= toSec) {
        s += f.apply(x)[idx];
      }
    }
    return s;
  }
}
