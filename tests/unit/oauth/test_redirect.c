/*
 * tests/unit/oauth/test_redirect.c: redirect URI registration and matching rules
 * (REQUIREMENTS R01, R02, R03; DESIGN invariant 1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "oauth/redirect.h"

static void
r01_exact_uri_matches(void **state)
{
    (void)state;
    assert_true(gh_oauth_redirect_uri_matches("https://rp.example/cb", "https://rp.example/cb"));
}

static void
r01_refuses_trailing_slash_query_case_encoding_fragment_and_dots(void **state)
{
    (void)state;
    const char *reg = "https://rp.example/cb";
    const char *bad[] = {
        "https://rp.example/cb/", "https://rp.example/cb?x=1", "https://RP.example/cb",
        "https://rp.example/c%62", "https://rp.example/cb#f", "https://rp.example/cb/../cb",
        "https://rp.example/cbx", "https://rp.example/c", "http://rp.example/cb",
        "https://rp.example:443/cb", "https://rp.example/cb/extra", "", "https://rp.example/CB",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(gh_oauth_redirect_uri_matches(reg, bad[i]));
}

static void
r02_loopback_ip_matches_any_port(void **state)
{
    (void)state;
    assert_true(gh_oauth_redirect_uri_matches("http://127.0.0.1/cb", "http://127.0.0.1:53124/cb"));
    assert_true(gh_oauth_redirect_uri_matches("http://127.0.0.1:9/callback",
                                              "http://127.0.0.1:8080/callback"));
    assert_true(gh_oauth_redirect_uri_matches("http://[::1]/cb", "http://[::1]:4000/cb"));
}

static void
r02_loopback_refuses_other_path_or_host(void **state)
{
    (void)state;
    assert_false(gh_oauth_redirect_uri_matches("http://127.0.0.1/cb", "http://127.0.0.1:53124/other"));
    assert_false(gh_oauth_redirect_uri_matches("http://127.0.0.1/cb", "http://[::1]:53124/cb"));
    assert_false(gh_oauth_redirect_uri_matches("http://127.0.0.1/cb", "http://127.0.0.2:1/cb"));
    assert_false(gh_oauth_redirect_uri_matches("http://127.0.0.1/cb",
                                               "http://127.0.0.1@evil.example/cb"));
    assert_false(gh_oauth_redirect_uri_matches("http://127.0.0.1/cb", "http://127.0.0.1:x/cb"));
}

static void
r02_localhost_must_match_exactly(void **state)
{
    (void)state;
    assert_true(gh_oauth_redirect_uri_matches("http://localhost:3000/cb",
                                              "http://localhost:3000/cb"));
    assert_false(gh_oauth_redirect_uri_matches("http://localhost/cb", "http://localhost:53124/cb"));
}

static void
r03_registration_accepts_https_loopback_and_private_use(void **state)
{
    (void)state;
    assert_true(gh_oauth_redirect_uri_is_valid("https://rp.example/cb"));
    assert_true(gh_oauth_redirect_uri_is_valid("https://rp.example:8443/cb?x=1"));
    assert_true(gh_oauth_redirect_uri_is_valid("http://127.0.0.1:9/callback"));
    assert_true(gh_oauth_redirect_uri_is_valid("http://[::1]/cb"));
    assert_true(gh_oauth_redirect_uri_is_valid("http://localhost:3000/callback"));
    assert_true(gh_oauth_redirect_uri_is_valid("com.example.app:/oauth2redirect"));
}

static void
r03_registration_refuses_http_fragment_userinfo_and_script_schemes(void **state)
{
    (void)state;
    const char *bad[] = {
        "http://app.example/cb", "https://rp.example/cb#f", "https://user@rp.example/cb",
        "javascript:alert(1)", "data:text/html,x", "https://", "https:///cb", "/cb",
        "rp.example/cb", "https://rp.example/c b", "https://rp.example/\\cb",
        "http://localhost.evil.example/cb", "http://127.0.0.1.evil.example/cb",
        "myapp:/cb", "com.example.app://cb", "https://rp.example:99999/cb",
        "https://rp.example:/cb", "https://[::1]/cb", "HTTPS://rp.example/cb", "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (gh_oauth_redirect_uri_is_valid(bad[i]))
            fail_msg("accepted %s", bad[i]);
    }
    assert_false(gh_oauth_redirect_uri_is_valid(NULL));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(r01_exact_uri_matches),
        cmocka_unit_test(r01_refuses_trailing_slash_query_case_encoding_fragment_and_dots),
        cmocka_unit_test(r02_loopback_ip_matches_any_port),
        cmocka_unit_test(r02_loopback_refuses_other_path_or_host),
        cmocka_unit_test(r02_localhost_must_match_exactly),
        cmocka_unit_test(r03_registration_accepts_https_loopback_and_private_use),
        cmocka_unit_test(r03_registration_refuses_http_fragment_userinfo_and_script_schemes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
