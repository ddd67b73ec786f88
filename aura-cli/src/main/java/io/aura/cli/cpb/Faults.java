package io.aura.cli.cpb;

import io.aura.cascade.sim.FaultKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --fault} names: every {@link FaultKind} by its name in lower case with '-' for '_'
 * ({@code f2-slow}, {@code f-std}, {@code none}), plus the spec's short ids ({@code f1}..{@code f8})
 * for the kind that is the only one with that id (or the first listed, e.g. f1 = f1-agent).
 */
final class Faults {
    private Faults() {
    }

    static Map<String, FaultKind> names() {
        Map<String, FaultKind> m = new LinkedHashMap<>();
        for (FaultKind k : FaultKind.values()) {
            m.put(k.name().toLowerCase(Locale.ROOT).replace('_', '-'), k);
        }
        for (FaultKind k : FaultKind.values()) {
            String full = k.name().toLowerCase(Locale.ROOT);
            int cut = full.indexOf('_');
            if (cut > 0 && full.matches("f[0-9]+_.*")) {
                m.putIfAbsent(full.substring(0, cut), k);
            }
        }
        return m;
    }

    static FaultKind parse(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        FaultKind k = names().get(key);
        if (k == null) {
            List<String> accepted = new ArrayList<>(names().keySet());
            throw new IllegalArgumentException("unknown --fault '" + name.trim() + "'; accepted: " + String.join(", ", accepted));
        }
        return k;
    }
}
