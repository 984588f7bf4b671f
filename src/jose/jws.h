/*
 * jose/jws.h: JWS compact serialization (RFC 7515) over OpenSSL EVP.
 *
 * Three algorithms, each tied to one key type (RFC 7518 3.3, 3.4; RFC 8037 3.1):
 * RS256 = RSA of at least 2048 bits with PKCS#1 v1.5 and SHA-256, ES256 = ECDSA on P-256
 * with SHA-256, EdDSA = Ed25519. The algorithm always comes from the key, never from
 * the token: a header naming any other algorithm than the key's ("none", HS256 with an
 * RSA public key as the secret, RS256 with an EC key) is refused.
 * Which key to use (kid lookup, rotation) is oauth/keys.c's job.
 */
#ifndef GH_JOSE_JWS_H
#define GH_JOSE_JWS_H

#include <jansson.h>
#include <openssl/evp.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"

/* Longest compact JWS accepted for verification. */
#define GH_JOSE_JWS_MAX (16 * 1024)

/* "RS256", "ES256" or "EdDSA" for a supported key (public or private), else NULL
 * (RSA under 2048 bits, other curves, RSA-PSS keys, anything else). */
const char *gh_jose_jws_alg_for_key(const EVP_PKEY *key);

/* Signs payload (borrowed; must be an object) with key. The protected header is
 * {"alg": gh_jose_jws_alg_for_key(key), "kid": kid, "typ": typ}; kid and typ are
 * left out when NULL. *out is the compact serialization, in the arena.
 * GH_E_INTERNAL for an unsupported key or a failed OpenSSL call. */
gh_status_t gh_jose_jws_sign(gh_arena_t *a, EVP_PKEY *key, const char *kid, const char *typ,
                             const json_t *payload, char **out, gh_err_t *err);

/* Decodes the protected header of a compact JWS without verifying anything (to pick the
 * key by its kid). *header is a new reference to a JSON object. GH_E_INPUT when the
 * token is not three strict base64url segments or the header is not a JSON object
 * without duplicate members. */
gh_status_t gh_jose_jws_header(gh_arena_t *a, const char *jws, json_t **header,
                               gh_err_t *err);

/* Verifies a compact JWS with key. On GH_OK, *payload holds the payload bytes in the
 * arena (NUL-terminated; *payload_len excludes the NUL) and, when header is not NULL,
 * *header a new reference to the protected header. GH_E_INPUT for anything wrong with
 * the token: malformed, an alg other than the key's, a "crit" member (no extension is
 * understood), a signature of the wrong length or one that does not verify. */
gh_status_t gh_jose_jws_verify(gh_arena_t *a, const char *jws, EVP_PKEY *key,
                               json_t **header, unsigned char **payload,
                               size_t *payload_len, gh_err_t *err);

#endif
