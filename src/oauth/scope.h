/*
 * oauth/scope.h: scope strings (RFC 6749 3.3): the syntax of a scope token, and how
 * much of a requested scope a request gets.
 *
 * Pure functions over strings, no database (which scopes exist and what they release
 * is store/scopes.h's), so the unit and fuzz tests (tests/fuzz/fuzz_scope.c) drive them
 * directly. A scope is a list of tokens separated by single spaces: an empty token
 * (leading, trailing or doubled space) makes the whole string malformed.
 */
#ifndef GH_OAUTH_SCOPE_H
#define GH_OAUTH_SCOPE_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/strlist.h"
#include "store/clients.h"

/* Longest scope an authorization request may carry: it is stored with the request. */
#define GH_OAUTH_SCOPE_MAX 2048

/* RFC 6749 3.3 scope-token: 1*( %x21 / %x23-5B / %x5D-7E ), at most 128 characters. */
bool gh_oauth_scope_token_is_valid(const char *s);

/* The scope of an authorization request (RFC 6749 3.3): present, well-formed, at most
 * GH_OAUTH_SCOPE_MAX bytes, and every token one of allowed (the client's scopes).
 * invalid_scope (GH_E_INPUT) otherwise. */
gh_status_t gh_oauth_scope_check(gh_arena_t *a, const gh_strlist_t *allowed,
                                 const char *scope, gh_err_t *err);

/* The scope a token request gets out of available (RFC 6749 3.3, 6): all of it when
 * requested is NULL; else requested, well-formed and every item in available, in
 * available's order. *out in a. invalid_scope (GH_E_INPUT) otherwise, and for an
 * empty result. */
gh_status_t gh_oauth_scope_grant(gh_arena_t *a, const gh_strlist_t *available,
                                 const char *requested, const char **out, gh_err_t *err);

/* The scope of a client_credentials token (R53): the client's allowed scopes but
 * openid and offline_access, which need a user; requested, a subset of those, or all
 * of them when requested is NULL. *out in a. invalid_scope (GH_E_INPUT) for anything
 * else, and when nothing is left. */
gh_status_t gh_oauth_scope_grant_client(gh_arena_t *a, const gh_client_t *client,
                                        const char *requested, const char **out,
                                        gh_err_t *err);

#endif
