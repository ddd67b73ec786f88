package io.aura.server;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Stores what {@code POST /api/v1/predict} computed: the point cloud's topology signature (seed
 * form) and the prediction document (table {@code predictions}), before the answer is sent.
 */
final class PredictionWriter {

    private final Database db;

    PredictionWriter(Database db) {
        this.db = db;
    }

    void signature(String id, long nowMs, String actor, ObjectNode topologyDocument) {
        AnalyzeService.storeSignature(db, id, nowMs, actor, topologyDocument);
    }

    void prediction(String id, long nowMs, String actor, String signatureId, double risk, ObjectNode document) {
        db.update("INSERT INTO predictions (id, created_at, created_by, signature_id, cascade_risk, document) VALUES (?, ?, ?, ?, ?, ?)",
                id, nowMs, actor, signatureId, risk, Json.write(document));
    }
}
