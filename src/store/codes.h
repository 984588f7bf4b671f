/*
 * store/codes.h: authorization codes.
 *
 * A code row is marked used, never deleted on use: a second use must still find it
 * to revoke what the first one issued (RFC 6749 4.1.2, DESIGN invariant 3).
 */
#ifndef GH_STORE_CODES_H
#define GH_STORE_CODES_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/strlist.h"
#include "store/db.h"

typedef struct {
    const char  *client_id;
    const char  *user_id;
    const char  *grant_id;
    const char  *family_id;        /* set by the database on insert */
    const char  *redirect_uri;
    bool         redirect_uri_given; /* the request carried redirect_uri */
    const char  *scope;            /* space-separated, as granted */
    const char  *nonce;            /* NULL when the request had none */
    const char  *code_challenge;   /* S256 challenge, NULL without PKCE */
    const char  *sid;              /* session's public id */
    long long    auth_time;        /* epoch seconds */
    gh_strlist_t amr;
} gh_code_t;

/* Stores a new code (its SHA-256 hex) valid for ttl seconds. */
gh_status_t gh_store_code_insert(gh_db_t *db, gh_arena_t *a, const char *code_hash,
                                 const gh_code_t *c, long ttl, gh_err_t *err);

/* Marks the code used, atomically (UPDATE ... WHERE used_at IS NULL AND not expired
 * RETURNING): of two concurrent uses exactly one gets GH_OK. GH_E_NOTFOUND for an
 * unknown, expired or already used code, or one whose grant was revoked. */
gh_status_t gh_store_code_use(gh_db_t *db, gh_arena_t *a, const char *code_hash,
                              gh_code_t *out, gh_err_t *err);

/* A used code was presented again: revokes every token of its family. *was_used is
 * true when code_hash names a code that had been used (false: unknown or expired). */
gh_status_t gh_store_code_revoke_family(gh_db_t *db, const char *code_hash, bool *was_used,
                                        gh_err_t *err);

#endif
