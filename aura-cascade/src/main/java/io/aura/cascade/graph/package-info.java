/**
 * Dependency-graph model and the CPB graph families: immutable CSR graphs
 * ({@link io.aura.cascade.graph.UndirectedGraph}, {@link io.aura.cascade.graph.ServiceGraph}),
 * generators (DSB-SN, ALI/META-wide, BA, WS, the LLM orchestrations), a request-tree sampler and
 * the {@link io.aura.cascade.graph.TopologySpec} model of user topology files. Generators draw only
 * from the generator they are given (the {@code graph} stream), in a documented order.
 */
package io.aura.cascade.graph;
