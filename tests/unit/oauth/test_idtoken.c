/*
 * tests/unit/oauth/test_idtoken.c: oauth/idtoken.h (REQUIREMENTS R64-R67).
 *
 * at_hash against OIDC Core's example (section 3.1.3.6 / Appendix A.3) and the
 * SHA-512 reading for EdDSA; then the claims of an id_token, with signing
 * (gh_oauth_keys_sign) and the scope lookup replaced at link time so the payload can
 * be inspected as it would be signed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <string.h>

#include "oauth/idtoken.h"

gh_status_t __wrap_gh_oauth_keys_sign(gh_app_t *app, const char *alg, const char *typ,
                                      json_t *payload, char **out_jws, gh_err_t *err);
gh_status_t __wrap_gh_store_scopes_claims(gh_db_t *db, gh_arena_t *a,
                                          const gh_strlist_t *names, gh_strlist_t *claims,
                                          gh_err_t *err);

static json_t     *signed_payload;
static const char *signed_alg, *signed_typ;

gh_status_t
__wrap_gh_oauth_keys_sign(gh_app_t *app, const char *alg, const char *typ, json_t *payload,
                          char **out_jws, gh_err_t *err)
{
    if (mock_type(int) != 0)
        return gh_fail(err, GH_E_UNAVAILABLE, "no active signing key");
    json_decref(signed_payload);
    signed_payload = json_deep_copy(payload);
    signed_alg = alg;
    signed_typ = typ;
    *out_jws = gh_arena_strdup(app->arena, "header.payload.signature");
    return GH_OK;
}

/* Every scope releases name and email. */
gh_status_t
__wrap_gh_store_scopes_claims(gh_db_t *db, gh_arena_t *a, const gh_strlist_t *names,
                              gh_strlist_t *claims, gh_err_t *err)
{
    (void)db;
    (void)names;
    (void)err;
    gh_strlist_add(a, claims, "name");
    gh_strlist_add(a, claims, "email");
    return GH_OK;
}

typedef struct {
    gh_config_t      cfg;
    gh_app_t         app;
    gh_client_t      client;
    gh_user_t        user;
    gh_oauth_grant_t g;
} fixture_t;

static int
setup(void **state)
{
    static fixture_t f;
    memset(&f, 0, sizeof f);
    f.cfg.issuer = "https://idp.example/oauth";
    f.cfg.id_token_ttl = 300;
    f.app = (gh_app_t){ .cfg = &f.cfg, .arena = gh_arena_new() };
    f.client = (gh_client_t){ .client_id = "client-1234", .id_token_alg = "ES256" };
    f.user = (gh_user_t){ .id = "71d866cb-3bb6-4f51-8719-ae47a7e11a29", .name = "Alice",
                          .email = "alice@example.com", .extra_claims = "{}" };
    f.g = (gh_oauth_grant_t){ .client = &f.client, .user = &f.user, .scope = "openid profile",
                              .nonce = "n-0S6_WzA2Mj", .sid = "sid-1", .auth_time = 1700000000 };
    gh_strlist_add(f.app.arena, &f.g.amr, "pwd");
    *state = &f;
    return 0;
}

static int
teardown(void **state)
{
    fixture_t *f = *state;
    gh_arena_free(f->app.arena);
    json_decref(signed_payload);
    signed_payload = NULL;
    return 0;
}

static gh_status_t
issue(fixture_t *f, const char **jws, gh_err_t *err)
{
    return gh_oauth_idtoken_issue(&f->app, &f->g, "access-token", 1700000100, jws, err);
}

static const char *
claim(const char *name)
{
    return json_string_value(json_object_get(signed_payload, name));
}

static void
at_hash(const char *alg, const char *token, const char *want)
{
    gh_arena_t *a = gh_arena_new();
    char *got = NULL;
    assert_int_equal(gh_oauth_idtoken_at_hash(a, alg, token, &got, NULL), GH_OK);
    assert_string_equal(got, want);
    gh_arena_free(a);
}

static void
r67_at_hash_matches_the_oidc_core_example(void **state)
{
    (void)state;
    at_hash("RS256", "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", "77QmUPtjPfzWtF2AnpK9RQ");
    at_hash("ES256", "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y", "77QmUPtjPfzWtF2AnpK9RQ");
}

static void
r67_at_hash_for_eddsa_is_the_left_half_of_sha512(void **state)
{
    (void)state;
    at_hash("EdDSA", "dNZX1hEZ9wBCzNL40Upu646bdzQA", "8xltSlOGYrWy8W9yNvRlEth1i_bXW-JROWPLvCv5zog");
}

