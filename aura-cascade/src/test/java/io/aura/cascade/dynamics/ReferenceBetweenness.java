package io.aura.cascade.dynamics;

import io.aura.cascade.graph.UndirectedGraph;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Slow textbook betweenness: all-pairs BFS distances and path counts, then
 * L_i = Σ_{s≠i≠t, d(s,i)+d(i,t)=d(s,t)} σ_si σ_it / σ_st over ordered pairs. O(n^3).
 */
final class ReferenceBetweenness {
    private ReferenceBetweenness() {
    }

    static double[] of(UndirectedGraph g, boolean[] alive) {
        int n = g.nodeCount();
        int[][] d = new int[n][];
        double[][] sigma = new double[n][];
        for (int s = 0; s < n; s++) {
            d[s] = new int[n];
            sigma[s] = new double[n];
            Arrays.fill(d[s], -1);
            if (!alive[s]) {
                continue;
            }
            d[s][s] = 0;
            sigma[s][s] = 1;
            ArrayDeque<Integer> q = new ArrayDeque<>();
            q.add(s);
            while (!q.isEmpty()) {
                int v = q.poll();
                for (int k = 0; k < g.degree(v); k++) {
                    int w = g.neighbour(v, k);
                    if (!alive[w]) {
                        continue;
                    }
                    if (d[s][w] < 0) {
                        d[s][w] = d[s][v] + 1;
                        q.add(w);
                    }
                    if (d[s][w] == d[s][v] + 1) {
                        sigma[s][w] += sigma[s][v];
                    }
                }
            }
        }
        double[] load = new double[n];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < n; s++) {
                for (int t = 0; t < n; t++) {
                    if (s == i || t == i || s == t || !alive[i] || d[s][t] < 0 || d[s][i] < 0 || d[i][t] < 0) {
                        continue;
                    }
                    if (d[s][i] + d[i][t] == d[s][t]) {
                        load[i] += sigma[s][i] * sigma[i][t] / sigma[s][t];
                    }
                }
            }
        }
        return load;
    }
}
