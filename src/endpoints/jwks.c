/*
 * endpoints/jwks.c: the JWKS document resource servers and clients verify tokens with.
 *
 * Which keys are in it, and why, is oauth/keys.c's business. Caching is safe because a
 * key is published Keys.ActivationDelay before it signs anything: five minutes of
 * cache only has to be shorter than that delay.
 */
#include "endpoints/jwks.h"

#include "http/response.h"
#include "oauth/keys.h"

gh_status_t
gh_endpoint_jwks(gh_app_t *app, gh_req_t *req, gh_err_t *err)
{
    json_t *jwks = NULL;
    gh_status_t st = gh_oauth_keys_published(app, &jwks, err);
    if (st != GH_OK)
        return st;
    gh_http_header_set(req, "Cache-Control", "public, max-age=300");
    gh_http_respond_json_new(req, 200, jwks);
    return GH_OK;
}
