/*
 * oauth/keys.c: key generation and rotation, the per-process signing key cache, and the
 * published JWKS.
 *
 * Private keys leave this file only encrypted (jose/kek.c) and are decrypted lazily: a
 * worker that never signs with an alg never decrypts its key, and the JWKS and
 * discovery need no key-encryption key at all. When the database and the cache
 * disagree, the database wins at the next refresh (GH_OAUTH_KEYS_REFRESH seconds, or the
 * second a scheduled key activates).
 */
#include "oauth/keys.h"

#include <openssl/crypto.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "jose/jwk.h"
#include "jose/jws.h"
#include "jose/kek.h"
#include "jose/ossl.h"

typedef struct {
    const char *alg;
    const char *type;       /* OpenSSL key type to generate */
    size_t      rsa_bits;   /* RSA: modulus size (RFC 7518 3.3: 2048 or more) */
    const char *curve;      /* EC: named curve */
} key_alg_t;

static const key_alg_t algs[] = {
    { .alg = "RS256", .type = "RSA", .rsa_bits = 2048 },
    { .alg = "ES256", .type = "EC", .curve = "P-256" },
    { .alg = "EdDSA", .type = "ED25519" },
};

#define NALGS (sizeof algs / sizeof algs[0])

/* The signing key of one alg, as last read from the database. */
typedef struct {
    char          *kid;      /* NULL: the alg has no active key */
    unsigned char *enc;      /* the row's private_enc */
    size_t         enc_len;
    EVP_PKEY      *pkey;     /* decrypted from enc on first use */
} signer_t;

struct gh_keycache {
    time_t   refresh_at;     /* CLOCK_MONOTONIC seconds; 0: read the database first */
    signer_t signers[NALGS]; /* by index in algs[] */
};

static int
alg_index(const char *alg)
{
    for (size_t i = 0; alg != NULL && i < NALGS; i++)
        if (strcmp(algs[i].alg, alg) == 0)
            return (int)i;
    return -1;
}

bool
gh_oauth_keys_alg_is_supported(const char *alg)
{
    return alg_index(alg) >= 0;
}

static time_t
monotonic_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

/* How long a retired key stays published: every token it signed must expire first,
 * including those a worker signed before its cache saw a key activated by hand. */
static long
retire_ttl(const gh_app_t *app)
{
    return gh_config_max_signed_ttl(app->cfg) + GH_OAUTH_KEYS_REFRESH;
}

gh_status_t
gh_oauth_keys_kek_ensure(gh_app_t *app, gh_err_t *err)
{
    if (app->has_kek)
        return GH_OK;
    gh_status_t st = gh_jose_kek_load(app->cfg->key_file, app->kek, err);
    if (st == GH_OK)
        app->has_kek = 1;
    return st;
}

/* ------------------------------------------------------------------------ the cache */

static void
signer_clear(signer_t *s)
{
    EVP_PKEY_free(s->pkey);
    free(s->kid);
    free(s->enc);
    *s = (signer_t){ 0 };
}

void
gh_oauth_keys_cache_free(struct gh_keycache *cache)
{
    if (cache == NULL)
        return;
    for (size_t i = 0; i < NALGS; i++)
        signer_clear(&cache->signers[i]);
    free(cache);
}

/* Keeps s (and its decrypted key) when row is the same key; row NULL clears it. */
static gh_status_t
signer_set(signer_t *s, const gh_store_key_signing_t *row, gh_err_t *err)
{
    if (row != NULL && s->kid != NULL && strcmp(s->kid, row->kid) == 0)
        return GH_OK;
    signer_clear(s);
    if (row == NULL)
        return GH_OK;
    s->kid = strdup(row->kid);
    s->enc = malloc(row->private_enc_len);
    if (s->kid == NULL || s->enc == NULL) {
        signer_clear(s);
        return gh_fail(err, GH_E_INTERNAL, "out of memory");
    }
    memcpy(s->enc, row->private_enc, row->private_enc_len);
    s->enc_len = row->private_enc_len;
    return GH_OK;
}

