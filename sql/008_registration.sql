-- 008: dynamic client registration (RFC 7591, RFC 7592; docs/registration.md).

-- A client made through /register is marked: it is never trusted (consent is always
-- asked, and the consent page says the app is unverified: RFC 7591 section 5, R93),
-- and it counts against Registration.MaxClients. Its registration access token
-- (RFC 7592) is kept as a SHA-256 in registration_token_hash (sql/002); only such a
-- client has one. An operator who vouches for an app clears the mark and the token
-- together.
ALTER TABLE gatehouse.clients
    ADD COLUMN dynamically_registered boolean NOT NULL DEFAULT false;
ALTER TABLE gatehouse.clients ADD CONSTRAINT clients_registered_not_trusted
    CHECK (NOT (dynamically_registered AND skip_consent));
ALTER TABLE gatehouse.clients ADD CONSTRAINT clients_registration_token_registered
    CHECK (registration_token_hash IS NULL OR dynamically_registered);
-- The cap counts these rows at every registration.
CREATE INDEX clients_dynamically_registered ON gatehouse.clients (client_id)
    WHERE dynamically_registered;

-- Initial access tokens (RFC 7591 section 3), called developer tokens in the command
-- line and on the admin page: an operator issues one to a developer, who sends it as a
-- Bearer token to /register. Only the SHA-256 is kept; the token is shown once.
-- Expired ones are swept (DESIGN invariant 8), revoked ones when they expire.
CREATE TABLE gatehouse.initial_access_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash   text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    label        text NOT NULL DEFAULT '' CHECK (length(label) <= 200),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    last_used_at timestamptz,
    CHECK (expires_at > created_at)
);
CREATE INDEX initial_access_tokens_expires_at ON gatehouse.initial_access_tokens (expires_at);
