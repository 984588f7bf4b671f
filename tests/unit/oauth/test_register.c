/*
 * tests/unit/oauth/test_register.c: oauth/register.h, RFC 7591 metadata to and from a
 * client, with oauth/client.c's rules behind it (REQUIREMENTS R41, R90-R92, R95).
 *
 * No database: reading metadata and building the response are plain functions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "oauth/client.h"
#include "oauth/register.h"
#include "support/unit.h"

/* Reads the JSON text into a fresh client, as a registration does. */
static gh_status_t
read_new(void **state, const char *text, gh_client_t *c, gh_err_t *err)
{
    /* NUL inside strings too: http/ refuses them, but this file must not rely on it. */
    json_t *body = json_loads(text, JSON_ALLOW_NUL, NULL);
    assert_non_null(body);
    memset(c, 0, sizeof *c);
    c->require_pkce = true;
    gh_status_t st = gh_oauth_register_metadata_read(*state, body, c, err);
    json_decref(body);
    return st;
}

static void
refused(gh_status_t st, const gh_err_t *err, const char *code, const char *words)
{
    assert_int_equal(st, GH_E_INPUT);
    assert_string_equal(err->oauth_error, code);
    assert_non_null(strstr(err->description, words));
}

static void
reads_rfc7591_members_into_the_client(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    assert_int_equal(read_new(state,
        "{\"client_name\": \"My App\", \"redirect_uris\": [\"https://app.example/cb\","
        " \"http://127.0.0.1/cb\"], \"token_endpoint_auth_method\": \"client_secret_post\","
        " \"grant_types\": [\"authorization_code\"], \"response_types\": [\"code\"],"
        " \"scope\": \"openid profile\", \"logo_uri\": \"https://app.example/logo.png\","
        " \"tos_uri\": \"https://app.example/tos\", \"policy_uri\": \"https://app.example/p\","
        " \"contacts\": [\"dev@app.example\"], \"id_token_signed_response_alg\": \"ES256\","
        " \"post_logout_redirect_uris\": [\"https://app.example/bye\"]}", &c, &err), GH_OK);
    assert_string_equal(c.name, "My App");
    assert_int_equal(c.redirect_uris.n, 2);
    assert_string_equal(c.redirect_uris.items[1], "http://127.0.0.1/cb");
    assert_string_equal(c.auth_method, "client_secret_post");
    assert_string_equal(c.client_type, "confidential");
    assert_int_equal(c.grant_types.n, 1);
    assert_int_equal(c.scopes.n, 2);
    assert_string_equal(c.scopes.items[1], "profile");
    assert_string_equal(c.logo_uri, "https://app.example/logo.png");
    assert_string_equal(c.contacts.items[0], "dev@app.example");
    assert_string_equal(c.id_token_alg, "ES256");
    assert_string_equal(c.post_logout_redirect_uris.items[0], "https://app.example/bye");
    assert_int_equal(gh_oauth_client_validate(&c, &err), GH_OK);
}

static void
r90_applies_the_defaults_to_members_left_out(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    assert_int_equal(read_new(state, "{\"redirect_uris\": [\"https://app.example:8443/cb\"]}",
                              &c, &err), GH_OK);
    assert_string_equal(c.auth_method, "client_secret_basic");
    assert_string_equal(c.client_type, "confidential");
    assert_false(c.is_public);
    assert_true(gh_strlist_contains(&c.grant_types, "authorization_code"));
    assert_string_equal(gh_strlist_join(*state, &c.scopes, " "), "openid");
    assert_string_equal(c.id_token_alg, "RS256");
    assert_string_equal(c.name, "app.example:8443");
    assert_int_equal(gh_oauth_client_validate(&c, &err), GH_OK);
}

static void
names_a_native_app_after_its_private_use_scheme(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    assert_int_equal(read_new(state, "{\"redirect_uris\": [\"com.example.app:/cb\"],"
                                     " \"token_endpoint_auth_method\": \"none\"}",
                              &c, &err), GH_OK);
    assert_string_equal(c.name, "com.example.app");
}

static void
r41_auth_method_none_makes_a_public_client(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    assert_int_equal(read_new(state, "{\"redirect_uris\": [\"http://127.0.0.1/cb\"],"
                                     " \"token_endpoint_auth_method\": \"none\"}",
                              &c, &err), GH_OK);
    assert_true(c.is_public);
    assert_string_equal(c.client_type, "public");
    assert_true(c.require_pkce);
    assert_int_equal(gh_oauth_client_validate(&c, &err), GH_OK);
}

static void
r92_ignores_unknown_members_the_client_id_and_gatehouse_own_settings(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    assert_int_equal(read_new(state,
        "{\"redirect_uris\": [\"https://app.example/cb\"], \"foo\": 1, \"client_id\": \"admin\","
        " \"client_secret\": \"mine\", \"trusted\": true, \"require_pkce\": false,"
        " \"resource_server\": true, \"access_token_format\": \"jwt\", \"disabled\": true}",
        &c, &err), GH_OK);
    assert_null(c.client_id);
    assert_false(c.skip_consent);
    assert_true(c.require_pkce);
    assert_false(c.is_resource_server);
    assert_false(c.disabled);
    assert_string_equal(c.access_token_format, "opaque");
}

