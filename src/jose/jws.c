/*
 * jose/jws.c: signing and verifying compact JWS.
 *
 * The algorithm table below is the whole policy: an algorithm is usable with exactly one
 * key type, so "alg" in a header is only ever compared with the key's, never used to
 * choose what to do. That closes the classic confusions (alg "none", HS256 keyed with
 * an RSA public key) by construction rather than by a list of bad names.
 */
#include "jose/jws.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/objects.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/b64url.h"
#include "jose/ossl.h"

typedef struct {
    const char *alg;
    const char *key_type;   /* EVP_PKEY_is_a name */
    int         curve_nid;  /* EC only */
    const char *md;         /* NULL: the algorithm hashes the message itself (Ed25519) */
    int         min_bits;   /* RFC 7518 3.3: RSA keys of 2048 bits or more */
    size_t      rs_len;     /* ECDSA: JOSE's R||S length (RFC 7518 3.4); 0 otherwise */
} jws_alg_t;

static const jws_alg_t algs[] = {
    { .alg = "RS256", .key_type = "RSA", .md = "SHA256", .min_bits = 2048 },
    { .alg = "ES256", .key_type = "EC", .curve_nid = NID_X9_62_prime256v1, .md = "SHA256",
      .rs_len = 64 },
    { .alg = "EdDSA", .key_type = "ED25519" },
};

/* A compact JWS taken apart: BASE64URL(header) "." BASE64URL(payload) "." BASE64URL(sig). */
typedef struct {
    json_t        *header;
    size_t         input_len;   /* length of the signing input: "header.payload" */
    unsigned char *payload;
    size_t         payload_len;
    unsigned char *sig;
    size_t         sig_len;
} compact_t;

static bool
key_has_curve(const EVP_PKEY *key, int nid)
{
    char name[64];
    size_t len = 0;
    if (EVP_PKEY_get_group_name(key, name, sizeof name, &len) != 1) {
        gh_jose_ossl_clear();
        return false;
    }
    return OBJ_sn2nid(name) == nid || EC_curve_nist2nid(name) == nid;
}

static const jws_alg_t *
alg_for_key(const EVP_PKEY *key)
{
    for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++) {
        const jws_alg_t *alg = &algs[i];
        if (!EVP_PKEY_is_a(key, alg->key_type))
            continue;
        if (alg->min_bits > 0 && EVP_PKEY_get_bits(key) < alg->min_bits)
            return NULL;
        if (alg->curve_nid != 0 && !key_has_curve(key, alg->curve_nid))
            return NULL;
        return alg;
    }
    return NULL;
}

const char *
gh_jose_jws_alg_for_key(const EVP_PKEY *key)
{
    const jws_alg_t *alg = key == NULL ? NULL : alg_for_key(key);
    return alg == NULL ? NULL : alg->alg;
}

static char *
json_b64url(gh_arena_t *a, const json_t *json)
{
    char *text = json_dumps(json, JSON_COMPACT);
    if (text == NULL)
        return NULL;
    char *enc = gh_b64url_encode(a, (const unsigned char *)text, strlen(text));
    free(text);
    return enc;
}

static gh_status_t
signing_input(gh_arena_t *a, const jws_alg_t *alg, const char *kid, const char *typ,
              const json_t *payload, char **out, gh_err_t *err)
{
    /* "s*" leaves a member out when its value is NULL. */
    json_t *header = json_pack("{s:s, s:s*, s:s*}", "alg", alg->alg, "kid", kid, "typ", typ);
    if (header == NULL)
        return gh_fail(err, GH_E_INTERNAL, "cannot build JWS header");
    char *h = json_b64url(a, header);
    json_decref(header);
    char *p = json_b64url(a, payload);
    if (h == NULL || p == NULL)
        return gh_fail(err, GH_E_INTERNAL, "cannot encode JWS");
    *out = gh_arena_printf(a, "%s.%s", h, p);
    return GH_OK;
}

static gh_status_t
digest_sign(gh_arena_t *a, const jws_alg_t *alg, EVP_PKEY *key, const char *input,
            unsigned char **sig, size_t *sig_len, gh_err_t *err)
{
    const unsigned char *tbs = (const unsigned char *)input;
    size_t tbs_len = strlen(input);
    size_t n = 0;
    gh_status_t st = GH_OK;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL || EVP_DigestSignInit_ex(ctx, NULL, alg->md, NULL, NULL, key, NULL) != 1
        || EVP_DigestSign(ctx, NULL, &n, tbs, tbs_len) != 1) {
        st = gh_jose_ossl_fail(err, "EVP_DigestSignInit");
        goto out;
    }
    *sig = gh_arena_alloc(a, n);
    if (EVP_DigestSign(ctx, *sig, &n, tbs, tbs_len) != 1) {
        st = gh_jose_ossl_fail(err, "EVP_DigestSign");
        goto out;
    }
    *sig_len = n;
