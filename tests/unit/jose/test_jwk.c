/*
 * tests/unit/jose/test_jwk.c: jose/jwk.h.
 *
 * Thumbprints against RFC 7638 3.1 and RFC 8037 A.3; JWKs made from keys carry only
 * public members and name the key by its thumbprint; a JWK read back verifies what the
 * key signed. Then what reading a JWK must refuse: unknown types and curves, points off
 * the curve, wrong lengths, padded base64url, short RSA moduli, an alg or use that does
 * not fit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "jose/jwk.h"
#include "jose/jws.h"

/* RFC 7638 3.1. */
#define RFC7638_N "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPF" \
    "FxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h" \
    "4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbIS" \
    "D08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8" \
    "awapJzKnqDKgw"
/* RFC 8037 A.2. */
#define RFC8037_X "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"

static const char *const private_members[] = { "d", "p", "q", "dp", "dq", "qi", "k" };

typedef struct {
    gh_arena_t *a;
    EVP_PKEY   *keys[3];   /* RSA 2048, P-256, Ed25519 */
    EVP_PKEY   *rsa_1024;
} fixture_t;

static int
group_setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    f->a = gh_arena_new();
    f->keys[0] = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    f->keys[1] = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    f->keys[2] = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    f->rsa_1024 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
    *state = f;
    return f->keys[0] && f->keys[1] && f->keys[2] && f->rsa_1024 ? 0 : -1;
}

static int
group_teardown(void **state)
{
    fixture_t *f = *state;
    for (size_t i = 0; i < 3; i++)
        EVP_PKEY_free(f->keys[i]);
    EVP_PKEY_free(f->rsa_1024);
    gh_arena_free(f->a);
    free(f);
    return 0;
}

static json_t *
jwk_of(fixture_t *f, EVP_PKEY *key)
{
    json_t *jwk = NULL;
    gh_err_t err = { 0 };
    assert_int_equal(gh_jose_jwk_from_pkey(f->a, key, NULL, &jwk, &err), GH_OK);
    return jwk;
}

static void
assert_jwk_refused(fixture_t *f, json_t *jwk)
{
    EVP_PKEY *key = NULL;
    gh_err_t err = { 0 };
    assert_int_equal(gh_jose_jwk_to_pkey(f->a, jwk, &key, &err), GH_E_INPUT);
    assert_null(key);
    json_decref(jwk);
}

static void
jwk_thumbprints_match_rfc7638_and_rfc8037_examples(void **state)
{
    fixture_t *f = *state;
    json_t *jwks[] = {
        json_pack("{s:s, s:s, s:s, s:s, s:s}", "kty", "RSA", "n", RFC7638_N, "e", "AQAB",
                  "alg", "RS256", "kid", "2011-04-29"),
        json_pack("{s:s, s:s, s:s}", "kty", "OKP", "crv", "Ed25519", "x", RFC8037_X),
    };
    const char *want[] = { "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs",
                           "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k" };
    for (size_t i = 0; i < 2; i++) {
        char *thumbprint = NULL;
        gh_err_t err = { 0 };
        assert_int_equal(gh_jose_jwk_thumbprint(f->a, jwks[i], &thumbprint, &err), GH_OK);
        assert_string_equal(thumbprint, want[i]);
        json_decref(jwks[i]);
    }
}

static void
jwk_of_a_private_key_is_public_and_named_by_its_thumbprint(void **state)
{
    fixture_t *f = *state;
    const char *algs[] = { "RS256", "ES256", "EdDSA" };
    for (size_t i = 0; i < 3; i++) {
        json_t *jwk = jwk_of(f, f->keys[i]);
        for (size_t m = 0; m < sizeof private_members / sizeof private_members[0]; m++)
            assert_null(json_object_get(jwk, private_members[m]));
        assert_string_equal(json_string_value(json_object_get(jwk, "use")), "sig");
        assert_string_equal(json_string_value(json_object_get(jwk, "alg")), algs[i]);
        char *thumbprint = NULL;
        gh_err_t err = { 0 };
        assert_int_equal(gh_jose_jwk_thumbprint(f->a, jwk, &thumbprint, &err), GH_OK);
        assert_string_equal(json_string_value(json_object_get(jwk, "kid")), thumbprint);
        json_decref(jwk);
    }
}

