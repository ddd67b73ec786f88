package io.aura.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aura.tda.BettiNumbers;
import io.aura.tda.DiagramSummary;
import io.aura.tda.PersistenceDiagram;
import io.aura.tda.PersistenceResult;
import io.aura.tda.RipsOptions;
import io.aura.tda.UniformGrid;

/**
 * The analyze document: persistence diagrams, Betti numbers at a scale, Betti curves and per-dimension
 * summaries (persistence entropy, landscape norms) of one Vietoris–Rips computation. The same
 * document is printed by {@code aura analyze --json} and returned by {@code POST /api/v1/analyze}
 * (which adds {@code signature_id} and {@code timing_ms}); field reference in docs/tda.md.
 */
public final class AnalyzeDocument {

    /** How the input was given. */
    public enum InputKind {
        /** dense: a point cloud or a full distance matrix (threshold defaults to the enclosing radius) */
        DENSE,
        /** sparse: a weighted graph or sparse matrix (threshold defaults to the largest finite value) */
        SPARSE
    }

    private AnalyzeDocument() {
    }

    /**
     * Builds the document.
     *
     * @param format the input format's name as shown to the user (e.g. {@code point-cloud})
     * @param ambientDimension coordinates per point for a point cloud, {@code null} otherwise
     * @param kind dense or sparse input
     * @param options the options the computation ran with
     * @param result the computation's result
     * @param scale scale of the reported Betti numbers; {@code null}: the filtration's cut
     * @param curveSamples samples of each Betti curve on [0, cut]
     */
    public static ObjectNode build(String format, Integer ambientDimension, InputKind kind, RipsOptions options,
            PersistenceResult result, Double scale, int curveSamples) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("algorithm", "persistent_homology");
        ObjectNode in = doc.putObject("input");
        in.put("format", format);
        in.put("points", result.pointCount());
        if (ambientDimension != null) {
            in.put("ambient_dimension", ambientDimension);
        }
        ObjectNode params = doc.putObject("parameters");
        params.put("max_dimension", options.maxDimension());
        if (options.hasThreshold()) {
            params.put("threshold", options.threshold());
        } else {
            params.putNull("threshold");
        }
        params.put("modulus", options.modulus());

        double maxScale = maxScale(result);
        ObjectNode filtration = doc.putObject("filtration");
        filtration.put("threshold", (float) maxScale);
        filtration.put("threshold_kind", options.hasThreshold() ? "given"
                : kind == InputKind.SPARSE ? "largest_finite_value" : "enclosing_radius");
        filtration.put("computed_dimensions", result.maxDimension() + 1);

        ArrayNode diagrams = doc.putArray("diagrams");
        for (PersistenceDiagram d : result.diagrams()) {
            ObjectNode dn = diagrams.addObject();
            dn.put("dimension", d.dimension());
            ArrayNode intervals = dn.putArray("intervals");
            for (int i = 0; i < d.size(); i++) {
                ArrayNode iv = intervals.addArray();
                // values are float32: print their shortest float form
                iv.add((float) d.birth(i));
                if (d.isEssential(i)) {
                    iv.addNull();
                } else {
                    iv.add((float) d.death(i));
                }
            }
        }

        double s = scale != null ? scale : maxScale;
        ObjectNode betti = doc.putObject("betti_numbers");
        betti.put("scale", s);
        ArrayNode values = betti.putArray("values");
        for (int b : BettiNumbers.at(result, s)) {
            values.add(b);
        }

        UniformGrid grid = new UniformGrid(0, maxScale, curveSamples);
        ObjectNode curves = doc.putObject("betti_curves");
        curves.put("t_min", grid.tMin());
        curves.put("t_max", grid.tMax());
        curves.put("samples", grid.samples());
        ArrayNode curveList = curves.putArray("curves");
        for (PersistenceDiagram d : result.diagrams()) {
            ArrayNode c = curveList.addArray();
            for (int v : BettiNumbers.curve(d, grid)) {
                c.add(v);
            }
        }

