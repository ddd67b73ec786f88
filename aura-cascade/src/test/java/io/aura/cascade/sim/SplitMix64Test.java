package io.aura.cascade.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SplitMix64Test {
  @Test
  void referenceOutputsForSeedZero() {
    SplitMix64 r = new SplitMix64(0);
    assertThat(r.next()).isEqualTo(0xE220A8397B1DCDAFL);
    assertThat(r.next()).isEqualTo(0x6E789E6AA1B965F4L);
    assertThat(r.next()).isEqualTo(0x06C45D188009454FL);
  }

  @Test
  void fnv1aReferenceValues() {
    assertThat(SplitMix64.fnv1a64("")).isEqualTo(0xcbf29ce484222325L);
    assertThat(SplitMix64.fnv1a64("a")).isEqualTo(0xaf63dc4c8601ec8cL);
  }

  @Test
  void namedStreamsFollowTheSpecFormula() {
    long master = 42;
    long expected = new SplitMix64(master ^ SplitMix64.fnv1a64("fault")).next();
    assertThat(SplitMix64.streamSeed(master, "fault")).isEqualTo(expected);
    assertThat(SplitMix64.streamSeed(master, "fault")).isNotEqualTo(SplitMix64.streamSeed(master, "graph"));
  }

  @Test
  void uniformAndExponentialMoments() {
    SplitMix64 r = new SplitMix64(7);
    double sum = 0;
    double sumExp = 0;
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      double u = r.nextDouble();
      assertThat(u).isGreaterThanOrEqualTo(0).isLessThan(1);
      sum += u;
      sumExp += r.exponential(2.0);
    }
    assertThat(sum / n).isBetween(0.495, 0.505);
    assertThat(sumExp / n).isBetween(1.98, 2.02);
  }
}
