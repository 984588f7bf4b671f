/*
 * jose/jwk.h: public keys as JWKs (RFC 7517, RFC 7518 section 6, RFC 8037).
 *
 * Only the three key types jose/jws.h signs with: RSA (n, e), EC P-256 (crv, x, y) and
 * OKP Ed25519 (crv, x). A JWK made here never holds a private member (d, p, q, dp, dq,
 * qi, k): it is built from the public parameters alone. Storing JWKs and choosing
 * which to publish is oauth/keys.c's job.
 */
#ifndef GH_JOSE_JWK_H
#define GH_JOSE_JWK_H

#include <jansson.h>
#include <openssl/evp.h>

#include "base/arena.h"
#include "base/err.h"

/* The public JWK of key (a public or private key), with "kid", "alg" (the key's JWS
 * algorithm) and "use":"sig". kid NULL means the RFC 7638 thumbprint, which is how
 * Gatehouse names its keys. *out is a new reference. GH_E_INTERNAL for a key jws.h
 * cannot use (see gh_jose_jws_alg_for_key) or a failed OpenSSL call. */
gh_status_t gh_jose_jwk_from_pkey(gh_arena_t *a, const EVP_PKEY *key, const char *kid,
                                  json_t **out, gh_err_t *err);

/* The RFC 7638 thumbprint of jwk: base64url(SHA-256) of its required members in
 * lexicographic order without whitespace; *out in the arena. GH_E_INPUT when a required
 * member is missing or kty/crv is not supported. */
gh_status_t gh_jose_jwk_thumbprint(gh_arena_t *a, const json_t *jwk, char **out,
                                   gh_err_t *err);

/* The public key a JWK describes, for verification. Checks kty/crv, strict base64url,
 * coordinate lengths, that the key is valid (an EC point on the curve; an RSA n odd, e
 * odd and 65537 <= e < 2^256) and usable by jws.h (RSA of 2048 bits or more); "alg"
 * and "use", when present, must be the key's algorithm and "sig". Private members are
 * ignored. The same JWK gets the same answer every time. *out is freed with
 * EVP_PKEY_free. GH_E_INPUT for any of these failures. */
gh_status_t gh_jose_jwk_to_pkey(gh_arena_t *a, const json_t *jwk, EVP_PKEY **out,
                                gh_err_t *err);

/* A new JWK with only the public members of jwk (kty, kid, use, alg, crv, and n/e or
 * x/y or x), or NULL when its kty/crv is not one of the three. */
json_t *gh_jose_jwk_public_copy(const json_t *jwk);

#endif
