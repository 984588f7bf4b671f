/*
 * tests/unit/http/test_req.c: http/req.h and http/response.h, end to end over a fake
 * transport (tests/support/fake_io.h).
 *
 * A request is a CGI environment and a body: gh_http_begin, gh_http_read_body,
 * gh_http_arg and gh_http_finish run as main.c runs them. Covered: the body limit
 * (413 before a byte is read, or one byte past it without Content-Length), Content-Length
 * syntax, form and JSON bodies (repeated parameters, duplicate members, non-objects and
 * non-string members refused), credentials, the scheme (HTTPS, and X-Forwarded-Proto
 * only when trusted), and the written response: status line, nosniff and
 * Referrer-Policy on every response, no body for HEAD, no header splitting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/log.h"
#include "http/req.h"
#include "http/response.h"
#include "support/fake_io.h"

typedef struct {
    gh_arena_t *arena;
    fake_io_t   io;
    gh_req_t    req;
    gh_err_t    err;
} fixture_t;

static const gh_http_limits_t limits = { .max_body = 1024, .trust_forwarded_proto = false };

static int
fixture_setup(void **state)
{
    fixture_t *fx = calloc(1, sizeof *fx);
    fx->arena = gh_arena_new();
    *state = fx;
    return 0;
}

static int
fixture_teardown(void **state)
{
    fixture_t *fx = *state;
    fake_io_free(&fx->io);
    gh_arena_free(fx->arena);
    free(fx);
    return 0;
}

/* Begins a request over env and body (NUL-terminated, or NULL for none). */
static gh_req_t *
begin_with(fixture_t *fx, char **env, const char *body, const gh_http_limits_t *lim)
{
    fake_io_free(&fx->io);
    fake_io_init(&fx->io, env, body, body != NULL ? strlen(body) : 0);
    gh_http_begin(&fx->req, fx->arena, &fx->io.io, lim);
    return &fx->req;
}

static gh_req_t *
begin(fixture_t *fx, char **env, const char *body)
{
    return begin_with(fx, env, body, &limits);
}

static gh_status_t
read_body(fixture_t *fx)
{
    fx->err = (gh_err_t){ 0 };
    return gh_http_read_body(&fx->req, &fx->err);
}

/* The request is refused with GH_E_INPUT and RFC 6749's invalid_request. */
static void
assert_invalid_request(fixture_t *fx)
{
    assert_int_equal(read_body(fx), GH_E_INPUT);
    assert_int_equal(fx->err.status, GH_E_INPUT);
    assert_string_equal(fx->err.oauth_error, "invalid_request");
    assert_int_equal(gh_err_http_status(fx->err.status), 400);
}

static const char *
arg(fixture_t *fx, const char *name)
{
    const char *v = NULL;
    assert_int_equal(gh_http_arg(&fx->req, name, &v, &fx->err), GH_OK);
    return v;
}

/* Finishes the request and returns what was written. */
static const char *
finish(fixture_t *fx)
{
    assert_int_equal(gh_http_finish(&fx->req), 0);
    assert_non_null(fx->io.out);
    return fx->io.out;
}

/* How many header lines of the written response are named name, in any case. */
static int
count_headers(const char *out, const char *name)
{
    int n = 0;
    size_t len = strlen(name);
    const char *end = strstr(out, "\r\n\r\n");
    for (const char *p = strstr(out, "\r\n"); p != NULL && p < end; p = strstr(p + 2, "\r\n"))
        if (strncasecmp(p + 2, name, len) == 0 && p[2 + len] == ':')
            n++;
    return n;
}

static const char *
response_body(const char *out)
{
    const char *sep = strstr(out, "\r\n\r\n");
    assert_non_null(sep);
    return sep + 4;
}

#define POST_FORM "REQUEST_METHOD=POST", "CONTENT_TYPE=application/x-www-form-urlencoded"

/* A POST of body with its Content-Length; type is a "CONTENT_TYPE=..." line. */
static gh_req_t *
begin_post(fixture_t *fx, const char *type, const char *body)
{
    static char cl[48];
    snprintf(cl, sizeof cl, "CONTENT_LENGTH=%d", (int)strlen(body));
    static char *env[4] = { "REQUEST_METHOD=POST", NULL, cl, NULL };
    env[1] = (char *)type;
    return begin(fx, env, body);
}

