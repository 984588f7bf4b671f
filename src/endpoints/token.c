/*
 * endpoints/token.c: POST /token (RFC 6749 3.2, 4.1.3, 4.4, 5, 6; OAuth 2.1 3.2).
 *
 * Reads the request, authenticates the client (endpoints/caller.c, which adds the Basic
 * challenge of RFC 6749 5.2 to an invalid_client answer to a client that used Basic,
 * R36), picks the grant by grant_type from a table, and writes the token response.
 * grant_type is looked at before the client is authenticated, so a grant Gatehouse
 * never offers (password, implicit: R103) is unsupported_grant_type whoever asks.
 * Parameters come from the form body, or from a JSON body (the R33 decision); never
 * from the query string. Errors are written by the router.
 */
#include "endpoints/token.h"

#include <string.h>

#include "endpoints/caller.h"
#include "http/response.h"
#include "oauth/error.h"
#include "oauth/grant.h"
#include "oauth/refresh.h"

typedef gh_status_t (*grant_run_t)(gh_app_t *app, gh_req_t *req, const gh_client_t *client,
                                   gh_oauth_tokens_t *out, gh_err_t *err);

static gh_status_t
grant_authorization_code(gh_app_t *app, gh_req_t *req, const gh_client_t *client,
                         gh_oauth_tokens_t *out, gh_err_t *err)
{
    gh_oauth_code_req_t in = { .client = client };
    gh_status_t st = gh_http_arg(req, "code", &in.code, err);
    if (st == GH_OK)
        st = gh_http_arg(req, "redirect_uri", &in.redirect_uri, err);
    if (st == GH_OK)
        st = gh_http_arg(req, "code_verifier", &in.code_verifier, err);
    if (st != GH_OK)
        return st;
    return gh_oauth_grant_code(app, &in, out, err);
}

static gh_status_t
grant_refresh_token(gh_app_t *app, gh_req_t *req, const gh_client_t *client,
                    gh_oauth_tokens_t *out, gh_err_t *err)
{
    gh_oauth_refresh_req_t in = { .client = client };
    gh_status_t st = gh_http_arg(req, "refresh_token", &in.refresh_token, err);
    if (st == GH_OK)
        st = gh_http_arg(req, "scope", &in.scope, err);
    if (st != GH_OK)
        return st;
    return gh_oauth_refresh_rotate(app, &in, out, err);
}

static gh_status_t
grant_client_credentials(gh_app_t *app, gh_req_t *req, const gh_client_t *client,
                         gh_oauth_tokens_t *out, gh_err_t *err)
{
    gh_oauth_client_credentials_req_t in = { .client = client };
    gh_status_t st = gh_http_arg(req, "scope", &in.scope, err);
    if (st != GH_OK)
        return st;
    return gh_oauth_grant_client_credentials(app, &in, out, err);
}

static const struct {
    const char *name;
    grant_run_t run;
} grants[] = {
    { .name = "authorization_code", .run = grant_authorization_code },
    { .name = "refresh_token", .run = grant_refresh_token },
    { .name = "client_credentials", .run = grant_client_credentials },
};

/* RFC 6749 5.1; scope always, space-separated (R35). */
static void
respond(gh_req_t *req, const gh_oauth_tokens_t *t)
{
    json_t *body = json_pack("{s:s, s:s, s:I, s:s}", "access_token", t->access_token,
                             "token_type", "Bearer", "expires_in", (json_int_t)t->expires_in,
                             "scope", t->scope);
    if (body != NULL && t->refresh_token != NULL)
        json_object_set_new(body, "refresh_token", json_string(t->refresh_token));
    if (body != NULL && t->id_token != NULL)
        json_object_set_new(body, "id_token", json_string(t->id_token));
    gh_http_no_store(req);
    gh_http_respond_json_new(req, 200, body);
}

gh_status_t
gh_endpoint_token(gh_app_t *app, gh_req_t *req, gh_err_t *err)
{
    const char *grant_type = NULL;
    gh_status_t st = gh_http_arg(req, "grant_type", &grant_type, err);
    if (st != GH_OK)
        return st;
    if (grant_type == NULL)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST, "grant_type is required");
    size_t i = 0;
    while (i < sizeof grants / sizeof grants[0] && strcmp(grants[i].name, grant_type) != 0)
        i++;
    if (i == sizeof grants / sizeof grants[0])
        return gh_oauth_fail(err, GH_OAUTH_UNSUPPORTED_GRANT_TYPE, "unsupported grant_type");
    gh_client_t client;
    st = gh_caller_authenticate(app, req, &client, err);
    if (st != GH_OK)
        return st;
    if (!gh_strlist_contains(&client.grant_types, grants[i].name))
        return gh_oauth_fail(err, GH_OAUTH_UNAUTHORIZED_CLIENT,
                             "this client is not registered for this grant_type");
    gh_oauth_tokens_t tokens;
    st = grants[i].run(app, req, &client, &tokens, err);
    if (st != GH_OK)
        return st;
    respond(req, &tokens);
    return GH_OK;
}
