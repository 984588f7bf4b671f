/*
 * tests/unit/oauth/test_client.c: the client rules (oauth/client.h) without a database
 * (REQUIREMENTS R03, R41, R93; issue 6).
 *
 * The store is replaced at link time (-Wl,--wrap): gatehouse.scopes holds openid,
 * profile and email; one confidential and one public client are stored; inserts,
 * updates and secret changes are recorded, not written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/hash.h"
#include "oauth/client.h"
#include "store/scopes.h"
#include "support/unit.h"

static const char *const known_scopes[] = { "openid", "profile", "email" };

static int inserts, updates, secret_changes;
static const char *last_secret_hash;

gh_status_t __wrap_gh_store_scopes_get(gh_db_t *db, gh_arena_t *a, const gh_strlist_t *names,
                                       const char *lang, gh_scope_t **out, size_t *n,
                                       gh_err_t *err);
gh_status_t __wrap_gh_store_client_get(gh_db_t *db, gh_arena_t *a, const char *client_id,
                                       gh_client_t *out, gh_err_t *err);
gh_status_t __wrap_gh_store_client_insert(gh_db_t *db, gh_arena_t *a, const gh_client_t *c,
                                          gh_err_t *err);
gh_status_t __wrap_gh_store_client_update(gh_db_t *db, gh_arena_t *a, const gh_client_t *c,
                                          gh_err_t *err);
gh_status_t __wrap_gh_store_client_set_secret(gh_db_t *db, const char *client_id,
                                              const char *secret_hash, gh_err_t *err);

/* As the real statement: the rows of the names that exist, in the order given. */
gh_status_t
__wrap_gh_store_scopes_get(gh_db_t *db, gh_arena_t *a, const gh_strlist_t *names,
                           const char *lang, gh_scope_t **out, size_t *n, gh_err_t *err)
{
    (void)db;
    (void)lang;
    (void)err;
    *out = gh_arena_alloc(a, (names->n + 1) * sizeof **out);
    *n = 0;
    for (size_t i = 0; i < names->n; i++)
        for (size_t k = 0; k < sizeof known_scopes / sizeof known_scopes[0]; k++)
            if (strcmp(names->items[i], known_scopes[k]) == 0)
                (*out)[(*n)++] = (gh_scope_t){ .name = known_scopes[k] };
    return GH_OK;
}

gh_status_t
__wrap_gh_store_client_get(gh_db_t *db, gh_arena_t *a, const char *client_id,
                           gh_client_t *out, gh_err_t *err)
{
    (void)db;
    bool is_public = strcmp(client_id, "public-client") == 0;
    if (!is_public && strcmp(client_id, "confidential-client") != 0)
        return gh_fail(err, GH_E_NOTFOUND, "no such client");
    *out = (gh_client_t){ .client_id = client_id, .name = "Stored", .require_pkce = true,
                          .client_type = is_public ? "public" : "confidential" };
    gh_strlist_add(a, &out->redirect_uris, "https://app.example/cb");
    gh_oauth_client_defaults(a, out);
    return GH_OK;
}

gh_status_t
__wrap_gh_store_client_insert(gh_db_t *db, gh_arena_t *a, const gh_client_t *c, gh_err_t *err)
{
    (void)db;
    (void)a;
    (void)c;
    (void)err;
    inserts++;
    return GH_OK;
}

gh_status_t
__wrap_gh_store_client_update(gh_db_t *db, gh_arena_t *a, const gh_client_t *c, gh_err_t *err)
{
    (void)db;
    (void)a;
    (void)c;
    (void)err;
    updates++;
    return GH_OK;
}

gh_status_t
__wrap_gh_store_client_set_secret(gh_db_t *db, const char *client_id, const char *secret_hash,
                                  gh_err_t *err)
{
    (void)db;
    (void)client_id;
    (void)err;
    secret_changes++;
    last_secret_hash = secret_hash;
    return GH_OK;
}

