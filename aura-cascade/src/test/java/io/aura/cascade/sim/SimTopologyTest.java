package io.aura.cascade.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SimTopologyTest {
  private static final long MS = 1_000_000L;

  @Test
  void designRatesSolveTheLinearSystem() {
    // 0 -> 1 (pi 0.5, m 2), 0 -> 2 (pi 1, m 1), 1 -> 2 (pi 0.5, m 1)
    SimTopology t = SimTopology.builder(3)
        .agent(0, 2 * MS, 0, 100).agent(1, 5 * MS, 0, 0).agent(2, 1 * MS, 0, 10)
        .call(0, 1, 0.5, 2).call(0, 2, 1.0, 1).call(1, 2, 0.5, 1)
        .buildProvisioned(0.2, 1);
    assertThat(t.designArrivalRatePerSec(0)).isCloseTo(100, within(1e-9));
    assertThat(t.designArrivalRatePerSec(1)).isCloseTo(100, within(1e-9));
    assertThat(t.designArrivalRatePerSec(2)).isCloseTo(10 + 100 + 50, within(1e-9));
    for (int i = 0; i < 3; i++) {
      double rho = t.designUtilisation(i);
      assertThat(rho).isLessThan(1.0).isGreaterThan(0.0);
      long threads = (long) t.threadsPerInstance(i) * t.instances(i);
      assertThat(threads).isGreaterThanOrEqualTo(
          (long) Math.ceil(2.0 * t.designArrivalRatePerSec(i) * t.designResponseNs(i) * 1e-9));
    }
    // timeout rule: max(50 ms, ln(1000) R^d(callee))
    for (int e = 0; e < t.edgeCount(); e++) {
      double want = Math.max(50 * MS, Math.log(1000) * t.designResponseNs(t.callee(e)));
      assertThat((double) t.timeoutNs(e)).isCloseTo(want, within(1.0));
      assertThat(t.maxAttempts(e)).isEqualTo(3);
      assertThat(t.retryWaitNs(e)).isEqualTo(500 * MS);
    }
    // CSR grouped by caller
    assertThat(t.edgeStart(0)).isZero();
    assertThat(t.edgeStart(1)).isEqualTo(2);
    assertThat(t.edgeStart(3)).isEqualTo(3);
  }

  @Test
  void provisioningWithZeroAlphaGivesUtilisationOne() {
    SimTopology t = SimTopology.builder(1).agent(0, 10 * MS, 0, 500).buildProvisioned(0.0, 3);
    assertThat(t.designUtilisation(0)).isCloseTo(1.0, within(1e-9));
    assertThat(t.instances(0)).isEqualTo(2); // 5 cores, at most 4 per instance
    // too little traffic for one core: the 1-core floor applies and rho is below nominal
    SimTopology small = SimTopology.builder(1).agent(0, 10 * MS, 0, 5).buildProvisioned(0.0, 3);
    assertThat(small.coresPerInstance(0)).isEqualTo(1.0);
    assertThat(small.designUtilisation(0)).isCloseTo(0.05, within(1e-9));
  }

  @Test
  void cyclesConvergeOrFail() {
    // with re-entry allowed the linear model λ = λ_ext + Π^T λ holds
    SimTopology ok = SimTopology.builder(2).allowReentry(true).agent(0, MS, 0, 10).agent(1, MS, 0, 0)
        .call(0, 1, 1.0, 1).call(1, 0, 0.5, 1).buildProvisioned(0.2, 1);
    assertThat(ok.designArrivalRatePerSec(0)).isCloseTo(20, within(1e-6));
    assertThatThrownBy(() -> SimTopology.builder(2).allowReentry(true).agent(0, MS, 0, 10).agent(1, MS, 0, 0)
        .call(0, 1, 1.0, 2).call(1, 0, 1.0, 1).buildProvisioned(0.2, 1))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("spectral radius");
  }

  @Test
  void withoutReentryCyclesAreSampledAndFinite() {
    // 0 -> 1 -> 0: the back call would re-enter 0, so it is never made; 1 is visited twice per request (m = 2)
    SimTopology t = SimTopology.builder(2).agent(0, MS, 0, 10).agent(1, MS, 0, 0)
        .call(0, 1, 1.0, 2).call(1, 0, 1.0, 1).buildProvisioned(0.2, 1);
    assertThat(t.designArrivalRatePerSec(0)).isCloseTo(10, within(1e-9));
    assertThat(t.designArrivalRatePerSec(1)).isCloseTo(20, within(1e-9));
    // 3 agents, 0 -> 1 (π 0.5) -> 2 -> 1 (back, skipped when 1 is on the path), 0 -> 2 -> 1 allowed
    SimTopology u = SimTopology.builder(3).agent(0, MS, 0, 100).agent(1, MS, 0, 0).agent(2, MS, 0, 0)
        .call(0, 1, 0.5, 1).call(0, 2, 1.0, 1).call(1, 2, 1.0, 1).call(2, 1, 0.5, 1).buildProvisioned(0.2, 1);
    // exact: λ1 = 100(0.5 + 0.5·(1 − 0.5)·0.5 ... ) computed by enumeration below
    // request: with p .5 visit 1 -> 2 (2 cannot call 1: on path); then 0 -> 2 -> 1 w.p. .5 (1 not on path now) -> 1 -> 2? 2 on path: skipped
    double l1 = 100 * (0.5 + 0.5);
    double l2 = 100 * (0.5 + 1.0);
    assertThat(u.designArrivalRatePerSec(1)).isCloseTo(l1, within(l1 * 0.02));
    assertThat(u.designArrivalRatePerSec(2)).isCloseTo(l2, within(l2 * 0.02));
  }

  @Test
  void exclusiveGroupsAreContiguousAndValidated() {
    SimTopology t = SimTopology.builder(4).agent(0, MS, 0, 10).agent(1, MS, 0, 0).agent(2, MS, 0, 0).agent(3, MS, 0, 0)
        .call(0, 1, 0.6, 1, 1, 0, false, -1, 3, SimTopology.Backoff.fixed(500 * MS))
        .call(0, 3, 1.0, 1)
        .call(0, 2, 0.4, 1, 3, 0, false, -1, 3, SimTopology.Backoff.fixed(500 * MS))
        .buildProvisioned(0.2, 1);
    // group members first (edges 0 and 1), then the independent edge
    assertThat(t.callee(0)).isEqualTo(1);
    assertThat(t.callee(1)).isEqualTo(2);
    assertThat(t.groupFirst(1)).isZero();
    assertThat(t.groupEnd(0)).isEqualTo(2);
    assertThat(t.groupFirst(2)).isEqualTo(-1);
    assertThat(t.expectedCalls(1)).isCloseTo(0.8, within(1e-12));
    assertThat(t.designArrivalRatePerSec(2)).isCloseTo(8, within(1e-9));
    assertThatThrownBy(() -> SimTopology.builder(3).agent(0, MS, 0, 10).agent(1, MS, 0, 0).agent(2, MS, 0, 0)
        .call(0, 1, 0.6, 1, 1, 0, false, -1, 3, SimTopology.Backoff.fixed(0))
        .call(0, 2, 0.6, 1, 1, 0, false, -1, 3, SimTopology.Backoff.fixed(0)).buildProvisioned(0.2, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("summing to 1.2");
  }

  @Test
  void backoffSchedules() {
    SimTopology.Backoff sdk = SimTopology.Backoff.openAiSdk();
    assertThat(sdk.waitNs(1, 0.0)).isEqualTo(500 * MS);
    assertThat(sdk.waitNs(2, 0.0)).isEqualTo(1000 * MS);
    assertThat(sdk.waitNs(6, 0.0)).isEqualTo(8000 * MS); // capped
    assertThat(sdk.waitNs(1, 0.999999)).isCloseTo(375 * MS, within(MS));
    assertThat(SimTopology.Backoff.fixed(500 * MS).waitNs(3, 0.7)).isEqualTo(500 * MS);
    assertThatThrownBy(() -> new SimTopology.Backoff(10, 0.5, 10, 0)).hasMessageContaining("multiplier");
  }

  @Test
  void latencyBoundAgentsGetAConcurrencyLimitAndATokenBucket() {
    SimTopology t = SimTopology.builder(2).agent(0, MS, 0, 4).agent(1, 3000 * MS, 0, 0)
        .latencyBound(1).serviceLogNormal(1, 0.5).call(0, 1, 1.0, 1).buildProvisioned(0.25, 1);
    double mean = 3000 * MS * Math.exp(0.125);
    assertThat(t.meanServiceNs(1)).isCloseTo(mean, within(1.0));
    assertThat(t.queueCapacity(1)).isZero();
    assertThat(t.coresPerInstance(1)).isEqualTo(t.threadsPerInstance(1));
    assertThat(t.threadsPerInstance(1) * t.instances(1)).isEqualTo((int) Math.ceil(2 * 4 * mean * 1e-9));
    assertThat(t.tokenRatePerSec(1)).isGreaterThan(4.0).isLessThan(4 * 2.5);
    assertThat(t.tokenBurst(1)).isEqualTo(Math.max(1.0, t.tokenRatePerSec(1)));
  }

  @Test
  void validatesInputs() {
    assertThatThrownBy(() -> SimTopology.builder(2).agent(0, 0, 0, 1)).hasMessageContaining("cpuDemandNs");
    assertThatThrownBy(() -> SimTopology.builder(2).call(0, 0, 1, 1)).hasMessageContaining("self-call");
    assertThatThrownBy(() -> SimTopology.builder(2).agent(0, MS, 0, 1).agent(1, MS, 0, 0).build())
        .hasMessageContaining("capacity");
  }
}
