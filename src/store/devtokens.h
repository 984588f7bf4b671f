/*
 * store/devtokens.h: initial access tokens for dynamic client registration (RFC 7591
 * section 3; "developer tokens" in the command line and on the admin page; sql/008).
 *
 * Only the SHA-256 hex of a token is stored and looked up. Making tokens is
 * oauth/devtoken.c's job; this file keeps the rows.
 */
#ifndef GH_STORE_DEVTOKENS_H
#define GH_STORE_DEVTOKENS_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/db.h"

/* One row; times in epoch seconds (0: never), label in the caller's arena. */
typedef struct {
    long long   id;
    const char *label;
    long long   created_at;
    long long   expires_at;
    long long   revoked_at;
    long long   last_used_at;
} gh_devtoken_t;

/* Stores a token that expires ttl seconds from now; fills *out. */
gh_status_t gh_store_devtoken_insert(gh_db_t *db, gh_arena_t *a, const char *token_hash,
                                     const char *label, long ttl, gh_devtoken_t *out,
                                     gh_err_t *err);

/* The live (unexpired, unrevoked) token with this hash, marked as used now.
 * GH_E_NOTFOUND when there is none. */
gh_status_t gh_store_devtoken_use(gh_db_t *db, gh_arena_t *a, const char *token_hash,
                                  gh_devtoken_t *out, gh_err_t *err);

/* Every token not yet swept, newest first: *out is an arena array of *n. */
gh_status_t gh_store_devtoken_list(gh_db_t *db, gh_arena_t *a, gh_devtoken_t **out,
                                   size_t *n, gh_err_t *err);

/* Revokes token id. GH_E_NOTFOUND when there is no such token, or it is already
 * revoked. Clients registered with it stay. */
gh_status_t gh_store_devtoken_revoke(gh_db_t *db, long long id, gh_err_t *err);

#endif
