/*
 * base/err.c: filling gh_err_t and mapping statuses to HTTP.
 */
#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>

static const struct {
    int         http;
    const char *name;
} statuses[] = {
    [GH_OK]            = { 200, "ok" },
    [GH_E_INPUT]       = { 400, "input" },
    [GH_E_AUTH]        = { 401, "auth" },
    [GH_E_DENIED]      = { 403, "denied" },
    [GH_E_NOTFOUND]    = { 404, "notfound" },
    [GH_E_METHOD]      = { 405, "method" },
    [GH_E_CONFLICT]    = { 409, "conflict" },
    [GH_E_TOO_LARGE]   = { 413, "too_large" },
    [GH_E_TOO_MANY]    = { 429, "too_many" },
    [GH_E_UNAVAILABLE] = { 503, "unavailable" },
    [GH_E_INTERNAL]    = { 500, "internal" },
};

gh_status_t
gh_err_vset(gh_err_t *err, gh_status_t status, const char *oauth_error,
            const char *file, int line, const char *fmt, va_list ap)
{
    if (err == NULL)
        return status;
    err->status = status;
    err->oauth_error = oauth_error;
    err->file = file;
    err->line = line;
    vsnprintf(err->description, sizeof err->description, fmt, ap);
    return status;
}

gh_status_t
gh_err_set(gh_err_t *err, gh_status_t status, const char *oauth_error,
           const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gh_status_t st = gh_err_vset(err, status, oauth_error, file, line, fmt, ap);
    va_end(ap);
    return st;
}

int
gh_err_http_status(gh_status_t status)
{
    if ((unsigned)status >= sizeof statuses / sizeof statuses[0])
        return 500;
    return statuses[status].http;
}

const char *
gh_err_name(gh_status_t status)
{
    if ((unsigned)status >= sizeof statuses / sizeof statuses[0])
        return "internal";
    return statuses[status].name;
}
