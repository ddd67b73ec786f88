package io.aura.cascade.critical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.aura.cascade.random.SplitMix64;
import io.aura.cascade.sim.StaticTopology;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallGraphCentralityTest {
  private static StaticTopology graph(int n, int[]... edges) {
    int[] a = new int[edges.length];
    int[] b = new int[edges.length];
    for (int e = 0; e < edges.length; e++) {
      a[e] = edges[e][0];
      b[e] = edges[e][1];
    }
    return new StaticTopology(n, a, b);
  }

  /** Star with hub 3: agents 0, 1, 2 call the hub, the hub calls 4 and 5. */
  private static StaticTopology star() {
    return graph(6, new int[] {0, 3}, new int[] {1, 3}, new int[] {2, 3}, new int[] {3, 4}, new int[] {3, 5});
  }

  @Test
  void theHubOfAStarRanksFirstByEveryStructuralScore() {
    StaticTopology g = star();
    double[] deg = CallGraphCentrality.degree(g);
    assertThat(deg).containsExactly(1, 1, 1, 5, 1, 1);
    double[] bc = CallGraphCentrality.betweenness(g);
    // every path from {0,1,2} to {4,5} runs through the hub: 3 x 2 ordered pairs
    assertThat(bc).containsExactly(0, 0, 0, 6, 0, 0);
    double[] pr = CallGraphCentrality.dependentsPageRank(g);
    assertThat(Arrays.stream(pr).sum()).isCloseTo(1.0, within(1e-9));
    for (String name : List.of("degree", "betweenness", "pagerank")) {
      double[] s = switch (name) {
        case "degree" -> deg;
        case "betweenness" -> bc;
        default -> pr;
      };
      assertThat(Rankings.descending(s)[0]).as(name).isEqualTo(3);
    }
  }

  @Test
  void aChainRanksItsMiddleByBetweennessAndItsEndByDependents() {
    // 0 -> 1 -> 2 -> 3 -> 4: agent 4 is what everybody depends on
    StaticTopology g = graph(5, new int[] {0, 1}, new int[] {1, 2}, new int[] {2, 3}, new int[] {3, 4});
    assertThat(Rankings.descending(CallGraphCentrality.degree(g))).containsExactly(1, 2, 3, 0, 4);
    double[] bc = CallGraphCentrality.betweenness(g);
    assertThat(bc).containsExactly(0, 3, 4, 3, 0);
    assertThat(Rankings.descending(bc)).containsExactly(2, 1, 3, 0, 4);
    double[] pr = CallGraphCentrality.dependentsPageRank(g);
    assertThat(Rankings.descending(pr)).containsExactly(4, 3, 2, 1, 0);
  }

  @Test
  void parallelEdgesAndSelfLoopsAreIgnored() {
    StaticTopology plain = star();
    StaticTopology noisy = graph(6, new int[] {0, 3}, new int[] {0, 3}, new int[] {1, 3}, new int[] {2, 3}, new int[] {3, 3},
        new int[] {3, 4}, new int[] {3, 5}, new int[] {3, 5});
    assertThat(CallGraphCentrality.degree(noisy)).containsExactly(CallGraphCentrality.degree(plain));
    assertThat(CallGraphCentrality.betweenness(noisy)).containsExactly(CallGraphCentrality.betweenness(plain));
    assertThat(CallGraphCentrality.dependentsPageRank(noisy)).containsExactly(CallGraphCentrality.dependentsPageRank(plain));
  }

  @Test
  void betweennessMatchesAllPairsPathCountingOnRandomDigraphs() {
    SplitMix64 rng = new SplitMix64(42);
    for (int trial = 0; trial < 20; trial++) {
      int n = 5 + rng.nextInt(25);
      List<int[]> edges = new ArrayList<>();
      for (int a = 0; a < n; a++) {
        for (int b = 0; b < n; b++) {
          if (a != b && rng.nextDouble() < 3.0 / n) {
            edges.add(new int[] {a, b});
          }
        }
      }
      StaticTopology g = graph(n, edges.toArray(new int[0][]));
      double[] fast = CallGraphCentrality.betweenness(g);
      double[] ref = reference(n, edges);
      for (int v = 0; v < n; v++) {
        assertThat(fast[v]).as("trial %d node %d", trial, v).isCloseTo(ref[v], within(1e-9 * Math.max(1, ref[v])));
      }
    }
  }

  /** σ_st(v) = σ_sv σ_vt when d(s,v) + d(v,t) = d(s,t); all-pairs BFS. */
  private static double[] reference(int n, List<int[]> edges) {
    int[][] d = new int[n][n];
    double[][] sigma = new double[n][n];
    for (int s = 0; s < n; s++) {
      Arrays.fill(d[s], -1);
      d[s][s] = 0;
      sigma[s][s] = 1;
      for (int level = 0; level < n; level++) {
        for (int[] e : edges) {
          if (d[s][e[0]] == level && (d[s][e[1]] == -1 || d[s][e[1]] == level + 1)) {
            d[s][e[1]] = level + 1;
            sigma[s][e[1]] += sigma[s][e[0]];
          }
        }
      }
    }
    double[] c = new double[n];
    for (int s = 0; s < n; s++) {
      for (int t = 0; t < n; t++) {
        if (s == t || d[s][t] < 0) {
          continue;
        }
        for (int v = 0; v < n; v++) {
          if (v != s && v != t && d[s][v] >= 0 && d[v][t] >= 0 && d[s][v] + d[v][t] == d[s][t]) {
            c[v] += sigma[s][v] * sigma[v][t] / sigma[s][t];
          }
        }
      }
    }
    return c;
  }

  @Test
  void pageRankIsTheFixedPointOfItsEquation() {
    SplitMix64 rng = new SplitMix64(7);
    int n = 40;
    List<int[]> edges = new ArrayList<>();
    for (int a = 0; a < n; a++) {
      for (int b = a + 1; b < n; b++) {
        if (rng.nextDouble() < 0.08) {
          edges.add(new int[] {a, b});
        }
      }
    }
    StaticTopology g = graph(n, edges.toArray(new int[0][]));
    double[] pr = CallGraphCentrality.dependentsPageRank(g);
    int[] out = new int[n];
    for (int[] e : edges) {
      out[e[0]]++;
    }
    double dangling = 0;
    for (int v = 0; v < n; v++) {
      dangling += out[v] == 0 ? pr[v] : 0;
    }
    double d = CallGraphCentrality.DAMPING;
    double[] rhs = new double[n];
    Arrays.fill(rhs, (1 - d) / n + d * dangling / n);
    for (int[] e : edges) {
      rhs[e[1]] += d * pr[e[0]] / out[e[0]];
    }
    for (int v = 0; v < n; v++) {
      assertThat(pr[v]).isCloseTo(rhs[v], within(1e-10));
    }
    assertThat(Arrays.stream(pr).sum()).isCloseTo(1.0, within(1e-9));
  }
}
