/*
 * tests/unit/oauth/test_pkce.c: oauth/pkce.h (REQUIREMENTS R22-R25; DESIGN invariant 2).
 *
 * The success case is RFC 7636 Appendix B's example; everything else is a refusal: at
 * /authorize a plain or missing method and malformed challenges, at /token a missing,
 * short, long, wrongly spelled or wrong verifier, and a verifier without a challenge.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "oauth/pkce.h"

/* RFC 7636 Appendix B. */
static const char verifier[] = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
static const char challenge[] = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

static void
refused(gh_status_t st, const gh_err_t *err, const char *code)
{
    assert_int_equal(st, GH_E_INPUT);
    assert_string_equal(err->oauth_error, code);
}

static void
r25_accepts_the_rfc7636_appendix_b_verifier(void **state)
{
    (void)state;
    gh_err_t err = { 0 };
    assert_int_equal(gh_oauth_pkce_verify(verifier, challenge, &err), GH_OK);
}

static void
r22_accepts_an_s256_challenge_at_authorize(void **state)
{
    (void)state;
    gh_err_t err = { 0 };
    assert_int_equal(gh_oauth_pkce_check_challenge("S256", challenge, &err), GH_OK);
}

static void
r22_refuses_the_plain_method(void **state)
{
    (void)state;
    gh_err_t err = { 0 };
    refused(gh_oauth_pkce_check_challenge("plain", challenge, &err), &err, "invalid_request");
}

static void
r22_refuses_a_challenge_without_a_method(void **state)
{
    (void)state;
    gh_err_t err = { 0 };
    refused(gh_oauth_pkce_check_challenge(NULL, challenge, &err), &err, "invalid_request");
}

static void
r22_refuses_a_method_without_a_challenge(void **state)
{
    (void)state;
    gh_err_t err = { 0 };
    refused(gh_oauth_pkce_check_challenge("S256", NULL, &err), &err, "invalid_request");
}

static void
r23_refuses_malformed_challenges(void **state)
{
    (void)state;
    const char *bad[] = {
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c",    /* 42 characters */
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cMx",  /* 44 */
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM",   /* base64, not base64url */
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c=",   /* padding */
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gh_err_t err = { 0 };
        refused(gh_oauth_pkce_check_challenge("S256", bad[i], &err), &err, "invalid_request");
    }
}

static void
r25_refuses_a_missing_verifier(void **state)
{
    (void)state;
    gh_err_t err = { 0 };
    refused(gh_oauth_pkce_verify(NULL, challenge, &err), &err, "invalid_grant");
}

static void
r25_refuses_a_wrong_verifier(void **state)
{
    (void)state;
    gh_err_t err = { 0 };
    refused(gh_oauth_pkce_verify("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj", challenge, &err),
            &err, "invalid_grant");
}

static void
r23_refuses_a_42_character_verifier(void **state)
{
    (void)state;
    gh_err_t err = { 0 };
    char v[43];
    memcpy(v, verifier, 42);
    v[42] = '\0';
    refused(gh_oauth_pkce_verify(v, challenge, &err), &err, "invalid_grant");
}

static void
r23_refuses_a_129_character_verifier(void **state)
{
    (void)state;
    gh_err_t err = { 0 };
    char v[130];
    memset(v, 'a', 129);
    v[129] = '\0';
    refused(gh_oauth_pkce_verify(v, challenge, &err), &err, "invalid_grant");
}

static void
r23_refuses_a_verifier_with_a_plus_or_other_reserved_characters(void **state)
{
    (void)state;
    const char *bad[] = {
        "dBjftJeZ4CVP+mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        "dBjftJeZ4CVP mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        "dBjftJeZ4CVP/mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        "dBjftJeZ4CVP%mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        "dBjftJeZ4CVP\xc3\xa9mB92K27uhbUJU1p1r_wW1gFWFOEjX",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gh_err_t err = { 0 };
        refused(gh_oauth_pkce_verify(bad[i], challenge, &err), &err, "invalid_grant");
    }
}

static void
r24_refuses_a_verifier_when_the_request_had_no_challenge(void **state)
{
    (void)state;
    gh_err_t err = { 0 };
    refused(gh_oauth_pkce_verify(verifier, NULL, &err), &err, "invalid_grant");
}

static void
r25_the_challenge_itself_is_not_a_verifier(void **state)
{
    (void)state;
    gh_err_t err = { 0 };
    refused(gh_oauth_pkce_verify(challenge, challenge, &err), &err, "invalid_grant");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(r25_accepts_the_rfc7636_appendix_b_verifier),
        cmocka_unit_test(r22_accepts_an_s256_challenge_at_authorize),
        cmocka_unit_test(r22_refuses_the_plain_method),
        cmocka_unit_test(r22_refuses_a_challenge_without_a_method),
        cmocka_unit_test(r22_refuses_a_method_without_a_challenge),
        cmocka_unit_test(r23_refuses_malformed_challenges),
        cmocka_unit_test(r25_refuses_a_missing_verifier),
        cmocka_unit_test(r25_refuses_a_wrong_verifier),
        cmocka_unit_test(r23_refuses_a_42_character_verifier),
        cmocka_unit_test(r23_refuses_a_129_character_verifier),
        cmocka_unit_test(r23_refuses_a_verifier_with_a_plus_or_other_reserved_characters),
        cmocka_unit_test(r24_refuses_a_verifier_when_the_request_had_no_challenge),
        cmocka_unit_test(r25_the_challenge_itself_is_not_a_verifier),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
