package io.aura.cascade.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A DES episode tells its progress each simulated second, and is the same episode for it. */
class EpisodeProgressTest {

  @Test
  void everySimulatedSecondIsToldAndTheEpisodeIsUnchanged() {
    SimTopology t = Families.build("dsb-sn", 0.2, 3);
    EpisodeParams p = EpisodeParams.defaults().withDuration(900, 150);
    List<Long> seconds = new ArrayList<>();
    EpisodeResult told = Episode.run(t, p, CascadeGuard.none(), 3, seconds::add);
    EpisodeResult plain = Episode.run(t, p, CascadeGuard.none(), 3);
    assertThat(told.traceSha256()).isEqualTo(plain.traceSha256());
    assertThat(seconds).hasSizeBetween(899, 900);
    for (int i = 0; i < seconds.size(); i++) {
      assertThat(seconds.get(i)).isEqualTo(i + 1L);
    }
  }
}