static int
setup(void **state)
{
    inserts = updates = secret_changes = 0;
    last_secret_hash = NULL;
    return arena_setup(state);
}

/* A valid code-flow client, defaults applied. */
static gh_client_t
good_client(gh_arena_t *a)
{
    gh_client_t c = { .name = "Good App", .require_pkce = true };
    gh_strlist_add(a, &c.redirect_uris, "https://app.example/cb");
    gh_strlist_add(a, &c.scopes, "openid");
    gh_strlist_add(a, &c.scopes, "profile");
    gh_oauth_client_defaults(a, &c);
    return c;
}

static void
assert_invalid(const gh_client_t *c, const char *oauth_error, const char *want)
{
    gh_err_t err = { 0 };
    assert_int_equal(gh_oauth_client_validate(c, &err), GH_E_INPUT);
    assert_string_equal(err.oauth_error, oauth_error);
    if (strstr(err.description, want) == NULL)
        fail_msg("description \"%s\" lacks \"%s\"", err.description, want);
}

static void
client_validate_accepts_a_good_client(void **state)
{
    gh_client_t c = good_client(*state);
    gh_err_t err = { 0 };
    assert_int_equal(gh_oauth_client_validate(&c, &err), GH_OK);
}

static void
r03_client_refuses_http_redirect_uris_fragments_and_hostless_ports(void **state)
{
    const char *bad[] = { "http://app.example/cb", "https://app.example/cb#f",
                          "https://:443/cb", "https://app.example:0/cb",
                          "https://app.example:65536/cb" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gh_client_t c = good_client(*state);
        c.redirect_uris.items[0] = bad[i];
        assert_invalid(&c, "invalid_redirect_uri", "redirect URI 1");
    }
}

static void
r93_client_refuses_logo_tos_and_policy_uris_that_are_not_plain_https(void **state)
{
    const char *bad[] = { "javascript:alert(1)", "http://app.example/logo.png", "https://",
                          "https://app.example/\"onerror=x", "https://app.example/<x>",
                          "https://app.example/a b", "https://app.example/\x01",
                          "data:image/png;base64,AAAA" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gh_client_t c = good_client(*state);
        c.tos_uri = bad[i];
        assert_invalid(&c, "invalid_client_metadata", "must be https URLs");
    }
}

static void
r41_client_refuses_a_public_client_with_client_credentials(void **state)
{
    gh_client_t c = { .name = "SPA", .client_type = "public", .require_pkce = true };
    gh_strlist_add(*state, &c.redirect_uris, "https://spa.example/cb");
    gh_strlist_add(*state, &c.grant_types, "client_credentials");
    gh_oauth_client_defaults(*state, &c);
    assert_string_equal(c.auth_method, "none");
    assert_invalid(&c, "invalid_client_metadata", "client_credentials");
}

static void
client_refuses_contacts_that_are_not_email_addresses(void **state)
{
    const char *bad[] = { "ops", "@example.com", "ops@", "ops@@example.com", "a b@example.com",
                          "ops@example.com\n" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gh_client_t c = good_client(*state);
        gh_strlist_add(*state, &c.contacts, "good@example.com");
        gh_strlist_add(*state, &c.contacts, bad[i]);
        assert_invalid(&c, "invalid_client_metadata", "contact 2");
    }
}

static void
client_refuses_lifetimes_out_of_range(void **state)
{
    gh_client_t c = good_client(*state);
    c.access_token_ttl = 86401;
    assert_invalid(&c, "invalid_client_metadata", "access token lifetime");
    c.access_token_ttl = -1;
    assert_invalid(&c, "invalid_client_metadata", "access token lifetime");
    c = good_client(*state);
    c.refresh_idle_ttl = -5;
    assert_invalid(&c, "invalid_client_metadata", "refresh token lifetimes");
    c = good_client(*state);
    c.refresh_token_ttl = 1L << 40;
    assert_invalid(&c, "invalid_client_metadata", "refresh token lifetimes");
    c = good_client(*state);
    c.access_token_ttl = 86400;
    c.refresh_token_ttl = 3600;
    gh_err_t err = { 0 };
    assert_int_equal(gh_oauth_client_validate(&c, &err), GH_OK);
}

