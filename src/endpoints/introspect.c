/*
 * endpoints/introspect.c: POST /introspect (RFC 7662 section 2).
 *
 * The caller must authenticate (2.1, R82: it stops token scanning) as a confidential
 * client: introspection is for resource servers and the clients' own back ends, and a
 * public client's client_id is no secret, so it proves nothing. Every answer is
 * no-store (R85). What the caller may learn is oauth/introspect.c's policy; GET is
 * refused by the router (405).
 */
#include "endpoints/introspect.h"

#include "endpoints/caller.h"
#include "http/response.h"
#include "oauth/error.h"
#include "oauth/introspect.h"

gh_status_t
gh_endpoint_introspect(gh_app_t *app, gh_req_t *req, gh_err_t *err)
{
    gh_client_t caller;
    const char *token = NULL;
    json_t *answer = NULL;
    gh_status_t st = gh_caller_authenticate(app, req, &caller, err);
    if (st == GH_OK && caller.is_public)
        st = gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT,
                           "introspection needs a confidential client");
    if (st == GH_OK)
        st = gh_caller_token(req, &token, err);
    if (st == GH_OK)
        st = gh_oauth_introspect(app, &caller, token, &answer, err);
    if (st != GH_OK)
        return st;
    gh_http_no_store(req);
    gh_http_respond_json_new(req, 200, answer);
    return GH_OK;
}
