package io.aura.cascade.sim;

/**
 * The dependency graph a SUT sees: agent count and call edges {@code callers[e] -> callees[e]},
 * without capacities, probabilities or timeouts.
 */
public record StaticTopology(int agentCount, int[] callers, int[] callees) {
  public StaticTopology {
    if (callers.length != callees.length) {
      throw new IllegalArgumentException("callers and callees differ in length: " + callers.length + " vs " + callees.length);
    }
    callers = callers.clone();
    callees = callees.clone();
  }

  static StaticTopology of(SimTopology t) {
    return new StaticTopology(t.n, t.edgeCaller, t.callee);
  }

  public int edgeCount() {
    return callers.length;
  }

  public int caller(int e) {
    return callers[e];
  }

  public int callee(int e) {
    return callees[e];
  }

  @Override
  public int[] callers() {
    return callers.clone();
  }

  @Override
  public int[] callees() {
    return callees.clone();
  }
}
