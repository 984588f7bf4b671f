/*
 * router.c: the route table, and the one place that writes error responses.
 *
 * Paths are PATH_INFO relative to the issuer. RFC 8414 section 3 puts the OAuth
 * metadata at /.well-known/oauth-authorization-server followed by the issuer's path,
 * at the host root; the web server maps that location to the binary, so both
 * spellings of the path are accepted here.
 */
#include "router.h"

#include <string.h>
#include <strings.h>

#include "base/log.h"
#include "endpoints/authorize.h"
#include "endpoints/consent.h"
#include "endpoints/discovery.h"
#include "endpoints/flow.h"
#include "endpoints/jwks.h"
#include "endpoints/login.h"
#include "endpoints/logout.h"
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
} route_t;

static const route_t routes[] = {
    { .path = "/.well-known/openid-configuration", .methods = GH_GET | GH_HEAD,
      .kind = ROUTE_JSON, .run = gh_endpoint_discovery_oidc },
    { .path = "/.well-known/oauth-authorization-server", .methods = GH_GET | GH_HEAD,
      .kind = ROUTE_JSON, .run = gh_endpoint_discovery_oauth, .issuer_suffix = true },
    { .path = "/jwks", .methods = GH_GET | GH_HEAD, .kind = ROUTE_JSON,
      .run = gh_endpoint_jwks },
    { .path = "/authorize", .methods = GH_GET | GH_POST, .kind = ROUTE_PAGE,
      .run = gh_endpoint_authorize },
    { .path = "/login", .methods = GH_GET | GH_POST, .kind = ROUTE_PAGE,
      .run = gh_endpoint_login },
    { .path = "/consent", .methods = GH_GET | GH_POST, .kind = ROUTE_PAGE,
      .run = gh_endpoint_consent },
    { .path = "/token", .methods = GH_POST, .kind = ROUTE_JSON, .run = gh_endpoint_token },
    { .path = "/userinfo", .methods = GH_GET | GH_POST, .kind = ROUTE_JSON,
      .run = gh_endpoint_userinfo },
    { .path = "/logout", .methods = GH_GET | GH_POST, .kind = ROUTE_PAGE,
      .run = gh_endpoint_logout },
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

static void
set_allow(gh_req_t *req, unsigned methods)
{
    static const struct { unsigned bit; const char *name; } names[] = {
        { GH_GET, "GET" }, { GH_HEAD, "HEAD" }, { GH_POST, "POST" }, { GH_PUT, "PUT" },
        { GH_DELETE, "DELETE" }, { GH_OPTIONS, "OPTIONS" },
    };
    char allow[64] = "";
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!(methods & names[i].bit))
            continue;
        if (allow[0] != '\0')
            strcat(allow, ", ");
        strcat(allow, names[i].name);
    }
    gh_http_header_set(req, "Allow", allow);
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

void
gh_router_dispatch(gh_app_t *app, gh_req_t *req)
{
    gh_err_t err = { 0 };
    const route_t *r = find_route(app, req->path);
    gh_status_t st = GH_OK;
    if (r == NULL) {
        st = gh_fail(&err, GH_E_NOTFOUND, "no such endpoint");
    } else if (!(r->methods & req->method)) {
        st = gh_fail(&err, GH_E_METHOD, "method not allowed");
    } else {
        st = gh_http_read_body(req, &err);
        if (st == GH_OK)
            st = r->run(app, req, &err);
    }
    if (st == GH_OK)
        return;
    if (err.status == GH_E_INTERNAL)
        gh_log_error("internal error at %s:%d rid=%s", err.file ? err.file : "?", err.line,
                     req->request_id);
    if (r != NULL && r->kind == ROUTE_PAGE && st != GH_E_METHOD)
        respond_page_failure(app, req, &err);
    else
        respond_failure(req, &err);
    if (st == GH_E_METHOD)
        set_allow(req, r->methods);
}
