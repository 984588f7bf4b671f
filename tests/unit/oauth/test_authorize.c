/*
 * tests/unit/oauth/test_authorize.c: the authorization endpoint's rules without a
 * database: gh_oauth_authorize_validate and gh_oauth_authorize_next
 * (REQUIREMENTS R10, R13, R21-R23, R27, R68-R70, R72, R73).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "oauth/authorize.h"

static const char challenge[] = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

typedef struct {
    gh_arena_t           *a;
    gh_client_t           client;
    gh_authorize_params_t p;
    gh_authreq_t          r;
    gh_err_t              err;
} fixture_t;

static int
setup(void **state)
{
    static fixture_t f;
    memset(&f, 0, sizeof f);
    f.a = gh_arena_new();
    f.client.client_id = "client-1234";
    f.client.client_type = "confidential";
    f.client.require_pkce = true;
    gh_strlist_add(f.a, &f.client.redirect_uris, "https://rp.example/cb");
    gh_strlist_add(f.a, &f.client.grant_types, "authorization_code");
    gh_strlist_add(f.a, &f.client.scopes, "openid");
    gh_strlist_add(f.a, &f.client.scopes, "profile");
    f.p.client_id = "client-1234";
    f.p.redirect_uri = "https://rp.example/cb";
    f.p.response_type = "code";
    f.p.scope = "openid profile";
    f.p.state = "xyz";
    f.p.code_challenge = challenge;
    f.p.code_challenge_method = "S256";
    *state = &f;
    return 0;
}

static int
teardown(void **state)
{
    gh_arena_free(((fixture_t *)*state)->a);
    return 0;
}

static gh_status_t
validate(fixture_t *f)
{
    return gh_oauth_authorize_validate(f->a, &f->client, &f->p, "https://rp.example/cb", true,
                                       &f->r, &f->err);
}

static void
expect_error(fixture_t *f, const char *code)
{
    assert_int_not_equal(validate(f), GH_OK);
    assert_non_null(f->err.oauth_error);
    assert_string_equal(f->err.oauth_error, code);
    /* An error is still answered at the client, with the state it sent (R11). */
    assert_string_equal(f->r.redirect_uri, "https://rp.example/cb");
    assert_string_equal(f->r.state, "xyz");
}

static void
validate_accepts_a_code_request_with_pkce(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(validate(f), GH_OK);
    assert_string_equal(f->r.scope, "openid profile");
    assert_string_equal(f->r.response_mode, "query");
    assert_int_equal(f->r.max_age, -1);
}

static void
r10_validate_refuses_response_type_token(void **state)
{
    fixture_t *f = *state;
    f->p.response_type = "token";
    expect_error(f, "unsupported_response_type");
}

static void
r10_validate_refuses_missing_response_type(void **state)
{
    fixture_t *f = *state;
    f->p.response_type = NULL;
    expect_error(f, "invalid_request");
}

static void
r104_validate_refuses_hybrid_response_types(void **state)
{
    fixture_t *f = *state;
    f->p.response_type = "code id_token";
    expect_error(f, "unsupported_response_type");
}

static void
r13_validate_refuses_scope_the_client_may_not_ask_for(void **state)
{
    fixture_t *f = *state;
    f->p.scope = "openid admin";
    expect_error(f, "invalid_scope");
}

static void
r13_validate_refuses_missing_and_malformed_scope(void **state)
{
    fixture_t *f = *state;
    f->p.scope = NULL;
    expect_error(f, "invalid_scope");
    f->p.scope = "openid  profile";
    expect_error(f, "invalid_scope");
}

static void
r21_validate_refuses_missing_pkce_when_required(void **state)
{
    fixture_t *f = *state;
    f->p.code_challenge = NULL;
    f->p.code_challenge_method = NULL;
    expect_error(f, "invalid_request");
}

static void
r22_validate_refuses_plain_and_a_challenge_without_method(void **state)
{
    fixture_t *f = *state;
    f->p.code_challenge_method = "plain";
    expect_error(f, "invalid_request");
    f->p.code_challenge_method = NULL;
    expect_error(f, "invalid_request");
}

static void
r23_validate_refuses_a_malformed_challenge(void **state)
{
    fixture_t *f = *state;
    f->p.code_challenge = "short";
    expect_error(f, "invalid_request");
    f->p.code_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM";
    expect_error(f, "invalid_request");
}

static void
r27_validate_accepts_no_pkce_when_the_client_does_not_require_it(void **state)
{
    fixture_t *f = *state;
    f->client.require_pkce = false;
    f->p.code_challenge = NULL;
    f->p.code_challenge_method = NULL;
    assert_int_equal(validate(f), GH_OK);
}

static void
r73_validate_refuses_request_objects(void **state)
{
    fixture_t *f = *state;
    f->p.request = "eyJhbGciOiJub25lIn0.e30.";
    expect_error(f, "request_not_supported");
    f->p.request = NULL;
    f->p.request_uri = "https://rp.example/req.jwt";
    expect_error(f, "request_uri_not_supported");
}

static void
r69_validate_refuses_prompt_none_with_other_values_and_unknown_prompts(void **state)
{
    fixture_t *f = *state;
    f->p.prompt = "none login";
    expect_error(f, "invalid_request");
    f->p.prompt = "bogus";
    expect_error(f, "invalid_request");
}

static void
validate_refuses_bad_max_age_and_response_mode(void **state)
{
    fixture_t *f = *state;
    f->p.max_age = "-1";
    expect_error(f, "invalid_request");
    f->p.max_age = "ten";
    expect_error(f, "invalid_request");
    f->p.max_age = NULL;
    f->p.response_mode = "fragment";
    expect_error(f, "invalid_request");
}

