/*
 * oauth/tokens.c: issuing access, refresh and id tokens, and finding live access
 * tokens.
 *
 * Every token gets a row keyed by its SHA-256 hex, the JWT access token too: the row is
 * what revocation, a replayed code (its family) and a revoked grant act on, so a JWT
 * is live at userinfo only while its row is. The expiry in the row and in the JWT is
 * the same epoch second.
 */
#include "oauth/tokens.h"

#include <string.h>
#include <time.h>

#include "base/hash.h"
#include "base/rand.h"
#include "oauth/authorize.h"
#include "oauth/error.h"
#include "oauth/idtoken.h"
#include "oauth/keys.h"
#include "oauth/refresh.h"

/* The row every token of g shares; kind, format, jti, scope and expiry are the
 * caller's. */
static gh_store_token_t
grant_row(const gh_oauth_grant_t *g, const char *kind, long long now, long long expires_at)
{
    long long started = g->family_started_at > 0 ? g->family_started_at : now;
    return (gh_store_token_t){
        .kind = kind, .format = "opaque", .client_id = g->client->client_id,
        .user_id = g->user != NULL ? g->user->id : NULL, .grant_id = g->grant_id,
        .family_id = g->family_id, .scope = g->scope, .sid = g->sid,
        .auth_time = g->auth_time, .amr = g->amr, .nonce = g->nonce,
        .parent_hash = g->parent_hash, .expires_at = expires_at,
        .family_started_at = g->family_id != NULL ? started : 0,
    };
}

static const char *
access_scope(const gh_oauth_grant_t *g)
{
    return g->access_scope != NULL ? g->access_scope : g->scope;
}

static gh_status_t
store_row(gh_app_t *app, gh_store_token_t *row, const char *token, gh_err_t *err)
{
    char *hash = NULL;
    gh_status_t st = gh_hash_sha256_hex(app->arena, token, &hash, err);
    if (st != GH_OK)
        return st;
    row->token_hash = hash;
    return gh_store_token_insert(app->db, app->arena, row, err);
}

static gh_status_t
opaque_token(gh_arena_t *a, const char *prefix, const char **out, gh_err_t *err)
{
    char *random = NULL;
    gh_status_t st = gh_rand_token(a, &random, err);
    if (st == GH_OK)
        *out = gh_arena_printf(a, "%s%s", prefix, random);
    return st;
}

/* auth_time and amr: what the user's authentication was; a client has none. */
static void
authentication_claims(const gh_oauth_grant_t *g, json_t *c)
{
    if (g->user == NULL)
        return;
    json_object_set_new(c, "auth_time", json_integer(g->auth_time));
    json_t *amr = json_array();
    for (size_t i = 0; i < g->amr.n; i++)
        json_array_append_new(amr, json_string(g->amr.items[i]));
    json_object_set_new(c, "amr", amr);
}

/* RFC 9068 2.2. A client's own token names it in a namespace no user id is in (R52). */
static gh_status_t
jwt_access_token(gh_app_t *app, const gh_oauth_grant_t *g, long long now,
                 gh_store_token_t *row, const char **out, gh_err_t *err)
{
    char *jti = NULL;
    gh_status_t st = gh_rand_token(app->arena, &jti, err);
    if (st != GH_OK)
        return st;
    const char *sub = g->user != NULL ? g->user->id
                      : gh_arena_printf(app->arena, GH_OAUTH_CLIENT_SUB_PREFIX "%s",
                                        g->client->client_id);
    json_t *c = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}",
                          "iss", app->cfg->issuer, "sub", sub,
                          "aud", app->cfg->audience, "client_id", g->client->client_id,
                          "scope", row->scope, "jti", jti, "iat", (json_int_t)now,
                          "exp", (json_int_t)row->expires_at);
    if (c == NULL)
        return gh_fail(err, GH_E_INTERNAL, "cannot build access token claims");
    authentication_claims(g, c);
    char *jws = NULL;
    st = gh_oauth_keys_sign(app, app->cfg->default_alg, "at+jwt", c, &jws, err);
    json_decref(c);
    row->format = "jwt";
    row->jti = jti;
    *out = jws;
    return st;
}