static const gh_store_key_signing_t *
row_for_alg(const gh_store_key_signing_t *rows, size_t n, const char *alg)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].alg, alg) == 0)
            return &rows[i];
    return NULL;
}

/* Rereads the signing keys when the cache is due: every GH_OAUTH_KEYS_REFRESH seconds,
 * and at the second a successor activates if it was already scheduled at the last read
 * (the usual rotation), so workers switch keys on time. A successor scheduled or
 * activated since is seen within GH_OAUTH_KEYS_REFRESH seconds: retire_ttl allows it. */
static gh_status_t
cache_refresh(gh_app_t *app, gh_err_t *err)
{
    if (app->keys == NULL && (app->keys = calloc(1, sizeof *app->keys)) == NULL)
        return gh_fail(err, GH_E_INTERNAL, "out of memory");
    time_t now = monotonic_seconds();
    if (app->keys->refresh_at != 0 && now < app->keys->refresh_at)
        return GH_OK;
    gh_store_key_signing_t *rows = NULL;
    size_t n = 0;
    gh_status_t st = gh_store_key_signing(app->db, app->arena, &rows, &n, err);
    long next = GH_OAUTH_KEYS_REFRESH;
    for (size_t i = 0; st == GH_OK && i < NALGS; i++) {
        const gh_store_key_signing_t *row = row_for_alg(rows, n, algs[i].alg);
        st = signer_set(&app->keys->signers[i], row, err);
        if (row != NULL && row->seconds_left >= 0 && row->seconds_left < next)
            next = row->seconds_left;
    }
    if (st != GH_OK)
        return st;
    app->keys->refresh_at = now + (next > 0 ? next : 1);
    return GH_OK;
}

static void
cache_invalidate(gh_app_t *app)
{
    if (app->keys != NULL)
        app->keys->refresh_at = 0;
}

/* ----------------------------------------------------- private keys at rest (PKCS#8) */

static gh_status_t
key_unseal(gh_app_t *app, signer_t *s, const char *alg, gh_err_t *err)
{
    unsigned char *der = NULL;
    size_t len = 0;
    gh_status_t st = gh_oauth_keys_kek_ensure(app, err);
    if (st == GH_OK)
        st = gh_jose_kek_decrypt(app->arena, app->kek, s->kid, s->enc, s->enc_len, &der, &len,
                                 err);
    if (st != GH_OK)
        return st;
    const unsigned char *p = der;
    PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len);
    EVP_PKEY *key = p8 != NULL && p == der + len ? EVP_PKCS82PKEY(p8) : NULL;
    PKCS8_PRIV_KEY_INFO_free(p8);
    OPENSSL_cleanse(der, len);
    if (key == NULL)
        return gh_jose_ossl_fail(err, "reading a decrypted signing key");
    const char *key_alg = gh_jose_jws_alg_for_key(key);
    if (key_alg == NULL || strcmp(key_alg, alg) != 0) {
        EVP_PKEY_free(key);
        return gh_fail(err, GH_E_INTERNAL, "key %s is not an %s key", s->kid, alg);
    }
    s->pkey = key;
    return GH_OK;
}

static gh_status_t
key_seal(gh_app_t *app, EVP_PKEY *key, gh_store_key_new_t *row, gh_err_t *err)
{
    PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(key);
    unsigned char *der = NULL;
    int len = p8 == NULL ? -1 : i2d_PKCS8_PRIV_KEY_INFO(p8, &der);
    PKCS8_PRIV_KEY_INFO_free(p8);
    if (len <= 0)
        return gh_jose_ossl_fail(err, "encoding a signing key");
    unsigned char *enc = NULL;
    gh_status_t st = gh_jose_kek_encrypt(app->arena, app->kek, row->kid, der, (size_t)len,
                                         &enc, &row->private_enc_len, err);
    OPENSSL_clear_free(der, (size_t)len);
    row->private_enc = enc;
    return st;
}

