/*
 * store/tokens.c: storing, finding and revoking access and refresh tokens.
 *
 * Rows are never deleted here: revoking sets revoked_at, rotation (issue 5) sets
 * used_at, and the sweeps remove rows once they have expired.
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
    char auth_time[24], expires_at[24];
    snprintf(auth_time, sizeof auth_time, "%lld", t->auth_time);
    snprintf(expires_at, sizeof expires_at, "%lld", t->expires_at);
    const char *params[] = {
        t->token_hash, t->kind, t->format, t->jti, t->client_id, t->user_id, t->grant_id,
        t->family_id, t->scope, t->sid, t->auth_time > 0 ? auth_time : NULL,
        gh_row_strlist_json(a, &t->amr), t->nonce, t->parent_hash, expires_at,
    };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_TOKEN_INSERT, params, &r, err);
    PQclear(r);
    return st;
}

/* Columns in the order of GH_STMT_TOKEN_FIND. */
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

gh_status_t
gh_store_token_revoke_family(gh_db_t *db, const char *family_id, long long *n, gh_err_t *err)
{
    const char *params[] = { family_id };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_TOKEN_REVOKE_FAMILY, params, &r, err);
    if (st != GH_OK)
        return st;
    if (n != NULL)
        *n = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return GH_OK;
}
