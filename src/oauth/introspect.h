/*
 * oauth/introspect.h: token introspection (RFC 7662): what a caller may learn about a
 * token.
 *
 * Policy (RFC 7662 section 4 lets the server limit what a caller learns; R84;
 * docs/tokens.md): a client learns about the tokens issued to it. A client registered
 * as a resource server (gatehouse client add --resource-server) also learns about
 * other clients' access tokens: those are what is presented to it. Refresh tokens are
 * known to their own client only: they go to the token endpoint and nowhere else, so
 * no resource server needs to know of one, and one that took it for a bearer token
 * would be fooled. Everything else (unknown, malformed, expired, revoked, rotated,
 * another issuer's, or not the caller's to know) is {"active": false} and nothing
 * more (R83): the answer never says which.
 */
#ifndef GH_OAUTH_INTROSPECT_H
#define GH_OAUTH_INTROSPECT_H

#include <jansson.h>

#include "app.h"
#include "base/err.h"
#include "store/clients.h"

/* *out (a new reference) is the RFC 7662 2.2 answer about token to caller (borrowed,
 * authenticated). Active: active, scope, client_id, token_type ("Bearer" for an access
 * token, "refresh_token" for a refresh token), exp, iat, iss, aud (Tokens.Audience for
 * an access token, the issuer for a refresh token), jti (JWT access tokens), and for a
 * user's token sub and username (none for client_credentials tokens, R52).
 * GH_E_UNAVAILABLE, GH_E_INTERNAL. */
gh_status_t gh_oauth_introspect(gh_app_t *app, const gh_client_t *caller, const char *token,
                                json_t **out, gh_err_t *err);

#endif
