package io.aura.cascade.dynamics;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.random.SplitMix64;

/**
 * D6: the Galton–Watson branching-process model of cascading failure (I. Dobson, B. A. Carreras
 * and D. E. Newman, "A branching process approximation to cascading load-dependent system
 * failure", HICSS 2004 / Probab. Eng. Inf. Sci. 19:15–32, 2005), CPB spec section 3.
 *
 * <p>θ initial failures (Poisson(θ) distributed for {@link #simulateTotal}), each failure causing
 * Poisson(λ) failures in the next generation. The total Y is generalised Poisson (Consul):
 * {@code P(Y = r) = θ (rλ + θ)^{r−1} e^{−(rλ+θ)} / r!}, r = 0, 1, ..., with mean θ/(1−λ) for
 * λ &lt; 1 and a power-law tail r^{−3/2} at λ = 1. A generation of size z produces Poisson(zλ)
 * children (a sum of independent Poissons), drawn by Knuth's multiplication method in chunks of
 * mean ≤ 16.
 */
public final class GaltonWatson {
    private GaltonWatson() {
    }

    /**
     * The generalised Poisson pmf P(Y = r), evaluated in log space.
     *
     * @throws CascadeInputException if θ ≤ 0, λ outside [0, 1] or r &lt; 0
     */
    public static double generalizedPoissonPmf(int r, double theta, double lambda) {
        check(theta, lambda);
        if (r < 0) {
            throw new CascadeInputException("count r must be >= 0, got " + r);
        }
        double a = r * lambda + theta;
        double log = Math.log(theta) + (r - 1) * Math.log(a) - a - logFactorial(r);
        return Math.exp(log);
    }

    /** The mean θ/(1−λ) of the total for λ &lt; 1. */
    public static double mean(double theta, double lambda) {
        check(theta, lambda);
        if (lambda >= 1) {
            throw new CascadeInputException("the mean is infinite for lambda >= 1, got " + lambda);
        }
        return theta / (1 - lambda);
    }

    /**
     * Simulates one cascade with Poisson(θ) initial failures and returns the total number of
     * failures, capped at {@code cap} (a cascade reaching the cap returns {@code cap}).
     */
    public static long simulateTotal(double theta, double lambda, long cap, SplitMix64 rng) {
        check(theta, lambda);
        return simulateFrom(poisson(theta, rng), lambda, cap, rng);
    }

    /** Simulates from {@code initial} failures; total (initial included), capped at {@code cap}. */
    public static long simulateFrom(long initial, double lambda, long cap, SplitMix64 rng) {
        if (initial < 0) {
            throw new CascadeInputException("initial failures must be >= 0, got " + initial);
        }
        if (cap < 1) {
            throw new CascadeInputException("cap must be >= 1, got " + cap);
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new CascadeInputException("offspring mean lambda must be finite and >= 0, got " + lambda);
        }
        long total = Math.min(initial, cap);
        long gen = initial;
        while (gen > 0 && total < cap) {
            gen = poisson(gen * lambda, rng);
            total = Math.min(cap, total + gen);
        }
        return total;
    }

    /**
     * The branching-ratio estimate of CPB's D6 baseline predictor: failures in generations 1..G
     * over failures in generations 0..G−1 (the Harris ratio estimator, Σ z_{g+1} / Σ z_g). Returns
     * NaN if fewer than two generations or no parent failures are given.
     */
    public static double estimateBranchingRatio(long[] generationCounts) {
        if (generationCounts.length < 2) {
            return Double.NaN;
        }
        double parents = 0;
        double children = 0;
        for (int g = 0; g + 1 < generationCounts.length; g++) {
            parents += generationCounts[g];
            children += generationCounts[g + 1];
        }
        return parents == 0 ? Double.NaN : children / parents;
    }

    /** A Poisson(mean) draw: Knuth's method on chunks of mean at most 16. */
    static long poisson(double mean, SplitMix64 rng) {
        long k = 0;
        double left = mean;
        while (left > 0) {
            double chunk = Math.min(left, 16.0);
            left -= chunk;
            double limit = Math.exp(-chunk);
            double p = rng.nextDouble();
            while (p > limit) {
                k++;
                p *= rng.nextDouble();
            }
        }
        return k;
    }

    static double logFactorial(int r) {
        if (r < 64) {
            double s = 0;
            for (int i = 2; i <= r; i++) {
                s += Math.log(i);
            }
            return s;
        }
        double x = r + 1.0; // Stirling series for ln Γ(x)
        return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x)
                + 1 / (1260 * Math.pow(x, 5));
    }

    private static void check(double theta, double lambda) {
        if (!(theta > 0) || Double.isInfinite(theta)) {
            throw new CascadeInputException("initial mean theta must be finite and > 0, got " + theta);
        }
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new CascadeInputException("offspring mean lambda must be in [0, 1], got " + lambda);
        }
    }
}
