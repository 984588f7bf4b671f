/*
 * tests/unit/oauth/test_client_json.c: oauth/client_json.h, the client document the
 * admin API, the command line and dynamic registration share.
 *
 * What a client says in JSON comes back the same; members of the wrong type are
 * refused by name with invalid_client_metadata; members that are not the caller's to
 * set (id, type, disabled) are never read, and a secret is written only when given.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "support/unit.h"
#include "oauth/client_json.h"

static json_t *
parse(const char *text)
{
    json_t *j = json_loads(text, JSON_ALLOW_NUL, NULL);
    assert_non_null(j);
    return j;
}

static gh_status_t
read_into(gh_arena_t *a, const char *text, gh_client_t *c, gh_err_t *err)
{
    json_t *j = parse(text);
    gh_status_t st = gh_oauth_client_from_json(a, j, c, err);
    json_decref(j);
    return st;
}

static void
refused(gh_arena_t *a, const char *text, const char *member)
{
    gh_client_t c = { 0 };
    gh_err_t err = { 0 };
    assert_int_equal(read_into(a, text, &c, &err), GH_E_INPUT);
    assert_string_equal(err.oauth_error, "invalid_client_metadata");
    assert_non_null(strstr(err.description, member));
}

static void
reads_what_it_writes(void **state)
{
    gh_arena_t *a = *state;
    gh_client_t c = { 0 };
    gh_err_t err = { 0 };
    assert_int_equal(read_into(a, "{\"client_name\": \"App\", \"redirect_uris\":"
                                  " [\"https://a.example/cb\", \"http://127.0.0.1/cb\"],"
                                  " \"scope\": \"openid email\", \"trusted\": true,"
                                  " \"logo_uri\": \"https://a.example/l.png\"}", &c, &err),
                     GH_OK);
    json_t *out = gh_oauth_client_to_json(a, &c, NULL);
    gh_client_t again = { 0 };
    assert_int_equal(gh_oauth_client_from_json(a, out, &again, &err), GH_OK);
    assert_string_equal(again.name, "App");
    assert_int_equal(again.redirect_uris.n, 2);
    assert_string_equal(again.redirect_uris.items[1], "http://127.0.0.1/cb");
    assert_int_equal(again.scopes.n, 2);
    assert_true(again.skip_consent);
    assert_string_equal(again.logo_uri, "https://a.example/l.png");
    assert_null(json_object_get(out, "client_secret"));
    json_decref(out);
}

static void
writes_the_secret_only_when_given(void **state)
{
    gh_arena_t *a = *state;
    gh_client_t c = { .client_id = "abcdefgh", .name = "App" };
    json_t *out = gh_oauth_client_to_json(a, &c, "s3cret");
    assert_string_equal(json_string_value(json_object_get(out, "client_secret")), "s3cret");
    assert_string_equal(json_string_value(json_object_get(out, "client_id")), "abcdefgh");
    json_decref(out);
}

static void
never_reads_the_id_type_or_disabled_flag(void **state)
{
    gh_arena_t *a = *state;
    gh_client_t c = { .client_id = "kept-id1", .client_type = "confidential" };
    gh_err_t err = { 0 };
    assert_int_equal(read_into(a, "{\"client_id\": \"other-id\", \"client_type\": \"public\","
                                  " \"disabled\": true, \"client_secret\": \"x\"}", &c, &err),
                     GH_OK);
    assert_string_equal(c.client_id, "kept-id1");
    assert_string_equal(c.client_type, "confidential");
    assert_false(c.disabled);
}

static void
leaves_members_that_are_absent_alone(void **state)
{
    gh_arena_t *a = *state;
    gh_client_t c = { .name = "Old", .require_pkce = true };
    gh_err_t err = { 0 };
    assert_int_equal(read_into(a, "{\"tos_uri\": \"https://a.example/tos\"}", &c, &err), GH_OK);
    assert_string_equal(c.name, "Old");
    assert_true(c.require_pkce);
}

static void
unsets_a_uri_given_as_null_or_empty(void **state)
{
    gh_arena_t *a = *state;
    gh_client_t c = { .logo_uri = "https://a.example/l.png", .tos_uri = "https://t" };
    gh_err_t err = { 0 };
    assert_int_equal(read_into(a, "{\"logo_uri\": null, \"tos_uri\": \"\"}", &c, &err), GH_OK);
    assert_null(c.logo_uri);
    assert_null(c.tos_uri);
}

static void
refuses_a_name_that_is_not_a_string(void **state)
{
    refused(*state, "{\"client_name\": 7}", "client_name");
}

static void
refuses_redirect_uris_that_are_not_an_array_of_strings(void **state)
{
    refused(*state, "{\"redirect_uris\": \"https://a.example/cb\"}", "redirect_uris");
    refused(*state, "{\"redirect_uris\": [\"https://a.example/cb\", 1]}", "redirect_uris");
}

static void
refuses_a_string_with_a_nul_byte(void **state)
{
    refused(*state, "{\"client_name\": \"App\\u0000evil\"}", "client_name");
}

static void
refuses_a_scope_with_doubled_spaces(void **state)
{
    refused(*state, "{\"scope\": \"openid  email\"}", "scope");
}

static void
refuses_a_flag_that_is_not_a_boolean(void **state)
{
    refused(*state, "{\"trusted\": \"yes\"}", "trusted");
}

static void
refuses_a_document_that_is_not_an_object(void **state)
{
    gh_client_t c = { 0 };
    gh_err_t err = { 0 };
    json_t *j = parse("[]");
    assert_int_equal(gh_oauth_client_from_json(*state, j, &c, &err), GH_E_INPUT);
    assert_string_equal(err.oauth_error, "invalid_client_metadata");
    json_decref(j);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(reads_what_it_writes, arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(writes_the_secret_only_when_given, arena_setup,
                                        arena_teardown),
        cmocka_unit_test_setup_teardown(never_reads_the_id_type_or_disabled_flag, arena_setup,
                                        arena_teardown),
        cmocka_unit_test_setup_teardown(leaves_members_that_are_absent_alone, arena_setup,
                                        arena_teardown),
        cmocka_unit_test_setup_teardown(unsets_a_uri_given_as_null_or_empty, arena_setup,
                                        arena_teardown),
        cmocka_unit_test_setup_teardown(refuses_a_name_that_is_not_a_string, arena_setup,
                                        arena_teardown),
        cmocka_unit_test_setup_teardown(refuses_redirect_uris_that_are_not_an_array_of_strings,
                                        arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(refuses_a_string_with_a_nul_byte, arena_setup,
                                        arena_teardown),
        cmocka_unit_test_setup_teardown(refuses_a_scope_with_doubled_spaces, arena_setup,
                                        arena_teardown),
        cmocka_unit_test_setup_teardown(refuses_a_flag_that_is_not_a_boolean, arena_setup,
                                        arena_teardown),
        cmocka_unit_test_setup_teardown(refuses_a_document_that_is_not_an_object, arena_setup,
                                        arena_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
