/*
 * tests/unit/jose/test_jws.c: jose/jws.h.
 *
 * Round trips for RS256, ES256 and EdDSA, and RFC 8037 A.4's Ed25519 example; then
 * what a verifier must refuse: alg "none", HS256 keyed with the RSA public key, an alg
 * that is not the key's, DER or mis-sized ES256 signatures, tampering, malformed
 * base64url, headers that are not objects or repeat a member, crit, weak keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <openssl/pem.h>
#include <string.h>

#include "base/b64url.h"
#include "jose/jwk.h"
#include "jose/jws.h"

typedef struct {
    gh_arena_t *a;
    EVP_PKEY   *rsa, *rsa_other, *rsa_1024, *ec, *ec_p384, *ed;
    json_t     *claims;
} fixture_t;

static int
group_setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    f->a = gh_arena_new();
    f->rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    f->rsa_other = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    f->rsa_1024 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
    f->ec = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    f->ec_p384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    f->ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    f->claims = json_pack("{s:s, s:i}", "sub", "alice", "iat", 1700000000);
    *state = f;
    return f->rsa && f->rsa_other && f->rsa_1024 && f->ec && f->ec_p384 && f->ed ? 0 : -1;
}

static int
group_teardown(void **state)
{
    fixture_t *f = *state;
    EVP_PKEY *keys[] = { f->rsa, f->rsa_other, f->rsa_1024, f->ec, f->ec_p384, f->ed };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        EVP_PKEY_free(keys[i]);
    json_decref(f->claims);
    gh_arena_free(f->a);
    free(f);
    return 0;
}

static char *
sign_ok(fixture_t *f, EVP_PKEY *key)
{
    char *jws = NULL;
    gh_err_t err = { 0 };
    assert_int_equal(gh_jose_jws_sign(f->a, key, "kid-1", "JWT", f->claims, &jws, &err), GH_OK);
    return jws;
}

static void
assert_round_trip(fixture_t *f, EVP_PKEY *key, const char *alg)
{
    char *jws = sign_ok(f, key);
    json_t *header = NULL;
    unsigned char *payload = NULL;
    size_t len = 0;
    gh_err_t err = { 0 };
    assert_int_equal(gh_jose_jws_verify(f->a, jws, key, &header, &payload, &len, &err), GH_OK);
    assert_string_equal(json_string_value(json_object_get(header, "alg")), alg);
    json_t *claims = json_loadb((const char *)payload, len, 0, NULL);
    assert_true(json_equal(claims, f->claims));
    json_decref(claims);
    json_decref(header);
}

/* A compact JWS from a header text, a payload text and raw signature bytes. */
static char *
compact(gh_arena_t *a, const char *header, const char *payload, const unsigned char *sig,
        size_t sig_len)
{
    return gh_arena_printf(a, "%s.%s.%s",
                           gh_b64url_encode(a, (const unsigned char *)header, strlen(header)),
                           gh_b64url_encode(a, (const unsigned char *)payload, strlen(payload)),
                           gh_b64url_encode(a, sig, sig_len));
}

static void
assert_refused(fixture_t *f, const char *jws, EVP_PKEY *key)
{
    unsigned char *payload = NULL;
    size_t len = 0;
    gh_err_t err = { 0 };
    assert_int_equal(gh_jose_jws_verify(f->a, jws, key, NULL, &payload, &len, &err),
                     GH_E_INPUT);
    assert_null(payload);
}

/* The three parts of a JWS we made, with the signature decoded. */
static void
split(fixture_t *f, const char *jws, char **input, unsigned char **sig, size_t *sig_len)
{
    const char *dot = strrchr(jws, '.');
    *input = gh_arena_strndup(f->a, jws, (size_t)(dot - jws));
    gh_err_t err = { 0 };
    assert_int_equal(gh_b64url_decode(f->a, dot + 1, strlen(dot + 1), sig, sig_len, &err),
                     GH_OK);
}

/* header.payload signed with OpenSSL directly, bypassing gh_jose_jws_sign: the
 * signature is good, in OpenSSL's native form (DER for ECDSA), whatever the header. */
static char *
raw_sign(fixture_t *f, EVP_PKEY *key, const char *md, const char *header, const char *payload)
{
    char *input = gh_arena_printf(f->a, "%s.%s",
        gh_b64url_encode(f->a, (const unsigned char *)header, strlen(header)),
        gh_b64url_encode(f->a, (const unsigned char *)payload, strlen(payload)));
    unsigned char sig[512];
    size_t sig_len = sizeof sig;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    assert_int_equal(EVP_DigestSignInit_ex(ctx, NULL, md, NULL, NULL, key, NULL), 1);
    assert_int_equal(EVP_DigestSign(ctx, sig, &sig_len, (const unsigned char *)input,
                                    strlen(input)), 1);
    EVP_MD_CTX_free(ctx);
    return gh_arena_printf(f->a, "%s.%s", input, gh_b64url_encode(f->a, sig, sig_len));
}

