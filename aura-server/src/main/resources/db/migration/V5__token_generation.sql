-- An agent's token generation: an enrolment that takes permissions away starts a new one, and tokens
-- of an earlier generation (claim "gen"; 0 when absent) no longer connect. Re-enrolling with the same
-- or more permissions keeps the generation, so a later widening does not bring a revoked token back.
ALTER TABLE enrolments ADD COLUMN token_generation INTEGER DEFAULT 0 NOT NULL;
