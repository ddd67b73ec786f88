package io.aura.cascade.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aura.cascade.random.SplitMix64;
import io.aura.cascade.sim.Action;
import io.aura.cascade.sim.StaticTopology;
import io.aura.cascade.sim.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreventionPolicyTest {
  /** Entry 0 calls 1 (edge 0), 1 calls 2 (edge 1). */
  static final StaticTopology CHAIN = new StaticTopology(3, new int[] {0, 1}, new int[] {1, 2});
  static final PreventionPolicy.Config D = PreventionPolicy.Config.defaults();
  /** The defaults with rule 2 (surge shedding) switched on. */
  static final PreventionPolicy.Config CFG = D.withSheds(true).withRetryBudgets(false);

  static final class Rig {
    final LiveModel model = new LiveModel(CHAIN);
    final PreventionPolicy policy = new PreventionPolicy(model, CFG);
    final Snapshots s = new Snapshots(3, 2);
    final List<Action> all = new ArrayList<>();
    final List<Long> times = new ArrayList<>();

    Rig() {
      s.edgeAttempts[0] = 100; // all of 1's arrivals come from 0
      s.edgeAttempts[1] = 100;
      s.util[0] = 0.5;
    }

    List<Action> step(double risk) {
      return step(risk, s.next());
    }

    List<Action> step(double risk, TelemetrySnapshot snap) {
      model.update(snap);
      List<Action> a = policy.decide(snap, risk);
      for (Action x : a) {
        all.add(x);
        times.add(snap.timeSec());
      }
      return a;
    }

    void run(int seconds, double risk) {
      for (int k = 0; k < seconds; k++) {
        step(risk);
      }
    }
  }

  @Test
  void aSteadySystemGetsNoAction() {
    Rig r = new Rig();
    r.run(CFG.warmupSec() + 600, 0.0);
    assertThat(r.all).isEmpty();
  }

  @Test
  void aSteadySystemGetsNoActionEvenWhenTheModelIsAlarmed() {
    Rig r = new Rig();
    r.run(CFG.warmupSec() + 300, 0.95); // the risk gate alone never acts: it needs local evidence
    assertThat(r.all).isEmpty();
  }

  @Test
  void aSurgeAtTheEntryIsShedAtTheSourceAndTheShedExpiresAfterTheSurge() {
    Rig r = new Rig();
    r.run(CFG.warmupSec() + 10, 0.0);
    r.s.arrivals[0] = 200; // external arrivals of the entry double
    r.s.successes[0] = 200;
    long surgeStart = r.s.time + 1;
    r.run(30, 0.0);
    long surgeEnd = r.s.time;
    r.s.arrivals[0] = 100;
    r.s.successes[0] = 100;
    r.run(120, 0.0);
    assertThat(r.all).isNotEmpty().allSatisfy(a -> {
      assertThat(a).isInstanceOf(Action.Shed.class);
      assertThat(((Action.Shed) a).agent()).isZero();
    });
    assertThat(r.times.get(0)).isBetween(surgeStart + 4, surgeStart + 10); // persistence before acting
    double maxFraction = r.all.stream().mapToDouble(a -> ((Action.Shed) a).fraction()).max().orElseThrow();
    assertThat(maxFraction).isEqualTo(CFG.maxShed()); // 1 − 1.1 · 100/200 = 0.45, capped at maxShed = 0.4
    assertThat(r.times.get(r.times.size() - 1)).isLessThanOrEqualTo(surgeEnd + 5); // not renewed once over
  }

  @Test
  void anOverloadedRootGetsARateLimitAtItsCurrentCapacityOnlyWhenTheModelAgrees() {
    for (double risk : new double[] {0.0, 0.9}) {
      Rig r = new Rig();
      r.run(CFG.warmupSec() + 10, 0.0);
      // agent 2: CPU saturated, queue growing, 20% of arrivals refused, its caller's attempts failing
      r.s.util[2] = 1.0;
      r.s.errors[2] = 20; // Snapshots reports errors as admission rejections
      r.s.successes[2] = 80;
      r.s.edgeFailures[1] = 20;
      for (int k = 0; k < 15; k++) {
        r.s.queue[2] += 5;
        r.step(risk);
      }
      if (risk < CFG.riskGate()) {
        assertThat(r.all).as("risk %s below the gate", risk).isEmpty();
      } else {
        assertThat(r.all).isNotEmpty().allSatisfy(a -> assertThat(a).isInstanceOf(Action.RateLimit.class));
        Action.RateLimit rl = (Action.RateLimit) r.all.get(0);
        assertThat(rl.agent()).isEqualTo(2);
        assertThat(rl.callee()).isEqualTo(-1);
        // completed = successes + errors − rejections = 80 per s at CPU 1.0 → 0.85 × 80
        assertThat(rl.rps()).isCloseTo(CFG.headroom() * 80, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(rl.durationMs()).isEqualTo(CFG.durationMs());
      }
    }
  }

  @Test
  void renewalsAreSpacedAndStopWhenTheOverloadClears() {
    Rig r = new Rig();
    r.run(CFG.warmupSec() + 10, 0.0);
    r.s.util[2] = 1.0;
    r.s.errors[2] = 20;
    r.s.successes[2] = 80;
    r.s.edgeFailures[1] = 20;
    for (int k = 0; k < 40; k++) {
      r.s.queue[2] += 5;
      r.step(0.9);
    }
    int during = r.all.size();
    assertThat(during).isBetween(40 / CFG.renewSec() - 2, 40 / CFG.renewSec() + 2);
    r.s.util[2] = 0.5;
    r.s.errors[2] = 0;
    r.s.successes[2] = 100;
    r.s.edgeFailures[1] = 0;
    r.s.queue[2] = 0;
    r.run(60, 0.9);
    assertThat(r.all.size() - during).isLessThanOrEqualTo(1);
  }

  @Test
  void missingRowsNanAndShortArraysNeverThrow() {
    Rig r = new Rig();
    SplitMix64 rng = new SplitMix64(7);
    for (int k = 0; k < CFG.warmupSec() + 100; k++) {
      TelemetrySnapshot snap = rng.nextDouble() < 0.3 ? r.s.nextMissing(rng.nextInt(3)) : r.s.next();
      if (rng.nextDouble() < 0.05) {
        snap.cpuUtilisation()[rng.nextInt(3)] = Double.NaN;
      }
      r.step(rng.nextDouble(), snap);
    }
    TelemetrySnapshot shortOne = new TelemetrySnapshot(9999, new int[1], new int[1], new int[1], new int[1], new int[1],
        new int[1], new int[1], new double[1], new double[1], new double[1], new int[1], new int[1], new double[1],
        new double[1], new int[1], new int[0], new int[0]);
    r.step(1.0, shortOne);
    assertThat(r.all).isEmpty();
  }

  @Test
  void theDefaultsDoNotShed() {
    LiveModel model = new LiveModel(CHAIN);
    PreventionPolicy p = new PreventionPolicy(model, D);
    Snapshots s = new Snapshots(3, 2);
    s.edgeAttempts[0] = 100;
    s.edgeAttempts[1] = 100;
    List<Action> all = new ArrayList<>();
    for (int k = 0; k < D.warmupSec() + 60; k++) {
      if (k == D.warmupSec() + 10) {
        s.arrivals[0] = 200;
        s.successes[0] = 200;
      }
      TelemetrySnapshot snap = s.next();
      model.update(snap);
      all.addAll(p.decide(snap, 0.9));
    }
    assertThat(all).isEmpty();
  }

  /** The chain with the default policy after its warm-up and 30 calm seconds (100 calls/s per edge, no action). */
  private record Calm(LiveModel model, PreventionPolicy policy, Snapshots s) {
    /** One second: the next snapshot of {@link #s}, into the model, then the policy's actions at risk 0. */
    List<Action> step() {
      TelemetrySnapshot snap = s.next();
      model.update(snap);
      return policy.decide(snap, 0.0);
    }
  }

  private static Calm calm() {
    return calm(D);
  }

  private static Calm calm(PreventionPolicy.Config cfg) {
    return calm(cfg, s -> {
      s.edgeAttempts[0] = 100;
      s.edgeAttempts[1] = 100;
      s.util[0] = 0.5;
    });
  }

  /** The chain with {@code cfg} after its warm-up and 30 calm seconds of the snapshots {@code setup} sets. */
  private static Calm calm(PreventionPolicy.Config cfg, java.util.function.Consumer<Snapshots> setup) {
    LiveModel model = new LiveModel(CHAIN);
    PreventionPolicy p = new PreventionPolicy(model, cfg);
    Snapshots s = new Snapshots(3, 2);
    setup.accept(s);
    for (int k = 0; k < cfg.warmupSec() + 30; k++) {
      TelemetrySnapshot snap = s.next();
      model.update(snap);
      assertThat(p.decide(snap, 0.0)).isEmpty();
    }
    return new Calm(model, p, s);
  }

  /**
   * Rule 3 on the chain's edge 1 → 2: a retry storm (twice the calm attempt rate, half failing), then
   * 60 s in which the edge reports {@code limited} = {attempts, failures} while a limit the policy
   * issued is in force and {@code free} otherwise. Returns the actions of those 60 s.
   */
  private static List<Action> edgeBudgets(int[] limited, int[] free, List<Action> duringStorm) {
    Calm c = calm();
    LiveModel model = c.model();
    PreventionPolicy p = c.policy();
    Snapshots s = c.s();
    s.queue[2] = 5; // the callee is under pressure: rules 3 and 4 limit only edges into such an agent
    long until = Long.MIN_VALUE;
    List<Action> after = new ArrayList<>();
    for (int k = 0; k < 70; k++) {
      boolean inForce = s.time + 1 < until; // the time of the snapshot about to be made
      int[] counts = k < 10 ? new int[] {200, 100} : inForce ? limited : free;
      s.edgeAttempts[1] = counts[0];
      s.edgeFailures[1] = counts[1];
      TelemetrySnapshot snap = s.next();
      model.update(snap);
      List<Action> a = p.decide(snap, 0.0);
      for (Action x : a) {
        until = snap.timeSec() + 1 + x.durationMs() / 1000; // in force after the 1-s actuation delay
      }
      (k < 10 ? duringStorm : after).addAll(a);
    }
    return after;
  }

  @Test
  void aRetryStormGetsAnEdgeBudgetThatOurOwnRefusalsDoNotRenew() {
    List<Action> storm = new ArrayList<>();
    // the callee has recovered: under the limit, the attempts above its 110/s are refused (90 of the 200
    // arriving), and those refusals are all the failures the edge reports; without it, calm traffic.
    // (edgeBudgets keeps a queue at the callee throughout, so only the refusal correction stops renewals)
    List<Action> after = edgeBudgets(new int[] {200, 90}, new int[] {100, 0}, storm);
    assertThat(storm).isNotEmpty().allSatisfy(a -> {
      assertThat(a).isInstanceOf(Action.RateLimit.class);
      Action.RateLimit rl = (Action.RateLimit) a;
      assertThat(rl.agent()).isEqualTo(1);
      assertThat(rl.callee()).isEqualTo(2);
      assertThat(rl.rps()).isCloseTo(110, org.assertj.core.data.Offset.offset(1.0));
    });
    assertThat(after).as("renewals once only our refusals fail").hasSizeLessThanOrEqualTo(1);
  }

  /**
   * A retry storm on edge 1 → 2 (twice the calm attempt rate, half failing) while agent 2 refuses half
   * its arrivals at admission with its threads and CPU half idle, for 20 s, with {@code queue} calls
   * waiting in its queue and {@code healthy} of its 2 instances up (−1: not reported).
   */
  private static List<Action> stormIntoARefusingCallee(int queue, int healthy) {
    Calm c = calm();
    Snapshots s = c.s();
    List<Action> all = new ArrayList<>();
    for (int k = 0; k < 20; k++) {
      s.errors[2] = 50; // the snapshots report them as refused at admission too
      s.successes[2] = 50;
      s.queue[2] = queue;
      s.healthy[2] = healthy;
      s.edgeAttempts[1] = 200;
      s.edgeFailures[1] = 100;
      all.addAll(c.step());
    }
    return all;
  }

  /**
   * A callee that refuses at admission while its threads and CPU are half idle and nothing waits in its
   * queue is enforcing a quota (an LLM provider's token bucket): retries with back-off are how it is
   * meant to be used, so rules 3 and 4 leave its in-edges alone (on b3-debate the retry budget in front
   * of the provider's 429s made cascades worse than no protection at all, docs/predictor.md). The same
   * refusals from an agent with a queue are an overload's, and get the retry budget.
   */
  @Test
  void edgesIntoACalleeThatRefusesByQuotaAreNotLimited() {
    assertThat(stormIntoARefusingCallee(0, 2)).isEmpty();
    assertThat(stormIntoARefusingCallee(20, 2)).isNotEmpty().allSatisfy(PreventionPolicyTest::onEdge1To2);
  }

  /**
   * An instance down is pressure (calls to it hold their callers until the connect timeout), and so is
   * what the policy cannot see: a callee whose healthy-instance count is not reported keeps rules 3
   * and 4 as they were before the pressure test.
   */
  @Test
  void aCalleeWithAnInstanceDownOrUnreportedCountsAsUnderPressure() {
    assertThat(stormIntoARefusingCallee(0, 1)).isNotEmpty().allSatisfy(PreventionPolicyTest::onEdge1To2);
    assertThat(stormIntoARefusingCallee(0, -1)).isNotEmpty().allSatisfy(PreventionPolicyTest::onEdge1To2);
  }

  /**
   * A crashed instance holds its callers only until the load balancer ejects it (spec D3: 3 failed 5-s
   * health checks). After that, an agent with no instance left refuses every call at once, as a limit on
   * its edges would, but the limit's refusals are charged to the protection: an F3 episode that took
   * every instance of its target had its callers' edges limited for the 1 000 s to the episode's end.
   * So a down instance is pressure for {@link 15} seconds after it went down; a
   * second loss starts that time again.
   */
  @Test
  void aDownInstanceIsPressureOnlyUntilItIsEjected() {
    Calm c = calm();
    Snapshots s = c.s();
    List<Long> limitedAt = new ArrayList<>();
    for (int k = 0; k < 120; k++) {
      boolean back = k >= 60 && k < 80; // an instance back at k = 60, down again at k = 80
      s.errors[2] = back ? 0 : 100; // nothing left answers: every attempt fails at once
      s.successes[2] = back ? 100 : 0;
      s.util[2] = back ? 0.5 : 1.0; // an agent with no thread up reads as all busy (as the DES reports it)
      s.queue[2] = 0;
      s.healthy[2] = back ? 1 : 0;
      s.edgeAttempts[1] = back ? 100 : 300; // the callers' retries: three attempts a call
      s.edgeFailures[1] = back ? 0 : 300;
      for (Action a : c.step()) {
        onEdge1To2(a);
        limitedAt.add((long) k);
      }
    }
    assertThat(limitedAt).as("limits issued at these seconds of the outage").isNotEmpty()
        .allSatisfy(k -> assertThat(k < PreventionPolicy.EJECT_SEC || (k >= 80 && k < 80 + PreventionPolicy.EJECT_SEC)).isTrue());
    assertThat(limitedAt).anySatisfy(k -> assertThat(k).isGreaterThanOrEqualTo(80));
  }

  private static void onEdge1To2(Action a) {
    Action.RateLimit rl = (Action.RateLimit) a;
    assertThat(rl.agent()).isEqualTo(1);
    assertThat(rl.callee()).isEqualTo(2);
  }

  /**
   * A retry storm on the chain's edges for 20 s: {@code attempts} and {@code failures} per second on
   * 0 → 1 and on 1 → 2, while agent 2 has a queue and agent 1's threads and CPU are at {@code threads1}
   * and {@code cpu1}. Returns the actions.
   */
  private static List<Action> chainStorm(int[] attempts, int[] failures, double threads1, double cpu1) {
    Calm c = calm();
    c.s().queue[2] = 5;
    c.s().util[1] = threads1;
    List<Action> all = new ArrayList<>();
    for (int k = 0; k < 20; k++) {
      c.s().edgeAttempts[0] = attempts[0];
      c.s().edgeAttempts[1] = attempts[1];
      c.s().edgeFailures[0] = failures[0];
      c.s().edgeFailures[1] = failures[1];
      TelemetrySnapshot snap = c.s().next();
      snap.cpuUtilisation()[1] = cpu1;
      c.model().update(snap);
      all.addAll(c.policy().decide(snap, 0.0));
    }
    return all;
  }

  /**
   * When agent 2 fails under load, agent 1's requests fail with their calls to 2, and agent 0's calls
   * to 1 fail in turn. While agent 1 has spare threads and no queue, refusing calls to it cures nothing:
   * rules 3 and 4 limit only 1 → 2, where the pressure is. Limiting 0 → 1 too refused the hand-offs
   * into every stage of a b2-pipe pipeline behind one failing stage and made its cascades larger than
   * under no protection (docs/predictor.md). Once agent 1's threads are exhausted (waiting on 2, the
   * thread-exhaustion path of a cascade) its in-edge is limited as well.
   */
  @Test
  void onlyEdgesIntoAnAgentUnderPressureAreLimited() {
    int[] attempts = {200, 200};
    int[] failures = {100, 100};
    assertThat(chainStorm(attempts, failures, 0.5, 0.5)).isNotEmpty().allSatisfy(PreventionPolicyTest::onEdge1To2);
    // threads exhausted while the CPU idles: agent 1 waits on agent 2; and a saturated CPU
    for (double[] tc : new double[][] {{1.0, 0.5}, {0.5, 1.0}}) {
      List<Action> pressed = chainStorm(attempts, failures, tc[0], tc[1]);
      assertThat(pressed).as("threads %s, CPU %s", tc[0], tc[1])
          .anySatisfy(a -> assertThat(((Action.RateLimit) a).callee()).isEqualTo(1))
          .anySatisfy(a -> assertThat(((Action.RateLimit) a).callee()).isEqualTo(2));
    }
  }

  /**
   * Rule 4 on the chain's edge 1 → 2 into a slow callee: 20 calls/s at 400 in flight, a calm residence
   * of 20 s (an LLM pipeline stage). The snapshots report one number as queue and in-flight, so the
   * callee is also under pressure. For 40 s, every 10th second a burst of nested timeouts reports 60
   * failures on the edge's 20 attempts, and the other seconds none: 70% of the calls are answered.
   * {@code sustained}: 15 of every second's 20 attempts fail instead. Returns the actions.
   */
  private static List<Action> burstsIntoASlowCallee(PreventionPolicy.Config cfg, boolean sustained) {
    Calm c = calm(cfg, s -> {
      java.util.Arrays.fill(s.arrivals, 20);
      java.util.Arrays.fill(s.successes, 20);
      s.edgeAttempts[0] = 20;
      s.edgeAttempts[1] = 20;
      s.queue[2] = 400;
    });
    List<Action> all = new ArrayList<>();
    for (int k = 0; k < 40; k++) {
      c.s().edgeFailures[1] = sustained ? 15 : k % 10 == 0 ? 60 : 0;
      all.addAll(c.step());
    }
    return all;
  }

  /**
   * With latency windows, rule 4 judges an edge into a callee that takes 20 s over about 20 s. A burst of
   * more failures than attempts in one second then no longer reads as a callee that answers nothing.
   * Failures that persist (3 in 4 of the attempts) still get the throttle. The fast 3-s window
   * throttles the bursts: on b2-pipe that refused hand-offs the pipeline would have completed
   * (docs/predictor.md).
   */
  @Test
  void latencyWindowsJudgeAnEdgeIntoASlowCalleeOverItsLatency() {
    assertThat(burstsIntoASlowCallee(D.withLatencyWindows(false), false)).as("fast window: the bursts are throttled").isNotEmpty();
    PreventionPolicy.Config windows = D;
    assertThat(windows.latencyWindows()).as("on by default").isTrue();
    assertThat(burstsIntoASlowCallee(windows, false)).as("latency window: the bursts are not").isEmpty();
    assertThat(burstsIntoASlowCallee(windows, true)).as("latency window: persistent failures are").isNotEmpty()
        .allSatisfy(PreventionPolicyTest::onEdge1To2);
  }

  @Test
  void anEdgeBudgetIsRenewedWhileTheCalleeStillFails() {
    // 90 refusals by the limit plus a third of the 110 attempts it lets through failing at the callee
    List<Action> after = edgeBudgets(new int[] {200, 90 + 37}, new int[] {200, 100}, new ArrayList<>());
    assertThat(after).hasSizeGreaterThanOrEqualTo(60 / D.renewSec() - 2);
  }

  /**
   * Rule 3 on the chain's edge 1 → 2 when agent 1 itself gets twice its calm traffic (a surge, not a
   * retry storm): its first attempts double with it, so its budget is 1.1 × twice the calm attempt
   * rate. A limit at 1.1 × the calm rate would refuse half of the surge's first attempts.
   */
  @Test
  void anEdgeBudgetGrowsWithItsCallersOwnTraffic() {
    Calm c = calm();
    Snapshots s = c.s();
    s.queue[2] = 5;
    List<Action> all = new ArrayList<>();
    for (int k = 0; k < 20; k++) {
      s.arrivals[1] = 200;
      s.successes[1] = 200;
      s.edgeAttempts[0] = 200;
      s.edgeAttempts[1] = 200;
      s.edgeFailures[1] = 60;
      all.addAll(c.step());
    }
    assertThat(all).isNotEmpty().allSatisfy(a -> {
      Action.RateLimit rl = (Action.RateLimit) a;
      assertThat(rl.agent()).isEqualTo(1);
      assertThat(rl.callee()).isEqualTo(2);
      // well above the 110/s of a limit at the calm rate (the fast view of the surge ramps up over a few seconds)
      assertThat(rl.rps()).isGreaterThan(1.1 * 100 * 1.4).isLessThanOrEqualTo(1.1 * 200 + 1);
    });
  }

  /**
   * Rule 4 on the chain's edge 1 → 2 for 20 s in which its callee answers {@code ok} of the edge's
   * {@code attempts} per second and the attempt rate stays at its calm 100/s (no retry amplification,
   * so rule 3 stays quiet), with calls waiting in the callee's queue.
   */
  private static List<Action> failingEdge(PreventionPolicy.Config cfg, int attempts, int ok) {
    Calm c = calm(cfg);
    c.s().queue[2] = 5;
    List<Action> all = new ArrayList<>();
    for (int k = 0; k < 20; k++) {
      c.s().edgeAttempts[1] = attempts;
      c.s().edgeFailures[1] = attempts - ok;
      all.addAll(c.step());
    }
    return all;
  }

  @Test
  void anEdgeWhoseCalleeAnswersLessThanHalfIsThrottledAtTwiceItsSuccesses() {
    List<Action> on = failingEdge(D, 100, 30);
    assertThat(on).isNotEmpty().allSatisfy(a -> {
      Action.RateLimit rl = (Action.RateLimit) a;
      assertThat(rl.agent()).isEqualTo(1);
      assertThat(rl.callee()).isEqualTo(2);
      // K = 2 × the fast successes, which fall from 100/s towards 30/s over the first seconds
      assertThat(rl.rps()).isGreaterThanOrEqualTo(2 * 30 - 1).isLessThan(100);
    });
    assertThat(((Action.RateLimit) on.get(on.size() - 1)).rps()).isCloseTo(60, org.assertj.core.data.Offset.offset(2.0));
    assertThat(on.size()).as("renewed every %d s", D.renewSec()).isBetween(20 / D.renewSec() - 1, 20 / D.renewSec() + 1);
    assertThat(failingEdge(D.withThrottleK(0), 100, 30)).as("rule 4 off: rule 3 alone sees no amplification").isEmpty();
  }

  @Test
  void anEdgeWhoseCalleeStillAnswersMoreThanHalfIsNotThrottled() {
    assertThat(failingEdge(D, 100, 60)).isEmpty();
    assertThat(failingEdge(D.withThrottleK(1.5), 100, 60)).as("K = 1.5 throttles below 2/3 answered").isNotEmpty();
  }

  @Test
  void badConfigIsRefusedWithTheValues() {
    assertThatThrownBy(() -> D.withThrottleK(0.5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("throttleK=0.5");
    assertThatThrownBy(() -> new PreventionPolicy.Config(300, 1.5, 3, 3, 0.85, 1.3, 1.1, 15_000, 5, 0.3, 0.02, 0.6, 0.4, true, true, false, 2.0, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cpuSaturated=1.5");
  }
}
