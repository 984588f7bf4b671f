/*
 * store/codes.c: issuing and redeeming authorization codes.
 */
#define GH_DB_INTERNAL
#include "store/codes.h"

#include <stdio.h>
#include <string.h>

#include "store/rows.h"

gh_status_t
gh_store_code_insert(gh_db_t *db, gh_arena_t *a, const char *code_hash, const gh_code_t *c,
                     long ttl, gh_err_t *err)
{
    char ttl_s[24], auth_time[24];
    snprintf(ttl_s, sizeof ttl_s, "%ld", ttl);
    snprintf(auth_time, sizeof auth_time, "%lld", c->auth_time);
    const char *params[] = {
        code_hash, c->client_id, c->user_id, c->grant_id, c->redirect_uri,
        c->redirect_uri_given ? "t" : "f", c->scope, c->nonce, c->code_challenge, c->sid,
        auth_time, gh_row_strlist_json(a, &c->amr), ttl_s,
    };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_CODE_INSERT, params, &r, err);
    PQclear(r);
    return st;
}

gh_status_t
gh_store_code_use(gh_db_t *db, gh_arena_t *a, const char *code_hash, gh_code_t *out,
                  gh_err_t *err)
{
    const char *params[] = { code_hash };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_CODE_USE, params, &r, err);
    if (st != GH_OK)
        return st;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return gh_fail(err, GH_E_NOTFOUND, "no such code");
    }
    memset(out, 0, sizeof *out);
    out->client_id = gh_row_str(a, r, 0, 0);
    out->user_id = gh_row_str(a, r, 0, 1);
    out->grant_id = gh_row_str(a, r, 0, 2);
    out->family_id = gh_row_str(a, r, 0, 3);
    out->redirect_uri = gh_row_str(a, r, 0, 4);
    out->redirect_uri_given = gh_row_bool(r, 0, 5);
    out->scope = gh_row_str(a, r, 0, 6);
    out->nonce = gh_row_str(a, r, 0, 7);
    out->code_challenge = gh_row_str(a, r, 0, 8);
    out->sid = gh_row_str(a, r, 0, 9);
    out->auth_time = gh_row_int(r, 0, 10);
    gh_row_strlist(a, r, 0, 11, &out->amr);
    PQclear(r);
    return GH_OK;
}

gh_status_t
gh_store_code_revoke_family(gh_db_t *db, const char *code_hash, bool *was_used, gh_err_t *err)
{
    const char *params[] = { code_hash };
    PGresult *r = NULL;
    gh_status_t st = gh_db_exec(db, GH_STMT_CODE_REVOKE_FAMILY, params, &r, err);
    if (st != GH_OK)
        return st;
    *was_used = PQntuples(r) > 0 && gh_row_bool(r, 0, 0);
    PQclear(r);
    return GH_OK;
}
