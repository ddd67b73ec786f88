package io.aura.cli.cpb;

import io.aura.cascade.predict.AuraGuard;
import io.aura.cascade.predict.PreventionPolicy;
import io.aura.cascade.predict.RiskModel;
import io.aura.cascade.baseline.EnvoyOutlierConfig;
import io.aura.cascade.baseline.HystrixConfig;
import io.aura.cascade.baseline.R4jCircuitBreakerConfig;
import io.aura.cascade.baseline.SreConfig;
import io.aura.cascade.sim.Baseline;
import io.aura.cascade.sim.BaselineTuning;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The arm registry of {@code aura bench cpb}: every name accepted by {@code --arms}.
 *
 * <p>Baseline arms come from the simulator's baselines, with their spec-5 settings; {@code NAME@VALUE}
 * runs a baseline with its main knob set to VALUE (spec 10.3: baselines swept over their own knobs):
 * {@code b1-r4j@X} Resilience4j failureRateThreshold X% (default 50), {@code b1-hyx@X} Hystrix
 * errorThresholdPercentage X (integer, default 50), {@code b3@K} the SRE throttle's K (default 2; lower
 * throttles earlier), {@code b4@N} Envoy consecutive_5xx N (integer, default 5). A system under test is added in ONE place,
 * {@link #suts()}: e.g. {@code sut.put("aura", new Arm.Guarded("aura", AuraGuard::new, false, version))}
 * plus its predict-only twin; {@code rand-budget} then replays the first full-mode SUT arm of the run.
 */
public final class Arms {
    /** Name of the RAND-budget control arm. */
    public static final String RAND_BUDGET = "rand-budget";
    /** Name of the reference arm of the paired comparisons (no protection). */
    public static final String B0 = "b0";

    private Arms() {
    }

    /** In-simulator baselines ({@link Baseline}: b0, its ablations, b1-r4j .. b4), in the order of spec section 5. */
    static Map<String, Arm.Baseline> baselines() {
        Map<String, Arm.Baseline> m = new LinkedHashMap<>();
        for (Baseline b : Baseline.values()) {
            m.put(b.armName(), new Arm.Baseline(b.armName(), p -> p.withBaseline(b)));
        }
        return m;
    }

    /** Systems under test plugged in through CascadeGuard (issue 4 registers AURA's here). */
    static Map<String, Arm.Guarded> suts() {
        Map<String, Arm.Guarded> m = new LinkedHashMap<>();
        String version = "aura-" + RiskModel.shipped().fingerprint();
        PreventionPolicy.Config defaults = PreventionPolicy.Config.defaults();
        fullMode(m, "aura", version, defaults);
        fullMode(m, "aura-shed", version, defaults.withSheds(true));
        fullMode(m, "aura-no-throttle", version, defaults.withThrottleK(0));
        fullMode(m, "aura-no-latency", version, defaults.withLatencyWindows(false));
        m.put("aura-predict", new Arm.Guarded("aura-predict", AuraGuard::new, true, version));
        return m;
    }

    /** A full-mode AURA arm with this policy; its version is the risk model's plus the policy settings' fingerprint. */
    private static void fullMode(Map<String, Arm.Guarded> m, String name, String modelVersion, PreventionPolicy.Config policy) {
        m.put(name, new Arm.Guarded(name, () -> new AuraGuard(RiskModel.shipped(), policy), false,
                modelVersion + "-policy-" + policy.fingerprint()));
    }

    /** Arms of earlier versions that committed commands still name, and what to run instead. */
    static final Map<String, String> RETIRED = Map.of(
            "aura-latency", "its latency windows became aura's default on 2026-11-27 (same policy, same SUT version and traces);"
                    + " run aura, or aura-no-latency for the policy without them");

    /** The baselines that take a knob after {@code @}, and what the knob is. */
    static final Map<String, String> KNOBS = Map.of(
            "b1-r4j", "failure-rate threshold in percent, (0, 100], default 50",
            "b1-hyx", "error-threshold percentage, integer in [1, 100], default 50",
            "b3", "the SRE throttle's K, > 0, default 2",
            "b4", "consecutive 5xx before an ejection, integer >= 1, default 5");

    /**
     * A baseline arm with its knob set ({@code name} is e.g. {@code b1-r4j@40}).
     *
     * @throws IllegalArgumentException naming the problem and the accepted knobs
     */
    static Arm.Baseline tuned(String name) {
        Map.Entry<Baseline, BaselineTuning> settings = tunedSettings(name);
        Baseline b = settings.getKey();
        BaselineTuning tuning = settings.getValue();
        return new Arm.Baseline(name, p -> p.withBaseline(b).withTuning(tuning));
    }

    /** The baseline and settings of a tuned arm name ({@link #tuned}), or of a plain baseline name. */
    static Map.Entry<Baseline, BaselineTuning> tunedSettings(String name) {
        int at = name.indexOf('@');
        if (at < 0) {
            return Map.entry(Baseline.parse(name), BaselineTuning.defaults());
        }
        String base = name.substring(0, at);
        String raw = name.substring(at + 1);
        if (!KNOBS.containsKey(base)) {
            throw new IllegalArgumentException("arm '" + name + "': only " + String.join(", ", new java.util.TreeSet<>(KNOBS.keySet()))
                    + " take a knob after @");
        }
        double v;
        try {
            v = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("arm '" + name + "': '" + raw + "' is not a number (" + base + "@: " + KNOBS.get(base) + ")");
        }
        boolean integer = base.equals("b1-hyx") || base.equals("b4");
        if (!Double.isFinite(v) || (integer && v != Math.rint(v))) {
            throw new IllegalArgumentException("arm '" + name + "': " + base + "@ takes the " + KNOBS.get(base));
        }
        BaselineTuning t = BaselineTuning.defaults();
        Baseline b = Baseline.parse(base);
        try {
            t = switch (b) {
                case B1_R4J -> t.withR4j(R4jCircuitBreakerConfig.builder().failureRateThresholdPercent(v).build());
                case B1_HYX -> t.withHystrix(HystrixConfig.builder().errorThresholdPercentage((int) v).build());
                case B3 -> t.withSre(SreConfig.builder().k(v).build());
                case B4 -> t.withEnvoy(EnvoyOutlierConfig.builder().alwaysEjectOneHost(true).consecutive5xx((int) v).build());
                default -> throw new IllegalStateException("no knob for " + b);
            };
        } catch (io.aura.cascade.baseline.BaselineInputException e) {
            throw new IllegalArgumentException("arm '" + name + "': " + e.getMessage() + " (" + base + "@: " + KNOBS.get(base) + ")");
        }
        return Map.entry(b, t);
    }

    /** Every accepted arm name, baselines first. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(baselines().keySet());
        names.addAll(suts().keySet());
        names.add(RAND_BUDGET);
        return Collections.unmodifiableList(names);
    }

    /**
     * Resolves a comma-separated {@code --arms} list (case-insensitive) in the given order.
     *
     * @throws IllegalArgumentException on an empty list, a duplicate, an unknown name (listing the
     *     accepted ones) or {@code rand-budget} without a full-mode SUT arm in the list
     */
    public static List<Arm> parse(String list) {
        Map<String, Arm.Baseline> baselines = baselines();
        Map<String, Arm.Guarded> suts = suts();
        Set<String> seen = new LinkedHashSet<>();
        Map<String, Arm.Baseline> tunedArms = new LinkedHashMap<>();
        for (String raw : list.split(",", -1)) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("--arms has an empty name in '" + list + "'; accepted: " + String.join(", ", names()));
            }
            if (name.indexOf('@') > 0) {
                tunedArms.put(name, tuned(name)); // validated now, before any episode runs
            } else if (RETIRED.containsKey(name)) {
                throw new IllegalArgumentException("arm '" + raw.trim() + "' is retired: " + RETIRED.get(name));
            } else if (!baselines.containsKey(name) && !suts.containsKey(name) && !name.equals(RAND_BUDGET)) {
                throw new IllegalArgumentException("unknown arm '" + raw.trim() + "'; accepted: " + String.join(", ", names()) + "; a baseline with its knob set: b1-r4j@X, b1-hyx@X, b3@K, b4@N");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("arm '" + name + "' is listed twice in --arms");
            }
        }
        // the same baseline with the same settings under two names (b3 and b3@2, b3@2 and b3@2.0) would run twice
        Map<Map.Entry<Baseline, BaselineTuning>, String> settingsSeen = new java.util.HashMap<>();
        for (String name : seen) {
            String base = name.indexOf('@') > 0 ? name.substring(0, name.indexOf('@')) : name;
            if (!KNOBS.containsKey(base)) {
                continue;
            }
            String other = settingsSeen.putIfAbsent(tunedSettings(name), name);
            if (other != null) {
                throw new IllegalArgumentException("arms '" + other + "' and '" + name + "' are the same baseline with the same settings;"
                        + " list it once");
            }
        }
        Arm.Guarded firstSut = null;
        for (String name : seen) {
            Arm.Guarded g = suts.get(name);
            if (g != null && !g.predictOnly() && firstSut == null) {
                firstSut = g;
            }
        }
        List<Arm> arms = new ArrayList<>();
        for (String name : seen) {
            if (name.equals(RAND_BUDGET)) {
                if (firstSut == null) {
                    throw new IllegalArgumentException("arm rand-budget replays the action budget of a SUT arm on the same seeds; "
                            + "add a full-mode SUT arm to --arms (" + (suts.isEmpty() ? "none is registered in this build"
                                    : "registered: " + String.join(", ", suts.keySet())) + ")");
                }
                arms.add(new Arm.RandBudget(RAND_BUDGET, firstSut));
            } else if (tunedArms.containsKey(name)) {
                arms.add(tunedArms.get(name));
            } else if (baselines.containsKey(name)) {
                arms.add(baselines.get(name));
            } else {
                arms.add(suts.get(name));
            }
        }
        return List.copyOf(arms);
    }
}