static void
jws_round_trips_rs256(void **state)
{
    assert_round_trip(*state, ((fixture_t *)*state)->rsa, "RS256");
}

static void
jws_round_trips_es256_with_a_64_byte_signature(void **state)
{
    fixture_t *f = *state;
    assert_round_trip(f, f->ec, "ES256");
    char *input = NULL;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    split(f, sign_ok(f, f->ec), &input, &sig, &sig_len);
    assert_int_equal(sig_len, 64);
}

static void
jws_round_trips_eddsa(void **state)
{
    assert_round_trip(*state, ((fixture_t *)*state)->ed, "EdDSA");
}

static void
jws_header_carries_alg_kid_and_typ(void **state)
{
    fixture_t *f = *state;
    json_t *header = NULL;
    gh_err_t err = { 0 };
    assert_int_equal(gh_jose_jws_header(f->a, sign_ok(f, f->ed), &header, &err), GH_OK);
    json_t *want = json_pack("{s:s, s:s, s:s}", "alg", "EdDSA", "kid", "kid-1", "typ", "JWT");
    assert_true(json_equal(header, want));
    json_decref(want);
    json_decref(header);
}

static void
jws_verifies_rfc8037_ed25519_example(void **state)
{
    fixture_t *f = *state;
    /* RFC 8037 A.2 (public key) and A.4 (the JWS). */
    json_t *jwk = json_pack("{s:s, s:s, s:s}", "kty", "OKP", "crv", "Ed25519",
                            "x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
    const char *jws = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
        "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
    EVP_PKEY *key = NULL;
    gh_err_t err = { 0 };
    assert_int_equal(gh_jose_jwk_to_pkey(f->a, jwk, &key, &err), GH_OK);
    unsigned char *payload = NULL;
    size_t len = 0;
    assert_int_equal(gh_jose_jws_verify(f->a, jws, key, NULL, &payload, &len, &err), GH_OK);
    assert_int_equal(len, strlen("Example of Ed25519 signing"));
    assert_memory_equal(payload, "Example of Ed25519 signing", len);
    /* One changed bit in the signature (the last character's). */
    char *bad = gh_arena_strdup(f->a, jws);
    bad[strlen(bad) - 2] = 'L';
    assert_refused(f, bad, key);
    EVP_PKEY_free(key);
    json_decref(jwk);
}

static void
jws_refuses_alg_none(void **state)
{
    fixture_t *f = *state;
    EVP_PKEY *keys[] = { f->rsa, f->ec, f->ed };
    for (size_t i = 0; i < 3; i++) {
        assert_refused(f, compact(f->a, "{\"alg\":\"none\"}", "{\"sub\":\"x\"}", NULL, 0),
                       keys[i]);
        assert_refused(f, compact(f->a, "{\"alg\":\"none\"}", "{\"sub\":\"x\"}",
                                  (const unsigned char *)"x", 1), keys[i]);
    }
}

/* The classic confusion: the attacker MACs with the public key as the HMAC secret. */
static void
jws_refuses_hs256_with_rsa_public_key(void **state)
{
    fixture_t *f = *state;
    BIO *bio = BIO_new(BIO_s_mem());
    assert_int_equal(PEM_write_bio_PUBKEY(bio, f->rsa), 1);
    char *pem = NULL;
    long pem_len = BIO_get_mem_data(bio, &pem);
    const char *header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    char *jws = compact(f->a, header, "{\"sub\":\"admin\"}", NULL, 0);
    size_t input_len = strlen(jws) - 1;  /* without the trailing "." */
    unsigned char mac[32];
    size_t mac_len = 0;
    assert_non_null(EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, pem, (size_t)pem_len,
                              (const unsigned char *)jws, input_len, mac, sizeof mac, &mac_len));
    char *forged = gh_arena_printf(f->a, "%s%s", jws, gh_b64url_encode(f->a, mac, mac_len));
    assert_refused(f, forged, f->rsa);
    BIO_free(bio);
}

static void
jws_refuses_an_alg_that_is_not_the_keys(void **state)
{
    fixture_t *f = *state;
    assert_refused(f, sign_ok(f, f->rsa), f->ec);   /* RS256 token, EC key */
    assert_refused(f, sign_ok(f, f->ec), f->ed);    /* ES256 token, Ed25519 key */
    assert_refused(f, sign_ok(f, f->ed), f->rsa);   /* EdDSA token, RSA key */
}

