/*
 * oauth/csrf.c: stateless CSRF tokens bound to the browser.
 */
#include "oauth/csrf.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <string.h>

#include "base/b64url.h"
#include "base/ct.h"
#include "oauth/keys.h"

static const char label[] = "gatehouse csrf v1";

static gh_status_t
hmac(const unsigned char *key, size_t key_len, const char *data, size_t len,
     unsigned char out[32], gh_err_t *err)
{
    size_t n = 0;
    if (EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, key_len,
                  (const unsigned char *)data, len, out, 32, &n) == NULL || n != 32)
        return gh_fail(err, GH_E_INTERNAL, "HMAC failed");
    return GH_OK;
}

gh_status_t
gh_oauth_csrf_token(gh_app_t *app, const char *browser_id, const char *purpose,
                    const char *handle, char **token, gh_err_t *err)
{
    gh_status_t st = gh_oauth_keys_kek_ensure(app, err);
    unsigned char key[32], mac[32];
    if (st == GH_OK)
        st = hmac(app->kek, sizeof app->kek, label, sizeof label - 1, key, err);
    char *msg = gh_arena_printf(app->arena, "%s\n%s\n%s", browser_id, purpose,
                                handle != NULL ? handle : "");
    if (st == GH_OK)
        st = hmac(key, sizeof key, msg, strlen(msg), mac, err);
    OPENSSL_cleanse(key, sizeof key);
    if (st == GH_OK)
        *token = gh_b64url_encode(app->arena, mac, sizeof mac);
    return st;
}

bool
gh_oauth_csrf_is_valid(gh_app_t *app, const char *browser_id, const char *purpose,
                       const char *handle, const char *token)
{
    if (browser_id == NULL || purpose == NULL || token == NULL)
        return false;
    char *want = NULL;
    if (gh_oauth_csrf_token(app, browser_id, purpose, handle, &want, NULL) != GH_OK)
        return false;
    return gh_ct_streq(want, token);
}
