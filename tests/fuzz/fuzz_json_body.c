/*
 * tests/fuzz/fuzz_json_body.c: a POST with an application/json body, read through
 * gh_http_read_body over the fake transport (tests/support/fake_io.h).
 *
 * The body either becomes a JSON object whose members gh_http_arg can read, or is
 * refused as invalid_request (413 only past the limit). The size of each read varies
 * with the input, to exercise short reads, and one input in three comes without
 * Content-Length, as a chunked request does, to be read to its end.
 */
#include "fuzz.h"
#include "http/req.h"
#include "support/fake_io.h"

static const gh_http_limits_t limits = { .max_body = 16384, .trust_forwarded_proto = false };

static void
read_members(const gh_req_t *req)
{
    const char *key;
    json_t *value;
    json_object_foreach(req->json, key, value) {
        const char *v = NULL;
        gh_err_t err = { 0 };
        gh_status_t st = gh_http_arg(req, key, &v, &err);
        fuzz_require(st == GH_OK || st == GH_E_INPUT);
        fuzz_require(st != GH_OK || v == NULL || strlen(v) == json_string_length(value));
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gh_arena_t *a = fuzz_arena();
    char *length = gh_arena_printf(a, "CONTENT_LENGTH=%zu", size);
    char *env[] = { "REQUEST_METHOD=POST", "CONTENT_TYPE=application/json; charset=utf-8",
                    size % 3 != 0 ? length : NULL, NULL };
    fake_io_t io;
    fake_io_init(&io, env, (const char *)data, size);
    io.chunk = (int)(size % 7);
    gh_req_t req;
    gh_http_begin(&req, a, &io.io, &limits);
    gh_err_t err = { 0 };
    gh_status_t st = gh_http_read_body(&req, &err);
    if (st == GH_OK && req.json != NULL) {
        fuzz_require(json_is_object(req.json));
        read_members(&req);
    } else if (st == GH_E_TOO_LARGE) {
        fuzz_require(size > limits.max_body);
    } else {
        fuzz_require(st == GH_E_INPUT || (st == GH_OK && size == 0));
        fuzz_require(st == GH_OK || strcmp(err.oauth_error, "invalid_request") == 0);
    }
    fake_io_free(&io);
    gh_arena_reset(a);
    return 0;
}
