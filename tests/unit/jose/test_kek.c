/*
 * tests/unit/jose/test_kek.c: jose/kek.h.
 *
 * The key file: exactly 64 hex digits and an optional newline, and never a file its
 * group or others may write. AES-256-GCM: a round trip, then every way a stored row can
 * be wrong (another kid, another key, a flipped bit in nonce, body or tag, a truncated
 * row) must fail and return nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jose/kek.h"

#define HEX64 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

typedef struct {
    gh_arena_t   *a;
    char          dir[64];
    char          path[128];
    unsigned char kek[GH_JOSE_KEK_LEN];
} fixture_t;

static int
setup(void **state)
{
    fixture_t *f = calloc(1, sizeof *f);
    f->a = gh_arena_new();
    snprintf(f->dir, sizeof f->dir, "/tmp/gh-test-kek.XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->path, sizeof f->path, "%s/gatehouse.key", f->dir);
    for (size_t i = 0; i < GH_JOSE_KEK_LEN; i++)
        f->kek[i] = (unsigned char)i;
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture_t *f = *state;
    unlink(f->path);
    rmdir(f->dir);
    gh_arena_free(f->a);
    free(f);
    return 0;
}

static const char *
key_file(fixture_t *f, const char *text, mode_t mode)
{
    unlink(f->path);
    int fd = open(f->path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    assert_int_equal(fchmod(fd, mode), 0);
    close(fd);
    return f->path;
}

static void
assert_load_refused(fixture_t *f, const char *path)
{
    unsigned char kek[GH_JOSE_KEK_LEN];
    memset(kek, 0xAA, sizeof kek);
    gh_err_t err = { 0 };
    assert_int_equal(gh_jose_kek_load(path, kek, &err), GH_E_INTERNAL);
    assert_non_null(strstr(err.description, "Keys.EncryptionKeyFile"));
    /* Nothing half-parsed is left behind. */
    unsigned char zero[GH_JOSE_KEK_LEN] = { 0 };
    assert_memory_equal(kek, zero, sizeof kek);
    (void)f;
}

static void
kek_loads_64_hex_digits_with_or_without_a_newline(void **state)
{
    fixture_t *f = *state;
    const char *texts[] = { HEX64 "\n", HEX64, "000102030405060708090A0B0C0D0E0F"
                            "101112131415161718191A1B1C1D1E1F\n" };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        unsigned char kek[GH_JOSE_KEK_LEN] = { 0 };
        gh_err_t err = { 0 };
        assert_int_equal(gh_jose_kek_load(key_file(f, texts[i], 0640), kek, &err), GH_OK);
        assert_memory_equal(kek, f->kek, sizeof kek);
    }
}

static void
kek_refuses_short_key_file(void **state)
{
    fixture_t *f = *state;
    assert_load_refused(f, key_file(f, "", 0600));
    assert_load_refused(f, key_file(f, "\n", 0600));
    assert_load_refused(f, key_file(f, HEX64 + 1, 0600));
    assert_load_refused(f, key_file(f, HEX64 + 2, 0600));
    assert_load_refused(f, key_file(f, "0001020304\n", 0600));
}

static void
kek_refuses_long_key_file(void **state)
{
    fixture_t *f = *state;
    assert_load_refused(f, key_file(f, HEX64 "0", 0600));
    assert_load_refused(f, key_file(f, HEX64 "\n\n", 0600));
    assert_load_refused(f, key_file(f, HEX64 " ", 0600));
    assert_load_refused(f, key_file(f, HEX64 "\r\n", 0600));
    assert_load_refused(f, key_file(f, HEX64 HEX64 "\n", 0600));
}

static void
kek_refuses_non_hex_key_file(void **state)
{
    fixture_t *f = *state;
    char text[] = HEX64 "\n";
    text[10] = 'g';
    assert_load_refused(f, key_file(f, text, 0600));
    /* 64 characters, but not 64 digits. */
    assert_load_refused(f, key_file(f, gh_arena_printf(f->a, "0x%.62s", HEX64), 0600));
    assert_load_refused(f, key_file(f, gh_arena_printf(f->a, " %.63s", HEX64), 0600));
    assert_load_refused(f, key_file(f, gh_arena_printf(f->a, "%.63s\n\n", HEX64), 0600));
}

static void
kek_refuses_group_writable_key_file(void **state)
{
    fixture_t *f = *state;
    assert_load_refused(f, key_file(f, HEX64 "\n", 0660));
}

static void
kek_refuses_world_writable_key_file(void **state)
{
    fixture_t *f = *state;
    assert_load_refused(f, key_file(f, HEX64 "\n", 0602));
}

static void
kek_refuses_missing_key_file_and_directories(void **state)
{
    fixture_t *f = *state;
    assert_load_refused(f, "/nonexistent/gatehouse.key");
    assert_load_refused(f, f->dir);
}

static unsigned char *
encrypt_ok(fixture_t *f, const char *kid, const char *plain, size_t *len)
{
    unsigned char *out = NULL;
    gh_err_t err = { 0 };
    assert_int_equal(gh_jose_kek_encrypt(f->a, f->kek, kid, (const unsigned char *)plain,
                                         strlen(plain), &out, len, &err), GH_OK);
    assert_int_equal(*len, strlen(plain) + GH_JOSE_KEK_OVERHEAD);
    return out;
}

