/*
 * oauth/dcr.c: registering clients (RFC 7591) and managing them with their
 * registration access token (RFC 7592).
 *
 * Open registration is the abuse target (RFC 7591 5, R93), so before any work a
 * request passes the per-address limit, then the initial access token and its own
 * limit, then the cap on registered clients. The limits are fixed one-hour windows
 * counted in login_attempts (store/attempts.c) under "register-addr:<ip>" and
 * "register-token:<id>". The cap is checked before the insert, so concurrent
 * registrations can pass it by at most their number.
 *
 * The registration access token is a 256-bit secret stored as SHA-256 in the client's
 * row and compared in constant time. It is not rotated: the responses to read and
 * update echo the token the client presented, since RFC 7592 3 wants it in every
 * client information response and only its hash is kept.
 */
#include "oauth/dcr.h"

#include <string.h>

#include "base/ct.h"
#include "base/hash.h"
#include "base/log.h"
#include "base/rand.h"
#include "oauth/client.h"
#include "oauth/devtoken.h"
#include "oauth/error.h"
#include "oauth/register.h"
#include "store/attempts.h"

static gh_status_t
within_limit(gh_app_t *app, const char *key, long limit, gh_err_t *err)
{
    long count = 0, retry_after = 0;
    gh_status_t st = gh_store_attempts_hit(app->db, key, GH_OAUTH_DCR_WINDOW, &count,
                                           &retry_after, err);
    if (st != GH_OK || count <= limit)
        return st;
    gh_log_warn("registration refused: %s over %ld an hour", key, limit);
    return gh_fail(err, GH_E_TOO_MANY, "too many registrations: retry in %ld seconds",
                   retry_after);
}

/* A presented initial access token must be live, and is counted against its limit,
 * even when registration is open; none is needed only when it is open. */
static gh_status_t
check_initial_token(gh_app_t *app, const char *token, gh_err_t *err)
{
    if (token == NULL && app->cfg->registration_open)
        return GH_OK;
    if (token == NULL)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_TOKEN,
                             "registration needs an initial access token (Bearer)");
    gh_devtoken_t iat;
    gh_status_t st = gh_oauth_devtoken_verify(app->db, app->arena, token, &iat, err);
    if (st != GH_OK)
        return st;
    const char *key = gh_arena_printf(app->arena, "register-token:%lld", iat.id);
    return within_limit(app, key, app->cfg->registration_per_token, err);
}

static gh_status_t
below_cap(gh_app_t *app, gh_err_t *err)
{
    long n = 0;
    gh_status_t st = gh_store_client_count_registered(app->db, &n, err);
    if (st != GH_OK || n < app->cfg->registration_max_clients)
        return st;
    gh_log_warn("registration refused: Registration.MaxClients (%ld) reached",
                app->cfg->registration_max_clients);
    return gh_fail(err, GH_E_DENIED, "registration is closed: this server has reached its "
                                     "limit of registered clients");
}

static gh_status_t
need_json(const json_t *metadata, gh_err_t *err)
{
    if (metadata != NULL)
        return GH_OK;
    return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                         "send the client metadata as a JSON object "
                         "(Content-Type: application/json)");
}

/* A new registration access token: *token for the response, its hash on c. */
static gh_status_t
new_access_token(gh_arena_t *a, gh_client_t *c, const char **token, gh_err_t *err)
{
    char *raw = NULL, *hash = NULL;
    gh_status_t st = gh_rand_token(a, &raw, err);
    if (st == GH_OK)
        st = gh_hash_sha256_hex(a, raw, &hash, err);
    *token = raw;
    c->registration_token_hash = hash;
    return st;
}

/* Registered clients are never trusted, and always use PKCE (R27 leaves turning it
 * off to operators). */
static gh_status_t
create(gh_app_t *app, const json_t *metadata, gh_oauth_dcr_result_t *out, gh_err_t *err)
{
    memset(out, 0, sizeof *out);
    gh_client_t *c = &out->client;
    c->require_pkce = true;
    c->is_dynamically_registered = true;
    gh_status_t st = need_json(metadata, err);
    if (st == GH_OK)
        st = gh_oauth_register_metadata_read(app->arena, metadata, c, err);
    if (st == GH_OK)
        st = new_access_token(app->arena, c, &out->registration_access_token, err);
    if (st == GH_OK)
        st = gh_oauth_client_create(app->db, app->arena, c, &out->client_secret, err);
    if (st != GH_OK)
        return st;
    gh_log_info("client %s registered dynamically", c->client_id);
    return gh_store_client_get(app->db, app->arena, c->client_id, c, err);
}

