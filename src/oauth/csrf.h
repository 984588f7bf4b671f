/*
 * oauth/csrf.h: CSRF tokens for the login, consent and logout forms (RFC 6749 10.12).
 *
 * A token is HMAC-SHA256 over (browser id, purpose, request handle) with a key
 * derived from the key-encryption key: it needs no storage, and a token taken from
 * another browser (another browser cookie) or another form does not verify.
 */
#ifndef GH_OAUTH_CSRF_H
#define GH_OAUTH_CSRF_H

#include <stdbool.h>

#include "app.h"

/* *token (arena, base64url) for the form identified by purpose and handle. */
gh_status_t gh_oauth_csrf_token(gh_app_t *app, const char *browser_id, const char *purpose,
                                const char *handle, char **token, gh_err_t *err);

/* Constant-time check; false for any NULL argument. */
bool gh_oauth_csrf_is_valid(gh_app_t *app, const char *browser_id, const char *purpose,
                            const char *handle, const char *token);

#endif
