/*
 * base/password.h: password hashing with scrypt (OpenSSL EVP_KDF).
 *
 * Encoded as "scrypt$N$r$p$salt$hash" (salt and hash base64url): the parameters
 * live beside the hash, so raising them later leaves old hashes verifiable and
 * gh_password_verify says when one should be rehashed.
 */
#ifndef GH_BASE_PASSWORD_H
#define GH_BASE_PASSWORD_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/err.h"

/* Current parameters: N = 2^15, r = 8, p = 1 (32 MiB, about 50-100 ms here): the
 * memory is taken only during the computation. */
#define GH_PASSWORD_LOG2_N 15
#define GH_PASSWORD_R 8
#define GH_PASSWORD_P 1
#define GH_PASSWORD_MAX_LEN 1024

gh_status_t gh_password_hash(gh_arena_t *a, const char *password, char **encoded,
                             gh_err_t *err);

/* *ok tells whether password matches (constant-time compare). GH_E_INPUT when encoded
 * is not a hash this code wrote. *needs_rehash (may be NULL) is true when the stored
 * parameters are weaker than the current ones. */
gh_status_t gh_password_verify(gh_arena_t *a, const char *encoded, const char *password,
                               bool *ok, bool *needs_rehash, gh_err_t *err);

#endif
