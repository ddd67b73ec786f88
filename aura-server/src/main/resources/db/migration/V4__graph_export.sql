-- The knowledge graph's exporter (AURA_NEO4J_URI): per SQL table and exporter (one per server
-- process; replicas share the database), the oldest created_at from which rows may be missing in
-- Neo4j after a queue overflow, a failed write or a shutdown, so that a restart resumes the resync
-- instead of forgetting it. No row: nothing is owed.
CREATE TABLE graph_export (
    table_name  VARCHAR(32) NOT NULL,
    exporter    VARCHAR(36) NOT NULL,
    resync_from BIGINT      NOT NULL,
    PRIMARY KEY (table_name, exporter)
);
