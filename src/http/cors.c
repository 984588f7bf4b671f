/*
 * http/cors.c: reading Origin and writing the CORS headers.
 *
 * Origins are compared as the exact strings browsers send (RFC 6454 6.2 serialization:
 * lowercase, no default port), so an Origin in any other spelling is never granted,
 * and "https://app.example.evil" never matches "https://app.example".
 */
#include "http/cors.h"

#include <string.h>

#include "base/url.h"
#include "http/response.h"

const char *
gh_http_cors_origin(const gh_req_t *req)
{
    const char *origin = gh_http_env(req, "HTTP_ORIGIN");
    return origin != NULL && gh_url_is_origin(origin) ? origin : NULL;
}

bool
gh_http_cors_is_preflight(const gh_req_t *req)
{
    return req->method == GH_OPTIONS && gh_http_env(req, "HTTP_ORIGIN") != NULL &&
           gh_http_env(req, "HTTP_ACCESS_CONTROL_REQUEST_METHOD") != NULL;
}

bool
gh_http_cors_is_listed(const char *list, const char *origin)
{
    size_t n = strlen(origin);
    for (const char *p = list; p != NULL && *p != '\0'; p += strcspn(p, " ")) {
        p += strspn(p, " ");
        if (strncmp(p, origin, n) == 0 && (p[n] == ' ' || p[n] == '\0'))
            return true;
    }
    return false;
}

void
gh_http_cors_respond(gh_req_t *req, const char *allow, unsigned methods)
{
    if (allow == NULL || strcmp(allow, "*") != 0)
        gh_http_header_set(req, "Vary", "Origin");
    if (allow == NULL)
        return;
    gh_http_header_set(req, "Access-Control-Allow-Origin", allow);
    if (!gh_http_cors_is_preflight(req)) {
        gh_http_header_set(req, "Access-Control-Expose-Headers", "WWW-Authenticate");
        return;
    }
    gh_http_header_set(req, "Access-Control-Allow-Methods",
                       gh_http_methods_text(req->arena, methods));
    gh_http_header_set(req, "Access-Control-Allow-Headers", "Authorization, Content-Type");
    gh_http_header_set(req, "Access-Control-Max-Age", GH_HTTP_CORS_MAX_AGE);
}
