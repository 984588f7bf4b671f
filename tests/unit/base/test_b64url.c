/*
 * tests/unit/base/test_b64url.c: base/b64url.h.
 *
 * RFC 4648 section 10's vectors both ways, in base64url (no padding) and in standard
 * base64 with padding (what HTTP Basic carries). Most cases are refusals: padding in
 * base64url, non-zero trailing bits, a length of 1 mod 4, characters of the other
 * alphabet or of none, so that every value has exactly one accepted encoding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/b64url.h"
#include "support/unit.h"

static const struct {
    const char *plain;
    const char *url;      /* base64url, no padding */
    const char *std;      /* base64 with padding */
} rfc4648[] = {
    { "", "", "" },
    { "f", "Zg", "Zg==" },
    { "fo", "Zm8", "Zm8=" },
    { "foo", "Zm9v", "Zm9v" },
    { "foob", "Zm9vYg", "Zm9vYg==" },
    { "fooba", "Zm9vYmE", "Zm9vYmE=" },
    { "foobar", "Zm9vYmFy", "Zm9vYmFy" },
};

static gh_status_t
url_decode(gh_arena_t *a, const char *in, unsigned char **out, size_t *outlen)
{
    gh_err_t err = { 0 };
    return gh_b64url_decode(a, in, strlen(in), out, outlen, &err);
}

static gh_status_t
std_decode(gh_arena_t *a, const char *in, unsigned char **out, size_t *outlen)
{
    gh_err_t err = { 0 };
    return gh_b64_decode(a, in, strlen(in), out, outlen, &err);
}

static void
b64url_encodes_rfc4648_vectors_without_padding(void **state)
{
    for (size_t i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++) {
        const char *p = rfc4648[i].plain;
        assert_string_equal(gh_b64url_encode(*state, (const unsigned char *)p, strlen(p)),
                            rfc4648[i].url);
    }
}

static void
b64url_decodes_rfc4648_vectors(void **state)
{
    for (size_t i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++) {
        unsigned char *out = NULL;
        size_t len = 99;
        assert_int_equal(url_decode(*state, rfc4648[i].url, &out, &len), GH_OK);
        assert_int_equal(len, strlen(rfc4648[i].plain));
        assert_memory_equal(out, rfc4648[i].plain, len);
        assert_int_equal(out[len], '\0');
    }
}

static void
b64_decodes_rfc4648_vectors_with_padding(void **state)
{
    for (size_t i = 0; i < sizeof rfc4648 / sizeof rfc4648[0]; i++) {
        unsigned char *out = NULL;
        size_t len = 99;
        assert_int_equal(std_decode(*state, rfc4648[i].std, &out, &len), GH_OK);
        assert_int_equal(len, strlen(rfc4648[i].plain));
        assert_memory_equal(out, rfc4648[i].plain, len);
    }
}

static void
b64url_uses_dash_and_underscore_for_62_and_63(void **state)
{
    static const unsigned char raw[] = { 0xfb, 0xff, 0xbf };
    assert_string_equal(gh_b64url_encode(*state, raw, sizeof raw), "-_-_");
    unsigned char *out = NULL;
    size_t len = 0;
    assert_int_equal(url_decode(*state, "-_-_", &out, &len), GH_OK);
    assert_int_equal(len, 3);
    assert_memory_equal(out, raw, 3);
    assert_int_equal(std_decode(*state, "+/+/", &out, &len), GH_OK);
    assert_memory_equal(out, raw, 3);
}

static void
b64url_round_trips_every_byte_value_and_length(void **state)
{
    unsigned char raw[256];
    for (size_t i = 0; i < sizeof raw; i++)
        raw[i] = (unsigned char)(255 - i);
    for (size_t n = 0; n <= sizeof raw; n++) {
        char *enc = gh_b64url_encode(*state, raw, n);
        assert_int_equal(strlen(enc), (n * 4 + 2) / 3);
        unsigned char *out = NULL;
        size_t len = 0;
        assert_int_equal(url_decode(*state, enc, &out, &len), GH_OK);
        assert_int_equal(len, n);
        if (n > 0)
            assert_memory_equal(out, raw, n);
    }
}

