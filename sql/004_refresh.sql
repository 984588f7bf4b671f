-- 004: refresh token rotation (issue 5: oauth/refresh.c, DESIGN invariant 4).
--
-- A refresh token is used once: rotating it sets used_at (003) and rotated_xid in the
-- transaction that issues its successor. A used token presented again is a replay
-- unless the request was already in flight when that transaction committed: it began
-- with a snapshot in which rotated_xid was not yet visible (pg_visible_in_snapshot),
-- or within the client's refresh_grace_seconds of used_at (002).

-- When the family's first token was issued (its code was redeemed): the absolute
-- refresh token lifetime (Tokens.RefreshTokenLifetime, clients.refresh_token_ttl)
-- counts from here, however often the family rotates. NULL in rows issued before this
-- migration: their created_at stands in.
ALTER TABLE gatehouse.tokens ADD COLUMN family_started_at timestamptz;

-- The transaction that rotated (used) this refresh token.
ALTER TABLE gatehouse.tokens ADD COLUMN rotated_xid xid8;