out:
    EVP_MD_CTX_free(ctx);
    return st;
}

/* OpenSSL produces ECDSA signatures as DER; JOSE wants R and S zero-padded to half of
 * rs_len each and concatenated (RFC 7518 3.4). */
static gh_status_t
der_to_rs(gh_arena_t *a, const unsigned char *der, size_t der_len, size_t rs_len,
          unsigned char **out, gh_err_t *err)
{
    const unsigned char *p = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    if (sig == NULL)
        return gh_jose_ossl_fail(err, "d2i_ECDSA_SIG");
    const BIGNUM *r = NULL, *s = NULL;
    ECDSA_SIG_get0(sig, &r, &s);
    int half = (int)(rs_len / 2);
    unsigned char *rs = gh_arena_alloc(a, rs_len);
    bool ok = BN_bn2binpad(r, rs, half) == half && BN_bn2binpad(s, rs + half, half) == half;
    ECDSA_SIG_free(sig);
    if (!ok)
        return gh_jose_ossl_fail(err, "BN_bn2binpad");
    *out = rs;
    return GH_OK;
}

static gh_status_t
rs_to_der(gh_arena_t *a, const unsigned char *rs, size_t rs_len, unsigned char **out,
          size_t *out_len, gh_err_t *err)
{
    int half = (int)(rs_len / 2);
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(rs, half, NULL);
    BIGNUM *s = BN_bin2bn(rs + half, half, NULL);
    if (sig == NULL || r == NULL || s == NULL) {
        ECDSA_SIG_free(sig);
        BN_free(r);
        BN_free(s);
        return gh_jose_ossl_fail(err, "ECDSA_SIG_new");
    }
    ECDSA_SIG_set0(sig, r, s);  /* takes r and s; cannot fail when both are set */
    unsigned char *der = NULL;
    int n = i2d_ECDSA_SIG(sig, &der);
    ECDSA_SIG_free(sig);
    if (n <= 0)
        return gh_jose_ossl_fail(err, "i2d_ECDSA_SIG");
    *out = gh_arena_alloc(a, (size_t)n);
    memcpy(*out, der, (size_t)n);
    *out_len = (size_t)n;
    OPENSSL_free(der);
    return GH_OK;
}

gh_status_t
gh_jose_jws_sign(gh_arena_t *a, EVP_PKEY *key, const char *kid, const char *typ,
                 const json_t *payload, char **out, gh_err_t *err)
{
    const jws_alg_t *alg = key == NULL ? NULL : alg_for_key(key);
    if (alg == NULL)
        return gh_fail(err, GH_E_INTERNAL, "signing key type not supported");
    if (!json_is_object(payload))
        return gh_fail(err, GH_E_INTERNAL, "JWS payload is not a JSON object");
    char *input = NULL;
    gh_status_t st = signing_input(a, alg, kid, typ, payload, &input, err);
    if (st != GH_OK)
        return st;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    st = digest_sign(a, alg, key, input, &sig, &sig_len, err);
    if (st == GH_OK && alg->rs_len != 0) {
        st = der_to_rs(a, sig, sig_len, alg->rs_len, &sig, err);
        sig_len = alg->rs_len;
    }
    if (st != GH_OK)
        return st;
    *out = gh_arena_printf(a, "%s.%s", input, gh_b64url_encode(a, sig, sig_len));
    return GH_OK;
}

static gh_status_t
segment_decode(gh_arena_t *a, const char *start, const char *end, unsigned char **out,
               size_t *out_len, gh_err_t *err)
{
    if (gh_b64url_decode(a, start, (size_t)(end - start), out, out_len, err) != GH_OK)
        return gh_fail(err, GH_E_INPUT, "malformed JWS: bad base64url");
    return GH_OK;
}

static gh_status_t
header_parse(const unsigned char *text, size_t len, json_t **out, gh_err_t *err)
{
    json_error_t jerr;
    json_t *header = json_loadb((const char *)text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(header)) {
        json_decref(header);
        return gh_fail(err, GH_E_INPUT, "malformed JWS: header is not a JSON object");
    }
    *out = header;
    return GH_OK;
}

