/*
 * tests/unit/http/test_cors.c: http/cors.h (and the origin syntax of base/url.h it
 * relies on) over a fake transport (REQUIREMENTS R14, R60).
 *
 * Which Origin values can ever be granted (only what browsers send: a serialized
 * origin, exactly), the configured list match (whole entries only), what counts as a
 * preflight, and the headers of each answer: a granted preflight, a granted request,
 * "*", and a refusal. No answer ever allows credentials.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <strings.h>

#include "base/url.h"
#include "http/cors.h"
#include "support/fake_io.h"
#include "support/unit.h"

static const gh_http_limits_t limits = { .max_body = 1024 };

/* A request with method, and Origin and Access-Control-Request-Method when not NULL,
 * over a fake transport in the arena that is the test's state (nothing is written, so
 * the fake holds no memory of its own). */
static gh_req_t *
begin(gh_arena_t *a, const char *method, const char *origin, const char *acrm)
{
    char **env = gh_arena_alloc(a, 4 * sizeof *env);
    size_t n = 0;
    env[n++] = gh_arena_printf(a, "REQUEST_METHOD=%s", method);
    if (origin != NULL)
        env[n++] = gh_arena_printf(a, "HTTP_ORIGIN=%s", origin);
    if (acrm != NULL)
        env[n++] = gh_arena_printf(a, "HTTP_ACCESS_CONTROL_REQUEST_METHOD=%s", acrm);
    env[n] = NULL;
    fake_io_t *io = gh_arena_alloc(a, sizeof *io);
    gh_req_t *req = gh_arena_alloc(a, sizeof *req);
    fake_io_init(io, env, NULL, 0);
    gh_http_begin(req, a, &io->io, &limits);
    return req;
}

/* The response header name, or NULL. */
static const char *
header(const gh_req_t *req, const char *name)
{
    for (size_t i = 0; i < req->headers.n; i++)
        if (strcasecmp(req->headers.items[i].name, name) == 0)
            return req->headers.items[i].value;
    return NULL;
}

static void
assert_no_credentials(const gh_req_t *req)
{
    assert_null(header(req, "Access-Control-Allow-Credentials"));
}

/* ---------------------------------------------------------------- the Origin header */

static void
origin_is_granted_only_as_browsers_send_it(void **state)
{
    gh_arena_t *a = *state;
    static const char *const good[] = {
        "https://app.example", "https://app.example:8443", "http://localhost:3000",
        "http://127.0.0.1:9", "http://[::1]:8080", "https://xn--bcher-kva.example",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_true(gh_url_is_origin(good[i]));
        assert_string_equal(gh_http_cors_origin(begin(a, "GET", good[i], NULL)), good[i]);
    }
}

static void
origin_refuses_null_and_other_spellings(void **state)
{
    gh_arena_t *a = *state;
    static const char *const bad[] = {
        "null", "", "https://", "https://App.example", "HTTPS://app.example",
        "https://app.example/", "https://app.example/cb", "https://app.example?x",
        "https://app.example:443", "http://app.example:80", "https://app.example:",
        "https://app.example:0", "https://app.example:08443", "https://app.example:65536",
        "https://user@app.example", "ftp://app.example", "app.example",
        "https://a.example https://b.example", "https://a.example, https://b.example",
        "https://[zz]", "https://[]", "https://[::1", "https://app.example#x",
        "com.example.app://cb",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_false(gh_url_is_origin(bad[i]));
        assert_null(gh_http_cors_origin(begin(a, "GET", bad[i], NULL)));
    }
}

static void
origin_is_null_without_the_header(void **state)
{
    gh_arena_t *a = *state;
    assert_null(gh_http_cors_origin(begin(a, "POST", NULL, NULL)));
}

/* ------------------------------------------------------------ the configured list */

static void
listed_origin_matches_a_whole_entry(void **state)
{
    (void)state;
    const char *list = "https://spa.example  http://localhost:3000 https://b.example:8443";
    assert_true(gh_http_cors_is_listed(list, "https://spa.example"));
    assert_true(gh_http_cors_is_listed(list, "http://localhost:3000"));
    assert_true(gh_http_cors_is_listed(list, "https://b.example:8443"));
}

