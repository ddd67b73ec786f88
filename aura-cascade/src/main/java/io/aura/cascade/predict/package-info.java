/**
 * Cascade prediction (issue 4, first slice): {@link io.aura.cascade.predict.LiveModel} (CSR graph and
 * per-agent histories built from telemetry), {@link io.aura.cascade.predict.Signals} and
 * {@link io.aura.cascade.predict.TopologicalSignals} (named, documented signals),
 * {@link io.aura.cascade.predict.FeatureExtractor}, {@link io.aura.cascade.predict.LogisticRegression},
 * the trained {@link io.aura.cascade.predict.RiskModel} (shipped as a resource),
 * {@link io.aura.cascade.predict.AuraGuard} (the {@code CascadeGuard}),
 * {@link io.aura.cascade.predict.TopologicalMemory} (landscape signatures of past situations and their
 * outcomes, {@code enable_memory}, off by default) and
 * {@link io.aura.cascade.predict.PredictorTraining} (data, training, evaluation of spec 6.4).
 *
 * <p>Deterministic: no wall clock, no hash-order iteration, no randomness.
 */
package io.aura.cascade.predict;
