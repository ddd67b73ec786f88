package io.aura.cascade.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.aura.cascade.graph.ServiceGraph;
import org.junit.jupiter.api.Test;

/**
 * Spec D3 provisioning as the bridge applies it to ALI-1000 (exact CPU quota): entry rates split by
 * the Zipf shares; {@code k_i r_i = (1+α_i) λ^d_i d_i}, i.e. ρ^d_i = 1/(1+α_i), with
 * α_i = α·LogNormal(0, 0.3) (mean of ln(α_i/α) 0, standard deviation 0.3 over the agents);
 * {@code c_i r_i ≥ ⌈2 λ^d_i R^d_i⌉}; τ_ij = max(50 ms, ln(1000)·R^d_j); the demand in ns.
 */
class AliProvisioningTest {
  @Test
  void aliThousandFollowsTheD3Rule() {
    double alpha = 0.2;
    SimTopology t = Families.build("ali-1000", alpha, 3);
    ServiceGraph g = Families.graph("ali-1000", 3);
    double rate = Families.defaultEntryRate("ali-1000");
    int n = t.agentCount();
    double s = 0;
    double s2 = 0;
    int live = 0;
    for (int i = 0; i < n; i++) {
      assertThat(t.entryRatePerSec(i)).isCloseTo(rate * g.entryShare(i), within(1e-9));
      assertThat(t.meanServiceNs(i)).isEqualTo((double) Math.max(1_000L, g.cpuDemandNs(i)));
      double lambda = t.designArrivalRatePerSec(i);
      if (lambda == 0) {
        continue;
      }
      double total = t.coresPerInstance(i) * t.instances(i);
      assertThat(t.instances(i)).isEqualTo(Math.max(1, (int) Math.ceil(total / 4.0 - 1e-9)));
      double ai = 1 / t.designUtilisation(i) - 1;
      double z = Math.log(ai / alpha);
      s += z;
      s2 += z * z;
      live++;
      long threads = (long) t.threadsPerInstance(i) * t.instances(i);
      assertThat(threads).isGreaterThanOrEqualTo((long) Math.ceil(2.0 * lambda * t.designResponseNs(i) * 1e-9 - 1e-9));
    }
    double mean = s / live;
    double sd = Math.sqrt(s2 / live - mean * mean);
    assertThat(live).isGreaterThan(500);
    assertThat(mean).isCloseTo(0.0, within(0.04));
    assertThat(sd).isCloseTo(0.3, within(0.03));
    for (int e = 0; e < t.edgeCount(); e++) {
      double want = Math.max(50e6, Math.log(1000) * t.designResponseNs(t.callee(e)));
      assertThat((double) t.timeoutNs(e)).isCloseTo(want, within(1.0));
    }
  }
}
