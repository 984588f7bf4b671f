/*
 * tests/unit/oauth/test_introspect.c: oauth/introspect.h without a database
 * (REQUIREMENTS R52, R83, R84; the policy of docs/tokens.md).
 *
 * gh_oauth_tokens_find and gh_store_user_get are replaced at link time: the live
 * tokens are a table below, any other value is not live. Covered: the members of an
 * active answer for each kind of token, exactly {"active":false} for everything
 * else, and who may learn about whose token.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "oauth/error.h"
#include "oauth/introspect.h"
#include "oauth/tokens.h"
#include "store/users.h"

#define ISSUER   "https://idp.example/oauth"
#define AUDIENCE "https://api.example"
#define ALICE    "8b0f7a52-2f6e-4d3b-9a51-0c7e3f1d2a11"

static const struct {
    const char      *value;
    gh_store_token_t row;
} live[] = {
    { "at-of-a", { .kind = "access", .format = "opaque", .client_id = "client-a",
                   .user_id = ALICE, .scope = "openid profile", .issued_at = 1000,
                   .expires_at = 4600 } },
    { "jwt-of-a", { .kind = "access", .format = "jwt", .jti = "jti-1", .client_id = "client-a",
                    .user_id = ALICE, .scope = "openid", .issued_at = 1000,
                    .expires_at = 4600 } },
    { "rt-of-a", { .kind = "refresh", .format = "opaque", .client_id = "client-a",
                   .user_id = ALICE, .scope = "openid offline_access", .issued_at = 1000,
                   .expires_at = 9000 } },
    { "cc-of-a", { .kind = "access", .format = "opaque", .client_id = "client-a",
                   .scope = "api", .issued_at = 1000, .expires_at = 4600 } },
    { "at-of-b", { .kind = "access", .format = "opaque", .client_id = "client-b",
                   .user_id = ALICE, .scope = "openid", .issued_at = 1000,
                   .expires_at = 4600 } },
    { "rt-of-b", { .kind = "refresh", .format = "opaque", .client_id = "client-b",
                   .user_id = ALICE, .scope = "openid", .issued_at = 1000,
                   .expires_at = 9000 } },
    { "at-of-gone-user", { .kind = "access", .format = "opaque", .client_id = "client-a",
                           .user_id = "00000000-0000-0000-0000-000000000000",
                           .scope = "openid", .issued_at = 1000, .expires_at = 4600 } },
};

static bool store_down;

gh_status_t __wrap_gh_oauth_tokens_find(gh_app_t *app, const char *token, gh_store_token_t *out,
                                        gh_err_t *err);
gh_status_t __wrap_gh_store_user_get(gh_db_t *db, gh_arena_t *a, const char *id, gh_user_t *out,
                                     gh_err_t *err);

gh_status_t
__wrap_gh_oauth_tokens_find(gh_app_t *app, const char *token, gh_store_token_t *out,
                            gh_err_t *err)
{
    (void)app;
    if (store_down)
        return gh_fail(err, GH_E_UNAVAILABLE, "database unavailable");
    for (size_t i = 0; i < sizeof live / sizeof live[0]; i++) {
        if (strcmp(live[i].value, token) == 0) {
            *out = live[i].row;
            return GH_OK;
        }
    }
    return gh_oauth_fail(err, GH_OAUTH_INVALID_TOKEN, "the access token is invalid or expired");
}

gh_status_t
__wrap_gh_store_user_get(gh_db_t *db, gh_arena_t *a, const char *id, gh_user_t *out,
                         gh_err_t *err)
{
    (void)db;
    (void)a;
    if (strcmp(id, ALICE) != 0)
        return gh_fail(err, GH_E_NOTFOUND, "no such user");
    *out = (gh_user_t){ .id = ALICE, .username = "alice" };
    return GH_OK;
}

typedef struct {
    gh_config_t cfg;
    gh_app_t    app;
    gh_client_t client_a, client_b, resource_server;
    json_t     *answer;
} fixture_t;

static int
setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    f->cfg = (gh_config_t){ .issuer = ISSUER, .audience = AUDIENCE };
    f->app = (gh_app_t){ .cfg = &f->cfg, .arena = gh_arena_new() };
    f->client_a = (gh_client_t){ .client_id = "client-a" };
    f->client_b = (gh_client_t){ .client_id = "client-b" };
    f->resource_server = (gh_client_t){ .client_id = "api", .is_resource_server = true };
    store_down = false;
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture_t *f = *state;
    json_decref(f->answer);
    gh_arena_free(f->app.arena);
    free(f);
    return 0;
}

/* The answer to caller about token (the call must succeed). */
static json_t *
ask(fixture_t *f, const gh_client_t *caller, const char *token)
{
    gh_err_t err = { 0 };
    json_decref(f->answer);
    f->answer = NULL;
    assert_int_equal(gh_oauth_introspect(&f->app, caller, token, &f->answer, &err), GH_OK);
    assert_non_null(f->answer);
    return f->answer;
}