static void
jws_refuses_es256_signature_of_wrong_length(void **state)
{
    fixture_t *f = *state;
    char *input = NULL;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    split(f, sign_ok(f, f->ec), &input, &sig, &sig_len);
    unsigned char longer[65] = { 0 };
    memcpy(longer, sig, 64);
    const size_t lens[] = { 0, 32, 63 };
    for (size_t i = 0; i < 3; i++)
        assert_refused(f, gh_arena_printf(f->a, "%s.%s", input,
                                          gh_b64url_encode(f->a, sig, lens[i])), f->ec);
    assert_refused(f, gh_arena_printf(f->a, "%s.%s", input,
                                      gh_b64url_encode(f->a, longer, 65)), f->ec);
}

/* What OpenSSL produces natively is not what JOSE carries (RFC 7518 3.4). */
static void
jws_refuses_es256_signature_in_der(void **state)
{
    fixture_t *f = *state;
    assert_refused(f, raw_sign(f, f->ec, "SHA256", "{\"alg\":\"ES256\"}", "{}"), f->ec);
}

/* A good signature by the right key under a header naming another algorithm: only the
 * header check stands in the way. */
static void
jws_refuses_a_good_signature_under_another_alg(void **state)
{
    fixture_t *f = *state;
    assert_refused(f, raw_sign(f, f->ed, NULL, "{\"alg\":\"none\"}", "{}"), f->ed);
    assert_refused(f, raw_sign(f, f->ed, NULL, "{\"alg\":\"Ed25519\"}", "{}"), f->ed);
    assert_refused(f, raw_sign(f, f->rsa, "SHA256", "{\"alg\":\"PS256\"}", "{}"), f->rsa);
    assert_refused(f, raw_sign(f, f->rsa, "SHA256", "{\"alg\":\"rs256\"}", "{}"), f->rsa);
}

static void
jws_refuses_tampered_payload_and_signature(void **state)
{
    fixture_t *f = *state;
    EVP_PKEY *keys[] = { f->rsa, f->ec, f->ed };
    for (size_t i = 0; i < 3; i++) {
        char *input = NULL;
        unsigned char *sig = NULL;
        size_t sig_len = 0;
        split(f, sign_ok(f, keys[i]), &input, &sig, &sig_len);
        char *payload = strchr(input, '.') + 1;
        payload[0] = payload[0] == 'e' ? 'f' : 'e';
        assert_refused(f, gh_arena_printf(f->a, "%s.%s", input,
                                          gh_b64url_encode(f->a, sig, sig_len)), keys[i]);
        payload[0] = payload[0] == 'e' ? 'f' : 'e';
        sig[sig_len / 2] ^= 0x01;
        assert_refused(f, gh_arena_printf(f->a, "%s.%s", input,
                                          gh_b64url_encode(f->a, sig, sig_len)), keys[i]);
    }
}

static void
jws_refuses_a_signature_by_another_key(void **state)
{
    fixture_t *f = *state;
    assert_refused(f, sign_ok(f, f->rsa_other), f->rsa);
}

static void
jws_refuses_malformed_base64url(void **state)
{
    fixture_t *f = *state;
    char *jws = sign_ok(f, f->ed);
    assert_refused(f, gh_arena_printf(f->a, "%s=", jws), f->ed);       /* padding */
    char *plus = gh_arena_strdup(f->a, jws);
    plus[3] = '+';                                                     /* base64, not url */
    assert_refused(f, plus, f->ed);
    assert_refused(f, gh_arena_printf(f->a, " %s", jws), f->ed);       /* whitespace */
    char *bits = gh_arena_strdup(f->a, jws);                           /* stray bits */
    bits[strlen(bits) - 1] = bits[strlen(bits) - 1] == 'g' ? 'h' : 'B';
    assert_refused(f, bits, f->ed);
}

static void
jws_refuses_anything_but_three_parts(void **state)
{
    fixture_t *f = *state;
    char *jws = sign_ok(f, f->ed);
    const char *bad[] = {
        "", ".", "..", "...",
        gh_arena_strndup(f->a, jws, (size_t)(strrchr(jws, '.') - jws)),
        gh_arena_printf(f->a, "%s.", jws),
        gh_arena_printf(f->a, "%s.e30", jws),
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_refused(f, bad[i], f->ed);
}

static void
jws_refuses_header_that_is_not_an_object(void **state)
{
    fixture_t *f = *state;
    const char *headers[] = { "[\"EdDSA\"]", "\"EdDSA\"", "null", "{\"alg\":\"EdDSA\"", "" };
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
        char *jws = compact(f->a, headers[i], "{}", (const unsigned char *)"sig", 3);
        json_t *header = NULL;
        gh_err_t err = { 0 };
        assert_int_equal(gh_jose_jws_header(f->a, jws, &header, &err), GH_E_INPUT);
        assert_refused(f, jws, f->ed);
    }
}