        ArrayNode summaries = doc.putArray("summaries");
        for (PersistenceDiagram d : result.diagrams()) {
            DiagramSummary sum = DiagramSummary.of(d, maxScale);
            ObjectNode sn = summaries.addObject();
            sn.put("dimension", sum.dimension());
            sn.put("count", sum.count());
            sn.put("essential_count", sum.essentialCount());
            sn.put("total_persistence", sum.totalPersistence());
            sn.put("max_persistence", sum.maxPersistence());
            sn.put("mean_birth", sum.meanBirth());
            sn.put("mean_death", sum.meanDeath());
            sn.put("entropy", sum.entropy());
            sn.put("landscape_l1", sum.landscapeL1());
            sn.put("landscape_l2", sum.landscapeL2());
        }
        return doc;
    }

    /**
     * A document read back from its JSON text (the shared Redis cache), or null when the value does
     * not have a document's shape. JSON has no float32 or NaN, so the float fields (thresholds,
     * interval ends) become float nodes again and quoted non-finite summaries doubles: the result
     * equals the document {@link #build} made, and so gives the same answers and prints the same.
     */
    static ObjectNode fromJson(JsonNode n) {
        if (!(n instanceof ObjectNode doc) || !n.path("input").path("points").isInt()
                || !(n.get("diagrams") instanceof ArrayNode diagrams) || !(n.get("summaries") instanceof ArrayNode summaries)
                || !n.path("betti_numbers").path("values").isArray() || !n.path("betti_curves").path("curves").isArray()
                || !(n.get("parameters") instanceof ObjectNode params) || !(n.get("filtration") instanceof ObjectNode filtration)
                || !filtration.path("threshold").isNumber() || !(params.path("threshold").isNumber() || params.path("threshold").isNull())) {
            return null;
        }
        filtration.put("threshold", filtration.get("threshold").floatValue());
        if (params.get("threshold").isNumber()) {
            params.put("threshold", params.get("threshold").floatValue());
        }
        for (JsonNode d : diagrams) {
            if (!d.path("dimension").isInt() || !(d.get("intervals") instanceof ArrayNode intervals)) {
                return null;
            }
            for (JsonNode iv : intervals) {
                if (!(iv instanceof ArrayNode pair) || pair.size() != 2 || !pair.get(0).isNumber()
                        || !(pair.get(1).isNumber() || pair.get(1).isNull())) {
                    return null;
                }
                pair.set(0, JsonNodeFactory.instance.numberNode(pair.get(0).floatValue()));
                if (pair.get(1).isNumber()) {
                    pair.set(1, JsonNodeFactory.instance.numberNode(pair.get(1).floatValue()));
                }
            }
        }
        for (JsonNode sn : summaries) {
            if (!(sn instanceof ObjectNode o)) {
                return null;
            }
            for (var it = o.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (e.getValue().isTextual()) {
                    switch (e.getValue().asText()) {
                        case "NaN" -> e.setValue(JsonNodeFactory.instance.numberNode(Double.NaN));
                        case "Infinity" -> e.setValue(JsonNodeFactory.instance.numberNode(Double.POSITIVE_INFINITY));
                        case "-Infinity" -> e.setValue(JsonNodeFactory.instance.numberNode(Double.NEGATIVE_INFINITY));
                        default -> {
                            return null;
                        }
                    }
                }
            }
        }
        return doc;
    }

    /**
     * The scale the filtration was cut at; for sparse input without a threshold, the largest
     * finite birth or death (essential classes are clipped there for landscapes and entropy).
     */
    public static double maxScale(PersistenceResult result) {
        if (result.threshold() != RipsOptions.NO_THRESHOLD && Float.isFinite(result.threshold())) {
            return result.threshold();
        }
        double m = 0;
        for (PersistenceDiagram d : result.diagrams()) {
            for (int i = 0; i < d.size(); i++) {
                m = Math.max(m, d.birth(i));
                if (!d.isEssential(i)) {
                    m = Math.max(m, d.death(i));
                }
            }
        }
        return m;
    }
}
