/*
 * store/tokens.c: storing, finding and revoking access and refresh tokens.
 *
 * Rows are never deleted here: revoking sets revoked_at, rotation sets used_at and
 * rotated_xid (a used refresh token must stay until it expires, so that presenting it
 * again is recognised as a replay), and the sweeps remove rows once they have expired.
 */
#define GH_DB_INTERNAL
#include "store/tokens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/rows.h"

gh_status_t
gh_store_token_insert(gh_db_t *db, gh_arena_t *a, const gh_store_token_t *t, gh_err_t *err)
{
    char auth_time[24], expires_at[24], started[24];
    snprintf(auth_time, sizeof auth_time, "%lld", t->auth_time);
    snprintf(expires_at, sizeof expires_at, "%lld", t->expires_at);
    snprintf(started, sizeof started, "%lld", t->family_started_at);
    const char *params[] = {
        t->token_hash, t->kind, t->format, t->jti, t->client_id, t->user_id, t->grant_id,
        t->family_id, t->scope, t->sid, t->auth_time > 0 ? auth_time : NULL,
        gh_row_strlist_json(a, &t->amr), t->nonce, t->parent_hash, expires_at,
        t->family_started_at > 0 ? started : NULL,
    };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_TOKEN_INSERT, params, &r, err);
    PQclear(r);
    return st;
}

/* Columns in the order of GH_TOKEN_COLUMNS (statements.c). */
static void
token_from_row(gh_arena_t *a, const PGresult *r, gh_store_token_t *t)
{
    t->kind = gh_row_str(a, r, 0, 0);
    t->format = gh_row_str(a, r, 0, 1);
    t->jti = gh_row_str(a, r, 0, 2);
    t->client_id = gh_row_str(a, r, 0, 3);
    t->user_id = gh_row_str(a, r, 0, 4);
    t->grant_id = gh_row_str(a, r, 0, 5);
    t->family_id = gh_row_str(a, r, 0, 6);
    t->scope = gh_row_str(a, r, 0, 7);
    t->sid = gh_row_str(a, r, 0, 8);
    t->auth_time = gh_row_int(r, 0, 9);
    gh_row_strlist(a, r, 0, 10, &t->amr);
    t->nonce = gh_row_str(a, r, 0, 11);
    t->parent_hash = gh_row_str(a, r, 0, 12);
    t->issued_at = gh_row_int(r, 0, 13);
    t->expires_at = gh_row_int(r, 0, 14);
}

gh_status_t
gh_store_token_find(gh_db_t *db, gh_arena_t *a, const char *token_hash, const char *kind,
                    gh_store_token_t *out, gh_err_t *err)
{
    const char *params[] = { token_hash, kind };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_TOKEN_FIND, params, &r, err);
    if (st != GH_OK)
        return st;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return gh_fail(err, GH_E_NOTFOUND, "no such token");
    }
    memset(out, 0, sizeof *out);
    out->token_hash = gh_arena_strdup(a, token_hash);
    token_from_row(a, r, out);
    PQclear(r);
    return GH_OK;
}

/* Runs a revoking UPDATE with one parameter; *n (may be NULL) counts the rows. */
static gh_status_t
revoke_counted(gh_db_t *db, gh_stmt_id_t id, const char *param, long long *n, gh_err_t *err)
{
    const char *params[] = { param };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, id, params, &r, err);
    if (st != GH_OK)
        return st;
    if (n != NULL)
        *n = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return GH_OK;
}

gh_status_t
gh_store_token_revoke_family(gh_db_t *db, const char *family_id, long long *n, gh_err_t *err)
{
    return revoke_counted(db, GH_STMT_TOKEN_REVOKE_FAMILY, family_id, n, err);
}

gh_status_t
gh_store_token_revoke_grant_of_family(gh_db_t *db, const char *family_id, long long *n,
                                      gh_err_t *err)
{
    return revoke_counted(db, GH_STMT_TOKEN_REVOKE_GRANT_OF_FAMILY, family_id, n, err);
}

gh_status_t
gh_store_token_revoke(gh_db_t *db, const char *token_hash, gh_err_t *err)
{
    const char *params[] = { token_hash };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_TOKEN_REVOKE, params, &r, err);
    PQclear(r);
    return st;
}

gh_status_t
gh_store_token_rotate(gh_db_t *db, gh_arena_t *a, const char *token_hash, const char *client_id,
                      gh_store_token_t *out, const char **snapshot, gh_err_t *err)
{
    const char *params[] = { token_hash, client_id };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_REFRESH_ROTATE, params, &r, err);
    if (st != GH_OK)
        return st;
    /* One row always: the token's columns are NULL when it was not live. */
    *snapshot = gh_row_str(a, r, 0, 16);
    bool live = !PQgetisnull(r, 0, 0);
    memset(out, 0, sizeof *out);
    if (live) {
        out->token_hash = gh_arena_strdup(a, token_hash);
        token_from_row(a, r, out);
        out->family_started_at = gh_row_int(r, 0, 15);
    }
    PQclear(r);
    return live ? GH_OK : gh_fail(err, GH_E_NOTFOUND, "no live refresh token");
}

gh_status_t
gh_store_token_reuse_get(gh_db_t *db, gh_arena_t *a, const char *token_hash,
                         const char *client_id, const char *snapshot, gh_store_reuse_t *out,
                         gh_err_t *err)
{
    const char *params[] = { token_hash, client_id, snapshot };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_REFRESH_REUSE, params, &r, err);
    if (st != GH_OK)
        return st;
    bool found = PQntuples(r) > 0;
    if (found)
        *out = (gh_store_reuse_t){
            .family_id = gh_row_str(a, r, 0, 0), .used = gh_row_bool(r, 0, 1),
            .in_flight = gh_row_bool(r, 0, 2),
        };
    PQclear(r);
    return found ? GH_OK : gh_fail(err, GH_E_NOTFOUND, "no such refresh token");
}
