/*
 * base/hash.c: SHA-256 over OpenSSL EVP.
 */
#include "base/hash.h"

#include <openssl/evp.h>
#include <string.h>

gh_status_t
gh_hash_sha256(const void *data, size_t len, unsigned char out[GH_SHA256_LEN], gh_err_t *err)
{
    unsigned int n = 0;
    if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1 || n != GH_SHA256_LEN)
        return gh_fail(err, GH_E_INTERNAL, "sha256 failed");
    return GH_OK;
}

char *
gh_hex_encode(gh_arena_t *a, const unsigned char *in, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    char *out = gh_arena_alloc(a, len * 2 + 1);
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    return out;
}

int
gh_hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

gh_status_t
gh_hash_sha256_hex(gh_arena_t *a, const char *s, char **out, gh_err_t *err)
{
    unsigned char md[GH_SHA256_LEN];
    gh_status_t st = gh_hash_sha256(s, strlen(s), md, err);
    if (st != GH_OK)
        return st;
    *out = gh_hex_encode(a, md, sizeof md);
    return GH_OK;
}
