/**
 * Metrics and statistics of the Cascade-Prevention Benchmark (CPB spec, section 6): cascade-size
 * distribution and availability, the size-reduction ratio R_size with a paired bootstrap,
 * prevented-cascade ratio and harm rate, prediction quality (AUROC, AUPRC, Brier, ECE), lead time,
 * false-intervention cost, critical-agent ranking quality, Holm–Bonferroni adjustment, a paired
 * one-sided bootstrap test, and latency summaries with a log-log scaling fit.
 *
 * <p>All functions are pure, deterministic (bootstrap resampling uses a seeded SplitMix64), work on
 * primitive arrays and never modify their arguments. Invalid input raises
 * {@link io.aura.cascade.metrics.MetricInputException} whose message names the bad value.
 *
 * <p>Quantile convention used throughout: Hyndman–Fan type 7 (linear interpolation between order
 * statistics, the default of R and NumPy), see {@link io.aura.cascade.metrics.Quantiles}.
 */
package io.aura.cascade.metrics;

import io.aura.cascade.random.SplitMix64;
