/*
 * base/rand.h: randomness from OpenSSL's RAND_bytes, and nothing else.
 */
#ifndef GH_BASE_RAND_H
#define GH_BASE_RAND_H

#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"

gh_status_t gh_rand_bytes(unsigned char *buf, size_t n, gh_err_t *err);

/* A secret: 32 random bytes, base64url without padding (43 chars), in the arena.
 * A failed RAND_bytes is GH_E_INTERNAL; there is no fallback. */
gh_status_t gh_rand_token(gh_arena_t *a, char **out, gh_err_t *err);

#endif
