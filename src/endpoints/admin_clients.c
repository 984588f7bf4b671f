/*
 * endpoints/admin_clients.c: listing, creating, editing, disabling clients and
 * rotating their secrets from the admin page.
 *
 * The rules are oauth/client.c's, the same as for the command line, manifests and
 * dynamic registration; the JSON is oauth/client_json.c's. A secret is in exactly one
 * response, the one that made it (create, rotate), and is never logged.
 */
#include "endpoints/admin_clients.h"

#include <string.h>

#include "base/log.h"
#include "oauth/client.h"
#include "oauth/client_json.h"

#define LIST_LIMIT 500

static gh_status_t
respond_client(gh_app_t *app, gh_req_t *req, int status, const gh_client_t *c,
               const char *secret)
{
    json_t *o = json_object();
    json_object_set_new(o, "client", gh_oauth_client_to_json(app->arena, c, secret));
    return gh_admin_respond(req, status, o);
}

static json_t *
client_json(gh_app_t *app, const gh_admin_call_t *call, const void *item)
{
    (void)call;
    return gh_oauth_client_to_json(app->arena, item, NULL);
}

gh_status_t
gh_admin_clients_list(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                      gh_err_t *err)
{
    gh_client_t *cs = NULL;
    size_t n = 0;
    gh_status_t st = gh_store_client_search(app->db, app->arena, gh_admin_query(req),
                                            LIST_LIMIT, &cs, &n, err);
    if (st != GH_OK)
        return st;
    return gh_admin_respond_list(app, req, call, "clients", cs, n, sizeof *cs, client_json);
}

gh_status_t
gh_admin_clients_create(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                        gh_err_t *err)
{
    (void)call;
    gh_client_t c = { .require_pkce = true };
    const json_t *body = NULL;
    gh_status_t st = gh_admin_body(req, &body, err);
    if (st == GH_OK)
        st = gh_admin_body_string(req, "client_type", &c.client_type, err);
    if (st == GH_OK)
        st = gh_oauth_client_from_json(app->arena, body, &c, err);
    const char *secret = NULL;
    if (st == GH_OK)
        st = gh_oauth_client_create(app->db, app->arena, &c, &secret, err);
    if (st != GH_OK)
        return st;
    req->client_id = c.client_id;
    gh_log_info("admin created client %s rid=%s", c.client_id, req->request_id);
    return respond_client(app, req, 201, &c, secret);
}

gh_status_t
gh_admin_clients_get(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call, gh_err_t *err)
{
    gh_client_t c;
    gh_status_t st = gh_store_client_get(app->db, app->arena, call->arg[0], &c, err);
    return st == GH_OK ? respond_client(app, req, 200, &c, NULL) : st;
}

gh_status_t
gh_admin_clients_update(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                        gh_err_t *err)
{
    gh_client_t c;
    const json_t *body = NULL;
    gh_status_t st = gh_admin_body(req, &body, err);
    if (st == GH_OK)
        st = gh_store_client_get(app->db, app->arena, call->arg[0], &c, err);
    if (st == GH_OK)
        st = gh_oauth_client_from_json(app->arena, body, &c, err);
    if (st == GH_OK)
        st = gh_oauth_client_update(app->db, app->arena, &c, err);
    if (st != GH_OK)
        return st;
    req->client_id = c.client_id;
    return gh_admin_clients_get(app, req, call, err);
}

gh_status_t
gh_admin_clients_set_disabled(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                              gh_err_t *err)
{
    bool disabled = strcmp(call->verb, "disable") == 0;
    gh_status_t st = gh_store_client_set_disabled(app->db, call->arg[0], disabled, err);
    if (st != GH_OK)
        return st;
    req->client_id = call->arg[0];
    return gh_admin_clients_get(app, req, call, err);
}

gh_status_t
gh_admin_clients_rotate(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                        gh_err_t *err)
{
    const char *secret = NULL;
    gh_status_t st = gh_oauth_client_rotate_secret(app->db, app->arena, call->arg[0], &secret,
                                                   err);
    if (st != GH_OK)
        return st;
    req->client_id = call->arg[0];
    gh_log_info("admin rotated the secret of client %s rid=%s", call->arg[0], req->request_id);
    return gh_admin_respond(req, 200, json_pack("{s:s, s:s}", "client_id", call->arg[0],
                                                "client_secret", secret));
}
