package io.aura.cascade.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** D4 hysteresis table: ramp ρ0 up past the knee, collapse, ramp down, recover below 1/A. */
class RetryStormFluidTest {

  @ParameterizedTest(name = "A={0}, tau*mu={1}: knee {2}")
  @CsvSource({"2, 10, 0.705", "3, 5, 0.551", "3, 10, 0.695", "4, 10, 0.694", "3, 27.6, 0.849"})
  void hysteresisMatchesTable(int attempts, double tauMu, double tableKnee) {
    RetryStormFluid m = new RetryStormFluid(attempts, tauMu);
    assertThat(m.knee()).isCloseTo(tableKnee, within(0.03));

    double step = 0.002;
    double rho = 0;
    double rho0 = 0.2;
    double collapsedAt = Double.NaN;
    while (rho0 < 0.99) {
      rho = m.relax(rho0, rho, 4000, 0.25);
      if (rho >= 1) {
        collapsedAt = rho0;
        break;
      }
      rho0 += step;
    }
    assertThat(collapsedAt).as("collapse on the way up").isCloseTo(tableKnee, within(0.03));

    // push a bit further, then ramp down: stays collapsed until rho0 < 1/A
    rho0 = Math.min(0.99, collapsedAt + 0.05);
    rho = m.relax(rho0, rho, 4000, 0.25);
    double recoveredAt = Double.NaN;
    while (rho0 > 0.01) {
      rho = m.relax(rho0, rho, 4000, 0.25);
      if (rho < 1) {
        recoveredAt = rho0;
        break;
      }
      rho0 -= step;
    }
    assertThat(recoveredAt).as("recovery on the way down").isCloseTo(1.0 / attempts, within(0.03));
    assertThat(rho).as("recovered to the healthy branch").isLessThan(1.0);
    assertThat(m.relax(recoveredAt, rho, 20000, 0.25)).isLessThan(0.6);
  }

  @ParameterizedTest
  @CsvSource({"3, 10, 0.5", "3, 10, 0.6", "2, 10, 0.55"})
  void bistableBetweenOneOverAAndKnee(int attempts, double tauMu, double rho0) {
    RetryStormFluid m = new RetryStormFluid(attempts, tauMu);
    assertThat(m.relax(rho0, 0.0, 20000, 0.25)).isLessThan(1.0);
    assertThat(m.relax(rho0, 1.5, 20000, 0.25)).isGreaterThanOrEqualTo(1.0);
  }
}
