/**
 * AURA's cascade engine: the dependency-graph model of a multi-agent system, cascade dynamics
 * (Motter–Lai load redistribution, Watts threshold contagion, discrete-event queueing with
 * timeouts and retries), and the Cascade-Prevention Benchmark (CPB) simulator that measures
 * predictors and prevention policies. Pure Java; depends only on aura-tda.
 */
package io.aura.cascade;
