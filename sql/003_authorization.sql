-- 003: what the authorization code flow keeps: scopes, browser sessions, pending
-- authorization requests, grants (a user's consent to a client), codes, tokens and
-- login throttling.
--
-- Every row that can expire has expires_at NOT NULL and an index on it, so the sweeps
-- (store/sweep.c) delete in bounded batches. Codes, tokens, session ids and request
-- handles are stored only as SHA-256 hashes (lowercase hex).

-- Scopes: what each one releases, and how the consent page describes it, per
-- language ({"en": "...", "ja": "..."}).
CREATE TABLE gatehouse.scopes (
    name         text PRIMARY KEY CHECK (name ~ '^[!#-\[\]-~]{1,128}$'),
    claims       text[] NOT NULL DEFAULT '{}',
    descriptions jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(descriptions) = 'object'),
    created_at   timestamptz NOT NULL DEFAULT now()
);

INSERT INTO gatehouse.scopes (name, claims, descriptions) VALUES
    ('openid', '{sub}',
     '{"en": "Sign you in with your account", "ja": "あなたのアカウントでサインインします"}'),
    ('profile', '{name,given_name,family_name,picture,locale}',
     '{"en": "See your name and profile picture", "ja": "名前とプロフィール画像を参照します"}'),
    ('email', '{email,email_verified}',
     '{"en": "See your email address", "ja": "メールアドレスを参照します"}'),
    ('offline_access', '{}',
     '{"en": "Stay connected when you are not using it", "ja": "あなたが利用していない間もアクセスを維持します"}');

-- Browser sessions. The cookie holds the raw id; sid is the public identifier that
-- goes into id_tokens (OIDC Session Management "sid"), never the cookie value.
CREATE TABLE gatehouse.sessions (
    id_hash      text PRIMARY KEY CHECK (id_hash ~ '^[0-9a-f]{64}$'),
    sid          uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL REFERENCES gatehouse.users (id) ON DELETE CASCADE,
    auth_time    timestamptz NOT NULL,
    amr          text[] NOT NULL DEFAULT '{pwd}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    -- The absolute end; the idle limit is checked against last_seen_at.
    expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_expires_at ON gatehouse.sessions (expires_at);
CREATE INDEX sessions_user_id ON gatehouse.sessions (user_id);

-- Pending /authorize requests while the person signs in and consents: the request
-- stays here, never in hidden form fields. browser_hash binds it to the browser that
-- started it.
CREATE TABLE gatehouse.auth_requests (
    handle_hash  text PRIMARY KEY CHECK (handle_hash ~ '^[0-9a-f]{64}$'),
    browser_hash text NOT NULL CHECK (browser_hash ~ '^[0-9a-f]{64}$'),
    client_id    text NOT NULL REFERENCES gatehouse.clients (client_id) ON DELETE CASCADE,
    redirect_uri text NOT NULL,
    redirect_uri_given boolean NOT NULL,
    response_mode text NOT NULL CHECK (response_mode IN ('query', 'form_post')),
    scope        text NOT NULL,
    state        text,
    nonce        text,
    code_challenge text,
    prompt       text,
    max_age      integer CHECK (max_age >= 0),
    login_hint   text,
    ui_locales   text,
    -- Set once the person signed in during this request (prompt=login, max_age).
    login_done   boolean NOT NULL DEFAULT false,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX auth_requests_expires_at ON gatehouse.auth_requests (expires_at);

-- Grants: a user's consent to a client for a set of scopes. Every code and token
-- issued under it points here; revoking it (the connected-apps page, an admin)
-- revokes them all.
CREATE TABLE gatehouse.grants (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid NOT NULL REFERENCES gatehouse.users (id) ON DELETE CASCADE,
    client_id    text NOT NULL REFERENCES gatehouse.clients (client_id) ON DELETE CASCADE,
    scopes       text[] NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    -- A revoked grant is kept (tokens point at it) until every token it had has
    -- expired; a live one has no end.
    expires_at   timestamptz
);
CREATE UNIQUE INDEX grants_live_user_client ON gatehouse.grants (user_id, client_id)
    WHERE revoked_at IS NULL;
CREATE INDEX grants_expires_at ON gatehouse.grants (expires_at);

-- Authorization codes: single use (used_at is set, never deleted on use, so that a
-- second use can find and revoke what the first one issued), 60 s by default.
CREATE TABLE gatehouse.codes (
    code_hash    text PRIMARY KEY CHECK (code_hash ~ '^[0-9a-f]{64}$'),
    client_id    text NOT NULL REFERENCES gatehouse.clients (client_id) ON DELETE CASCADE,
    user_id      uuid NOT NULL REFERENCES gatehouse.users (id) ON DELETE CASCADE,
    grant_id     uuid REFERENCES gatehouse.grants (id) ON DELETE CASCADE,
    -- The token family this code starts: every token issued from it, and from their
    -- refreshes, carries it.
    family_id    uuid NOT NULL DEFAULT gen_random_uuid(),
    redirect_uri text NOT NULL,
    redirect_uri_given boolean NOT NULL,
    scope        text NOT NULL,
    nonce        text,
    code_challenge text,
    sid          uuid,
    auth_time    timestamptz NOT NULL,
    amr          text[] NOT NULL DEFAULT '{pwd}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);
CREATE INDEX codes_expires_at ON gatehouse.codes (expires_at);

-- Access and refresh tokens (JWT access tokens too: their hash and jti, so they can
-- be revoked and introspected).
CREATE TABLE gatehouse.tokens (
    token_hash   text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    kind         text NOT NULL CHECK (kind IN ('access', 'refresh')),
    format       text NOT NULL DEFAULT 'opaque' CHECK (format IN ('opaque', 'jwt')),
    jti          text UNIQUE,
    client_id    text NOT NULL REFERENCES gatehouse.clients (client_id) ON DELETE CASCADE,
    user_id      uuid REFERENCES gatehouse.users (id) ON DELETE CASCADE,
    grant_id     uuid REFERENCES gatehouse.grants (id) ON DELETE CASCADE,
    family_id    uuid,
    scope        text NOT NULL,
    sid          uuid,
    auth_time    timestamptz,
    amr          text[],
    nonce        text,
    parent_hash  text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    revoked_at   timestamptz,
    -- A user token belongs to a grant; a client_credentials token to no user.
    CHECK ((user_id IS NULL) = (grant_id IS NULL))
);
CREATE INDEX tokens_expires_at ON gatehouse.tokens (expires_at);
CREATE INDEX tokens_family_id ON gatehouse.tokens (family_id);
CREATE INDEX tokens_grant_id ON gatehouse.tokens (grant_id);

-- Failed sign-ins, per account name and per client address (key "user:<name>" or
-- "addr:<ip>"), for the growing delay and the temporary lock.
CREATE TABLE gatehouse.login_attempts (
    key          text PRIMARY KEY CHECK (length(key) <= 200),
    failures     integer NOT NULL DEFAULT 0,
    last_failure_at timestamptz NOT NULL DEFAULT now(),
    locked_until timestamptz,
    expires_at   timestamptz NOT NULL
);
CREATE INDEX login_attempts_expires_at ON gatehouse.login_attempts (expires_at);