static void
jwk_read_back_verifies_what_the_key_signed(void **state)
{
    fixture_t *f = *state;
    json_t *claims = json_pack("{s:s}", "sub", "alice");
    for (size_t i = 0; i < 3; i++) {
        json_t *jwk = jwk_of(f, f->keys[i]);
        EVP_PKEY *pub = NULL;
        char *jws = NULL;
        unsigned char *payload = NULL;
        size_t len = 0;
        gh_err_t err = { 0 };
        assert_int_equal(gh_jose_jwk_to_pkey(f->a, jwk, &pub, &err), GH_OK);
        assert_int_equal(gh_jose_jws_sign(f->a, f->keys[i], NULL, NULL, claims, &jws, &err),
                         GH_OK);
        assert_int_equal(gh_jose_jws_verify(f->a, jws, pub, NULL, &payload, &len, &err),
                         GH_OK);
        EVP_PKEY_free(pub);
        json_decref(jwk);
    }
    json_decref(claims);
}

static void
jwk_public_copy_drops_private_and_unknown_members(void **state)
{
    (void)state;
    json_t *jwk = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kty", "OKP",
                            "crv", "Ed25519", "x", RFC8037_X, "kid", "k1", "use", "sig",
                            "d", "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A", "x5u", "http://x");
    json_t *copy = gh_jose_jwk_public_copy(jwk);
    json_t *want = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kty", "OKP", "crv", "Ed25519",
                             "x", RFC8037_X, "kid", "k1", "use", "sig");
    assert_true(json_equal(copy, want));
    json_decref(want);
    json_decref(copy);
    json_object_set_new(jwk, "kty", json_string("oct"));
    assert_null(gh_jose_jwk_public_copy(jwk));
    json_decref(jwk);
}

static void
jwk_refuses_unknown_kty_and_curves(void **state)
{
    fixture_t *f = *state;
    assert_jwk_refused(f, json_pack("{s:s, s:s}", "kty", "oct", "k", "c2VjcmV0"));
    assert_jwk_refused(f, json_pack("{s:s, s:s, s:s}", "kty", "OKP", "crv", "X25519",
                                    "x", RFC8037_X));
    assert_jwk_refused(f, json_pack("{s:s, s:s}", "kty", "OKP", "x", RFC8037_X));
    assert_jwk_refused(f, json_pack("{s:s, s:s, s:s, s:s}", "kty", "EC", "crv", "P-384",
                                    "x", RFC8037_X, "y", RFC8037_X));
    assert_jwk_refused(f, json_pack("{s:i, s:s}", "kty", 1, "x", RFC8037_X));
    assert_jwk_refused(f, json_pack("[s]", "OKP"));
}

/* Invalid-curve attacks start with a point that is not on P-256. */
static void
jwk_refuses_ec_point_not_on_the_curve(void **state)
{
    fixture_t *f = *state;
    json_t *jwk = jwk_of(f, f->keys[1]);
    const char *x = json_string_value(json_object_get(jwk, "x"));
    json_object_set_new(jwk, "y", json_string(x));
    assert_jwk_refused(f, jwk);
}

static void
jwk_refuses_coordinates_of_the_wrong_length(void **state)
{
    fixture_t *f = *state;
    json_t *jwk = jwk_of(f, f->keys[1]);
    json_object_set_new(jwk, "x", json_string("AAEC"));
    assert_jwk_refused(f, jwk);
    /* RFC 7518 6.2.1.2: exactly 32 bytes, so not even a leading zero may be added. */
    jwk = jwk_of(f, f->keys[1]);
    json_object_set_new(jwk, "x", json_string(RFC8037_X "A"));
    assert_jwk_refused(f, jwk);
    jwk = jwk_of(f, f->keys[2]);
    json_object_set_new(jwk, "x", json_string(RFC8037_X "A"));
    assert_jwk_refused(f, jwk);
    jwk = jwk_of(f, f->keys[2]);
    json_object_del(jwk, "x");
    assert_jwk_refused(f, jwk);
}

static void
jwk_refuses_padded_or_standard_base64(void **state)
{
    fixture_t *f = *state;
    json_t *jwk = jwk_of(f, f->keys[2]);
    json_object_set_new(jwk, "x", json_string(RFC8037_X "="));
    assert_jwk_refused(f, jwk);
    jwk = jwk_of(f, f->keys[0]);
    json_object_set_new(jwk, "e", json_string("AQAB+/"));
    assert_jwk_refused(f, jwk);
}

static void
jwk_refuses_rsa_modulus_under_2048_bits(void **state)
{
    fixture_t *f = *state;
    assert_jwk_refused(f, json_pack("{s:s, s:s, s:s}", "kty", "RSA", "e", "AQAB",
                                    "n", "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78L"));
    /* Exporting one is refused too: it could never verify. */
    json_t *jwk = NULL;
    gh_err_t err = { 0 };
    assert_int_equal(gh_jose_jwk_from_pkey(f->a, f->rsa_1024, NULL, &jwk, &err),
                     GH_E_INTERNAL);
}

