/*
 * oauth/error.c: one table from OAuth error code to status.
 */
#include "oauth/error.h"

#include <stdarg.h>
#include <stdio.h>

static const struct {
    const char *name;
    gh_status_t status;
} errors[GH_OAUTH_ERROR_COUNT] = {
    [GH_OAUTH_INVALID_REQUEST]           = { "invalid_request", GH_E_INPUT },
    [GH_OAUTH_INVALID_CLIENT]            = { "invalid_client", GH_E_AUTH },
    [GH_OAUTH_INVALID_GRANT]             = { "invalid_grant", GH_E_INPUT },
    [GH_OAUTH_UNAUTHORIZED_CLIENT]       = { "unauthorized_client", GH_E_INPUT },
    [GH_OAUTH_UNSUPPORTED_GRANT_TYPE]    = { "unsupported_grant_type", GH_E_INPUT },
    [GH_OAUTH_INVALID_SCOPE]             = { "invalid_scope", GH_E_INPUT },
    [GH_OAUTH_ACCESS_DENIED]             = { "access_denied", GH_E_DENIED },
    [GH_OAUTH_UNSUPPORTED_RESPONSE_TYPE] = { "unsupported_response_type", GH_E_INPUT },
    [GH_OAUTH_SERVER_ERROR]              = { "server_error", GH_E_INTERNAL },
    [GH_OAUTH_TEMPORARILY_UNAVAILABLE]   = { "temporarily_unavailable", GH_E_UNAVAILABLE },
    [GH_OAUTH_INVALID_TOKEN]             = { "invalid_token", GH_E_AUTH },
    [GH_OAUTH_INSUFFICIENT_SCOPE]        = { "insufficient_scope", GH_E_DENIED },
    [GH_OAUTH_LOGIN_REQUIRED]            = { "login_required", GH_E_INPUT },
    [GH_OAUTH_CONSENT_REQUIRED]          = { "consent_required", GH_E_INPUT },
    [GH_OAUTH_INTERACTION_REQUIRED]      = { "interaction_required", GH_E_INPUT },
    [GH_OAUTH_REQUEST_NOT_SUPPORTED]     = { "request_not_supported", GH_E_INPUT },
    [GH_OAUTH_REQUEST_URI_NOT_SUPPORTED] = { "request_uri_not_supported", GH_E_INPUT },
    [GH_OAUTH_INVALID_REDIRECT_URI]      = { "invalid_redirect_uri", GH_E_INPUT },
    [GH_OAUTH_INVALID_CLIENT_METADATA]   = { "invalid_client_metadata", GH_E_INPUT },
    [GH_OAUTH_UNSUPPORTED_TOKEN_TYPE]    = { "unsupported_token_type", GH_E_INPUT },
    [GH_OAUTH_SLOW_DOWN]                 = { "slow_down", GH_E_TOO_MANY },
};

const char *
gh_oauth_error_name(gh_oauth_error_t e)
{
    return (unsigned)e < GH_OAUTH_ERROR_COUNT ? errors[e].name : "server_error";
}

gh_status_t
gh_oauth_error_set(gh_err_t *err, gh_oauth_error_t e, const char *file, int line,
                   const char *fmt, ...)
{
    if ((unsigned)e >= GH_OAUTH_ERROR_COUNT)
        e = GH_OAUTH_SERVER_ERROR;
    va_list ap;
    va_start(ap, fmt);
    gh_status_t st = gh_err_vset(err, errors[e].status, errors[e].name, file, line, fmt, ap);
    va_end(ap);
    return st;
}
