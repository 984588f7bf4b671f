/*
 * jose/kek.c: loading the key-encryption key, and AES-256-GCM with the kid as AAD.
 *
 * GCM needs a nonce that never repeats under one key: a random 96-bit nonce per
 * encryption is safe for far more keys than a deployment will ever rotate through
 * (NIST SP 800-38D 8.3 allows 2^32 random nonces per key).
 */
#include "jose/kek.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/hash.h"
#include "base/log.h"
#include "base/rand.h"
#include "jose/ossl.h"

#define SETTING "Keys.EncryptionKeyFile"

static gh_status_t
file_fail(const char *path, const char *why, gh_err_t *err)
{
    gh_log_error("%s %s: %s", SETTING, path, why);
    return gh_fail(err, GH_E_INTERNAL, SETTING ": %s", why);
}

static gh_status_t
fd_read(int fd, const char *path, char *buf, size_t size, size_t *len, gh_err_t *err)
{
    size_t n = 0;
    while (n < size) {
        ssize_t got = read(fd, buf + n, size - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return file_fail(path, strerror(errno), err);
        if (got == 0)
            break;
        n += (size_t)got;
    }
    *len = n;
    return GH_OK;
}

static gh_status_t
file_read(const char *path, char *buf, size_t size, size_t *len, gh_err_t *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return file_fail(path, strerror(errno), err);
    struct stat sb;
    gh_status_t st = GH_OK;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
        st = file_fail(path, "not a regular file", err);
    else if ((sb.st_mode & (S_IWGRP | S_IWOTH)) != 0)
        st = file_fail(path, "group or others may write it (chmod go-w)", err);
    else
        st = fd_read(fd, path, buf, size, len, err);
    if (st == GH_OK && (sb.st_mode & S_IROTH) != 0)
        gh_log_warn("%s %s: others may read it (chmod o-r)", SETTING, path);
    close(fd);
    return st;
}

static gh_status_t
hex_parse(const char *text, size_t len, unsigned char *out, gh_err_t *err)
{
    size_t digits = 2 * GH_JOSE_KEK_LEN;
    if (!(len == digits || (len == digits + 1 && text[digits] == '\n')))
        return gh_fail(err, GH_E_INTERNAL, SETTING ": must hold exactly %zu hex digits",
                       digits);
    for (size_t i = 0; i < GH_JOSE_KEK_LEN; i++) {
        int hi = gh_hex_value(text[2 * i]), lo = gh_hex_value(text[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return gh_fail(err, GH_E_INTERNAL, SETTING ": must hold only hex digits");
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return GH_OK;
}

gh_status_t
gh_jose_kek_load(const char *path, unsigned char kek[GH_JOSE_KEK_LEN], gh_err_t *err)
{
    /* Room for the digits, a newline and one byte more, to notice a longer file. */
    char text[2 * GH_JOSE_KEK_LEN + 2];
    size_t len = 0;
    gh_status_t st = file_read(path, text, sizeof text, &len, err);
    if (st == GH_OK)
        st = hex_parse(text, len, kek, err);
    OPENSSL_cleanse(text, sizeof text);
    if (st != GH_OK)
        OPENSSL_cleanse(kek, GH_JOSE_KEK_LEN);
    return st;
}

/* One pass of AES-256-GCM either way. Encrypting writes the tag; decrypting checks it
 * in EVP_CipherFinal_ex, which fails on any mismatch. */
static bool
gcm_run(int encrypt, const unsigned char *kek, const unsigned char *nonce, const char *kid,
        const unsigned char *in, size_t len, unsigned char *out, unsigned char *tag)
{
    int n = 0, aad_len = 0, final_len = 0;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    bool ok = ctx != NULL
        && EVP_CipherInit_ex2(ctx, EVP_aes_256_gcm(), kek, nonce, encrypt, NULL) == 1
        && EVP_CipherUpdate(ctx, NULL, &aad_len, (const unsigned char *)kid,
                            (int)strlen(kid)) == 1
        && EVP_CipherUpdate(ctx, out, &n, in, (int)len) == 1
        && (encrypt || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, GH_JOSE_KEK_TAG_LEN,
                                           tag) == 1)
        && EVP_CipherFinal_ex(ctx, out + n, &final_len) == 1
        && (!encrypt || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, GH_JOSE_KEK_TAG_LEN,
                                            tag) == 1);
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

gh_status_t
gh_jose_kek_encrypt(gh_arena_t *a, const unsigned char kek[GH_JOSE_KEK_LEN], const char *kid,
                    const unsigned char *plain, size_t len, unsigned char **out,
                    size_t *out_len, gh_err_t *err)
{
    if (len > GH_JOSE_KEK_MAX_PLAIN)
        return gh_fail(err, GH_E_INTERNAL, "key too long to encrypt");
    unsigned char *buf = gh_arena_alloc(a, len + GH_JOSE_KEK_OVERHEAD);
    unsigned char *body = buf + GH_JOSE_KEK_NONCE_LEN;
    gh_status_t st = gh_rand_bytes(buf, GH_JOSE_KEK_NONCE_LEN, err);
    if (st != GH_OK)
        return st;
    if (!gcm_run(1, kek, buf, kid, plain, len, body, body + len))
        return gh_jose_ossl_fail(err, "AES-256-GCM encryption");
    *out = buf;
    *out_len = len + GH_JOSE_KEK_OVERHEAD;
    return GH_OK;
}

gh_status_t
gh_jose_kek_decrypt(gh_arena_t *a, const unsigned char kek[GH_JOSE_KEK_LEN], const char *kid,
                    const unsigned char *in, size_t len, unsigned char **out, size_t *out_len,
                    gh_err_t *err)
{
    if (len < GH_JOSE_KEK_OVERHEAD || len - GH_JOSE_KEK_OVERHEAD > GH_JOSE_KEK_MAX_PLAIN)
        return gh_fail(err, GH_E_INTERNAL, "encrypted key %s has a bad length", kid);
    size_t plain_len = len - GH_JOSE_KEK_OVERHEAD;
    const unsigned char *body = in + GH_JOSE_KEK_NONCE_LEN;
    unsigned char tag[GH_JOSE_KEK_TAG_LEN];
    memcpy(tag, body + plain_len, sizeof tag);
    unsigned char *plain = gh_arena_alloc(a, plain_len + 1);
    if (!gcm_run(0, kek, in, kid, body, plain_len, plain, tag)) {
        OPENSSL_cleanse(plain, plain_len);
        gh_jose_ossl_clear();
        return gh_fail(err, GH_E_INTERNAL, "cannot decrypt key %s: wrong " SETTING
                       " or altered row", kid);
    }
    *out = plain;
    *out_len = plain_len;
    return GH_OK;
}
