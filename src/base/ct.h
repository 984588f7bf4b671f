/*
 * base/ct.h: constant-time comparison of secrets (CRYPTO_memcmp underneath).
 */
#ifndef GH_BASE_CT_H
#define GH_BASE_CT_H

#include <stdbool.h>
#include <stddef.h>

/* Equal lengths and equal bytes; the time depends only on the lengths. */
bool gh_ct_equal(const void *a, size_t alen, const void *b, size_t blen);
/* NUL-terminated strings; NULL equals nothing. */
bool gh_ct_streq(const char *a, const char *b);

#endif
