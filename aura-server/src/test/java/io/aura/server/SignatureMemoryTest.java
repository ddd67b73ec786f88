package io.aura.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.aura.tda.PersistenceDiagram;
import io.aura.tda.PersistenceLandscape;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The topological memory's landscape distance and its pruned nearest-neighbour search. */
class SignatureMemoryTest {

    /** A diagrams array of the analyze document's shape: per dimension, [[birth, death|null], ..]. */
    static JsonNode diagrams(double[][]... byDim) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (int d = 0; d < byDim.length; d++) {
            if (byDim[d] == null) {
                continue;
            }
            var dn = a.addObject();
            dn.put("dimension", d);
            ArrayNode iv = dn.putArray("intervals");
            for (double[] p : byDim[d]) {
                ArrayNode x = iv.addArray();
                x.add(p[0]);
                if (Double.isInfinite(p[1])) {
                    x.addNull();
                } else {
                    x.add(p[1]);
                }
            }
        }
        return a;
    }

    @Test
    void distanceOfTwoTentsIsComputedByHand() {
        // H1 [0, 2) and [0, 4): tents of height 1 and 2; the squared difference integrates to 4/3 + 8/3 = 4
        var a = SignatureMemory.Landscapes.of(diagrams(null, new double[][] {{0, 2}}), 10);
        var b = SignatureMemory.Landscapes.of(diagrams(null, new double[][] {{0, 4}}), 10);
        assertThat(a.distance(b)).isCloseTo(2.0, Offset.offset(1e-12));
        assertThat(b.distance(a)).isCloseTo(2.0, Offset.offset(1e-12));
        assertThat(a.distance(a)).isZero();
        // a missing dimension is an empty landscape: the distance is the other's norm, sqrt(2/3) for the height-1 tent
        var empty = SignatureMemory.Landscapes.of(diagrams(), 10);
        assertThat(a.distance(empty)).isCloseTo(Math.sqrt(2.0 / 3), Offset.offset(1e-12));
        // an essential H0 class is cut at the signature's own threshold: [0, 3) has norm sqrt(2 * 1.5^3 / 3)
        var h0 = SignatureMemory.Landscapes.of(diagrams(new double[][] {{0, Double.POSITIVE_INFINITY}}), 3);
        assertThat(h0.distance(empty)).isCloseTo(Math.sqrt(2 * Math.pow(1.5, 3) / 3), Offset.offset(1e-12));
    }

    @Test
    void distanceIsTheStackedLandscapesL2AndTheBoundIsBelowIt() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int t = 0; t < 200; t++) {
            double[][][] x = randomDiagrams(rnd);
            double[][][] y = randomDiagrams(rnd);
            var a = SignatureMemory.Landscapes.of(diagrams(x), 5);
            var b = SignatureMemory.Landscapes.of(diagrams(y), 5);
            double sq = 0;
            for (int d = 0; d < Math.max(x.length, y.length); d++) {
                PersistenceLandscape la = landscape(d, d < x.length ? x[d] : null);
                PersistenceLandscape lb = landscape(d, d < y.length ? y[d] : null);
                double v = la.distance(lb, PersistenceLandscape.Norm.L2);
                sq += v * v;
            }
            assertThat(a.distance(b)).isCloseTo(Math.sqrt(sq), Offset.offset(1e-9));
            assertThat(a.lowerBound(b)).isLessThanOrEqualTo(a.distance(b) + 1e-12);
        }
    }

    @Test
    void prunedSearchEqualsBruteForce() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int trial = 0; trial < 40; trial++) {
            List<SignatureMemory.Landscapes> cands = new ArrayList<>();
            int n = 1 + rnd.nextInt(150);
            for (int i = 0; i < n; i++) {
                cands.add(SignatureMemory.Landscapes.of(diagrams(randomDiagrams(rnd)), 5));
                if (rnd.nextInt(5) == 0) {
                    cands.add(cands.get(rnd.nextInt(cands.size()))); // exact ties
                }
            }
            var q = rnd.nextBoolean() ? cands.get(rnd.nextInt(cands.size())) : SignatureMemory.Landscapes.of(diagrams(randomDiagrams(rnd)), 5);
            int k = 1 + rnd.nextInt(8);
            int[] exact = new int[1];
            List<SignatureMemory.Near> got = SignatureMemory.nearest(q, cands, k, exact);
            List<SignatureMemory.Near> all = new ArrayList<>();
            for (int i = 0; i < cands.size(); i++) {
                all.add(new SignatureMemory.Near(i, q.distance(cands.get(i))));
            }
            all.sort(Comparator.comparingDouble(SignatureMemory.Near::distance).thenComparingInt(SignatureMemory.Near::index));
            assertThat(got).as("trial " + trial).isEqualTo(all.subList(0, Math.min(k, all.size())));
            assertThat(exact[0]).isBetween(Math.min(k, cands.size()), cands.size());
        }
        assertThatThrownBy(() -> SignatureMemory.nearest(SignatureMemory.Landscapes.of(diagrams(), 1), List.of(), 0, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k must be >= 1");
    }

    @Test
    void pruningSkipsMostCandidatesOfVariedScale() {
        SplittableRandom rnd = new SplittableRandom(3);
        List<SignatureMemory.Landscapes> cands = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            double scale = Math.pow(10, rnd.nextDouble(-2, 2));
            double[][] h1 = new double[3][];
            for (int j = 0; j < 3; j++) {
                double b = rnd.nextDouble() * scale;
                h1[j] = new double[] {b, b + rnd.nextDouble() * scale};
            }
            cands.add(SignatureMemory.Landscapes.of(diagrams(null, h1), 100));
        }
        int[] exact = new int[1];
        SignatureMemory.nearest(cands.get(0), cands, 5, exact);
        assertThat(exact[0]).isLessThan(500);
    }

    /** The landscape cache stays within its bounds, and answers do not depend on what it holds. */
    @Test
    void theCacheIsBoundedAndAnswersDoNotDependOnIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        try (Database db = new Database(ServerConfig.fromEnv(java.util.Map.of("AURA_JWT_SECRET", TestServer.SECRET), 0, dir, null))) {
            for (int i = 0; i < 5; i++) {
                double[][] h0 = new double[10][];
                for (int j = 0; j < 10; j++) {
                    h0[j] = new double[] {0, j < 9 ? 0.5 + i + 0.25 * j : Double.POSITIVE_INFINITY};
                }
                var doc = Json.MAPPER.createObjectNode();
                doc.set("diagrams", diagrams(new double[][][] {h0}));
                doc.put("algorithm", "persistent_homology");
                doc.putObject("input").put("format", "point-cloud").put("points", 10);
                doc.putObject("parameters").put("max_dimension", 0);
                doc.putObject("filtration").put("threshold", 20.0);
                doc.putObject("betti_numbers").putArray("values").add(1);
                doc.putArray("summaries");
                db.update(AnalyzeService.INSERT_SIGNATURE, AnalyzeService.signatureRow("sig-" + i, 1_000L * (i + 1), "t", doc));
            }
            var q = Json.MAPPER.createObjectNode();
            double[][] h0 = new double[10][];
            for (int j = 0; j < 10; j++) {
                h0[j] = new double[] {0, j < 9 ? 2.5 + 0.25 * j : Double.POSITIVE_INFINITY};
            }
            q.set("diagrams", diagrams(new double[][][] {h0}));
            q.putObject("filtration").put("threshold", 20.0);
            SignatureMemory small = new SignatureMemory(db, 0.1, 0, 3, 25);
            SignatureMemory big = new SignatureMemory(db, 0.1, 0, 100, 1_000);
            for (int round = 0; round < 2; round++) {
                JsonNode a = small.query(q, 10_000);
                JsonNode b = big.query(q, 10_000);
                assertThat(a.path("nearest")).isEqualTo(b.path("nearest"));
                assertThat(a.path("searched").asInt()).isEqualTo(5);
                assertThat(a.at("/nearest/0/signature_id").asText()).isEqualTo("sig-2"); // the same diagram
                assertThat(a.at("/nearest/0/distance").asDouble()).isZero();
                // 10 intervals each, more than a quarter of the small cache's 25: none is cached there
                assertThat(small.cacheUse()).containsExactly(0, 0);
                assertThat(big.cacheUse()).containsExactly(5, 50);
            }
            // outcomes: "more than 10%" of the agents, as cascade_threshold_agents; ticks outside (t, t + 60 s] do not count
            db.update(LiveHistory.INSERT, 100_000L, 10, 0.1, 0.2);
            db.update(LiveHistory.INSERT, 160_000L, 10, 0.1, 0.3);
            db.update(LiveHistory.INSERT, 160_001L, 10, 0.9, 0.9);
            db.update(LiveHistory.INSERT, 300_000L, 10, 0.11, 0.4);
            JsonNode at10 = small.outcome(100_000L, 1_000_000L);
            assertThat(at10.path("status").asText()).isEqualTo("observed");
            assertThat(at10.path("ticks").asInt()).isEqualTo(1); // the tick at 100 000 is the signature's own moment, not after it
            assertThat(at10.path("max_failed_fraction").asDouble()).isEqualTo(0.1);
            assertThat(at10.path("max_cascade_risk").asDouble()).isEqualTo(0.3);
            assertThat(at10.path("cascade").asBoolean()).isFalse();
            assertThat(small.outcome(250_000L, 1_000_000L).path("cascade").asBoolean()).isTrue();
            assertThat(small.outcome(250_000L, 250_000L + 59_000).path("status").asText()).isEqualTo("pending");
            assertThat(small.outcome(500_000L, 1_000_000L).path("status").asText()).isEqualTo("unobserved");
            // a document without diagrams gets an answer that says so, not an exception
            JsonNode none = small.query(Json.MAPPER.createObjectNode(), 10_000);
            assertThat(none.path("status").asText()).isEqualTo("unavailable");
            assertThat(none.path("message").asText()).contains("diagrams");
        }
    }

    @Test
    void malformedDiagramsAreRefused() {
        assertThatThrownBy(() -> SignatureMemory.Landscapes.of(Json.MAPPER.createObjectNode(), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SignatureMemory.Landscapes.of(diagrams(new double[][] {{2, 1}}), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SignatureMemory.Landscapes.of(diagrams(new double[][] {{0, 1}}), Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static PersistenceLandscape landscape(int d, double[][] iv) {
        int n = iv == null ? 0 : iv.length;
        double[] b = new double[n];
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = iv[i][0];
            e[i] = iv[i][1];
        }
        return PersistenceLandscape.of(new PersistenceDiagram(d, b, e), 5);
    }

    /** Up to three dimensions of up to 12 intervals in [0, 4], some essential, some dimensions absent. */
    private static double[][][] randomDiagrams(SplittableRandom rnd) {
        double[][][] out = new double[1 + rnd.nextInt(3)][][];
        for (int d = 0; d < out.length; d++) {
            if (rnd.nextInt(4) == 0) {
                continue;
            }
            double[][] iv = new double[rnd.nextInt(12)][];
            for (int i = 0; i < iv.length; i++) {
                double b = Math.round(rnd.nextDouble(0, 4) * 8) / 8.0; // coarse values: shared breakpoints
                iv[i] = new double[] {b, rnd.nextInt(10) == 0 ? Double.POSITIVE_INFINITY : b + Math.round(rnd.nextDouble(0, 2) * 8) / 8.0};
            }
            out[d] = iv;
        }
        return out;
    }
}