gh_status_t
gh_oauth_dcr_register(gh_app_t *app, const gh_oauth_dcr_request_t *in,
                      gh_oauth_dcr_result_t *out, gh_err_t *err)
{
    const char *address = in->address != NULL ? in->address : "unknown";
    gh_status_t st = within_limit(app, gh_arena_printf(app->arena, "register-addr:%s", address),
                                  app->cfg->registration_per_address, err);
    if (st == GH_OK)
        st = check_initial_token(app, in->initial_token, err);
    if (st == GH_OK)
        st = below_cap(app, err);
    if (st == GH_OK)
        st = create(app, in->metadata, out, err);
    return st;
}

/* One answer for a wrong token and a client that does not exist (RFC 7592 2.1, R94). */
static gh_status_t
refuse_token(gh_err_t *err)
{
    return gh_oauth_fail(err, GH_OAUTH_INVALID_TOKEN,
                         "the registration access token is not valid for this client");
}

gh_status_t
gh_oauth_dcr_read(gh_app_t *app, const char *client_id, const char *token, gh_client_t *out,
                  gh_err_t *err)
{
    if (token == NULL)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_TOKEN,
                             "a registration access token (Bearer) is required");
    gh_status_t st = gh_store_client_get(app->db, app->arena, client_id, out, err);
    if (st == GH_E_NOTFOUND)
        return refuse_token(err);
    char *hash = NULL;
    if (st == GH_OK)
        st = gh_hash_sha256_hex(app->arena, token, &hash, err);
    if (st != GH_OK)
        return st;
    if (!gh_ct_streq(hash, out->registration_token_hash))
        return refuse_token(err);
    return GH_OK;
}

/* RFC 7592 2.2: the body names the client, and may not bring a secret of its own. */
static gh_status_t
check_identity(gh_arena_t *a, const json_t *metadata, const gh_client_t *c, gh_err_t *err)
{
    const char *id = json_string_value(json_object_get(metadata, "client_id"));
    if (id == NULL || strcmp(id, c->client_id) != 0)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST,
                             "the body must hold this client's client_id");
    const json_t *secret = json_object_get(metadata, "client_secret");
    if (secret == NULL || json_is_null(secret))
        return GH_OK;
    char *hash = NULL;
    const char *s = json_string_value(secret);
    if (s != NULL && gh_hash_sha256_hex(a, s, &hash, NULL) == GH_OK &&
        gh_ct_streq(hash, c->secret_hash))
        return GH_OK;
    return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST,
                         "client_secret is not this client's secret");
}

gh_status_t
gh_oauth_dcr_update(gh_app_t *app, const char *client_id, const char *token,
                    const json_t *metadata, gh_client_t *out, gh_err_t *err)
{
    gh_client_t cur;
    gh_status_t st = gh_oauth_dcr_read(app, client_id, token, &cur, err);
    if (st == GH_OK)
        st = need_json(metadata, err);
    if (st == GH_OK)
        st = check_identity(app->arena, metadata, &cur, err);
    if (st != GH_OK)
        return st;
    *out = cur;
    st = gh_oauth_register_metadata_read(app->arena, metadata, out, err);
    if (st != GH_OK)
        return st;
    /* A secret is issued at registration only: a type change would need a new one. */
    if (out->is_public != cur.is_public)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                             "token_endpoint_auth_method must stay %s: register a new "
                             "client to change between none and a secret",
                             cur.is_public ? "none" : "a secret method");
    st = gh_oauth_client_update(app->db, app->arena, out, err);
    if (st != GH_OK)
        return st;
    return gh_store_client_get(app->db, app->arena, client_id, out, err);
}

gh_status_t
gh_oauth_dcr_delete(gh_app_t *app, const char *client_id, const char *token, gh_err_t *err)
{
    gh_client_t c;
    gh_status_t st = gh_oauth_dcr_read(app, client_id, token, &c, err);
    if (st == GH_OK)
        st = gh_store_client_delete(app->db, client_id, err);
    if (st == GH_OK)
        gh_log_info("client %s deleted by its registration access token", client_id);
    return st;
}
