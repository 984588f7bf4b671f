/*
 * base/ct.c: never strcmp or memcmp a secret: their early exit leaks the length of
 * the matching prefix.
 */
#include "base/ct.h"

#include <openssl/crypto.h>
#include <string.h>

bool
gh_ct_equal(const void *a, size_t alen, const void *b, size_t blen)
{
    if (alen != blen)
        return false;
    return CRYPTO_memcmp(a, b, alen) == 0;
}

bool
gh_ct_streq(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return false;
    return gh_ct_equal(a, strlen(a), b, strlen(b));
}
