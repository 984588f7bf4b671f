/*
 * router.c: the route table, and the one place that writes error responses.
 *
 * Paths are PATH_INFO relative to the issuer. RFC 8414 section 3 puts the OAuth
 * metadata at /.well-known/oauth-authorization-server followed by the issuer's path,
 * at the host root; the web server maps that location to the binary, so both
 * spellings of the path are accepted here.
 *
 * Each route says who may call it from a browser (its CORS policy, endpoints/cors.h;
 * none unless set). On a route open to CORS the router answers OPTIONS (preflights)
 * itself, and every response, errors included, gets the CORS headers its policy
 * grants the request's Origin.
 */
#include "router.h"

#include <string.h>
#include <strings.h>

#include "base/log.h"
#include "endpoints/account.h"
#include "endpoints/admin.h"
#include "endpoints/admin_static.h"
#include "endpoints/authorize.h"
#include "endpoints/consent.h"
#include "endpoints/cors.h"
#include "endpoints/discovery.h"
#include "endpoints/flow.h"
#include "endpoints/introspect.h"
#include "endpoints/jwks.h"
#include "endpoints/login.h"
#include "endpoints/logout.h"
#include "endpoints/register.h"
#include "endpoints/revoke.h"
#include "endpoints/static.h"
#include "endpoints/token.h"
#include "endpoints/userinfo.h"
#include "http/response.h"

typedef enum { ROUTE_JSON, ROUTE_PAGE } route_kind_t;

typedef struct {
    const char  *path;
    unsigned     methods;
    route_kind_t kind;
    gh_handler_t run;
    bool         issuer_suffix;   /* also matched with the issuer's path appended */
    bool         prefix;          /* matches any path below path */
    bool         bearer;          /* takes a Bearer token: RFC 6750 3 challenges */
    gh_cors_policy_t cors;        /* who may call it from a browser: none unless set */
} route_t;

static const route_t routes[] = {
    { .path = "/.well-known/openid-configuration", .methods = GH_GET | GH_HEAD,
      .kind = ROUTE_JSON, .run = gh_endpoint_discovery_oidc, .cors = GH_CORS_ANY },
    { .path = "/.well-known/oauth-authorization-server", .methods = GH_GET | GH_HEAD,
      .kind = ROUTE_JSON, .run = gh_endpoint_discovery_oauth, .issuer_suffix = true,
      .cors = GH_CORS_ANY },
    { .path = "/jwks", .methods = GH_GET | GH_HEAD, .kind = ROUTE_JSON,
      .run = gh_endpoint_jwks, .cors = GH_CORS_ANY },
    { .path = "/authorize", .methods = GH_GET | GH_POST, .kind = ROUTE_PAGE,
      .run = gh_endpoint_authorize },
    { .path = "/login", .methods = GH_GET | GH_POST, .kind = ROUTE_PAGE,
      .run = gh_endpoint_login },
    { .path = "/consent", .methods = GH_GET | GH_POST, .kind = ROUTE_PAGE,
      .run = gh_endpoint_consent },
    { .path = "/token", .methods = GH_POST, .kind = ROUTE_JSON, .run = gh_endpoint_token,
      .cors = GH_CORS_CLIENTS },
    { .path = "/userinfo", .methods = GH_GET | GH_POST, .kind = ROUTE_JSON,
      .run = gh_endpoint_userinfo, .bearer = true, .cors = GH_CORS_CLIENTS },
    { .path = "/revoke", .methods = GH_POST, .kind = ROUTE_JSON, .run = gh_endpoint_revoke,
      .cors = GH_CORS_CLIENTS },
    /* No CORS: resource servers call it from their back ends (endpoints/cors.h). */
    { .path = "/introspect", .methods = GH_POST, .kind = ROUTE_JSON,
      .run = gh_endpoint_introspect },
    { .path = "/logout", .methods = GH_GET | GH_POST, .kind = ROUTE_PAGE,
      .run = gh_endpoint_logout },
    { .path = "/account", .methods = GH_GET | GH_POST, .kind = ROUTE_PAGE,
      .run = gh_endpoint_account },
    /* The admin page: its API first (the longer prefix), then its files. No CORS (R14). */
    { .path = "/admin/api/", .methods = GH_GET | GH_HEAD | GH_POST | GH_PUT | GH_DELETE,
      .kind = ROUTE_JSON, .run = gh_endpoint_admin_api, .prefix = true },
    { .path = "/admin", .methods = GH_GET | GH_HEAD, .kind = ROUTE_PAGE,
      .run = gh_endpoint_admin_page },
    { .path = "/admin/", .methods = GH_GET | GH_HEAD, .kind = ROUTE_PAGE,
      .run = gh_endpoint_admin_page, .prefix = true },
    /* 404 while Registration.Enabled is 0 (the handlers say so). A browser app may
     * register from an origin in Http.CorsOrigins, and manage itself from its own. */
    { .path = "/register", .methods = GH_POST, .kind = ROUTE_JSON,
      .run = gh_endpoint_register, .bearer = true, .cors = GH_CORS_CLIENTS },
    { .path = "/register/", .methods = GH_GET | GH_PUT | GH_DELETE, .kind = ROUTE_JSON,
      .run = gh_endpoint_register_client, .prefix = true, .bearer = true,
      .cors = GH_CORS_CLIENTS },
    { .path = "/static/", .methods = GH_GET | GH_HEAD, .kind = ROUTE_JSON,
      .run = gh_endpoint_static, .prefix = true },
};