static gh_status_t
key_generate(const key_alg_t *alg, EVP_PKEY **out, gh_err_t *err)
{
    EVP_PKEY *key = NULL;
    if (alg->rsa_bits != 0)
        key = EVP_PKEY_Q_keygen(NULL, NULL, alg->type, alg->rsa_bits);
    else if (alg->curve != NULL)
        key = EVP_PKEY_Q_keygen(NULL, NULL, alg->type, alg->curve);
    else
        key = EVP_PKEY_Q_keygen(NULL, NULL, alg->type);
    if (key == NULL)
        return gh_jose_ossl_fail(err, "key generation");
    *out = key;
    return GH_OK;
}

/* Fills row's kid and public_jwk from the key's public JWK. */
static gh_status_t
row_describe(gh_arena_t *a, const EVP_PKEY *key, gh_store_key_new_t *row, gh_err_t *err)
{
    json_t *jwk = NULL;
    gh_status_t st = gh_jose_jwk_from_pkey(a, key, NULL, &jwk, err);
    if (st != GH_OK)
        return st;
    char *text = json_dumps(jwk, JSON_COMPACT);
    row->kid = gh_arena_strdup(a, json_string_value(json_object_get(jwk, "kid")));
    row->public_jwk = gh_arena_strdup(a, text);
    free(text);
    json_decref(jwk);
    if (row->public_jwk == NULL)
        return gh_fail(err, GH_E_INTERNAL, "cannot encode JWK");
    return GH_OK;
}

/* --------------------------------------------------------------------- public calls */

gh_status_t
gh_oauth_keys_rotate(gh_app_t *app, const char *alg, long delay, gh_store_key_info_t *info,
                    gh_err_t *err)
{
    int i = alg_index(alg);
    if (i < 0)
        return gh_fail(err, GH_E_INPUT, "alg must be RS256, ES256 or EdDSA");
    gh_store_key_new_t row = { .alg = algs[i].alg, .delay = delay };
    EVP_PKEY *key = NULL;
    gh_status_t st = gh_oauth_keys_kek_ensure(app, err);
    if (st == GH_OK)
        st = key_generate(&algs[i], &key, err);
    if (st == GH_OK)
        st = row_describe(app->arena, key, &row, err);
    if (st == GH_OK)
        st = key_seal(app, key, &row, err);
    EVP_PKEY_free(key);
    if (st == GH_OK)
        st = gh_store_key_insert(app->db, app->arena, &row, retire_ttl(app), info, err);
    cache_invalidate(app);
    return st;
}

gh_status_t
gh_oauth_keys_activate(gh_app_t *app, const char *kid, gh_store_key_info_t *info,
                      gh_err_t *err)
{
    gh_status_t st = gh_store_key_activate(app->db, app->arena, kid, retire_ttl(app), info,
                                           err);
    cache_invalidate(app);
    return st;
}

gh_status_t
gh_oauth_keys_sign(gh_app_t *app, const char *alg, const char *typ, json_t *payload,
                  char **out_jws, gh_err_t *err)
{
    int i = alg_index(alg);
    if (i < 0)
        return gh_fail(err, GH_E_INTERNAL, "signing alg not supported");
    gh_status_t st = cache_refresh(app, err);
    if (st != GH_OK)
        return st;
    signer_t *s = &app->keys->signers[i];
    if (s->kid == NULL) {
        gh_log_error("no active %s signing key: run `gatehouse keys rotate --alg %s --now`",
                     algs[i].alg, algs[i].alg);
        return gh_fail(err, GH_E_UNAVAILABLE, "no active %s signing key", algs[i].alg);
    }
    if (s->pkey == NULL) {
        st = key_unseal(app, s, algs[i].alg, err);
        if (st != GH_OK)
            return st;
    }
    return gh_jose_jws_sign(app->arena, s->pkey, s->kid, typ, payload, out_jws, err);
}

