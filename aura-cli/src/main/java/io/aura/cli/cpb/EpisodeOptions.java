package io.aura.cli.cpb;

import io.aura.cascade.sim.EpisodeParams;
import io.aura.cascade.sim.FaultKind;
import io.aura.cascade.sim.FaultMagnitudes;
import io.aura.cascade.sim.RegimeCalibration;
import picocli.CommandLine.Option;

/**
 * The episode settings that {@code bench cpb} and {@code bench episode} share (a picocli mixin): load,
 * provisioning tolerance, fault, fault scale and duration, with their checks and the headline cell's
 * calibrated fault scale.
 */
final class EpisodeOptions {
    @Option(names = "--load", paramLabel = "L", defaultValue = "0.9", description = "load factor \u2113 (default ${DEFAULT-VALUE})")
    double load;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.2", description = "tolerance \u03b1 of the provisioning (default ${DEFAULT-VALUE})")
    double alpha;

    @Option(names = "--fault", paramLabel = "F", defaultValue = "f-std", description = "fault: f-std (default), none, f1, f1-instance, f2, f3, f4, f4-surge-one, f5, f8")
    String fault;

    @Option(names = "--fault-scale", paramLabel = "X", description = "multiply the fault magnitudes by X (default: the regime calibration's scale "
            + "in the headline cell ali-1000, load 0.9, alpha 0.2, f-std; 1 elsewhere)")
    Double faultScale;

    @Option(names = "--duration", paramLabel = "SEC", defaultValue = "1800", description = "simulated seconds per episode (default ${DEFAULT-VALUE}; >= 900 with a fault)")
    long duration;

    /**
     * Checks load, α, fault and duration.
     *
     * @return the fault
     * @throws IllegalArgumentException naming the option and the accepted values
     */
    FaultKind check() {
        if (!(load > 0) || load > 10) { // 0: no traffic, nothing to measure; far above 1 every agent is saturated from the start
            throw new IllegalArgumentException("--load must be a number > 0 and at most 10 (the spec's grid is 0.6 to 1.0), got " + load);
        }
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("--alpha must be a finite number >= 0, got " + alpha);
        }
        FaultKind faultKind = Faults.parse(fault);
        if (duration < 2) {
            throw new IllegalArgumentException("--duration must be >= 2 s, got " + duration);
        }
        if (faultKind != FaultKind.NONE && duration < 900) {
            throw new IllegalArgumentException("--duration " + duration + " s is too short for a fault (t_f ~ U[600, 900] s); "
                    + "use >= 900 or --fault none");
        }
        return faultKind;
    }

    /** Whether these settings on {@code run}'s source are the headline cell (ali-1000, ℓ 0.9, α 0.2, F-std). */
    boolean headline(RunOptions run, FaultKind faultKind) {
        return run.isFamily(RegimeCalibration.FAMILY) && load == RegimeCalibration.LOAD && alpha == RegimeCalibration.ALPHA
                && faultKind == FaultKind.F_STD;
    }

    /**
     * The fault scale: --fault-scale, else the regime calibration's in the headline cell, else 1.
     *
     * @throws IllegalArgumentException when --fault-scale is not a finite number &gt; 0
     */
    double scale(boolean headline) {
        double scale = faultScale != null ? faultScale : headline ? RegimeCalibration.HEADLINE_SCALE : 1.0;
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("--fault-scale must be a finite number > 0, got " + scale);
        }
        return scale;
    }

    /** The episode parameters: load, duration with its warm-up, fault and the scaled magnitudes. */
    EpisodeParams params(FaultKind faultKind, double scale) {
        long warmup = Math.min(EpisodeParams.DEFAULT_WARMUP_SEC, duration / 6);
        // the fault first: a duration under 900 s is valid only without one
        return EpisodeParams.defaults().withLoadFactor(load).withFault(faultKind).withDuration(duration, warmup)
                .withMagnitudes(FaultMagnitudes.standard().scaled(scale));
    }
}
