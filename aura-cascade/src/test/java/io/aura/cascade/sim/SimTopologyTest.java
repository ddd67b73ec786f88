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
    SimTopology ok = SimTopology.builder(2).agent(0, MS, 0, 10).agent(1, MS, 0, 0)
        .call(0, 1, 1.0, 1).call(1, 0, 0.5, 1).buildProvisioned(0.2, 1);
    assertThat(ok.designArrivalRatePerSec(0)).isCloseTo(20, within(1e-6));
    assertThatThrownBy(() -> SimTopology.builder(2).agent(0, MS, 0, 10).agent(1, MS, 0, 0)
        .call(0, 1, 1.0, 2).call(1, 0, 1.0, 1).buildProvisioned(0.2, 1))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("spectral radius");
  }

  @Test
  void validatesInputs() {
    assertThatThrownBy(() -> SimTopology.builder(2).agent(0, 0, 0, 1)).hasMessageContaining("cpuDemandNs");
    assertThatThrownBy(() -> SimTopology.builder(2).call(0, 0, 1, 1)).hasMessageContaining("self-call");
    assertThatThrownBy(() -> SimTopology.builder(2).agent(0, MS, 0, 1).agent(1, MS, 0, 0).build())
        .hasMessageContaining("capacity");
  }
}