static void
begin_reads_method_path_host_and_remote_address(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { "REQUEST_METHOD=POST", "PATH_INFO=/token", "HTTP_HOST=id.example",
                    "REMOTE_ADDR=192.0.2.7", NULL };
    gh_req_t *req = begin(fx, env, NULL);
    assert_int_equal(req->method, GH_POST);
    assert_string_equal(req->method_name, "POST");
    assert_string_equal(req->path, "/token");
    assert_string_equal(req->host, "id.example");
    assert_string_equal(req->remote_addr, "192.0.2.7");
    assert_int_equal(req->status, 200);
    assert_false(req->responded);
}

static void
begin_defaults_to_get_on_slash(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { "PATH_INFO=", NULL };
    gh_req_t *req = begin(fx, env, NULL);
    assert_int_equal(req->method, GH_GET);
    assert_string_equal(req->path, "/");
    assert_null(req->content_type);
    assert_null(req->host);
}

static void
begin_marks_unknown_or_miscased_methods_as_other(void **state)
{
    fixture_t *fx = *state;
    static const char *const methods[] = { "PATCH", "get", "POSTX", "", "TRACE" };
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        char line[32];
        snprintf(line, sizeof line, "REQUEST_METHOD=%s", methods[i]);
        char *env[] = { line, NULL };
        assert_int_equal(begin(fx, env, NULL)->method, GH_OTHER);
    }
}

static void
begin_lowercases_the_media_type_and_drops_its_parameters(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { "CONTENT_TYPE=Application/JSON ; charset=UTF-8", NULL };
    assert_string_equal(begin(fx, env, NULL)->content_type, "application/json");
}

static void
begin_makes_a_fresh_16_hex_digit_request_id(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { NULL };
    char first[17];
    memcpy(first, begin(fx, env, NULL)->request_id, sizeof first);
    assert_int_equal(strlen(first), 16);
    assert_int_equal(strspn(first, "0123456789abcdef"), 16);
    assert_string_not_equal(begin(fx, env, NULL)->request_id, first);
}

static void
env_matches_whole_variable_names_only(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { "HTTP_HOST=a", "HTTPS_X=on", "HTTPSon", "HTTP=b", NULL };
    gh_req_t *req = begin(fx, env, NULL);
    assert_null(gh_http_env(req, "HTTPS"));
    assert_null(gh_http_env(req, "HTTP_HOS"));
    assert_string_equal(gh_http_env(req, "HTTP"), "b");
    assert_string_equal(req->scheme, "http");
}

static void
scheme_is_https_when_the_server_says_so(void **state)
{
    fixture_t *fx = *state;
    static const char *const on[] = { "HTTPS=on", "HTTPS=ON", "HTTPS=1" };
    for (size_t i = 0; i < sizeof on / sizeof on[0]; i++) {
        char *env[] = { (char *)on[i], NULL };
        assert_string_equal(begin(fx, env, NULL)->scheme, "https");
    }
}

static void
scheme_is_http_when_https_is_off_or_odd(void **state)
{
    fixture_t *fx = *state;
    static const char *const off[] = { "HTTPS=off", "HTTPS=", "HTTPS=0", "HTTPS=yes",
                                       "HTTPS=on ", "REQUEST_SCHEME=https" };
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++) {
        char *env[] = { (char *)off[i], NULL };
        assert_string_equal(begin(fx, env, NULL)->scheme, "http");
    }
}

static void
forwarded_proto_is_ignored_unless_trusted(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { "HTTP_X_FORWARDED_PROTO=https", NULL };
    assert_string_equal(begin(fx, env, NULL)->scheme, "http");
}

static void
forwarded_proto_https_counts_when_trusted(void **state)
{
    fixture_t *fx = *state;
    gh_http_limits_t trusted = limits;
    trusted.trust_forwarded_proto = true;
    char *env[] = { "HTTP_X_FORWARDED_PROTO=HTTPS", NULL };
    assert_string_equal(begin_with(fx, env, NULL, &trusted)->scheme, "https");
    static const char *const other[] = { "HTTP_X_FORWARDED_PROTO=http",
                                         "HTTP_X_FORWARDED_PROTO=https, http",
                                         "HTTP_X_FORWARDED_PROTO=", "HTTP_X_FORWARDED_HOST=https" };
    for (size_t i = 0; i < sizeof other / sizeof other[0]; i++) {
        char *env2[] = { (char *)other[i], NULL };
        assert_string_equal(begin_with(fx, env2, NULL, &trusted)->scheme, "http");
    }
}

