/*
 * oauth/client.c: validating, creating, changing and comparing clients.
 *
 * The database repeats every rule as a constraint or trigger (sql/002, sql/007), so a
 * row written by hand or by the SQL functions cannot break them either; this file gives
 * the clear error first. Keep the two in step: tests/integration/test_clients.py makes
 * the same clients through both and expects the same answers.
 */
#include "oauth/client.h"

#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "base/hash.h"
#include "base/rand.h"
#include "base/b64url.h"
#include "oauth/error.h"
#include "oauth/redirect.h"
#include "oauth/scope.h"
#include "store/scopes.h"

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

/* Logo, terms and policy URIs are shown to people: https, and nothing that could end an
 * HTML attribute or hide in one (R93). sql/007: gatehouse.https_url_valid. */
static bool
is_https_url(const char *u)
{
    if (u == NULL)
        return true;
    if (strncmp(u, "https://", 8) != 0 || strlen(u) > 2000 || u[8] == '\0')
        return false;
    for (const unsigned char *p = (const unsigned char *)u; *p != '\0'; p++)
        if (*p <= 0x20 || *p == 0x7f || strchr("\"'<>\\", *p) != NULL)
            return false;
    return true;
}

/* 1 to max characters (UTF-8 code points, as PostgreSQL's char_length counts them), no
 * control characters. Names and app keys. */
static bool
is_printable_text(const char *s, size_t max)
{
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)s; p != NULL && *p != '\0'; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return false;
        chars += (*p & 0xC0) != 0x80;
    }
    return chars >= 1 && chars <= max;
}

/* RFC 7591 2 contacts: e-mail addresses, local@domain with nothing blank or unprintable.
 * sql/007: gatehouse.contacts_valid. */
static bool
is_email(const char *s)
{
    const char *at = strchr(s, '@');
    if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') != NULL ||
        strlen(s) > 254)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
        if (*p <= 0x20 || *p == 0x7f)
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
    if (is_public && c->is_resource_server)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                             "a resource server must be a confidential client");
    if (strcmp(c->access_token_format, "opaque") != 0 &&
        strcmp(c->access_token_format, "jwt") != 0)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                             "access token format must be opaque or jwt");
    if (!one_of(c->id_token_alg, algs, COUNT(algs)))
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                             "id_token signing alg must be RS256, ES256 or EdDSA");
    return GH_OK;
}

/* Lifetimes: 0 is "the configured default" (sql/002 stores NULL). */
static gh_status_t
validate_settings(const gh_client_t *c, gh_err_t *err)
{
    for (size_t i = 0; i < c->contacts.n; i++)
        if (!is_email(c->contacts.items[i]))
            return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                                 "contact %zu is not an e-mail address", i + 1);
    if (c->access_token_ttl < 0 || c->access_token_ttl > 86400)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                             "the access token lifetime must be 1 to 86400 seconds "
                             "(0: the default)");
    if (c->refresh_token_ttl < 0 || c->refresh_token_ttl > INT_MAX ||
        c->refresh_idle_ttl < 0 || c->refresh_idle_ttl > INT_MAX)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                             "refresh token lifetimes must be 1 to %d seconds (0: the "
                             "default)", INT_MAX);
    if (c->app_key != NULL && !is_printable_text(c->app_key, 200))
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                             "the app key must be 1 to 200 printable characters");
    return GH_OK;
}

gh_status_t
gh_oauth_client_validate(const gh_client_t *c, gh_err_t *err)
{
    if (!is_printable_text(c->name, 200))
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                             "name must be 1 to 200 printable characters");
    gh_status_t st = validate_kind(c, err);
    if (st == GH_OK)
        st = validate_lists(c, err);
    if (st == GH_OK)
        st = validate_uris(c, err);
    if (st == GH_OK)
        st = validate_settings(c, err);
    return st;
}

/* Every allowed scope must be defined in gatehouse.scopes (sql/007 has the same check
 * as a trigger): a typo must not become a scope that nobody described. The description
 * gives its position only: it may go back to a registering client (STYLE 3). */
static gh_status_t
check_scopes_exist(gh_db_t *db, gh_arena_t *a, const gh_client_t *c, gh_err_t *err)
{
    gh_scope_t *found = NULL;
    size_t n = 0;
    gh_status_t st = gh_store_scopes_get(db, a, &c->scopes, "en", &found, &n, err);
    if (st != GH_OK)
        return st;
    for (size_t i = 0, j = 0; i < c->scopes.n; i++, j++)
        if (j >= n || strcmp(found[j].name, c->scopes.items[i]) != 0)
            return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                                 "scope %zu is not defined (gatehouse.scopes)", i + 1);
    return GH_OK;
}

gh_status_t
gh_oauth_client_check(gh_db_t *db, gh_arena_t *a, const gh_client_t *c, gh_err_t *err)
{
    gh_status_t st = gh_oauth_client_validate(c, err);
    if (st == GH_OK)
        st = check_scopes_exist(db, a, c, err);
    return st;
}

/* A secret of 256 bits (gh_rand_token) and its stored form. */
static gh_status_t
new_secret(gh_arena_t *a, const char **secret, const char **hash, gh_err_t *err)
{
    char *s = NULL, *h = NULL;
    gh_status_t st = gh_rand_token(a, &s, err);
    if (st == GH_OK)
        st = gh_hash_sha256_hex(a, s, &h, err);
    *secret = s;
    *hash = h;
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
    return new_secret(a, secret, &c->secret_hash, err);
}

