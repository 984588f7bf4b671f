/*
 * endpoints/caller.c: client authentication from the request (oauth/clientauth.c does
 * the checking), and the token parameter.
 */
#include "endpoints/caller.h"

#include "http/response.h"
#include "oauth/clientauth.h"
#include "oauth/error.h"

gh_status_t
gh_caller_authenticate(gh_app_t *app, gh_req_t *req, gh_client_t *out, gh_err_t *err)
{
    gh_oauth_client_creds_t creds = {
        .has_basic = req->has_basic, .basic_user = req->basic_user,
        .basic_pass = req->basic_pass,
    };
    gh_status_t st = gh_http_arg(req, "client_id", &creds.client_id, err);
    if (st == GH_OK)
        st = gh_http_arg(req, "client_secret", &creds.client_secret, err);
    if (st == GH_OK)
        st = gh_oauth_clientauth_verify(app->db, req->arena, &creds, out, err);
    if (st == GH_E_AUTH && req->has_basic)
        gh_http_header_set(req, "WWW-Authenticate", "Basic realm=\"gatehouse\"");
    if (st == GH_OK)
        req->client_id = out->client_id;
    return st;
}

gh_status_t
gh_caller_token(const gh_req_t *req, const char **out, gh_err_t *err)
{
    gh_status_t st = gh_http_arg(req, "token", out, err);
    if (st == GH_OK && *out == NULL)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST, "token is required");
    return st;
}
