/*
 * tests/fuzz/fuzz_urlencoded.c: query strings and form bodies (gh_http_parse_urlencoded,
 * gh_http_percent_decode, gh_params_get), and the same bytes as a request sees them:
 * the QUERY_STRING of a GET and the body of a form POST, read by gh_http_read_body over
 * the fake transport (tests/support/fake_io.h).
 *
 * Either the input is refused with GH_E_INPUT, or every name and value is valid UTF-8
 * with no NUL, and each name looks up cleanly or is refused as a repeat. A request is
 * read exactly when its text parses, has at most GH_HTTP_MAX_PARAMS parameters and no
 * repeated name; then gh_http_arg finds each one's value.
 */
#include "fuzz.h"
#include "http/parse.h"
#include "http/req.h"
#include "support/fake_io.h"

static const gh_http_limits_t limits = { .max_body = 16384, .trust_forwarded_proto = false };

static void
check_params(const gh_params_t *ps)
{
    for (size_t i = 0; i < ps->n; i++) {
        const char *name = ps->items[i].name, *value = ps->items[i].value;
        fuzz_require(gh_http_is_utf8(name, strlen(name)));
        fuzz_require(gh_http_is_utf8(value, strlen(value)));
        if (i >= 32)
            continue;   /* each lookup scans them all: keep the run fast */
        const char *got = NULL;
        gh_err_t err = { 0 };
        gh_status_t st = gh_params_get(ps, name, &got, &err);
        fuzz_require(st == GH_OK || (st == GH_E_INPUT && err.oauth_error != NULL &&
                                     strcmp(err.oauth_error, "invalid_request") == 0));
        fuzz_require(st != GH_OK || got == NULL || *got != '\0');
    }
}

/* What gh_http_read_body must decide about text as a query or form: parse it alone. */
static bool
is_acceptable(gh_arena_t *a, const char *text, size_t len, gh_params_t *ps)
{
    gh_err_t err = { 0 };
    if (gh_http_parse_urlencoded(a, text, len, ps, &err) != GH_OK || ps->n > GH_HTTP_MAX_PARAMS)
        return false;
    for (size_t i = 1; i < ps->n; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(ps->items[i].name, ps->items[j].name) == 0)
                return false;
    return true;
}

/* text as the query of a GET (is_post false: text is then NUL-terminated) or the body of
 * a form POST. */
static void
check_request(gh_arena_t *a, const char *text, size_t len, bool is_post)
{
    gh_params_t expected = { 0 };
    bool ok = is_acceptable(a, text, len, &expected);
    char *length = gh_arena_printf(a, "CONTENT_LENGTH=%zu", len);
    char *query = is_post ? "QUERY_STRING=" : gh_arena_printf(a, "QUERY_STRING=%s", text);
    char *get_env[] = { "REQUEST_METHOD=GET", query, NULL };
    char *post_env[] = { "REQUEST_METHOD=POST",
                         "CONTENT_TYPE=application/x-www-form-urlencoded", length, NULL };
    fake_io_t io;
    fake_io_init(&io, is_post ? post_env : get_env, is_post ? text : "", is_post ? len : 0);
    io.chunk = (int)(len % 5);
    gh_req_t req;
    gh_http_begin(&req, a, &io.io, &limits);
    gh_err_t err = { 0 };
    gh_status_t st = gh_http_read_body(&req, &err);
    if (is_post && len > limits.max_body) {
        fuzz_require(st == GH_E_TOO_LARGE);
        fake_io_free(&io);
        return;
    }
    fuzz_require(st == (ok ? GH_OK : GH_E_INPUT));
    fuzz_require(st == GH_OK || strcmp(err.oauth_error, "invalid_request") == 0);
    const gh_params_t *got = is_post ? &req.form : &req.query;
    fuzz_require(st != GH_OK || got->n == expected.n);
    for (size_t i = 0; st == GH_OK && i < got->n; i++) {
        const char *value = NULL;
        fuzz_require(gh_http_arg(&req, got->items[i].name, &value, &err) == GH_OK);
        fuzz_require(strcmp(value != NULL ? value : "", expected.items[i].value) == 0);
    }
    fake_io_free(&io);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gh_arena_t *a = fuzz_arena();
    gh_params_t ps = { 0 };
    gh_err_t err = { 0 };
    gh_status_t st = gh_http_parse_urlencoded(a, (const char *)data, size, &ps, &err);
    fuzz_require(st == GH_OK || st == GH_E_INPUT);
    if (st == GH_OK)
        check_params(&ps);
    char *out = NULL;
    st = gh_http_percent_decode(a, (const char *)data, size, false, &out, &err);
    fuzz_require(st == GH_OK || st == GH_E_INPUT);
    fuzz_require(st != GH_OK || gh_http_is_utf8(out, strlen(out)));
    fuzz_require(st != GH_OK || strlen(out) <= size);

    /* A CGI variable ends at the first NUL; a body does not. */
    const char *query = fuzz_cstr(data, size);
    check_request(a, query, strlen(query), false);
    check_request(a, (const char *)data, size, true);
    gh_arena_reset(a);
    return 0;
}
