-- Topological memory (enable_memory): each signature's persistence diagrams, for the landscape
-- distance between remembered situations, and the live system's state at every prediction-loop
-- tick, for what happened after a remembered situation (its outcome).
ALTER TABLE signatures ADD COLUMN diagrams VARCHAR;

CREATE TABLE live_history (
    at_ms           BIGINT           NOT NULL,
    agents          INTEGER          NOT NULL,
    failed_fraction DOUBLE PRECISION NOT NULL,
    cascade_risk    DOUBLE PRECISION NOT NULL
);
CREATE INDEX live_history_at_ms ON live_history (at_ms);