static void
r67_at_hash_refuses_an_alg_it_does_not_sign_with(void **state)
{
    (void)state;
    const char *bad[] = { "none", "HS256", "rs256", "" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gh_arena_t *a = gh_arena_new();
        char *got = NULL;
        assert_int_equal(gh_oauth_idtoken_at_hash(a, bad[i], "t", &got, NULL), GH_E_INTERNAL);
        gh_arena_free(a);
    }
}

static void
r64_carries_the_protocol_claims_and_is_signed_with_the_client_alg(void **state)
{
    fixture_t *f = *state;
    const char *jws = NULL;
    will_return(__wrap_gh_oauth_keys_sign, 0);
    assert_int_equal(issue(f, &jws, NULL), GH_OK);
    assert_string_equal(jws, "header.payload.signature");
    assert_string_equal(signed_alg, "ES256");
    assert_string_equal(signed_typ, "JWT");
    assert_string_equal(claim("iss"), "https://idp.example/oauth");
    assert_string_equal(claim("sub"), f->user.id);
    assert_string_equal(claim("aud"), "client-1234");
    assert_string_equal(claim("azp"), "client-1234");
    assert_string_equal(claim("sid"), "sid-1");
    assert_int_equal(json_integer_value(json_object_get(signed_payload, "iat")), 1700000100);
    assert_int_equal(json_integer_value(json_object_get(signed_payload, "exp")), 1700000400);
    assert_int_equal(json_integer_value(json_object_get(signed_payload, "auth_time")),
                     1700000000);
    assert_int_equal(json_array_size(json_object_get(signed_payload, "amr")), 1);
    assert_non_null(claim("at_hash"));
}

static void
r65_echoes_the_nonce_unchanged(void **state)
{
    fixture_t *f = *state;
    const char *jws = NULL;
    will_return(__wrap_gh_oauth_keys_sign, 0);
    assert_int_equal(issue(f, &jws, NULL), GH_OK);
    assert_string_equal(claim("nonce"), "n-0S6_WzA2Mj");
}

static void
r65_has_no_nonce_when_the_request_had_none(void **state)
{
    fixture_t *f = *state;
    const char *jws = NULL;
    f->g.nonce = NULL;
    f->g.sid = NULL;
    f->g.amr.n = 0;
    will_return(__wrap_gh_oauth_keys_sign, 0);
    assert_int_equal(issue(f, &jws, NULL), GH_OK);
    assert_null(json_object_get(signed_payload, "nonce"));
    assert_null(json_object_get(signed_payload, "sid"));
    assert_null(json_object_get(signed_payload, "amr"));
}

static void
carries_the_claims_of_the_granted_scopes(void **state)
{
    fixture_t *f = *state;
    const char *jws = NULL;
    will_return(__wrap_gh_oauth_keys_sign, 0);
    assert_int_equal(issue(f, &jws, NULL), GH_OK);
    assert_string_equal(claim("name"), "Alice");
    assert_string_equal(claim("email"), "alice@example.com");
}

static void
a_minimal_id_token_leaves_the_scope_claims_out(void **state)
{
    fixture_t *f = *state;
    const char *jws = NULL;
    f->client.minimal_id_token = true;
    will_return(__wrap_gh_oauth_keys_sign, 0);
    assert_int_equal(issue(f, &jws, NULL), GH_OK);
    assert_null(json_object_get(signed_payload, "name"));
    assert_null(json_object_get(signed_payload, "email"));
    assert_string_equal(claim("sub"), f->user.id);
}

static void
a_missing_signing_key_is_passed_up(void **state)
{
    fixture_t *f = *state;
    const char *jws = NULL;
    gh_err_t err = { 0 };
    will_return(__wrap_gh_oauth_keys_sign, 1);
    assert_int_equal(issue(f, &jws, &err), GH_E_UNAVAILABLE);
    assert_null(jws);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(r67_at_hash_matches_the_oidc_core_example),
        cmocka_unit_test(r67_at_hash_for_eddsa_is_the_left_half_of_sha512),
        cmocka_unit_test(r67_at_hash_refuses_an_alg_it_does_not_sign_with),
        T(r64_carries_the_protocol_claims_and_is_signed_with_the_client_alg),
        T(r65_echoes_the_nonce_unchanged),
        T(r65_has_no_nonce_when_the_request_had_none),
        T(carries_the_claims_of_the_granted_scopes),
        T(a_minimal_id_token_leaves_the_scope_claims_out),
        T(a_missing_signing_key_is_passed_up),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
