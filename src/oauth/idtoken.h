/*
 * oauth/idtoken.h: the OpenID Connect id_token (OIDC Core 2, 3.1.3.3, 3.1.3.6).
 *
 * Signed with the client's id_token_alg (RS256 unless it registered ES256 or EdDSA),
 * kid in the header (oauth/keys.c). Claims: iss, sub, aud (the client_id), exp
 * (Tokens.IdTokenLifetime), iat, auth_time, nonce only when the authorization request
 * had one (R65), azp, at_hash, sid, amr; then, unless the client registered
 * minimal_id_token, the claims the granted scopes release (oauth/claims.c), since
 * relying parties such as Auth.js read the profile from the id_token alone.
 */
#ifndef GH_OAUTH_IDTOKEN_H
#define GH_OAUTH_IDTOKEN_H

#include "app.h"
#include "base/arena.h"
#include "base/err.h"
#include "oauth/tokens.h"

/* at_hash (OIDC Core 3.1.3.6): base64url of the left half of the hash of the access
 * token's ASCII octets, the hash being the one of alg: SHA-256 for RS256 and ES256;
 * SHA-512 for EdDSA with Ed25519, as OpenID Connect reads "the hash used by alg" for
 * Ed25519 (which hashes with SHA-512), so 43 characters instead of 22. *out in a.
 * GH_E_INTERNAL for an alg it does not know. */
gh_status_t gh_oauth_idtoken_at_hash(gh_arena_t *a, const char *alg, const char *access_token,
                                     char **out, gh_err_t *err);

/* The signed id_token of g, issued at now (epoch seconds) beside access_token;
 * *out in app->arena. GH_E_UNAVAILABLE when the database is down or the alg has no
 * active key; GH_E_INTERNAL. */
gh_status_t gh_oauth_idtoken_issue(gh_app_t *app, const gh_oauth_grant_t *g,
                                   const char *access_token, long long now,
                                   const char **out, gh_err_t *err);

#endif
