-- The knowledge graph's exporter (AURA_NEO4J_URI): per SQL table, the oldest created_at from which
-- rows may be missing in Neo4j (after a queue overflow or a failed write), so that a restart
-- resumes the resync instead of forgetting it. No row: nothing is owed.
CREATE TABLE graph_export (
    table_name  VARCHAR(32) PRIMARY KEY,
    resync_from BIGINT      NOT NULL
);