static void
listed_origin_refuses_prefixes_suffixes_and_empty_lists(void **state)
{
    (void)state;
    const char *list = "https://spa.example.evil https://b.example:8443";
    assert_false(gh_http_cors_is_listed(list, "https://spa.example"));
    assert_false(gh_http_cors_is_listed(list, "https://spa.example.evil.com"));
    assert_false(gh_http_cors_is_listed(list, "https://b.example"));
    assert_false(gh_http_cors_is_listed(list, "https://b.example:84"));
    assert_false(gh_http_cors_is_listed("https://spa.example", "https://spa.exampl"));
    assert_false(gh_http_cors_is_listed("", "https://spa.example"));
    assert_false(gh_http_cors_is_listed(NULL, "https://spa.example"));
}

/* ------------------------------------------------------------------- preflights */

static void
preflight_is_options_with_origin_and_request_method(void **state)
{
    gh_arena_t *a = *state;
    assert_true(gh_http_cors_is_preflight(begin(a, "OPTIONS", "https://a.example", "POST")));
}

static void
preflight_needs_all_three(void **state)
{
    gh_arena_t *a = *state;
    assert_false(gh_http_cors_is_preflight(begin(a, "OPTIONS", "https://a.example", NULL)));
    assert_false(gh_http_cors_is_preflight(begin(a, "OPTIONS", NULL, "POST")));
    assert_false(gh_http_cors_is_preflight(begin(a, "POST", "https://a.example", "POST")));
}

/* ---------------------------------------------------------------------- answers */

static void
granted_preflight_names_origin_methods_and_headers(void **state)
{
    gh_arena_t *a = *state;
    gh_req_t *req = begin(a, "OPTIONS", "https://a.example", "POST");
    gh_http_cors_respond(req, "https://a.example", GH_GET | GH_POST | GH_HEAD);
    assert_string_equal(header(req, "Access-Control-Allow-Origin"), "https://a.example");
    assert_string_equal(header(req, "Access-Control-Allow-Methods"), "GET, POST, HEAD");
    assert_string_equal(header(req, "Access-Control-Allow-Headers"),
                        "Authorization, Content-Type");
    assert_string_equal(header(req, "Access-Control-Max-Age"), GH_HTTP_CORS_MAX_AGE);
    assert_string_equal(header(req, "Vary"), "Origin");
    assert_null(header(req, "Access-Control-Expose-Headers"));
    assert_no_credentials(req);
}

static void
granted_request_exposes_the_challenge_not_methods(void **state)
{
    gh_arena_t *a = *state;
    gh_req_t *req = begin(a, "POST", "https://a.example", NULL);
    gh_http_cors_respond(req, "https://a.example", GH_POST);
    assert_string_equal(header(req, "Access-Control-Allow-Origin"), "https://a.example");
    assert_string_equal(header(req, "Access-Control-Expose-Headers"), "WWW-Authenticate");
    assert_string_equal(header(req, "Vary"), "Origin");
    assert_null(header(req, "Access-Control-Allow-Methods"));
    assert_null(header(req, "Access-Control-Max-Age"));
    assert_no_credentials(req);
}

static void
any_origin_is_a_star_without_vary(void **state)
{
    gh_arena_t *a = *state;
    gh_req_t *req = begin(a, "GET", "https://whoever.example", NULL);
    gh_http_cors_respond(req, "*", GH_GET | GH_HEAD);
    assert_string_equal(header(req, "Access-Control-Allow-Origin"), "*");
    assert_null(header(req, "Vary"));
    assert_no_credentials(req);
}

static void
refused_origin_gets_vary_and_nothing_else(void **state)
{
    gh_arena_t *a = *state;
    gh_req_t *req = begin(a, "OPTIONS", "https://evil.example", "POST");
    gh_http_cors_respond(req, NULL, GH_POST);
    assert_string_equal(header(req, "Vary"), "Origin");
    assert_int_equal(req->headers.n, 1);
    req = begin(a, "POST", "https://evil.example", NULL);
    gh_http_cors_respond(req, NULL, GH_POST);
    assert_null(header(req, "Access-Control-Allow-Origin"));
    assert_null(header(req, "Access-Control-Expose-Headers"));
    assert_no_credentials(req);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, arena_setup, arena_teardown)
    const struct CMUnitTest tests[] = {
        T(origin_is_granted_only_as_browsers_send_it),
        T(origin_refuses_null_and_other_spellings),
        T(origin_is_null_without_the_header),
        T(listed_origin_matches_a_whole_entry),
        T(listed_origin_refuses_prefixes_suffixes_and_empty_lists),
        T(preflight_is_options_with_origin_and_request_method),
        T(preflight_needs_all_three),
        T(granted_preflight_names_origin_methods_and_headers),
        T(granted_request_exposes_the_challenge_not_methods),
        T(any_origin_is_a_star_without_vary),
        T(refused_origin_gets_vary_and_nothing_else),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
