package io.aura.cascade.sim;

import java.util.Locale;

/**
 * The in-simulator baseline arms of CPB (spec section 5): which client-side and server-side
 * protections the D3 simulator's agents run. Every arm keeps B0's clients (timeouts τ_ij, and
 * Resilience4j Retry defaults: 3 attempts in total, fixed 500-ms wait holding the thread) unless
 * stated otherwise; every request a protection rejects is a failure, and the agent FAILED rule is
 * unchanged.
 *
 * <ul>
 *   <li>{@link #B0}: no protection.
 *   <li>{@link #B0_NORETRY}: B0 with maxAttempts = 1 on every edge (also under F8).
 *   <li>{@link #B0_NOTIMEOUT}: B0 with an infinite per-attempt timeout (the 1-s connect timeout to a
 *       crashed instance remains: it is a TCP failure, not a client timeout).
 *   <li>{@link #B1_R4J}: one Resilience4j circuit breaker per (caller instance, callee service) with
 *       the library defaults ({@link io.aura.cascade.baseline.R4jCircuitBreakerConfig#defaults()}),
 *       inside B0's Retry: a call rejected while OPEN fails at once without network load and is
 *       retried after 500 ms.
 *   <li>{@link #B1_HYX}: per (caller instance, callee service) a Hystrix command with its defaults
 *       ({@link io.aura.cascade.baseline.HystrixConfig#defaults()}): breaker over a 10-s window of 10
 *       buckets (20 requests, 50%), sleep window 5 s, execution timeout 1000 ms (the attempt times
 *       out at min(τ_ij, 1 s), so calls that normally take longer, e.g. LLM provider calls with
 *       τ = 120 s, always time out, as they would under Hystrix's defaults), a thread-pool bulkhead
 *       of 10 per dependency without queue (a slot is held from the attempt's start until the
 *       caller sees its outcome; a rejection counts as an error in the health counts).
 *   <li>{@link #B2}: Sentinel system adaptive protection on every instance, inbound only: load1
 *       simulated as Linux does (every 5 s, n_runnable = requests in the instance's CPU phase),
 *       trigger above 2.5 × cores (cores = the CPU quota rounded up, as the JVM reports it), then
 *       the BBR check with curThread = the instance's in-flight inbound requests (queued or
 *       running); the check runs when a request reaches its instance, and a rejection costs 0.1 ms
 *       of the instance's CPU (processor sharing) but no thread.
 *   <li>{@link #B3}: Google SRE client-side adaptive throttling (K = 2, 2-min window) per client =
 *       (caller instance, callee service), at most 3 attempts per request and a retry budget of 10%
 *       of the client's requests (2-min window). Every attempt counts as a request; an attempt
 *       counts as accepted when the callee answered (success or error response), not when it was
 *       rejected at admission, timed out or could not connect. A throttled attempt fails at once
 *       and may be retried within the budget. Throttling draws from stream {@code sre-throttle}.
 *   <li>{@link #B4}: Envoy outlier ejection in every caller instance's load-balancer view of each
 *       callee's instances: consecutive_5xx 5, interval 10 s, base_ejection_time 30 s × ejections,
 *       max_ejection_percent 10%, and at least one host can always be ejected (the rule of Envoy's
 *       docs up to 1.30, which the spec cites; Envoy ≥ 1.31 needs {@code always_eject_one_host: true}
 *       for it and otherwise ejects nothing from fewer than 10 hosts), plus Envoy's default
 *       success-rate ejection (≥ 5 instances with ≥ 100 responses in the last 10 s each; below
 *       mean − 1.9 · stdev is ejected). If every remaining instance
 *       is ejected in a caller's view, its load balancer ignores the ejections (panic mode).
 * </ul>
 */
public enum Baseline {
  /** No protection: timeouts τ_ij and Resilience4j Retry defaults. */
  B0("b0"),
  /** B0 without retries (one attempt per call). */
  B0_NORETRY("b0-noretry"),
  /** B0 without per-attempt timeouts. */
  B0_NOTIMEOUT("b0-notimeout"),
  /** Resilience4j circuit breaker defaults per (caller instance, callee). */
  B1_R4J("b1-r4j"),
  /** Hystrix defaults per (caller instance, callee): breaker, 1-s timeout, bulkhead of 10. */
  B1_HYX("b1-hyx"),
  /** Sentinel system adaptive protection (load1 trigger + BBR) per instance, inbound. */
  B2("b2"),
  /** Google SRE client-side adaptive throttling and a 10% retry budget. */
  B3("b3"),
  /** Envoy outlier ejection (consecutive 5xx, success rate) in each caller's load balancer. */
  B4("b4");

  private final String armName;

  Baseline(String armName) {
    this.armName = armName;
  }

  /**
   * The arm name used on the command line and in outputs, e.g. {@code "b1-r4j"}.
   *
   * @return the arm name
   */
  public String armName() {
    return armName;
  }

  /**
   * Looks a baseline up by its arm name, case-insensitively and ignoring surrounding blanks.
   *
   * @param name an arm name such as {@code "b0"} or {@code "B1-HYX"}
   * @return the baseline
   * @throws IllegalArgumentException if the name is null or unknown; the message lists the
   *     accepted names
   */
  public static Baseline parse(String name) {
    if (name != null) {
      String key = name.trim().toLowerCase(Locale.ROOT);
      for (Baseline b : values()) {
        if (b.armName.equals(key)) {
          return b;
        }
      }
    }
    throw new IllegalArgumentException("unknown baseline '" + name + "'; accepted: " + acceptedNames());
  }

  /**
   * The accepted arm names, comma-separated, in declaration order.
   *
   * @return e.g. {@code "b0, b0-noretry, ..."}
   */
  public static String acceptedNames() {
    StringBuilder sb = new StringBuilder();
    for (Baseline b : values()) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(b.armName);
    }
    return sb.toString();
  }
}
