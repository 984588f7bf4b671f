-- 007: managing clients and users from psql (issue 6), and the client rules that 002
-- left to the C code only.
--
-- Every rule of oauth/client.c (gh_oauth_client_validate, and the scope check of
-- gh_oauth_client_create/update) is a constraint or trigger here too, so an INSERT or
-- UPDATE by hand, the functions below, the command line, manifests and dynamic
-- registration all refuse the same clients. docs/sql.md documents the functions.

-- A redirect URI: the same rule as oauth/redirect.c's gh_oauth_redirect_uri_is_valid,
-- byte for byte (002's version let ports 0 and above 65535 through, and judged private-use
-- schemes by a stricter pattern than the C code). At most 2000 bytes; no control
-- characters, space, '#' (RFC 6749 3.1.2: no fragment) or backslash; then https with a
-- host (no userinfo, no IPv6 literal), http on a loopback host (RFC 8252 7.3), or a
-- private-use scheme with a dot, as "com.example.app:/cb" (RFC 8252 7.1). Explicit byte
-- ranges rather than [[:space:]] so that the database locale cannot change the rule.
CREATE OR REPLACE FUNCTION gatehouse.redirect_uri_valid(u text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT octet_length(u) <= 2000
       AND u !~ '[\x01-\x20\x7f#\\]'
       AND CASE
           WHEN u ~ '^https?://' THEN
               (u ~ '^https://[^/?@:\[][^/?@:]*(:[0-9]{1,5})?([/?].*)?$'
                OR u ~ '^http://(127\.0\.0\.1|\[::1\]|localhost)(:[0-9]{1,5})?([/?].*)?$')
               AND coalesce(substring(u FROM '^https?://(?:\[::1\]|[^/?:]*):([0-9]+)')::integer
                            BETWEEN 1 AND 65535, true)
           ELSE u ~ '^[a-z][a-z0-9+.-]*:/[^/]' AND split_part(u, ':', 1) LIKE '%.%'
           END
$$;
COMMENT ON FUNCTION gatehouse.redirect_uri_valid(text) IS
    'Whether u may be registered as a redirect URI (oauth/redirect.c, RFC 9700 2.6).';

-- A logo, terms-of-service or privacy-policy URI: shown to people, so https only and
-- nothing that could leave an HTML attribute (R93). oauth/client.c: is_https_url.
CREATE FUNCTION gatehouse.https_url_valid(u text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT octet_length(u) <= 2000 AND u ~ '^https://[^\x01-\x20\x7f"''<>\\]+$'
$$;
COMMENT ON FUNCTION gatehouse.https_url_valid(text) IS
    'Whether u may be a client''s logo, terms or policy URI: https, no space, quote, '
    'angle bracket, backslash or control character, at most 2000 bytes.';

-- Contacts (RFC 7591 2): e-mail addresses of the people responsible for the client.
CREATE FUNCTION gatehouse.contacts_valid(cs text[]) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT coalesce(bool_and(octet_length(c) <= 254
                             AND c ~ '^[^@\x01-\x20\x7f]+@[^@\x01-\x20\x7f]+$'), true)
    FROM unnest(cs) AS c
$$;
COMMENT ON FUNCTION gatehouse.contacts_valid(text[]) IS
    'Whether every element is an e-mail address (local@domain, no space or control '
    'character, at most 254 bytes).';

-- The stable key of a client managed by a manifest (`gatehouse client apply`): the
-- manifest's clientName. NULL for clients made another way.
ALTER TABLE gatehouse.clients ADD COLUMN app_key text UNIQUE
    CONSTRAINT clients_app_key_valid
    CHECK (char_length(app_key) BETWEEN 1 AND 200 AND app_key !~ '[\x01-\x1f\x7f]');

ALTER TABLE gatehouse.clients
    ADD CONSTRAINT clients_name_printable CHECK (name !~ '[\x01-\x1f\x7f]'),
    ADD CONSTRAINT clients_grant_types_not_empty CHECK (cardinality(grant_types) > 0),
    -- The code flow sends the person back to a registered URI (RFC 6749 3.1.2).
    ADD CONSTRAINT clients_code_flow_has_redirect_uri
        CHECK (NOT ('authorization_code' = ANY (grant_types)) OR cardinality(redirect_uris) > 0),
    ADD CONSTRAINT clients_logo_uri_valid CHECK (gatehouse.https_url_valid(logo_uri)),
    ADD CONSTRAINT clients_tos_uri_valid CHECK (gatehouse.https_url_valid(tos_uri)),
    ADD CONSTRAINT clients_policy_uri_valid CHECK (gatehouse.https_url_valid(policy_uri)),
    ADD CONSTRAINT clients_contacts_valid CHECK (gatehouse.contacts_valid(contacts));

-- A client may only be allowed scopes that exist: the consent page must be able to
-- describe each one, and a typo must not silently become a scope nobody defined.
-- KEY SHARE on the scope rows makes a concurrent DELETE of one wait for this
-- transaction, and then meet scopes_in_use.
CREATE FUNCTION gatehouse.clients_scopes_exist() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    missing text;
BEGIN
    PERFORM 1 FROM gatehouse.scopes WHERE name = ANY (NEW.scopes) FOR KEY SHARE;
    SELECT s INTO missing FROM unnest(NEW.scopes) WITH ORDINALITY AS u(s, i)
     WHERE NOT EXISTS (SELECT 1 FROM gatehouse.scopes WHERE name = u.s)
     ORDER BY i LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'scope "%" is not defined in gatehouse.scopes', missing
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER clients_scopes_exist BEFORE INSERT OR UPDATE OF scopes ON gatehouse.clients
    FOR EACH ROW EXECUTE FUNCTION gatehouse.clients_scopes_exist();

CREATE FUNCTION gatehouse.scopes_in_use() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.name = OLD.name THEN
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM gatehouse.clients WHERE OLD.name = ANY (scopes)) THEN
        RAISE EXCEPTION 'scope "%" is allowed to clients: take it out of their scopes first',
            OLD.name USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER scopes_in_use BEFORE DELETE OR UPDATE OF name ON gatehouse.scopes
    FOR EACH ROW EXECUTE FUNCTION gatehouse.scopes_in_use();

-- n bytes from PostgreSQL's strong random source, without pgcrypto (which a database
-- owner may not be allowed to install): gen_random_uuid() draws 16 bytes from
-- pg_strong_random (OpenSSL's RAND_bytes in Debian's build) and fixes 6 bits of them,
-- so each 32-byte block is SHA-256 over three of them: 366 random bits in, 256 out.
CREATE FUNCTION gatehouse.random_bytes(n integer) RETURNS bytea
    LANGUAGE plpgsql VOLATILE STRICT AS $$
