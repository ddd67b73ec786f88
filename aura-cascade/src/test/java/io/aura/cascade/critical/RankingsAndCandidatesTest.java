package io.aura.cascade.critical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RankingsAndCandidatesTest {
  @Test
  void rankingIsDescendingWithTiesByIndex() {
    assertThat(Rankings.descending(new double[] {0.5, 2, 0.5, 2, 0})).containsExactly(1, 3, 0, 2, 4);
    assertThatThrownBy(() -> Rankings.descending(new double[] {1, Double.NaN}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agent 1");
  }

  @Test
  void restrictKeepsTheOrderInCandidateIndices() {
    // candidates 7, 2, 5 -> indices 0, 1, 2
    assertThat(Rankings.restrict(new int[] {5, 0, 9, 2, 7, 1}, new int[] {7, 2, 5}, 10)).containsExactly(2, 1, 0);
  }

  @Test
  void everyAgentIsACandidateUpTo200() {
    int[] c = CandidateSet.select(200, List.of(new int[] {3, 1}), 1);
    assertThat(c).hasSize(200);
    assertThat(c[199]).isEqualTo(199);
  }

  @Test
  void aboveThatTheTopOfEachRankingPlusFiftyRandomAgents() {
    int n = 1000;
    int[] up = new int[n];
    int[] down = new int[n];
    int[] same = new int[n];
    for (int i = 0; i < n; i++) {
      up[i] = i;
      down[i] = n - 1 - i;
      same[i] = i; // overlaps "up" entirely
    }
    int[] c = CandidateSet.select(n, List.of(up, down, same), 9);
    Set<Integer> set = new HashSet<>();
    for (int a : c) {
      set.add(a);
    }
    for (int j = 0; j < CandidateSet.TOP_EACH; j++) {
      assertThat(set).contains(up[j], down[j]);
    }
    assertThat(c).hasSize(2 * CandidateSet.TOP_EACH + CandidateSet.RANDOM_AGENTS);
    int[] sorted = c.clone();
    Arrays.sort(sorted);
    assertThat(c).containsExactly(sorted);
    assertThat(CandidateSet.select(n, List.of(up, down, same), 9)).containsExactly(c);
    assertThat(CandidateSet.select(n, List.of(up, down, same), 10)).isNotEqualTo(c);
  }
}