static bool
path_matches(const gh_app_t *app, const route_t *r, const char *path)
{
    if (strcmp(path, r->path) == 0)
        return true;
    if (r->prefix)
        return strncmp(path, r->path, strlen(r->path)) == 0;
    if (!r->issuer_suffix || app->cfg->issuer_path[0] == '\0')
        return false;
    size_t n = strlen(r->path);
    return strncmp(path, r->path, n) == 0 && strcmp(path + n, app->cfg->issuer_path) == 0;
}

static const route_t *
find_route(const gh_app_t *app, const char *path)
{
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
        if (path_matches(app, &routes[i], path))
            return &routes[i];
    return NULL;
}

/* A route open to CORS answers OPTIONS too (preflights). */
static unsigned
allowed_methods(const route_t *r)
{
    return r->methods | (r->cors != GH_CORS_NONE ? GH_OPTIONS : 0);
}

/* The error member for statuses that carry no OAuth code of their own. */
static const char *
default_code(gh_status_t st)
{
    switch (st) {
    case GH_E_INPUT:       return "invalid_request";
    case GH_E_TOO_LARGE:   return "invalid_request";
    case GH_E_AUTH:        return "invalid_client";
    case GH_E_DENIED:      return "access_denied";
    case GH_E_NOTFOUND:    return "not_found";
    case GH_E_METHOD:      return "method_not_allowed";
    case GH_E_CONFLICT:    return "invalid_request";
    case GH_E_TOO_MANY:    return "too_many_requests";
    case GH_E_UNAVAILABLE: return "temporarily_unavailable";
    default:               return "server_error";
    }
}

/* A person's error: the error page, never a redirect (RFC 6749 4.1.2.1). */
static void
respond_page_failure(gh_app_t *app, gh_req_t *req, const gh_err_t *err)
{
    int http = gh_err_http_status(err->status);
    gh_ui_page_t *page = gh_flow_page(app, req, NULL);
    gh_ui_set(page, "Page.Error", err->oauth_error != NULL ? err->oauth_error
                                                          : default_code(err->status));
    gh_ui_set(page, "Page.Message", err->status == GH_E_INTERNAL ? "internal error"
                                                                 : err->description);
    req->headers.n = 0;
    if (err->status == GH_E_UNAVAILABLE)
        gh_http_header_set(req, "Retry-After", "1");
    gh_err_t perr = { 0 };
    if (gh_flow_render(app, req, page, "error.cs", http, &perr) != GH_OK) {
        gh_log_error("cannot render the error page rid=%s", req->request_id);
        gh_http_respond_text(req, http, "text/plain; charset=utf-8", "error\n", 6);
    }
}

/* Drops the headers of a half-built response except the challenge the handler set
 * for this error (WWW-Authenticate: RFC 6749 5.2, RFC 6750 3). */
static void
keep_only_challenge(gh_req_t *req)
{
    const char *challenge = NULL;
    for (size_t i = 0; i < req->headers.n; i++)
        if (strcasecmp(req->headers.items[i].name, "WWW-Authenticate") == 0)
            challenge = req->headers.items[i].value;
    req->headers.n = 0;
    if (challenge != NULL)
        gh_http_header_set(req, "WWW-Authenticate", challenge);
}

static void
respond_failure(gh_req_t *req, const gh_err_t *err)
{
    int http = gh_err_http_status(err->status);
    const char *code = err->oauth_error != NULL ? err->oauth_error : default_code(err->status);
    const char *desc = err->description;
    if (err->status == GH_E_INTERNAL)
        desc = "internal error";
    /* A response already half-built is dropped: only the error goes out. */
    keep_only_challenge(req);
    if (err->status == GH_E_UNAVAILABLE)
        gh_http_header_set(req, "Retry-After", "1");
    gh_http_no_store(req);
    gh_http_respond_error(req, http, code, desc);
}

static gh_status_t
run(gh_app_t *app, gh_req_t *req, const route_t *r, gh_err_t *err)
{
    if (r == NULL)
        return gh_fail(err, GH_E_NOTFOUND, "no such endpoint");
    if (!(allowed_methods(r) & req->method))
        return gh_fail(err, GH_E_METHOD, "method not allowed");
    if (req->method == GH_OPTIONS) {
        gh_http_header_set(req, "Allow", gh_http_methods_text(req->arena, allowed_methods(r)));
        gh_http_respond_empty(req, 204);
        return GH_OK;
    }
    gh_status_t st = gh_http_read_body(req, err);
    /* A request the endpoint never got to read (a malformed Bearer header, a repeated
     * parameter) still "does not contain an access token that enables access": RFC 6750
     * 3 wants the challenge on it as on the endpoint's own refusals. */
    if (st != GH_OK && r->bearer)
        gh_http_header_set(req, "WWW-Authenticate",
                           "Bearer realm=\"gatehouse\", error=\"invalid_request\"");
    return st == GH_OK ? r->run(app, req, err) : st;
}

static void
respond_error(gh_app_t *app, gh_req_t *req, const route_t *r, const gh_err_t *err)
{
    if (err->status == GH_E_INTERNAL)
        gh_log_error("internal error at %s:%d rid=%s", err->file ? err->file : "?", err->line,
                     req->request_id);
    if (r != NULL && r->kind == ROUTE_PAGE && err->status != GH_E_METHOD)
        respond_page_failure(app, req, err);
    else
        respond_failure(req, err);
    if (err->status == GH_E_METHOD)
        gh_http_header_set(req, "Allow", gh_http_methods_text(req->arena, allowed_methods(r)));
}

void
gh_router_dispatch(gh_app_t *app, gh_req_t *req)
{
    gh_err_t err = { 0 };
    const route_t *r = find_route(app, req->path);
    if (run(app, req, r, &err) != GH_OK)
        respond_error(app, req, r, &err);
    /* Errors too: a browser app must be able to read them. */
    if (r != NULL)
        gh_cors_respond(app, req, r->cors, r->methods);
}
