/*
 * jose/kek.h: the key-encryption key that protects signing keys at rest.
 *
 * Private signing keys are stored in gatehouse.signing_keys encrypted with AES-256-GCM
 * under a 32-byte key read from the file named by Keys.EncryptionKeyFile, so a copy of
 * the database (a backup, a replica, an SQL injection elsewhere) does not hold a usable
 * signing key. The kid is the additional authenticated data: a row's ciphertext moved
 * to another kid does not decrypt. Which keys exist is oauth/keys.c's business.
 */
#ifndef GH_JOSE_KEK_H
#define GH_JOSE_KEK_H

#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"

#define GH_JOSE_KEK_LEN      32
#define GH_JOSE_KEK_NONCE_LEN 12
#define GH_JOSE_KEK_TAG_LEN  16
/* Ciphertext = nonce || encrypted bytes || tag. */
#define GH_JOSE_KEK_OVERHEAD (GH_JOSE_KEK_NONCE_LEN + GH_JOSE_KEK_TAG_LEN)
/* Longest plaintext accepted (an RSA-4096 PKCS#8 key is about 2.4 KB). */
#define GH_JOSE_KEK_MAX_PLAIN (64 * 1024)

/* Reads the key file: exactly 64 hex digits, optionally followed by one newline. Refuses
 * a file that is not a regular file or that its group or others may write (whoever can
 * replace the key can make Gatehouse sign with a key they chose), and warns in the log
 * when others may read it. GH_E_INTERNAL for every failure: the description names the
 * setting, the log names the path. The file's text is wiped after parsing. */
gh_status_t gh_jose_kek_load(const char *path, unsigned char kek[GH_JOSE_KEK_LEN],
                             gh_err_t *err);

/* Encrypts plain with a fresh random 12-byte nonce, binding kid. *out (in the arena) is
 * len + GH_JOSE_KEK_OVERHEAD bytes. GH_E_INTERNAL on failure. */
gh_status_t gh_jose_kek_encrypt(gh_arena_t *a, const unsigned char kek[GH_JOSE_KEK_LEN],
                                const char *kid, const unsigned char *plain, size_t len,
                                unsigned char **out, size_t *out_len, gh_err_t *err);

/* Decrypts and authenticates what gh_jose_kek_encrypt made for the same kid. *out is in
 * the arena; the caller wipes it with OPENSSL_cleanse as soon as it is parsed (the
 * arena's reset would too, later). GH_E_INTERNAL when the key, kid, nonce, ciphertext
 * or tag do not match: nothing is returned then. */
gh_status_t gh_jose_kek_decrypt(gh_arena_t *a, const unsigned char kek[GH_JOSE_KEK_LEN],
                                const char *kid, const unsigned char *in, size_t len,
                                unsigned char **out, size_t *out_len, gh_err_t *err);

#endif
