/*
 * tests/fuzz/fuzz_scope.c: scope strings (oauth/scope.h, gh_strlist_split).
 *
 * The input is "allowed\nrequested": the scopes a client may have and the scope a
 * request asks for (no newline: both are the input). Splitting is exact: a
 * well-formed scope is its items joined by single spaces. An authorization request's
 * scope is accepted exactly when it is well-formed, not too long and every item is
 * allowed; a token request gets exactly the allowed items it asked for, in the allowed
 * order, and never an empty scope; a client for itself never gets openid or
 * offline_access. Every refusal is invalid_scope.
 */
#include "fuzz.h"

#include <stdbool.h>

#include "base/strlist.h"
#include "oauth/scope.h"

static void
require_invalid_scope(gh_status_t st, const gh_err_t *err)
{
    fuzz_require(st == GH_E_INPUT && strcmp(err->oauth_error, "invalid_scope") == 0);
}

/* The split of s, and whether it is well-formed: its items joined give it back. */
static bool
split(gh_arena_t *a, const char *s, gh_strlist_t *out)
{
    bool ok = true;
    gh_strlist_split(a, s, out, &ok);
    for (size_t i = 0; i < out->n; i++)
        fuzz_require(*out->items[i] != '\0' && strchr(out->items[i], ' ') == NULL);
    bool joins = strcmp(gh_strlist_join(a, out, " "), s) == 0;
    fuzz_require(ok == joins);
    if (!ok)
        fuzz_require(s[0] == ' ' || s[strlen(s) - 1] == ' ' || strstr(s, "  ") != NULL);
    return ok;
}

static bool
all_in(const gh_strlist_t *items, const gh_strlist_t *set)
{
    for (size_t i = 0; i < items->n; i++)
        if (!gh_strlist_contains(set, items->items[i]))
            return false;
    return true;
}

/* out (a granted scope) is the items of available that want has, in available's order. */
static void
require_granted(gh_arena_t *a, const char *out, const gh_strlist_t *available,
                const gh_strlist_t *want)
{
    gh_strlist_t expected = { 0 };
    for (size_t i = 0; i < available->n; i++)
        if (want == NULL || gh_strlist_contains(want, available->items[i]))
            gh_strlist_add(a, &expected, available->items[i]);
    fuzz_require(expected.n > 0 && strcmp(out, gh_strlist_join(a, &expected, " ")) == 0);
}

static void
check_grant(gh_arena_t *a, const gh_strlist_t *available, const char *requested,
            const gh_strlist_t *want, bool ok)
{
    const char *out = NULL;
    gh_err_t err = { 0 };
    gh_status_t st = gh_oauth_scope_grant(a, available, requested, &out, &err);
    if (st == GH_OK) {
        fuzz_require(requested == NULL || (ok && all_in(want, available)));
        require_granted(a, out, available, requested == NULL ? NULL : want);
    } else {
        require_invalid_scope(st, &err);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gh_arena_t *a = fuzz_arena();
    const char *requested = NULL;
    const char *allowed_text = fuzz_lines(data, size, &requested);
    if (requested == NULL)
        requested = allowed_text;
    /* A client's scopes are valid tokens (gh_oauth_client_validate), and a few: the
     * checks below compare every pair, which is no cost at that size. */
    gh_strlist_t split_allowed = { 0 }, allowed = { 0 }, want = { 0 };
    split(a, allowed_text, &split_allowed);
    for (size_t i = 0; i < split_allowed.n && allowed.n < 32; i++)
        if (gh_oauth_scope_token_is_valid(split_allowed.items[i]))
            gh_strlist_add(a, &allowed, split_allowed.items[i]);
    bool ok = split(a, requested, &want);

    gh_err_t err = { 0 };
    gh_status_t st = gh_oauth_scope_check(a, &allowed, requested, &err);
    bool acceptable = ok && strlen(requested) <= GH_OAUTH_SCOPE_MAX && all_in(&want, &allowed);
    if (acceptable)
        fuzz_require(st == GH_OK);
    else
        require_invalid_scope(st, &err);

    check_grant(a, &allowed, requested, &want, ok);
    check_grant(a, &allowed, NULL, NULL, true);

    gh_client_t client = { .scopes = allowed };
    const char *out = NULL;
    st = gh_oauth_scope_grant_client(a, &client, requested, &out, &err);
    if (st == GH_OK) {
        gh_strlist_t granted = { 0 };
        fuzz_require(split(a, out, &granted));
        fuzz_require(!gh_strlist_contains(&granted, "openid"));
        fuzz_require(!gh_strlist_contains(&granted, "offline_access"));
        fuzz_require(all_in(&granted, &want) && all_in(&granted, &allowed));
    } else {
        require_invalid_scope(st, &err);
    }
    gh_arena_reset(a);
    return 0;
}
