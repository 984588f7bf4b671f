/*
 * http/cors.h: the CORS protocol (WHATWG Fetch) on the routes that browser apps call
 * from JavaScript.
 *
 * Which origin a route grants is the caller's decision (endpoints/cors.c knows the
 * clients and the configuration); this module reads the request's Origin and writes
 * the headers. It never sends Access-Control-Allow-Credentials: the routes that allow
 * CORS take their credentials in the request (Authorization, client_id), never from
 * cookies, so a cross-origin call can never ride on a person's session.
 */
#ifndef GH_HTTP_CORS_H
#define GH_HTTP_CORS_H

#include <stdbool.h>

#include "http/req.h"

/* Seconds a browser may cache a preflight's answer. */
#define GH_HTTP_CORS_MAX_AGE "600"

/* The request's Origin when an answer may name it (gh_url_is_origin: what browsers
 * send); NULL when there is none, or it is "null" or anything else. */
const char *gh_http_cors_origin(const gh_req_t *req);

/* A preflight: OPTIONS with Origin and Access-Control-Request-Method. */
bool gh_http_cors_is_preflight(const gh_req_t *req);

/* origin is one of the space-separated origins of list, exactly (list may be NULL). */
bool gh_http_cors_is_listed(const char *list, const char *origin);

/* Writes the CORS headers of the response being built. allow is "*" (any origin: public
 * documents), the request's origin (granted) or NULL (not granted: no CORS headers).
 * Granted, a preflight gets Access-Control-Allow-Methods (methods), -Allow-Headers and
 * -Max-Age, any other request -Expose-Headers (WWW-Authenticate, so that an app can read
 * a Bearer challenge). Unless allow is "*", the answer depends on the Origin, so it
 * says Vary: Origin. */
void gh_http_cors_respond(gh_req_t *req, const char *allow, unsigned methods);

#endif
