package io.aura.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aura capacity}: the seed's capacity calculator, beside an estimate from what this
 * server was measured to cost (docs/benchmarks.md): CPU per request of each predict form and of
 * analyze, stored bytes per request in PostgreSQL, the idle server's memory and the guard's heap
 * per agent. Every per-unit figure is an option, so a user can put in their own measurements.
 */
@Command(name = "capacity", mixinStandardHelpOptions = true,
        description = "Resources for a load: the seed's capacity formula beside an estimate from AURA's measured costs.",
        footer = {"%nExamples:",
                "  aura capacity --agents 10000 --tps 500 --topology-kb 7",
                "  aura capacity --agents 1000000 --tps 2000 --form live --retention-days 30 --json"})
public final class CapacityCommand implements Callable<Integer> {

    /**
     * What the requests are, with their measured costs: server CPU per request in ms (docs/benchmarks.md,
     * 2-vCPU AMD EPYC, 2026-11-28; a Xeon VM took 1.6-2.2x as long) and stored KB per request in
     * PostgreSQL 15, indexes included (measured the same day).
     */
    enum Form {
        SEED(0.65, 4.24), LIVE(0.065, 1.71), ANALYZE(3.2, 2.12);

        final double cpuMs;
        final double storedKb;

        Form(double cpuMs, double storedKb) {
            this.cpuMs = cpuMs;
            this.storedKb = storedKb;
        }
    }

    /** Resident memory of an idle server (measured: 248 MB) and the guard's heap per agent (T8: 1.2-1.5 KB, bound 2 KB). */
    static final double BASE_MB = 256;
    static final double KB_PER_AGENT = 2.0;

    @Spec
    CommandSpec spec;

    @Option(names = "--agents", required = true, paramLabel = "N", description = "agents watched")
    long agents;

    @Option(names = "--tps", required = true, paramLabel = "R", description = "requests per second (predict or analyze)")
    double tps;

    @Option(names = "--topology-kb", paramLabel = "KB", defaultValue = "7",
            description = "average topology data per request in KB, for the seed's formula (default ${DEFAULT-VALUE}: the seed's 50 x 10 cloud)")
    double topologyKb;

    @Option(names = "--form", paramLabel = "FORM", defaultValue = "seed",
            description = "what the requests are: seed (predict with a point cloud), live (predict by agent ids), analyze (default ${DEFAULT-VALUE})")
    String form;

    @Option(names = "--cpu-ms", paramLabel = "MS", description = "server CPU per request in ms (default: measured for --form)")
    Double cpuMs;

    @Option(names = "--stored-kb", paramLabel = "KB", description = "stored bytes per request in KB (default: measured for --form)")
    Double storedKb;

    @Option(names = "--retention-days", paramLabel = "D", defaultValue = "7",
            description = "days predictions and signatures are kept (AURA_RETENTION_DAYS; the seed's formula assumes 7) (default ${DEFAULT-VALUE})")
    int retentionDays;

    @Option(names = "--utilisation", paramLabel = "U", defaultValue = "0.7",
            description = "target CPU utilisation of a core, 0 < U <= 1 (default ${DEFAULT-VALUE})")
    double utilisation;