static void
client_counts_name_length_in_characters_and_refuses_control_characters(void **state)
{
    char name[200 * 3 + 4] = "";
    for (int i = 0; i < 200; i++)
        strcat(name, "\xe3\x81\x82");      /* U+3042: 200 characters, 600 bytes */
    gh_client_t c = good_client(*state);
    c.name = name;
    gh_err_t err = { 0 };
    assert_int_equal(gh_oauth_client_validate(&c, &err), GH_OK);
    strcat(name, "a");
    assert_invalid(&c, "invalid_client_metadata", "name must be");
    c.name = "line\nbreak";
    assert_invalid(&c, "invalid_client_metadata", "name must be");
    c.name = "";
    assert_invalid(&c, "invalid_client_metadata", "name must be");
    c = good_client(*state);
    c.app_key = "key\x7f";
    assert_invalid(&c, "invalid_client_metadata", "app key");
}

static void
client_check_refuses_a_scope_missing_from_gatehouse_scopes(void **state)
{
    gh_client_t c = good_client(*state);
    gh_strlist_add(*state, &c.scopes, "threads:read");
    gh_err_t err = { 0 };
    assert_int_equal(gh_oauth_client_check(NULL, *state, &c, &err), GH_E_INPUT);
    assert_string_equal(err.oauth_error, "invalid_client_metadata");
    assert_string_equal(err.description, "scope 3 is not defined (gatehouse.scopes)");
    const char *secret = NULL;
    assert_int_equal(gh_oauth_client_create(NULL, *state, &c, &secret, &err), GH_E_INPUT);
    assert_int_equal(inserts, 0);
}

static void
client_create_makes_an_id_and_a_256_bit_secret_stored_hashed(void **state)
{
    gh_client_t c = good_client(*state);
    const char *secret = NULL;
    gh_err_t err = { 0 };
    assert_int_equal(gh_oauth_client_create(NULL, *state, &c, &secret, &err), GH_OK);
    assert_int_equal(inserts, 1);
    assert_int_equal(strlen(c.client_id), 24);
    assert_int_equal(strlen(secret), 43);        /* 32 bytes, base64url */
    char *hash = NULL;
    assert_int_equal(gh_hash_sha256_hex(*state, secret, &hash, &err), GH_OK);
    assert_string_equal(c.secret_hash, hash);
}

static void
r41_client_create_gives_a_public_client_no_secret(void **state)
{
    gh_client_t c = good_client(*state);
    c.client_type = "public";
    c.auth_method = NULL;
    gh_oauth_client_defaults(*state, &c);
    const char *secret = "unset";
    gh_err_t err = { 0 };
    assert_int_equal(gh_oauth_client_create(NULL, *state, &c, &secret, &err), GH_OK);
    assert_null(secret);
    assert_null(c.secret_hash);
}

static void
client_update_refuses_to_change_the_type(void **state)
{
    gh_client_t c = good_client(*state);
    c.client_id = "confidential-client";
    c.client_type = "public";
    c.auth_method = "none";
    gh_err_t err = { 0 };
    assert_int_equal(gh_oauth_client_update(NULL, *state, &c, &err), GH_E_INPUT);
    assert_non_null(strstr(err.description, "type of a client cannot change"));
    assert_int_equal(updates, 0);
}

