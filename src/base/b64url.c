/*
 * base/b64url.c: strict base64 and base64url codecs.
 *
 * Strict on purpose: a JWS or a Basic header that decodes two ways is an attack
 * surface, so padding where none belongs, stray bits and foreign characters are errors.
 */
#include "base/b64url.h"

#include <stdbool.h>

static const char url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

char *
gh_b64url_encode(gh_arena_t *a, const unsigned char *in, size_t len)
{
    char *out = gh_arena_alloc(a, (len + 2) / 3 * 4 + 1);
    char *p = out;
    size_t i = 0;
    for (; i + 2 < len; i += 3) {
        unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
        *p++ = url_alphabet[v >> 18 & 63];
        *p++ = url_alphabet[v >> 12 & 63];
        *p++ = url_alphabet[v >> 6 & 63];
        *p++ = url_alphabet[v & 63];
    }
    if (len - i == 1) {
        unsigned v = (unsigned)in[i] << 16;
        *p++ = url_alphabet[v >> 18 & 63];
        *p++ = url_alphabet[v >> 12 & 63];
    } else if (len - i == 2) {
        unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
        *p++ = url_alphabet[v >> 18 & 63];
        *p++ = url_alphabet[v >> 12 & 63];
        *p++ = url_alphabet[v >> 6 & 63];
    }
    *p = '\0';
    return out;
}

static int
sextet(char c, bool url)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == (url ? '-' : '+'))
        return 62;
    if (c == (url ? '_' : '/'))
        return 63;
    return -1;
}

/* Decodes unpadded input of len characters (len % 4 != 1). */
static gh_status_t
decode(gh_arena_t *a, const char *in, size_t len, bool url,
       unsigned char **out, size_t *outlen, gh_err_t *err)
{
    if (len % 4 == 1)
        return gh_fail(err, GH_E_INPUT, "malformed base64");
    unsigned char *buf = gh_arena_alloc(a, len / 4 * 3 + 3);
    size_t n = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        int v = sextet(in[i], url);
        if (v < 0)
            return gh_fail(err, GH_E_INPUT, "malformed base64");
        acc = acc << 6 | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[n++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    if (acc != 0)
        return gh_fail(err, GH_E_INPUT, "malformed base64");
    buf[n] = '\0';
    *out = buf;
    *outlen = n;
    return GH_OK;
}

gh_status_t
gh_b64url_decode(gh_arena_t *a, const char *in, size_t len,
                 unsigned char **out, size_t *outlen, gh_err_t *err)
{
    return decode(a, in, len, true, out, outlen, err);
}

gh_status_t
gh_b64_decode(gh_arena_t *a, const char *in, size_t len,
              unsigned char **out, size_t *outlen, gh_err_t *err)
{
    if (len % 4 != 0)
        return gh_fail(err, GH_E_INPUT, "malformed base64");
    size_t pad = 0;
    while (pad < 2 && len > pad && in[len - 1 - pad] == '=')
        pad++;
    return decode(a, in, len - pad, false, out, outlen, err);
}
