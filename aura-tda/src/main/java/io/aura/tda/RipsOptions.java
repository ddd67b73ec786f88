package io.aura.tda;

/**
 * Options of a Vietoris–Rips persistence computation. Immutable; build with {@link #builder()}.
 *
 * @param maxDimension highest homology dimension computed (0..{@value #MAX_DIMENSION}); the
 *     effective maximum is min(maxDimension, n - 2), as in Ripser
 * @param threshold keep simplices of diameter {@code <= threshold}; {@link #NO_THRESHOLD} means
 *     "use the enclosing radius" for dense input (Ripser's default)
 * @param ratio report a pair of dimension >= 1 only if {@code death > birth * ratio} (float32);
 *     below 1 this admits zero-length pairs born at a positive diameter, as in Ripser
 * @param modulus the prime p of the coefficient field Z/p, 2..{@value #MAX_MODULUS}
 * @param threads worker threads for parallel phases (1 = sequential)
 * @param thresholdFiltersSparseEdges when false, a sparse input's edges above the threshold still
 *     merge components in dimension 0 and seed dimension-1 columns, exactly as Ripser 1.2.1 does for
 *     {@code --format sparse}; the default true filters them everywhere
 */
public record RipsOptions(int maxDimension, float threshold, float ratio, int modulus, int threads,
        boolean thresholdFiltersSparseEdges) {

    /** Ripser's "no threshold" value, {@code FLT_MAX}. */
    public static final float NO_THRESHOLD = Float.MAX_VALUE;
    public static final int DEFAULT_MAX_DIMENSION = 1;
    public static final float DEFAULT_RATIO = 1f;
    public static final int DEFAULT_MODULUS = 2;
    public static final int MAX_DIMENSION = 16;
    /** Coefficients are stored in 8 bits. */
    public static final int MAX_MODULUS = 251;

    public RipsOptions {
        if (maxDimension < 0 || maxDimension > MAX_DIMENSION) {
            throw new TdaInputException("maxDimension must be in 0.." + MAX_DIMENSION + ", got " + maxDimension);
        }
        if (Float.isNaN(threshold) || threshold < 0) {
            throw new TdaInputException("threshold must be a number >= 0, got " + threshold);
        }
        if (Float.isNaN(ratio)) {
            throw new TdaInputException("ratio must be a number, got NaN");
        }
        if (!isPrime(modulus) || modulus > MAX_MODULUS) {
            throw new TdaInputException("modulus must be a prime <= " + MAX_MODULUS + ", got " + modulus);
        }
        if (threads < 1 || threads > 1024) {
            throw new TdaInputException("threads must be in 1..1024, got " + threads);
        }
    }

    /** Ripser's defaults: dimension 1, no threshold, ratio 1, Z/2, one thread. */
    public static RipsOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether a threshold was given. */
    public boolean hasThreshold() {
        return threshold != NO_THRESHOLD;
    }

    /** Trial division, as Ripser's {@code is_prime}. */
    public static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        if ((n & 1) == 0) {
            return n == 2;
        }
        for (long p = 3; p <= n / p; p += 2) {
            if (n % p == 0) {
                return false;
            }
        }
        return true;
    }

    public Builder toBuilder() {
        return new Builder().maxDimension(maxDimension).threshold(threshold).ratio(ratio).modulus(modulus)
                .threads(threads).thresholdFiltersSparseEdges(thresholdFiltersSparseEdges);
    }

    /** Builder with Ripser's defaults; values are validated by {@link #build()}. */
    public static final class Builder {
        private int maxDimension = DEFAULT_MAX_DIMENSION;
        private float threshold = NO_THRESHOLD;
        private float ratio = DEFAULT_RATIO;
        private int modulus = DEFAULT_MODULUS;
        private int threads = 1;
        private boolean thresholdFiltersSparseEdges = true;

        private Builder() {
        }

        public Builder maxDimension(int value) {
            this.maxDimension = value;
            return this;
        }

        public Builder threshold(float value) {
            this.threshold = value;
            return this;
        }

        public Builder ratio(float value) {
            this.ratio = value;
            return this;
        }

        public Builder modulus(int value) {
            this.modulus = value;
            return this;
        }

        public Builder threads(int value) {
            this.threads = value;
            return this;
        }

        public Builder thresholdFiltersSparseEdges(boolean value) {
            this.thresholdFiltersSparseEdges = value;
            return this;
        }

        public RipsOptions build() {
            return new RipsOptions(maxDimension, threshold, ratio, modulus, threads, thresholdFiltersSparseEdges);
        }
    }
}
