package io.aura.cascade.sim;

import io.aura.cascade.baseline.EnvoyOutlierConfig;
import io.aura.cascade.baseline.HystrixConfig;
import io.aura.cascade.baseline.R4jCircuitBreakerConfig;
import io.aura.cascade.baseline.SreConfig;
import java.util.Objects;

/**
 * The settings the in-simulator baselines run with (spec 5 gives the defaults; spec 10.3 asks for
 * the baselines "swept over their own knobs" so that a system under test is compared with each
 * baseline's curve of (R_size, ΔA), not only with its defaults). Each field is used only by its
 * baseline: {@code r4j} by B1-R4J, {@code hystrix} by B1-HYX, {@code sre} by B3, {@code envoy} by B4.
 *
 * @param r4j Resilience4j circuit breaker of B1-R4J
 * @param hystrix Hystrix command of B1-HYX
 * @param sre SRE adaptive throttling and retry budget of B3
 * @param envoy Envoy outlier detection of B4
 */
public record BaselineTuning(R4jCircuitBreakerConfig r4j, HystrixConfig hystrix, SreConfig sre, EnvoyOutlierConfig envoy) {
  public BaselineTuning {
    Objects.requireNonNull(r4j, "r4j");
    Objects.requireNonNull(hystrix, "hystrix");
    Objects.requireNonNull(sre, "sre");
    Objects.requireNonNull(envoy, "envoy");
  }

  /**
   * The spec's settings: every library default, and B4 with {@code always_eject_one_host} on (a
   * caller instance's view of a callee often has fewer than 10 hosts, where max_ejection_percent
   * 10% would allow no ejection at all; see {@link io.aura.cascade.baseline.EnvoyOutlierDetector}).
   */
  public static BaselineTuning defaults() {
    return new BaselineTuning(R4jCircuitBreakerConfig.defaults(), HystrixConfig.defaults(), SreConfig.defaults(),
        EnvoyOutlierConfig.builder().alwaysEjectOneHost(true).build());
  }

  public BaselineTuning withR4j(R4jCircuitBreakerConfig c) {
    return new BaselineTuning(c, hystrix, sre, envoy);
  }

  public BaselineTuning withHystrix(HystrixConfig c) {
    return new BaselineTuning(r4j, c, sre, envoy);
  }

  public BaselineTuning withSre(SreConfig c) {
    return new BaselineTuning(r4j, hystrix, c, envoy);
  }

  public BaselineTuning withEnvoy(EnvoyOutlierConfig c) {
    return new BaselineTuning(r4j, hystrix, sre, c);
  }
}