static void
b64url_decodes_only_the_given_length(void **state)
{
    unsigned char *out = NULL;
    size_t len = 0;
    gh_err_t err = { 0 };
    assert_int_equal(gh_b64url_decode(*state, "Zm9vYmFy", 4, &out, &len, &err), GH_OK);
    assert_int_equal(len, 3);
    assert_string_equal((char *)out, "foo");
}

typedef gh_status_t (*decode_fn)(gh_arena_t *, const char *, size_t, unsigned char **,
                                 size_t *, gh_err_t *);

/* Every input must be refused with GH_E_INPUT, and the outputs left alone. */
static void
assert_refused(gh_arena_t *a, decode_fn decode, const char *const *inputs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char *out = NULL;
        size_t len = 42;
        gh_err_t err = { 0 };
        if (decode(a, inputs[i], strlen(inputs[i]), &out, &len, &err) != GH_E_INPUT)
            fail_msg("accepted \"%s\"", inputs[i]);
        assert_string_equal(err.description, "malformed base64");
        assert_null(out);
        assert_int_equal(len, 42);
    }
}

#define REFUSED(decode, ...) do { \
        static const char *const inputs_[] = { __VA_ARGS__ }; \
        assert_refused(*state, (decode), inputs_, sizeof inputs_ / sizeof inputs_[0]); \
    } while (0)

static void
b64url_refuses_padding(void **state)
{
    REFUSED(gh_b64url_decode, "Zg==", "Zm8=", "Zg=", "Zm9vYg==", "====", "=");
}

static void
b64url_refuses_nonzero_trailing_bits(void **state)
{
    /* "Zg" is "f"; "Zh".."Zv" carry the same byte with stray low bits set. */
    REFUSED(gh_b64url_decode, "Zh", "Zv", "Zm9", "Zm-", "Zm9vYh", "Zm9vYmF");
}

static void
b64url_refuses_a_length_of_1_mod_4(void **state)
{
    REFUSED(gh_b64url_decode, "Z", "Zm9vY", "Zm9vYmFyZ", "A", "AAAAA");
}

static void
b64url_refuses_standard_alphabet_and_foreign_characters(void **state)
{
    REFUSED(gh_b64url_decode, "Zm+v", "Zm/v", "Zm9v\n", "Zm 9v", "Zm9v ", " Zm9v", "Zm.v",
            "Zm9v\xc3\xa9", "Zm\x80v", "Zm%2F", "Zm9\tv");
}

static void
b64url_refuses_a_nul_inside_the_given_length(void **state)
{
    unsigned char *out = NULL;
    size_t len = 0;
    gh_err_t err = { 0 };
    assert_int_equal(gh_b64url_decode(*state, "Zm\0v", 4, &out, &len, &err), GH_E_INPUT);
}

static void
b64_refuses_missing_or_partial_padding(void **state)
{
    REFUSED(gh_b64_decode, "Zg", "Zg=", "Zm8", "Zm9vYg", "Zm9vYg=", "Z");
}

static void
b64_refuses_misplaced_or_excess_padding(void **state)
{
    REFUSED(gh_b64_decode, "Z===", "====", "Zg==Zg==", "Zg=a", "=Zm8", "Zm=8", "Zg==\n",
            "Zm9v====");
}

static void
b64_refuses_url_alphabet_and_stray_bits(void **state)
{
    REFUSED(gh_b64_decode, "-_8=", "Zm_v", "Zh==", "Zm9=", "Zm9v Yg==");
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, arena_setup, arena_teardown)
    const struct CMUnitTest tests[] = {
        T(b64url_encodes_rfc4648_vectors_without_padding),
        T(b64url_decodes_rfc4648_vectors),
        T(b64_decodes_rfc4648_vectors_with_padding),
        T(b64url_uses_dash_and_underscore_for_62_and_63),
        T(b64url_round_trips_every_byte_value_and_length),
        T(b64url_decodes_only_the_given_length),
        T(b64url_refuses_padding),
        T(b64url_refuses_nonzero_trailing_bits),
        T(b64url_refuses_a_length_of_1_mod_4),
        T(b64url_refuses_standard_alphabet_and_foreign_characters),
        T(b64url_refuses_a_nul_inside_the_given_length),
        T(b64_refuses_missing_or_partial_padding),
        T(b64_refuses_misplaced_or_excess_padding),
        T(b64_refuses_url_alphabet_and_stray_bits),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
