/*
 * oauth/error.h: OAuth error codes (RFC 6749 4.1.2.1, 5.2; RFC 6750 3.1; RFC 7591
 * 3.2.2; OIDC Core 3.1.2.6) and the statuses that go with them.
 */
#ifndef GH_OAUTH_ERROR_H
#define GH_OAUTH_ERROR_H

#include "base/err.h"

typedef enum {
    GH_OAUTH_INVALID_REQUEST,
    GH_OAUTH_INVALID_CLIENT,
    GH_OAUTH_INVALID_GRANT,
    GH_OAUTH_UNAUTHORIZED_CLIENT,
    GH_OAUTH_UNSUPPORTED_GRANT_TYPE,
    GH_OAUTH_INVALID_SCOPE,
    GH_OAUTH_ACCESS_DENIED,
    GH_OAUTH_UNSUPPORTED_RESPONSE_TYPE,
    GH_OAUTH_SERVER_ERROR,
    GH_OAUTH_TEMPORARILY_UNAVAILABLE,
    GH_OAUTH_INVALID_TOKEN,
    GH_OAUTH_INSUFFICIENT_SCOPE,
    GH_OAUTH_LOGIN_REQUIRED,
    GH_OAUTH_CONSENT_REQUIRED,
    GH_OAUTH_INTERACTION_REQUIRED,
    GH_OAUTH_REQUEST_NOT_SUPPORTED,
    GH_OAUTH_REQUEST_URI_NOT_SUPPORTED,
    GH_OAUTH_INVALID_REDIRECT_URI,
    GH_OAUTH_INVALID_CLIENT_METADATA,
    GH_OAUTH_UNSUPPORTED_TOKEN_TYPE,
    GH_OAUTH_SLOW_DOWN,
    GH_OAUTH_ERROR_COUNT
} gh_oauth_error_t;

/* The code's text ("invalid_grant"). */
const char *gh_oauth_error_name(gh_oauth_error_t e);

/* Fills err with the code's status (400, 401 for invalid_client/invalid_token, 403
 * for insufficient_scope, 429 for slow_down...) and returns it. */
gh_status_t gh_oauth_error_set(gh_err_t *err, gh_oauth_error_t e, const char *file, int line,
                               const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#define gh_oauth_fail(err, e, ...) \
    gh_err_failed(gh_oauth_error_set((err), (e), __FILE__, __LINE__, __VA_ARGS__))

#endif
