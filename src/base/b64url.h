/*
 * base/b64url.h: base64url without padding (RFC 4648 section 5, RFC 7515 section 2).
 *
 * In base/ rather than jose/ because secrets (base/rand.c) are encoded with it too.
 */
#ifndef GH_BASE_B64URL_H
#define GH_BASE_B64URL_H

#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"

/* NUL-terminated encoding in the arena. */
char *gh_b64url_encode(gh_arena_t *a, const unsigned char *in, size_t len);

/* Decodes in[0..len). Refuses padding, characters outside the alphabet, a length of
 * 1 mod 4, and non-zero trailing bits (so each value has exactly one encoding).
 * *out is NUL-terminated for convenience; *outlen excludes the NUL. */
gh_status_t gh_b64url_decode(gh_arena_t *a, const char *in, size_t len,
                             unsigned char **out, size_t *outlen, gh_err_t *err);

/* Standard base64 with padding (RFC 4648 section 4), for HTTP Basic credentials. */
gh_status_t gh_b64_decode(gh_arena_t *a, const char *in, size_t len,
                          unsigned char **out, size_t *outlen, gh_err_t *err);

#endif
