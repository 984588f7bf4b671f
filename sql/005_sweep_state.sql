-- 005: when the serving workers last swept expired rows.
--
-- One row. A worker claims a sweep with UPDATE ... WHERE last_at <= now() - interval
-- RETURNING: across every process and host, at most one claim succeeds per interval.
CREATE TABLE gatehouse.sweep_state (
    id      boolean PRIMARY KEY DEFAULT true CHECK (id),
    last_at timestamptz NOT NULL DEFAULT '-infinity'
);
INSERT INTO gatehouse.sweep_state DEFAULT VALUES;