gh_status_t
gh_oauth_keys_published(gh_app_t *app, json_t **jwks_out, gh_err_t *err)
{
    json_t *stored = NULL;
    gh_status_t st = gh_store_key_published(app->db, &stored, err);
    if (st != GH_OK)
        return st;
    /* The table's CHECK already keeps private members out; copying only the public
     * members keeps them out of the response even if that check were dropped. */
    json_t *keys = json_array();
    size_t i;
    json_t *jwk;
    json_array_foreach(stored, i, jwk) {
        json_t *pub = gh_jose_jwk_public_copy(jwk);
        if (pub == NULL)
            gh_log_warn("signing_keys row %zu: JWK of unknown type left out of the JWKS", i);
        else
            json_array_append_new(keys, pub);
    }
    json_decref(stored);
    *jwks_out = json_pack("{s:o}", "keys", keys);
    if (*jwks_out == NULL)
        return gh_fail(err, GH_E_INTERNAL, "cannot build JWKS");
    return GH_OK;
}

/* The public key of the published JWK named kid; *key is freed with EVP_PKEY_free. */
static gh_status_t
published_key(gh_app_t *app, const char *kid, EVP_PKEY **key, gh_err_t *err)
{
    json_t *stored = NULL;
    gh_status_t st = gh_store_key_published(app->db, &stored, err);
    if (st != GH_OK)
        return st;
    st = gh_fail(err, GH_E_INPUT, "unknown key");
    size_t i;
    json_t *jwk;
    json_array_foreach(stored, i, jwk) {
        const char *id = json_string_value(json_object_get(jwk, "kid"));
        if (id != NULL && strcmp(id, kid) == 0) {
            st = gh_jose_jwk_to_pkey(app->arena, jwk, key, err);
            break;
        }
    }
    json_decref(stored);
    return st;
}

/* The key that must have signed jws: published, named by the header's kid, and the
 * header's typ is the one expected (a token of one kind is never taken for another). */
static gh_status_t
key_for_header(gh_app_t *app, const char *jws, const char *typ, EVP_PKEY **key, gh_err_t *err)
{
    json_t *header = NULL;
    gh_status_t st = gh_jose_jws_header(app->arena, jws, &header, err);
    if (st != GH_OK)
        return st;
    const char *kid = json_string_value(json_object_get(header, "kid"));
    const char *got = json_string_value(json_object_get(header, "typ"));
    if (kid == NULL)
        st = gh_fail(err, GH_E_INPUT, "no kid in the header");
    else if (typ != NULL && (got == NULL || strcmp(got, typ) != 0))
        st = gh_fail(err, GH_E_INPUT, "not a %s", typ);
    else
        st = published_key(app, kid, key, err);
    json_decref(header);
    return st;
}

gh_status_t
gh_oauth_keys_verify(gh_app_t *app, const char *jws, const char *typ, json_t **claims,
                     gh_err_t *err)
{
    EVP_PKEY *key = NULL;
    gh_status_t st = key_for_header(app, jws, typ, &key, err);
    if (st != GH_OK)
        return st;
    unsigned char *payload = NULL;
    size_t len = 0;
    st = gh_jose_jws_verify(app->arena, jws, key, NULL, &payload, &len, err);
    EVP_PKEY_free(key);
    if (st != GH_OK)
        return st;
    json_t *j = json_loadb((const char *)payload, len, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(j)) {
        json_decref(j);
        return gh_fail(err, GH_E_INPUT, "the payload is not a JSON object");
    }
    *claims = j;
    return GH_OK;
}

gh_status_t
gh_oauth_keys_active_algs(gh_app_t *app, json_t **array_out, gh_err_t *err)
{
    gh_status_t st = cache_refresh(app, err);
    if (st != GH_OK)
        return st;
    json_t *array = json_array();
    for (size_t i = 0; i < NALGS; i++)
        if (app->keys->signers[i].kid != NULL)
            json_array_append_new(array, json_string(algs[i].alg));
    *array_out = array;
    return GH_OK;
}
