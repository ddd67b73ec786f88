package io.aura.tda;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Canonical forms of persistence diagrams for comparing multisets of intervals: per dimension,
 * the intervals sorted by (birth, death), each written with its exact float32 value.
 */
final class Barcodes {
    private Barcodes() {
    }

    /** Per dimension, the sorted intervals as strings such as {@code [0.5,1.25)} or {@code [0.5,inf)}. */
    static List<List<String>> canonical(List<PersistenceDiagram> diagrams) {
        List<List<String>> out = new ArrayList<>();
        for (PersistenceDiagram d : diagrams) {
            out.add(canonical(d));
        }
        return out;
    }

    static List<List<String>> canonical(PersistenceResult result) {
        return canonical(result.diagrams());
    }

    /** The sorted intervals of one diagram. */
    static List<String> canonical(PersistenceDiagram d) {
        List<double[]> list = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            list.add(new double[] {d.birth(i), d.death(i)});
        }
        list.sort(Comparator.comparingDouble((double[] a) -> a[0]).thenComparingDouble(a -> a[1]));
        List<String> out = new ArrayList<>();
        for (double[] a : list) {
            out.add("[" + format(a[0]) + "," + format(a[1]) + ")");
        }
        return out;
    }

    /**
     * A value exactly: "inf", the float32 it equals (normalising -0 to 0), or the full double when
     * it is not a float32 (which would itself be a bug).
     */
    static String format(double x) {
        if (x == Double.POSITIVE_INFINITY) {
            return "inf";
        }
        float f = (float) x;
        return (double) f == x ? Float.toString(f + 0f) : "double:" + x;
    }

    /** Number of intervals of dimension {@code dim} with persistence > {@code minLength}. */
    static int countLongerThan(PersistenceDiagram d, double minLength) {
        int c = 0;
        for (int i = 0; i < d.size(); i++) {
            if (d.persistence(i) > minLength) {
                c++;
            }
        }
        return c;
    }

    /** The persistences of a diagram sorted descending (essential ones first, as +Infinity). */
    static double[] persistencesDescending(PersistenceDiagram d) {
        double[] p = new double[d.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = d.persistence(i);
        }
        Arrays.sort(p);
        for (int i = 0, j = p.length - 1; i < j; i++, j--) {
            double t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The k-th largest persistence (k = 0 for the largest), or 0 if there are not that many. */
    static double kthLongest(PersistenceDiagram d, int k) {
        double[] p = persistencesDescending(d);
        return k < p.length ? p[k] : 0;
    }
}