static void
client_update_applies_the_same_rules_as_create(void **state)
{
    gh_client_t c = good_client(*state);
    c.client_id = "confidential-client";
    c.logo_uri = "javascript:alert(1)";
    gh_err_t err = { 0 };
    assert_int_equal(gh_oauth_client_update(NULL, *state, &c, &err), GH_E_INPUT);
    c = good_client(*state);
    c.client_id = "confidential-client";
    gh_strlist_add(*state, &c.scopes, "nope");
    assert_int_equal(gh_oauth_client_update(NULL, *state, &c, &err), GH_E_INPUT);
    assert_int_equal(updates, 0);
    c = good_client(*state);
    c.client_id = "confidential-client";
    assert_int_equal(gh_oauth_client_update(NULL, *state, &c, &err), GH_OK);
    assert_int_equal(updates, 1);
    c.client_id = "no-such-client";
    assert_int_equal(gh_oauth_client_update(NULL, *state, &c, &err), GH_E_NOTFOUND);
}

static void
client_rotate_secret_refuses_public_clients(void **state)
{
    const char *secret = NULL;
    gh_err_t err = { 0 };
    assert_int_equal(gh_oauth_client_rotate_secret(NULL, *state, "public-client", &secret,
                                                   &err), GH_E_INPUT);
    assert_int_equal(secret_changes, 0);
    assert_int_equal(gh_oauth_client_rotate_secret(NULL, *state, "no-such-client", &secret,
                                                   &err), GH_E_NOTFOUND);
}

static void
client_rotate_secret_stores_the_hash_of_a_new_secret(void **state)
{
    const char *first = NULL, *second = NULL;
    gh_err_t err = { 0 };
    assert_int_equal(gh_oauth_client_rotate_secret(NULL, *state, "confidential-client", &first,
                                                   &err), GH_OK);
    char *hash = NULL;
    assert_int_equal(gh_hash_sha256_hex(*state, first, &hash, &err), GH_OK);
    assert_string_equal(last_secret_hash, hash);
    assert_int_equal(gh_oauth_client_rotate_secret(NULL, *state, "confidential-client",
                                                   &second, &err), GH_OK);
    assert_int_equal(strlen(second), 43);
    assert_string_not_equal(first, second);
}

static void
client_is_same_ignores_identity_and_sees_every_setting(void **state)
{
    gh_client_t x = good_client(*state), y = good_client(*state);
    x.client_id = "one";
    y.client_id = "two";
    y.secret_hash = "ab";
    y.disabled = true;
    y.created_at = "yesterday";
    assert_true(gh_oauth_client_is_same(&x, &y));
    y.logo_uri = "https://app.example/logo.png";
    assert_false(gh_oauth_client_is_same(&x, &y));
    y = good_client(*state);
    y.refresh_idle_ttl = 60;
    assert_false(gh_oauth_client_is_same(&x, &y));
    y = good_client(*state);
    y.scopes.items[0] = "profile";          /* the order of a list counts */
    y.scopes.items[1] = "openid";
    assert_false(gh_oauth_client_is_same(&x, &y));
    y = good_client(*state);
    y.app_key = "Good App";
    assert_false(gh_oauth_client_is_same(&x, &y));
}

#define TEST(f) cmocka_unit_test_setup_teardown(f, setup, arena_teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        TEST(client_validate_accepts_a_good_client),
        TEST(r03_client_refuses_http_redirect_uris_fragments_and_hostless_ports),
        TEST(r93_client_refuses_logo_tos_and_policy_uris_that_are_not_plain_https),
        TEST(r41_client_refuses_a_public_client_with_client_credentials),
        TEST(client_refuses_contacts_that_are_not_email_addresses),
        TEST(client_refuses_lifetimes_out_of_range),
        TEST(client_counts_name_length_in_characters_and_refuses_control_characters),
        TEST(client_check_refuses_a_scope_missing_from_gatehouse_scopes),
        TEST(client_create_makes_an_id_and_a_256_bit_secret_stored_hashed),
        TEST(r41_client_create_gives_a_public_client_no_secret),
        TEST(client_update_refuses_to_change_the_type),
        TEST(client_update_applies_the_same_rules_as_create),
        TEST(client_rotate_secret_refuses_public_clients),
        TEST(client_rotate_secret_stores_the_hash_of_a_new_secret),
        TEST(client_is_same_ignores_identity_and_sees_every_setting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
