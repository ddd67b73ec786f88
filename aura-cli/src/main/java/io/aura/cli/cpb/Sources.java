package io.aura.cli.cpb;

import io.aura.cascade.graph.TopologySpec;
import io.aura.cascade.sim.SimTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** The two {@link TopologySource}s of {@code aura bench cpb}: {@code --family} and {@code --topology}. */
final class Sources {
    private Sources() {
    }

    /** Accepted family names (for help and errors). */
    static List<String> familyNames() {
        return List.of();
    }

    static TopologySource family(String name) {
        throw new IllegalArgumentException("unknown family '" + name + "'; this build has no family registry yet");
    }

    static TopologySource file(Path path) {
        TopologySpec spec = TopologyFile.read(path);
        String sha;
        try {
            sha = sha256(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new TopologyFile.TopologyFileException(path + ": cannot read: " + e.getMessage());
        }
        return new TopologySource() {
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
                throw new IllegalArgumentException("topology files need Families.fromSpec, not in this build yet");
            }
        };
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