static void
validate_refuses_a_client_without_the_code_grant(void **state)
{
    fixture_t *f = *state;
    f->client.grant_types.n = 0;
    gh_strlist_add(f->a, &f->client.grant_types, "client_credentials");
    expect_error(f, "unauthorized_client");
}

static gh_authz_next_t
next_for(fixture_t *f, const gh_session_t *s, const char *hint, const gh_strlist_t *granted,
         long long now, gh_status_t want)
{
    assert_int_equal(validate(f), GH_OK);
    gh_authz_next_t next = GH_AUTHZ_ISSUE;
    assert_int_equal(gh_oauth_authorize_next(&f->client, &f->r, s, hint, granted, now, &next,
                                             &f->err), want);
    return next;
}

static void
r68_prompt_none_without_session_is_login_required(void **state)
{
    fixture_t *f = *state;
    f->p.prompt = "none";
    next_for(f, NULL, NULL, NULL, 1000, GH_E_INPUT);
    assert_string_equal(f->err.oauth_error, "login_required");
}

static void
r68_prompt_none_without_consent_is_consent_required(void **state)
{
    fixture_t *f = *state;
    gh_session_t s = { .user_id = "u1", .auth_time = 900 };
    f->p.prompt = "none";
    next_for(f, &s, NULL, NULL, 1000, GH_E_INPUT);
    assert_string_equal(f->err.oauth_error, "consent_required");
}

static void
r68_prompt_none_with_session_and_grant_issues(void **state)
{
    fixture_t *f = *state;
    gh_session_t s = { .user_id = "u1", .auth_time = 900 };
    gh_strlist_t granted = { 0 };
    gh_strlist_add(f->a, &granted, "openid");
    gh_strlist_add(f->a, &granted, "profile");
    f->p.prompt = "none";
    assert_int_equal(next_for(f, &s, NULL, &granted, 1000, GH_OK), GH_AUTHZ_ISSUE);
}

static void
next_asks_consent_only_for_scopes_not_granted(void **state)
{
    fixture_t *f = *state;
    gh_session_t s = { .user_id = "u1", .auth_time = 900 };
    gh_strlist_t granted = { 0 };
    gh_strlist_add(f->a, &granted, "openid");
    assert_int_equal(next_for(f, &s, NULL, &granted, 1000, GH_OK), GH_AUTHZ_CONSENT);
    f->client.skip_consent = true;
    assert_int_equal(next_for(f, &s, NULL, &granted, 1000, GH_OK), GH_AUTHZ_ISSUE);
}

static void
r69_prompt_login_asks_to_sign_in_again_until_done(void **state)
{
    fixture_t *f = *state;
    gh_session_t s = { .user_id = "u1", .auth_time = 900 };
    f->client.skip_consent = true;
    f->p.prompt = "login";
    assert_int_equal(next_for(f, &s, NULL, NULL, 1000, GH_OK), GH_AUTHZ_LOGIN);
    f->r.login_done = true;
    gh_authz_next_t next;
    assert_int_equal(gh_oauth_authorize_next(&f->client, &f->r, &s, NULL, NULL, 1000, &next,
                                             &f->err), GH_OK);
    assert_int_equal(next, GH_AUTHZ_ISSUE);
}

static void
r70_max_age_exceeded_asks_to_sign_in(void **state)
{
    fixture_t *f = *state;
    gh_session_t s = { .user_id = "u1", .auth_time = 900 };
    f->client.skip_consent = true;
    f->p.max_age = "0";
    assert_int_equal(next_for(f, &s, NULL, NULL, 1000, GH_OK), GH_AUTHZ_LOGIN);
    f->p.max_age = "10000";
    assert_int_equal(next_for(f, &s, NULL, NULL, 1000, GH_OK), GH_AUTHZ_ISSUE);
}

static void
r72_hint_naming_another_user_with_prompt_none_is_login_required(void **state)
{
    fixture_t *f = *state;
    gh_session_t s = { .user_id = "u1", .auth_time = 900 };
    f->client.skip_consent = true;
    f->p.prompt = "none";
    next_for(f, &s, "u2", NULL, 1000, GH_E_INPUT);
    assert_string_equal(f->err.oauth_error, "login_required");
    assert_int_equal(next_for(f, &s, "u1", NULL, 1000, GH_OK), GH_AUTHZ_ISSUE);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(validate_accepts_a_code_request_with_pkce),
        T(r10_validate_refuses_response_type_token),
        T(r10_validate_refuses_missing_response_type),
        T(r104_validate_refuses_hybrid_response_types),
        T(r13_validate_refuses_scope_the_client_may_not_ask_for),
        T(r13_validate_refuses_missing_and_malformed_scope),
        T(r21_validate_refuses_missing_pkce_when_required),
        T(r22_validate_refuses_plain_and_a_challenge_without_method),
        T(r23_validate_refuses_a_malformed_challenge),
        T(r27_validate_accepts_no_pkce_when_the_client_does_not_require_it),
        T(r73_validate_refuses_request_objects),
        T(r69_validate_refuses_prompt_none_with_other_values_and_unknown_prompts),
        T(validate_refuses_bad_max_age_and_response_mode),
        T(validate_refuses_a_client_without_the_code_grant),
        T(r68_prompt_none_without_session_is_login_required),
        T(r68_prompt_none_without_consent_is_consent_required),
        T(r68_prompt_none_with_session_and_grant_issues),
        T(next_asks_consent_only_for_scopes_not_granted),
        T(r69_prompt_login_asks_to_sign_in_again_until_done),
        T(r70_max_age_exceeded_asks_to_sign_in),
        T(r72_hint_naming_another_user_with_prompt_none_is_login_required),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
