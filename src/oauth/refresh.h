/*
 * oauth/refresh.h: the refresh_token grant (RFC 6749 6, OAuth 2.1 4.3) with rotation
 * and replay detection (RFC 9700 4.14.2, DESIGN invariant 4), and the lifetime of
 * refresh tokens. Reading the request is endpoints/token.c's job.
 */
#ifndef GH_OAUTH_REFRESH_H
#define GH_OAUTH_REFRESH_H

#include "app.h"
#include "base/err.h"
#include "config.h"
#include "oauth/tokens.h"
#include "store/clients.h"

/* A refresh_token token request, values as received (NULL when absent), from an
 * authenticated client. */
typedef struct {
    const gh_client_t *client;
    const char        *refresh_token;
    const char        *scope;
} gh_oauth_refresh_req_t;

/* Exchanges a live refresh token of in->client for a new access token, a new refresh
 * token (the old one is used up in the same transaction, R42) and, when the grant has
 * openid, a new id_token (same sub, aud, azp and auth_time, no nonce: OIDC Core 12.2,
 * R49). The scope is the grant's, or the narrower one asked for, for this access token
 * only (R45). Refusals, all GH_E_INPUT:
 *   invalid_request  no refresh_token;
 *   invalid_scope    a scope outside the grant, or malformed (the token stays live);
 *   invalid_grant    a token that is unknown, another client's (R46), expired (idle or
 *                    absolute lifetime, R47), revoked, of a revoked grant or a disabled
 *                    user; or used already: then, unless this request was in flight
 *                    when the rotation committed (or within the client's
 *                    refresh_grace_seconds), every token of the family is revoked
 *                    (R43, R44).
 * GH_E_UNAVAILABLE, GH_E_CONFLICT (serialization), GH_E_INTERNAL. */
gh_status_t gh_oauth_refresh_rotate(gh_app_t *app, const gh_oauth_refresh_req_t *in,
                                    gh_oauth_tokens_t *out, gh_err_t *err);

/* When a refresh token issued at now (epoch seconds) expires: after the idle lifetime
 * (the client's refresh_idle_ttl, else Tokens.RefreshTokenIdleLifetime), but never
 * past the absolute lifetime (refresh_token_ttl, else Tokens.RefreshTokenLifetime)
 * counted from started, when its family began. A result <= now means the family has
 * reached its end. */
long long gh_oauth_refresh_expiry(const gh_config_t *cfg, const gh_client_t *client,
                                  long long now, long long started);

#endif