static void
takes_null_empty_strings_and_empty_arrays_as_left_out(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    assert_int_equal(read_new(state,
        "{\"redirect_uris\": [\"https://app.example/cb\"], \"client_name\": \"\","
        " \"logo_uri\": null, \"grant_types\": [], \"scope\": \"\", \"response_types\": [],"
        " \"token_endpoint_auth_method\": null}", &c, &err), GH_OK);
    assert_string_equal(c.name, "app.example");
    assert_null(c.logo_uri);
    assert_int_equal(c.grant_types.n, 2);
    assert_string_equal(c.scopes.items[0], "openid");
    assert_string_equal(c.auth_method, "client_secret_basic");
}

static void
r95_an_update_resets_what_it_leaves_out(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    assert_int_equal(read_new(state,
        "{\"client_name\": \"Old\", \"redirect_uris\": [\"https://app.example/old\"],"
        " \"logo_uri\": \"https://app.example/l.png\", \"scope\": \"openid email\","
        " \"contacts\": [\"a@app.example\"], \"id_token_signed_response_alg\": \"EdDSA\"}",
        &c, &err), GH_OK);
    c.client_id = "kept-id";
    json_t *put = json_pack("{s:s, s:[s]}", "client_id", "kept-id", "redirect_uris",
                            "https://app.example/new");
    assert_int_equal(gh_oauth_register_metadata_read(*state, put, &c, &err), GH_OK);
    json_decref(put);
    assert_string_equal(c.client_id, "kept-id");
    assert_string_equal(c.redirect_uris.items[0], "https://app.example/new");
    assert_int_equal(c.redirect_uris.n, 1);
    assert_string_equal(c.name, "app.example");
    assert_null(c.logo_uri);
    assert_int_equal(c.scopes.n, 1);
    assert_int_equal(c.contacts.n, 0);
    assert_string_equal(c.id_token_alg, "RS256");
}

static void
refuses_response_types_other_than_code(void **state)
{
    static const char *const bodies[] = {
        "{\"redirect_uris\": [\"https://a.example/cb\"], \"response_types\": [\"token\"]}",
        "{\"redirect_uris\": [\"https://a.example/cb\"], \"response_types\": [\"code\", \"id_token\"]}",
        "{\"redirect_uris\": [\"https://a.example/cb\"], \"response_types\": [\"code id_token\"]}",
        "{\"redirect_uris\": [\"https://a.example/cb\"], \"response_types\": \"code\"}",
        "{\"redirect_uris\": [\"https://a.example/cb\"], \"response_types\": [\"code\\u0000x\"]}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        gh_client_t c;
        gh_err_t err = { 0 };
        refused(read_new(state, bodies[i], &c, &err), &err, "invalid_client_metadata",
                "response_types");
    }
}

static void
refuses_the_code_response_type_without_the_code_grant(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    refused(read_new(state, "{\"grant_types\": [\"client_credentials\"],"
                            " \"response_types\": [\"code\"]}", &c, &err),
            &err, "invalid_client_metadata", "authorization_code");
}

