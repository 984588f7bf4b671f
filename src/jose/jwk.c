/*
 * jose/jwk.c: EVP_PKEY <-> public JWK, and RFC 7638 thumbprints.
 *
 * One table row per key type says which JWK members carry the public key and which
 * OpenSSL parameters they come from; exporting and thumbprinting walk the row.
 * Importing differs enough per type (an RSA key is two integers, an EC key one encoded
 * point, an Ed25519 key raw bytes) to be a function per row.
 */
#include "jose/jwk.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/b64url.h"
#include "base/hash.h"
#include "jose/jws.h"
#include "jose/ossl.h"

#define P256_COORD_LEN 32
#define ED25519_KEY_LEN 32

typedef struct {
    const char *name;     /* JWK member */
    const char *param;    /* OpenSSL key parameter it comes from */
    size_t      len;      /* fixed length (RFC 7518 6.2.1.2, RFC 8037 2); 0: minimal integer */
    bool        is_octets; /* an octet-string parameter rather than a BIGNUM */
} jwk_member_t;

typedef struct jwk_type {
    const char  *alg;         /* what gh_jose_jws_alg_for_key says for such a key */
    const char  *kty;
    const char  *crv;         /* NULL for RSA */
    jwk_member_t members[2];  /* the public key: with kty and crv, RFC 7638's required set */
    bool         is_checked_by_openssl; /* EVP_PKEY_public_check after import */
    gh_status_t (*import)(gh_arena_t *a, const struct jwk_type *type, const json_t *jwk,
                          EVP_PKEY **out, gh_err_t *err);
} jwk_type_t;

static gh_status_t rsa_import(gh_arena_t *a, const jwk_type_t *type, const json_t *jwk,
                              EVP_PKEY **out, gh_err_t *err);
static gh_status_t ec_import(gh_arena_t *a, const jwk_type_t *type, const json_t *jwk,
                             EVP_PKEY **out, gh_err_t *err);
static gh_status_t okp_import(gh_arena_t *a, const jwk_type_t *type, const json_t *jwk,
                              EVP_PKEY **out, gh_err_t *err);

static const jwk_type_t types[] = {
    { .alg = "RS256", .kty = "RSA", .import = rsa_import,
      .members = { { .name = "n", .param = OSSL_PKEY_PARAM_RSA_N },
                   { .name = "e", .param = OSSL_PKEY_PARAM_RSA_E } } },
    { .alg = "ES256", .kty = "EC", .crv = "P-256", .import = ec_import,
      .is_checked_by_openssl = true,
      .members = { { .name = "x", .param = OSSL_PKEY_PARAM_EC_PUB_X, .len = P256_COORD_LEN },
                   { .name = "y", .param = OSSL_PKEY_PARAM_EC_PUB_Y, .len = P256_COORD_LEN } } },
    { .alg = "EdDSA", .kty = "OKP", .crv = "Ed25519", .import = okp_import,
      .is_checked_by_openssl = true,
      .members = { { .name = "x", .param = OSSL_PKEY_PARAM_PUB_KEY, .len = ED25519_KEY_LEN,
                     .is_octets = true } } },
};

#define NTYPES (sizeof types / sizeof types[0])
#define NMEMBERS(type) (sizeof (type)->members / sizeof (type)->members[0])

static const jwk_type_t *
type_for_alg(const char *alg)
{
    for (size_t i = 0; alg != NULL && i < NTYPES; i++)
        if (strcmp(types[i].alg, alg) == 0)
            return &types[i];
    return NULL;
}

static const jwk_type_t *
type_for_jwk(const json_t *jwk)
{
    const char *kty = json_string_value(json_object_get(jwk, "kty"));
    const char *crv = json_string_value(json_object_get(jwk, "crv"));
    for (size_t i = 0; kty != NULL && i < NTYPES; i++) {
        const jwk_type_t *t = &types[i];
        if (strcmp(t->kty, kty) == 0 && (t->crv == NULL || (crv && strcmp(t->crv, crv) == 0)))
            return t;
    }
    return NULL;
}

