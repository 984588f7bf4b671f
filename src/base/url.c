/*
 * base/url.c: URL building, and the syntax of web origins.
 */
#include "base/url.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool
is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

char *
gh_url_encode(gh_arena_t *a, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = gh_arena_alloc(a, strlen(s) * 3 + 1);
    char *p = out;
    for (const unsigned char *c = (const unsigned char *)s; *c != '\0'; c++) {
        if (is_unreserved(*c)) {
            *p++ = (char)*c;
            continue;
        }
        *p++ = '%';
        *p++ = hex[*c >> 4];
        *p++ = hex[*c & 15];
    }
    *p = '\0';
    return out;
}

char *
gh_url_add_query(gh_arena_t *a, const char *url, const char *const *pairs)
{
    char *out = gh_arena_strdup(a, url);
    char sep = strchr(url, '?') != NULL ? '&' : '?';
    for (size_t i = 0; pairs[i] != NULL; i += 2) {
        if (pairs[i + 1] == NULL)
            continue;
        out = gh_arena_printf(a, "%s%c%s=%s", out, sep, pairs[i],
                              gh_url_encode(a, pairs[i + 1]));
        sep = '&';
    }
    return out;
}

/* A host as browsers serialize it: lowercase letters, digits, '.', '-', '_' (an IDN in
 * its punycode form), or an IPv6 address in brackets. *end is the character after it. */
static bool
is_origin_host(const char *s, const char **end)
{
    if (s[0] != '[') {
        *end = s + strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789.-_");
        return *end > s;
    }
    size_t n = strspn(s + 1, "0123456789abcdef:.");
    *end = s + n + 2;
    return n > 0 && s[n + 1] == ']';
}

/* A port with no leading zero, 1 to 65535, and not the scheme's default. */
static bool
is_origin_port(const char *s, const char *default_port)
{
    size_t n = strspn(s, "0123456789");
    if (n == 0 || n > 5 || s[n] != '\0' || s[0] == '0' || strcmp(s, default_port) == 0)
        return false;
    return strtol(s, NULL, 10) <= 65535;
}

bool
gh_url_is_origin(const char *s)
{
    static const struct { const char *prefix, *default_port; } schemes[] = {
        { "https://", "443" }, { "http://", "80" },
    };
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        size_t n = strlen(schemes[i].prefix);
        const char *end = NULL;
        if (strncmp(s, schemes[i].prefix, n) != 0 || !is_origin_host(s + n, &end))
            continue;
        return *end == '\0' || (*end == ':' && is_origin_port(end + 1, schemes[i].default_port));
    }
    return false;
}
