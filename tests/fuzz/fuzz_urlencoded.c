/*
 * tests/fuzz/fuzz_urlencoded.c: query strings and form bodies (gh_http_parse_urlencoded,
 * gh_http_percent_decode, gh_params_get).
 *
 * Either the input is refused with GH_E_INPUT, or every name and value is valid UTF-8
 * with no NUL, and each name looks up cleanly or is refused as a repeat.
 */
#include "fuzz.h"
#include "http/parse.h"

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
    gh_arena_reset(a);
    return 0;
}
