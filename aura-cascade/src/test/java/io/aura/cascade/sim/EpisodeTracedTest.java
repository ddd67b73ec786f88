package io.aura.cascade.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link Episode#runTraced}: the same episode as {@link Episode#run}, with the FAILED ticks that make up S. */
class EpisodeTracedTest {
  @Test
  void theTracedEpisodeIsTheSameEpisodeAndItsFailedTicksAddUpToS() {
    EpisodeParams params = EpisodeParams.defaults().withDuration(1000, 200);
    for (long seed = 1; seed <= 4; seed++) {
      SimTopology t = Families.build("dsb-sn", 0.2, seed);
      EpisodeResult plain = Episode.run(t, params, CascadeGuard.none(), seed);
      Episode.Traced traced = Episode.runTraced(t, params, CascadeGuard.none(), seed);
      assertThat(traced.result().traceSha256()).isEqualTo(plain.traceSha256());
      int[] first = traced.firstFailedSec();
      assertThat(first).hasSize(t.agentCount());
      for (int a : plain.faultedAgents()) {
        assertThat(first[a]).as("agents in F0 are not counted").isEqualTo(-1);
      }
      long failed = Arrays.stream(first).filter(x -> x >= 0).count();
      double denom = Math.max(1, t.agentCount() - plain.faultedAgents().length);
      assertThat(failed / denom).isEqualTo(plain.cascadeSize());
      for (int x : first) {
        if (x >= 0) {
          assertThat((double) x).isGreaterThanOrEqualTo(Math.floor(plain.faultTimeSec())).isLessThanOrEqualTo(1000);
        }
      }
      if (plain.onset5Sec().isPresent()) {
        // the earliest FAILED tick is no later than the 5% onset
        assertThat((double) Arrays.stream(first).filter(x -> x >= 0).min().getAsInt()).isLessThanOrEqualTo(plain.onset5Sec().getAsDouble());
      }
    }
  }
}
