package io.aura.tda;

import java.util.Arrays;

/**
 * The persistence diagram of one homology dimension: intervals [birth, death) as two parallel
 * primitive arrays. An essential class (never dies within the threshold) has death
 * {@code +Infinity}.
 *
 * <p>The intervals keep the order in which Ripser reports them: in dimension 0 the finite
 * intervals by death ascending, then one infinite interval per connected component; in higher
 * dimensions births non-increasing (the order of the cohomology reduction). Values are float32
 * numbers widened to double.
 *
 * <p>Immutable: the accessors that return arrays return copies.
 */
public final class PersistenceDiagram {
    private final int dimension;
    private final double[] births;
    private final double[] deaths;

    /**
     * @throws TdaInputException if the arrays differ in length, a value is NaN, a birth is infinite
     *     or a death is smaller than its birth
     */
    public PersistenceDiagram(int dimension, double[] births, double[] deaths) {
        if (dimension < 0) {
            throw new TdaInputException("dimension must be >= 0, got " + dimension);
        }
        if (births.length != deaths.length) {
            throw new TdaInputException(births.length + " births but " + deaths.length + " deaths");
        }
        for (int i = 0; i < births.length; i++) {
            if (!Double.isFinite(births[i]) || Double.isNaN(deaths[i]) || deaths[i] < births[i]) {
                throw new TdaInputException("interval " + i + " [" + births[i] + ", " + deaths[i]
                        + ") is not an interval with finite birth <= death");
            }
        }
        this.dimension = dimension;
        this.births = births.clone();
        this.deaths = deaths.clone();
    }

    static PersistenceDiagram wrap(int dimension, double[] births, double[] deaths) {
        return new PersistenceDiagram(dimension, births, deaths, true);
    }

    private PersistenceDiagram(int dimension, double[] births, double[] deaths, boolean trusted) {
        this.dimension = dimension;
        this.births = births;
        this.deaths = deaths;
    }

    public int dimension() {
        return dimension;
    }

    /** Number of intervals. */
    public int size() {
        return births.length;
    }

    public double birth(int i) {
        return births[i];
    }

    public double death(int i) {
        return deaths[i];
    }

    /** Whether interval {@code i} is essential (infinite death). */
    public boolean isEssential(int i) {
        return deaths[i] == Double.POSITIVE_INFINITY;
    }

    /** Persistence death - birth of interval {@code i} (+Infinity when essential). */
    public double persistence(int i) {
        return deaths[i] - births[i];
    }

    public double[] births() {
        return births.clone();
    }

    public double[] deaths() {
        return deaths.clone();
    }

    /** Number of essential intervals. */
    public int essentialCount() {
        int c = 0;
        for (double d : deaths) {
            if (d == Double.POSITIVE_INFINITY) {
                c++;
            }
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PersistenceDiagram p && p.dimension == dimension && Arrays.equals(p.births, births)
                && Arrays.equals(p.deaths, deaths);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dimension + Arrays.hashCode(births)) + Arrays.hashCode(deaths);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("H").append(dimension).append('{');
        for (int i = 0; i < births.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('[').append(births[i]).append(',').append(deaths[i] == Double.POSITIVE_INFINITY ? " " : deaths[i]).append(')');
        }
        return sb.append('}').toString();
    }
}
