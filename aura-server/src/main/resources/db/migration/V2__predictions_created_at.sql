-- Retention (AURA_RETENTION_DAYS) deletes predictions by age.
CREATE INDEX predictions_created_at ON predictions (created_at);