static const char *
member(const json_t *answer, const char *name)
{
    return json_string_value(json_object_get(answer, name));
}

static void
assert_inactive(json_t *answer)
{
    json_t *want = json_pack("{s:b}", "active", 0);
    assert_true(json_equal(answer, want));
    json_decref(want);
}

static void
own_access_token_is_active_with_every_member(void **state)
{
    fixture_t *f = *state;
    json_t *a = ask(f, &f->client_a, "at-of-a");
    assert_true(json_is_true(json_object_get(a, "active")));
    assert_string_equal(member(a, "scope"), "openid profile");
    assert_string_equal(member(a, "client_id"), "client-a");
    assert_string_equal(member(a, "token_type"), "Bearer");
    assert_string_equal(member(a, "sub"), ALICE);
    assert_string_equal(member(a, "username"), "alice");
    assert_string_equal(member(a, "iss"), ISSUER);
    assert_string_equal(member(a, "aud"), AUDIENCE);
    assert_int_equal(json_integer_value(json_object_get(a, "iat")), 1000);
    assert_int_equal(json_integer_value(json_object_get(a, "exp")), 4600);
    assert_null(json_object_get(a, "jti"));
}

static void
jwt_access_token_carries_its_jti(void **state)
{
    fixture_t *f = *state;
    assert_string_equal(member(ask(f, &f->client_a, "jwt-of-a"), "jti"), "jti-1");
}

static void
refresh_token_says_so_and_names_the_issuer_as_audience(void **state)
{
    fixture_t *f = *state;
    json_t *a = ask(f, &f->client_a, "rt-of-a");
    assert_true(json_is_true(json_object_get(a, "active")));
    assert_string_equal(member(a, "token_type"), "refresh_token");
    assert_string_equal(member(a, "aud"), ISSUER);
    assert_int_equal(json_integer_value(json_object_get(a, "exp")), 9000);
}

static void
client_credentials_token_has_no_sub_nor_username(void **state)
{
    fixture_t *f = *state;
    json_t *a = ask(f, &f->client_a, "cc-of-a");
    assert_true(json_is_true(json_object_get(a, "active")));
    assert_null(json_object_get(a, "sub"));
    assert_null(json_object_get(a, "username"));
}

static void
token_that_is_not_live_is_exactly_inactive(void **state)
{
    fixture_t *f = *state;
    static const char *const dead[] = { "garbage", "", "gatehouse_at_expired", "eyJ.e30.x" };
    for (size_t i = 0; i < sizeof dead / sizeof dead[0]; i++)
        assert_inactive(ask(f, &f->client_a, dead[i]));
}

static void
another_clients_tokens_are_inactive_to_a_client(void **state)
{
    fixture_t *f = *state;
    assert_inactive(ask(f, &f->client_a, "at-of-b"));
    assert_inactive(ask(f, &f->client_a, "rt-of-b"));
    assert_inactive(ask(f, &f->client_b, "cc-of-a"));
}

static void
resource_server_learns_about_other_clients_access_tokens(void **state)
{
    fixture_t *f = *state;
    json_t *a = ask(f, &f->resource_server, "at-of-b");
    assert_true(json_is_true(json_object_get(a, "active")));
    assert_string_equal(member(a, "client_id"), "client-b");
    assert_true(json_is_true(json_object_get(ask(f, &f->resource_server, "cc-of-a"),
                                              "active")));
}

static void
resource_server_never_learns_about_other_clients_refresh_tokens(void **state)
{
    fixture_t *f = *state;
    assert_inactive(ask(f, &f->resource_server, "rt-of-a"));
    assert_inactive(ask(f, &f->resource_server, "rt-of-b"));
}

static void
token_of_a_user_gone_meanwhile_is_inactive(void **state)
{
    fixture_t *f = *state;
    assert_inactive(ask(f, &f->client_a, "at-of-gone-user"));
}

static void
database_down_is_unavailable_not_inactive(void **state)
{
    fixture_t *f = *state;
    gh_err_t err = { 0 };
    store_down = true;
    assert_int_equal(gh_oauth_introspect(&f->app, &f->client_a, "at-of-a", &f->answer, &err),
                     GH_E_UNAVAILABLE);
    assert_null(f->answer);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(own_access_token_is_active_with_every_member),
        T(jwt_access_token_carries_its_jti),
        T(refresh_token_says_so_and_names_the_issuer_as_audience),
        T(client_credentials_token_has_no_sub_nor_username),
        T(token_that_is_not_live_is_exactly_inactive),
        T(another_clients_tokens_are_inactive_to_a_client),
        T(resource_server_learns_about_other_clients_access_tokens),
        T(resource_server_never_learns_about_other_clients_refresh_tokens),
        T(token_of_a_user_gone_meanwhile_is_inactive),
        T(database_down_is_unavailable_not_inactive),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
