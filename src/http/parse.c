/*
 * http/parse.c: query strings, form bodies, cookies, Basic and Bearer credentials.
 *
 * Everything here reads attacker-controlled bytes: each parser is bounded by its
 * length argument, never trusts a terminator, and has a fuzz target.
 */
#include "http/parse.h"

#include <string.h>

#include "base/b64url.h"
#include "base/hash.h"

void
gh_params_add(gh_arena_t *a, gh_params_t *ps, const char *name, const char *value)
{
    if (ps->n == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 8;
        gh_param_t *items = gh_arena_alloc(a, cap * sizeof *items);
        if (ps->n > 0)
            memcpy(items, ps->items, ps->n * sizeof *items);
        ps->items = items;
        ps->cap = cap;
    }
    ps->items[ps->n].name = name;
    ps->items[ps->n].value = value;
    ps->n++;
}

gh_status_t
gh_http_percent_decode(gh_arena_t *a, const char *s, size_t len, bool plus_is_space,
                       char **out, gh_err_t *err)
{
    char *buf = gh_arena_alloc(a, len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '+' && plus_is_space) {
            c = ' ';
        } else if (c == '%') {
            int hi = i + 1 < len ? gh_hex_value(s[i + 1]) : -1;
            int lo = i + 2 < len ? gh_hex_value(s[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return gh_fail(err, GH_E_INPUT, "malformed percent-encoding");
            c = (char)(hi << 4 | lo);
            i += 2;
        }
        if (c == '\0')
            return gh_fail(err, GH_E_INPUT, "NUL byte in a parameter");
        buf[n++] = c;
    }
    buf[n] = '\0';
    if (!gh_http_is_utf8(buf, n))
        return gh_fail(err, GH_E_INPUT, "parameter is not valid UTF-8");
    *out = buf;
    return GH_OK;
}

gh_status_t
gh_http_parse_urlencoded(gh_arena_t *a, const char *s, size_t len, gh_params_t *out,
                         gh_err_t *err)
{
    size_t i = 0;
    while (i < len) {
        const char *amp = memchr(s + i, '&', len - i);
        size_t end = amp != NULL ? (size_t)(amp - s) : len;
        if (end > i) {
            const char *eq = memchr(s + i, '=', end - i);
            size_t name_end = eq != NULL ? (size_t)(eq - s) : end;
            size_t value_start = eq != NULL ? name_end + 1 : end;
            char *name = NULL, *value = NULL;
            gh_status_t st = gh_http_percent_decode(a, s + i, name_end - i, true, &name, err);
            if (st == GH_OK)
                st = gh_http_percent_decode(a, s + value_start, end - value_start, true,
                                            &value, err);
            if (st != GH_OK)
                return st;
            gh_params_add(a, out, name, value);
        }
        i = end + 1;
    }
    return GH_OK;
}

static bool
is_cookie_space(char c)
{
    return c == ' ' || c == '\t';
}

void
gh_http_parse_cookies(gh_arena_t *a, const char *header, gh_params_t *out)
{
    const char *p = header;
    while (p != NULL && *p != '\0') {
        while (is_cookie_space(*p))
            p++;
        const char *semi = strchr(p, ';');
        const char *end = semi != NULL ? semi : p + strlen(p);
        const char *eq = memchr(p, '=', (size_t)(end - p));
        if (eq != NULL && eq > p) {
            const char *vend = end;
            while (vend > eq + 1 && is_cookie_space(vend[-1]))
                vend--;
            const char *nend = eq;
            while (nend > p && is_cookie_space(nend[-1]))
                nend--;
            gh_params_add(a, out, gh_arena_strndup(a, p, (size_t)(nend - p)),
                          gh_arena_strndup(a, eq + 1, (size_t)(vend - eq - 1)));
        }
        p = semi != NULL ? semi + 1 : NULL;
    }
}

/* Case-insensitive scheme match followed by at least one space (RFC 7235 section 2.1). */
static const char *
after_scheme(const char *header, const char *scheme)
{
    size_t n = strlen(scheme);
    if (header == NULL || strncasecmp(header, scheme, n) != 0 || header[n] != ' ')
        return NULL;
    const char *p = header + n;
    while (*p == ' ')
        p++;
    return p;
}

gh_status_t
gh_http_parse_basic(gh_arena_t *a, const char *header, const char **user,
                    const char **pass, gh_err_t *err)
{
    const char *b64 = after_scheme(header, "Basic");
    if (b64 == NULL)
        return GH_E_NOTFOUND;
    unsigned char *raw = NULL;
    size_t rawlen = 0;
    if (gh_b64_decode(a, b64, strlen(b64), &raw, &rawlen, err) != GH_OK)
        return gh_fail(err, GH_E_INPUT, "malformed Basic credentials");
    const char *colon = memchr(raw, ':', rawlen);
    if (colon == NULL || colon == (const char *)raw)
        return gh_fail(err, GH_E_INPUT, "malformed Basic credentials");
    /* RFC 6749 2.3.1: both halves were form-urlencoded before base64. */
    char *u = NULL, *pw = NULL;
    size_t ulen = (size_t)(colon - (const char *)raw);
    if (gh_http_percent_decode(a, (const char *)raw, ulen, true, &u, err) != GH_OK ||
        gh_http_percent_decode(a, colon + 1, rawlen - ulen - 1, true, &pw, err) != GH_OK)
        return gh_fail(err, GH_E_INPUT, "malformed Basic credentials");
    *user = u;
    *pass = pw;
    return GH_OK;
}

/* b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
gh_status_t
gh_http_parse_bearer(const char *header, const char **token, gh_err_t *err)
{
    const char *t = after_scheme(header, "Bearer");
    if (t == NULL)
        return GH_E_NOTFOUND;
    size_t n = strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                         "0123456789-._~+/");
    if (n == 0)
        return gh_fail(err, GH_E_INPUT, "malformed Bearer token");
    size_t m = n + strspn(t + n, "=");
    if (t[m] != '\0')
        return gh_fail(err, GH_E_INPUT, "malformed Bearer token");
    *token = t;
    return GH_OK;
}

/* RFC 3629 section 4, which excludes overlongs, surrogates and values past U+10FFFF. */
bool
gh_http_is_utf8(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        size_t n;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c < 0x80) { i++; continue; }
        else if (c >= 0xC2 && c <= 0xDF) n = 1;
        else if (c == 0xE0) { n = 2; lo = 0xA0; }
        else if (c == 0xED) { n = 2; hi = 0x9F; }
        else if (c >= 0xE1 && c <= 0xEF) n = 2;
        else if (c == 0xF0) { n = 3; lo = 0x90; }
        else if (c == 0xF4) { n = 3; hi = 0x8F; }
        else if (c >= 0xF1 && c <= 0xF3) n = 3;
        else return false;
        if (i + n >= len)
            return false;
        if (p[i + 1] < lo || p[i + 1] > hi)
            return false;
        for (size_t k = 2; k <= n; k++)
            if (p[i + k] < 0x80 || p[i + k] > 0xBF)
                return false;
        i += n + 1;
    }
    return true;
}

gh_status_t
gh_params_get(const gh_params_t *ps, const char *name, const char **out, gh_err_t *err)
{
    const char *found = NULL;
    bool seen = false;
    for (size_t i = 0; i < ps->n; i++) {
        if (strcmp(ps->items[i].name, name) != 0)
            continue;
        if (seen)
            return gh_err_set(err, GH_E_INPUT, "invalid_request", __FILE__, __LINE__,
                              "parameter %.40s is repeated", name);
        seen = true;
        found = ps->items[i].value;
    }
    *out = found != NULL && *found != '\0' ? found : NULL;
    return GH_OK;
}
