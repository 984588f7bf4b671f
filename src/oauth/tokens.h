/*
 * oauth/tokens.h: making the tokens of a grant, and checking an access token a
 * resource (userinfo) was shown.
 *
 * Formats (R101: 256 bits of randomness in every opaque token; only SHA-256 hex is
 * stored):
 *   opaque access token   "gatehouse_at_" + 43 base64url characters
 *   refresh token         "gatehouse_rt_" + 43 base64url characters
 *   JWT access token      RFC 9068, typ "at+jwt", signed with Keys.DefaultAlg: iss, sub,
 *                         aud (Tokens.Audience), client_id, scope, jti, iat, exp, and
 *                         for a user auth_time, amr; stored by hash with its jti so it
 *                         can be revoked. Offline validators accept it until exp (R63): its
 *                         lifetime is the access token lifetime, keep that short.
 * The prefixes let secret scanners find leaked tokens (and differ from GitHub's gh*_).
 */
#ifndef GH_OAUTH_TOKENS_H
#define GH_OAUTH_TOKENS_H

#include <stdbool.h>

#include "app.h"
#include "base/err.h"
#include "base/strlist.h"
#include "store/clients.h"
#include "store/tokens.h"
#include "store/users.h"

#define GH_OAUTH_ACCESS_PREFIX  "gatehouse_at_"
#define GH_OAUTH_REFRESH_PREFIX "gatehouse_rt_"
/* The sub of a JWT access token issued to a client for itself: never a user's id,
 * which is a UUID (R52). */
#define GH_OAUTH_CLIENT_SUB_PREFIX "client:"

/* What tokens are issued for: one client, one user's grant, one family; or, with no
 * user (client_credentials), the client itself. Borrowed. */
typedef struct {
    const gh_client_t *client;
    const gh_user_t   *user;       /* the subject; NULL: the client (no grant, no family) */
    const char        *grant_id;
    const char        *family_id;  /* the code's: a replayed code revokes the family */
    const char        *scope;      /* as granted, space-separated */
    const char        *access_scope; /* the access token's when narrower (a refresh, R45);
                                        NULL: scope */
    const char        *nonce;      /* from the authorization request; NULL when none */
    const char        *sid;        /* the browser session's public id; may be NULL */
    long long          auth_time;  /* epoch seconds */
    gh_strlist_t       amr;
    const char        *parent_hash;       /* the refresh token rotated; NULL for a code */
    long long          family_started_at; /* epoch seconds; 0: the family starts now */
} gh_oauth_grant_t;

/* A token response (RFC 6749 5.1). Strings in app->arena. */
typedef struct {
    const char *access_token;
    long        expires_in;
    const char *scope;
    const char *refresh_token;  /* NULL: not issued (the client lacks the grant type) */
    const char *id_token;       /* NULL: openid was not granted */
} gh_oauth_tokens_t;

/* Makes and stores the tokens of g: an access token (opaque, or a JWT when the client
 * registered access_token_format jwt; its sub is "client:<client_id>" when g has no
 * user, R52), and for a user: a refresh token when the client may use the
 * refresh_token grant (R48), expiring at gh_oauth_refresh_expiry, and an id_token when
 * openid was granted (R75). Runs its inserts on app->db as they come: the caller holds
 * the transaction and rolls it back on failure. GH_E_UNAVAILABLE (database, or no
 * signing key), GH_E_INTERNAL. */
gh_status_t gh_oauth_tokens_issue(gh_app_t *app, const gh_oauth_grant_t *g,
                                  gh_oauth_tokens_t *out, gh_err_t *err);

/* The live access token token (opaque or JWT) as its row. A JWT must also verify
 * against the published keys, name this issuer and be unexpired. GH_E_AUTH with
 * invalid_token for anything not live or not ours; GH_E_UNAVAILABLE. */
gh_status_t gh_oauth_tokens_access_find(gh_app_t *app, const char *token,
                                        gh_store_token_t *out, gh_err_t *err);

/* Any live token as its row (out->kind says which): a refresh token, known by its
 * prefix, or else an access token as gh_oauth_tokens_access_find finds it. GH_E_AUTH
 * with invalid_token for anything not live or not ours; GH_E_UNAVAILABLE. */
gh_status_t gh_oauth_tokens_find(gh_app_t *app, const char *token, gh_store_token_t *out,
                                 gh_err_t *err);

#endif
