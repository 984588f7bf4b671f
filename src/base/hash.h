/*
 * base/hash.h: SHA-256, the only way secrets are stored.
 */
#ifndef GH_BASE_HASH_H
#define GH_BASE_HASH_H

#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"

#define GH_SHA256_LEN 32

gh_status_t gh_hash_sha256(const void *data, size_t len, unsigned char out[GH_SHA256_LEN],
                           gh_err_t *err);

/* Lowercase hex of SHA-256(s): how a secret is looked up in the database. */
gh_status_t gh_hash_sha256_hex(gh_arena_t *a, const char *s, char **out, gh_err_t *err);

char *gh_hex_encode(gh_arena_t *a, const unsigned char *in, size_t len);

/* The value of one hex digit (either case), or -1. */
int gh_hex_value(char c);

#endif