static void
body_over_the_limit_is_refused_before_a_byte_is_read(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { POST_FORM, "CONTENT_LENGTH=1025", NULL };
    begin(fx, env, "a=1");
    assert_int_equal(read_body(fx), GH_E_TOO_LARGE);
    assert_int_equal(gh_err_http_status(fx->err.status), 413);
    assert_int_equal(fx->io.reads, 0);
    assert_null(fx->req.body);
}

static void
content_length_past_any_integer_is_too_large(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { POST_FORM, "CONTENT_LENGTH=99999999999999999999999999", NULL };
    begin(fx, env, "a=1");
    assert_int_equal(read_body(fx), GH_E_TOO_LARGE);
    assert_int_equal(fx->io.reads, 0);
}

static void
body_of_exactly_the_limit_is_read(void **state)
{
    fixture_t *fx = *state;
    char body[1025];
    memset(body, 'x', 1024);
    memcpy(body, "a=", 2);
    body[1024] = '\0';
    char *env[] = { POST_FORM, "CONTENT_LENGTH=1024", NULL };
    begin(fx, env, body);
    assert_int_equal(read_body(fx), GH_OK);
    assert_int_equal(fx->req.body_len, 1024);
    assert_int_equal(strlen(arg(fx, "a")), 1022);
}

static void
malformed_content_length_is_refused_before_reading(void **state)
{
    fixture_t *fx = *state;
    static const char *const bad[] = {
        "CONTENT_LENGTH=abc", "CONTENT_LENGTH=-1", "CONTENT_LENGTH=+3", "CONTENT_LENGTH=3abc",
        "CONTENT_LENGTH= 3", "CONTENT_LENGTH=3 ", "CONTENT_LENGTH=0x3", "CONTENT_LENGTH=3.0",
        "CONTENT_LENGTH=\t3", "CONTENT_LENGTH= -1", "CONTENT_LENGTH=1e2",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *env[] = { POST_FORM, (char *)bad[i], NULL };
        begin(fx, env, "a=1");
        if (read_body(fx) != GH_E_INPUT)
            fail_msg("accepted %s", bad[i]);
        assert_string_equal(fx->err.description, "malformed Content-Length");
        assert_int_equal(fx->io.reads, 0);
    }
}

static void
body_shorter_than_its_content_length_is_refused(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { POST_FORM, "CONTENT_LENGTH=10", NULL };
    begin(fx, env, "a=1");
    assert_invalid_request(fx);
}

static void
body_read_error_is_refused(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { POST_FORM, "CONTENT_LENGTH=3", NULL };
    begin(fx, env, "a=1");
    fx->io.fail_read = true;
    assert_invalid_request(fx);
}

static void
body_is_read_across_short_reads(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { POST_FORM, "CONTENT_LENGTH=19", NULL };
    begin(fx, env, "client_id=app&x=yz");
    fx->io.chunk = 1;
    /* One byte short of the 19 announced: refused even when read a byte at a time. */
    assert_int_equal(read_body(fx), GH_E_INPUT);
    char *env2[] = { POST_FORM, "CONTENT_LENGTH=18", NULL };
    begin(fx, env2, "client_id=app&x=yz");
    fx->io.chunk = 1;
    assert_int_equal(read_body(fx), GH_OK);
    assert_int_equal(fx->io.reads, 18);
    assert_string_equal(arg(fx, "client_id"), "app");
}

static void
zero_content_length_means_no_body(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { POST_FORM, "CONTENT_LENGTH=0", NULL };
    begin(fx, env, "a=1");
    assert_int_equal(read_body(fx), GH_OK);
    assert_int_equal(fx->io.reads, 0);
    assert_null(arg(fx, "a"));
}