static void
jws_refuses_duplicate_header_members(void **state)
{
    fixture_t *f = *state;
    char *jws = compact(f->a, "{\"alg\":\"EdDSA\",\"alg\":\"none\"}", "{}", NULL, 0);
    json_t *header = NULL;
    gh_err_t err = { 0 };
    assert_int_equal(gh_jose_jws_header(f->a, jws, &header, &err), GH_E_INPUT);
}

static void
jws_refuses_header_without_a_string_alg(void **state)
{
    fixture_t *f = *state;
    const char *headers[] = { "{}", "{\"alg\":null}", "{\"alg\":[\"EdDSA\"]}",
                              "{\"alg\":\"eddsa\"}" };
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++)
        assert_refused(f, compact(f->a, headers[i], "{}", NULL, 0), f->ed);
}

/* RFC 7515 4.1.11: no extension is understood, so any crit is refused, even when the
 * signature is good. */
static void
jws_refuses_crit_header(void **state)
{
    fixture_t *f = *state;
    const char *header = "{\"alg\":\"EdDSA\",\"crit\":[\"b64\"],\"b64\":false}";
    assert_refused(f, raw_sign(f, f->ed, NULL, header, "{}"), f->ed);
}

static void
jws_refuses_rsa_key_under_2048_bits(void **state)
{
    fixture_t *f = *state;
    assert_null(gh_jose_jws_alg_for_key(f->rsa_1024));
    char *jws = NULL;
    gh_err_t err = { 0 };
    assert_int_equal(gh_jose_jws_sign(f->a, f->rsa_1024, NULL, NULL, f->claims, &jws, &err),
                     GH_E_INTERNAL);
    assert_refused(f, sign_ok(f, f->rsa), f->rsa_1024);
}

static void
jws_refuses_ec_key_on_another_curve(void **state)
{
    fixture_t *f = *state;
    assert_null(gh_jose_jws_alg_for_key(f->ec_p384));
    assert_refused(f, sign_ok(f, f->ec), f->ec_p384);
}

static void
jws_refuses_a_token_over_the_size_limit(void **state)
{
    fixture_t *f = *state;
    char *big = gh_arena_alloc(f->a, GH_JOSE_JWS_MAX + 2);
    memset(big, 'A', GH_JOSE_JWS_MAX + 1);
    big[10] = '.';
    big[20] = '.';
    assert_refused(f, big, f->ed);
}

static void
jws_refuses_to_sign_a_payload_that_is_not_an_object(void **state)
{
    fixture_t *f = *state;
    json_t *array = json_array();
    char *jws = NULL;
    gh_err_t err = { 0 };
    assert_int_equal(gh_jose_jws_sign(f->a, f->ed, NULL, NULL, array, &jws, &err),
                     GH_E_INTERNAL);
    assert_null(jws);
    json_decref(array);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jws_round_trips_rs256),
        cmocka_unit_test(jws_round_trips_es256_with_a_64_byte_signature),
        cmocka_unit_test(jws_round_trips_eddsa),
        cmocka_unit_test(jws_header_carries_alg_kid_and_typ),
        cmocka_unit_test(jws_verifies_rfc8037_ed25519_example),
        cmocka_unit_test(jws_refuses_alg_none),
        cmocka_unit_test(jws_refuses_hs256_with_rsa_public_key),
        cmocka_unit_test(jws_refuses_an_alg_that_is_not_the_keys),
        cmocka_unit_test(jws_refuses_es256_signature_of_wrong_length),
        cmocka_unit_test(jws_refuses_es256_signature_in_der),
        cmocka_unit_test(jws_refuses_a_good_signature_under_another_alg),
        cmocka_unit_test(jws_refuses_tampered_payload_and_signature),
        cmocka_unit_test(jws_refuses_a_signature_by_another_key),
        cmocka_unit_test(jws_refuses_malformed_base64url),
        cmocka_unit_test(jws_refuses_anything_but_three_parts),
        cmocka_unit_test(jws_refuses_header_that_is_not_an_object),
        cmocka_unit_test(jws_refuses_duplicate_header_members),
        cmocka_unit_test(jws_refuses_header_without_a_string_alg),
        cmocka_unit_test(jws_refuses_crit_header),
        cmocka_unit_test(jws_refuses_rsa_key_under_2048_bits),
        cmocka_unit_test(jws_refuses_ec_key_on_another_curve),
        cmocka_unit_test(jws_refuses_a_token_over_the_size_limit),
        cmocka_unit_test(jws_refuses_to_sign_a_payload_that_is_not_an_object),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