/* Reads one public parameter as big-endian bytes: padded to m->len, else minimal. */
static gh_status_t
member_export(gh_arena_t *a, const EVP_PKEY *key, const jwk_member_t *m, json_t *jwk,
              gh_err_t *err)
{
    size_t len = m->len;
    unsigned char *buf = NULL;
    if (m->is_octets) {
        buf = gh_arena_alloc(a, len);
        if (EVP_PKEY_get_octet_string_param(key, m->param, buf, len, &len) != 1)
            return gh_jose_ossl_fail(err, "EVP_PKEY_get_octet_string_param");
    } else {
        BIGNUM *bn = NULL;
        if (EVP_PKEY_get_bn_param(key, m->param, &bn) != 1)
            return gh_jose_ossl_fail(err, "EVP_PKEY_get_bn_param");
        if (len == 0)
            len = (size_t)BN_num_bytes(bn);
        buf = gh_arena_alloc(a, len);
        int n = BN_bn2binpad(bn, buf, (int)len);
        BN_free(bn);
        if (n < 0)
            return gh_jose_ossl_fail(err, "BN_bn2binpad");
    }
    if (json_object_set_new(jwk, m->name, json_string(gh_b64url_encode(a, buf, len))) != 0)
        return gh_fail(err, GH_E_INTERNAL, "cannot build JWK");
    return GH_OK;
}

static json_t *
members_copy(const jwk_type_t *type, const json_t *jwk, const char *const *extra)
{
    json_t *out = json_pack("{s:s, s:s*}", "kty", type->kty, "crv", type->crv);
    for (size_t i = 0; out != NULL && extra != NULL && extra[i] != NULL; i++) {
        json_t *v = json_object_get(jwk, extra[i]);
        if (v != NULL)
            json_object_set(out, extra[i], v);
    }
    for (size_t i = 0; out != NULL && i < NMEMBERS(type); i++) {
        const char *name = type->members[i].name;
        json_t *v = name == NULL ? NULL : json_object_get(jwk, name);
        if (v != NULL)
            json_object_set(out, name, v);
    }
    return out;
}