static void
post_without_content_length_is_read_to_the_end(void **state)
{
    fixture_t *fx = *state;
    /* A chunked request reaches a CGI program without Content-Length. */
    char *env[] = { POST_FORM, NULL };
    begin(fx, env, "client_id=app&scope=openid");
    fx->io.chunk = 3;
    assert_int_equal(read_body(fx), GH_OK);
    assert_string_equal(arg(fx, "scope"), "openid");
    char *empty[] = { POST_FORM, "CONTENT_LENGTH=", NULL };
    begin(fx, empty, "a=1");
    assert_int_equal(read_body(fx), GH_OK);
    assert_string_equal(arg(fx, "a"), "1");
}

static void
post_without_content_length_over_the_limit_is_too_large(void **state)
{
    fixture_t *fx = *state;
    char body[1026];
    memset(body, 'x', sizeof body - 1);
    body[sizeof body - 1] = '\0';
    char *env[] = { POST_FORM, NULL };
    begin(fx, env, body);
    assert_int_equal(read_body(fx), GH_E_TOO_LARGE);
    /* It stops one byte past the limit: the rest of the stream is never read. */
    assert_int_equal(fx->io.pos, 1025);
    body[1024] = '\0';
    begin(fx, env, body);
    assert_int_equal(read_body(fx), GH_OK);
    assert_int_equal(fx->req.body_len, 1024);
}

static void
post_without_content_length_and_a_read_error_is_refused(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { POST_FORM, NULL };
    begin(fx, env, "a=1");
    fx->io.fail_read = true;
    assert_invalid_request(fx);
}

static void
get_without_content_length_reads_nothing(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { "REQUEST_METHOD=GET", "CONTENT_TYPE=application/x-www-form-urlencoded", NULL };
    begin(fx, env, "a=1");
    assert_int_equal(read_body(fx), GH_OK);
    assert_int_equal(fx->io.reads, 0);
    assert_null(fx->req.body);
}

static void
form_body_gives_the_arguments_of_a_post(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { POST_FORM, "QUERY_STRING=code=from_query", "CONTENT_LENGTH=33", NULL };
    begin(fx, env, "grant_type=x&code=from+body&pad=1");
    assert_int_equal(read_body(fx), GH_OK);
    assert_string_equal(arg(fx, "code"), "from body");
    assert_string_equal(arg(fx, "grant_type"), "x");
    assert_null(arg(fx, "absent"));
}

static void
query_gives_the_arguments_of_a_get(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { "REQUEST_METHOD=GET", "QUERY_STRING=response_type=code&state=%2F",
                    "CONTENT_TYPE=application/x-www-form-urlencoded", "CONTENT_LENGTH=5", NULL };
    begin(fx, env, "state");
    assert_int_equal(read_body(fx), GH_OK);
    assert_string_equal(arg(fx, "state"), "/");
    assert_string_equal(arg(fx, "response_type"), "code");
}

static void
form_content_type_with_parameters_is_still_a_form(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { "REQUEST_METHOD=POST",
                    "CONTENT_TYPE=Application/X-WWW-Form-Urlencoded;charset=UTF-8",
                    "CONTENT_LENGTH=3", NULL };
    begin(fx, env, "a=1");
    assert_int_equal(read_body(fx), GH_OK);
    assert_string_equal(arg(fx, "a"), "1");
}

static void
body_of_another_type_is_kept_but_not_parsed(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { "REQUEST_METHOD=POST", "CONTENT_TYPE=text/plain", "CONTENT_LENGTH=5", NULL };
    begin(fx, env, "a=%zz");
    assert_int_equal(read_body(fx), GH_OK);
    assert_int_equal(fx->req.body_len, 5);
    assert_memory_equal(fx->req.body, "a=%zz", 5);
    assert_null(arg(fx, "a"));
}

static void
malformed_form_body_is_an_invalid_request(void **state)
{
    fixture_t *fx = *state;
    static const char *const bodies[] = { "a=%zz", "a=%00", "a=%ff", "a=%c0%af", "a=%ed%a0%80" };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        begin_post(fx, "CONTENT_TYPE=application/x-www-form-urlencoded", bodies[i]);
        assert_invalid_request(fx);
    }
}

