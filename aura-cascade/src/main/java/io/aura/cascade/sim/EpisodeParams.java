package io.aura.cascade.sim;

/**
 * Parameters of one D3 episode (spec 1.2, 3, 4).
 *
 * @param loadFactor ℓ, scales all entry traffic
 * @param durationSec T, 1800 s
 * @param warmupSec metrics warm-up, 300 s (only entry latency uses it; cascade metrics start at t_f)
 * @param sinusoidAmplitude 0.1: {@code λ_ext(t) = ℓ λ^d_ext (1 + a sin(2πt/600 s))}
 * @param fault fault kind; its time is {@code t_f ~ U[600, 900] s}
 * @param predictOnly true: the guard's {@code decide} is not called
 * @param actuationDelayMs δ_act, 1000 ms
 * @param crashRestart the D3 crash/restart rule (q ≥ 0.99 Q for 10 s → one instance crashes)
 * @param magnitudes fault magnitudes (F-std by default)
 * @param realisticView the spec 1.3 realism knobs for what the guard sees (permuted ids, perturbed
 *     static topology, LogNormal(0, 0.05) noise, 1% missing rows); on by default
 * @param baseline the in-simulator baseline arm (spec 5) the agents run; {@link Baseline#B0} by
 *     default. A {@link CascadeGuard} acts on top of it.
 * @param tuning the baselines' settings ({@link BaselineTuning#defaults()}: the spec's)
 */
public record EpisodeParams(double loadFactor, long durationSec, long warmupSec, double sinusoidAmplitude,
    FaultKind fault, FaultMagnitudes magnitudes, boolean predictOnly, long actuationDelayMs, boolean crashRestart,
    boolean realisticView, Baseline baseline, BaselineTuning tuning) {
  public static final double DEFAULT_LOAD_FACTOR = 0.9;
  public static final long DEFAULT_DURATION_SEC = 1800;
  public static final long DEFAULT_WARMUP_SEC = 300;
  public static final double DEFAULT_SINUSOID_AMPLITUDE = 0.1;

  public EpisodeParams {
    if (!(loadFactor >= 0) || Double.isInfinite(loadFactor)) {
      throw new IllegalArgumentException("loadFactor must be finite and >= 0: " + loadFactor);
    }
    if (durationSec < 1 || warmupSec < 0 || warmupSec >= durationSec) {
      throw new IllegalArgumentException("need 0 <= warmupSec < durationSec: " + warmupSec + ", " + durationSec);
    }
    if (!(sinusoidAmplitude >= 0 && sinusoidAmplitude < 1)) {
      throw new IllegalArgumentException("sinusoidAmplitude must be in [0,1): " + sinusoidAmplitude);
    }
    if (actuationDelayMs < 0) {
      throw new IllegalArgumentException("actuationDelayMs must be >= 0: " + actuationDelayMs);
    }
    java.util.Objects.requireNonNull(fault, "fault");
    java.util.Objects.requireNonNull(magnitudes, "magnitudes");
    java.util.Objects.requireNonNull(baseline, "baseline");
    java.util.Objects.requireNonNull(tuning, "tuning");
    if (fault != FaultKind.NONE && durationSec < 900) {
      throw new IllegalArgumentException("a fault needs durationSec >= 900 (t_f ~ U[600,900] s): " + durationSec);
    }
  }

  /** ℓ = 0.9, T = 1800 s, F-std, full mode, δ_act = 1 s, crash/restart on, realistic view, B0. */
  public static EpisodeParams defaults() {
    return new EpisodeParams(DEFAULT_LOAD_FACTOR, DEFAULT_DURATION_SEC, DEFAULT_WARMUP_SEC,
        DEFAULT_SINUSOID_AMPLITUDE, FaultKind.F_STD, FaultMagnitudes.standard(), false, GuardConfig.DEFAULT_ACTUATION_DELAY_MS, true, true,
        Baseline.B0, BaselineTuning.defaults());
  }

  public EpisodeParams withLoadFactor(double l) {
    return new EpisodeParams(l, durationSec, warmupSec, sinusoidAmplitude, fault, magnitudes, predictOnly, actuationDelayMs, crashRestart, realisticView, baseline, tuning);
  }

  public EpisodeParams withDuration(long durSec, long warmSec) {
    return new EpisodeParams(loadFactor, durSec, warmSec, sinusoidAmplitude, fault, magnitudes, predictOnly, actuationDelayMs, crashRestart, realisticView, baseline, tuning);
  }

  public EpisodeParams withSinusoidAmplitude(double a) {
    return new EpisodeParams(loadFactor, durationSec, warmupSec, a, fault, magnitudes, predictOnly, actuationDelayMs, crashRestart, realisticView, baseline, tuning);
  }

  public EpisodeParams withFault(FaultKind f) {
    return new EpisodeParams(loadFactor, durationSec, warmupSec, sinusoidAmplitude, f, magnitudes, predictOnly, actuationDelayMs, crashRestart, realisticView, baseline, tuning);
  }

  public EpisodeParams withPredictOnly(boolean p) {
    return new EpisodeParams(loadFactor, durationSec, warmupSec, sinusoidAmplitude, fault, magnitudes, p, actuationDelayMs, crashRestart, realisticView, baseline, tuning);
  }

  public EpisodeParams withMagnitudes(FaultMagnitudes m) {
    return new EpisodeParams(loadFactor, durationSec, warmupSec, sinusoidAmplitude, fault, m, predictOnly, actuationDelayMs, crashRestart, realisticView, baseline, tuning);
  }

  public EpisodeParams withRealisticView(boolean r) {
    return new EpisodeParams(loadFactor, durationSec, warmupSec, sinusoidAmplitude, fault, magnitudes, predictOnly, actuationDelayMs, crashRestart, r, baseline, tuning);
  }

  public EpisodeParams withActuationDelayMs(long ms) {
    return new EpisodeParams(loadFactor, durationSec, warmupSec, sinusoidAmplitude, fault, magnitudes, predictOnly, ms, crashRestart, realisticView, baseline, tuning);
  }

  public EpisodeParams withCrashRestart(boolean c) {
    return new EpisodeParams(loadFactor, durationSec, warmupSec, sinusoidAmplitude, fault, magnitudes, predictOnly, actuationDelayMs, c, realisticView, baseline, tuning);
  }

  /** The same parameters with another in-simulator baseline arm. */
  public EpisodeParams withBaseline(Baseline b) {
    return new EpisodeParams(loadFactor, durationSec, warmupSec, sinusoidAmplitude, fault, magnitudes, predictOnly, actuationDelayMs, crashRestart, realisticView, b, tuning);
  }

  /** The same parameters with other baseline settings. */
  public EpisodeParams withTuning(BaselineTuning t) {
    return new EpisodeParams(loadFactor, durationSec, warmupSec, sinusoidAmplitude, fault, magnitudes, predictOnly, actuationDelayMs, crashRestart, realisticView, baseline, t);
  }
}
