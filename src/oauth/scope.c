/*
 * oauth/scope.c: reading scope strings, and the rules for which scope a request gets.
 */
#include "oauth/scope.h"

#include <string.h>

#include "oauth/error.h"

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

gh_status_t
gh_oauth_scope_check(gh_arena_t *a, const gh_strlist_t *allowed, const char *scope,
                     gh_err_t *err)
{
    if (scope == NULL)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_SCOPE, "scope is required");
    gh_strlist_t list = { 0 };
    bool ok = strlen(scope) <= GH_OAUTH_SCOPE_MAX;
    if (ok)
        gh_strlist_split(a, scope, &list, &ok);
    if (!ok)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_SCOPE, "malformed scope");
    for (size_t i = 0; i < list.n; i++)
        if (!gh_strlist_contains(allowed, list.items[i]))
            return gh_oauth_fail(err, GH_OAUTH_INVALID_SCOPE,
                                 "scope not allowed for this client");
    return GH_OK;
}

gh_status_t
gh_oauth_scope_grant(gh_arena_t *a, const gh_strlist_t *available, const char *requested,
                     const char **out, gh_err_t *err)
{
    gh_strlist_t want = { 0 };
    bool ok = true;
    if (requested != NULL)
        gh_strlist_split(a, requested, &want, &ok);
    if (!ok)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_SCOPE, "scope is malformed");
    for (size_t i = 0; i < want.n; i++) {
        if (!gh_strlist_contains(available, want.items[i]))
            return gh_oauth_fail(err, GH_OAUTH_INVALID_SCOPE,
                                 "a requested scope is not one this token may have");
    }
    gh_strlist_t keep = { 0 };
    for (size_t i = 0; i < available->n; i++) {
        if (requested == NULL || gh_strlist_contains(&want, available->items[i]))
            gh_strlist_add(a, &keep, available->items[i]);
    }
    if (keep.n == 0)
        return gh_oauth_fail(err, GH_OAUTH_INVALID_SCOPE, "no scope to grant");
    *out = gh_strlist_join(a, &keep, " ");
    return GH_OK;
}

/* Scopes that only mean something with a user behind the token (OIDC Core 3.1.2.1,
 * 11): never granted to a client for itself. */
static bool
needs_user(const char *scope)
{
    return strcmp(scope, "openid") == 0 || strcmp(scope, "offline_access") == 0;
}

gh_status_t
gh_oauth_scope_grant_client(gh_arena_t *a, const gh_client_t *client, const char *requested,
                            const char **out, gh_err_t *err)
{
    gh_strlist_t available = { 0 };
    for (size_t i = 0; i < client->scopes.n; i++) {
        if (!needs_user(client->scopes.items[i]))
            gh_strlist_add(a, &available, client->scopes.items[i]);
    }
    return gh_oauth_scope_grant(a, &available, requested, out, err);
}
