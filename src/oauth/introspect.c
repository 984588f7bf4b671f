/*
 * oauth/introspect.c: token introspection (RFC 7662 section 2.2).
 *
 * The token's own form says what it is (oauth/tokens.c), so token_type_hint is never
 * needed: a wrong hint finds the token all the same (R84). Liveness is the store's one
 * rule (gh_store_token_find), the same as userinfo's and the token endpoint's.
 */
#include "oauth/introspect.h"

#include <string.h>

#include "oauth/tokens.h"
#include "store/users.h"

static bool
is_access(const gh_store_token_t *t)
{
    return strcmp(t->kind, "access") == 0;
}

static bool
may_know(const gh_client_t *caller, const gh_store_token_t *t)
{
    if (strcmp(t->client_id, caller->client_id) == 0)
        return true;
    return caller->is_resource_server && is_access(t);
}

/* The live token, when caller may know of it: GH_E_NOTFOUND for anything else. */
static gh_status_t
known_token(gh_app_t *app, const gh_client_t *caller, const char *token, gh_store_token_t *t,
            gh_err_t *err)
{
    gh_status_t st = gh_oauth_tokens_find(app, token, t, err);
    if (st == GH_E_AUTH || (st == GH_OK && !may_know(caller, t)))
        return gh_fail(err, GH_E_NOTFOUND, "no token this client may know of");
    return st;
}

static json_t *
describe(const gh_app_t *app, const gh_store_token_t *t, const gh_user_t *user)
{
    bool access = is_access(t);
    json_t *doc = json_pack("{s:b, s:s, s:s, s:s, s:I, s:I, s:s, s:s}", "active", 1,
                            "scope", t->scope, "client_id", t->client_id,
                            "token_type", access ? "Bearer" : "refresh_token",
                            "exp", (json_int_t)t->expires_at, "iat", (json_int_t)t->issued_at,
                            "iss", app->cfg->issuer,
                            "aud", access ? app->cfg->audience : app->cfg->issuer);
    if (doc != NULL && user != NULL) {
        json_object_set_new(doc, "sub", json_string(user->id));
        json_object_set_new(doc, "username", json_string(user->username));
    }
    if (doc != NULL && t->jti != NULL)
        json_object_set_new(doc, "jti", json_string(t->jti));
    return doc;
}

gh_status_t
gh_oauth_introspect(gh_app_t *app, const gh_client_t *caller, const char *token, json_t **out,
                    gh_err_t *err)
{
    gh_store_token_t t;
    gh_user_t user;
    gh_status_t st = known_token(app, caller, token, &t, err);
    if (st == GH_OK && t.user_id != NULL)
        st = gh_store_user_get(app->db, app->arena, t.user_id, &user, err);
    if (st == GH_E_NOTFOUND)
        *out = json_pack("{s:b}", "active", 0);
    else if (st == GH_OK)
        *out = describe(app, &t, t.user_id != NULL ? &user : NULL);
    else
        return st;
    return *out != NULL ? GH_OK : gh_fail(err, GH_E_INTERNAL, "cannot build the answer");
}
