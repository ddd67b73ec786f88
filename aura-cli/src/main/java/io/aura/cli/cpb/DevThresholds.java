package io.aura.cli.cpb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Warning thresholds θ fixed on a dev run (spec 6.5: "fix the SUT's threshold θ on dev seeds"), read
 * from that run's {@code summary.json} by {@code aura bench cpb --theta-from FILE}: for each SUT arm, its
 * {@code lead_time.theta}, chosen there on the dev run's benign episodes at ≤ 1 false alarm per 24 h per
 * 1 000 agents.
 */
final class DevThresholds {
    /**
     * One arm's dev threshold.
     *
     * @param theta θ
     * @param source where it came from (file, the dev run's family, seeds and benign traces), for the outputs
     */
    record Theta(double theta, String source) {
    }

    private DevThresholds() {
    }

    /**
     * What makes a dev run's θ a poor fit for this run (spec 10.4: θ is fixed on dev seeds, and per
     * system): seeds this run also uses, or another family or topology file. Empty when it fits or
     * the dev run does not say.
     *
     * @param family this run's family, or null for a topology file
     * @param topologySha256 this run's topology file's SHA-256, or null for a family
     */
    static java.util.List<String> mismatches(Path file, String family, String topologySha256, long firstSeed, long lastSeed) {
        java.util.List<String> out = new java.util.ArrayList<>();
        JsonNode run;
        try {
            run = new ObjectMapper().readTree(Files.readString(file)).path("run");
        } catch (IOException e) {
            return out; // read() says why
        }
        JsonNode seeds = run.path("seeds");
        if (seeds.path("first").canConvertToLong() && seeds.path("last").canConvertToLong()) {
            long a = Math.max(firstSeed, seeds.path("first").asLong());
            long b = Math.min(lastSeed, seeds.path("last").asLong());
            if (a <= b) {
                out.add("the dev run used seeds " + seeds.path("first").asLong() + "-" + seeds.path("last").asLong()
                        + ", and this run uses " + (a == b ? "seed " + a : "seeds " + a + "-" + b)
                        + " of them too: theta is then not fixed on other seeds");
            }
        }
        String devFamily = run.path("family").isTextual() ? run.path("family").asText() : null;
        String devSha = run.path("topology_file_sha256").isTextual() ? run.path("topology_file_sha256").asText() : null;
        if (family != null && devFamily != null && !family.equals(devFamily)) {
            out.add("the dev run was on family " + devFamily + ", this run is on " + family);
        } else if (family != null && devFamily == null && devSha != null) {
            out.add("the dev run was on a topology file, this run is on family " + family);
        } else if (family == null && devFamily != null) {
            out.add("the dev run was on family " + devFamily + ", this run is on a topology file");
        } else if (topologySha256 != null && devSha != null && !topologySha256.equals(devSha)) {
            out.add("the dev run was on another topology file (SHA-256 " + devSha.substring(0, Math.min(12, devSha.length()))
                    + "..., this run's " + topologySha256.substring(0, Math.min(12, topologySha256.length())) + "...)");
        }
        return out;
    }

    /**
     * Reads the thresholds of a dev run.
     *
     * @param file the dev run's summary.json
     * @return arm name → θ, for every arm whose lead_time.theta is a number
     * @throws IllegalArgumentException when the file cannot be read, is not a bench cpb summary, or has no θ
     */
    static Map<String, Theta> read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            String why = e instanceof java.nio.charset.CharacterCodingException ? "it is not UTF-8 text (a summary.json is JSON)"
                    : e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? "it is not JSON (" + j.getOriginalMessage() + ")"
                    : e.getMessage();
            throw new IllegalArgumentException("--theta-from " + file + " cannot be read: " + why, e);
        }
        boolean summary = root != null && root.path("run").isObject() && root.path("arms").isArray()
                && !root.path("arms").isEmpty();
        for (JsonNode arm : summary ? root.path("arms") : com.fasterxml.jackson.databind.node.MissingNode.getInstance()) {
            summary &= arm.path("arm").isTextual() && arm.path("S").isObject();
        }
        if (!summary) {
            throw new IllegalArgumentException("--theta-from " + file
                    + " is not the summary.json of an `aura bench cpb` run (it needs \"run\" and an \"arms\" array of per-arm results)");
        }
        JsonNode run = root.path("run");
        String where = String.format(java.util.Locale.ROOT, "%s (%s, seeds %s-%s, fault %s)", file,
                run.path("family").isTextual() ? run.path("family").asText() : "topology file",
                run.path("seeds").path("first").asText("?"), run.path("seeds").path("last").asText("?"),
                run.path("params").path("fault").asText("?"));
        Map<String, Theta> out = new LinkedHashMap<>();
        for (JsonNode arm : root.path("arms")) {
            JsonNode lt = arm.path("lead_time");
            JsonNode theta = lt.path("theta");
            if (arm.path("arm").isTextual() && theta.isNumber() && Double.isFinite(theta.asDouble())) {
                out.put(arm.path("arm").asText(), new Theta(theta.asDouble(), String.format(java.util.Locale.ROOT,
                        "theta fixed on the dev run %s: %d benign episodes, %d s of benign risk trace, %d false alarms",
                        where, lt.path("benign_episodes").asInt(), lt.path("benign_seconds").asLong(),
                        lt.path("false_alarms").asLong())));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--theta-from " + file
                    + " has no arm with a lead_time.theta (did the dev run include a SUT arm and benign episodes?)");
        }
        return out;
    }
}