gh_status_t
gh_jose_jwk_thumbprint(gh_arena_t *a, const json_t *jwk, char **out, gh_err_t *err)
{
    const jwk_type_t *type = type_for_jwk(jwk);
    if (type == NULL)
        return gh_fail(err, GH_E_INPUT, "JWK kty or crv not supported");
    json_t *required = members_copy(type, jwk, NULL);
    for (size_t i = 0; required != NULL && i < NMEMBERS(type); i++) {
        const char *name = type->members[i].name;
        if (name != NULL && !json_is_string(json_object_get(required, name))) {
            json_decref(required);
            return gh_fail(err, GH_E_INPUT, "JWK has no %s", name);
        }
    }
    /* RFC 7638 3.3: members in lexicographic order, no whitespace. */
    char *text = required == NULL ? NULL : json_dumps(required, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(required);
    if (text == NULL)
        return gh_fail(err, GH_E_INTERNAL, "cannot encode JWK");
    unsigned char md[GH_SHA256_LEN];
    gh_status_t st = gh_hash_sha256(text, strlen(text), md, err);
    free(text);
    if (st == GH_OK)
        *out = gh_b64url_encode(a, md, sizeof md);
    return st;
}

gh_status_t
gh_jose_jwk_from_pkey(gh_arena_t *a, const EVP_PKEY *key, const char *kid, json_t **out,
                      gh_err_t *err)
{
    const jwk_type_t *type = type_for_alg(gh_jose_jws_alg_for_key(key));
    if (type == NULL)
        return gh_fail(err, GH_E_INTERNAL, "key type not supported for a JWK");
    json_t *jwk = json_pack("{s:s, s:s*}", "kty", type->kty, "crv", type->crv);
    if (jwk == NULL)
        return gh_fail(err, GH_E_INTERNAL, "cannot build JWK");
    gh_status_t st = GH_OK;
    for (size_t i = 0; st == GH_OK && i < NMEMBERS(type); i++)
        if (type->members[i].name != NULL)
            st = member_export(a, key, &type->members[i], jwk, err);
    char *thumbprint = NULL;
    if (st == GH_OK && kid == NULL) {
        st = gh_jose_jwk_thumbprint(a, jwk, &thumbprint, err);
        kid = thumbprint;
    }
    if (st == GH_OK && (json_object_set_new(jwk, "kid", json_string(kid)) != 0
                        || json_object_set_new(jwk, "alg", json_string(type->alg)) != 0
                        || json_object_set_new(jwk, "use", json_string("sig")) != 0))
        st = gh_fail(err, GH_E_INTERNAL, "cannot build JWK");
    if (st != GH_OK) {
        json_decref(jwk);
        return st;
    }
    *out = jwk;
    return GH_OK;
}

json_t *
gh_jose_jwk_public_copy(const json_t *jwk)
{
    static const char *const extra[] = { "kid", "use", "alg", NULL };
    const jwk_type_t *type = type_for_jwk(jwk);
    return type == NULL ? NULL : members_copy(type, jwk, extra);
}

/* A member's bytes, strictly decoded; of exactly m->len bytes when that is set. */
static gh_status_t
member_bytes(gh_arena_t *a, const json_t *jwk, const jwk_member_t *m, unsigned char **out,
             size_t *len, gh_err_t *err)
{
    const char *text = json_string_value(json_object_get(jwk, m->name));
    if (text == NULL)
        return gh_fail(err, GH_E_INPUT, "JWK has no %s", m->name);
    if (gh_b64url_decode(a, text, strlen(text), out, len, err) != GH_OK)
        return gh_fail(err, GH_E_INPUT, "JWK member %s is not base64url", m->name);
    if (*len == 0 || (m->len != 0 && *len != m->len))
        return gh_fail(err, GH_E_INPUT, "JWK member %s has the wrong length", m->name);
    return GH_OK;
}

static gh_status_t
pkey_fromdata(const char *type, OSSL_PARAM *params, EVP_PKEY **out, gh_err_t *err)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    EVP_PKEY *key = NULL;
    bool ok = ctx != NULL && EVP_PKEY_fromdata_init(ctx) == 1
              && EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) == 1;
    EVP_PKEY_CTX_free(ctx);
    gh_jose_ossl_clear();
    if (!ok)
        return gh_fail(err, GH_E_INPUT, "JWK is not a valid public key");
    *out = key;
    return GH_OK;
}

/* SP 800-56B rev. 2 6.4.2.2's checks that give the same answer every time: n odd, e odd
 * and 65537 <= e < 2^256. OpenSSL's RSA public key check adds a Miller-Rabin test with
 * random bases, which accepts a modulus with several prime factors most times and
 * refuses it now and then (tests/fuzz/fuzz_jwk found one): a JWK must not be a key one
 * day and not the next. A modulus that is not a product of two primes verifies nothing. */
static bool
rsa_is_plausible(const BIGNUM *n, const BIGNUM *e)
{
    return BN_is_odd(n) && BN_is_odd(e) && BN_num_bits(e) <= 256 &&
           (BN_num_bits(e) > 17 || BN_get_word(e) >= 65537);
}

