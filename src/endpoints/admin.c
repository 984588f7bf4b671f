/*
 * endpoints/admin.c: /admin/api/..., the JSON API behind the admin page.
 *
 * Every call is checked in this order, before its path is even looked at:
 *   1. a live browser session (the normal sign-in, /login?next=/admin): else 401;
 *   2. its user has is_admin: else 403, on every path, so a non-admin learns nothing
 *      about what exists;
 *   3. a call that changes something (POST, PUT, DELETE) carries the X-CSRF-Token
 *      header that GET /admin/api/session handed out: a token bound to this browser and
 *      this session (oauth/csrf.c), which another site cannot read or send. Such a call
 *      must also not come from another site by the browser's own account (Origin,
 *      Sec-Fetch-Site). Else 403.
 * The session cookie is SameSite=Lax, so a cross-site POST does not carry it anyway;
 * the header token does not rely on that. No CORS headers are ever sent here (R14): the
 * router's table gives /admin no CORS policy.
 *
 * Then a table routes method and path to a handler of admin_clients.c, admin_users.c or
 * admin_devtokens.c. Every answer is JSON with Cache-Control: no-store (it can hold a
 * secret shown once).
 */
#include "endpoints/admin.h"

#include <string.h>

#include "endpoints/admin_clients.h"
#include "endpoints/admin_devtokens.h"
#include "endpoints/admin_users.h"
#include "endpoints/flow.h"
#include "http/response.h"
#include "oauth/csrf.h"
#include "store/users.h"

#define API_PREFIX "/admin/api/"
#define MAX_SEGMENT 128

typedef struct {
    unsigned    method;
    const char *pattern;    /* "*" stands for one variable segment */
    gh_admin_fn run;
    const char *verb;       /* passed on in the call */
} admin_route_t;

static gh_status_t session_get(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                               gh_err_t *err);

static const admin_route_t routes[] = {
    { .method = GH_GET, .pattern = "session", .run = session_get },
    { .method = GH_GET, .pattern = "clients", .run = gh_admin_clients_list },
    { .method = GH_POST, .pattern = "clients", .run = gh_admin_clients_create },
    { .method = GH_GET, .pattern = "clients/*", .run = gh_admin_clients_get },
    { .method = GH_PUT, .pattern = "clients/*", .run = gh_admin_clients_update },
    { .method = GH_POST, .pattern = "clients/*/disable", .run = gh_admin_clients_set_disabled,
      .verb = "disable" },
    { .method = GH_POST, .pattern = "clients/*/enable", .run = gh_admin_clients_set_disabled,
      .verb = "enable" },
    { .method = GH_POST, .pattern = "clients/*/secret", .run = gh_admin_clients_rotate },
    { .method = GH_GET, .pattern = "users", .run = gh_admin_users_list },
    { .method = GH_POST, .pattern = "users", .run = gh_admin_users_create },
    { .method = GH_POST, .pattern = "users/*/password", .run = gh_admin_users_password },
    { .method = GH_POST, .pattern = "users/*/disable", .run = gh_admin_users_set_disabled,
      .verb = "disable" },
    { .method = GH_POST, .pattern = "users/*/enable", .run = gh_admin_users_set_disabled,
      .verb = "enable" },
    { .method = GH_POST, .pattern = "users/*/unlock", .run = gh_admin_users_unlock },
    { .method = GH_GET, .pattern = "users/*/grants", .run = gh_admin_users_grants },
    { .method = GH_DELETE, .pattern = "users/*/grants/*", .run = gh_admin_users_grant_revoke },
    { .method = GH_GET, .pattern = "users/*/sessions", .run = gh_admin_users_sessions },
    { .method = GH_DELETE, .pattern = "users/*/sessions/*",
      .run = gh_admin_users_session_revoke },
    { .method = GH_GET, .pattern = "developer-tokens", .run = gh_admin_devtokens_list },
    { .method = GH_POST, .pattern = "developer-tokens", .run = gh_admin_devtokens_issue },
    { .method = GH_DELETE, .pattern = "developer-tokens/*", .run = gh_admin_devtokens_revoke },
};

/* Ids of clients, users, grants, sessions and tokens: [A-Za-z0-9._~-], never "." or
 * "..", which web servers would have resolved away. */
static bool
is_segment(const char *s, size_t n)
{
    static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                             "0123456789._~-";
    if (n == 0 || n > MAX_SEGMENT || strspn(s, ok) < n)
        return false;
    return !(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.');
}

static bool
matches(gh_arena_t *a, const char *pattern, const char *path, gh_admin_call_t *call)
{
    size_t nargs = 0;
    for (;;) {
        size_t pn = strcspn(pattern, "/"), sn = strcspn(path, "/");
        bool variable = pn == 1 && pattern[0] == '*';
        if (variable && (!is_segment(path, sn) || nargs == 2))
            return false;
        if (variable)
            call->arg[nargs++] = gh_arena_strndup(a, path, sn);
        else if (pn != sn || strncmp(pattern, path, pn) != 0)
            return false;
        pattern += pn;
        path += sn;
        if (*pattern != *path)
            return false;
        if (*pattern == '\0')
            return true;
        pattern++;
        path++;
    }
}

static gh_status_t
dispatch(gh_app_t *app, gh_req_t *req, gh_admin_call_t *call, gh_err_t *err)
{
    const char *path = req->path + strlen(API_PREFIX);
    bool known = false;
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (!matches(app->arena, routes[i].pattern, path, call))
            continue;
        known = true;
        call->verb = routes[i].verb;
        if (routes[i].method == (unsigned)req->method ||
            (req->method == GH_HEAD && routes[i].method == GH_GET))
            return routes[i].run(app, req, call, err);
    }
    if (known)
        return gh_fail(err, GH_E_METHOD, "method not allowed");
    return gh_fail(err, GH_E_NOTFOUND, "no such admin call");
}

