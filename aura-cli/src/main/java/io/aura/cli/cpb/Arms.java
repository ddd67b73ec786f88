package io.aura.cli.cpb;

import io.aura.cascade.predict.AuraGuard;
import io.aura.cascade.predict.PreventionPolicy;
import io.aura.cascade.predict.RiskModel;
import io.aura.cascade.sim.Baseline;
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
 * <p>Baseline arms come from the simulator's baselines. A system under test is added in ONE place,
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
        m.put("aura", new Arm.Guarded("aura", AuraGuard::new, false, version));
        PreventionPolicy.Config shed = PreventionPolicy.Config.defaults().withSheds(true);
        m.put("aura-shed", new Arm.Guarded("aura-shed", () -> new AuraGuard(RiskModel.shipped(), shed), false, version + "-shed"));
        m.put("aura-predict", new Arm.Guarded("aura-predict", AuraGuard::new, true, version));
        return m;
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
        for (String raw : list.split(",", -1)) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("--arms has an empty name in '" + list + "'; accepted: " + String.join(", ", names()));
            }
            if (!baselines.containsKey(name) && !suts.containsKey(name) && !name.equals(RAND_BUDGET)) {
                throw new IllegalArgumentException("unknown arm '" + raw.trim() + "'; accepted: " + String.join(", ", names()));
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("arm '" + name + "' is listed twice in --arms");
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
            } else if (baselines.containsKey(name)) {
                arms.add(baselines.get(name));
            } else {
                arms.add(suts.get(name));
            }
        }
        return List.copyOf(arms);
    }
}
