/*
 * base/password.c: scrypt through EVP_KDF_derive.
 *
 * Passwords longer than GH_PASSWORD_MAX_LEN are refused before any work, so a huge
 * "password" cannot be used to burn CPU.
 */
#include "base/password.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/b64url.h"
#include "base/ct.h"
#include "base/rand.h"

#define SALT_LEN 16
#define HASH_LEN 32

typedef struct {
    uint64_t n;
    uint32_t r, p;
} params_t;

static gh_status_t
scrypt(const char *password, const unsigned char *salt, size_t salt_len, const params_t *prm,
       unsigned char out[HASH_LEN], gh_err_t *err)
{
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "SCRYPT", NULL);
    EVP_KDF_CTX *ctx = kdf != NULL ? EVP_KDF_CTX_new(kdf) : NULL;
    uint64_t n = prm->n;
    uint32_t r = prm->r, p = prm->p;
    uint64_t maxmem = 256ull << 20;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, (void *)password,
                                          strlen(password)),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, salt_len),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
        OSSL_PARAM_construct_end(),
    };
    int rc = ctx != NULL ? EVP_KDF_derive(ctx, out, HASH_LEN, params) : 0;
    EVP_KDF_CTX_free(ctx);
    EVP_KDF_free(kdf);
    if (rc != 1)
        return gh_fail(err, GH_E_INTERNAL, "scrypt failed");
    return GH_OK;
}

static const params_t current = {
    .n = 1ull << GH_PASSWORD_LOG2_N, .r = GH_PASSWORD_R, .p = GH_PASSWORD_P,
};

gh_status_t
gh_password_hash(gh_arena_t *a, const char *password, char **encoded, gh_err_t *err)
{
    if (strlen(password) > GH_PASSWORD_MAX_LEN)
        return gh_fail(err, GH_E_INPUT, "password too long");
    unsigned char salt[SALT_LEN], hash[HASH_LEN];
    gh_status_t st = gh_rand_bytes(salt, sizeof salt, err);
    if (st == GH_OK)
        st = scrypt(password, salt, sizeof salt, &current, hash, err);
    if (st != GH_OK)
        return st;
    *encoded = gh_arena_printf(a, "scrypt$%llu$%u$%u$%s$%s", (unsigned long long)current.n,
                               current.r, current.p, gh_b64url_encode(a, salt, sizeof salt),
                               gh_b64url_encode(a, hash, sizeof hash));
    OPENSSL_cleanse(hash, sizeof hash);
    return GH_OK;
}

/* Splits "scrypt$N$r$p$salt$hash" with bounds on every field. */
static gh_status_t
parse(gh_arena_t *a, const char *encoded, params_t *prm, unsigned char **salt,
      size_t *salt_len, unsigned char **hash, size_t *hash_len, gh_err_t *err)
{
    unsigned long long n = 0;
    unsigned r = 0, p = 0;
    int off = 0;
    if (sscanf(encoded, "scrypt$%llu$%u$%u$%n", &n, &r, &p, &off) != 3 || off == 0)
        return gh_fail(err, GH_E_INPUT, "not a scrypt password hash");
    const char *s = encoded + off;
    const char *dollar = strchr(s, '$');
    if (n < 2 || (n & (n - 1)) != 0 || n > (1ull << 20) || r < 1 || r > 32 || p < 1 ||
        p > 16 || dollar == NULL)
        return gh_fail(err, GH_E_INPUT, "not a scrypt password hash");
    if (gh_b64url_decode(a, s, (size_t)(dollar - s), salt, salt_len, err) != GH_OK ||
        gh_b64url_decode(a, dollar + 1, strlen(dollar + 1), hash, hash_len, err) != GH_OK ||
        *hash_len != HASH_LEN || *salt_len < 8)
        return gh_fail(err, GH_E_INPUT, "not a scrypt password hash");
    prm->n = n;
    prm->r = r;
    prm->p = p;
    return GH_OK;
}

gh_status_t
gh_password_verify(gh_arena_t *a, const char *encoded, const char *password, bool *ok,
                   bool *needs_rehash, gh_err_t *err)
{
    *ok = false;
    params_t prm;
    unsigned char *salt = NULL, *want = NULL;
    size_t salt_len = 0, want_len = 0;
    gh_status_t st = parse(a, encoded, &prm, &salt, &salt_len, &want, &want_len, err);
    if (st != GH_OK)
        return st;
    if (strlen(password) > GH_PASSWORD_MAX_LEN)
        return GH_OK;
    unsigned char got[HASH_LEN];
    st = scrypt(password, salt, salt_len, &prm, got, err);
    if (st != GH_OK)
        return st;
    *ok = gh_ct_equal(got, sizeof got, want, want_len);
    OPENSSL_cleanse(got, sizeof got);
    if (needs_rehash != NULL)
        *needs_rehash = prm.n < current.n || prm.r < current.r || prm.p < current.p;
    return GH_OK;
}
