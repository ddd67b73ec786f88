package io.aura.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The agent bus's per-message intervention check ({@link Enforcement#check}), the cost the issue
 * bounds at 1 us per message. The message is one relayed from agent {@code a} to agent {@code b}
 * (the bus's hot path), under:
 * <ul>
 *   <li>{@code none}: no active intervention (the index lookup only);</li>
 *   <li>{@code unrelated}: a circuit breaker, a rate limit and a load shed, all on other agents
 *       (the common case in a live system: interventions exist but not on this edge);</li>
 *   <li>{@code rate_limit}: a rate limit of 1e6/s on the sender (token bucket taken every
 *       message, which passes);</li>
 *   <li>{@code load_shed}: a 1% load shed on the target (shared counter every message);</li>
 *   <li>{@code breaker}: a circuit breaker on the target (every message refused).</li>
 * </ul>
 * Run: {@code java -jar aura-bench/target/aura-benchmarks.jar EnforcementBenchmark -f 1 -wi 3 -i 5 -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EnforcementBenchmark {

    @Param({"none", "unrelated", "rate_limit", "load_shed", "breaker"})
    public String scenario;

    private Enforcement enforcement;
    private long nowNanos;
    /** Agent ids built at run time (not interned constants), as the bus gets them from the path. */
    private String sender;
    private String target;

    private static Interventions.Intervention iv(String id, String type, List<String> agents, String param, double v) {
        ObjectNode p = Json.object();
        if (param != null) {
            p.put(param, v);
        }
        return new Interventions.Intervention(id, type, agents, p, "bench", 0, Long.MAX_VALUE, null, null);
    }

    @Setup(Level.Trial)
    public void setUp() {
        sender = new StringBuilder("agent_").append("a").toString();
        target = new StringBuilder("agent_").append("b").toString();
        List<Interventions.Intervention> active = new ArrayList<>();
        switch (scenario) {
            case "none" -> { }
            case "unrelated" -> {
                active.add(iv("cb", "circuit_breaker", List.of("agent_x"), null, 0));
                active.add(iv("rl", "rate_limit", List.of("agent_y"), "rate", 10));
                active.add(iv("ls", "load_shed", List.of("agent_z"), "fraction", 0.5));
            }
            case "rate_limit" -> active.add(iv("rl", "rate_limit", List.of("agent_a"), "rate", 1e6));
            case "load_shed" -> active.add(iv("ls", "load_shed", List.of("agent_b"), "fraction", 0.01));
            case "breaker" -> active.add(iv("cb", "circuit_breaker", List.of("agent_b"), null, 0));
            default -> throw new IllegalArgumentException("unknown scenario '" + scenario
                    + "'; scenarios are none, unrelated, rate_limit, load_shed, breaker");
        }
        enforcement = new Enforcement();
        enforcement.update(active);
    }

    /** One check; the clock advances 1 us per message (1e6 messages/s, inside the rate limit). */
    @Benchmark
    public Enforcement.Decision check() {
        nowNanos += 1_000;
        return enforcement.check(sender, target, 1_000, nowNanos);
    }
}
