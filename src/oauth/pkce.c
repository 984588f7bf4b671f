/*
 * oauth/pkce.c: PKCE (RFC 7636) for the authorization code grant.
 *
 * Only S256: "plain" is refused for every client (OAuth 2.1 4.1.1, RFC 9700 2.1.1).
 * Storing and fetching challenges is store/codes.c's job.
 */
#include "oauth/pkce.h"

#include <string.h>

#include "base/ct.h"
#include "base/hash.h"
#include "oauth/error.h"

#define CHALLENGE_LEN 43  /* base64url of 32 bytes, no padding */

static bool
is_b64url(const char *s)
{
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
           strlen(s);
}

gh_status_t
gh_oauth_pkce_check_challenge(const char *method, const char *challenge, gh_err_t *err)
{
    if (method == NULL && challenge == NULL)
        return GH_OK;
    if (challenge == NULL)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST,
                             "code_challenge_method without code_challenge");
    if (method == NULL)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST,
                             "code_challenge_method is required (S256)");
    if (strcmp(method, "S256") != 0)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST,
                             "code_challenge_method must be S256");
    if (strlen(challenge) != CHALLENGE_LEN || !is_b64url(challenge))
        return gh_oauth_fail(err, GH_OAUTH_INVALID_REQUEST, "malformed code_challenge");
    return GH_OK;
}

static bool
is_verifier(const char *v)
{
    size_t n = strlen(v);
    return n >= 43 && n <= 128 &&
           strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~") == n;
}

gh_status_t
gh_oauth_pkce_verify(const char *verifier, const char *challenge, gh_err_t *err)
{
    if (challenge == NULL) {
        if (verifier != NULL)
            return gh_oauth_fail(err, GH_OAUTH_INVALID_GRANT,
                                 "code_verifier sent but the request had no code_challenge");
        return GH_OK;
    }
    if (verifier == NULL)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_GRANT, "code_verifier is required");
    if (!is_verifier(verifier))
        return gh_oauth_fail(err, GH_OAUTH_INVALID_GRANT, "malformed code_verifier");
    unsigned char md[GH_SHA256_LEN];
    gh_status_t st = gh_hash_sha256(verifier, strlen(verifier), md, err);
    if (st != GH_OK)
        return st;
    /* Encode by hand into a stack buffer: no arena needed for 43 characters. */
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char got[CHALLENGE_LEN + 1];
    size_t o = 0;
    for (size_t i = 0; i < sizeof md; i += 3) {
        unsigned v = (unsigned)md[i] << 16;
        if (i + 1 < sizeof md)
            v |= (unsigned)md[i + 1] << 8;
        if (i + 2 < sizeof md)
            v |= md[i + 2];
        for (int k = 0; k < 4 && o < CHALLENGE_LEN; k++)
            got[o++] = alphabet[v >> (18 - 6 * k) & 63];
    }
    got[o] = '\0';
    if (!gh_ct_equal(got, o, challenge, strlen(challenge)))
        return gh_oauth_fail(err, GH_OAUTH_INVALID_GRANT, "code_verifier does not match");
    return GH_OK;
}