static void
malformed_query_string_is_an_invalid_request_that_says_why(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { "QUERY_STRING=state=%zz", NULL };
    begin(fx, env, NULL);
    assert_invalid_request(fx);
    assert_string_equal(fx->err.description,
                        "malformed query string: malformed percent-encoding");
}

static void
repeated_parameter_in_body_or_query_is_an_invalid_request(void **state)
{
    fixture_t *fx = *state;
    begin_post(fx, "CONTENT_TYPE=application/x-www-form-urlencoded", "scope=a&x=1&scope=b");
    assert_invalid_request(fx);
    begin_post(fx, "CONTENT_TYPE=application/x-www-form-urlencoded", "scope=&scope=b");
    assert_invalid_request(fx);
    char *env[] = { "QUERY_STRING=state=1&client_id=a&state=1", NULL };
    begin(fx, env, NULL);
    assert_invalid_request(fx);
}

static void
too_many_parameters_are_an_invalid_request(void **state)
{
    fixture_t *fx = *state;
    char *body = gh_arena_strdup(fx->arena, "");
    for (int i = 0; i <= GH_HTTP_MAX_PARAMS; i++)
        body = gh_arena_printf(fx->arena, "%s%sp%d=1", body, i > 0 ? "&" : "", i);
    gh_http_limits_t big = limits;
    big.max_body = 65536;
    char cl[48];
    snprintf(cl, sizeof cl, "CONTENT_LENGTH=%d", (int)strlen(body));
    char *env[] = { POST_FORM, cl, NULL };
    begin_with(fx, env, body, &big);
    assert_invalid_request(fx);
    /* One fewer is fine. */
    *strrchr(body, '&') = '\0';
    snprintf(cl, sizeof cl, "CONTENT_LENGTH=%d", (int)strlen(body));
    begin_with(fx, env, body, &big);
    assert_int_equal(read_body(fx), GH_OK);
}

static gh_req_t *
begin_json(fixture_t *fx, const char *body)
{
    return begin_post(fx, "CONTENT_TYPE=application/json", body);
}

static void
json_object_gives_its_string_members_as_arguments(void **state)
{
    fixture_t *fx = *state;
    begin_json(fx, "{\"client_name\":\"\\u3042pp\",\"empty\":\"\",\"none\":null}");
    assert_int_equal(read_body(fx), GH_OK);
    assert_non_null(fx->req.json);
    assert_string_equal(arg(fx, "client_name"), "\xe3\x81\x82pp");
    assert_null(arg(fx, "empty"));
    assert_null(arg(fx, "none"));
    assert_null(arg(fx, "absent"));
}

static void
json_body_with_a_duplicate_member_is_refused(void **state)
{
    fixture_t *fx = *state;
    begin_json(fx, "{\"redirect_uri\":\"https://a.example\",\"redirect_uri\":\"https://b\"}");
    assert_invalid_request(fx);
    assert_null(fx->req.json);
}

static void
json_body_that_is_not_an_object_is_refused(void **state)
{
    fixture_t *fx = *state;
    static const char *const bodies[] = { "[]", "[{\"a\":\"b\"}]", "\"x\"", "1", "null", "true" };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        begin_json(fx, bodies[i]);
        assert_invalid_request(fx);
        assert_null(fx->req.json);
    }
}

static void
malformed_json_body_is_refused(void **state)
{
    fixture_t *fx = *state;
    static const char *const bodies[] = {
        "{", "{\"a\":}", "{} {}", "{\"a\":\"b\",}", "{'a':'b'}", "{\"a\":\"\xff\"}",
        "{\"a\":\"\xed\xa0\x80\"}", "{\"a\":\"\\ud800\"}", "\xef\xbb\xbf{}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        begin_json(fx, bodies[i]);
        assert_invalid_request(fx);
    }
}

static void
json_member_that_is_not_a_string_is_refused_by_arg(void **state)
{
    fixture_t *fx = *state;
    begin_json(fx, "{\"n\":1,\"o\":{},\"a\":[\"x\"],\"t\":true}");
    assert_int_equal(read_body(fx), GH_OK);
    static const char *const names[] = { "n", "o", "a", "t" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = NULL;
        assert_int_equal(gh_http_arg(&fx->req, names[i], &v, &fx->err), GH_E_INPUT);
        assert_string_equal(fx->err.oauth_error, "invalid_request");
    }
}

