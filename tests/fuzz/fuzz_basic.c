/*
 * tests/fuzz/fuzz_basic.c: Authorization: Basic (gh_http_parse_basic).
 *
 * Each input is tried twice: as the whole header, and base64-encoded after "Basic ",
 * which reaches the RFC 6749 2.3.1 decoding behind the base64. A success always has a
 * non-empty client id and UTF-8 halves; input with nothing to decode comes back whole.
 */
#include "fuzz.h"
#include "http/parse.h"

static void
check_credentials(const char *user, const char *pass)
{
    fuzz_require(user != NULL && pass != NULL && *user != '\0');
    fuzz_require(gh_http_is_utf8(user, strlen(user)));
    fuzz_require(gh_http_is_utf8(pass, strlen(pass)));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gh_arena_t *a = fuzz_arena();
    const char *user = NULL, *pass = NULL;
    gh_err_t err = { 0 };
    gh_status_t st = gh_http_parse_basic(a, fuzz_cstr(data, size), &user, &pass, &err);
    fuzz_require(st == GH_OK || st == GH_E_INPUT || st == GH_E_NOTFOUND);
    if (st == GH_OK)
        check_credentials(user, pass);

    char *header = gh_arena_printf(a, "Basic %s", fuzz_b64_encode(data, size));
    st = gh_http_parse_basic(a, header, &user, &pass, &err);
    fuzz_require(st == GH_OK || st == GH_E_INPUT);
    if (st == GH_OK) {
        check_credentials(user, pass);
        /* Without '%' or '+' form-decoding changes nothing: "user:pass" is the input. */
        if (memchr(data, '%', size) == NULL && memchr(data, '+', size) == NULL) {
            size_t ul = strlen(user);
            fuzz_require(ul + 1 + strlen(pass) == size);
            fuzz_require(memcmp(data, user, ul) == 0 && data[ul] == ':');
            fuzz_require(memcmp(data + ul + 1, pass, size - ul - 1) == 0);
        }
    }
    gh_arena_reset(a);
    return 0;
}
