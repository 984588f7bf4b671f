/*
 * tests/unit/oauth/test_revoke.c: oauth/revoke.h without a database (REQUIREMENTS
 * R86-R89).
 *
 * gh_oauth_tokens_find and the two revoking store calls are replaced at link time;
 * the wrappers record what would have been revoked. Covered: nothing revoked and no
 * error for a token that is not live, another client's token refused and left alone,
 * an access token revoked alone, a refresh token taking its family with it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "oauth/error.h"
#include "oauth/revoke.h"
#include "oauth/tokens.h"

static const gh_store_token_t access_of_a = {
    .token_hash = "hash-at", .kind = "access", .format = "jwt", .jti = "j",
    .client_id = "client-a", .family_id = "family-1",
};
static const gh_store_token_t refresh_of_a = {
    .token_hash = "hash-rt", .kind = "refresh", .format = "opaque", .client_id = "client-a",
    .family_id = "family-1",
};

static const char *revoked_hash;     /* what the wrappers were asked to revoke */
static const char *revoked_family;
static bool        store_down;

gh_status_t __wrap_gh_oauth_tokens_find(gh_app_t *app, const char *token, gh_store_token_t *out,
                                        gh_err_t *err);
gh_status_t __wrap_gh_store_token_revoke(gh_db_t *db, const char *token_hash, gh_err_t *err);
gh_status_t __wrap_gh_store_token_revoke_family(gh_db_t *db, const char *family_id,
                                                long long *n, gh_err_t *err);

gh_status_t
__wrap_gh_oauth_tokens_find(gh_app_t *app, const char *token, gh_store_token_t *out,
                            gh_err_t *err)
{
    (void)app;
    if (store_down)
        return gh_fail(err, GH_E_UNAVAILABLE, "database unavailable");
    if (strcmp(token, "at") == 0 || strcmp(token, "rt") == 0) {
        *out = token[0] == 'a' ? access_of_a : refresh_of_a;
        return GH_OK;
    }
    return gh_oauth_fail(err, GH_OAUTH_INVALID_TOKEN, "the access token is invalid or expired");
}

gh_status_t
__wrap_gh_store_token_revoke(gh_db_t *db, const char *token_hash, gh_err_t *err)
{
    (void)db;
    (void)err;
    revoked_hash = token_hash;
    return GH_OK;
}

gh_status_t
__wrap_gh_store_token_revoke_family(gh_db_t *db, const char *family_id, long long *n,
                                    gh_err_t *err)
{
    (void)db;
    (void)n;
    (void)err;
    revoked_family = family_id;
    return GH_OK;
}

static const gh_client_t client_a = { .client_id = "client-a" };
static const gh_client_t client_b = { .client_id = "client-b", .is_resource_server = true };

static int
setup(void **state)
{
    (void)state;
    revoked_hash = revoked_family = NULL;
    store_down = false;
    return 0;
}

static gh_status_t
revoke(const gh_client_t *caller, const char *token, gh_err_t *err)
{
    gh_app_t app = { 0 };
    return gh_oauth_revoke(&app, caller, token, err);
}

static void
token_that_is_not_live_is_ok_and_revokes_nothing(void **state)
{
    (void)state;
    gh_err_t err = { 0 };
    assert_int_equal(revoke(&client_a, "garbage", &err), GH_OK);
    assert_int_equal(revoke(&client_a, "", &err), GH_OK);
    assert_null(revoked_hash);
    assert_null(revoked_family);
}

static void
another_clients_token_is_invalid_grant_and_left_alone(void **state)
{
    (void)state;
    gh_err_t err = { 0 };
    assert_int_equal(revoke(&client_b, "at", &err), GH_E_INPUT);
    assert_string_equal(err.oauth_error, "invalid_grant");
    err = (gh_err_t){ 0 };
    assert_int_equal(revoke(&client_b, "rt", &err), GH_E_INPUT);
    assert_string_equal(err.oauth_error, "invalid_grant");
    assert_null(revoked_hash);
    assert_null(revoked_family);
}

static void
access_token_is_revoked_alone(void **state)
{
    (void)state;
    gh_err_t err = { 0 };
    assert_int_equal(revoke(&client_a, "at", &err), GH_OK);
    assert_string_equal(revoked_hash, "hash-at");
    assert_null(revoked_family);
}

static void
refresh_token_takes_its_family_with_it(void **state)
{
    (void)state;
    gh_err_t err = { 0 };
    assert_int_equal(revoke(&client_a, "rt", &err), GH_OK);
    assert_string_equal(revoked_family, "family-1");
}

static void
database_down_is_unavailable(void **state)
{
    (void)state;
    gh_err_t err = { 0 };
    store_down = true;
    assert_int_equal(revoke(&client_a, "at", &err), GH_E_UNAVAILABLE);
    assert_null(revoked_hash);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup(fn, setup)
    const struct CMUnitTest tests[] = {
        T(token_that_is_not_live_is_ok_and_revokes_nothing),
        T(another_clients_token_is_invalid_grant_and_left_alone),
        T(access_token_is_revoked_alone),
        T(refresh_token_takes_its_family_with_it),
        T(database_down_is_unavailable),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
