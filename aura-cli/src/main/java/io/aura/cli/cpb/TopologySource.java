package io.aura.cli.cpb;

import io.aura.cascade.sim.SimTopology;

/**
 * Where the episodes' topology comes from: a named graph family or a user topology file.
 * Implementations are thread-safe; {@link #build} is deterministic in (alpha, seed).
 */
public interface TopologySource {
    /** "family" or "topology". */
    String kind();

    /** The family name, or the topology's name in its file. */
    String name();

    /** SHA-256 (hex) of the topology file's bytes, or null for a family. */
    String fileSha256();

    /**
     * The provisioned topology of one episode seed (graph stream and provisioning of that seed).
     *
     * @param alpha tolerance α of the D3 provisioning rule
     * @param seed episode master seed
     */
    SimTopology build(double alpha, long seed);

    /**
     * The agents' names in agent order (a family's service names, a file's agent ids), or an empty
     * list if the source has none.
     *
     * @param seed episode master seed (a family's graph may depend on it)
     */
    default java.util.List<String> agentNames(long seed) {
        return java.util.List.of();
    }
}
