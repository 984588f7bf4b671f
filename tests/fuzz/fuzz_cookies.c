/*
 * tests/fuzz/fuzz_cookies.c: the Cookie header (gh_http_parse_cookies).
 *
 * Every pair found has a non-empty name without '=', ';' or surrounding blanks, and a
 * value without ';'.
 */
#include "fuzz.h"
#include "http/parse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gh_arena_t *a = fuzz_arena();
    gh_params_t ps = { 0 };
    gh_http_parse_cookies(a, fuzz_cstr(data, size), &ps);
    for (size_t i = 0; i < ps.n; i++) {
        const char *name = ps.items[i].name, *value = ps.items[i].value;
        size_t n = strlen(name);
        fuzz_require(n > 0);
        fuzz_require(strpbrk(name, "=;") == NULL && strchr(value, ';') == NULL);
        fuzz_require(name[0] != ' ' && name[0] != '\t');
        fuzz_require(name[n - 1] != ' ' && name[n - 1] != '\t');
    }
    gh_arena_reset(a);
    return 0;
}
