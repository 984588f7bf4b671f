/*
 * endpoints/admin.h: the admin page's JSON API, /admin/api/... (docs/admin.md).
 *
 * gh_endpoint_admin_api checks who is calling, then hands the request to one of the
 * handlers of admin_clients.c, admin_users.c and admin_devtokens.c by method and path.
 * The rest of this header is what those files share.
 */
#ifndef GH_ENDPOINTS_ADMIN_H
#define GH_ENDPOINTS_ADMIN_H

#include <jansson.h>
#include <stdbool.h>

#include "app.h"
#include "http/req.h"
#include "store/sessions.h"

gh_status_t gh_endpoint_admin_api(gh_app_t *app, gh_req_t *req, gh_err_t *err);

/* A call that passed the checks: who made it, the path's variable segments
 * (clients/{id}/secret: arg[0] is the id; users/{id}/grants/{id}: both), and the verb
 * its route names for a handler that serves several ("disable", "enable"). */
typedef struct {
    gh_session_t session;   /* the administrator's */
    const char  *arg[2];
    const char  *verb;      /* NULL unless the route sets one */
} gh_admin_call_t;

typedef gh_status_t (*gh_admin_fn)(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                                   gh_err_t *err);

/* Answers with body (stolen, as json_object_set_new does) and no-store. */
gh_status_t gh_admin_respond(gh_req_t *req, int status, json_t *body);

/* One item of a list as JSON (a new reference). */
typedef json_t *(*gh_admin_item_fn)(gh_app_t *app, const gh_admin_call_t *call,
                                    const void *item);

/* {"name": [to_json(items[0]), ...]}: n items of size bytes each. */
gh_status_t gh_admin_respond_list(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                                  const char *name, const void *items, size_t n, size_t size,
                                  gh_admin_item_fn to_json);

/* The request's JSON body: GH_E_INPUT when the call has none (wrong Content-Type). */
gh_status_t gh_admin_body(const gh_req_t *req, const json_t **out, gh_err_t *err);

/* A string member of the JSON body (NULL when absent or null); GH_E_INPUT for another
 * type. */
gh_status_t gh_admin_body_string(const gh_req_t *req, const char *name, const char **out,
                                 gh_err_t *err);

/* A boolean member of the JSON body (*out unchanged when absent); GH_E_INPUT for another
 * type. */
gh_status_t gh_admin_body_bool(const gh_req_t *req, const char *name, bool *out,
                               gh_err_t *err);

/* The search parameter q (NULL when absent or empty). */
const char *gh_admin_query(const gh_req_t *req);

/* A JSON number for an epoch time, or null for 0 (never). */
json_t *gh_admin_time(long long epoch);

#endif
