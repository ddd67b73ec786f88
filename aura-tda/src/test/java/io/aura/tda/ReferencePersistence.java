package io.aura.tda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A slow, textbook computation of Vietoris–Rips persistent homology, the oracle of the
 * differential tests. It shares no algorithmic code with the engine; its only job is to be
 * obviously right.
 *
 * <p>Algorithm (Edelsbrunner, Letscher, Zomorodian, "Topological persistence and
 * simplification", 2002; Zomorodian and Carlsson, "Computing persistent homology", 2005;
 * Cohen-Steiner, Edelsbrunner, Morozov, "Vines and vineyards", 2006, for the matrix form R = D V):
 * <ol>
 *   <li>Enumerate every simplex of dimension 0..q+1 of the Vietoris–Rips complex, where
 *       q = min(maxDimension, n - 2) is the highest dimension reported (Ripser's rule; at least 0).
 *       A simplex's diameter is the largest float32 distance between two of its vertices (0 for a
 *       vertex). A simplex belongs to the complex if all its edges exist and its diameter is
 *       {@code <= threshold}. A missing sparse entry is an edge that does not exist.
 *   <li>Sort the simplices by (diameter, dimension, vertex list lexicographically). Every face of
 *       a simplex has a diameter that is no larger and a smaller dimension, so it comes earlier:
 *       this is a filtration order. Which tie-break is used does not matter for the answer: the
 *       multiset of intervals of positive length is the same for every compatible total order.
 *   <li>Build the boundary matrix D over Z/p: column j is the boundary of simplex j,
 *       {@code sum_i (-1)^i [v_0 .. v_i-hat .. v_k]}.
 *   <li>Standard column reduction, left to right: while column j has a lowest non-zero row r that
 *       is also the lowest row of an earlier reduced column k, subtract the multiple of column k
 *       that clears row r. At the end every non-zero column has a distinct lowest row.
 *   <li>Read off the pairs: a non-zero reduced column j with lowest row i pairs the
 *       dim(i)-dimensional class born when simplex i enters with its death when simplex j enters:
 *       interval [diam(i), diam(j)). A zero column j that is no column's lowest row is an essential
 *       class [diam(j), infinity).
 *   <li>Keep dimension 0..q. A finite pair is kept only if it has positive length, death > birth,
 *       and in dimensions >= 1 only if also {@code death > birth * ratio} in float32 (Ripser's
 *       {@code --ratio}). Essential classes are all kept. Ripser accepts a ratio below 1, which
 *       lets it print zero-length pairs; which zero-length pairs exist depends on the filtration
 *       order and on which apparent pairs an implementation skips, so the reference never reports
 *       them and a comparison with ratio < 1 is meaningful for positive-length intervals only.
 * </ol>
 *
 * <p>Input semantics, as in the engine's facade (and Ripser):
 * <ul>
 *   <li>dense matrix or point cloud without a threshold: the threshold is the enclosing radius
 *       {@code min_i max_j d(i,j)}, above which the complex is a cone and nothing more happens;
 *   <li>with a threshold t: the complex of simplices with diameter {@code <= t} (float32
 *       comparison);
 *   <li>sparse matrix: missing entries are infinite; the threshold is used as given
 *       ({@link RipsOptions#NO_THRESHOLD} keeps every finite entry). With
 *       {@link RipsOptions#thresholdFiltersSparseEdges()} false (Ripser's {@code --format sparse}
 *       quirk) every stored edge is in the complex, but simplices of dimension >= 2 still need
 *       diameter {@code <= t}.
 * </ul>
 *
 * <p>Cost: the complex has O(n^(q+2)) simplices and the reduction is cubic in their number in the
 * worst case, so this is for a few dozen points at most. Points are limited to 64 because a
 * simplex is identified by the bit mask of its vertices in one {@code long}.
 */
final class ReferencePersistence {
    /** A simplex is keyed by a 64-bit vertex mask. */
    static final int MAX_POINTS = 64;

    /** A symmetric distance function; {@code +Infinity} for a missing entry. */
    @FunctionalInterface
    interface Distances {
        float get(int i, int j);
    }

    private ReferencePersistence() {
    }

    /** Dense input: the threshold is the enclosing radius unless one is given. */
    static List<PersistenceDiagram> of(DistanceMatrix m, RipsOptions o) {
        float t = o.hasThreshold() ? o.threshold() : enclosingRadius(m.size(), m::get);
        return compute(m.size(), m::get, t, t, o.maxDimension(), o.modulus(), o.ratio());
    }

    /**
     * Point cloud: distances recomputed here in float32 ({@code acc = acc + diff * diff} from 0,
     * then a correctly rounded square root), then as a dense matrix.
     */
    static List<PersistenceDiagram> of(PointCloud p, RipsOptions o) {
        int n = p.size();
        float[][] d = new float[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0f;
                for (int k = 0; k < p.dimension(); k++) {
                    float diff = p.coordinate(i, k) - p.coordinate(j, k);
                    acc = acc + diff * diff;
                }
                d[i][j] = (float) Math.sqrt(acc);
            }
        }
        Distances dist = (i, j) -> d[i][j];
        float t = o.hasThreshold() ? o.threshold() : enclosingRadius(n, dist);
        return compute(n, dist, t, t, o.maxDimension(), o.modulus(), o.ratio());
    }

    /** Sparse input: missing entries are infinite, the threshold is used as given. */
    static List<PersistenceDiagram> of(SparseDistanceMatrix s, RipsOptions o) {
        float t = o.threshold();
        float edgeCutoff = o.thresholdFiltersSparseEdges() ? t : Float.POSITIVE_INFINITY;
        return compute(s.size(), s::get, edgeCutoff, t, o.maxDimension(), o.modulus(), o.ratio());
    }

    /** min over i of max over j of d(i, j), in float32; 0 for one point. */
    static float enclosingRadius(int n, Distances d) {
        float best = Float.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float worst = 0f;
            for (int j = 0; j < n; j++) {
                worst = Math.max(worst, d.get(i, j));
            }
            best = Math.min(best, worst);
        }
        return best;
    }

    /** One simplex of the filtration. */
    private record Simplex(int[] vertices, long mask, float diameter) {
        int dimension() {
            return vertices.length - 1;
        }
    }

    /**
     * The persistence diagrams of dimensions 0..min(maxDimension, n-2) (at least 0).
     *
     * @param edgeCutoff an edge {i,j} exists iff d(i,j) is finite and {@code <= edgeCutoff}
     * @param threshold a simplex of dimension >= 2 exists iff all its edges exist and its diameter
     *     is {@code <= threshold}
     */
    static List<PersistenceDiagram> compute(int n, Distances d, float edgeCutoff, float threshold, int maxDimension,
            int modulus, float ratio) {
        if (n < 1 || n > MAX_POINTS) {
            throw new IllegalArgumentException("the reference handles 1.." + MAX_POINTS + " points, got " + n);
        }
        if (!RipsOptions.isPrime(modulus)) {
            throw new IllegalArgumentException("modulus " + modulus + " is not prime");
        }
        int top = Math.max(0, Math.min(maxDimension, n - 2));

        // 1. enumerate the simplices of dimension 0..top+1
        List<Simplex> simplices = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            extend(new int[] {v}, 0f, n, d, edgeCutoff, threshold, top + 1, simplices);
        }

        // 2. filtration order: diameter, then dimension, then vertices lexicographically
        simplices.sort(Comparator.comparingDouble((Simplex s) -> s.diameter() + 0f)
                .thenComparingInt(Simplex::dimension)
                .thenComparing(Simplex::vertices, Arrays::compare));
        Map<Long, Integer> position = new HashMap<>();
        for (int i = 0; i < simplices.size(); i++) {
            position.put(simplices.get(i).mask(), i);
        }

        // 3 + 4. boundary columns, reduced left to right
        int m = simplices.size();
        Column[] reduced = new Column[m];
        int[] columnWithLow = new int[m];
        Arrays.fill(columnWithLow, -1);
        for (int j = 0; j < m; j++) {
            Column c = boundary(simplices.get(j), position, modulus);
            while (!c.isZero() && columnWithLow[c.low()] >= 0) {
                Column k = reduced[columnWithLow[c.low()]];
                int factor = c.coefficient(c.low()) * inverse(k.coefficient(c.low()), modulus) % modulus;
                c = c.plusMultiple(k, modulus - factor, modulus); // c - factor * k
            }
            reduced[j] = c;
            if (!c.isZero()) {
                columnWithLow[c.low()] = j;
            }
        }

        // 5 + 6. pairs and essential classes
        List<List<double[]>> intervals = new ArrayList<>();
        for (int q = 0; q <= top; q++) {
            intervals.add(new ArrayList<>());
        }
        for (int j = 0; j < m; j++) {
            if (!reduced[j].isZero()) {
                Simplex born = simplices.get(reduced[j].low());
                int q = born.dimension();
                float birth = born.diameter();
                float death = simplices.get(j).diameter();
                boolean kept = death > birth && (q == 0 || death > birth * ratio);
                if (q <= top && kept) {
                    intervals.get(q).add(new double[] {birth, death});
                }
            } else if (columnWithLow[j] < 0 && simplices.get(j).dimension() <= top) {
                Simplex s = simplices.get(j);
                intervals.get(s.dimension()).add(new double[] {s.diameter(), Double.POSITIVE_INFINITY});
            }
        }
        List<PersistenceDiagram> diagrams = new ArrayList<>();
        for (int q = 0; q <= top; q++) {
            List<double[]> list = intervals.get(q);
            list.sort(Comparator.comparingDouble((double[] a) -> a[0]).thenComparingDouble(a -> a[1]));
            double[] births = new double[list.size()];
            double[] deaths = new double[list.size()];
            for (int i = 0; i < list.size(); i++) {
                births[i] = list.get(i)[0];
                deaths[i] = list.get(i)[1];
            }
            diagrams.add(new PersistenceDiagram(q, births, deaths));
        }
        return diagrams;
    }

    /** Adds {@code simplex} and, depth first, every simplex extending it by larger vertices. */
    private static void extend(int[] simplex, float diameter, int n, Distances d, float edgeCutoff, float threshold,
            int maxDimension, List<Simplex> out) {
        long mask = 0;
        for (int v : simplex) {
            mask |= 1L << v;
        }
        out.add(new Simplex(simplex, mask, diameter));
        if (simplex.length - 1 == maxDimension) {
            return;
        }
        for (int w = simplex[simplex.length - 1] + 1; w < n; w++) {
            float diam = diameter;
            boolean edgesExist = true;
            for (int v : simplex) {
                float e = d.get(v, w);
                edgesExist &= e != Float.POSITIVE_INFINITY && e <= edgeCutoff;
                diam = Math.max(diam, e);
            }
            boolean inComplex = edgesExist && (simplex.length == 1 || diam <= threshold);
            if (inComplex) {
                int[] bigger = Arrays.copyOf(simplex, simplex.length + 1);
                bigger[simplex.length] = w;
                extend(bigger, diam, n, d, edgeCutoff, threshold, maxDimension, out);
            }
        }
    }

    /** The boundary sum_i (-1)^i [v_0 .. v_i-hat .. v_k] as a column over Z/p. */
    private static Column boundary(Simplex s, Map<Long, Integer> position, int modulus) {
        int[] v = s.vertices();
        if (v.length == 1) {
            return Column.ZERO;
        }
        int[][] entries = new int[v.length][];
        for (int i = 0; i < v.length; i++) {
            Integer row = position.get(s.mask() & ~(1L << v[i]));
            if (row == null) {
                throw new IllegalStateException("face of " + Arrays.toString(v) + " missing: the complex is not closed");
            }
            entries[i] = new int[] {row, i % 2 == 0 ? 1 : modulus - 1};
        }
        Arrays.sort(entries, Comparator.comparingInt((int[] e) -> e[0]));
        int[] rows = new int[v.length];
        int[] coefficients = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            rows[i] = entries[i][0];
            coefficients[i] = entries[i][1] % modulus;
        }
        return new Column(rows, coefficients);
    }

    /** The x in 1..p-1 with a x = 1 mod p, by search. */
    private static int inverse(int a, int modulus) {
        for (int x = 1; x < modulus; x++) {
            if (a * x % modulus == 1) {
                return x;
            }
        }
        throw new IllegalStateException(a + " has no inverse modulo " + modulus);
    }

    /** A sparse column over Z/p: strictly increasing rows with coefficients in 1..p-1. */
    private record Column(int[] rows, int[] coefficients) {
        static final Column ZERO = new Column(new int[0], new int[0]);

        boolean isZero() {
            return rows.length == 0;
        }

        /** The lowest (largest) row with a non-zero coefficient. */
        int low() {
            return rows[rows.length - 1];
        }

        int coefficient(int row) {
            int i = Arrays.binarySearch(rows, row);
            return i >= 0 ? coefficients[i] : 0;
        }

        /** this + factor * other, modulo p, dropping zeros. */
        Column plusMultiple(Column other, int factor, int modulus) {
            int[] r = new int[rows.length + other.rows.length];
            int[] c = new int[r.length];
            int a = 0;
            int b = 0;
            int size = 0;
            while (a < rows.length || b < other.rows.length) {
                int row;
                int value;
                if (b == other.rows.length || (a < rows.length && rows[a] < other.rows[b])) {
                    row = rows[a];
                    value = coefficients[a++];
                } else if (a == rows.length || other.rows[b] < rows[a]) {
                    row = other.rows[b];
                    value = factor * other.coefficients[b++] % modulus;
                } else {
                    row = rows[a];
                    value = (coefficients[a++] + factor * other.coefficients[b++]) % modulus;
                }
                if (value != 0) {
                    r[size] = row;
                    c[size++] = value;
                }
            }
            return new Column(Arrays.copyOf(r, size), Arrays.copyOf(c, size));
        }
    }
}
