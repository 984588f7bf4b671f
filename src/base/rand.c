/*
 * base/rand.c: secrets for codes, tokens, session ids and client secrets.
 */
#include "base/rand.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "base/b64url.h"

gh_status_t
gh_rand_bytes(unsigned char *buf, size_t n, gh_err_t *err)
{
    if (RAND_bytes(buf, (int)n) != 1)
        return gh_fail(err, GH_E_INTERNAL, "random generator failed");
    return GH_OK;
}

gh_status_t
gh_rand_token(gh_arena_t *a, char **out, gh_err_t *err)
{
    unsigned char raw[32];
    gh_status_t st = gh_rand_bytes(raw, sizeof raw, err);
    if (st != GH_OK)
        return st;
    *out = gh_b64url_encode(a, raw, sizeof raw);
    OPENSSL_cleanse(raw, sizeof raw);
    return GH_OK;
}
