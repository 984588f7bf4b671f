/*
 * tests/fuzz/fuzz_bearer.c: Authorization: Bearer (gh_http_parse_bearer).
 *
 * Tried as the whole header and after "Bearer ". A token accepted is non-empty,
 * b64token characters only, with '=' only at its end (RFC 6750 section 2.1).
 */
#include "fuzz.h"
#include "http/parse.h"

static const char b64token[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/";

static void
try_header(const char *header)
{
    const char *token = NULL;
    gh_err_t err = { 0 };
    gh_status_t st = gh_http_parse_bearer(header, &token, &err);
    fuzz_require(st == GH_OK || st == GH_E_INPUT || st == GH_E_NOTFOUND);
    if (st != GH_OK)
        return;
    size_t n = strspn(token, b64token);
    fuzz_require(n > 0);
    fuzz_require(token[n + strspn(token + n, "=")] == '\0');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    try_header(fuzz_cstr(data, size));
    try_header(fuzz_prefixed("Bearer ", data, size));
    gh_arena_reset(fuzz_arena());
    return 0;
}
