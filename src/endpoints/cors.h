/*
 * endpoints/cors.h: which origins may call which route from a browser (R14, R60).
 *
 * A route's policy is data in the router's table. NONE for everything a person's
 * browser navigates to (/authorize, /login, /consent, /logout, /account, /admin:
 * RFC 9700 2.6) and for /introspect (resource servers call it from their back ends,
 * with a secret no browser app has). CLIENTS for what single-page apps call: /token,
 * /userinfo, /revoke. ANY ("*") for the public documents: discovery and JWKS.
 * CLIENTS grants the web origin of a redirect URI of any enabled client (an index
 * lookup, sql/006) and the origins listed in Http.CorsOrigins. The router answers
 * OPTIONS on the routes whose policy is not NONE; http/cors.c writes the headers.
 */
#ifndef GH_ENDPOINTS_CORS_H
#define GH_ENDPOINTS_CORS_H

#include "app.h"
#include "http/req.h"

typedef enum {
    GH_CORS_NONE = 0,
    GH_CORS_CLIENTS,
    GH_CORS_ANY,
} gh_cors_policy_t;

/* Adds the CORS headers to the response built for req, a success or an error (an app
 * must be able to read an OAuth error), a preflight or not. Never fails: when the
 * clients cannot be read the origin is not granted, and a warning is logged. */
void gh_cors_respond(gh_app_t *app, gh_req_t *req, gh_cors_policy_t policy, unsigned methods);

#endif
