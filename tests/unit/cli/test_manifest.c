/*
 * tests/unit/cli/test_manifest.c: reading app manifests (cli/manifest.h), YAML and JSON.
 *
 * What a manifest may say and what it is refused for: unknown keys (named), wrong
 * types, duplicate keys, YAML aliases and tags ("billion laughs"), deep nesting, several
 * documents, empty and oversized files. Whether the values make a valid client is
 * tested with oauth/client.c (test_client.c) and end to end (test_clients.py).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/manifest.h"
#include "support/unit.h"

/* The example of issue 6, as an operator would write it. */
static const char issue_yaml[] =
    "# My App's client\n"
    "oauth:\n"
    "  clientName: My App\n"
    "  redirectUris: [https://my-app.example.com/callback, http://localhost:3000/callback]\n"
    "  scopes: [threads:read, threads:write, runs:read]\n"
    "  metadata:\n"
    "    logoUri: https://my-app.example.com/logo.png\n"
    "    tosUri: https://my-app.example.com/terms\n"
    "    policyUri: https://my-app.example.com/privacy\n";

static const char issue_json[] =
    "{\"oauth\": {\"clientName\": \"My App\",\n"
    " \"redirectUris\": [\"https://my-app.example.com/callback\","
    " \"http://localhost:3000/callback\"],\n"
    " \"scopes\": [\"threads:read\", \"threads:write\", \"runs:read\"],\n"
    " \"metadata\": {\"logoUri\": \"https://my-app.example.com/logo.png\","
    " \"tosUri\": \"https://my-app.example.com/terms\","
    " \"policyUri\": \"https://my-app.example.com/privacy\"}}}\n";

static gh_status_t
parse(void **state, const char *text, gh_manifest_format_t format, gh_client_t *out,
      gh_err_t *err)
{
    return gh_cli_manifest_parse(*state, text, strlen(text), format, out, err);
}

/* Parsing text fails with GH_E_INPUT and a description containing want. */
static void
assert_refused(void **state, const char *text, const char *want)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    assert_int_equal(parse(state, text, GH_MANIFEST_AUTO, &c, &err), GH_E_INPUT);
    if (strstr(err.description, want) == NULL)
        fail_msg("description \"%s\" lacks \"%s\"", err.description, want);
}

static void
assert_issue_example(const gh_client_t *c)
{
    assert_string_equal(c->name, "My App");
    assert_string_equal(c->app_key, "My App");
    assert_int_equal(c->redirect_uris.n, 2);
    assert_string_equal(c->redirect_uris.items[0], "https://my-app.example.com/callback");
    assert_string_equal(c->redirect_uris.items[1], "http://localhost:3000/callback");
    assert_int_equal(c->scopes.n, 3);
    assert_string_equal(c->scopes.items[2], "runs:read");
    assert_string_equal(c->logo_uri, "https://my-app.example.com/logo.png");
    assert_string_equal(c->tos_uri, "https://my-app.example.com/terms");
    assert_string_equal(c->policy_uri, "https://my-app.example.com/privacy");
    assert_null(c->client_type);
    assert_null(c->auth_method);
    assert_int_equal(c->grant_types.n, 0);
    assert_false(c->skip_consent);
}

static void
manifest_reads_the_issue_6_yaml_example(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    assert_int_equal(parse(state, issue_yaml, GH_MANIFEST_YAML, &c, &err), GH_OK);
    assert_issue_example(&c);
}

static void
manifest_reads_the_same_client_from_json(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    assert_int_equal(parse(state, issue_json, GH_MANIFEST_AUTO, &c, &err), GH_OK);
    assert_issue_example(&c);
}

static void
manifest_reads_every_optional_key(void **state)
{
    static const char text[] =
        "oauth:\n"
        "  clientName: \"Native: app\"\n"
        "  type: public\n"
        "  redirectUris:\n    - com.example.app:/cb\n"
        "  postLogoutRedirectUris: ['com.example.app:/out']\n"
        "  grantTypes: [authorization_code]\n"
        "  tokenEndpointAuthMethod: none\n"
        "  trusted: true\n"
        "  accessTokenFormat: jwt\n"
        "  metadata: {contacts: [ops@example.com, dev@example.com]}\n";
    gh_client_t c;
    gh_err_t err = { 0 };
    assert_int_equal(parse(state, text, GH_MANIFEST_AUTO, &c, &err), GH_OK);
    assert_string_equal(c.name, "Native: app");
    assert_string_equal(c.client_type, "public");
    assert_string_equal(c.redirect_uris.items[0], "com.example.app:/cb");
    assert_string_equal(c.post_logout_redirect_uris.items[0], "com.example.app:/out");
    assert_string_equal(c.grant_types.items[0], "authorization_code");
    assert_string_equal(c.auth_method, "none");
    assert_true(c.skip_consent);
    assert_string_equal(c.access_token_format, "jwt");
    assert_int_equal(c.contacts.n, 2);
    assert_string_equal(c.contacts.items[1], "dev@example.com");
}

