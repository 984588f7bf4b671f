/*
 * base/err.h: the one error convention.
 *
 * A function that can fail returns gh_status_t and takes gh_err_t *err last. The
 * first code that knows what went wrong fills err; callers pass it up. Nothing below
 * the router writes an error response.
 */
#ifndef GH_BASE_ERR_H
#define GH_BASE_ERR_H

#include <stdarg.h>

typedef enum {
    GH_OK = 0,
    GH_E_INPUT,        /* malformed or not allowed: 400 */
    GH_E_AUTH,         /* client or user authentication failed: 401 */
    GH_E_DENIED,       /* authenticated but not allowed: 403 */
    GH_E_NOTFOUND,     /* 404 at the edge, "no row" inside store/ */
    GH_E_METHOD,       /* method not allowed on this path: 405 */
    GH_E_CONFLICT,     /* already used, already rotated, changed under us: 409 */
    GH_E_TOO_LARGE,    /* 413 */
    GH_E_TOO_MANY,     /* throttled: 429 */
    GH_E_UNAVAILABLE,  /* database down: 503, never a crash */
    GH_E_INTERNAL,     /* bug, out of memory, OpenSSL failed: 500, logged with file:line */
} gh_status_t;

typedef struct {
    gh_status_t status;
    const char *oauth_error;      /* "invalid_grant"...: only oauth/ and endpoints/ set it */
    char        description[160]; /* shown to the client: never a secret, never raw input */
    const char *file;             /* where it was raised: logged, never shown */
    int         line;
} gh_err_t;

/* Fills err (when not NULL) and returns status, so failing is one line. */
gh_status_t gh_err_set(gh_err_t *err, gh_status_t status, const char *oauth_error,
                       const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* The same with a va_list (for other modules' failing helpers). */
gh_status_t gh_err_vset(gh_err_t *err, gh_status_t status, const char *oauth_error,
                        const char *file, int line, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));

/* The HTTP status that goes with a status code (200 for GH_OK). */
int gh_err_http_status(gh_status_t status);

/* A short name for logs: "input", "unavailable"... */
const char *gh_err_name(gh_status_t status);

/* A failure never returns GH_OK. gh_err_set keeps to that, but the static analyzer
 * reads one file at a time and cannot see it: without this, it follows "failed, yet
 * GH_OK" paths into code that uses outputs the failing function never wrote. */
static inline gh_status_t
gh_err_failed(gh_status_t status)
{
    return status != GH_OK ? status : GH_E_INTERNAL;
}

#define gh_fail(err, status, ...) \
    gh_err_failed(gh_err_set((err), (status), NULL, __FILE__, __LINE__, __VA_ARGS__))

#endif