static gh_status_t
issue_access(gh_app_t *app, const gh_oauth_grant_t *g, long long now, gh_oauth_tokens_t *out,
             gh_err_t *err)
{
    long ttl = g->client->access_token_ttl > 0 ? g->client->access_token_ttl
                                               : app->cfg->access_ttl;
    gh_store_token_t row = grant_row(g, "access", now, now + ttl);
    row.scope = access_scope(g);
    gh_status_t st;
    if (strcmp(g->client->access_token_format, "jwt") == 0)
        st = jwt_access_token(app, g, now, &row, &out->access_token, err);
    else
        st = opaque_token(app->arena, GH_OAUTH_ACCESS_PREFIX, &out->access_token, err);
    if (st != GH_OK)
        return st;
    out->expires_in = ttl;
    return store_row(app, &row, out->access_token, err);
}

static gh_status_t
issue_refresh(gh_app_t *app, const gh_oauth_grant_t *g, long long now, gh_oauth_tokens_t *out,
              gh_err_t *err)
{
    gh_store_token_t row = grant_row(g, "refresh", now, 0);
    row.expires_at = gh_oauth_refresh_expiry(app->cfg, g->client, now, row.family_started_at);
    gh_status_t st = opaque_token(app->arena, GH_OAUTH_REFRESH_PREFIX, &out->refresh_token, err);
    if (st != GH_OK)
        return st;
    return store_row(app, &row, out->refresh_token, err);
}

gh_status_t
gh_oauth_tokens_issue(gh_app_t *app, const gh_oauth_grant_t *g, gh_oauth_tokens_t *out,
                      gh_err_t *err)
{
    long long now = (long long)time(NULL);
    *out = (gh_oauth_tokens_t){ .scope = access_scope(g) };
    gh_status_t st = issue_access(app, g, now, out, err);
    if (st != GH_OK || g->user == NULL)
        return st;
    if (gh_strlist_contains(&g->client->grant_types, "refresh_token"))
        st = issue_refresh(app, g, now, out, err);
    if (st == GH_OK && gh_oauth_list_has(g->scope, "openid"))
        st = gh_oauth_idtoken_issue(app, g, out->access_token, now, &out->id_token, err);
    return st;
}

static gh_status_t
invalid_token(gh_err_t *err)
{
    return gh_oauth_fail(err, GH_OAUTH_INVALID_TOKEN, "the access token is invalid or expired");
}

/* Signature, typ, issuer and expiry of a JWT access token; the row says the rest. */
static gh_status_t
check_jwt(gh_app_t *app, const char *token, gh_err_t *err)
{
    json_t *c = NULL;
    gh_status_t st = gh_oauth_keys_verify(app, token, "at+jwt", &c, err);
    if (st == GH_E_UNAVAILABLE)
        return st;
    if (st != GH_OK)
        return invalid_token(err);
    const char *iss = json_string_value(json_object_get(c, "iss"));
    json_t *exp = json_object_get(c, "exp");
    bool ok = iss != NULL && strcmp(iss, app->cfg->issuer) == 0 && json_is_integer(exp) &&
              json_integer_value(exp) > (json_int_t)time(NULL);
    json_decref(c);
    return ok ? GH_OK : invalid_token(err);
}

/* The live row of kind for token, by its hash. */
static gh_status_t
live_row(gh_app_t *app, const char *token, const char *kind, gh_store_token_t *out,
         gh_err_t *err)
{
    char *hash = NULL;
    gh_status_t st = gh_hash_sha256_hex(app->arena, token, &hash, err);
    if (st == GH_OK)
        st = gh_store_token_find(app->db, app->arena, hash, kind, out, err);
    return st == GH_E_NOTFOUND ? invalid_token(err) : st;
}

gh_status_t
gh_oauth_tokens_access_find(gh_app_t *app, const char *token, gh_store_token_t *out,
                            gh_err_t *err)
{
    size_t n = strlen(GH_OAUTH_ACCESS_PREFIX);
    gh_status_t st = GH_OK;
    if (strncmp(token, GH_OAUTH_ACCESS_PREFIX, n) != 0)
        st = check_jwt(app, token, err);
    if (st != GH_OK)
        return st;
    return live_row(app, token, "access", out, err);
}

/* The form of a token says its kind, so a token_type_hint (RFC 7009 2.1, RFC 7662 2.1)
 * is never needed and never trusted. */
gh_status_t
gh_oauth_tokens_find(gh_app_t *app, const char *token, gh_store_token_t *out, gh_err_t *err)
{
    if (strncmp(token, GH_OAUTH_REFRESH_PREFIX, strlen(GH_OAUTH_REFRESH_PREFIX)) == 0)
        return live_row(app, token, "refresh", out, err);
    return gh_oauth_tokens_access_find(app, token, out, err);
}
