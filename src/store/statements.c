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
    " access_token_ttl, refresh_token_ttl, refresh_idle_ttl, is_resource_server," \
    " to_json(contacts), app_key, extract(epoch FROM created_at)::bigint," \
    " dynamically_registered, registration_token_hash"
/* The token columns store/tokens.c's token_from_row reads, in its order. */
#define GH_TOKEN_COLUMNS \
    "t.kind, t.format, t.jti, t.client_id, t.user_id, t.grant_id, t.family_id, t.scope," \
    " t.sid, extract(epoch FROM t.auth_time)::bigint, to_json(t.amr), t.nonce," \
    " t.parent_hash, floor(extract(epoch FROM t.created_at))::bigint," \
    " extract(epoch FROM t.expires_at)::bigint"
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
    /* $1-$21 as in client_update (store/clients.c: client_params), then the secret
     * hash, the type and the registration token hash and mark (sql/008), which an
     * update never changes. */
    [GH_STMT_CLIENT_INSERT] = { "client_insert", 25,
        "INSERT INTO gatehouse.clients (client_id, name, token_endpoint_auth_method,"
        " redirect_uris, post_logout_redirect_uris, grant_types, scopes, require_pkce,"
        " skip_consent, logo_uri, tos_uri, policy_uri, access_token_format, id_token_alg,"
        " is_resource_server, contacts, access_token_ttl, refresh_token_ttl,"
        " refresh_idle_ttl, minimal_id_token, app_key, secret_hash, client_type,"
        " registration_token_hash, dynamically_registered)"
        " VALUES ($1, $2, $3,"
        " ARRAY(SELECT jsonb_array_elements_text($4::jsonb)),"
        " ARRAY(SELECT jsonb_array_elements_text($5::jsonb)),"
        " ARRAY(SELECT jsonb_array_elements_text($6::jsonb)),"
        " ARRAY(SELECT jsonb_array_elements_text($7::jsonb)),"
        " $8, $9, $10, $11, $12, $13, $14, $15,"
        " ARRAY(SELECT jsonb_array_elements_text($16::jsonb)),"
        " nullif($17::integer, 0), nullif($18::integer, 0), nullif($19::integer, 0),"
        " $20, $21, $22, $23, $24, $25)" },
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
    [GH_STMT_TOKEN_INSERT] = { "token_insert", 16,
        "INSERT INTO gatehouse.tokens (token_hash, kind, format, jti, client_id, user_id,"
        " grant_id, family_id, scope, sid, auth_time, amr, nonce, parent_hash, expires_at,"
        " family_started_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, to_timestamp($11::bigint),"
        " ARRAY(SELECT jsonb_array_elements_text($12::jsonb)), $13, $14,"
        " to_timestamp($15::bigint), to_timestamp($16::bigint))" },
    /* Live means every reason to refuse is absent: the token's own state, its grant's,
     * and its client's and user's. One answer (no row) for all of them. */
    [GH_STMT_TOKEN_FIND] = { "token_find", 2,
        "SELECT " GH_TOKEN_COLUMNS " FROM gatehouse.tokens t"
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
    [GH_STMT_TOKEN_REVOKE_GRANT_OF_FAMILY] = { "token_revoke_grant_of_family", 1,
        "UPDATE gatehouse.tokens SET revoked_at = now() WHERE revoked_at IS NULL"
        " AND (family_id = $1 OR grant_id = (SELECT grant_id FROM gatehouse.tokens"
        "      WHERE family_id = $1 AND grant_id IS NOT NULL LIMIT 1))" },
    /* Refresh rotation (store/tokens.c, oauth/refresh.c; sql/004). The conditional
     * UPDATE is the atomic step: of concurrent uses of one token exactly one updates
     * it, the others wait for its commit and find used_at set. The snapshot the
     * statement ran with (taken before any wait) comes back either way: it is the
     * request's start as the database sees it, for REFRESH_REUSE. */
    [GH_STMT_REFRESH_ROTATE] = { "refresh_rotate", 2,
        "WITH used AS (UPDATE gatehouse.tokens t"
        "  SET used_at = now(), rotated_xid = pg_current_xact_id()"
        "  FROM gatehouse.grants g, gatehouse.users u"
        "  WHERE t.token_hash = $1 AND t.kind = 'refresh' AND t.client_id = $2"
        "  AND t.used_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > now()"
        "  AND g.id = t.grant_id AND g.revoked_at IS NULL AND u.id = t.user_id"
        "  AND NOT u.disabled"
        "  RETURNING " GH_TOKEN_COLUMNS ","
        "  floor(extract(epoch FROM coalesce(t.family_started_at, t.created_at)))::bigint)"
        " SELECT used.*, pg_current_snapshot()::text"
        " FROM (VALUES (1)) AS one (x) LEFT JOIN used ON true" },
    /* Why a refresh token of client $2 was not live: used or not, and if used, whether
     * the request ($3: its start snapshot) was in flight when the rotation committed
     * (the rotating transaction is not visible in that snapshot) or came within the
     * client's grace period after it. */
    [GH_STMT_REFRESH_REUSE] = { "refresh_reuse", 3,
        "SELECT t.family_id, t.used_at IS NOT NULL,"
        " coalesce((t.rotated_xid IS NOT NULL"
        "           AND NOT pg_visible_in_snapshot(t.rotated_xid, $3::pg_snapshot))"
        "          OR now() < t.used_at + make_interval(secs => c.refresh_grace_seconds),"
        "          false)"
        " FROM gatehouse.tokens t JOIN gatehouse.clients c ON c.client_id = t.client_id"
        " WHERE t.token_hash = $1 AND t.kind = 'refresh' AND t.client_id = $2" },
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
    [GH_STMT_SWEEP_DEVTOKENS] = { "sweep_devtokens", 1, SWEEP("initial_access_tokens", "id") },
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

    /* Revocation (RFC 7009) of one access token; a refresh token takes its family with
     * it (TOKEN_REVOKE_FAMILY). */
    [GH_STMT_TOKEN_REVOKE] = { "token_revoke", 1,
        "UPDATE gatehouse.tokens SET revoked_at = now()"
        " WHERE token_hash = $1 AND revoked_at IS NULL" },
    /* CORS (endpoints/cors.c): $1 is the origin of a redirect URI of an enabled client.
     * The expression is the one sql/006 indexes, so this is an index lookup. */
    [GH_STMT_CLIENT_ORIGIN_EXISTS] = { "client_origin_exists", 1,
        "SELECT EXISTS (SELECT 1 FROM gatehouse.clients WHERE NOT disabled"
        " AND gatehouse.redirect_origins(redirect_uris) @> ARRAY[$1::text])" },
    /* Connected apps (/account) and the admin page. Times travel as epoch seconds. */
    [GH_STMT_GRANT_LIST_FOR_USER] = { "grant_list_for_user", 1,
        "SELECT g.id, g.client_id, c.name, c.logo_uri, to_json(g.scopes),"
        " floor(extract(epoch FROM g.created_at))::bigint,"
        " floor(extract(epoch FROM g.updated_at))::bigint"
        " FROM gatehouse.grants g JOIN gatehouse.clients c ON c.client_id = g.client_id"
        " WHERE g.user_id = $1::uuid AND g.revoked_at IS NULL"
        " ORDER BY g.updated_at DESC, g.id" },
    /* Revokes a live grant ($2: of this user only; NULL for an admin) and every token
     * under it in one statement, so in one transaction. The row stays (tokens point at
     * it) until $3 seconds from now, or until its last token would have expired if a
     * client's own lifetimes are longer: then the sweep deletes it. Codes not yet
     * redeemed die with it (CODE_USE refuses a revoked grant's codes). */
    [GH_STMT_GRANT_REVOKE] = { "grant_revoke", 3,
        "WITH g AS (UPDATE gatehouse.grants SET revoked_at = now(), updated_at = now(),"
        "   expires_at = greatest(now() + make_interval(secs => $3::integer),"
        "     (SELECT max(t.expires_at) FROM gatehouse.tokens t WHERE t.grant_id = $1::uuid))"
        "   WHERE id = $1::uuid AND ($2::uuid IS NULL OR user_id = $2::uuid)"
        "   AND revoked_at IS NULL RETURNING id),"
        " t AS (UPDATE gatehouse.tokens SET revoked_at = now()"
        "   WHERE grant_id IN (SELECT id FROM g) AND revoked_at IS NULL RETURNING 1)"
        " SELECT (SELECT count(*) FROM g), (SELECT count(*) FROM t)" },
    /* Live sessions: before their end and not idle longer than $2 seconds. */
    [GH_STMT_SESSION_LIST_FOR_USER] = { "session_list_for_user", 2,
        "SELECT sid, floor(extract(epoch FROM created_at))::bigint,"
        " floor(extract(epoch FROM last_seen_at))::bigint,"
        " floor(extract(epoch FROM expires_at))::bigint, to_json(amr)"
        " FROM gatehouse.sessions WHERE user_id = $1::uuid AND expires_at > now()"
        " AND last_seen_at > now() - make_interval(secs => $2::integer)"
        " ORDER BY last_seen_at DESC, sid" },
    [GH_STMT_SESSION_REVOKE] = { "session_revoke", 2,
        "DELETE FROM gatehouse.sessions WHERE sid = $1::uuid AND user_id = $2::uuid" },
    /* $1: a piece of the username, email or name (NULL: everyone); $2: how many. The
     * lock shown is the later of the row's and the sign-in throttle's "user:<name>"
     * key (endpoints/login.c). strpos, not LIKE: no wildcards to escape. */
    [GH_STMT_USER_SEARCH] = { "user_search", 2,
        "SELECT u.id, u.username, u.email, u.name, u.is_admin, u.disabled,"
        " floor(extract(epoch FROM u.created_at))::bigint, coalesce(a.failures, 0),"
        " greatest(0, ceil(extract(epoch FROM"
        "   greatest(u.locked_until, a.locked_until, now()) - now())))::bigint"
        " FROM gatehouse.users u LEFT JOIN gatehouse.login_attempts a"
        "   ON a.key = 'user:' || lower(u.username) AND a.expires_at > now()"
        " WHERE $1::text IS NULL OR strpos(lower(u.username), lower($1)) > 0"
        " OR strpos(lower(coalesce(u.email, '')), lower($1)) > 0"
        " OR strpos(lower(coalesce(u.name, '')), lower($1)) > 0"
        " ORDER BY lower(u.username) LIMIT $2::integer" },
    /* Clears the row's counters and the throttle's "user:<name>" key together. */
    [GH_STMT_USER_UNLOCK] = { "user_unlock", 1,
        "WITH u AS (UPDATE gatehouse.users SET failed_logins = 0, locked_until = NULL,"
        "   updated_at = now() WHERE id = $1::uuid RETURNING username),"
        " a AS (DELETE FROM gatehouse.login_attempts"
        "   WHERE key IN (SELECT 'user:' || lower(username) FROM u) RETURNING 1)"
        " SELECT count(*) FROM u" },
    [GH_STMT_CLIENT_SEARCH] = { "client_search", 2,
        "SELECT " GH_CLIENT_COLUMNS " FROM gatehouse.clients"
        " WHERE $1::text IS NULL OR strpos(lower(name), lower($1)) > 0 OR client_id = $1"
        " ORDER BY lower(name), client_id LIMIT $2::integer" },
    /* Everything but the id, the type and the secret (oauth/client_admin.c). */
    [GH_STMT_CLIENT_UPDATE] = { "client_update", 21,
        "UPDATE gatehouse.clients SET name = $2, token_endpoint_auth_method = $3,"
        " redirect_uris = ARRAY(SELECT jsonb_array_elements_text($4::jsonb)),"
        " post_logout_redirect_uris = ARRAY(SELECT jsonb_array_elements_text($5::jsonb)),"
        " grant_types = ARRAY(SELECT jsonb_array_elements_text($6::jsonb)),"
        " scopes = ARRAY(SELECT jsonb_array_elements_text($7::jsonb)),"
        " require_pkce = $8, skip_consent = $9, logo_uri = $10, tos_uri = $11,"
        " policy_uri = $12, access_token_format = $13, id_token_alg = $14,"
        " is_resource_server = $15,"
        " contacts = ARRAY(SELECT jsonb_array_elements_text($16::jsonb)),"
        " access_token_ttl = nullif($17::integer, 0), refresh_token_ttl = nullif($18::integer, 0),"
        " refresh_idle_ttl = nullif($19::integer, 0), minimal_id_token = $20, app_key = $21,"
        " updated_at = now() WHERE client_id = $1" },
    [GH_STMT_CLIENT_SET_SECRET] = { "client_set_secret", 2,
        "UPDATE gatehouse.clients SET secret_hash = $2, updated_at = now()"
        " WHERE client_id = $1 AND client_type = 'confidential'" },
    [GH_STMT_CLIENT_GET_BY_APP_KEY] = { "client_get_by_app_key", 1,
        "SELECT " GH_CLIENT_COLUMNS " FROM gatehouse.clients WHERE app_key = $1" },
    /* Grants, codes, tokens and pending requests cascade (sql/003). */
    [GH_STMT_CLIENT_DELETE] = { "client_delete", 1,
        "DELETE FROM gatehouse.clients WHERE client_id = $1" },

    /* Dynamic client registration (oauth/dcr.c). Registration.MaxClients counts these
     * (a partial index, sql/008). */
    [GH_STMT_CLIENT_COUNT_REGISTERED] = { "client_count_registered", 0,
        "SELECT count(*) FROM gatehouse.clients WHERE dynamically_registered" },
    /* Initial access tokens (store/devtokens.c); times as epoch seconds. */
#define GH_DEVTOKEN_COLUMNS \
    "id, label, floor(extract(epoch FROM created_at))::bigint," \
    " floor(extract(epoch FROM expires_at))::bigint," \
    " floor(extract(epoch FROM revoked_at))::bigint," \
    " floor(extract(epoch FROM last_used_at))::bigint"
    [GH_STMT_DEVTOKEN_INSERT] = { "devtoken_insert", 3,
        "INSERT INTO gatehouse.initial_access_tokens (token_hash, label, expires_at)"
        " VALUES ($1, $2, now() + make_interval(secs => $3::integer))"
        " RETURNING " GH_DEVTOKEN_COLUMNS },
    [GH_STMT_DEVTOKEN_USE] = { "devtoken_use", 1,
        "UPDATE gatehouse.initial_access_tokens SET last_used_at = now()"
        " WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > now()"
        " RETURNING " GH_DEVTOKEN_COLUMNS },
    [GH_STMT_DEVTOKEN_LIST] = { "devtoken_list", 0,
        "SELECT " GH_DEVTOKEN_COLUMNS " FROM gatehouse.initial_access_tokens"
        " ORDER BY created_at DESC, id DESC" },
    [GH_STMT_DEVTOKEN_REVOKE] = { "devtoken_revoke", 1,
        "UPDATE gatehouse.initial_access_tokens SET revoked_at = now()"
        " WHERE id = $1::bigint AND revoked_at IS NULL" },
#undef GH_DEVTOKEN_COLUMNS
    /* A rate limit's fixed window in login_attempts (store/attempts.c): failures
     * counts the events, expires_at closes the window. */
    [GH_STMT_ATTEMPTS_HIT] = { "attempts_hit", 2,
        "INSERT INTO gatehouse.login_attempts AS a (key, failures, last_failure_at,"
        " expires_at) VALUES ($1, 1, now(), now() + make_interval(secs => $2::integer))"
        " ON CONFLICT (key) DO UPDATE SET"
        " failures = CASE WHEN a.expires_at > now() THEN a.failures + 1 ELSE 1 END,"
        " last_failure_at = now(), locked_until = NULL,"
        " expires_at = CASE WHEN a.expires_at > now() THEN a.expires_at"
        "              ELSE now() + make_interval(secs => $2::integer) END"
        " RETURNING failures, ceil(extract(epoch FROM expires_at - now()))::bigint" },
    /* client_get and attempts_get ($2 the key) in one round trip: client
     * authentication needs both on every request, and a round trip is a large part
     * of a client_credentials request's cost. */
    [GH_STMT_CLIENT_GET_WITH_ATTEMPTS] = { "client_get_with_attempts", 2,
        "SELECT " GH_CLIENT_COLUMNS ", coalesce(a.failures, 0), coalesce(a.since_last, 0),"
        " coalesce(a.locked_for, 0) FROM gatehouse.clients LEFT JOIN LATERAL"
        " (SELECT failures, extract(epoch FROM now() - last_failure_at)::bigint AS since_last,"
        "  greatest(0, ceil(extract(epoch FROM coalesce(locked_until, now()) - now())))::bigint"
        "  AS locked_for FROM gatehouse.login_attempts WHERE key = $2 AND expires_at > now())"
        " a ON true WHERE client_id = $1" },
};