static void
json_string_holding_a_nul_is_refused(void **state)
{
    fixture_t *fx = *state;
    begin_json(fx, "{\"client_id\":\"app\\u0000admin\"}");
    assert_invalid_request(fx);
}

static void
basic_credentials_are_decoded(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { "HTTP_AUTHORIZATION=Basic bXklM0FjbGllbnQ6cCUyNXNzJTJCdytyZCUyMHg=", NULL };
    begin(fx, env, NULL);
    assert_int_equal(read_body(fx), GH_OK);
    assert_true(fx->req.has_basic);
    assert_string_equal(fx->req.basic_user, "my:client");
    assert_string_equal(fx->req.basic_pass, "p%ss+w rd x");
    assert_null(fx->req.bearer);
}

static void
malformed_basic_credentials_are_an_invalid_request(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { "HTTP_AUTHORIZATION=Basic Y2xpZW50", NULL };
    begin(fx, env, NULL);
    assert_invalid_request(fx);
    assert_false(fx->req.has_basic);
}

static void
bearer_token_is_taken_and_a_malformed_one_refused(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { "HTTP_AUTHORIZATION=Bearer mF_9.B5f-4.1JqM", NULL };
    begin(fx, env, NULL);
    assert_int_equal(read_body(fx), GH_OK);
    assert_string_equal(fx->req.bearer, "mF_9.B5f-4.1JqM");
    assert_false(fx->req.has_basic);
    char *bad[] = { "HTTP_AUTHORIZATION=Bearer a b", NULL };
    begin(fx, bad, NULL);
    assert_invalid_request(fx);
    assert_null(fx->req.bearer);
}

static void
other_authorization_schemes_are_left_to_endpoints(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { "HTTP_AUTHORIZATION=DPoP abc", NULL };
    begin(fx, env, NULL);
    assert_int_equal(read_body(fx), GH_OK);
    assert_false(fx->req.has_basic);
    assert_null(fx->req.bearer);
}

static void
cookie_lookup_finds_the_first_of_a_name(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { "HTTP_COOKIE=gh_session=one; other=x; gh_session=two", NULL };
    begin(fx, env, NULL);
    assert_int_equal(read_body(fx), GH_OK);
    assert_string_equal(gh_http_cookie(&fx->req, "gh_session"), "one");
    assert_null(gh_http_cookie(&fx->req, "gh_sess"));
    assert_null(gh_http_cookie(&fx->req, "GH_SESSION"));
}

static void
finish_writes_status_headers_and_body(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { NULL };
    begin(fx, env, NULL);
    gh_http_respond_text(&fx->req, 200, "text/plain", "hello", 5);
    const char *out = finish(fx);
    assert_memory_equal(out, "Status: 200 OK\r\n", 16);
    assert_non_null(strstr(out, "\r\nContent-Type: text/plain\r\n"));
    assert_non_null(strstr(out, "\r\nContent-Length: 5\r\n\r\n"));
    assert_string_equal(response_body(out), "hello");
    assert_null(strstr(out, "Strict-Transport-Security"));
}

static void
every_response_carries_nosniff_and_referrer_policy(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { NULL };
    for (int kind = 0; kind < 5; kind++) {
        begin(fx, env, NULL);
        if (kind == 0)
            gh_http_respond_json_new(&fx->req, 200, json_object());
        else if (kind == 1)
            gh_http_respond_html(&fx->req, 200, "<p>x</p>", 8);
        else if (kind == 2)
            gh_http_redirect(&fx->req, 302, "https://client.example/cb");
        else if (kind == 3)
            gh_http_respond_error(&fx->req, 400, "invalid_request", "bad");
        const char *out = finish(fx);   /* kind 4: no response at all */
        assert_non_null(strstr(out, "\r\nX-Content-Type-Options: nosniff\r\n"));
        assert_non_null(strstr(out, "\r\nReferrer-Policy: no-referrer\r\n"));
        assert_int_equal(count_headers(out, "X-Content-Type-Options"), 1);
        assert_int_equal(count_headers(out, "Content-Length"), 1);
    }
}

