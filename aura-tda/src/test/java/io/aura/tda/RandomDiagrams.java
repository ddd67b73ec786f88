package io.aura.tda;

import java.util.Random;

/** Seeded random diagrams for property tests: half the time on a coarse integer grid to force ties. */
final class RandomDiagrams {
    private RandomDiagrams() {
    }

    static PersistenceDiagram random(long seed, int maxSize, double essentialFraction) {
        Random rnd = new Random(seed);
        int n = rnd.nextInt(maxSize + 1);
        boolean coarse = rnd.nextBoolean();
        double[] b = new double[n];
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            if (coarse) {
                b[i] = rnd.nextInt(8);
                d[i] = b[i] + rnd.nextInt(6); // zero-length intervals included
            } else {
                b[i] = rnd.nextDouble() * 10 - 2;
                d[i] = b[i] + rnd.nextDouble() * rnd.nextDouble() * 8;
            }
            if (rnd.nextDouble() < essentialFraction) {
                d[i] = Double.POSITIVE_INFINITY;
            }
        }
        return new PersistenceDiagram(1, b, d);
    }

    static PersistenceDiagram of(double... birthDeathPairs) {
        return ofDimension(1, birthDeathPairs);
    }

    static PersistenceDiagram ofDimension(int dimension, double... birthDeathPairs) {
        int n = birthDeathPairs.length / 2;
        double[] b = new double[n];
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = birthDeathPairs[2 * i];
            d[i] = birthDeathPairs[2 * i + 1];
        }
        return new PersistenceDiagram(dimension, b, d);
    }
}