    @Option(names = "--cores-per-replica", paramLabel = "C", defaultValue = "2", description = "cores of one replica (default ${DEFAULT-VALUE})")
    int coresPerReplica;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    /** The seed's calculate_capacity, as written (math.ceil of each line). */
    static ObjectNode seedFormula(long agents, double tps, double topologyKb) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("cpu_cores", (long) Math.ceil(tps / 100));
        o.put("memory_gb", (long) Math.ceil(agents * 0.001 + tps * topologyKb * 0.001));
        o.put("storage_gb", (long) Math.ceil(agents * 0.01 + tps * 86400 * topologyKb * 0.000001 * 7));
        o.put("api_replicas", (long) Math.ceil(tps / 1000));
        o.put("redis_nodes", (long) Math.ceil(agents / 100000.0));
        o.put("neo4j_cores", (long) Math.ceil(agents / 50000.0));
        return o;
    }

    /** The estimate from measured costs. */
    static ObjectNode measured(long agents, double tps, double cpuMs, double storedKb, int retentionDays, double utilisation,
            int coresPerReplica) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        double cores = tps * cpuMs / 1000 / utilisation;
        long c = Math.max(1, (long) Math.ceil(cores));
        o.put("cpu_cores", c);
        o.put("cpu_cores_exact", round(cores));
        double memoryMb = BASE_MB + agents * KB_PER_AGENT / 1024;
        o.put("memory_gb", round(memoryMb / 1024));
        double storageGb = tps * 86400 * retentionDays * storedKb / 1024 / 1024;
        o.put("storage_gb", round(storageGb));
        o.put("api_replicas", Math.max(1, (long) Math.ceil((double) c / coresPerReplica)));
        return o;
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }

    @Override
    public Integer call() {
        try {
            if (agents < 0) {
                throw new IllegalArgumentException("--agents must be >= 0, got " + agents);
            }
            if (!(tps >= 0) || Double.isInfinite(tps)) {
                throw new IllegalArgumentException("--tps must be a number >= 0, got " + tps);
            }
            if (!(topologyKb >= 0) || Double.isInfinite(topologyKb)) {
                throw new IllegalArgumentException("--topology-kb must be a number >= 0, got " + topologyKb);
            }
            if (!(utilisation > 0 && utilisation <= 1)) {
                throw new IllegalArgumentException("--utilisation must be in (0, 1], got " + utilisation);
            }
            if (retentionDays < 1 || coresPerReplica < 1) {
                throw new IllegalArgumentException("--retention-days and --cores-per-replica must be >= 1");
            }
            Form f;
            try {
                f = Form.valueOf(form.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--form must be seed, live or analyze, got '" + form + "'");
            }
            double cpu = f.cpuMs;
            double kb = f.storedKb;
            if (cpuMs != null) {
                if (!(cpuMs > 0) || Double.isInfinite(cpuMs)) {
                    throw new IllegalArgumentException("--cpu-ms must be a number > 0, got " + cpuMs);
                }
                cpu = cpuMs;
            }
            if (storedKb != null) {
                if (!(storedKb >= 0) || Double.isInfinite(storedKb)) {
                    throw new IllegalArgumentException("--stored-kb must be a number >= 0, got " + storedKb);
                }
                kb = storedKb;
            }
            ObjectNode seed = seedFormula(agents, tps, topologyKb);
            ObjectNode ours = measured(agents, tps, cpu, kb, retentionDays, utilisation, coresPerReplica);
            var out = spec.commandLine().getOut();
            if (json) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                ObjectNode in = o.putObject("inputs");
                in.put("agents", agents);
                in.put("tps", tps);
                in.put("form", form);
                in.put("cpu_ms_per_request", cpu);
                in.put("stored_kb_per_request", kb);
                in.put("retention_days", retentionDays);
                in.put("utilisation", utilisation);
                in.put("cores_per_replica", coresPerReplica);
                o.set("seed_formula", seed);
                o.set("measured", ours);
                out.println(o.toPrettyString());
            } else {
                out.printf(Locale.ROOT, "load: %d agents, %s requests/s of %s; %.3f ms of server CPU and %.2f KB stored per request%n",
                        agents, trim(tps), form, cpu, kb);
                out.printf(Locale.ROOT, "%-14s %14s %14s%n", "", "seed formula", "measured");
                out.printf(Locale.ROOT, "%-14s %14d %14d%n", "cpu_cores", seed.get("cpu_cores").asLong(), ours.get("cpu_cores").asLong());
                out.printf(Locale.ROOT, "%-14s %14d %14.2f%n", "memory_gb", seed.get("memory_gb").asLong(), ours.get("memory_gb").asDouble());
                out.printf(Locale.ROOT, "%-14s %14d %14.2f%n", "storage_gb", seed.get("storage_gb").asLong(), ours.get("storage_gb").asDouble());
                out.printf(Locale.ROOT, "%-14s %14d %14d%n", "api_replicas", seed.get("api_replicas").asLong(), ours.get("api_replicas").asLong());
                out.printf(Locale.ROOT, "%-14s %14d %14s%n", "redis_nodes", seed.get("redis_nodes").asLong(), "-");
                out.printf(Locale.ROOT, "%-14s %14d %14s%n", "neo4j_cores", seed.get("neo4j_cores").asLong(), "-");
                out.printf(Locale.ROOT, "measured: CPU at %.0f%% utilisation, memory = %.0f MB idle + %.1f KB per agent, storage for %d days"
                        + " in PostgreSQL; redis/neo4j: the seed's rules only (not measured). Sources: docs/benchmarks.md, \"Capacity\".%n",
                        utilisation * 100, BASE_MB, KB_PER_AGENT, retentionDays);
            }
            out.flush();
            return 0;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("aura capacity: " + e.getMessage());
            return 2;
        }
    }

    private static String trim(double x) {
        return x == Math.rint(x) ? String.valueOf((long) x) : String.valueOf(x);
    }
}
