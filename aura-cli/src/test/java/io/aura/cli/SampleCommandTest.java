package io.aura.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code aura sample}: seeded clouds, and options that would do nothing are refused. */
class SampleCommandTest {

    @Test
    void theSameSeedGivesTheSameCloud() {
        CliRun a = CliRun.of("sample", "circle", "--points", "20", "--seed", "3");
        CliRun b = CliRun.of("sample", "circle", "--points", "20", "--seed", "3");
        assertThat(a.code()).isZero();
        assertThat(a.out()).isEqualTo(b.out());
        assertThat(a.out().lines()).hasSize(20);
        assertThat(CliRun.of("sample", "circle", "--points", "20", "--seed", "4").out()).isNotEqualTo(a.out());
    }

    @Test
    void noiseOnAShapeSampledWithoutNoiseIsRefused() {
        CliRun r = CliRun.of("sample", "torus", "--points", "10", "--noise", "5");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--noise applies to circle and sphere only");
        assertThat(CliRun.of("sample", "sphere", "--points", "10", "--noise", "0.2").code()).isZero();
        assertThat(CliRun.of("sample", "torus", "--points", "10").code()).isZero();
    }
}
