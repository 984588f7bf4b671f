-- 002: clients and users.
--
-- The rules that protect the protocol are constraints here too, so that an operator
-- writing INSERTs with psql cannot make a client the server would refuse to trust
-- (DESIGN "Data"; issue 6 adds the documented SQL functions on top).

-- The same rule as oauth/redirect.c's gh_oauth_redirect_uri_is_valid: absolute, no
-- fragment, no spaces or control characters, https, or http on a loopback host, or a
-- private-use scheme in reverse-domain form (RFC 8252 7.1: "com.example.app:/cb").
CREATE FUNCTION gatehouse.redirect_uri_valid(u text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT length(u) <= 2000
       AND position('#' IN u) = 0
       AND position('\' IN u) = 0
       AND u !~ '[[:space:][:cntrl:]]'
       AND (u ~ '^https://[^/?@:]+(:[0-9]{1,5})?(/[^?]*)?(\?.*)?$'
            OR u ~ '^http://(127\.0\.0\.1|\[::1\]|localhost)(:[0-9]{1,5})?(/[^?]*)?(\?.*)?$'
            OR u ~ '^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:/[^/]')
$$;

CREATE FUNCTION gatehouse.redirect_uris_valid(us text[]) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT coalesce(bool_and(gatehouse.redirect_uri_valid(u)), true) FROM unnest(us) AS u
$$;

CREATE TABLE gatehouse.clients (
    client_id      text PRIMARY KEY
                   CHECK (client_id ~ '^[A-Za-z0-9._~-]{8,128}$'),
    -- SHA-256 of the secret, lowercase hex; NULL exactly for public clients.
    secret_hash    text CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
    name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    client_type    text NOT NULL CHECK (client_type IN ('confidential', 'public')),
    token_endpoint_auth_method text NOT NULL
                   CHECK (token_endpoint_auth_method IN
                          ('client_secret_basic', 'client_secret_post', 'none')),
    redirect_uris  text[] NOT NULL DEFAULT '{}',
    post_logout_redirect_uris text[] NOT NULL DEFAULT '{}',
    grant_types    text[] NOT NULL DEFAULT '{authorization_code,refresh_token}'
                   CHECK (grant_types <@ ARRAY['authorization_code', 'refresh_token',
                                               'client_credentials']::text[]),
    scopes         text[] NOT NULL DEFAULT '{openid}',
    require_pkce   boolean NOT NULL DEFAULT true,
    skip_consent   boolean NOT NULL DEFAULT false,
    logo_uri       text CHECK (logo_uri ~ '^https://'),
    tos_uri        text CHECK (tos_uri ~ '^https://'),
    policy_uri     text CHECK (policy_uri ~ '^https://'),
    contacts       text[] NOT NULL DEFAULT '{}',
    access_token_format text NOT NULL DEFAULT 'opaque'
                   CHECK (access_token_format IN ('opaque', 'jwt')),
    id_token_alg   text NOT NULL DEFAULT 'RS256'
                   CHECK (id_token_alg IN ('RS256', 'ES256', 'EdDSA')),
    access_token_ttl  integer CHECK (access_token_ttl BETWEEN 1 AND 86400),
    refresh_token_ttl integer CHECK (refresh_token_ttl > 0),
    refresh_idle_ttl  integer CHECK (refresh_idle_ttl > 0),
    refresh_grace_seconds integer NOT NULL DEFAULT 0 CHECK (refresh_grace_seconds BETWEEN 0 AND 60),
    minimal_id_token boolean NOT NULL DEFAULT false,
    is_resource_server boolean NOT NULL DEFAULT false,
    registration_token_hash text CHECK (registration_token_hash ~ '^[0-9a-f]{64}$'),
    disabled       boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    -- A public client has no secret and authenticates with "none" (RFC 8252 8.5);
    -- a confidential one has a secret and a secret-based method.
    CONSTRAINT clients_public_has_no_secret
        CHECK ((client_type = 'public') = (secret_hash IS NULL)),
    CONSTRAINT clients_public_uses_none
        CHECK ((client_type = 'public') = (token_endpoint_auth_method = 'none')),
    -- PKCE may be turned off only for confidential clients (OAuth 2.1 4.1.1, R27).
    CONSTRAINT clients_public_requires_pkce
        CHECK (client_type = 'confidential' OR require_pkce),
    CONSTRAINT clients_public_no_client_credentials
        CHECK (client_type = 'confidential' OR NOT ('client_credentials' = ANY (grant_types))),
    -- Redirect URIs: absolute, no fragment (RFC 6749 3.1.2), https except loopback
    -- and private-use schemes of native apps (RFC 8252 7.1, 7.3; RFC 9700 2.6).
    CONSTRAINT clients_redirect_uris_valid
        CHECK (gatehouse.redirect_uris_valid(redirect_uris)),
    CONSTRAINT clients_post_logout_uris_valid
        CHECK (gatehouse.redirect_uris_valid(post_logout_redirect_uris))
);

CREATE INDEX clients_name_idx ON gatehouse.clients (lower(name));

CREATE TABLE gatehouse.users (
    -- The subject (sub): random, so it is never reassigned to a new account with
    -- the same username (OIDC Core 2, R64).
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    username       text NOT NULL UNIQUE
                   CHECK (username ~ '^[A-Za-z0-9._@+-]{1,64}$'),
    email          text CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    email_verified boolean NOT NULL DEFAULT false,
    -- "scrypt$N$r$p$salt$hash" (base64url): parameters beside the hash so they can
    -- be raised later without invalidating old passwords.
    password_hash  text NOT NULL CHECK (password_hash ~ '^scrypt\$[0-9]+\$[0-9]+\$[0-9]+\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$'),
    name           text,
    given_name     text,
    family_name    text,
    picture        text CHECK (picture ~ '^https://'),
    locale         text,
    extra_claims   jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(extra_claims) = 'object'),
    is_admin       boolean NOT NULL DEFAULT false,
    disabled       boolean NOT NULL DEFAULT false,
    failed_logins  integer NOT NULL DEFAULT 0,
    locked_until   timestamptz,
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_lower_idx ON gatehouse.users (lower(username));