static void
refuses_members_of_the_wrong_type(void **state)
{
    static const struct { const char *body, *member; } cases[] = {
        { "{\"redirect_uris\": \"https://a.example/cb\"}", "redirect_uris" },
        { "{\"redirect_uris\": [\"https://a.example/cb\", 7]}", "redirect_uris" },
        { "{\"redirect_uris\": [\"https://a.example/cb\"], \"client_name\": 5}", "client_name" },
        { "{\"redirect_uris\": [\"https://a.example/cb\"], \"scope\": [\"openid\"]}", "scope" },
        { "{\"redirect_uris\": [\"https://a.example/cb\"], \"contacts\": \"a@b.example\"}",
          "contacts" },
        { "{\"redirect_uris\": [\"https://a.example/cb\"], \"client_name\": \"a\\u0000b\"}",
          "client_name" },
        { "{\"redirect_uris\": [\"https://a.example/cb\"], \"scope\": \"openid  email\"}",
          "scope" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gh_client_t c;
        gh_err_t err = { 0 };
        refused(read_new(state, cases[i].body, &c, &err), &err, "invalid_client_metadata",
                cases[i].member);
    }
}

static void
refuses_a_body_that_is_not_an_object(void **state)
{
    gh_client_t c = { 0 };
    gh_err_t err = { 0 };
    json_t *arr = json_array();
    refused(gh_oauth_register_metadata_read(*state, arr, &c, &err), &err,
            "invalid_client_metadata", "JSON object");
    json_decref(arr);
}

/* R91: the values go through the same rules as every other way of making a client. */
static void
r91_the_client_rules_refuse_bad_values_with_rfc7591_codes(void **state)
{
    static const struct { const char *body, *code; } cases[] = {
        { "{\"redirect_uris\": [\"http://app.example/cb\"]}", "invalid_redirect_uri" },
        { "{\"redirect_uris\": [\"https://app.example/cb#f\"]}", "invalid_redirect_uri" },
        { "{\"client_name\": \"no redirect\"}", "invalid_redirect_uri" },
        { "{\"grant_types\": [\"client_credentials\"], \"token_endpoint_auth_method\": \"none\"}",
          "invalid_client_metadata" },
        { "{\"redirect_uris\": [\"https://a.example/cb\"], \"grant_types\": [\"password\"]}",
          "invalid_client_metadata" },
        { "{\"redirect_uris\": [\"https://a.example/cb\"],"
          " \"token_endpoint_auth_method\": \"private_key_jwt\"}", "invalid_client_metadata" },
        { "{\"redirect_uris\": [\"https://a.example/cb\"], \"logo_uri\": \"http://a.example/l\"}",
          "invalid_client_metadata" },
        { "{\"redirect_uris\": [\"https://a.example/cb\"],"
          " \"id_token_signed_response_alg\": \"none\"}", "invalid_client_metadata" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gh_client_t c;
        gh_err_t err = { 0 };
        gh_status_t st = read_new(state, cases[i].body, &c, &err);
        if (st == GH_OK)
            st = gh_oauth_client_validate(&c, &err);
        assert_int_equal(st, GH_E_INPUT);
        assert_string_equal(err.oauth_error, cases[i].code);
    }
}

static void
r90_response_has_the_secret_its_expiry_and_the_registration_members(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    assert_int_equal(read_new(state, "{\"redirect_uris\": [\"https://app.example/cb\"]}",
                              &c, &err), GH_OK);
    c.client_id = "new-client-id";
    c.issued_at = 1800000000;
    gh_oauth_register_extras_t x = {
        .client_secret = "s3cret", .registration_access_token = "rat",
        .registration_client_uri = "https://id.example/register/new-client-id",
    };
    json_t *r = gh_oauth_register_response(*state, &c, &x);
    assert_string_equal(json_string_value(json_object_get(r, "client_id")), "new-client-id");
    assert_int_equal(json_integer_value(json_object_get(r, "client_id_issued_at")), 1800000000);
    assert_string_equal(json_string_value(json_object_get(r, "client_secret")), "s3cret");
    assert_true(json_is_integer(json_object_get(r, "client_secret_expires_at")));
    assert_int_equal(json_integer_value(json_object_get(r, "client_secret_expires_at")), 0);
    assert_string_equal(json_string_value(json_object_get(r, "registration_access_token")),
                        "rat");
    assert_string_equal(json_string_value(json_object_get(r, "registration_client_uri")),
                        x.registration_client_uri);
    assert_string_equal(json_string_value(json_object_get(r, "token_endpoint_auth_method")),
                        "client_secret_basic");
    assert_string_equal(json_string_value(json_object_get(r, "scope")), "openid");
    assert_string_equal(json_string_value(json_array_get(json_object_get(r, "response_types"),
                                                         0)), "code");
    json_decref(r);
}

static void
r41_response_of_a_public_client_has_no_secret_nor_expiry(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    assert_int_equal(read_new(state, "{\"redirect_uris\": [\"http://127.0.0.1/cb\"],"
                                     " \"token_endpoint_auth_method\": \"none\"}",
                              &c, &err), GH_OK);
    gh_oauth_register_extras_t x = { .registration_access_token = "rat" };
    json_t *r = gh_oauth_register_response(*state, &c, &x);
    assert_null(json_object_get(r, "client_secret"));
    assert_null(json_object_get(r, "client_secret_expires_at"));
    assert_string_equal(json_string_value(json_object_get(r, "token_endpoint_auth_method")),
                        "none");
    json_decref(r);
}

static void
response_has_no_response_type_without_the_code_grant(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    assert_int_equal(read_new(state, "{\"grant_types\": [\"client_credentials\"]}", &c, &err),
                     GH_OK);
    assert_string_equal(c.name, "Unnamed client");
    gh_oauth_register_extras_t x = { 0 };
    json_t *r = gh_oauth_register_response(*state, &c, &x);
    assert_int_equal(json_array_size(json_object_get(r, "response_types")), 0);
    assert_null(json_object_get(r, "registration_access_token"));
    json_decref(r);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, arena_setup, arena_teardown)
    const struct CMUnitTest tests[] = {
        T(reads_rfc7591_members_into_the_client),
        T(r90_applies_the_defaults_to_members_left_out),
        T(names_a_native_app_after_its_private_use_scheme),
        T(r41_auth_method_none_makes_a_public_client),
        T(r92_ignores_unknown_members_the_client_id_and_gatehouse_own_settings),
        T(takes_null_empty_strings_and_empty_arrays_as_left_out),
        T(r95_an_update_resets_what_it_leaves_out),
        T(refuses_response_types_other_than_code),
        T(refuses_the_code_response_type_without_the_code_grant),
        T(refuses_members_of_the_wrong_type),
        T(refuses_a_body_that_is_not_an_object),
        T(r91_the_client_rules_refuse_bad_values_with_rfc7591_codes),
        T(r90_response_has_the_secret_its_expiry_and_the_registration_members),
        T(r41_response_of_a_public_client_has_no_secret_nor_expiry),
        T(response_has_no_response_type_without_the_code_grant),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
