package io.aura.cascade.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The 1000-agent speed episode replays bit for bit (tagged slow: run with -Pslow). */
@Tag("slow")
class DesScaleTest {
  @Test
  void thousandAgentEpisodeReplays() {
    SimTopology t = TestTopologies.randomDag(1000, 10, 20, 0.2, 1);
    EpisodeParams p = EpisodeParams.defaults();
    EpisodeResult a = Episode.run(t, p, CascadeGuard.none(), 1);
    EpisodeResult b = Episode.run(t, p, CascadeGuard.none(), 1);
    assertThat(a.events()).isGreaterThan(10_000_000L);
    assertThat(b.traceSha256()).isEqualTo(a.traceSha256());
    assertThat(b).usingRecursiveComparison().ignoringFields("predictNanos").isEqualTo(a);
  }
}
