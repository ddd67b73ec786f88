/**
 * Critical-agent identification against counterfactual ground truth (CPB spec 6.7): the immune-agent
 * ground truth {@code crit_i = E[S_B0] − E[S_B0 | i immune]} with a bootstrap-by-seed interval
 * ({@link io.aura.cascade.critical.CritEstimate}), the baseline rankings on the call graph
 * ({@link io.aura.cascade.critical.CallGraphCentrality}) and from utilisation, the SUT's ranking
 * from its per-second critical scores ({@link io.aura.cascade.critical.CriticalScoreRecorder}), the
 * candidate set for N &gt; 200 ({@link io.aura.cascade.critical.CandidateSet}) and the precision@k /
 * NDCG@k evaluation with the T7 verdict ({@link io.aura.cascade.critical.CriticalEvaluation}).
 *
 * <p>Everything here is deterministic; rankings break ties by agent index ({@link
 * io.aura.cascade.critical.Rankings}). Running the episodes (in parallel) is the caller's job.
 */
package io.aura.cascade.critical;
