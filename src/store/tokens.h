/*
 * store/tokens.h: access and refresh tokens (the tokens table, sql/003).
 *
 * Only the SHA-256 hex of a token is stored and looked up, for JWT access tokens too
 * (with their jti), so every kind can be revoked and introspected the same way.
 * Making tokens, and deciding which to make, is oauth/tokens.c's job; running the
 * inserts of one exchange in one transaction is its caller's (gh_db_begin).
 */
#ifndef GH_STORE_TOKENS_H
#define GH_STORE_TOKENS_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/strlist.h"
#include "store/db.h"

/* One row. Strings are in the caller's arena; NULL is SQL NULL. */
typedef struct {
    const char  *token_hash;   /* SHA-256 hex of the token as sent */
    const char  *kind;         /* "access" | "refresh" */
    const char  *format;       /* "opaque" | "jwt" */
    const char  *jti;          /* JWT access tokens only */
    const char  *client_id;
    const char  *user_id;      /* NULL exactly when grant_id is (client_credentials) */
    const char  *grant_id;
    const char  *family_id;    /* the code's family: a replayed code revokes it */
    const char  *scope;        /* space-separated */
    const char  *sid;
    long long    auth_time;    /* epoch seconds; 0: none */
    gh_strlist_t amr;
    const char  *nonce;
    const char  *parent_hash;  /* the refresh token this one was rotated from */
    long long    issued_at;    /* epoch seconds (read only: the row's created_at) */
    long long    expires_at;   /* epoch seconds */
    long long    family_started_at; /* epoch seconds: the family's first issue; 0: none */
} gh_store_token_t;

/* Stores t (issued_at is the database's now()). GH_E_CONFLICT for a hash or jti that
 * exists, GH_E_INPUT when a constraint refuses the row. */
gh_status_t gh_store_token_insert(gh_db_t *db, gh_arena_t *a, const gh_store_token_t *t,
                                  gh_err_t *err);

/* The live token of kind ("access" or "refresh") with this hash: not expired, not
 * revoked, not used (rotated), its grant not revoked, its client and user not
 * disabled. GH_E_NOTFOUND for anything else, whatever the reason. */
gh_status_t gh_store_token_find(gh_db_t *db, gh_arena_t *a, const char *token_hash,
                                const char *kind, gh_store_token_t *out, gh_err_t *err);

/* Revokes every live token issued under the grant that the family belongs to (all
 * its families: DESIGN invariant 4), or the family alone for a token without grant;
 * *n (may be NULL) counts them. */
gh_status_t gh_store_token_revoke_grant_of_family(gh_db_t *db, const char *family_id,
                                                  long long *n, gh_err_t *err);

/* Revokes every live token of a family; *n (may be NULL) counts them. */
gh_status_t gh_store_token_revoke_family(gh_db_t *db, const char *family_id, long long *n,
                                         gh_err_t *err);

/* Revokes the token with this hash (RFC 7009): GH_OK whether or not it was live. */
gh_status_t gh_store_token_revoke(gh_db_t *db, const char *token_hash, gh_err_t *err);

/* Refresh rotation (sql/004). Marks the live refresh token with this hash, issued to
 * client_id, used by the caller's transaction and fills *out with its row (with
 * family_started_at). Live also means: its grant not revoked, its user not disabled.
 * Either way *snapshot (in a) is the snapshot the statement ran with, taken before it
 * waited for any concurrent rotation: pass it to gh_store_token_reuse_get.
 * GH_E_NOTFOUND when the token is not live for this client, whatever the reason. */
gh_status_t gh_store_token_rotate(gh_db_t *db, gh_arena_t *a, const char *token_hash,
                                  const char *client_id, gh_store_token_t *out,
                                  const char **snapshot, gh_err_t *err);

/* What a refresh token that gh_store_token_rotate did not find live is. */
typedef struct {
    const char *family_id;
    bool        used;       /* rotated already; else expired, revoked, its grant revoked
                               or its user disabled */
    bool        in_flight;  /* used, by a rotation not yet committed when the request
                               began (not visible in snapshot), or within the client's
                               refresh_grace_seconds of it */
} gh_store_reuse_t;

/* The refresh token with this hash issued to client_id, seen from a request that began
 * with snapshot. GH_E_NOTFOUND when there is no such token (or it is another client's). */
gh_status_t gh_store_token_reuse_get(gh_db_t *db, gh_arena_t *a, const char *token_hash,
                                     const char *client_id, const char *snapshot,
                                     gh_store_reuse_t *out, gh_err_t *err);

#endif
