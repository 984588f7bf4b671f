/*
 * base/url.c: URL building.
 */
#include "base/url.h"

#include <stdbool.h>
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
