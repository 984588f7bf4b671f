/*
 * tests/fuzz/fuzz_b64url.c: gh_b64url_decode and gh_b64_decode.
 *
 * Both are strict so that each value has exactly one encoding: whatever decodes must
 * encode back to exactly the input, and any bytes must survive a round trip.
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gh_arena_t *a = fuzz_arena();
    const char *in = (const char *)data;
    unsigned char *out = NULL;
    size_t len = 0;
    gh_err_t err = { 0 };

    gh_status_t st = gh_b64url_decode(a, in, size, &out, &len, &err);
    fuzz_require(st == GH_OK || st == GH_E_INPUT);
    if (st == GH_OK) {
        fuzz_require(out[len] == '\0');
        char *again = gh_b64url_encode(a, out, len);
        fuzz_require(strlen(again) == size && memcmp(again, in, size) == 0);
    }

    st = gh_b64_decode(a, in, size, &out, &len, &err);
    fuzz_require(st == GH_OK || st == GH_E_INPUT);
    if (st == GH_OK) {
        char *again = fuzz_b64_encode(out, len);
        fuzz_require(strlen(again) == size && memcmp(again, in, size) == 0);
    }

    char *enc = gh_b64url_encode(a, data, size);
    fuzz_require(gh_b64url_decode(a, enc, strlen(enc), &out, &len, &err) == GH_OK);
    fuzz_require(len == size && (size == 0 || memcmp(out, data, size) == 0));
    gh_arena_reset(a);
    return 0;
}