/* On GH_OK, c->header is a new reference the caller releases. */
static gh_status_t
compact_parse(gh_arena_t *a, const char *jws, compact_t *c, gh_err_t *err)
{
    size_t len = strnlen(jws, GH_JOSE_JWS_MAX + 1);
    if (len > GH_JOSE_JWS_MAX)
        return gh_fail(err, GH_E_INPUT, "JWS too long");
    const char *end = jws + len;
    const char *dot1 = memchr(jws, '.', len);
    const char *dot2 = dot1 == NULL ? NULL : memchr(dot1 + 1, '.', (size_t)(end - dot1 - 1));
    if (dot2 == NULL || memchr(dot2 + 1, '.', (size_t)(end - dot2 - 1)) != NULL)
        return gh_fail(err, GH_E_INPUT, "malformed JWS: not three parts");
    unsigned char *text = NULL;
    size_t text_len = 0;
    gh_status_t st = segment_decode(a, jws, dot1, &text, &text_len, err);
    if (st == GH_OK)
        st = segment_decode(a, dot1 + 1, dot2, &c->payload, &c->payload_len, err);
    if (st == GH_OK)
        st = segment_decode(a, dot2 + 1, end, &c->sig, &c->sig_len, err);
    if (st == GH_OK)
        st = header_parse(text, text_len, &c->header, err);
    c->input_len = (size_t)(dot2 - jws);
    return st;
}

gh_status_t
gh_jose_jws_header(gh_arena_t *a, const char *jws, json_t **header, gh_err_t *err)
{
    compact_t c = {0};
    gh_status_t st = compact_parse(a, jws, &c, err);
    if (st != GH_OK)
        return st;
    *header = c.header;
    return GH_OK;
}

static gh_status_t
header_check(const json_t *header, const jws_alg_t *alg, gh_err_t *err)
{
    const char *name = json_string_value(json_object_get(header, "alg"));
    if (name == NULL)
        return gh_fail(err, GH_E_INPUT, "JWS header has no alg");
    if (strcmp(name, alg->alg) != 0)
        return gh_fail(err, GH_E_INPUT, "JWS alg is not the key's algorithm");
    /* RFC 7515 4.1.11: a recipient must refuse extensions it does not understand. */
    if (json_object_get(header, "crit") != NULL)
        return gh_fail(err, GH_E_INPUT, "JWS header has crit extensions");
    return GH_OK;
}

static gh_status_t
signature_check(gh_arena_t *a, const jws_alg_t *alg, EVP_PKEY *key, const char *input,
                const compact_t *c, gh_err_t *err)
{
    unsigned char *sig = c->sig;
    size_t sig_len = c->sig_len;
    if (alg->rs_len != 0) {
        if (sig_len != alg->rs_len)
            return gh_fail(err, GH_E_INPUT, "JWS signature has the wrong length");
        gh_status_t st = rs_to_der(a, c->sig, c->sig_len, &sig, &sig_len, err);
        if (st != GH_OK)
            return st;
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL || EVP_DigestVerifyInit_ex(ctx, NULL, alg->md, NULL, NULL, key, NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        return gh_jose_ossl_fail(err, "EVP_DigestVerifyInit");
    }
    int rc = EVP_DigestVerify(ctx, sig, sig_len, (const unsigned char *)input, c->input_len);
    EVP_MD_CTX_free(ctx);
    gh_jose_ossl_clear();
    if (rc != 1)
        return gh_fail(err, GH_E_INPUT, "JWS signature does not verify");
    return GH_OK;
}

gh_status_t
gh_jose_jws_verify(gh_arena_t *a, const char *jws, EVP_PKEY *key, json_t **header,
                   unsigned char **payload, size_t *payload_len, gh_err_t *err)
{
    const jws_alg_t *alg = key == NULL ? NULL : alg_for_key(key);
    if (alg == NULL)
        return gh_fail(err, GH_E_INPUT, "verification key type not supported");
    compact_t c = {0};
    gh_status_t st = compact_parse(a, jws, &c, err);
    if (st == GH_OK)
        st = header_check(c.header, alg, err);
    if (st == GH_OK)
        st = signature_check(a, alg, key, jws, &c, err);
    if (st != GH_OK) {
        json_decref(c.header);
        return st;
    }
    *payload = c.payload;
    *payload_len = c.payload_len;
    if (header != NULL)
        *header = c.header;
    else
        json_decref(c.header);
    return GH_OK;
}
