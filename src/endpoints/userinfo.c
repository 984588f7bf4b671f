/*
 * endpoints/userinfo.c: GET and POST /userinfo (OIDC Core 5.3, RFC 6750).
 *
 * The access token comes in the Authorization header (RFC 6750 2.1) or, on POST, as
 * the access_token form parameter (2.2); never from the query string, which OAuth 2.1
 * dropped: a GET with ?access_token= is a request without a token (R56). Refusals
 * carry the Bearer challenge of RFC 6750 3 (R57): none at all without a token,
 * invalid_token for one that is not live, insufficient_scope without openid. The
 * answer has sub (the id_token's, R58) and the claims of the granted scopes, leaving
 * out those the user does not have (R59).
 */
#include "endpoints/userinfo.h"

#include "http/response.h"
#include "oauth/authorize.h"
#include "oauth/claims.h"
#include "oauth/error.h"
#include "oauth/tokens.h"
#include "store/users.h"

#define REALM "Bearer realm=\"gatehouse\""

/* Sets the challenge for a refusal and returns its status. */
static gh_status_t
challenge(gh_req_t *req, gh_status_t st, const char *params)
{
    gh_http_header_set(req, "WWW-Authenticate",
                       params == NULL ? REALM : gh_arena_printf(req->arena, REALM ", %s", params));
    return st;
}

static gh_status_t
presented_token(const gh_req_t *req, const char **token, gh_err_t *err)
{
    const char *in_body = NULL;
    if (req->method == GH_POST) {
        gh_status_t st = gh_params_get(&req->form, "access_token", &in_body, err);
        if (st != GH_OK)
            return st;
    }
    if (req->bearer != NULL && in_body != NULL)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST,
                             "send the access token in one place only");
    *token = req->bearer != NULL ? req->bearer : in_body;
    return GH_OK;
}

/* The token's user, live and with openid granted. */
static gh_status_t
token_user(gh_app_t *app, gh_req_t *req, const char *token, gh_store_token_t *at,
           gh_user_t *user, gh_err_t *err)
{
    gh_status_t st = gh_oauth_tokens_access_find(app, token, at, err);
    if (st == GH_E_AUTH)
        return challenge(req, st, "error=\"invalid_token\"");
    if (st != GH_OK)
        return st;
    req->client_id = at->client_id;
    if (at->user_id == NULL || !gh_oauth_list_has(at->scope, "openid"))
        return challenge(req, gh_oauth_fail(err, GH_OAUTH_INSUFFICIENT_SCOPE,
                                            "the access token was not granted openid"),
                         "error=\"insufficient_scope\", scope=\"openid\"");
    st = gh_store_user_get(app->db, app->arena, at->user_id, user, err);
    if (st == GH_E_NOTFOUND)
        return challenge(req, gh_oauth_fail(err, GH_OAUTH_INVALID_TOKEN, "no such user"),
                         "error=\"invalid_token\"");
    return st;
}

gh_status_t
gh_endpoint_userinfo(gh_app_t *app, gh_req_t *req, gh_err_t *err)
{
    const char *token = NULL;
    gh_status_t st = presented_token(req, &token, err);
    if (st != GH_OK)
        return challenge(req, st, "error=\"invalid_request\"");
    if (token == NULL)
        return challenge(req, gh_err_set(err, GH_E_AUTH, "invalid_request", __FILE__, __LINE__,
                                         "an access token is required"), NULL);
    gh_store_token_t at;
    gh_user_t user;
    st = token_user(app, req, token, &at, &user, err);
    if (st != GH_OK)
        return st;
    json_t *body = json_pack("{s:s}", "sub", user.id);
    st = gh_oauth_claims_for_scope(app->db, app->arena, &user, at.scope, body, err);
    if (st != GH_OK) {
        json_decref(body);
        return st;
    }
    gh_http_no_store(req);
    gh_http_respond_json_new(req, 200, body);
    return GH_OK;
}
