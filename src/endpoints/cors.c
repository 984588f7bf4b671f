/*
 * endpoints/cors.c: granting origins, by route policy and registered clients.
 *
 * The lookup runs only for a request that carries a valid Origin on a CLIENTS route,
 * after the configured list; it is one indexed query (sql/006), current at once when
 * a client is added, changed or disabled.
 */
#include "endpoints/cors.h"

#include "base/log.h"
#include "http/cors.h"
#include "store/clients.h"

/* *allow: "*", the request's origin, or NULL (not granted). */
static gh_status_t
granted(gh_app_t *app, const gh_req_t *req, gh_cors_policy_t policy, const char **allow,
        gh_err_t *err)
{
    *allow = policy == GH_CORS_ANY ? "*" : NULL;
    const char *origin = gh_http_cors_origin(req);
    if (policy != GH_CORS_CLIENTS || origin == NULL)
        return GH_OK;
    bool found = gh_http_cors_is_listed(app->cfg->cors_origins, origin);
    gh_status_t st = GH_OK;
    if (!found)
        st = gh_store_client_origin_exists(app->db, origin, &found, err);
    if (st == GH_OK && found)
        *allow = origin;
    return st;
}

void
gh_cors_respond(gh_app_t *app, gh_req_t *req, gh_cors_policy_t policy, unsigned methods)
{
    if (policy == GH_CORS_NONE)
        return;
    const char *allow = NULL;
    gh_err_t err = { 0 };
    if (granted(app, req, policy, &allow, &err) != GH_OK)
        gh_log_warn("CORS: cannot check the origin (%s) rid=%s", err.description,
                    req->request_id);
    gh_http_cors_respond(req, allow, methods);
}