/* The caller's session, and that its user is an administrator. */
static gh_status_t
check_admin(gh_app_t *app, gh_req_t *req, gh_admin_call_t *call, gh_err_t *err)
{
    gh_status_t st = gh_flow_session(app, req, &call->session, err);
    if (st == GH_E_NOTFOUND)
        return gh_err_set(err, GH_E_AUTH, "login_required", __FILE__, __LINE__,
                          "sign in as an administrator");
    if (st != GH_OK)
        return st;
    gh_user_t user;
    st = gh_store_user_get(app->db, app->arena, call->session.user_id, &user, err);
    if (st == GH_E_NOTFOUND || (st == GH_OK && !user.is_admin))
        return gh_fail(err, GH_E_DENIED, "administrators only");
    return st;
}

/* origin (an Origin header) is the issuer's own: scheme://host[:port]. */
static bool
is_own_origin(const gh_app_t *app, const char *origin)
{
    const char *iss = app->cfg->issuer;
    const char *host = strstr(iss, "://");
    if (host == NULL)
        return false;
    size_t n = (size_t)(host + 3 - iss) + strcspn(host + 3, "/");
    return strlen(origin) == n && strncmp(origin, iss, n) == 0;
}

static gh_status_t
check_csrf(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call, gh_err_t *err)
{
    if (req->method == GH_GET || req->method == GH_HEAD)
        return GH_OK;
    const char *site = gh_http_env(req, "HTTP_SEC_FETCH_SITE");
    const char *origin = gh_http_env(req, "HTTP_ORIGIN");
    const char *token = gh_http_env(req, "HTTP_X_CSRF_TOKEN");
    const char *browser = gh_flow_browser(app, req, false, NULL);
    if ((site != NULL && strcmp(site, "same-origin") != 0) ||
        (origin != NULL && !is_own_origin(app, origin)) ||
        !gh_oauth_csrf_is_valid(app, browser, "admin", call->session.sid, token))
        return gh_fail(err, GH_E_DENIED, "missing or wrong X-CSRF-Token: reload the page");
    return GH_OK;
}

gh_status_t
gh_endpoint_admin_api(gh_app_t *app, gh_req_t *req, gh_err_t *err)
{
    gh_admin_call_t call;
    memset(&call, 0, sizeof call);
    gh_http_no_store(req);
    gh_status_t st = check_admin(app, req, &call, err);
    if (st == GH_OK)
        st = check_csrf(app, req, &call, err);
    if (st == GH_OK)
        st = dispatch(app, req, &call, err);
    return st;
}

/* Who is signed in, and the token state-changing calls must carry. */
static gh_status_t
session_get(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call, gh_err_t *err)
{
    const char *browser = gh_flow_browser(app, req, true, err);
    if (browser == NULL)
        return err->status;
    char *token = NULL;
    gh_status_t st = gh_oauth_csrf_token(app, browser, "admin", call->session.sid, &token, err);
    if (st != GH_OK)
        return st;
    json_t *user = json_pack("{s:s, s:s, s:s}", "id", call->session.user_id, "username",
                             call->session.username, "name", call->session.display_name);
    return gh_admin_respond(req, 200, json_pack("{s:o, s:s, s:s, s:s, s:s}", "user", user,
                                                "csrf_token", token,
                                                "issuer", app->cfg->issuer,
                                                "account_url", gh_flow_url(app, "/account"),
                                                "logout_url", gh_flow_url(app, "/logout")));
}

gh_status_t
gh_admin_respond(gh_req_t *req, int status, json_t *body)
{
    gh_http_no_store(req);
    gh_http_respond_json_new(req, status, body);
    return GH_OK;
}

gh_status_t
gh_admin_respond_list(gh_app_t *app, gh_req_t *req, const gh_admin_call_t *call,
                      const char *name, const void *items, size_t n, size_t size,
                      gh_admin_item_fn to_json)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, to_json(app, call, (const char *)items + i * size));
    json_t *o = json_object();
    json_object_set_new(o, name, arr);
    return gh_admin_respond(req, 200, o);
}

gh_status_t
gh_admin_body(const gh_req_t *req, const json_t **out, gh_err_t *err)
{
    if (req->json == NULL)
        return gh_fail(err, GH_E_INPUT, "send a JSON object (Content-Type: application/json)");
    *out = req->json;
    return GH_OK;
}

gh_status_t
gh_admin_body_string(const gh_req_t *req, const char *name, const char **out, gh_err_t *err)
{
    const json_t *v = req->json != NULL ? json_object_get(req->json, name) : NULL;
    *out = NULL;
    if (v == NULL || json_is_null(v))
        return GH_OK;
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
        return gh_fail(err, GH_E_INPUT, "%s must be a string", name);
    *out = json_string_value(v);
    return GH_OK;
}

gh_status_t
gh_admin_body_bool(const gh_req_t *req, const char *name, bool *out, gh_err_t *err)
{
    const json_t *v = req->json != NULL ? json_object_get(req->json, name) : NULL;
    if (v == NULL)
        return GH_OK;
    if (!json_is_boolean(v))
        return gh_fail(err, GH_E_INPUT, "%s must be true or false", name);
    *out = json_is_true(v);
    return GH_OK;
}

const char *
gh_admin_query(const gh_req_t *req)
{
    const char *q = NULL;
    if (gh_params_get(&req->query, "q", &q, NULL) != GH_OK || q == NULL || q[0] == '\0')
        return NULL;
    return q;
}

json_t *
gh_admin_time(long long epoch)
{
    return epoch > 0 ? json_integer(epoch) : json_null();
}