/* A 2048-bit even modulus cannot be a product of two large primes. */
static void
jwk_refuses_rsa_key_that_fails_the_public_key_check(void **state)
{
    fixture_t *f = *state;
    json_t *jwk = jwk_of(f, f->keys[0]);
    char *n = gh_arena_strdup(f->a, json_string_value(json_object_get(jwk, "n")));
    char *last = &n[strlen(n) - 1];
    /* 256 bytes in 342 characters: the last holds the two lowest bits of n, so an odd
     * n ends in 'Q' (01) or 'w' (11); 'A' (00) and 'g' (10) make it even. */
    *last = *last == 'w' ? 'g' : 'A';
    json_object_set_new(jwk, "n", json_string(n));
    assert_jwk_refused(f, jwk);
    jwk = jwk_of(f, f->keys[0]);
    json_object_set_new(jwk, "e", json_string("AQ"));  /* e = 1 */
    assert_jwk_refused(f, jwk);
}

/* tests/fuzz/fuzz_jwk found this modulus (the seed's, mutated: odd, 2048 bits, several
 * prime factors). OpenSSL's RSA check tests it with Miller-Rabin from random bases,
 * which refused it about once in a hundred imports: the answer must not change. */
static void
jwk_gives_the_same_answer_every_time(void **state)
{
    fixture_t *f = *state;
    json_t *jwk = json_pack("{s:s, s:s, s:s}", "kty", "RSA", "e", "AQAB", "n",
        "oAVjQsuiVTyImIHCeROh0VGkeOm4uKPGRHjW9J7CQldFkD1TudQrdurBDRCq3r394p8-Q6uosxmLnLD8-A9l"
        "SyYlGHFnGF5gvr5fXUg_9XPMLO0FQU9rzZpYnTX8Zy16b9Hygw-mTqkJii-VW6gQLNK5SixFsZ10yG5Yh-9_"
        "-Y_KcJfDFCvkIcNKhw85IBzdVAC3glufsN8dOkp_vFqPysh6_lRDbYD9d05CMu7WFE5t5CgbvXheSBipkcNe"
        "D0zJx6kAHkZDoK7mvWRJZIvh_-Y_KcJfDFCvkTalgNKhw85IB54W86oFp7kRrR_QY4BW2ZDMrSTTkg7Go91b"
        "UoGOmQ");
    for (int i = 0; i < 1000; i++) {
        EVP_PKEY *key = NULL;
        gh_err_t err = { 0 };
        assert_int_equal(gh_jose_jwk_to_pkey(f->a, jwk, &key, &err), GH_OK);
        EVP_PKEY_free(key);
    }
    json_decref(jwk);
}

static void
jwk_refuses_an_alg_or_use_that_does_not_fit(void **state)
{
    fixture_t *f = *state;
    const char *bad_algs[] = { "RS256", "HS256", "none" };
    for (size_t i = 0; i < 3; i++) {
        json_t *jwk = jwk_of(f, f->keys[1]);
        json_object_set_new(jwk, "alg", json_string(bad_algs[i]));
        assert_jwk_refused(f, jwk);
    }
    json_t *jwk = jwk_of(f, f->keys[2]);
    json_object_set_new(jwk, "use", json_string("enc"));
    assert_jwk_refused(f, jwk);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jwk_thumbprints_match_rfc7638_and_rfc8037_examples),
        cmocka_unit_test(jwk_of_a_private_key_is_public_and_named_by_its_thumbprint),
        cmocka_unit_test(jwk_read_back_verifies_what_the_key_signed),
        cmocka_unit_test(jwk_public_copy_drops_private_and_unknown_members),
        cmocka_unit_test(jwk_refuses_unknown_kty_and_curves),
        cmocka_unit_test(jwk_refuses_ec_point_not_on_the_curve),
        cmocka_unit_test(jwk_refuses_coordinates_of_the_wrong_length),
        cmocka_unit_test(jwk_refuses_padded_or_standard_base64),
        cmocka_unit_test(jwk_refuses_rsa_modulus_under_2048_bits),
        cmocka_unit_test(jwk_refuses_rsa_key_that_fails_the_public_key_check),
        cmocka_unit_test(jwk_refuses_an_alg_or_use_that_does_not_fit),
        cmocka_unit_test(jwk_gives_the_same_answer_every_time),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
