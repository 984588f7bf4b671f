/*
 * oauth/client.c: validating and creating clients.
 *
 * The database repeats the structural rules as constraints (sql/002), so a row
 * written by hand cannot break them either; this file gives the clear error first.
 */
#include "oauth/client.h"

#include <string.h>

#include "base/hash.h"
#include "base/rand.h"
#include "base/b64url.h"
#include "oauth/error.h"
#include "oauth/redirect.h"

static const char *const grant_types[] = {
    "authorization_code", "refresh_token", "client_credentials",
};
static const char *const auth_methods[] = {
    "client_secret_basic", "client_secret_post", "none",
};
static const char *const algs[] = { "RS256", "ES256", "EdDSA" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool
one_of(const char *s, const char *const *set, size_t n)
{
    for (size_t i = 0; s != NULL && i < n; i++)
        if (strcmp(s, set[i]) == 0)
            return true;
    return false;
}

void
gh_oauth_client_defaults(gh_arena_t *a, gh_client_t *c)
{
    if (c->client_type == NULL)
        c->client_type = "confidential";
    c->is_public = strcmp(c->client_type, "public") == 0;
    if (c->auth_method == NULL)
        c->auth_method = c->is_public ? "none" : "client_secret_basic";
    if (c->access_token_format == NULL)
        c->access_token_format = "opaque";
    if (c->id_token_alg == NULL)
        c->id_token_alg = "RS256";
    if (c->is_public)
        c->require_pkce = true;
    if (c->grant_types.n == 0) {
        gh_strlist_add(a, &c->grant_types, "authorization_code");
        gh_strlist_add(a, &c->grant_types, "refresh_token");
    }
    if (c->scopes.n == 0)
        gh_strlist_add(a, &c->scopes, "openid");
}

bool
gh_oauth_scope_token_is_valid(const char *s)
{
    if (s == NULL || *s == '\0' || strlen(s) > 128)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
        if (*p < 0x21 || *p == 0x22 || *p == 0x5C || *p > 0x7E)
            return false;
    return true;
}

static bool
is_https_url(const char *u)
{
    if (u == NULL)
        return true;
    return strncmp(u, "https://", 8) == 0 && strlen(u) <= 2000 && u[8] != '\0' &&
           strpbrk(u, " \t\r\n\"'<>\\") == NULL;
}

static bool
is_printable_name(const char *s)
{
    size_t n = s != NULL ? strlen(s) : 0;
    if (n == 0 || n > 200)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
        if (*p < 0x20 || *p == 0x7f)
            return false;
    return true;
}

static gh_status_t
validate_uris(const gh_client_t *c, gh_err_t *err)
{
    if (c->redirect_uris.n == 0 && gh_strlist_contains(&c->grant_types, "authorization_code"))
        return gh_oauth_fail(err, GH_OAUTH_INVALID_REDIRECT_URI,
                             "at least one redirect URI is required");
    for (size_t i = 0; i < c->redirect_uris.n; i++)
        if (!gh_oauth_redirect_uri_is_valid(c->redirect_uris.items[i]))
            return gh_oauth_fail(err, GH_OAUTH_INVALID_REDIRECT_URI,
                                 "redirect URI %zu must be absolute, without fragment, and "
                                 "https (http only for loopback)", i + 1);
    for (size_t i = 0; i < c->post_logout_redirect_uris.n; i++)
        if (!gh_oauth_redirect_uri_is_valid(c->post_logout_redirect_uris.items[i]))
            return gh_oauth_fail(err, GH_OAUTH_INVALID_REDIRECT_URI,
                                 "post-logout redirect URI %zu is not acceptable", i + 1);
    if (!is_https_url(c->logo_uri) || !is_https_url(c->tos_uri) || !is_https_url(c->policy_uri))
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                             "logo, terms and policy URIs must be https URLs");
    return GH_OK;
}

static gh_status_t
validate_lists(const gh_client_t *c, gh_err_t *err)
{
    if (c->grant_types.n == 0)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA, "no grant types");
    for (size_t i = 0; i < c->grant_types.n; i++)
        if (!one_of(c->grant_types.items[i], grant_types, COUNT(grant_types)))
            return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                                 "unsupported grant type");
    for (size_t i = 0; i < c->scopes.n; i++)
        if (!gh_oauth_scope_token_is_valid(c->scopes.items[i]))
            return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA, "malformed scope");
    return GH_OK;
}

static gh_status_t
validate_kind(const gh_client_t *c, gh_err_t *err)
{
    bool is_public = strcmp(c->client_type, "public") == 0;
    if (!is_public && strcmp(c->client_type, "confidential") != 0)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                             "type must be confidential or public");
    if (!one_of(c->auth_method, auth_methods, COUNT(auth_methods)))
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                             "unsupported token_endpoint_auth_method");
    if (is_public != (strcmp(c->auth_method, "none") == 0))
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                             "public clients, and only they, use the auth method none");
    if (is_public && gh_strlist_contains(&c->grant_types, "client_credentials"))
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                             "public clients cannot use client_credentials");
    if (is_public && !c->require_pkce)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                             "public clients must use PKCE");
    if (strcmp(c->access_token_format, "opaque") != 0 &&
        strcmp(c->access_token_format, "jwt") != 0)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                             "access token format must be opaque or jwt");
    if (!one_of(c->id_token_alg, algs, COUNT(algs)))
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                             "id_token signing alg must be RS256, ES256 or EdDSA");
    return GH_OK;
}

gh_status_t
gh_oauth_client_validate(const gh_client_t *c, gh_err_t *err)
{
    if (!is_printable_name(c->name))
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                             "name must be 1 to 200 printable characters");
    gh_status_t st = validate_kind(c, err);
    if (st == GH_OK)
        st = validate_lists(c, err);
    if (st == GH_OK)
        st = validate_uris(c, err);
    return st;
}

static gh_status_t
new_credentials(gh_arena_t *a, gh_client_t *c, const char **secret, gh_err_t *err)
{
    unsigned char raw[18];
    gh_status_t st = gh_rand_bytes(raw, sizeof raw, err);
    if (st != GH_OK)
        return st;
    c->client_id = gh_b64url_encode(a, raw, sizeof raw);
    *secret = NULL;
    c->secret_hash = NULL;
    if (c->is_public)
        return GH_OK;
    char *s = NULL;
    st = gh_rand_token(a, &s, err);
    char *hash = NULL;
    if (st == GH_OK)
        st = gh_hash_sha256_hex(a, s, &hash, err);
    c->secret_hash = hash;
    *secret = s;
    return st;
}

gh_status_t
gh_oauth_client_create(gh_db_t *db, gh_arena_t *a, gh_client_t *c, const char **secret,
                       gh_err_t *err)
{
    gh_oauth_client_defaults(a, c);
    gh_status_t st = gh_oauth_client_validate(c, err);
    if (st == GH_OK)
        st = new_credentials(a, c, secret, err);
    if (st == GH_OK)
        st = gh_store_client_insert(db, a, c, err);
    return st;
}
