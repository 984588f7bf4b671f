/*
 * tests/fuzz/fuzz_redirect.c: redirect URIs, at registration (gh_oauth_redirect_uri_is_valid)
 * and in a request (gh_oauth_redirect_uri_matches), the redirect built on one
 * (gh_url_add_query) and web origins (gh_url_is_origin, for CORS).
 *
 * The input is "registered\nrequested" (no newline: both are the input). A URI that
 * can be registered has nothing that ends or hides in a URL (blanks, controls, '#',
 * '\'), goes to https, to a loopback host over http, or to a reverse-domain private-use
 * scheme, and has no userinfo. Matching is symmetric, and two different strings
 * match only as loopback URIs differing in the port: same host, same path and query.
 * The code and state appended to a redirect URI cannot change it: the result is the
 * URI followed by "?" or "&" and percent-encoded values that decode to what went in.
 */
#include "fuzz.h"

#include <stdbool.h>

#include "base/url.h"
#include "http/parse.h"
#include "oauth/redirect.h"

static const char unreserved[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

static bool
starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The host of an http(s) URI as a browser would take it: up to the port, path, query,
 * or fragment; an IPv6 literal up to its ']'. */
static char *
host_of(gh_arena_t *a, const char *uri)
{
    const char *h = strstr(uri, "://") + 3;
    size_t n = h[0] == '[' ? strcspn(h, "]") + 1 : strcspn(h, ":/?#");
    return gh_arena_strndup(a, h, n);
}

static void
check_valid(gh_arena_t *a, const char *uri)
{
    if (!gh_oauth_redirect_uri_is_valid(uri))
        return;
    fuzz_require(strlen(uri) <= 2000);
    for (const unsigned char *p = (const unsigned char *)uri; *p != '\0'; p++)
        fuzz_require(*p > 0x20 && *p != 0x7f && *p != '#' && *p != '\\');
    if (starts_with(uri, "https://") || starts_with(uri, "http://")) {
        const char *auth = strstr(uri, "://") + 3;
        fuzz_require(memchr(auth, '@', strcspn(auth, "/?")) == NULL);
        const char *host = host_of(a, uri);
        fuzz_require(*host != '\0');
        fuzz_require(starts_with(uri, "https://") || strcmp(host, "127.0.0.1") == 0 ||
                     strcmp(host, "[::1]") == 0 || strcmp(host, "localhost") == 0);
    } else {
        size_t scheme = strcspn(uri, ":");
        fuzz_require(uri[scheme] == ':' && memchr(uri, '.', scheme) != NULL);
        fuzz_require(uri[scheme + 1] == '/' && uri[scheme + 2] != '/');
    }
}

static void
check_match(gh_arena_t *a, const char *registered, const char *requested)
{
    bool match = gh_oauth_redirect_uri_matches(registered, requested);
    fuzz_require(match == gh_oauth_redirect_uri_matches(requested, registered));
    fuzz_require(gh_oauth_redirect_uri_matches(requested, requested));
    if (!match || strcmp(registered, requested) == 0)
        return;
    fuzz_require(starts_with(registered, "http://") && starts_with(requested, "http://"));
    const char *host = host_of(a, registered);
    fuzz_require(strcmp(host, host_of(a, requested)) == 0);
    fuzz_require(strcmp(host, "127.0.0.1") == 0 || strcmp(host, "[::1]") == 0);
    const char *r = registered + 7 + strlen(host), *q = requested + 7 + strlen(host);
    r += r[0] == ':' ? 1 + strspn(r + 1, "0123456789") : 0;
    q += q[0] == ':' ? 1 + strspn(q + 1, "0123456789") : 0;
    fuzz_require(strcmp(r, q) == 0);
    if (gh_oauth_redirect_uri_is_valid(registered))
        for (const unsigned char *p = (const unsigned char *)requested; *p != '\0'; p++)
            fuzz_require(*p > 0x20 && *p != 0x7f && *p != '#' && *p != '\\');
}

/* "name=" then value percent-encoded; *p moves past it. */
static void
require_param(gh_arena_t *a, const char **p, const char *name, const char *value)
{
    size_t n = strlen(name);
    fuzz_require(strncmp(*p, name, n) == 0 && (*p)[n] == '=');
    const char *enc = *p + n + 1;
    size_t len = strcspn(enc, "&");
    for (size_t i = 0; i < len; i++)
        fuzz_require(strchr(unreserved, enc[i]) != NULL || enc[i] == '%');
    char *out = NULL;
    gh_err_t err = { 0 };
    if (gh_http_is_utf8(value, strlen(value))) {
        fuzz_require(gh_http_percent_decode(a, enc, len, false, &out, &err) == GH_OK);
        fuzz_require(strcmp(out, value) == 0);
    }
    *p = enc + len;
}

static void
check_redirect(gh_arena_t *a, const char *uri, const char *value)
{
    const char *const pairs[] = { "code", value, "state", value, "iss", NULL, NULL };
    const char *out = gh_url_add_query(a, uri, pairs);
    size_t n = strlen(uri);
    fuzz_require(strncmp(out, uri, n) == 0);
    const char *p = out + n;
    fuzz_require(*p == (strchr(uri, '?') != NULL ? '&' : '?'));
    p++;
    require_param(a, &p, "code", value);
    fuzz_require(*p++ == '&');
    require_param(a, &p, "state", value);
    fuzz_require(*p == '\0');
}

static void
check_origin(const char *s)
{
    if (!gh_url_is_origin(s))
        return;
    fuzz_require(starts_with(s, "https://") || starts_with(s, "http://"));
    const char *host = strstr(s, "://") + 3;
    fuzz_require(*host != '\0' && strpbrk(host, "/?#@\\ ") == NULL);
    for (const char *p = host; *p != '\0'; p++)
        fuzz_require(!(*p >= 'A' && *p <= 'Z'));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gh_arena_t *a = fuzz_arena();
    const char *requested = NULL;
    const char *registered = fuzz_lines(data, size, &requested);
    if (requested == NULL)
        requested = registered;
    check_valid(a, registered);
    check_valid(a, requested);
    check_match(a, registered, requested);
    check_redirect(a, registered, requested);
    check_origin(requested);
    gh_arena_reset(a);
    return 0;
}
