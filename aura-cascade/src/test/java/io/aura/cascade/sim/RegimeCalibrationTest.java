package io.aura.cascade.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aura.cascade.CascadeInputException;
import org.junit.jupiter.api.Test;

class RegimeCalibrationTest {
  @Test
  void measureIsDeterministicAndCountsCascades() {
    RegimeCalibration.Point a = RegimeCalibration.measure("ali-100", 0.9, 0.2, 1.0, 1, 2, 1);
    RegimeCalibration.Point b = RegimeCalibration.measure("ali-100", 0.9, 0.2, 1.0, 1, 2, 2);
    assertThat(a).isEqualTo(b); // parallel or not, same seeds give the same count
    assertThat(a.episodes()).isEqualTo(2);
    assertThat(a.cascades()).isBetween(0, 2);
    assertThat(a.probability()).isEqualTo(a.cascades() / 2.0);
  }

  @Test
  void headlineRecordIsConsistent() {
    assertThat(RegimeCalibration.headlineMagnitudes()).isEqualTo(FaultMagnitudes.standard().scaled(RegimeCalibration.HEADLINE_SCALE));
    boolean in = RegimeCalibration.HEADLINE_PROBABILITY >= RegimeCalibration.LOW
        && RegimeCalibration.HEADLINE_PROBABILITY <= RegimeCalibration.HIGH;
    assertThat(RegimeCalibration.HEADLINE_IN_RANGE).isEqualTo(in);
    assertThatThrownBy(() -> RegimeCalibration.measure(1.0, 1, 0, 1)).isInstanceOf(CascadeInputException.class)
        .hasMessageContaining("seeds >= 1");
  }
}
