/*
 * base/url.h: building URLs: form-urlencoding values and appending query parameters;
 * recognising web origins.
 */
#ifndef GH_BASE_URL_H
#define GH_BASE_URL_H

#include <stdbool.h>

#include "base/arena.h"

/* application/x-www-form-urlencoded encoding of s (unreserved characters kept, space
 * as %20 so the result is also valid in any URL component). */
char *gh_url_encode(gh_arena_t *a, const char *s);

/* url with "name=value" pairs appended to its query (after '?' or '&'); pairs with a
 * NULL value are skipped. names and values are alternating, NULL-name terminated. */
char *gh_url_add_query(gh_arena_t *a, const char *url, const char *const *pairs);

/* s is a serialized web origin as a browser sends it in Origin (RFC 6454 6.2): "http" or
 * "https", "://", a lowercase host name or a bracketed IPv6 address, and a port only when
 * it is not the scheme's default; no path, no trailing slash. "null" is not one. */
bool gh_url_is_origin(const char *s);

#endif
