/*
 * oauth/pkce.h: PKCE (RFC 7636) for the authorization code grant.
 *
 * Only S256: "plain" is refused for every client (OAuth 2.1 4.1.1, RFC 9700 2.1.1),
 * and so is a challenge without a method, which RFC 7636 4.3 reads as plain.
 * Storing and fetching challenges is store/codes.c's job.
 */
#ifndef GH_OAUTH_PKCE_H
#define GH_OAUTH_PKCE_H

#include <stdbool.h>

#include "base/err.h"

/* At /authorize: method and challenge as received (NULL when absent). GH_OK when
 * both are absent or when method is S256 with a 43-character base64url challenge;
 * otherwise GH_E_INPUT with invalid_request. Whether PKCE is required is the caller's
 * decision (gh_oauth_pkce_is_required). */
gh_status_t gh_oauth_pkce_check_challenge(const char *method, const char *challenge,
                                          gh_err_t *err);

/* At /token: verifier as received (NULL when absent), challenge as stored (NULL when
 * the authorization request had none). invalid_grant when a challenge has no or a
 * wrong verifier, when a verifier is malformed (43-128 of [A-Za-z0-9-._~], RFC 7636
 * 4.1), or when a verifier comes without a challenge (downgrade, RFC 9700 2.1.1). */
gh_status_t gh_oauth_pkce_verify(const char *verifier, const char *challenge, gh_err_t *err);

#endif
