package io.aura.tda;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One seeded differential test case: an input (dense matrix, point cloud or sparse matrix) and
 * options, run through {@link VietorisRips} and {@link ReferencePersistence}. The two must agree
 * exactly, as multisets of float32 intervals per dimension, and the result's metadata must be the
 * documented one. On a disagreement {@link #shrink()} deletes points while the disagreement
 * persists, so the report shows a small failing input.
 */
record DifferentialCase(long seed, String kind, Input input, RipsOptions options) {

    /** An input of one of the three facade types. */
    sealed interface Input permits Dense, Cloud, Sparse {
        int size();

        /** The same input with vertex {@code v} deleted and the others renumbered. */
        Input without(int v);

        PersistenceResult engine(RipsOptions o);

        List<PersistenceDiagram> reference(RipsOptions o);

        /** The threshold the result must report. */
        float expectedThreshold(RipsOptions o);

        /** A finite distance of the input chosen at random, to use as a threshold. */
        float someDistance(SplittableRandom rnd);

        /** The input in a form that can be pasted into a test. */
        String describe();
    }

    record Dense(DistanceMatrix m) implements Input {
        @Override
        public int size() {
            return m.size();
        }

        @Override
        public Input without(int v) {
            int n = m.size();
            float[] lower = new float[(n - 1) * (n - 2) / 2];
            int k = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    if (i != v && j != v) {
                        lower[k++] = m.get(i, j);
                    }
                }
            }
            return new Dense(DistanceMatrix.ofLowerTriangle(lower));
        }

        @Override
        public PersistenceResult engine(RipsOptions o) {
            return VietorisRips.compute(m, o);
        }

        @Override
        public List<PersistenceDiagram> reference(RipsOptions o) {
            return ReferencePersistence.of(m, o);
        }

        @Override
        public float expectedThreshold(RipsOptions o) {
            return o.hasThreshold() ? o.threshold() : m.enclosingRadius();
        }

        @Override
        public float someDistance(SplittableRandom rnd) {
            float[] lower = m.lowerTriangle();
            return lower.length == 0 ? 0f : lower[rnd.nextInt(lower.length)];
        }

        @Override
        public String describe() {
            StringBuilder sb = new StringBuilder("DistanceMatrix.ofLowerTriangle(new float[] {");
            float[] lower = m.lowerTriangle();
            for (int i = 0; i < lower.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(lower[i]).append('f');
            }
            return sb.append("})").toString();
        }
    }

    record Cloud(PointCloud p) implements Input {
        @Override
        public int size() {
            return p.size();
        }

        @Override
        public Input without(int v) {
            float[][] rows = new float[p.size() - 1][];
            for (int i = 0, k = 0; i < p.size(); i++) {
                if (i != v) {
                    rows[k++] = p.point(i);
                }
            }
            return new Cloud(PointCloud.of(rows));
        }

        @Override
        public PersistenceResult engine(RipsOptions o) {
            return VietorisRips.compute(p, o);
        }

        @Override
        public List<PersistenceDiagram> reference(RipsOptions o) {
            return ReferencePersistence.of(p, o);
        }

        @Override
        public float expectedThreshold(RipsOptions o) {
            return o.hasThreshold() ? o.threshold() : p.distanceMatrix().enclosingRadius();
        }

        @Override
        public float someDistance(SplittableRandom rnd) {
            return p.distance(rnd.nextInt(p.size()), rnd.nextInt(p.size()));
        }

        @Override
        public String describe() {
            StringBuilder sb = new StringBuilder("PointCloud.of(new float[][] {");
            for (int i = 0; i < p.size(); i++) {
                sb.append(i == 0 ? "{" : ", {");
                float[] x = p.point(i);
                for (int k = 0; k < x.length; k++) {
                    sb.append(k == 0 ? "" : ", ").append(x[k]).append('f');
                }
                sb.append('}');
            }
            return sb.append("})").toString();
        }
    }

    record Sparse(SparseDistanceMatrix s) implements Input {
        @Override
        public int size() {
            return s.size();
        }

        @Override
        public Input without(int v) {
            SparseDistanceMatrix.Builder b = SparseDistanceMatrix.builder(s.size() - 1);
            for (int i = 0; i < s.size(); i++) {
                for (int j = 0; j < i; j++) {
                    float d = s.get(i, j);
                    if (i != v && j != v && d != Float.POSITIVE_INFINITY) {
                        b.add(i > v ? i - 1 : i, j > v ? j - 1 : j, d);
                    }
                }
            }
            return new Sparse(b.build());
        }

        @Override
        public PersistenceResult engine(RipsOptions o) {
            return VietorisRips.compute(s, o);
        }

        @Override
        public List<PersistenceDiagram> reference(RipsOptions o) {
            return ReferencePersistence.of(s, o);
        }

        @Override
        public float expectedThreshold(RipsOptions o) {
            return o.threshold();
        }

        @Override
        public float someDistance(SplittableRandom rnd) {
            List<Float> finite = new ArrayList<>();
            for (int i = 0; i < s.size(); i++) {
                for (int j = 0; j < i; j++) {
                    if (s.get(i, j) != Float.POSITIVE_INFINITY) {
                        finite.add(s.get(i, j));
                    }
                }
            }
            return finite.isEmpty() ? 0f : finite.get(rnd.nextInt(finite.size()));
        }

        @Override
        public String describe() {
            StringBuilder sb = new StringBuilder("SparseDistanceMatrix.builder(" + s.size() + ")");
            for (int i = 0; i < s.size(); i++) {
                for (int j = 0; j < i; j++) {
                    if (s.get(i, j) != Float.POSITIVE_INFINITY) {
                        sb.append(".add(").append(i).append(", ").append(j).append(", ").append(s.get(i, j)).append("f)");
                    }
                }
            }
            return sb.append(".build()").toString();
        }
    }

    /** A random case: n points in minPoints..maxPoints (more for a cross-polytope), one of ten input kinds, random options. */
    static DifferentialCase random(long seed, int minPoints, int maxPoints) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = minPoints + rnd.nextInt(maxPoints - minPoints + 1);
        int kindIndex = rnd.nextInt(11);
        String kind;
        Input input;
        switch (kindIndex) {
            case 0, 1 -> {
                kind = "uniform point cloud";
                input = new Cloud(uniformCloud(n, 1 + rnd.nextInt(4), rnd));
            }
            case 2 -> {
                kind = "uniform distance matrix";
                input = new Dense(SyntheticShapes.randomDistanceMatrix(n, rnd.nextLong()));
            }
            case 3 -> {
                kind = "integer distance matrix with zeros (ties)";
                input = new Dense(integerMatrix(n, 1 + rnd.nextInt(4), rnd));
            }
            case 4 -> {
                kind = "integer-grid point cloud (ties, duplicates)";
                input = new Cloud(gridCloud(n, 2 + rnd.nextInt(2), 2 + rnd.nextInt(3), rnd));
            }
            case 5 -> {
                kind = "point cloud with duplicate points";
                input = new Cloud(withDuplicates(n, rnd));
            }
            case 6 -> {
                kind = "sparse matrix, uniform entries";
                input = new Sparse(sparse(n, 0.3 + 0.6 * rnd.nextDouble(), 0, rnd));
            }
            case 8, 9 -> {
                int d = rnd.nextBoolean() ? 3 : 4;
                kind = "noisy cross-polytope in R^" + d + " plus points near its sphere (H" + (d - 1) + ")";
                input = new Cloud(crossPolytope(n, d, 0.02 + 0.1 * rnd.nextDouble(), rnd));
            }
            case 10 -> {
                int shape = rnd.nextInt(3);
                kind = shape == 0 ? "sphere sample" : shape == 1 ? "Clifford torus sample" : "RP^2 sample";
                long s = rnd.nextLong();
                input = new Cloud(shape == 0 ? SyntheticShapes.sphere(n, 0.05, s)
                        : shape == 1 ? SyntheticShapes.cliffordTorus(n, s) : SyntheticShapes.projectivePlane(n, s));
            }
            default -> {
                kind = "sparse matrix, integer entries (ties)";
                input = new Sparse(sparse(n, 0.3 + 0.6 * rnd.nextDouble(), 1 + rnd.nextInt(3), rnd));
            }
        }
        RipsOptions.Builder o = RipsOptions.builder();
        double dimRoll = kindIndex >= 8 ? 0.45 + 0.55 * rnd.nextDouble() : rnd.nextDouble();
        o.maxDimension(dimRoll < 0.1 ? 0 : dimRoll < 0.45 ? 1 : dimRoll < 0.8 ? 2 : 3);
        if (rnd.nextDouble() < 0.55) {
            float t = input.someDistance(rnd);
            int nudge = rnd.nextInt(5);
            o.threshold(nudge == 0 && t > 0 ? Math.nextDown(t) : nudge == 1 ? Math.nextUp(t) : t);
            if (input instanceof Sparse && rnd.nextBoolean()) {
                o.thresholdFiltersSparseEdges(false);
            }
        }
        double modRoll = rnd.nextDouble();
        o.modulus(modRoll < 0.45 ? 2 : modRoll < 0.9 ? 3 : 5);
        if (rnd.nextDouble() < 0.35) {
            float[] ratios = {1.1f, 1.25f, 1.5f, 2f};
            o.ratio(ratios[rnd.nextInt(ratios.length)]);
        }
        if (rnd.nextInt(4) == 0) {
            o.threads(2 + rnd.nextInt(3)); // the parallel reduction must give the same multisets
        }
        return new DifferentialCase(seed, kind, input, o.build());
    }

    private static PointCloud uniformCloud(int n, int dim, SplittableRandom rnd) {
        float[][] p = new float[n][dim];
        for (float[] row : p) {
            for (int k = 0; k < dim; k++) {
                row[k] = (float) rnd.nextDouble();
            }
        }
        return PointCloud.of(p);
    }

    /**
     * The 2d vertices +-e_k of the cross-polytope in R^d (the boundary is a (d-1)-sphere, so the
     * Rips filtration has an H_{d-1} class [sqrt2, 2)), Gaussian noise on every coordinate, then
     * random unit vectors with noise up to n points.
     */
    private static PointCloud crossPolytope(int n, int d, double noise, SplittableRandom rnd) {
        float[][] p = new float[Math.max(n, 2 * d)][d];
        for (int i = 0; i < p.length; i++) {
            double[] x = new double[d];
            if (i < 2 * d) {
                x[i / 2] = i % 2 == 0 ? 1 : -1;
            } else {
                double norm = 0;
                for (int k = 0; k < d; k++) {
                    x[k] = rnd.nextDouble() * 2 - 1;
                    norm += x[k] * x[k];
                }
                for (int k = 0; k < d; k++) {
                    x[k] /= Math.sqrt(norm);
                }
            }
            for (int k = 0; k < d; k++) {
                p[i][k] = (float) (x[k] + noise * (rnd.nextDouble() * 2 - 1));
            }
        }
        return PointCloud.of(p);
    }

    /** Points drawn with replacement from the grid {0..side-1}^dim: equal distances everywhere. */
    private static PointCloud gridCloud(int n, int dim, int side, SplittableRandom rnd) {
        float[][] p = new float[n][dim];
        for (float[] row : p) {
            for (int k = 0; k < dim; k++) {
                row[k] = rnd.nextInt(side);
            }
        }
        return PointCloud.of(p);
    }

    private static PointCloud withDuplicates(int n, SplittableRandom rnd) {
        int distinct = 1 + rnd.nextInt(n);
        PointCloud base = uniformCloud(distinct, 2 + rnd.nextInt(2), rnd);
        float[][] p = new float[n][];
        for (int i = 0; i < n; i++) {
            p[i] = base.point(i < distinct ? i : rnd.nextInt(distinct));
        }
        int[] perm = ReferencePersistenceTest.permutation(n, rnd);
        float[][] shuffled = new float[n][];
        for (int i = 0; i < n; i++) {
            shuffled[i] = p[perm[i]];
        }
        return PointCloud.of(shuffled);
    }

    /** Entries uniform in 0..maxValue (zero about 1 in (maxValue + 1) times). */
    private static DistanceMatrix integerMatrix(int n, int maxValue, SplittableRandom rnd) {
        float[] lower = new float[n * (n - 1) / 2];
        for (int k = 0; k < lower.length; k++) {
            lower[k] = rnd.nextInt(maxValue + 1);
        }
        return DistanceMatrix.ofLowerTriangle(lower);
    }

    /**
     * Each pair present with probability {@code density}; values uniform in [0, 1) if
     * {@code maxValue} is 0, else integers 0..maxValue. Pairs are added in random order and
     * direction.
     */
    private static SparseDistanceMatrix sparse(int n, double density, int maxValue, SplittableRandom rnd) {
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (rnd.nextDouble() < density) {
                    pairs.add(rnd.nextBoolean() ? new int[] {i, j} : new int[] {j, i});
                }
            }
        }
        java.util.Collections.shuffle(pairs, new java.util.Random(rnd.nextLong()));
        SparseDistanceMatrix.Builder b = SparseDistanceMatrix.builder(n);
        for (int[] e : pairs) {
            b.add(e[0], e[1], maxValue == 0 ? (float) rnd.nextDouble() : rnd.nextInt(maxValue + 1));
        }
        return b.build();
    }

    /** The disagreement between engine and reference, if any. */
    Optional<String> mismatch() {
        return mismatch(input, options);
    }

    static Optional<String> mismatch(Input input, RipsOptions options) {
        List<List<String>> expected = Barcodes.canonical(input.reference(options));
        PersistenceResult actual;
        try {
            actual = input.engine(options);
        } catch (RuntimeException | StackOverflowError e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            return Optional.of("engine threw " + trace);
        }
        List<List<String>> got = Barcodes.canonical(actual);
        if (input instanceof Sparse && options.hasThreshold() && !options.thresholdFiltersSparseEdges()
                && got.size() > 1 && expected.size() > 1) {
            // Ripser's --format sparse quirk: a non-forest edge e above the threshold is a dimension-1
            // column, so it would be an essential class [d(e), inf) of the complex "every stored edge,
            // higher simplices <= t" that the reference computes; but Ripser 1.2.1 skips e when it is
            // in a zero-apparent pair with an (unthresholded) triangle of the same diameter. So the
            // engine's essential classes born above t must be a sub-multiset of the reference's; the
            // rest of dimension 1 must agree exactly.
            List<String> gotAbove = essentialAbove(got.get(1), options.threshold());
            List<String> expectedAbove = essentialAbove(expected.get(1), options.threshold());
            List<String> remaining = new ArrayList<>(expectedAbove);
            for (String g : gotAbove) {
                if (!remaining.remove(g)) {
                    return Optional.of("engine has an essential class above the threshold the reference lacks: dim 1 engine "
                            + got.get(1) + ", reference " + expected.get(1));
                }
            }
            got = new ArrayList<>(got);
            expected = new ArrayList<>(expected);
            got.set(1, withoutAll(got.get(1), gotAbove));
            expected.set(1, withoutAll(expected.get(1), expectedAbove));
        }
        if (!got.equals(expected)) {
            StringBuilder sb = new StringBuilder();
            for (int q = 0; q < Math.max(got.size(), expected.size()); q++) {
                List<String> g = q < got.size() ? got.get(q) : null;
                List<String> e = q < expected.size() ? expected.get(q) : null;
                if (g == null || !g.equals(e)) {
                    sb.append("\n  dim ").append(q).append(": engine ").append(g).append("\n         reference ").append(e);
                }
            }
            return Optional.of("barcodes differ:" + sb);
        }
        if (actual.pointCount() != input.size() || actual.modulus() != options.modulus()
                || Float.compare(actual.threshold(), input.expectedThreshold(options)) != 0) {
            return Optional.of("metadata differ: pointCount " + actual.pointCount() + " (expected " + input.size()
                    + "), modulus " + actual.modulus() + " (expected " + options.modulus() + "), threshold "
                    + actual.threshold() + " (expected " + input.expectedThreshold(options) + ")");
        }
        for (int q = 0; q < actual.diagrams().size(); q++) {
            if (actual.diagram(q).dimension() != q) {
                return Optional.of("diagram " + q + " says it is of dimension " + actual.diagram(q).dimension());
            }
        }
        return Optional.empty();
    }

    private static List<String> essentialAbove(List<String> intervals, float threshold) {
        List<String> out = new ArrayList<>();
        for (String interval : intervals) {
            if (interval.endsWith(",inf)")) {
                float birth = Float.parseFloat(interval.substring(1, interval.indexOf(',')));
                if (birth > threshold) {
                    out.add(interval);
                }
            }
        }
        return out;
    }

    private static List<String> withoutAll(List<String> intervals, List<String> removed) {
        List<String> out = new ArrayList<>(intervals);
        for (String r : removed) {
            out.remove(r);
        }
        return out;
    }

    /**
     * A failure report: the seed, the shrunk input (points deleted while the disagreement
     * persists, then the lowest failing maxDimension), and the disagreement.
     */
    String report(String firstMismatch) {
        Input small = input;
        boolean progress = true;
        while (progress && small.size() > 1) {
            progress = false;
            for (int v = 0; v < small.size() && !progress; v++) {
                Input candidate = small.without(v);
                if (mismatch(candidate, options).isPresent()) {
                    small = candidate;
                    progress = true;
                }
            }
        }
        RipsOptions o = options;
        while (o.maxDimension() > 0 && mismatch(small, o.toBuilder().maxDimension(o.maxDimension() - 1).build()).isPresent()) {
            o = o.toBuilder().maxDimension(o.maxDimension() - 1).build();
        }
        return "seed " + seed + " (" + kind + ", " + input.size() + " points, " + options + "): " + firstMismatch
                + "\nshrunk to " + small.size() + " points with " + o + ":\n  " + small.describe() + "\n  "
                + mismatch(small, o).orElse("(the shrunk input agrees?)");
    }
}
