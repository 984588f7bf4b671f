/*
 * store/statements.c: the text of every statement, indexed by gh_stmt_id_t.
 *
 * Parameters are always $n placeholders: no SQL is ever built from strings.
 */
#include "store/statements.h"

/* The columns store/clients.c and store/users.c read, in their order. */
#define GH_CLIENT_COLUMNS \
    "client_id, secret_hash, name, client_type, token_endpoint_auth_method," \
    " to_json(redirect_uris), to_json(post_logout_redirect_uris), to_json(grant_types)," \
    " to_json(scopes), require_pkce, skip_consent, logo_uri, tos_uri, policy_uri," \
    " access_token_format, id_token_alg, disabled, created_at, minimal_id_token," \
    " access_token_ttl"
#define GH_USER_COLUMNS \
    "id, username, password_hash, email, email_verified, name, given_name, family_name," \
    " picture, locale, extra_claims::text, is_admin, disabled, failed_logins," \
    " locked_until, extract(epoch FROM password_changed_at)::bigint, created_at"

const gh_stmt_t gh_stmts[GH_STMT_COUNT] = {
    [GH_STMT_PING] = { "ping", 0, "SELECT 1" },
    [GH_STMT_LOCK] = { "lock", 1, "SELECT pg_advisory_lock($1::bigint)" },
    [GH_STMT_TRY_LOCK] = { "try_lock", 1, "SELECT pg_try_advisory_lock($1::bigint)" },
    [GH_STMT_UNLOCK] = { "unlock", 1, "SELECT pg_advisory_unlock($1::bigint)" },
    [GH_STMT_MIGRATION_APPLIED] = { "migration_applied", 1,
        "SELECT 1 FROM gatehouse.schema_migrations WHERE version = $1" },
    [GH_STMT_MIGRATION_RECORD] = { "migration_record", 2,
        "INSERT INTO gatehouse.schema_migrations (version, name) VALUES ($1, $2)" },
    [GH_STMT_MIGRATION_TABLE_EXISTS] = { "migration_table_exists", 0,
        "SELECT to_regclass('gatehouse.schema_migrations') IS NOT NULL" },
    /* Three digits, as in the file names. */
    [GH_STMT_MIGRATION_VERSIONS] = { "migration_versions", 0,
        "SELECT lpad(version::text, 3, '0') FROM gatehouse.schema_migrations" },
    /* Clients (store/clients.c): arrays as JSON text; columns as client_from_row reads. */
    [GH_STMT_CLIENT_INSERT] = { "client_insert", 16,
        "INSERT INTO gatehouse.clients (client_id, secret_hash, name, client_type,"
        " token_endpoint_auth_method, redirect_uris, post_logout_redirect_uris,"
        " grant_types, scopes, require_pkce, skip_consent, logo_uri, tos_uri, policy_uri,"
        " access_token_format, id_token_alg) VALUES ($1, $2, $3, $4, $5,"
        " ARRAY(SELECT jsonb_array_elements_text($6::jsonb)),"
        " ARRAY(SELECT jsonb_array_elements_text($7::jsonb)),"
        " ARRAY(SELECT jsonb_array_elements_text($8::jsonb)),"
        " ARRAY(SELECT jsonb_array_elements_text($9::jsonb)),"
        " $10, $11, $12, $13, $14, $15, $16)" },
    [GH_STMT_CLIENT_GET] = { "client_get", 1,
        "SELECT " GH_CLIENT_COLUMNS " FROM gatehouse.clients WHERE client_id = $1" },
    [GH_STMT_CLIENT_LIST] = { "client_list", 0,
        "SELECT " GH_CLIENT_COLUMNS " FROM gatehouse.clients ORDER BY lower(name), client_id" },
    [GH_STMT_CLIENT_SET_DISABLED] = { "client_set_disabled", 2,
        "UPDATE gatehouse.clients SET disabled = $2, updated_at = now() WHERE client_id = $1" },
    /* Users (store/users.c). */
    [GH_STMT_USER_INSERT] = { "user_insert", 9,
        "INSERT INTO gatehouse.users (username, password_hash, email, email_verified, name,"
        " given_name, family_name, is_admin, extra_claims)"
        " VALUES ($1, $2, $3, coalesce($4::boolean, false), $5, $6, $7,"
        " coalesce($8::boolean, false), coalesce($9::jsonb, '{}')) RETURNING id" },
    [GH_STMT_USER_GET_BY_NAME] = { "user_get_by_name", 1,
        "SELECT " GH_USER_COLUMNS " FROM gatehouse.users WHERE lower(username) = lower($1)" },
    [GH_STMT_USER_SET_PASSWORD] = { "user_set_password", 2,
        "UPDATE gatehouse.users SET password_hash = $2, password_changed_at = now(),"
        " failed_logins = 0, locked_until = NULL, updated_at = now()"
        " WHERE lower(username) = lower($1)" },
    [GH_STMT_USER_SET_DISABLED] = { "user_set_disabled", 2,
        "UPDATE gatehouse.users SET disabled = $2, updated_at = now()"
        " WHERE lower(username) = lower($1)" },
    [GH_STMT_USER_LIST] = { "user_list", 0,
        "SELECT " GH_USER_COLUMNS " FROM gatehouse.users ORDER BY lower(username)" },
    /* Codes (store/codes.c). */
    [GH_STMT_CODE_INSERT] = { "code_insert", 13,
        "INSERT INTO gatehouse.codes (code_hash, client_id, user_id, grant_id, redirect_uri,"
        " redirect_uri_given, scope, nonce, code_challenge, sid, auth_time, amr, expires_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, to_timestamp($11::bigint),"
        " ARRAY(SELECT jsonb_array_elements_text($12::jsonb)),"
        " now() + make_interval(secs => $13::integer))" },
    /* One statement does the atomic thing: of two concurrent uses, one updates the row
     * and the other finds used_at set. A revoked grant makes its codes worthless. */
    [GH_STMT_CODE_USE] = { "code_use", 1,
        "UPDATE gatehouse.codes c SET used_at = now()"
        " WHERE c.code_hash = $1 AND c.used_at IS NULL AND c.expires_at > now()"
        " AND NOT EXISTS (SELECT 1 FROM gatehouse.grants g"
        "                 WHERE g.id = c.grant_id AND g.revoked_at IS NOT NULL)"
        " RETURNING c.client_id, c.user_id, c.grant_id, c.family_id, c.redirect_uri,"
        " c.redirect_uri_given, c.scope, c.nonce, c.code_challenge, c.sid,"
        " extract(epoch FROM c.auth_time)::bigint, to_json(c.amr)" },
    [GH_STMT_CODE_REVOKE_FAMILY] = { "code_revoke_family", 1,
        "WITH used AS (SELECT family_id FROM gatehouse.codes"
        "              WHERE code_hash = $1 AND used_at IS NOT NULL),"
        " revoked AS (UPDATE gatehouse.tokens SET revoked_at = now()"
        "             WHERE family_id IN (SELECT family_id FROM used) AND revoked_at IS NULL"
        "             RETURNING 1)"
        " SELECT EXISTS (SELECT 1 FROM used), (SELECT count(*) FROM revoked)" },
    /* Scopes (store/scopes.c): $1 a JSON array of names, $2 the language. */
    [GH_STMT_SCOPES_GET] = { "scopes_get", 2,
        "SELECT s.name, to_json(s.claims),"
        " coalesce(s.descriptions->>$2, s.descriptions->>'en')"
        " FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY AS n(name, i)"
        " JOIN gatehouse.scopes s ON s.name = n.name ORDER BY n.i" },
    /* Tokens (store/tokens.c). Times travel as epoch seconds, so a JWT's exp and its
     * row's expires_at are the same number. */
    [GH_STMT_TOKEN_INSERT] = { "token_insert", 15,
        "INSERT INTO gatehouse.tokens (token_hash, kind, format, jti, client_id, user_id,"
        " grant_id, family_id, scope, sid, auth_time, amr, nonce, parent_hash, expires_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, to_timestamp($11::bigint),"
        " ARRAY(SELECT jsonb_array_elements_text($12::jsonb)), $13, $14,"
        " to_timestamp($15::bigint))" },
    /* Live means every reason to refuse is absent: the token's own state, its grant's,
     * and its client's and user's. One answer (no row) for all of them. */
    [GH_STMT_TOKEN_FIND] = { "token_find", 2,
        "SELECT t.kind, t.format, t.jti, t.client_id, t.user_id, t.grant_id, t.family_id,"
        " t.scope, t.sid, extract(epoch FROM t.auth_time)::bigint, to_json(t.amr), t.nonce,"
        " t.parent_hash, floor(extract(epoch FROM t.created_at))::bigint,"
        " extract(epoch FROM t.expires_at)::bigint"
        " FROM gatehouse.tokens t"
        " JOIN gatehouse.clients c ON c.client_id = t.client_id"
        " LEFT JOIN gatehouse.users u ON u.id = t.user_id"
        " LEFT JOIN gatehouse.grants g ON g.id = t.grant_id"
        " WHERE t.token_hash = $1 AND t.kind = $2 AND t.expires_at > now()"
        " AND t.revoked_at IS NULL AND t.used_at IS NULL AND NOT c.disabled"
        " AND (t.user_id IS NULL OR NOT u.disabled)"
        " AND (t.grant_id IS NULL OR g.revoked_at IS NULL)" },
    [GH_STMT_TOKEN_REVOKE_FAMILY] = { "token_revoke_family", 1,
        "UPDATE gatehouse.tokens SET revoked_at = now()"
        " WHERE family_id = $1 AND revoked_at IS NULL" },
    /* One user by subject (store/users.c), for claims. */
    [GH_STMT_USER_GET] = { "user_get", 1,
        "SELECT " GH_USER_COLUMNS " FROM gatehouse.users WHERE id = $1::uuid" },
    /* Every scope (store/scopes.c), for discovery; descriptions in English. */
    [GH_STMT_SCOPES_LIST] = { "scopes_list", 0,
        "SELECT name, to_json(claims), descriptions->>'en' FROM gatehouse.scopes"
        " ORDER BY name" },
    /* Sessions (store/sessions.c): sid, user_id, auth_time, amr, username, display name. */
    [GH_STMT_SESSION_INSERT] = { "session_insert", 4,
        "WITH s AS (INSERT INTO gatehouse.sessions (id_hash, user_id, auth_time, amr,"
        " expires_at) VALUES ($1, $2, now(), ARRAY(SELECT jsonb_array_elements_text($3::jsonb)),"
        " now() + make_interval(secs => $4::integer)) RETURNING *)"
        " SELECT s.sid, s.user_id, extract(epoch FROM s.auth_time)::bigint, to_json(s.amr),"
        " u.username, coalesce(u.name, u.username)"
        " FROM s JOIN gatehouse.users u ON u.id = s.user_id" },
    /* Touches the session as it reads it; an idle or disabled one is not found. */
    [GH_STMT_SESSION_GET] = { "session_get", 2,
        "UPDATE gatehouse.sessions s SET last_seen_at = now() FROM gatehouse.users u"
        " WHERE s.id_hash = $1 AND s.expires_at > now()"
        " AND s.last_seen_at > now() - make_interval(secs => $2::integer)"
        " AND u.id = s.user_id AND NOT u.disabled"
        " RETURNING s.sid, s.user_id, extract(epoch FROM s.auth_time)::bigint, to_json(s.amr),"
        " u.username, coalesce(u.name, u.username)" },
    [GH_STMT_SESSION_DELETE] = { "session_delete", 1,
        "DELETE FROM gatehouse.sessions WHERE id_hash = $1" },
    /* Pending authorization requests (store/authreq.c). */
    [GH_STMT_AUTHREQ_INSERT] = { "authreq_insert", 15,
        "INSERT INTO gatehouse.auth_requests (handle_hash, browser_hash, client_id,"
        " redirect_uri, redirect_uri_given, response_mode, scope, state, nonce,"
        " code_challenge, prompt, max_age, login_hint, ui_locales, expires_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
        " now() + make_interval(secs => $15::integer))" },
    [GH_STMT_AUTHREQ_GET] = { "authreq_get", 2,
        "SELECT client_id, redirect_uri, redirect_uri_given, response_mode, scope, state,"
        " nonce, code_challenge, prompt, max_age, login_hint, ui_locales, login_done"
        " FROM gatehouse.auth_requests"
        " WHERE handle_hash = $1 AND browser_hash = $2 AND expires_at > now()" },
    [GH_STMT_AUTHREQ_LOGIN_DONE] = { "authreq_login_done", 1,
        "UPDATE gatehouse.auth_requests SET login_done = true WHERE handle_hash = $1" },
    [GH_STMT_AUTHREQ_DELETE] = { "authreq_delete", 1,
        "DELETE FROM gatehouse.auth_requests WHERE handle_hash = $1" },
    /* Grants (store/grants.c). */
    [GH_STMT_GRANT_FIND] = { "grant_find", 2,
        "SELECT id, to_json(scopes) FROM gatehouse.grants"
        " WHERE user_id = $1 AND client_id = $2 AND revoked_at IS NULL" },
    [GH_STMT_GRANT_ADD_SCOPES] = { "grant_add_scopes", 3,
        "INSERT INTO gatehouse.grants (user_id, client_id, scopes)"
        " VALUES ($1, $2, ARRAY(SELECT jsonb_array_elements_text($3::jsonb)))"
        " ON CONFLICT (user_id, client_id) WHERE revoked_at IS NULL DO UPDATE"
        " SET scopes = ARRAY(SELECT DISTINCT unnest(gatehouse.grants.scopes || EXCLUDED.scopes)"
        "                    ORDER BY 1), updated_at = now()"
        " RETURNING id" },
    /* Failed sign-ins (store/attempts.c). */
    [GH_STMT_ATTEMPTS_GET] = { "attempts_get", 1,
        "SELECT failures, extract(epoch FROM now() - last_failure_at)::bigint,"
        " greatest(0, ceil(extract(epoch FROM coalesce(locked_until, now()) - now())))::bigint"
        " FROM gatehouse.login_attempts WHERE key = $1 AND expires_at > now()" },
    [GH_STMT_ATTEMPTS_FAIL] = { "attempts_fail", 4,
        "INSERT INTO gatehouse.login_attempts AS a (key, failures, last_failure_at,"
        " locked_until, expires_at)"
        " VALUES ($1, 1, now(), NULL, now() + make_interval(secs => $4::integer))"
        " ON CONFLICT (key) DO UPDATE SET"
        " failures = CASE WHEN a.expires_at > now() THEN a.failures + 1 ELSE 1 END,"
        " last_failure_at = now(),"
        " locked_until = CASE WHEN a.expires_at > now() AND a.failures + 1 >= $2::integer"
        "                THEN now() + make_interval(secs => $3::integer) END,"
        " expires_at = now() + make_interval(secs => $4::integer)" },
    [GH_STMT_ATTEMPTS_CLEAR] = { "attempts_clear", 1,
        "DELETE FROM gatehouse.login_attempts WHERE key = $1" },
    [GH_STMT_SWEEP_CLAIM] = { "sweep_claim", 1,
        "UPDATE gatehouse.sweep_state SET last_at = now()"
        " WHERE last_at <= now() - make_interval(secs => $1::integer) RETURNING 1" },
    /* Sweeps: bounded deletes of expired rows (store/sweep.c). */
    [GH_STMT_SWEEP_SIGNING_KEYS] = { "sweep_signing_keys", 1,
        "DELETE FROM gatehouse.signing_keys WHERE kid IN (SELECT kid FROM"
        " gatehouse.signing_keys WHERE expires_at < now() LIMIT $1::integer)" },
#define SWEEP(table, key) \
        "DELETE FROM gatehouse." table " WHERE " key " IN (SELECT " key " FROM gatehouse." \
        table " WHERE expires_at < now() LIMIT $1::integer)"
    [GH_STMT_SWEEP_CODES] = { "sweep_codes", 1, SWEEP("codes", "code_hash") },
    [GH_STMT_SWEEP_TOKENS] = { "sweep_tokens", 1, SWEEP("tokens", "token_hash") },
    [GH_STMT_SWEEP_SESSIONS] = { "sweep_sessions", 1, SWEEP("sessions", "id_hash") },
    [GH_STMT_SWEEP_AUTH_REQUESTS] = { "sweep_auth_requests", 1,
        SWEEP("auth_requests", "handle_hash") },
    [GH_STMT_SWEEP_LOGIN_ATTEMPTS] = { "sweep_login_attempts", 1, SWEEP("login_attempts", "key") },
    /* Only revoked grants have an expires_at (when their last token has expired). */
    [GH_STMT_SWEEP_GRANTS] = { "sweep_grants", 1, SWEEP("grants", "id") },
#undef SWEEP

    /* signing_keys (store/keys.c). Adding or activating a key takes this lock first, so
     * two rotations cannot compute retirements from each other's half-done rows;
     * readers (SELECT) are not blocked. */
    [GH_STMT_KEY_LOCK] = { "key_lock", 0,
        "LOCK TABLE gatehouse.signing_keys IN SHARE ROW EXCLUSIVE MODE" },
    /* $5: seconds until it signs, NULL for "when activated by hand". The first key of
     * an alg signs at once: there is nothing else to sign with. */
    [GH_STMT_KEY_INSERT] = { "key_insert", 5,
        "INSERT INTO gatehouse.signing_keys (kid, alg, public_jwk, private_enc, activates_at)"
        " VALUES ($1, $2, $3::jsonb, $4::bytea,"
        "  CASE WHEN NOT EXISTS (SELECT 1 FROM gatehouse.signing_keys"
        "                        WHERE alg = $2 AND activates_at <= now()) THEN now()"
        "       WHEN $5::bigint IS NULL THEN 'infinity'::timestamptz"
        "       ELSE now() + make_interval(secs => $5::bigint) END)" },
    /* $1: one kid, or NULL for all keys. */
    [GH_STMT_KEY_LIST] = { "key_list", 1,
        "SELECT kid, alg,"
        "  CASE WHEN activates_at > now() THEN 'pending'"
        "       WHEN expires_at <= now() THEN 'expired'"
        "       WHEN retires_at <= now() THEN 'retired'"
        "       ELSE 'active' END,"
        "  CASE WHEN activates_at = 'infinity' THEN 'on-activate'"
        "       ELSE to_char(activates_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
        "  END,"
        "  to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
        "  floor(extract(epoch FROM now() - created_at))::bigint"
        " FROM gatehouse.signing_keys WHERE $1::text IS NULL OR kid = $1"
        " ORDER BY alg, activates_at DESC, created_at DESC, kid DESC" },
    /* Pending, active and retired keys: a key is published before it signs and until
     * the last token it signed has expired. */
    [GH_STMT_KEY_PUBLISHED] = { "key_published", 0,
        "SELECT coalesce(json_agg(public_jwk ORDER BY alg, activates_at, kid), '[]')"
        " FROM gatehouse.signing_keys WHERE expires_at IS NULL OR expires_at > now()" },
    /* The signing key of each alg: the newest that has activated. The last column is
     * how long it has left (NULL: no successor scheduled), so caches refresh on time. */
    [GH_STMT_KEY_SIGNING] = { "key_signing", 0,
        "SELECT DISTINCT ON (alg) kid, alg, private_enc,"
        "  ceil(extract(epoch FROM retires_at - now()))::bigint"
        " FROM gatehouse.signing_keys WHERE activates_at <= now()"
        " ORDER BY alg, activates_at DESC, created_at DESC, kid DESC" },
    /* Recomputes the retirement of every key of alg $1 from the order of activation:
     * a key retires when the next one activates, and expires $2 seconds later. A key
     * staged by hand ('infinity') retires nobody until it is activated. Rows already
     * right are left alone, so a changed lifetime never moves a past expiry. */
    [GH_STMT_KEY_RETIRE] = { "key_retire", 2,
        "UPDATE gatehouse.signing_keys k"
        " SET retires_at = n.next_at, expires_at = n.next_at + make_interval(secs => $2::bigint)"
        " FROM (SELECT kid, nullif(lead(activates_at) OVER"
        "         (ORDER BY activates_at, created_at, kid), 'infinity') AS next_at"
        "       FROM gatehouse.signing_keys WHERE alg = $1) n"
        " WHERE k.kid = n.kid AND k.retires_at IS DISTINCT FROM n.next_at" },
    /* Only a pending key: an active or retired key is never moved. */
    [GH_STMT_KEY_ACTIVATE] = { "key_activate", 1,
        "UPDATE gatehouse.signing_keys SET activates_at = now()"
        " WHERE kid = $1 AND activates_at > now() RETURNING alg" },
    [GH_STMT_KEY_PURGE] = { "key_purge", 0,
        "DELETE FROM gatehouse.signing_keys WHERE expires_at <= now() RETURNING kid" },
};