static void
finish_adds_hsts_only_over_https(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { "HTTPS=on", NULL };
    begin(fx, env, NULL);
    gh_http_respond_text(&fx->req, 200, "text/plain", "", 0);
    assert_non_null(strstr(finish(fx), "\r\nStrict-Transport-Security: max-age=31536000\r\n"));
}

static void
head_response_has_headers_but_no_body(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { "REQUEST_METHOD=HEAD", NULL };
    begin(fx, env, NULL);
    gh_http_respond_json_new(&fx->req, 200, json_pack("{s:s}", "issuer", "https://id.example"));
    const char *out = finish(fx);
    assert_non_null(strstr(out, "\r\nContent-Type: application/json\r\n"));
    assert_string_equal(response_body(out), "");
    assert_null(strstr(out, "issuer"));
}

static void
finish_without_a_response_writes_a_500_server_error(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { NULL };
    begin(fx, env, NULL);
    const char *out = finish(fx);
    assert_memory_equal(out, "Status: 500 Internal Server Error\r\n", 35);
    json_t *j = json_loads(response_body(out), 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "server_error");
    json_decref(j);
}

static void
finish_reports_a_client_that_went_away(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { NULL };
    begin(fx, env, NULL);
    gh_http_respond_text(&fx->req, 200, "text/plain", "x", 1);
    fx->io.fail_write = true;
    assert_true(gh_http_finish(&fx->req) < 0);
}

static void
error_response_is_the_rfc6749_json_document(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { NULL };
    begin(fx, env, NULL);
    gh_http_respond_error(&fx->req, 400, "invalid_grant", "code \"used\" <twice>");
    const char *out = finish(fx);
    assert_memory_equal(out, "Status: 400 Bad Request\r\n", 25);
    json_t *j = json_loads(response_body(out), 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "error")), "invalid_grant");
    assert_string_equal(json_string_value(json_object_get(j, "error_description")),
                        "code \"used\" <twice>");
    json_decref(j);
    begin(fx, env, NULL);
    gh_http_respond_error(&fx->req, 401, "invalid_client", "");
    assert_string_equal(response_body(finish(fx)), "{\"error\":\"invalid_client\"}");
}

static void
json_response_of_null_becomes_a_500(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { NULL };
    begin(fx, env, NULL);
    gh_http_respond_json_new(&fx->req, 200, NULL);
    assert_int_equal(fx->req.status, 500);
    assert_string_equal(response_body(finish(fx)), "{\"error\":\"server_error\"}");
}

static void
redirect_has_location_and_no_body(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { NULL };
    begin(fx, env, NULL);
    gh_http_redirect(&fx->req, 303, "https://client.example/cb?code=abc&state=xyz");
    const char *out = finish(fx);
    assert_memory_equal(out, "Status: 303 See Other\r\n", 23);
    assert_non_null(strstr(out, "\r\nLocation: https://client.example/cb?code=abc&state=xyz\r\n"));
    assert_non_null(strstr(out, "\r\nContent-Length: 0\r\n"));
    assert_string_equal(response_body(out), "");
}

static void
pages_carry_the_anti_framing_headers_and_secrets_no_store(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { NULL };
    begin(fx, env, NULL);
    gh_http_no_store(&fx->req);
    gh_http_respond_html(&fx->req, 200, "<p>x</p>", 8);
    const char *out = finish(fx);
    assert_non_null(strstr(out, "\r\nContent-Type: text/html; charset=utf-8\r\n"));
    assert_non_null(strstr(out, "\r\nX-Frame-Options: DENY\r\n"));
    assert_non_null(strstr(out, "frame-ancestors 'none'"));
    assert_non_null(strstr(out, "\r\nCache-Control: no-store\r\n"));
    assert_non_null(strstr(out, "\r\nPragma: no-cache\r\n"));
}

static void
header_set_replaces_a_header_of_any_case(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { NULL };
    begin(fx, env, NULL);
    gh_http_header_set(&fx->req, "content-type", "text/plain");
    gh_http_respond_json_new(&fx->req, 200, json_object());
    const char *out = finish(fx);
    assert_int_equal(count_headers(out, "Content-Type"), 1);
    assert_non_null(strstr(out, "\r\ncontent-type: application/json\r\n"));
}