gh_status_t
gh_oauth_client_create(gh_db_t *db, gh_arena_t *a, gh_client_t *c, const char **secret,
                       gh_err_t *err)
{
    gh_oauth_client_defaults(a, c);
    gh_status_t st = gh_oauth_client_check(db, a, c, err);
    if (st == GH_OK)
        st = new_credentials(a, c, secret, err);
    if (st == GH_OK)
        st = gh_store_client_insert(db, a, c, err);
    return st;
}

gh_status_t
gh_oauth_client_update(gh_db_t *db, gh_arena_t *a, gh_client_t *c, gh_err_t *err)
{
    gh_client_t stored;
    gh_status_t st = gh_store_client_get(db, a, c->client_id, &stored, err);
    if (st != GH_OK)
        return st;
    gh_oauth_client_defaults(a, c);
    /* A secret is issued when a client is made: public <-> confidential would need one
     * made or dropped, which is a new client. */
    if (strcmp(c->client_type, stored.client_type) != 0)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_CLIENT_METADATA,
                             "the type of a client cannot change (it stays %s): make a "
                             "new client instead", stored.client_type);
    st = gh_oauth_client_check(db, a, c, err);
    if (st == GH_OK)
        st = gh_store_client_update(db, a, c, err);
    return st;
}

gh_status_t
gh_oauth_client_rotate_secret(gh_db_t *db, gh_arena_t *a, const char *client_id,
                              const char **secret, gh_err_t *err)
{
    gh_client_t c;
    gh_status_t st = gh_store_client_get(db, a, client_id, &c, err);
    if (st != GH_OK)
        return st;
    if (c.is_public)
        return gh_fail(err, GH_E_INPUT, "a public client has no secret to rotate");
    const char *hash = NULL;
    st = new_secret(a, secret, &hash, err);
    if (st == GH_OK)
        st = gh_store_client_set_secret(db, client_id, hash, err);
    return st;
}

typedef enum { FIELD_STRING, FIELD_LIST, FIELD_BOOL, FIELD_LONG } field_kind_t;

#define AT(member) offsetof(gh_client_t, member)

/* What a client is, as gh_oauth_client_is_same compares it: everything stored but its
 * id, secret, state (disabled) and timestamps, and the registration bookkeeping. */
static const struct {
    field_kind_t kind;
    size_t       offset;
} compared[] = {
    { .kind = FIELD_STRING, .offset = AT(name) },
    { .kind = FIELD_STRING, .offset = AT(client_type) },
    { .kind = FIELD_STRING, .offset = AT(auth_method) },
    { .kind = FIELD_LIST, .offset = AT(redirect_uris) },
    { .kind = FIELD_LIST, .offset = AT(post_logout_redirect_uris) },
    { .kind = FIELD_LIST, .offset = AT(grant_types) },
    { .kind = FIELD_LIST, .offset = AT(scopes) },
    { .kind = FIELD_BOOL, .offset = AT(require_pkce) },
    { .kind = FIELD_BOOL, .offset = AT(skip_consent) },
    { .kind = FIELD_STRING, .offset = AT(logo_uri) },
    { .kind = FIELD_STRING, .offset = AT(tos_uri) },
    { .kind = FIELD_STRING, .offset = AT(policy_uri) },
    { .kind = FIELD_STRING, .offset = AT(access_token_format) },
    { .kind = FIELD_STRING, .offset = AT(id_token_alg) },
    { .kind = FIELD_BOOL, .offset = AT(minimal_id_token) },
    { .kind = FIELD_LONG, .offset = AT(access_token_ttl) },
    { .kind = FIELD_LONG, .offset = AT(refresh_token_ttl) },
    { .kind = FIELD_LONG, .offset = AT(refresh_idle_ttl) },
    { .kind = FIELD_LIST, .offset = AT(contacts) },
    { .kind = FIELD_STRING, .offset = AT(app_key) },
    { .kind = FIELD_BOOL, .offset = AT(is_resource_server) },
};

static bool
same_string(const char *x, const char *y)
{
    return x == y || (x != NULL && y != NULL && strcmp(x, y) == 0);
}

static bool
same_list(const gh_strlist_t *x, const gh_strlist_t *y)
{
    if (x->n != y->n)
        return false;
    for (size_t i = 0; i < x->n; i++)
        if (strcmp(x->items[i], y->items[i]) != 0)
            return false;
    return true;
}

static bool
same_field(field_kind_t kind, const void *x, const void *y)
{
    switch (kind) {
    case FIELD_STRING: return same_string(*(const char *const *)x, *(const char *const *)y);
    case FIELD_LIST:   return same_list(x, y);
    case FIELD_BOOL:   return *(const bool *)x == *(const bool *)y;
    case FIELD_LONG:   return *(const long *)x == *(const long *)y;
    }
    return false;
}

bool
gh_oauth_client_is_same(const gh_client_t *x, const gh_client_t *y)
{
    for (size_t i = 0; i < sizeof compared / sizeof compared[0]; i++)
        if (!same_field(compared[i].kind, (const char *)x + compared[i].offset,
                        (const char *)y + compared[i].offset))
            return false;
    return true;
}
