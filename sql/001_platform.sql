-- 001_platform.sql: tables the rest of the schema builds on.
--
-- The migration runner creates the schema gatehouse and wraps this file in one
-- transaction: no BEGIN/COMMIT here.

-- signing_keys: the provider's signing keys (store/keys.c is the only code that reads
-- or writes it; jose/keys.c decides what the rows mean).
--
-- A key goes through four states, all derived from its times:
--   pending  activates_at > now(): in the JWKS, signing nothing yet, so resource
--            servers can fetch it before the first token it signs (OIDC Core 10.1.1).
--            activates_at = 'infinity' for a key staged by hand (keys rotate --stage)
--            until keys activate sets it.
--   active   the newest key of its alg with activates_at <= now(): the only one that
--            signs for that alg.
--   retired  a newer key of the alg activated at retires_at; still in the JWKS so the
--            tokens it signed verify until they expire.
--   expired  expires_at <= now(): every token it signed has expired; out of the JWKS,
--            deleted by keys purge.
-- retires_at is the activates_at of the next key of the same alg, and expires_at is
-- retires_at plus the longest signed-token lifetime (plus the key cache's refresh
-- interval); store/keys.c recomputes both whenever a key is added or activated.
--
-- Unlike other expiring rows, expires_at may be NULL: a key that is still pending or
-- active has no end yet, and is never purged. The index on expires_at serves the purge.
CREATE TABLE gatehouse.signing_keys (
    kid          text PRIMARY KEY CHECK (kid ~ '^[A-Za-z0-9_-]{1,64}$'),
    alg          text NOT NULL CHECK (alg IN ('RS256', 'ES256', 'EdDSA')),
    -- Public members only (RFC 7517; REQUIREMENTS R81): no private member can be
    -- stored here, whatever wrote the row.
    public_jwk   jsonb NOT NULL CHECK (
                     jsonb_typeof(public_jwk) = 'object'
                     AND public_jwk->>'kid' = kid
                     AND public_jwk->>'alg' = alg
                     AND public_jwk->>'use' = 'sig'
                     AND NOT public_jwk ?| ARRAY['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth']),
    -- AES-256-GCM under Keys.EncryptionKeyFile, kid as AAD: nonce(12) || ciphertext ||
    -- tag(16) of the PKCS#8 DER private key.
    private_enc  bytea NOT NULL CHECK (length(private_enc) > 28),
    created_at   timestamptz NOT NULL DEFAULT now(),
    activates_at timestamptz NOT NULL,
    retires_at   timestamptz,
    expires_at   timestamptz,
    CHECK ((retires_at IS NULL) = (expires_at IS NULL)),
    CHECK (retires_at >= activates_at AND expires_at >= retires_at)
);

CREATE INDEX signing_keys_expires_at ON gatehouse.signing_keys (expires_at);
CREATE INDEX signing_keys_alg_activates_at ON gatehouse.signing_keys (alg, activates_at);