static void
header_value_with_cr_or_lf_cannot_split_the_response(void **state)
{
    fixture_t *fx = *state;
    char *env[] = { NULL };
    begin(fx, env, NULL);
    gh_http_redirect(&fx->req, 302,
                     "https://client.example/cb?state=x\r\nSet-Cookie: a=b\r\n\r\n<p>");
    gh_http_header_set(&fx->req, "X-Test", "a\nb\rc");
    const char *out = finish(fx);
    assert_null(strstr(out, "\nSet-Cookie"));
    assert_null(strstr(out, "\nb"));
    const char *body = response_body(out);
    assert_string_equal(body, "");
    /* Exactly one blank line: the one that ends the headers. */
    assert_ptr_equal(strstr(out, "\r\n\r\n") + 4, out + strlen(out));
}

int
main(void)
{
    gh_log_set_level(GH_LOG_ERROR);   /* the request lines would drown the test output */
#define T(f) cmocka_unit_test_setup_teardown(f, fixture_setup, fixture_teardown)
    const struct CMUnitTest tests[] = {
        T(begin_reads_method_path_host_and_remote_address),
        T(begin_defaults_to_get_on_slash),
        T(begin_marks_unknown_or_miscased_methods_as_other),
        T(begin_lowercases_the_media_type_and_drops_its_parameters),
        T(begin_makes_a_fresh_16_hex_digit_request_id),
        T(env_matches_whole_variable_names_only),
        T(scheme_is_https_when_the_server_says_so),
        T(scheme_is_http_when_https_is_off_or_odd),
        T(forwarded_proto_is_ignored_unless_trusted),
        T(forwarded_proto_https_counts_when_trusted),
        T(body_over_the_limit_is_refused_before_a_byte_is_read),
        T(content_length_past_any_integer_is_too_large),
        T(body_of_exactly_the_limit_is_read),
        T(malformed_content_length_is_refused_before_reading),
        T(body_shorter_than_its_content_length_is_refused),
        T(body_read_error_is_refused),
        T(body_is_read_across_short_reads),
        T(zero_content_length_means_no_body),
        T(post_without_content_length_is_read_to_the_end),
        T(post_without_content_length_over_the_limit_is_too_large),
        T(post_without_content_length_and_a_read_error_is_refused),
        T(get_without_content_length_reads_nothing),
        T(form_body_gives_the_arguments_of_a_post),
        T(query_gives_the_arguments_of_a_get),
        T(form_content_type_with_parameters_is_still_a_form),
        T(body_of_another_type_is_kept_but_not_parsed),
        T(malformed_form_body_is_an_invalid_request),
        T(malformed_query_string_is_an_invalid_request_that_says_why),
        T(repeated_parameter_in_body_or_query_is_an_invalid_request),
        T(too_many_parameters_are_an_invalid_request),
        T(json_object_gives_its_string_members_as_arguments),
        T(json_body_with_a_duplicate_member_is_refused),
        T(json_body_that_is_not_an_object_is_refused),
        T(malformed_json_body_is_refused),
        T(json_member_that_is_not_a_string_is_refused_by_arg),
        T(json_string_holding_a_nul_is_refused),
        T(basic_credentials_are_decoded),
        T(malformed_basic_credentials_are_an_invalid_request),
        T(bearer_token_is_taken_and_a_malformed_one_refused),
        T(other_authorization_schemes_are_left_to_endpoints),
        T(cookie_lookup_finds_the_first_of_a_name),
        T(finish_writes_status_headers_and_body),
        T(every_response_carries_nosniff_and_referrer_policy),
        T(finish_adds_hsts_only_over_https),
        T(head_response_has_headers_but_no_body),
        T(finish_without_a_response_writes_a_500_server_error),
        T(finish_reports_a_client_that_went_away),
        T(error_response_is_the_rfc6749_json_document),
        T(json_response_of_null_becomes_a_500),
        T(redirect_has_location_and_no_body),
        T(pages_carry_the_anti_framing_headers_and_secrets_no_store),
        T(header_set_replaces_a_header_of_any_case),
        T(header_value_with_cr_or_lf_cannot_split_the_response),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
