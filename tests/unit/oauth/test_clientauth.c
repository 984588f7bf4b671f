/*
 * tests/unit/oauth/test_clientauth.c: oauth/clientauth.h without a database
 * (REQUIREMENTS R36-R41).
 *
 * The store is replaced at link time (-Wl,--wrap): gh_store_client_get_with_attempts
 * reads a table of four clients, and the failure counter is kept in memory with the
 * same rule as the login_attempts statement (lock once failures reach the threshold).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/hash.h"
#include "oauth/clientauth.h"
#include "store/attempts.h"

/* RFC 6749 2.3.1 lets a secret hold anything; http/ has already decoded Basic. */
static const char basic_secret[] = "s3cret:with %+ space";
static const char post_secret[] = "post-secret-0123456789";

static gh_client_t clients[4];
static size_t      nclients;
static long        failures;       /* of "client:basic-client-1"; others stay at 0 */
static bool        store_down;

gh_status_t __wrap_gh_store_client_get_with_attempts(gh_db_t *db, gh_arena_t *a,
                                                     const char *client_id, const char *key,
                                                     gh_client_t *out, gh_attempts_t *seen,
                                                     gh_err_t *err);
gh_status_t __wrap_gh_store_attempts_fail(gh_db_t *db, const char *key, long lock_after,
                                          long lock_seconds, long window, gh_err_t *err);

static void
attempts_of(const char *key, gh_attempts_t *out)
{
    long n = strcmp(key, "client:basic-client-1") == 0 ? failures : 0;
    bool locked = n >= GH_OAUTH_CLIENTAUTH_FAILURES;
    *out = (gh_attempts_t){ .failures = n, .locked_for = locked ? GH_OAUTH_CLIENTAUTH_LOCK : 0 };
}

gh_status_t
__wrap_gh_store_client_get_with_attempts(gh_db_t *db, gh_arena_t *a, const char *client_id,
                                         const char *key, gh_client_t *out,
                                         gh_attempts_t *seen, gh_err_t *err)
{
    (void)db;
    (void)a;
    if (store_down)
        return gh_fail(err, GH_E_UNAVAILABLE, "database unavailable");
    for (size_t i = 0; i < nclients; i++) {
        if (strcmp(clients[i].client_id, client_id) == 0) {
            *out = clients[i];
            attempts_of(key, seen);
            return GH_OK;
        }
    }
    return gh_fail(err, GH_E_NOTFOUND, "no such client");
}

gh_status_t
__wrap_gh_store_attempts_fail(gh_db_t *db, const char *key, long lock_after, long lock_seconds,
                              long window, gh_err_t *err)
{
    (void)db;
    (void)err;
    assert_string_equal(key, "client:basic-client-1");
    assert_int_equal(lock_after, GH_OAUTH_CLIENTAUTH_FAILURES);
    assert_true(lock_seconds > 0 && window >= lock_seconds);
    failures++;
    return GH_OK;
}

static gh_client_t
client(gh_arena_t *a, const char *id, const char *method, const char *secret)
{
    gh_client_t c = { .client_id = id, .auth_method = method,
                      .client_type = secret != NULL ? "confidential" : "public",
                      .is_public = secret == NULL };
    char *hash = NULL;
    if (secret != NULL && gh_hash_sha256_hex(a, secret, &hash, NULL) == GH_OK)
        c.secret_hash = hash;
    return c;
}

static int
setup(void **state)
{
    gh_arena_t *a = gh_arena_new();
    clients[0] = client(a, "basic-client-1", "client_secret_basic", basic_secret);
    clients[1] = client(a, "post-client-1", "client_secret_post", post_secret);
    clients[2] = client(a, "public-client-1", "none", NULL);
    clients[3] = client(a, "disabled-client-1", "client_secret_basic", basic_secret);
    clients[3].disabled = true;
    nclients = 4;
    failures = 0;
    store_down = false;
    *state = a;
    return 0;
}

static int
teardown(void **state)
{
    gh_arena_free(*state);
    return 0;
}

static gh_status_t
verify(void **state, gh_oauth_client_creds_t creds, gh_client_t *out, gh_err_t *err)
{
    return gh_oauth_clientauth_verify(NULL, *state, &creds, out, err);
}

static gh_oauth_client_creds_t
basic(const char *user, const char *pass)
{
    return (gh_oauth_client_creds_t){ .has_basic = true, .basic_user = user,
                                      .basic_pass = pass };
}

static void
refused(gh_status_t st, const gh_err_t *err, gh_status_t want, const char *code)
{
    assert_int_equal(st, want);
    assert_string_equal(err->oauth_error, code);
}

static void
r37_basic_client_authenticates_with_basic(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    assert_int_equal(verify(state, basic("basic-client-1", basic_secret), &c, &err), GH_OK);
    assert_string_equal(c.client_id, "basic-client-1");
    assert_int_equal(failures, 0);
}

static void
post_client_authenticates_with_the_secret_in_the_body(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    gh_oauth_client_creds_t creds = { .client_id = "post-client-1",
                                      .client_secret = post_secret };
    assert_int_equal(verify(state, creds, &c, &err), GH_OK);
    assert_string_equal(c.client_id, "post-client-1");
}

static void
r41_public_client_authenticates_with_its_client_id_alone(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    gh_oauth_client_creds_t creds = { .client_id = "public-client-1" };
    assert_int_equal(verify(state, creds, &c, &err), GH_OK);
    assert_true(c.is_public);
}