static void
manifest_takes_null_values_as_not_set(void **state)
{
    static const char text[] =
        "oauth:\n  clientName: A\n  trusted: ~\n  type: null\n  metadata:\n"
        "    logoUri:\n";
    gh_client_t c;
    gh_err_t err = { 0 };
    assert_int_equal(parse(state, text, GH_MANIFEST_AUTO, &c, &err), GH_OK);
    assert_null(c.logo_uri);
    assert_null(c.client_type);
    assert_false(c.skip_consent);
}

static void
manifest_refuses_unknown_keys_and_names_them(void **state)
{
    assert_refused(state, "oauth:\n  clientName: A\n  clientSecret: x\n  metadata:\n"
                          "    logoURI: https://a.example/l.png\n",
                   "unknown keys: oauth.clientSecret, oauth.metadata.logoURI");
    assert_refused(state, "{\"oauth\": {\"clientName\": \"A\"}, \"app\": {}}",
                   "unknown keys: app");
    /* Names are written back safely: an escape sequence does not reach the terminal. */
    assert_refused(state, "oauth:\n  clientName: A\n  \"\\e[31mred\": 1\n",
                   "unknown keys: oauth.?[31mred");
}

static void
manifest_refuses_values_of_the_wrong_type(void **state)
{
    assert_refused(state, "oauth:\n  clientName: A\n  redirectUris: https://a.example/cb\n",
                   "oauth.redirectUris must be a list of strings");
    assert_refused(state, "oauth:\n  clientName: A\n  scopes: [openid, [x]]\n",
                   "oauth.scopes must be a list of strings");
    assert_refused(state, "oauth:\n  clientName: [A]\n", "oauth.clientName must be a string");
    assert_refused(state, "oauth:\n  clientName: 42\n", "oauth.clientName must be a string");
    assert_refused(state, "oauth:\n  clientName: A\n  trusted: \"yes\"\n",
                   "oauth.trusted must be true or false");
    assert_refused(state, "oauth:\n  clientName: A\n  trusted: yes\n",
                   "oauth.trusted must be true or false");
    assert_refused(state, "{\"oauth\": {\"clientName\": \"A\", \"trusted\": 1}}",
                   "oauth.trusted must be true or false");
    assert_refused(state, "oauth:\n  clientName: A\n  metadata: [https://a.example/l.png]\n",
                   "oauth.metadata must be a mapping");
    assert_refused(state, "oauth: [clientName]\n", "oauth must be a mapping");
    assert_refused(state, "[oauth]\n", "must be a mapping with an oauth key");
}

static void
manifest_refuses_duplicate_keys(void **state)
{
    assert_refused(state, "oauth:\n  clientName: A\n  clientName: B\n",
                   "YAML line 3: duplicate key");
    assert_refused(state, "oauth:\n  clientName: A\noauth:\n  clientName: B\n",
                   "duplicate key");
    assert_refused(state, "{\"oauth\": {\"clientName\": \"A\", \"clientName\": \"B\"}}",
                   "duplicate");
}

static void
manifest_refuses_yaml_aliases_so_a_billion_laughs_cannot_grow(void **state)
{
    static const char laughs[] =
        "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "oauth: {clientName: *c}\n";
    assert_refused(state, laughs, "aliases (*name) are not accepted");
    assert_refused(state, "oauth:\n  clientName: &n A\n  scopes: [*n]\n",
                   "YAML line 3: aliases");
}

static void
manifest_refuses_yaml_tags(void **state)
{
    assert_refused(state, "oauth: !!python/object:os.system {clientName: A}\n",
                   "tags (!name) are not accepted");
    assert_refused(state, "oauth:\n  clientName: !!str A\n", "tags");
}

static void
manifest_refuses_nesting_deeper_than_the_limit(void **state)
{
    char text[256] = "oauth:\n  clientName: A\n  scopes: ";
    for (int i = 0; i < 40; i++)
        strcat(text, "[");
    for (int i = 0; i < 40; i++)
        strcat(text, "]");
    strcat(text, "\n");
    assert_refused(state, text, "nested too deeply");
}

static void
manifest_refuses_empty_files(void **state)
{
    assert_refused(state, "", "the manifest is empty");
    assert_refused(state, " \n\t\n", "the manifest is empty");
    assert_refused(state, "# only a comment\n", "the manifest is empty");
    assert_refused(state, "---\n", "must be a mapping");
}

static void
manifest_refuses_missing_parts(void **state)
{
    assert_refused(state, "oauth:\n  scopes: [openid]\n", "oauth.clientName is required");
    assert_refused(state, "{}", "the manifest has no oauth key");
    assert_refused(state, "oauth:\n", "oauth must be a mapping");
}

static void
manifest_refuses_several_documents_and_syntax_errors(void **state)
{
    assert_refused(state, "oauth: {clientName: A}\n---\noauth: {clientName: B}\n",
                   "only one YAML document is accepted");
    assert_refused(state, "oauth:\n  clientName: [A\n", "YAML line");
    assert_refused(state, "{\"oauth\": {\"clientName\": \"A\"}", "JSON line 1");
}

