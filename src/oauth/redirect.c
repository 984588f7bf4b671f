/*
 * oauth/redirect.c: deciding which redirect URIs can be registered and which requests
 * match them.
 *
 * Matching is exact string comparison: no normalisation, no case folding, no prefix
 * rule. Every "smart" comparison in other providers has been an open redirect.
 */
#include "oauth/redirect.h"

#include <ctype.h>
#include <string.h>

#define MAX_URI 2000

static bool
has_forbidden_chars(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s <= 0x20 || *s == 0x7f || *s == '#' || *s == '\\')
            return true;
    return false;
}

/* host[:port] of an authority, with no userinfo and digits-only port. */
static bool
authority_ok(const char *auth, size_t len)
{
    if (len == 0 || memchr(auth, '@', len) != NULL)
        return false;
    const char *colon = auth[0] == '[' ? memchr(auth, ']', len) : auth;
    if (colon == NULL)
        return false;
    colon = memchr(colon, ':', len - (size_t)(colon - auth));
    if (colon == NULL)
        return true;
    if (colon == auth)          /* ":443": a port without a host */
        return false;
    size_t digits = len - (size_t)(colon - auth) - 1;
    if (digits < 1 || digits > 5)
        return false;
    long port = 0;
    for (size_t i = 1; i <= digits; i++) {
        if (!isdigit((unsigned char)colon[i]))
            return false;
        port = port * 10 + (colon[i] - '0');
    }
    return port >= 1 && port <= 65535;
}

static size_t
authority_len(const char *s)
{
    return strcspn(s, "/?");
}

static bool
is_loopback_host(const char *auth, size_t len, bool allow_localhost)
{
    static const char *const hosts[] = { "127.0.0.1", "[::1]", "localhost" };
    for (size_t i = 0; i < (allow_localhost ? 3u : 2u); i++) {
        size_t n = strlen(hosts[i]);
        if (len >= n && strncmp(auth, hosts[i], n) == 0 && (len == n || auth[n] == ':'))
            return true;
    }
    return false;
}

/* "com.example.app:/path": a scheme with at least one dot, then ":/" and no "//". */
static bool
is_private_use(const char *uri)
{
    size_t n = strcspn(uri, ":");
    if (uri[n] != ':' || n == 0 || !islower((unsigned char)uri[0]) ||
        memchr(uri, '.', n) == NULL)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!islower((unsigned char)uri[i]) && !isdigit((unsigned char)uri[i]) &&
            strchr("+-.", uri[i]) == NULL)
            return false;
    return uri[n + 1] == '/' && uri[n + 2] != '/' && uri[n + 2] != '\0';
}

bool
gh_oauth_redirect_uri_is_valid(const char *uri)
{
    if (uri == NULL || strlen(uri) > MAX_URI || has_forbidden_chars(uri))
        return false;
    if (strncmp(uri, "https://", 8) == 0) {
        size_t n = authority_len(uri + 8);
        return authority_ok(uri + 8, n) && uri[8] != '[';
    }
    if (strncmp(uri, "http://", 7) == 0) {
        size_t n = authority_len(uri + 7);
        return authority_ok(uri + 7, n) && is_loopback_host(uri + 7, n, true);
    }
    return is_private_use(uri);
}

/* Splits "http://HOST[:PORT]REST" into host and rest (after the port). */
static bool
split_loopback(const char *uri, const char **host, size_t *host_len, const char **rest)
{
    if (strncmp(uri, "http://", 7) != 0)
        return false;
    const char *auth = uri + 7;
    size_t n = authority_len(auth);
    if (!is_loopback_host(auth, n, false) || !authority_ok(auth, n))
        return false;
    *host = auth;
    *host_len = auth[0] == '[' ? 5 : 9;
    *rest = auth + n;
    return true;
}

bool
gh_oauth_redirect_uri_matches(const char *registered, const char *requested)
{
    if (registered == NULL || requested == NULL)
        return false;
    if (strcmp(registered, requested) == 0)
        return true;
    const char *rh, *rr, *qh, *qr;
    size_t rhl, qhl;
    if (!split_loopback(registered, &rh, &rhl, &rr) || !split_loopback(requested, &qh, &qhl, &qr))
        return false;
    return rhl == qhl && strncmp(rh, qh, rhl) == 0 && strcmp(rr, qr) == 0;
}