static void
basic_with_the_same_client_id_in_the_body_is_accepted(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    gh_oauth_client_creds_t creds = basic("basic-client-1", basic_secret);
    creds.client_id = "basic-client-1";
    assert_int_equal(verify(state, creds, &c, &err), GH_OK);
}

static void
r38_refuses_basic_and_a_body_secret_together(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    gh_oauth_client_creds_t creds = basic("basic-client-1", basic_secret);
    creds.client_secret = basic_secret;
    refused(verify(state, creds, &c, &err), &err, GH_E_INPUT, "invalid_request");
}

static void
refuses_a_body_client_id_that_is_not_the_basic_one(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    gh_oauth_client_creds_t creds = basic("basic-client-1", basic_secret);
    creds.client_id = "post-client-1";
    refused(verify(state, creds, &c, &err), &err, GH_E_INPUT, "invalid_request");
}

static void
r38_refuses_a_basic_client_sending_its_secret_in_the_body(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    gh_oauth_client_creds_t creds = { .client_id = "basic-client-1",
                                      .client_secret = basic_secret };
    refused(verify(state, creds, &c, &err), &err, GH_E_AUTH, "invalid_client");
}

static void
r38_refuses_a_wrong_secret_in_the_body_of_a_basic_client_without_counting_it(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    gh_oauth_client_creds_t creds = { .client_id = "basic-client-1", .client_secret = "x" };
    refused(verify(state, creds, &c, &err), &err, GH_E_AUTH, "invalid_client");
    assert_int_equal(failures, 0);
}

static void
refuses_a_post_client_using_basic(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    refused(verify(state, basic("post-client-1", post_secret), &c, &err), &err, GH_E_AUTH,
            "invalid_client");
}

static void
r40_refuses_a_confidential_client_sending_only_its_client_id(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    gh_oauth_client_creds_t creds = { .client_id = "basic-client-1" };
    refused(verify(state, creds, &c, &err), &err, GH_E_AUTH, "invalid_client");
}

static void
r41_refuses_a_public_client_sending_a_secret(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    gh_oauth_client_creds_t creds = { .client_id = "public-client-1", .client_secret = "s" };
    refused(verify(state, creds, &c, &err), &err, GH_E_AUTH, "invalid_client");
}

static void
refuses_a_request_without_any_client_credentials(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    refused(verify(state, (gh_oauth_client_creds_t){ 0 }, &c, &err), &err, GH_E_AUTH,
            "invalid_client");
}

static void
r36_refuses_unknown_disabled_and_wrong_secret_alike(void **state)
{
    gh_client_t c;
    gh_err_t unknown = { 0 }, disabled = { 0 }, wrong = { 0 };
    refused(verify(state, basic("nobody-1234", basic_secret), &c, &unknown), &unknown,
            GH_E_AUTH, "invalid_client");
    refused(verify(state, basic("disabled-client-1", basic_secret), &c, &disabled), &disabled,
            GH_E_AUTH, "invalid_client");
    refused(verify(state, basic("basic-client-1", "s3cret:with %+ spacE"), &c, &wrong), &wrong,
            GH_E_AUTH, "invalid_client");
    assert_string_equal(unknown.description, disabled.description);
    assert_string_equal(unknown.description, wrong.description);
    assert_null(strstr(wrong.description, "s3cret"));
    assert_int_equal(failures, 1);
}

static void
refuses_an_empty_basic_password(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    refused(verify(state, basic("basic-client-1", ""), &c, &err), &err, GH_E_AUTH,
            "invalid_client");
}

static void
r39_locks_the_client_after_repeated_wrong_secrets_even_against_the_right_one(void **state)
{
    gh_client_t c;
    for (int i = 0; i < GH_OAUTH_CLIENTAUTH_FAILURES; i++) {
        gh_err_t err = { 0 };
        refused(verify(state, basic("basic-client-1", "guess"), &c, &err), &err, GH_E_AUTH,
                "invalid_client");
    }
    gh_err_t err = { 0 };
    refused(verify(state, basic("basic-client-1", basic_secret), &c, &err), &err,
            GH_E_TOO_MANY, "slow_down");
    assert_int_equal(failures, GH_OAUTH_CLIENTAUTH_FAILURES);
}

static void
passes_a_database_outage_up(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    store_down = true;
    assert_int_equal(verify(state, basic("basic-client-1", basic_secret), &c, &err),
                     GH_E_UNAVAILABLE);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(r37_basic_client_authenticates_with_basic),
        T(post_client_authenticates_with_the_secret_in_the_body),
        T(r41_public_client_authenticates_with_its_client_id_alone),
        T(basic_with_the_same_client_id_in_the_body_is_accepted),
        T(r38_refuses_basic_and_a_body_secret_together),
        T(refuses_a_body_client_id_that_is_not_the_basic_one),
        T(r38_refuses_a_basic_client_sending_its_secret_in_the_body),
        T(r38_refuses_a_wrong_secret_in_the_body_of_a_basic_client_without_counting_it),
        T(refuses_a_post_client_using_basic),
        T(r40_refuses_a_confidential_client_sending_only_its_client_id),
        T(r41_refuses_a_public_client_sending_a_secret),
        T(refuses_a_request_without_any_client_credentials),
        T(r36_refuses_unknown_disabled_and_wrong_secret_alike),
        T(refuses_an_empty_basic_password),
        T(r39_locks_the_client_after_repeated_wrong_secrets_even_against_the_right_one),
        T(passes_a_database_outage_up),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
