/*
 * endpoints/revoke.c: POST /revoke (RFC 7009 section 2).
 *
 * Confidential clients authenticate with their registered method, public clients send
 * their client_id (2.1); a browser app may call it cross-origin (CORS: the router's
 * table). 200 with an empty body when the token is revoked or was not live (2.2,
 * R87); what is revoked, and what is refused, is oauth/revoke.c's.
 */
#include "endpoints/revoke.h"

#include "endpoints/caller.h"
#include "http/response.h"
#include "oauth/revoke.h"

gh_status_t
gh_endpoint_revoke(gh_app_t *app, gh_req_t *req, gh_err_t *err)
{
    gh_client_t caller;
    const char *token = NULL;
    gh_status_t st = gh_caller_authenticate(app, req, &caller, err);
    if (st == GH_OK)
        st = gh_caller_token(req, &token, err);
    if (st == GH_OK)
        st = gh_oauth_revoke(app, &caller, token, err);
    if (st != GH_OK)
        return st;
    gh_http_no_store(req);
    gh_http_respond_empty(req, 200);
    return GH_OK;
}
