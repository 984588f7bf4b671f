/*
 * oauth/devtoken.c: issuing and checking developer tokens.
 *
 * They are secrets like any other (STYLE.md section 6): 256 random bits, stored as
 * SHA-256 and looked up by it, so a lookup takes the same time whatever the token.
 */
#include "oauth/devtoken.h"

#include <string.h>

#include "base/hash.h"
#include "base/rand.h"
#include "oauth/error.h"

static bool
is_label(const char *s)
{
    if (s == NULL)
        return true;
    if (strlen(s) > 200)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
        if (*p < 0x20 || *p == 0x7f)
            return false;
    return true;
}

gh_status_t
gh_oauth_devtoken_issue(gh_db_t *db, gh_arena_t *a, const char *label, long ttl, char **token,
                        gh_devtoken_t *out, gh_err_t *err)
{
    if (!is_label(label))
        return gh_fail(err, GH_E_INPUT, "the label must be at most 200 printable characters");
    if (ttl < 60 || ttl > GH_OAUTH_DEVTOKEN_MAX_TTL)
        return gh_fail(err, GH_E_INPUT, "the lifetime must be 60 to %ld seconds",
                       GH_OAUTH_DEVTOKEN_MAX_TTL);
    char *raw = NULL, *hash = NULL;
    gh_status_t st = gh_rand_token(a, &raw, err);
    if (st == GH_OK)
        st = gh_hash_sha256_hex(a, raw, &hash, err);
    if (st == GH_OK)
        st = gh_store_devtoken_insert(db, a, hash, label, ttl, out, err);
    *token = st == GH_OK ? raw : NULL;
    return st;
}

gh_status_t
gh_oauth_devtoken_verify(gh_db_t *db, gh_arena_t *a, const char *token, gh_devtoken_t *out,
                         gh_err_t *err)
{
    char *hash = NULL;
    gh_status_t st = gh_hash_sha256_hex(a, token, &hash, err);
    if (st == GH_OK)
        st = gh_store_devtoken_use(db, a, hash, out, err);
    if (st == GH_E_NOTFOUND)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_TOKEN,
                             "the initial access token is unknown, expired or revoked");
    return st;
}
