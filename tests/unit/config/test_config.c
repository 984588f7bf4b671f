/*
 * tests/unit/config/test_config.c: config.h.
 *
 * Each case writes an HDF file under /tmp (mkstemp) and loads it. Covered: defaults,
 * every setting read, the issuer (required, absolute http(s), no query, fragment,
 * spaces or trailing slash, its path split off), number ranges and syntax, booleans,
 * log levels, unreadable files, every bad setting written to the report in one go, and
 * check-config's checks (TLS except on loopback, algorithm, directories, lifetimes).
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

#include "base/log.h"
#include "config.h"
#include "support/unit.h"

typedef struct {
    char         path[64];
    char        *report;       /* what gh_config_load wrote to its report */
    size_t       report_len;
    gh_config_t *cfg;
    gh_err_t     err;
} fixture_t;

static int
fixture_setup(void **state)
{
    *state = calloc(1, sizeof(fixture_t));
    return 0;
}

static int
fixture_teardown(void **state)
{
    fixture_t *fx = *state;
    if (fx->path[0] != '\0')
        unlink(fx->path);
    free(fx->report);
    gh_config_free(fx->cfg);
    free(fx);
    return 0;
}

static void
write_file(fixture_t *fx, const char *text)
{
    if (fx->path[0] != '\0')
        unlink(fx->path);
    strcpy(fx->path, "/tmp/gh_test_config_XXXXXX");
    int fd = mkstemp(fx->path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static gh_status_t
load_path(fixture_t *fx, const char *path)
{
    free(fx->report);
    fx->report = NULL;
    gh_config_free(fx->cfg);
    fx->cfg = NULL;
    fx->err = (gh_err_t){ 0 };
    FILE *report = open_memstream(&fx->report, &fx->report_len);
    assert_non_null(report);
    gh_status_t st = gh_config_load(path, report, &fx->cfg, &fx->err);
    fclose(report);
    if (st != GH_OK)
        assert_null(fx->cfg);
    return st;
}

static gh_status_t
load(fixture_t *fx, const char *text)
{
    write_file(fx, text);
    return load_path(fx, fx->path);
}

static int
report_lines(const fixture_t *fx)
{
    int n = 0;
    for (const char *p = fx->report; p != NULL && *p != '\0'; p++)
        n += *p == '\n';
    return n;
}

/* The file is refused with one report line, and the description contains what. */
static void
assert_refused(fixture_t *fx, const char *text, const char *what)
{
    if (load(fx, text) != GH_E_INPUT)
        fail_msg("accepted:\n%s", text);
    assert_int_equal(fx->err.status, GH_E_INPUT);
    if (strstr(fx->err.description, what) == NULL)
        fail_msg("\"%s\" does not mention %s", fx->err.description, what);
    assert_int_equal(report_lines(fx), 1);
}

static void
config_with_only_an_issuer_takes_every_default(void **state)
{
    fixture_t *fx = *state;
    assert_int_equal(load(fx, "Issuer = https://id.example\n"), GH_OK);
    const gh_config_t *c = fx->cfg;
    assert_string_equal(c->path, fx->path);
    assert_string_equal(c->issuer, "https://id.example");
    assert_string_equal(c->issuer_path, "");
    assert_string_equal(c->conninfo, "dbname=gatehouse");
    assert_int_equal(c->statement_timeout_ms, 5000);
    assert_non_null(strstr(c->template_dir, "/templates"));
    assert_non_null(strstr(c->key_file, "gatehouse.key"));
    assert_string_equal(c->default_alg, "RS256");
    assert_int_equal(c->key_activation_delay, 86400);
    assert_int_equal(c->code_ttl, 60);
    assert_int_equal(c->access_ttl, 3600);
    assert_int_equal(c->id_token_ttl, 3600);
    assert_int_equal(c->refresh_ttl, 2592000);
    assert_int_equal(c->refresh_idle_ttl, 1209600);
    assert_int_equal(c->max_body, 65536);
    assert_false(c->trust_forwarded_proto);
    assert_int_equal(c->log_level, GH_LOG_INFO);
    assert_int_equal(report_lines(fx), 0);
}

static void
config_reads_every_setting_flat_or_nested(void **state)
{
    fixture_t *fx = *state;
    assert_int_equal(load(fx, "Issuer = https://id.example:8443/oauth\n"
                              "Database {\n  Conninfo = host=/run/pg dbname=gh\n"
                              "  StatementTimeout = 0\n}\n"
                              "Paths.Templates = /srv/t\nPaths.Htdocs = /srv/h\n"
                              "Paths.Sql = /srv/s\n"
                              "Keys {\n  EncryptionKeyFile = /etc/gh.key\n  DefaultAlg = ES256\n"
                              "  ActivationDelay = 0\n}\n"
                              "Tokens {\n  CodeLifetime = 600\n  AccessTokenLifetime = 1\n"
                              "  IdTokenLifetime = 86400\n  RefreshTokenLifetime = 31536000\n"
                              "  RefreshTokenIdleLifetime = 1\n}\n"
                              "Http.MaxBody = 16777216\nHttp.TrustForwardedProto = 1\n"
                              "Log.Level = debug\n"),
                     GH_OK);
    const gh_config_t *c = fx->cfg;
    assert_string_equal(c->issuer_path, "/oauth");
    assert_string_equal(c->conninfo, "host=/run/pg dbname=gh");
    assert_int_equal(c->statement_timeout_ms, 0);
    assert_string_equal(c->template_dir, "/srv/t");
    assert_string_equal(c->htdocs_dir, "/srv/h");
    assert_string_equal(c->sql_dir, "/srv/s");
    assert_string_equal(c->key_file, "/etc/gh.key");
    assert_string_equal(c->default_alg, "ES256");
    assert_int_equal(c->key_activation_delay, 0);
    assert_int_equal(c->code_ttl, 600);
    assert_int_equal(c->access_ttl, 1);
    assert_int_equal(c->id_token_ttl, 86400);
    assert_int_equal(c->refresh_ttl, 31536000);
    assert_int_equal(c->refresh_idle_ttl, 1);
    assert_int_equal(c->max_body, 16777216);
    assert_true(c->trust_forwarded_proto);
    assert_int_equal(c->log_level, GH_LOG_DEBUG);
}

static void
issuer_path_is_everything_after_the_authority(void **state)
{
    fixture_t *fx = *state;
    static const struct { const char *text, *path; } cases[] = {
        { "Issuer = https://id.example/a/b\n", "/a/b" },
        { "Issuer = http://localhost:8080\n", "" },
        { "Issuer = https://[2001:db8::1]:8443/op\n", "/op" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(load(fx, cases[i].text), GH_OK);
        assert_string_equal(fx->cfg->issuer_path, cases[i].path);
    }
}

static void
missing_or_empty_issuer_is_required(void **state)
{
    fixture_t *fx = *state;
    assert_refused(fx, "# nothing\n", "Issuer is required");
    assert_refused(fx, "Issuer =\n", "Issuer is required");
    assert_refused(fx, "Issuer = \n", "Issuer is required");
}

static void
misspelt_settings_are_reported_not_ignored(void **state)
{
    fixture_t *fx = *state;
    assert_refused(fx, "Issuer = https://id.example\nTokens.CodeLifeTime = 5\n", "unknown");
    /* Names are case-sensitive: "issuer" is unknown, and Issuer is then missing. */
    assert_int_equal(load(fx, "issuer = https://id.example\n"), GH_E_INPUT);
    assert_non_null(strstr(fx->err.description, "Issuer is required"));
    assert_int_equal(report_lines(fx), 2);
}

static void
issuer_with_a_trailing_slash_is_refused(void **state)
{
    fixture_t *fx = *state;
    assert_refused(fx, "Issuer = https://id.example/\n", "slash");
    assert_refused(fx, "Issuer = https://id.example/oauth/\n", "slash");
}

static void
issuer_must_be_an_absolute_http_url(void **state)
{
    fixture_t *fx = *state;
    static const char *const bad[] = {
        "Issuer = id.example\n", "Issuer = ftp://id.example\n", "Issuer = https://\n",
        "Issuer = https:///oauth\n", "Issuer = //id.example\n", "Issuer = https:/id.example\n",
        "Issuer = HTTPS://id.example\n", "Issuer = javascript://id.example\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_refused(fx, bad[i], "Issuer");
}

static void
issuer_with_a_query_fragment_or_whitespace_is_refused(void **state)
{
    fixture_t *fx = *state;
    static const char *const bad[] = {
        "Issuer = https://id.example?x=1\n", "Issuer = https://id.example/#top\n",
        "Issuer = https://id.example/a b\n", "Issuer = https://id.example/a\tb\n",
        "Issuer << EOM\nhttps://id.example\nEOM\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_refused(fx, bad[i], "Issuer");
}

static void
numbers_at_the_ends_of_their_ranges_are_accepted(void **state)
{
    fixture_t *fx = *state;
    assert_int_equal(load(fx, "Issuer = https://id.example\nTokens.CodeLifetime = 1\n"
                              "Http.MaxBody = 1024\nKeys.ActivationDelay = 7776000\n"),
                     GH_OK);
    assert_int_equal(fx->cfg->code_ttl, 1);
    assert_int_equal(fx->cfg->max_body, 1024);
    assert_int_equal(fx->cfg->key_activation_delay, 7776000);
}

static void
numbers_out_of_range_are_refused(void **state)
{
    fixture_t *fx = *state;
    static const struct { const char *line, *name; } bad[] = {
        { "Tokens.CodeLifetime = 0", "Tokens.CodeLifetime" },
        { "Tokens.CodeLifetime = 601", "Tokens.CodeLifetime" },
        { "Http.MaxBody = 1023", "Http.MaxBody" },
        { "Http.MaxBody = 16777217", "Http.MaxBody" },
        { "Database.StatementTimeout = -1", "Database.StatementTimeout" },
        { "Keys.ActivationDelay = 7776001", "Keys.ActivationDelay" },
        { "Tokens.AccessTokenLifetime = 86401", "Tokens.AccessTokenLifetime" },
        { "Tokens.RefreshTokenIdleLifetime = 0", "Tokens.RefreshTokenIdleLifetime" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "Issuer = https://id.example\n%s\n", bad[i].line);
        assert_refused(fx, text, bad[i].name);
        assert_non_null(strstr(fx->err.description, "whole number from"));
    }
}

static void
numbers_that_are_not_whole_decimals_are_refused(void **state)
{
    fixture_t *fx = *state;
    static const char *const bad[] = {
        "abc", "60s", "1.5", "0x10", "99999999999999999999999", "-99999999999999999999999",
        "6 0", "1e2",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "Issuer = https://id.example\nTokens.CodeLifetime = %s\n",
                 bad[i]);
        assert_refused(fx, text, "Tokens.CodeLifetime");
    }
}

static void
booleans_other_than_0_and_1_are_refused(void **state)
{
    fixture_t *fx = *state;
    static const char *const bad[] = { "yes", "true", "on", "2", "01", "-1", "1 " "x" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[256];
        snprintf(text, sizeof text,
                 "Issuer = https://id.example\nHttp.TrustForwardedProto = %s\n", bad[i]);
        assert_refused(fx, text, "Http.TrustForwardedProto must be 0 or 1");
    }
}

static void
unknown_log_levels_are_refused(void **state)
{
    fixture_t *fx = *state;
    static const char *const bad[] = { "verbose", "INFO", "warning", "0", "info " "x" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "Issuer = https://id.example\nLog.Level = %s\n", bad[i]);
        assert_refused(fx, text, "Log.Level");
    }
}

static void
every_bad_setting_is_reported_in_one_go(void **state)
{
    fixture_t *fx = *state;
    assert_int_equal(load(fx, "Issuer = https://id.example/\n"
                              "Tokens.CodeLifetime = 0\n"
                              "Http.MaxBody = lots\n"
                              "Http.TrustForwardedProto = yes\n"
                              "Log.Level = loud\n"),
                     GH_E_INPUT);
    assert_int_equal(report_lines(fx), 5);
    static const char *const named[] = {
        "Issuer", "Tokens.CodeLifetime", "Http.MaxBody", "Http.TrustForwardedProto", "Log.Level",
    };
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        assert_non_null(strstr(fx->report, named[i]));
    /* err names the first problem in the file's order of settings. */
    assert_non_null(strstr(fx->err.description, "Tokens.CodeLifetime"));
}

static void
missing_file_is_refused_and_reported(void **state)
{
    fixture_t *fx = *state;
    assert_int_equal(load_path(fx, "/nonexistent/gatehouse.hdf"), GH_E_INPUT);
    assert_non_null(strstr(fx->err.description, "/nonexistent/gatehouse.hdf"));
    assert_int_equal(report_lines(fx), 1);
}

static void
file_that_is_not_hdf_is_refused_and_reported(void **state)
{
    fixture_t *fx = *state;
    assert_int_equal(load(fx, "Issuer = https://id.example\nthis is not hdf\n"), GH_E_INPUT);
    assert_non_null(strstr(fx->err.description, "cannot read"));
    assert_int_equal(report_lines(fx), 1);
    assert_int_equal(load_path(fx, "/tmp"), GH_E_INPUT);
}

static void
loading_without_a_report_still_fails_with_the_first_problem(void **state)
{
    fixture_t *fx = *state;
    write_file(fx, "Issuer = https://id.example\nLog.Level = loud\nHttp.MaxBody = 1\n");
    gh_config_t *cfg = NULL;
    gh_err_t err = { 0 };
    assert_int_equal(gh_config_load(fx->path, NULL, &cfg, &err), GH_E_INPUT);
    assert_null(cfg);
    assert_non_null(strstr(err.description, "Http.MaxBody"));
}

/* A configuration whose directories exist, ready for gh_config_check. */
static void
load_checkable(fixture_t *fx, const char *issuer, const char *extra)
{
    char templates[4096], text[5120];
    snprintf(text, sizeof text,
             "Issuer = %s\nPaths.Templates = %s\nPaths.Htdocs = /tmp\nPaths.Sql = /tmp\n%s\n",
             issuer, srcdir_path(templates, sizeof templates, "templates"), extra);
    assert_int_equal(load(fx, text), GH_OK);
}

static int
check(const fixture_t *fx)
{
    FILE *out = fopen("/dev/null", "w");
    int n = gh_config_check(fx->cfg, out);
    fclose(out);
    return n;
}

static void
check_accepts_a_sound_configuration(void **state)
{
    fixture_t *fx = *state;
    load_checkable(fx, "https://id.example", "Keys.DefaultAlg = EdDSA");
    assert_int_equal(check(fx), 0);
}

static void
check_allows_plain_http_only_on_loopback(void **state)
{
    fixture_t *fx = *state;
    static const char *const ok[] = {
        "http://localhost", "http://localhost:8080/op", "http://127.0.0.1:8080", "http://[::1]",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        load_checkable(fx, ok[i], "");
        assert_int_equal(check(fx), 0);
    }
    static const char *const bad[] = {
        "http://id.example", "http://localhost.evil.example", "http://127.0.0.1.evil.example",
        "http://localhostx", "http://127.0.0.10", "http://[::1]x",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        load_checkable(fx, bad[i], "");
        if (check(fx) != 1)
            fail_msg("plain http allowed for %s", bad[i]);
    }
}

static void
check_refuses_algorithms_other_than_rs256_es256_eddsa(void **state)
{
    fixture_t *fx = *state;
    static const char *const bad[] = { "HS256", "none", "rs256", "RS512", "ES256K" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char extra[64];
        snprintf(extra, sizeof extra, "Keys.DefaultAlg = %s", bad[i]);
        load_checkable(fx, "https://id.example", extra);
        assert_int_equal(check(fx), 1);
    }
}

static void
check_reports_each_unreadable_directory(void **state)
{
    fixture_t *fx = *state;
    assert_int_equal(load(fx, "Issuer = https://id.example\nPaths.Templates = /nonexistent/t\n"
                              "Paths.Htdocs = /nonexistent/h\nPaths.Sql = /nonexistent/s\n"),
                     GH_OK);
    assert_int_equal(check(fx), 3);
}

static void
check_refuses_an_idle_lifetime_longer_than_the_absolute_one(void **state)
{
    fixture_t *fx = *state;
    load_checkable(fx, "https://id.example",
                   "Tokens.RefreshTokenLifetime = 100\nTokens.RefreshTokenIdleLifetime = 101");
    assert_int_equal(check(fx), 1);
}

static void
max_signed_ttl_is_the_longer_of_access_and_id_token(void **state)
{
    fixture_t *fx = *state;
    assert_int_equal(load(fx, "Issuer = https://id.example\nTokens.AccessTokenLifetime = 600\n"
                              "Tokens.IdTokenLifetime = 900\n"),
                     GH_OK);
    assert_int_equal(gh_config_max_signed_ttl(fx->cfg), 900);
    fx->cfg->access_ttl = 1200;
    assert_int_equal(gh_config_max_signed_ttl(fx->cfg), 1200);
}

static void
default_path_comes_from_gatehouse_config_unless_empty(void **state)
{
    (void)state;
    setenv("GATEHOUSE_CONFIG", "/srv/gh.hdf", 1);
    assert_string_equal(gh_config_default_path(), "/srv/gh.hdf");
    setenv("GATEHOUSE_CONFIG", "", 1);
    const char *def = gh_config_default_path();
    assert_string_equal(def + strlen(def) - strlen("/gatehouse.hdf"), "/gatehouse.hdf");
    unsetenv("GATEHOUSE_CONFIG");
    assert_string_equal(gh_config_default_path(), def);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        T(config_with_only_an_issuer_takes_every_default),
        T(config_reads_every_setting_flat_or_nested),
        T(issuer_path_is_everything_after_the_authority),
        T(missing_or_empty_issuer_is_required),
        T(misspelt_settings_are_reported_not_ignored),
        T(issuer_with_a_trailing_slash_is_refused),
        T(issuer_must_be_an_absolute_http_url),
        T(issuer_with_a_query_fragment_or_whitespace_is_refused),
        T(numbers_at_the_ends_of_their_ranges_are_accepted),
        T(numbers_out_of_range_are_refused),
        T(numbers_that_are_not_whole_decimals_are_refused),
        T(booleans_other_than_0_and_1_are_refused),
        T(unknown_log_levels_are_refused),
        T(every_bad_setting_is_reported_in_one_go),
        T(missing_file_is_refused_and_reported),
        T(file_that_is_not_hdf_is_refused_and_reported),
        T(loading_without_a_report_still_fails_with_the_first_problem),
        T(check_accepts_a_sound_configuration),
        T(check_allows_plain_http_only_on_loopback),
        T(check_refuses_algorithms_other_than_rs256_es256_eddsa),
        T(check_reports_each_unreadable_directory),
        T(check_refuses_an_idle_lifetime_longer_than_the_absolute_one),
        T(max_signed_ttl_is_the_longer_of_access_and_id_token),
        T(default_path_comes_from_gatehouse_config_unless_empty),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