DECLARE
    out bytea := '';
BEGIN
    IF n NOT BETWEEN 1 AND 1024 THEN
        RAISE EXCEPTION 'random_bytes: n must be 1 to 1024'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    WHILE length(out) < n LOOP
        out := out || sha256(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid())
                             || uuid_send(gen_random_uuid()));
    END LOOP;
    RETURN substring(out FROM 1 FOR n);
END
$$;
COMMENT ON FUNCTION gatehouse.random_bytes(integer) IS
    'n (1 to 1024) bytes from the strong random source (gen_random_uuid), whitened '
    'with SHA-256.';

-- The base64url form (no padding) of n random bytes, as base/rand.c's gh_rand_token.
CREATE FUNCTION gatehouse.random_token(n integer) RETURNS text
    LANGUAGE sql VOLATILE STRICT AS $$
    SELECT rtrim(translate(encode(gatehouse.random_bytes(n), 'base64'), E'+/\n', '-_'), '=')
$$;
COMMENT ON FUNCTION gatehouse.random_token(integer) IS
    'n random bytes, base64url without padding.';

-- Stored form of a secret (client secret, token): SHA-256, lowercase hex, as
-- base/hash.c's gh_hash_sha256_hex.
CREATE FUNCTION gatehouse.secret_hash(secret text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT encode(sha256(convert_to(secret, 'UTF8')), 'hex')
$$;
COMMENT ON FUNCTION gatehouse.secret_hash(text) IS
    'How a secret is stored: SHA-256 of its UTF-8 bytes, lowercase hex.';

-- Defaults as oauth/client.c's gh_oauth_client_defaults: NULL or an empty list means
-- "the default". The table's constraints and trigger do the validation.
CREATE FUNCTION gatehouse.client_create(
    name text,
    type text DEFAULT 'confidential',
    redirect_uris text[] DEFAULT '{}',
    scopes text[] DEFAULT '{openid}',
    grant_types text[] DEFAULT '{authorization_code,refresh_token}',
    post_logout_redirect_uris text[] DEFAULT '{}',
    token_endpoint_auth_method text DEFAULT NULL,
    trusted boolean DEFAULT false,
    require_pkce boolean DEFAULT true,
    logo_uri text DEFAULT NULL,
    tos_uri text DEFAULT NULL,
    policy_uri text DEFAULT NULL,
    contacts text[] DEFAULT '{}',
    access_token_format text DEFAULT 'opaque',
    id_token_alg text DEFAULT 'RS256',
    app_key text DEFAULT NULL,
    access_token_ttl integer DEFAULT NULL,
    refresh_token_ttl integer DEFAULT NULL,
    refresh_idle_ttl integer DEFAULT NULL,
    minimal_id_token boolean DEFAULT false,
    resource_server boolean DEFAULT false)
    RETURNS TABLE (client_id text, client_secret text)
    LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_variable
DECLARE
    t text := coalesce(type, 'confidential');
    secret text := CASE WHEN t = 'public' THEN NULL ELSE gatehouse.random_token(32) END;
    id text := gatehouse.random_token(18);
BEGIN
    INSERT INTO gatehouse.clients AS c (client_id, secret_hash, name, client_type,
        token_endpoint_auth_method, redirect_uris, post_logout_redirect_uris, grant_types,
        scopes, require_pkce, skip_consent, logo_uri, tos_uri, policy_uri, contacts,
        access_token_format, id_token_alg, app_key, access_token_ttl, refresh_token_ttl,
        refresh_idle_ttl, minimal_id_token, is_resource_server)
    VALUES (id, gatehouse.secret_hash(secret), name, t,
        coalesce(token_endpoint_auth_method,
                 CASE WHEN t = 'public' THEN 'none' ELSE 'client_secret_basic' END),
        coalesce(redirect_uris, '{}'), coalesce(post_logout_redirect_uris, '{}'),
        CASE WHEN cardinality(grant_types) > 0 THEN grant_types
             ELSE '{authorization_code,refresh_token}' END,
        CASE WHEN cardinality(scopes) > 0 THEN scopes ELSE '{openid}' END,
        t = 'public' OR coalesce(require_pkce, true), coalesce(trusted, false),
        logo_uri, tos_uri, policy_uri, coalesce(contacts, '{}'),
        coalesce(access_token_format, 'opaque'), coalesce(id_token_alg, 'RS256'), app_key,
        nullif(access_token_ttl, 0), nullif(refresh_token_ttl, 0), nullif(refresh_idle_ttl, 0),
        coalesce(minimal_id_token, false), coalesce(resource_server, false));
    client_id := id;
    client_secret := secret;
    RETURN NEXT;
END
$$;
COMMENT ON FUNCTION gatehouse.client_create(text, text, text[], text[], text[], text[], text,
    boolean, boolean, text, text, text, text[], text, text, text, integer, integer, integer,
    boolean, boolean) IS
    'Creates a client; returns its new client_id and, for a confidential client, its '
    'secret (256 bits, shown once: only its SHA-256 is stored). NULL or empty arguments '
    'take the defaults of `gatehouse client add`. See docs/sql.md.';

-- Raises no_data_found ("no client ...") when n, the rows a statement changed, is 0.
CREATE FUNCTION gatehouse.client_found(n bigint, what text) RETURNS void
    LANGUAGE plpgsql VOLATILE STRICT AS $$
BEGIN
    IF n = 0 THEN
        RAISE EXCEPTION 'no %', what USING ERRCODE = 'no_data_found';
    END IF;
END
$$;
COMMENT ON FUNCTION gatehouse.client_found(bigint, text) IS
    'Raises no_data_found ("no " || what) when n is 0: the functions below call it with '
    'the number of rows they changed.';

CREATE FUNCTION gatehouse.client_rotate_secret(client_id text) RETURNS text
    LANGUAGE plpgsql VOLATILE STRICT AS $$
#variable_conflict use_variable
DECLARE
    secret text := gatehouse.random_token(32);
    n bigint;
BEGIN
    UPDATE gatehouse.clients AS c SET secret_hash = gatehouse.secret_hash(secret),
           updated_at = now()
     WHERE c.client_id = client_id AND c.client_type = 'confidential';
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM gatehouse.client_found(n, 'confidential client ' || client_id);
    RETURN secret;
END
$$;
COMMENT ON FUNCTION gatehouse.client_rotate_secret(text) IS
    'Gives a confidential client a new secret and returns it (shown once); the old one '
    'stops working at once.';

CREATE FUNCTION gatehouse.client_add_redirect_uri(client_id text, uri text) RETURNS void
    LANGUAGE sql VOLATILE STRICT AS $$
    WITH u AS (UPDATE gatehouse.clients c
                  SET redirect_uris = CASE WHEN uri = ANY (c.redirect_uris) THEN c.redirect_uris
                                           ELSE c.redirect_uris || uri END,
                      updated_at = now()
                WHERE c.client_id = client_add_redirect_uri.client_id RETURNING 1)
    SELECT gatehouse.client_found(count(*), 'client ' || client_add_redirect_uri.client_id)
    FROM u
$$;
COMMENT ON FUNCTION gatehouse.client_add_redirect_uri(text, text) IS
    'Adds uri to the client''s redirect URIs (nothing if it is there); the redirect URI '
    'rule applies (gatehouse.redirect_uri_valid).';

CREATE FUNCTION gatehouse.client_remove_redirect_uri(client_id text, uri text) RETURNS void
    LANGUAGE sql VOLATILE STRICT AS $$
    WITH u AS (UPDATE gatehouse.clients c
                  SET redirect_uris = array_remove(c.redirect_uris, uri), updated_at = now()
                WHERE c.client_id = client_remove_redirect_uri.client_id RETURNING 1)
    SELECT gatehouse.client_found(count(*), 'client ' || client_remove_redirect_uri.client_id)
    FROM u
$$;
COMMENT ON FUNCTION gatehouse.client_remove_redirect_uri(text, text) IS
    'Removes uri from the client''s redirect URIs; refused when it is the last one of '
    'a client of the code flow.';

CREATE FUNCTION gatehouse.client_disable(client_id text) RETURNS void
    LANGUAGE sql VOLATILE STRICT AS $$
    WITH u AS (UPDATE gatehouse.clients c SET disabled = true, updated_at = now()
                WHERE c.client_id = client_disable.client_id RETURNING 1)
    SELECT gatehouse.client_found(count(*), 'client ' || client_disable.client_id) FROM u
$$;
COMMENT ON FUNCTION gatehouse.client_disable(text) IS
    'Disables a client: it can no longer authenticate, start a flow or use its tokens. '
    'UPDATE gatehouse.clients SET disabled = false enables it again.';

-- The password hash comes from `gatehouse user hash-password` (scrypt, base/password.c):
-- the database never sees the password.
CREATE FUNCTION gatehouse.user_create(
    username text,
    password_hash text,
    email text DEFAULT NULL,
    email_verified boolean DEFAULT false,
    name text DEFAULT NULL,
    given_name text DEFAULT NULL,
    family_name text DEFAULT NULL,
    is_admin boolean DEFAULT false,
    extra_claims jsonb DEFAULT '{}')
    RETURNS uuid
    LANGUAGE sql VOLATILE AS $$
    INSERT INTO gatehouse.users (username, password_hash, email, email_verified, name,
                                 given_name, family_name, is_admin, extra_claims)
    VALUES (user_create.username, user_create.password_hash, user_create.email,
            coalesce(user_create.email_verified, false), user_create.name,
            user_create.given_name, user_create.family_name,
            coalesce(user_create.is_admin, false),
            coalesce(user_create.extra_claims, '{}'))
    RETURNING id
$$;
COMMENT ON FUNCTION gatehouse.user_create(text, text, text, boolean, text, text, text,
    boolean, jsonb) IS
    'Creates a user with a password hash made by `gatehouse user hash-password`; '
    'returns the new user''s id (the sub claim).';
