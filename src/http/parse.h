/*
 * http/parse.h: parsers for untrusted request text.
 *
 * Pure functions over bytes: no request, no I/O, so the unit and fuzz tests drive them
 * directly. All results live in the caller's arena.
 */
#ifndef GH_HTTP_PARSE_H
#define GH_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"

typedef struct {
    const char *name;
    const char *value;
} gh_param_t;

typedef struct {
    gh_param_t *items;
    size_t      n;
    size_t      cap;
} gh_params_t;

void gh_params_add(gh_arena_t *a, gh_params_t *ps, const char *name, const char *value);

/* application/x-www-form-urlencoded (query strings and form bodies). '+' is a space;
 * a bad %-escape, a decoded NUL, or bytes that are not UTF-8 are GH_E_INPUT. Empty
 * pairs ("a=1&&b=2") are skipped; a name with no '=' has the value "". */
gh_status_t gh_http_parse_urlencoded(gh_arena_t *a, const char *s, size_t len,
                                     gh_params_t *out, gh_err_t *err);

/* Percent-decoding of one component (no '+' rule when plus_is_space is false). */
gh_status_t gh_http_percent_decode(gh_arena_t *a, const char *s, size_t len,
                                   bool plus_is_space, char **out, gh_err_t *err);

/* Cookie header (RFC 6265 section 4.2): "a=1; b=2". Malformed pairs are skipped, as
 * browsers do; values are not decoded. */
void gh_http_parse_cookies(gh_arena_t *a, const char *header, gh_params_t *out);

/* Authorization: Basic (RFC 7617) with RFC 6749 section 2.3.1's rule that client id
 * and secret are form-urlencoded before base64. Returns GH_E_NOTFOUND when the header
 * is not Basic, GH_E_INPUT when it is Basic but malformed. */
gh_status_t gh_http_parse_basic(gh_arena_t *a, const char *header, const char **user,
                                const char **pass, gh_err_t *err);

/* Authorization: Bearer (RFC 6750 section 2.1, b64token syntax). GH_E_NOTFOUND when
 * the header is not Bearer, GH_E_INPUT when malformed. */
gh_status_t gh_http_parse_bearer(const char *header, const char **token, gh_err_t *err);

/* True if s[0..len) is well-formed UTF-8 with no overlongs or surrogates. */
bool gh_http_is_utf8(const char *s, size_t len);

/* Lookup: *out is NULL when absent or empty (RFC 6749 section 3.1: "parameters sent
 * without a value MUST be treated as if they were omitted"); a repeated name is
 * GH_E_INPUT with invalid_request (section 3.1: "MUST NOT be included more than once"). */
gh_status_t gh_params_get(const gh_params_t *ps, const char *name, const char **out,
                          gh_err_t *err);

#endif
