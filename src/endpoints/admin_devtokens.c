/*
 * endpoints/admin_devtokens.c: developer tokens on the admin page.
 *
 * Issuing is oauth/devtoken.c's (the command line's too); a token is in the one
 * response that made it and is never logged.
 */
#include "endpoints/admin_devtokens.h"

#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "http/response.h"
#include "oauth/devtoken.h"
#include "store/devtokens.h"

static json_t *
devtoken_json(const gh_devtoken_t *t)
{
    return json_pack("{s:I, s:s, s:o, s:o, s:o, s:o}", "id", (json_int_t)t->id, "label",
                     t->label != NULL ? t->label : "", "created_at",
                     gh_admin_time(t->created_at), "expires_at", gh_admin_time(t->expires_at),
                     "revoked_at", gh_admin_time(t->revoked_at), "last_used_at",
                     gh_admin_time(t->last_used_at));
}

static json_t *
devtoken_item(gh_app_t *app, const gh_admin_call_t *call, const void *item)
{
    (void)app;
    (void)call;
    return devtoken_json(item);
}

gh_status_t
gh_admin_devtokens_list(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                        gh_err_t *err)
{
    gh_devtoken_t *ts = NULL;
    size_t n = 0;
    gh_status_t st = gh_store_devtoken_list(app->db, app->arena, &ts, &n, err);
    if (st != GH_OK)
        return st;
    return gh_admin_respond_list(app, req, call, "developer_tokens", ts, n, sizeof *ts,
                                 devtoken_item);
}

/* The body's expires_in: seconds, the default when absent. */
static gh_status_t
lifetime(const gh_req_t *req, long *ttl, gh_err_t *err)
{
    const json_t *v = req->json != NULL ? json_object_get(req->json, "expires_in") : NULL;
    *ttl = GH_OAUTH_DEVTOKEN_DEFAULT_TTL;
    if (v == NULL || json_is_null(v))
        return GH_OK;
    if (!json_is_integer(v))
        return gh_fail(err, GH_E_INPUT, "expires_in must be a number of seconds");
    json_int_t n = json_integer_value(v);
    *ttl = n > 0 && n <= GH_OAUTH_DEVTOKEN_MAX_TTL ? (long)n : 0;
    return GH_OK;
}

gh_status_t
gh_admin_devtokens_issue(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                         gh_err_t *err)
{
    (void)call;
    const char *label = NULL;
    long ttl = 0;
    char *token = NULL;
    gh_devtoken_t t;
    gh_status_t st = gh_admin_body_string(req, "label", &label, err);
    if (st == GH_OK)
        st = lifetime(req, &ttl, err);
    if (st == GH_OK)
        st = gh_oauth_devtoken_issue(app->db, app->arena, label, ttl, &token, &t, err);
    if (st != GH_OK)
        return st;
    gh_log_info("admin issued developer token %lld rid=%s", t.id, req->request_id);
    return gh_admin_respond(req, 201, json_pack("{s:s, s:o}", "token", token,
                                                "developer_token", devtoken_json(&t)));
}

gh_status_t
gh_admin_devtokens_revoke(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                          gh_err_t *err)
{
    const char *s = call->arg[0];
    size_t n = strlen(s);
    if (n == 0 || n > 18 || strspn(s, "0123456789") != n)
        return gh_fail(err, GH_E_NOTFOUND, "no such developer token");
    gh_status_t st = gh_store_devtoken_revoke(app->db, strtoll(s, NULL, 10), err);
    if (st != GH_OK)
        return st;
    gh_http_respond_empty(req, 204);
    return GH_OK;
}
