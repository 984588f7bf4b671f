/*
 * tests/unit/oauth/test_claims.c: oauth/claims.h (REQUIREMENTS R58, R59).
 *
 * Claims by scope, from users columns and extra_claims; what is left out (absent,
 * null, "" values; reserved names; an extra claim shadowing a column); the
 * claims_supported list. gh_store_scopes_claims is replaced at link time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "oauth/claims.h"

gh_status_t __wrap_gh_store_scopes_claims(gh_db_t *db, gh_arena_t *a,
                                          const gh_strlist_t *names, gh_strlist_t *claims,
                                          gh_err_t *err);

/* The seed scopes of sql/003 plus a custom one. */
gh_status_t
__wrap_gh_store_scopes_claims(gh_db_t *db, gh_arena_t *a, const gh_strlist_t *names,
                              gh_strlist_t *claims, gh_err_t *err)
{
    (void)db;
    if (mock_type(int) != 0)
        return gh_fail(err, GH_E_UNAVAILABLE, "database unavailable");
    static const struct { const char *scope, *claims[6]; } table[] = {
        { "openid", { "sub" } },
        { "profile", { "name", "given_name", "family_name", "picture", "locale" } },
        { "email", { "email", "email_verified" } },
        { "balance", { "quota", "used_quota" } },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        for (size_t k = 0; gh_strlist_contains(names, table[i].scope) && table[i].claims[k]; k++)
            gh_strlist_add(a, claims, table[i].claims[k]);
    return GH_OK;
}

typedef struct {
    gh_arena_t *a;
    gh_user_t   user;
    json_t     *obj;
} fixture_t;

static int
setup(void **state)
{
    static fixture_t f;
    f = (fixture_t){ .a = gh_arena_new(), .obj = json_object() };
    f.user = (gh_user_t){
        .id = "71d866cb-3bb6-4f51-8719-ae47a7e11a29", .username = "alice",
        .name = "Alice Liddell", .given_name = "Alice", .email = "alice@example.com",
        .email_verified = true, .locale = "",
        .extra_claims = "{\"quota\": 100, \"used_quota\": null, \"email\": \"x@evil.example\","
                        " \"sub\": \"admin\", \"nonce\": \"n\", \"plan\": \"gold\"}",
    };
    *state = &f;
    return 0;
}

static int
teardown(void **state)
{
    fixture_t *f = *state;
    json_decref(f->obj);
    gh_arena_free(f->a);
    return 0;
}

static gh_status_t
for_scope(fixture_t *f, const char *scope)
{
    will_return(__wrap_gh_store_scopes_claims, 0);
    return gh_oauth_claims_for_scope(NULL, f->a, &f->user, scope, f->obj, NULL);
}

static void
r59_profile_releases_the_profile_claims_the_user_has(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(for_scope(f, "openid profile"), GH_OK);
    assert_string_equal(json_string_value(json_object_get(f->obj, "name")), "Alice Liddell");
    assert_string_equal(json_string_value(json_object_get(f->obj, "given_name")), "Alice");
    assert_null(json_object_get(f->obj, "email"));
}

static void
r59_omits_claims_the_user_does_not_have_or_has_empty(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(for_scope(f, "profile"), GH_OK);
    assert_null(json_object_get(f->obj, "family_name"));
    assert_null(json_object_get(f->obj, "picture"));
    assert_null(json_object_get(f->obj, "locale"));      /* "" is absent too */
    assert_int_equal(json_object_size(f->obj), 2);
}

static void
r59_email_verified_goes_only_with_an_email(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(for_scope(f, "email"), GH_OK);
    assert_true(json_is_true(json_object_get(f->obj, "email_verified")));
    json_object_clear(f->obj);
    f->user.email = NULL;
    assert_int_equal(for_scope(f, "email"), GH_OK);
    assert_int_equal(json_object_size(f->obj), 0);
}

static void
a_custom_scope_releases_extra_claims_but_not_null_ones(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(for_scope(f, "balance"), GH_OK);
    assert_int_equal(json_integer_value(json_object_get(f->obj, "quota")), 100);
    assert_null(json_object_get(f->obj, "used_quota"));
    assert_null(json_object_get(f->obj, "plan"));        /* no scope releases it */
}

static void
an_extra_claim_never_stands_in_for_a_column(void **state)
{
    fixture_t *f = *state;
    f->user.email = NULL;
    assert_int_equal(for_scope(f, "email"), GH_OK);
    assert_null(json_object_get(f->obj, "email"));
}

static void
no_scope_can_release_a_reserved_claim(void **state)
{
    fixture_t *f = *state;
    gh_strlist_t names = { 0 };
    const char *asked[] = { "sub", "nonce", "iss", "aud", "exp", "at_hash", "quota" };
    for (size_t i = 0; i < sizeof asked / sizeof asked[0]; i++)
        gh_strlist_add(f->a, &names, asked[i]);
    gh_oauth_claims_add(f->obj, &f->user, &names);
    assert_int_equal(json_object_size(f->obj), 1);
    assert_non_null(json_object_get(f->obj, "quota"));
}

static void
openid_alone_releases_nothing_but_what_the_caller_sets(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(for_scope(f, "openid"), GH_OK);
    assert_int_equal(json_object_size(f->obj), 0);
}

static void
unreadable_extra_claims_release_nothing(void **state)
{
    fixture_t *f = *state;
    f->user.extra_claims = "{\"quota\": 1, \"quota\": 2}";
    assert_int_equal(for_scope(f, "balance"), GH_OK);
    assert_int_equal(json_object_size(f->obj), 0);
    f->user.extra_claims = "[1]";
    assert_int_equal(for_scope(f, "balance"), GH_OK);
    assert_int_equal(json_object_size(f->obj), 0);
}

static void
passes_a_database_outage_up(void **state)
{
    fixture_t *f = *state;
    gh_err_t err = { 0 };
    will_return(__wrap_gh_store_scopes_claims, 1);
    assert_int_equal(gh_oauth_claims_for_scope(NULL, f->a, &f->user, "profile", f->obj, &err),
                     GH_E_UNAVAILABLE);
}

static void
claims_supported_lists_protocol_and_scope_claims_once(void **state)
{
    fixture_t *f = *state;
    gh_scope_t scopes[2] = { { .name = "openid" }, { .name = "email" } };
    gh_strlist_add(f->a, &scopes[0].claims, "sub");
    gh_strlist_add(f->a, &scopes[1].claims, "email");
    gh_strlist_add(f->a, &scopes[1].claims, "email_verified");
    json_t *list = json_array();
    gh_oauth_claims_supported(scopes, 2, list);
    size_t subs = 0, i;
    json_t *v;
    bool has_email = false, has_nonce = false, has_jti = false;
    json_array_foreach(list, i, v) {
        subs += strcmp(json_string_value(v), "sub") == 0;
        has_email |= strcmp(json_string_value(v), "email") == 0;
        has_nonce |= strcmp(json_string_value(v), "nonce") == 0;
        has_jti |= strcmp(json_string_value(v), "jti") == 0;
    }
    json_decref(list);
    assert_int_equal(subs, 1);
    assert_true(has_email && has_nonce);
    assert_false(has_jti);                              /* not an id_token claim */
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(r59_profile_releases_the_profile_claims_the_user_has),
        T(r59_omits_claims_the_user_does_not_have_or_has_empty),
        T(r59_email_verified_goes_only_with_an_email),
        T(a_custom_scope_releases_extra_claims_but_not_null_ones),
        T(an_extra_claim_never_stands_in_for_a_column),
        T(no_scope_can_release_a_reserved_claim),
        T(openid_alone_releases_nothing_but_what_the_caller_sets),
        T(unreadable_extra_claims_release_nothing),
        T(passes_a_database_outage_up),
        T(claims_supported_lists_protocol_and_scope_claims_once),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
