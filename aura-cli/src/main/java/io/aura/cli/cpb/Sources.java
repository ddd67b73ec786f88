package io.aura.cli.cpb;

import io.aura.cascade.CascadeInputException;
import io.aura.cascade.graph.TopologySpec;
import io.aura.cascade.sim.Families;
import io.aura.cascade.sim.SimTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The two {@link TopologySource}s of {@code aura bench cpb}: {@code --family} ({@link Families#build})
 * and {@code --topology} ({@link TopologyFile} then {@link Families#fromSpec}).
 */
final class Sources {
    private Sources() {
    }

    /** Accepted family name patterns (for help and errors). */
    static List<String> familyNames() {
        return Families.names();
    }

    /**
     * A family; the name is checked now by building the first seed's topology, so that an unknown
     * name or a topology the provisioning rejects fails before any output is written.
     */
    static TopologySource family(String name, long probeSeed, double alpha) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        try {
            Families.build(key, alpha, probeSeed);
        } catch (CascadeInputException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("family '" + key + "' cannot be provisioned: " + e.getMessage(), e);
        }
        return new TopologySource() {
            @Override
            public String kind() {
                return "family";
            }

            @Override
            public String name() {
                return key;
            }

            @Override
            public String fileSha256() {
                return null;
            }

            @Override
            public SimTopology build(double alpha, long seed) {
                return Families.build(key, alpha, seed);
            }

            @Override
            public List<String> agentNames(long seed) {
                io.aura.cascade.graph.ServiceGraph g = Families.graph(key, seed);
                java.util.List<String> names = new java.util.ArrayList<>(g.nodeCount());
                for (int i = 0; i < g.nodeCount(); i++) {
                    names.add(g.nodeName(i));
                }
                return names;
            }
        };
    }

    /** A topology file: read and validated now; its SHA-256 is that of the bytes read. */
    static TopologySource file(Path path, long probeSeed, double alpha) {
        TopologyFile.Loaded loaded = TopologyFile.load(path);
        TopologySpec spec = loaded.spec();
        double rate = Double.isNaN(loaded.entryRatePerSec()) ? Families.DEFAULT_SPEC_RATE_PER_SEC : loaded.entryRatePerSec();
        String sha;
        try {
            sha = sha256(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new TopologyFile.TopologyFileException(path + ": cannot read: " + e.getMessage());
        }
        TopologySource source = new TopologySource() {
            @Override
            public String kind() {
                return "topology";
            }

            @Override
            public String name() {
                return spec.name();
            }

            @Override
            public String fileSha256() {
                return sha;
            }

            @Override
            public SimTopology build(double alpha, long seed) {
                return Families.fromSpec(spec, rate, alpha, seed);
            }

            @Override
            public List<String> agentNames(long seed) {
                return spec.agents().stream().map(TopologySpec.Agent::id).toList();
            }
        };
        try {
            source.build(alpha, probeSeed);
        } catch (IllegalStateException | CascadeInputException e) {
            String prefix = "topology '" + spec.name() + "' cannot be provisioned: ";
            String why = e.getMessage();
            String graphPrefix = "graph '" + spec.name() + "' cannot be provisioned: "; // the bridge's, said once
            throw new IllegalArgumentException(path + ": " + prefix + (why.startsWith(graphPrefix) ? why.substring(graphPrefix.length())
                    : why), e);
        }
        return source;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
