package io.aura.cascade.metrics;

/**
 * A point estimate with percentile bootstrap bounds (Efron &amp; Tibshirani 1993, ch. 13):
 * two-sided [Q(a/2), Q(1 − a/2)] and one-sided lower bound Q(a) of the replicate statistics,
 * a = 1 − confidence, type-7 quantiles.
 *
 * @param point the statistic on the original sample
 * @param lowerOneSided one-sided lower bound Q(1 − confidence)
 * @param lower two-sided lower bound
 * @param upper two-sided upper bound
 * @param confidence confidence level
 * @param replicates replicates drawn
 * @param skippedReplicates replicates on which the statistic was undefined (for AUROC: a
 *     resample with only one class) and which were excluded from the quantiles
 */
public record BootstrapInterval(
    double point, double lowerOneSided, double lower, double upper, double confidence,
    int replicates, int skippedReplicates) {}