static void
assert_decrypt_refused(fixture_t *f, const unsigned char *kek, const char *kid,
                       const unsigned char *in, size_t len)
{
    unsigned char *out = NULL;
    size_t out_len = 0;
    gh_err_t err = { 0 };
    assert_int_equal(gh_jose_kek_decrypt(f->a, kek, kid, in, len, &out, &out_len, &err),
                     GH_E_INTERNAL);
    assert_null(out);
}

static void
kek_round_trips_with_the_same_kid(void **state)
{
    fixture_t *f = *state;
    const char *plains[] = { "private key DER", "" };
    for (size_t i = 0; i < 2; i++) {
        size_t len = 0;
        unsigned char *enc = encrypt_ok(f, "kid-1", plains[i], &len);
        unsigned char *out = NULL;
        size_t out_len = 0;
        gh_err_t err = { 0 };
        assert_int_equal(gh_jose_kek_decrypt(f->a, f->kek, "kid-1", enc, len, &out, &out_len,
                                             &err), GH_OK);
        assert_int_equal(out_len, strlen(plains[i]));
        assert_memory_equal(out, plains[i], out_len);
    }
}

static void
kek_uses_a_fresh_nonce_each_time(void **state)
{
    fixture_t *f = *state;
    size_t len = 0;
    unsigned char *one = encrypt_ok(f, "kid-1", "same plaintext", &len);
    unsigned char *two = encrypt_ok(f, "kid-1", "same plaintext", &len);
    assert_memory_not_equal(one, two, GH_JOSE_KEK_NONCE_LEN);
    assert_memory_not_equal(one + GH_JOSE_KEK_NONCE_LEN, two + GH_JOSE_KEK_NONCE_LEN,
                            len - GH_JOSE_KEK_NONCE_LEN);
}

/* A row's ciphertext copied to another kid must not decrypt. */
static void
kek_refuses_wrong_aad(void **state)
{
    fixture_t *f = *state;
    size_t len = 0;
    unsigned char *enc = encrypt_ok(f, "kid-1", "private key DER", &len);
    assert_decrypt_refused(f, f->kek, "kid-2", enc, len);
    assert_decrypt_refused(f, f->kek, "kid-", enc, len);
    assert_decrypt_refused(f, f->kek, "", enc, len);
}

static void
kek_refuses_wrong_key(void **state)
{
    fixture_t *f = *state;
    size_t len = 0;
    unsigned char *enc = encrypt_ok(f, "kid-1", "private key DER", &len);
    unsigned char other[GH_JOSE_KEK_LEN];
    memcpy(other, f->kek, sizeof other);
    other[31] ^= 0x80;
    assert_decrypt_refused(f, other, "kid-1", enc, len);
}

static void
assert_flip_refused(fixture_t *f, size_t at)
{
    size_t len = 0;
    unsigned char *enc = encrypt_ok(f, "kid-1", "private key DER", &len);
    enc[at] ^= 0x01;
    assert_decrypt_refused(f, f->kek, "kid-1", enc, len);
}

static void
kek_refuses_tampered_tag(void **state)
{
    size_t len = strlen("private key DER") + GH_JOSE_KEK_OVERHEAD;
    assert_flip_refused(*state, len - 1);
    assert_flip_refused(*state, len - GH_JOSE_KEK_TAG_LEN);
}

static void
kek_refuses_tampered_ciphertext(void **state)
{
    assert_flip_refused(*state, GH_JOSE_KEK_NONCE_LEN);
    assert_flip_refused(*state, GH_JOSE_KEK_NONCE_LEN + 5);
}

static void
kek_refuses_tampered_nonce(void **state)
{
    assert_flip_refused(*state, 0);
    assert_flip_refused(*state, GH_JOSE_KEK_NONCE_LEN - 1);
}

static void
kek_refuses_truncated_ciphertext(void **state)
{
    fixture_t *f = *state;
    size_t len = 0;
    unsigned char *enc = encrypt_ok(f, "kid-1", "private key DER", &len);
    const size_t lens[] = { 0, GH_JOSE_KEK_NONCE_LEN, GH_JOSE_KEK_OVERHEAD - 1, len - 1 };
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++)
        assert_decrypt_refused(f, f->kek, "kid-1", enc, lens[i]);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(kek_loads_64_hex_digits_with_or_without_a_newline),
        T(kek_refuses_short_key_file),
        T(kek_refuses_long_key_file),
        T(kek_refuses_non_hex_key_file),
        T(kek_refuses_group_writable_key_file),
        T(kek_refuses_world_writable_key_file),
        T(kek_refuses_missing_key_file_and_directories),
        T(kek_round_trips_with_the_same_kid),
        T(kek_uses_a_fresh_nonce_each_time),
        T(kek_refuses_wrong_aad),
        T(kek_refuses_wrong_key),
        T(kek_refuses_tampered_tag),
        T(kek_refuses_tampered_ciphertext),
        T(kek_refuses_tampered_nonce),
        T(kek_refuses_truncated_ciphertext),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