static gh_status_t
rsa_import(gh_arena_t *a, const jwk_type_t *type, const json_t *jwk, EVP_PKEY **out,
           gh_err_t *err)
{
    BIGNUM *bn[2] = { NULL, NULL };
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    gh_status_t st = bld == NULL ? gh_jose_ossl_fail(err, "OSSL_PARAM_BLD_new") : GH_OK;
    for (size_t i = 0; st == GH_OK && i < 2; i++) {
        unsigned char *bytes = NULL;
        size_t len = 0;
        st = member_bytes(a, jwk, &type->members[i], &bytes, &len, err);
        if (st == GH_OK && ((bn[i] = BN_bin2bn(bytes, (int)len, NULL)) == NULL
                            || OSSL_PARAM_BLD_push_BN(bld, type->members[i].param, bn[i]) != 1))
            st = gh_jose_ossl_fail(err, "OSSL_PARAM_BLD_push_BN");
    }
    if (st == GH_OK && !rsa_is_plausible(bn[0], bn[1]))
        st = gh_fail(err, GH_E_INPUT, "JWK is not a valid RSA public key");
    if (st == GH_OK && (params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
        st = gh_jose_ossl_fail(err, "OSSL_PARAM_BLD_to_param");
    if (st == GH_OK)
        st = pkey_fromdata("RSA", params, out, err);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn[0]);
    BN_free(bn[1]);
    return st;
}

static gh_status_t
ec_import(gh_arena_t *a, const jwk_type_t *type, const json_t *jwk, EVP_PKEY **out,
          gh_err_t *err)
{
    unsigned char *x = NULL, *y = NULL;
    size_t xlen = 0, ylen = 0;
    gh_status_t st = member_bytes(a, jwk, &type->members[0], &x, &xlen, err);
    if (st == GH_OK)
        st = member_bytes(a, jwk, &type->members[1], &y, &ylen, err);
    if (st != GH_OK)
        return st;
    /* SEC 1 2.3.3 uncompressed point: 0x04 || x || y. */
    unsigned char point[1 + 2 * P256_COORD_LEN] = { 0x04 };
    memcpy(point + 1, x, xlen);
    memcpy(point + 1 + xlen, y, ylen);
    char group[] = "prime256v1";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point),
        OSSL_PARAM_construct_end(),
    };
    return pkey_fromdata("EC", params, out, err);
}

static gh_status_t
okp_import(gh_arena_t *a, const jwk_type_t *type, const json_t *jwk, EVP_PKEY **out,
           gh_err_t *err)
{
    unsigned char *x = NULL;
    size_t len = 0;
    gh_status_t st = member_bytes(a, jwk, &type->members[0], &x, &len, err);
    if (st != GH_OK)
        return st;
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, x, len),
        OSSL_PARAM_construct_end(),
    };
    return pkey_fromdata("ED25519", params, out, err);
}

/* Refuses a point off the curve (invalid-curve attacks) or a malformed Ed25519 key. */
static gh_status_t
public_check(EVP_PKEY *key, gh_err_t *err)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
    bool ok = ctx != NULL && EVP_PKEY_public_check(ctx) == 1;
    EVP_PKEY_CTX_free(ctx);
    gh_jose_ossl_clear();
    return ok ? GH_OK : gh_fail(err, GH_E_INPUT, "JWK is not a valid public key");
}

static gh_status_t
usage_check(const jwk_type_t *type, const json_t *jwk, gh_err_t *err)
{
    const json_t *alg = json_object_get(jwk, "alg");
    const json_t *use = json_object_get(jwk, "use");
    if (alg != NULL && !(json_is_string(alg) && strcmp(json_string_value(alg), type->alg) == 0))
        return gh_fail(err, GH_E_INPUT, "JWK alg does not fit its key type");
    if (use != NULL && !(json_is_string(use) && strcmp(json_string_value(use), "sig") == 0))
        return gh_fail(err, GH_E_INPUT, "JWK use is not sig");
    return GH_OK;
}

gh_status_t
gh_jose_jwk_to_pkey(gh_arena_t *a, const json_t *jwk, EVP_PKEY **out, gh_err_t *err)
{
    const jwk_type_t *type = json_is_object(jwk) ? type_for_jwk(jwk) : NULL;
    if (type == NULL)
        return gh_fail(err, GH_E_INPUT, "JWK kty or crv not supported");
    gh_status_t st = usage_check(type, jwk, err);
    EVP_PKEY *key = NULL;
    if (st == GH_OK)
        st = type->import(a, type, jwk, &key, err);
    if (st == GH_OK && type->is_checked_by_openssl)
        st = public_check(key, err);
    /* Too short an RSA modulus, for one. */
    if (st == GH_OK && type_for_alg(gh_jose_jws_alg_for_key(key)) != type)
        st = gh_fail(err, GH_E_INPUT, "JWK key is not usable for %s", type->alg);
    if (st != GH_OK) {
        EVP_PKEY_free(key);
        return st;
    }
    *out = key;
    return GH_OK;
}