static void
manifest_refuses_nul_characters(void **state)
{
    assert_refused(state, "oauth:\n  clientName: \"A\\0B\"\n", "NUL");
    assert_refused(state, "{\"oauth\": {\"clientName\": \"A\\u0000B\"}}", "JSON line 1");
}

static void
manifest_refuses_files_larger_than_the_limit(void **state)
{
    size_t len = GH_MANIFEST_MAX_SIZE + 1;
    char *text = malloc(len);
    assert_non_null(text);
    memset(text, ' ', len);
    gh_client_t c;
    gh_err_t err = { 0 };
    assert_int_equal(gh_cli_manifest_parse(*state, text, len, GH_MANIFEST_AUTO, &c, &err),
                     GH_E_TOO_LARGE);
    free(text);
}

static void
manifest_merge_sets_what_a_manifest_describes_and_keeps_the_rest(void **state)
{
    gh_client_t m;
    gh_err_t err = { 0 };
    assert_int_equal(parse(state, issue_yaml, GH_MANIFEST_YAML, &m, &err), GH_OK);
    gh_client_t c = {
        .client_id = "id-1", .name = "Old", .client_type = "confidential",
        .auth_method = "client_secret_post", .skip_consent = true, .require_pkce = false,
        .access_token_ttl = 600, .is_resource_server = true, .id_token_alg = "ES256",
        .access_token_format = "jwt",
    };
    gh_strlist_add(*state, &c.grant_types, "client_credentials");
    gh_cli_manifest_merge(&m, &c);
    assert_string_equal(c.client_id, "id-1");
    assert_string_equal(c.name, "My App");
    assert_string_equal(c.app_key, "My App");
    assert_null(c.client_type);           /* not in the manifest: back to the default */
    assert_null(c.auth_method);
    assert_null(c.access_token_format);
    assert_int_equal(c.grant_types.n, 0);
    assert_false(c.skip_consent);
    assert_int_equal(c.redirect_uris.n, 2);
    assert_false(c.require_pkce);         /* no manifest key: kept */
    assert_int_equal(c.access_token_ttl, 600);
    assert_true(c.is_resource_server);
    assert_string_equal(c.id_token_alg, "ES256");
}

/* A file named name holding text, in the working directory; the path (static). */
static const char *
write_file(const char *name, const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "test_manifest.%ld.%s", (long)getpid(), name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void
manifest_read_picks_the_format_by_extension(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    const char *path = write_file("json", issue_json);
    assert_int_equal(gh_cli_manifest_read(*state, path, &c, &err), GH_OK);
    unlink(path);
    assert_issue_example(&c);
    /* A .yml file is YAML even when it starts with "{" (YAML's flow style). */
    path = write_file("yml", "{oauth: {clientName: Flow}}\n");
    assert_int_equal(gh_cli_manifest_read(*state, path, &c, &err), GH_OK);
    unlink(path);
    assert_string_equal(c.name, "Flow");
    path = write_file("json", "oauth:\n  clientName: A\n");
    assert_int_equal(gh_cli_manifest_read(*state, path, &c, &err), GH_E_INPUT);
    unlink(path);
}

static void
manifest_read_refuses_a_missing_file(void **state)
{
    gh_client_t c;
    gh_err_t err = { 0 };
    assert_int_equal(gh_cli_manifest_read(*state, "/nonexistent/app.yaml", &c, &err),
                     GH_E_NOTFOUND);
    assert_non_null(strstr(err.description, "cannot open /nonexistent/app.yaml"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(manifest_reads_the_issue_6_yaml_example,
                                        arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(manifest_reads_the_same_client_from_json,
                                        arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(manifest_reads_every_optional_key,
                                        arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(manifest_takes_null_values_as_not_set,
                                        arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(manifest_refuses_unknown_keys_and_names_them,
                                        arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(manifest_refuses_values_of_the_wrong_type,
                                        arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(manifest_refuses_duplicate_keys,
                                        arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(
            manifest_refuses_yaml_aliases_so_a_billion_laughs_cannot_grow,
            arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(manifest_refuses_yaml_tags,
                                        arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(manifest_refuses_nesting_deeper_than_the_limit,
                                        arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(manifest_refuses_empty_files,
                                        arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(manifest_refuses_missing_parts,
                                        arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(manifest_refuses_several_documents_and_syntax_errors,
                                        arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(manifest_refuses_nul_characters,
                                        arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(manifest_refuses_files_larger_than_the_limit,
                                        arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(
            manifest_merge_sets_what_a_manifest_describes_and_keeps_the_rest,
            arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(manifest_read_picks_the_format_by_extension,
                                        arena_setup, arena_teardown),
        cmocka_unit_test_setup_teardown(manifest_read_refuses_a_missing_file,
                                        arena_setup, arena_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
